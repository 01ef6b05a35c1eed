"""A real build that translates with a genuine (tiny) Argos model, installed the real way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.memory import load_memory
from tests.htmlcheck import page_file
from tests.tiny_argos import cached_tiny_argosmodel, untranslated_article

NEW_SLUG = "2016-12-02-ganfouda-push"
NEW_ARTICLE = untranslated_article("تقدم في قنفودة", "وأكد المسماري أن العمليات ستتواصل.")

# Runs `briefgen build` in a fresh interpreter that fails on any network connection and
# reports which heavy modules the build imported.
BUILD_IN_SANDBOX = textwrap.dedent(
    """
    import json, sys

    def refuse_network(event, args):
        if event in ("socket.connect", "socket.getaddrinfo", "socket.sendto"):
            raise RuntimeError(f"network use during build: {event} {args!r}")

    sys.addaudithook(refuse_network)
    from click.testing import CliRunner
    from briefgen.cli import cli

    result = CliRunner().invoke(cli, ["build", "--config", sys.argv[1]])
    heavy = sorted(
        m for m in sys.modules
        if m.split(".")[0] in {"torch", "stanza", "spacy", "onnxruntime"} or m == "argostranslate.translate"
    )
    print(json.dumps({"exit": result.exit_code, "output": result.output,
                      "exception": repr(result.exception), "heavy": heavy,
                      "ctranslate2_loaded": "ctranslate2" in sys.modules}))
    """
)


def sandboxed_build(project: Path) -> dict:
    completed = subprocess.run(
        [sys.executable, "-c", BUILD_IN_SANDBOX, str(project / "site_config.yml")],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=True,
    )
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["exit"] == 0, report
    return report


@pytest.fixture
def installed_tiny_model(argos_home: Path) -> Path:
    result = CliRunner().invoke(cli, ["models", "install", "--file", str(cached_tiny_argosmodel())])
    assert result.exit_code == 0, result.output
    assert "Installed translate-ar_en 0.1" in result.output
    listing = CliRunner().invoke(cli, ["models", "list"])
    assert "* ar→en  translate-ar_en 0.1" in listing.output
    return argos_home


def test_build_translates_new_sentences_and_keeps_reviewed_ones(
    installed_tiny_model: Path, project: Path, write_article
) -> None:
    translations = project / "content" / "translations"
    seeds_before = {p.name: p.read_bytes() for p in translations.glob("*.yml")}
    write_article(f"{NEW_SLUG}.md", NEW_ARTICLE)

    first = sandboxed_build(project)
    # The title, three sentences and the cross-head.
    assert "machine-translated 5 new sentence(s) and heading(s)" in first["output"], first["output"]
    assert first["heavy"] == [], "no torch, stanza, spacy or argostranslate.translate in a build"
    assert first["ctranslate2_loaded"]

    # Reviewed memories are byte-for-byte untouched.
    assert {
        p.name: p.read_bytes() for p in translations.glob("*.yml") if p.name in seeds_before
    } == seeds_before
    memory = load_memory(translations / f"{NEW_SLUG}.yml", NEW_SLUG)
    assert [e.kind for e in memory.entries] == ["title", "sentence", "sentence", "heading", "sentence"]
    assert all(e.origin == "machine" for e in memory.entries)
    assert {(e.engine, e.model) for e in memory.entries} == {("argos-ctranslate2", "translate-ar_en 0.1")}
    assert all(isinstance(e.en, str) for e in memory.entries)

    site = project / "site"
    english = page_file(site, f"articles/{NEW_SLUG}/").read_text(encoding="utf-8")
    assert "Machine translation (Argos Translate, translate-ar_en 0.1)" in english
    assert 'id="p0"' in english and 'id="p2"' in english
    records = {r["slug"]: r for r in json.loads((site / "data" / "articles.json").read_text())}
    sentences = records[NEW_SLUG]["translation"]["sentences"]
    assert [s["origin"] for s in sentences] == ["machine"] * 3
    assert records["2016-11-19-alhayat-qawarsha"]["translation"]["status"] == "reviewed"

    second = sandboxed_build(project)
    assert "machine-translated" not in second["output"]
    assert not second["ctranslate2_loaded"], "nothing to translate, so the model is never loaded"
    assert load_memory(translations / f"{NEW_SLUG}.yml", NEW_SLUG) == memory


def test_editor_correction_survives_rebuilds(
    installed_tiny_model: Path, project: Path, write_article
) -> None:
    write_article(f"{NEW_SLUG}.md", NEW_ARTICLE)
    sandboxed_build(project)
    path = project / "content" / "translations" / f"{NEW_SLUG}.yml"
    text = path.read_text(encoding="utf-8")
    memory = load_memory(path, NEW_SLUG)
    target = memory.entries[1]
    corrected = (
        text.replace(
            f"  en: {target.en}\n  origin: machine\n  engine: argos-ctranslate2\n  model: translate-ar_en 0.1\n",
            "  en: The Libyan army announced its advance in Ganfouda, west of Benghazi.\n  origin: reviewed\n",
            1,
        )
        if target.en
        else None
    )
    assert corrected and corrected != text
    path.write_text(corrected, encoding="utf-8")

    # The article changes around the corrected sentence; one sentence vanishes.
    article = project / "content" / "articles" / f"{NEW_SLUG}.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace(
            " وقالت مصادر عسكرية إن الاشتباكات استمرت حتى المساء.", ""
        ),
        encoding="utf-8",
    )
    sandboxed_build(project)
    sandboxed_build(project)
    after = load_memory(path, NEW_SLUG)
    reviewed = [e for e in after.entries if e.origin == "reviewed"]
    assert [e.en for e in reviewed] == [
        "The Libyan army announced its advance in Ganfouda, west of Benghazi."
    ]
    assert len(after.entries) == 4  # title, first sentence, heading, last sentence
    english = page_file(project / "site", f"articles/{NEW_SLUG}/").read_text(encoding="utf-8")
    assert "The Libyan army announced its advance in Ganfouda, west of Benghazi." in english


def test_without_a_model_new_article_builds_pending_and_strict_fails(project: Path, write_article) -> None:
    write_article(f"{NEW_SLUG}.md", NEW_ARTICLE)
    ok = CliRunner().invoke(cli, ["build", "--config", str(project / "site_config.yml")])
    assert ok.exit_code == 0, ok.output
    english = page_file(project / "site", f"articles/{NEW_SLUG}/").read_text(encoding="utf-8")
    # Readers are told the English is pending, not which command an operator should run.
    assert "Translation pending" in english and "briefgen models install" not in english
    # The memory lists every unit for a translator, in reading order, each still pending.
    memory = load_memory(project / "content" / "translations" / f"{NEW_SLUG}.yml", NEW_SLUG)
    assert [(e.kind, e.en, e.origin) for e in memory.entries] == [
        ("title", "", "pending"),
        ("sentence", "", "pending"),
        ("sentence", "", "pending"),
        ("heading", "", "pending"),
        ("sentence", "", "pending"),
    ]
    strict = CliRunner().invoke(cli, ["build", "--strict", "--config", str(project / "site_config.yml")])
    assert strict.exit_code == 1
    assert "not translated yet" in strict.output


def test_eval_translation_scores_the_model_against_reviewed_entries(
    installed_tiny_model: Path, project: Path
) -> None:
    result = CliRunner().invoke(cli, ["eval-translation", "--config", str(project / "site_config.yml")])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    # One line per seed article, the overall score over every reviewed title, heading and
    # sentence, then post-editing, which needs the memories' git history (the project has none).
    assert len(lines) == 7
    reviewed_units = 5 + 8 + 79
    overall = lines[-2]
    assert (
        overall.startswith("chrF ")
        and f"over {reviewed_units} reviewed sentences (translate-ar_en 0.1)" in overall
    )
    assert lines[-1].startswith("post-editing: not measured (")
    score = float(overall.split()[1])
    assert 0.0 <= score < 30.0  # random weights: a real score, but a poor one


def test_eval_translation_without_a_model_says_how_to_install(project: Path) -> None:
    result = CliRunner().invoke(cli, ["eval-translation", "--config", str(project / "site_config.yml")])
    assert result.exit_code == 1
    assert "no Argos ar→en model is installed" in result.output and "briefgen models install" in result.output


def test_pending_entries_are_machine_translated_once_a_model_is_installed(
    argos_home: Path, project: Path, write_article
) -> None:
    """Without a model the memory lists every unit pending; with one, the engine fills the
    pending entries and leaves the one a translator reviewed meanwhile as it is."""
    write_article(f"{NEW_SLUG}.md", NEW_ARTICLE)
    ok = CliRunner().invoke(cli, ["build", "--config", str(project / "site_config.yml")])
    assert ok.exit_code == 0, ok.output
    path = project / "content" / "translations" / f"{NEW_SLUG}.yml"
    text = path.read_text(encoding="utf-8")
    assert text.count("  origin: pending\n") == 5
    path.write_text(
        text.replace(
            "  en: ''\n  origin: pending\n", "  en: The army advances in Ganfouda\n  origin: reviewed\n", 1
        ),
        encoding="utf-8",
    )
    installed = CliRunner().invoke(cli, ["models", "install", "--file", str(cached_tiny_argosmodel())])
    assert installed.exit_code == 0, installed.output

    report = sandboxed_build(project)
    assert "machine-translated 4 new sentence(s) and heading(s)" in report["output"], report["output"]
    memory = load_memory(path, NEW_SLUG)
    assert [(e.kind, e.origin) for e in memory.entries] == [
        ("title", "reviewed"),
        ("sentence", "machine"),
        ("sentence", "machine"),
        ("heading", "machine"),
        ("sentence", "machine"),
    ]
    assert memory.entries[0].en == "The army advances in Ganfouda"
    assert all(e.en for e in memory.entries)


def test_eval_translation_measures_what_editors_changed_of_each_models_english(
    installed_tiny_model: Path, project: Path, write_article, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13, item 4: the machine English an editor replaced is read off the memories' git
    history; per model, how many reviewed units it had translated and how many were changed."""

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    write_article(f"{NEW_SLUG}.md", NEW_ARTICLE)
    config = str(project / "site_config.yml")
    assert CliRunner().invoke(cli, ["build", "--config", config]).exit_code == 0
    git("add", "-A")
    git("commit", "-q", "-m", "machine English")
    path = project / "content" / "translations" / f"{NEW_SLUG}.yml"
    memory = yaml.safe_load(path.read_text(encoding="utf-8"))
    machine = [e for e in memory["entries"] if e["origin"] == "machine"]
    assert len(machine) == 5  # title, cross-head and sentences
    machine[0].update(en="The army pressed on in Ganfouda.", origin="reviewed")  # corrected
    machine[1].update(origin="reviewed")  # approved as it stands
    path.write_text(yaml.safe_dump(memory, allow_unicode=True, sort_keys=False), encoding="utf-8")
    git("commit", "-q", "-am", "reviewed")

    result = CliRunner().invoke(cli, ["eval-translation", "--config", config])
    assert result.exit_code == 0, result.output
    assert "post-editing, from the memories' history:" in result.output
    assert "translate-ar_en 0.1: 2 machine units reviewed, 1 changed (edit rate 0.50)" in result.output

    # With no model installed, the post-editing figures still come (they need no model).
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(project / "no-models"))
    bare = CliRunner().invoke(cli, ["eval-translation", "--config", config])
    assert bare.exit_code == 0, bare.output
    assert "no fresh scores: no Argos ar→en model is installed" in bare.output
    assert "2 machine units reviewed, 1 changed" in bare.output
