"""The seed project with the states the seed itself never shows, built once per test run.

The seed's translations are all reviewed and every source has an Arabic name. Accessibility
must hold for the other states too: an article whose English is pending (no memory, no
model), one machine-translated in part, a source known only by its English name, tags
in both scripts, and entity pages that list their older articles without quoting them
(`entities: {quoted_articles: 2}`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import copy_project

PENDING = "2019-10-17-alraed-ain-zara"
PARTIAL = "2016-11-19-alhayat-qawarsha"

_built: dict[str, Path] = {}


def make_variant_project(dest: Path) -> Path:
    root = copy_project(dest)
    config = root / "site_config.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\nentities:\n  quoted_articles: 2\n", encoding="utf-8"
    )
    articles, memories = root / "content" / "articles", root / "content" / "translations"

    # Pending: no translation memory and (hermetic tests) no model. English-only source name, mixed tags.
    (memories / f"{PENDING}.yml").unlink()
    article = articles / f"{PENDING}.md"
    lines = [
        line for line in article.read_text(encoding="utf-8").splitlines() if not line.startswith("source_ar:")
    ]
    at = next(i for i, line in enumerate(lines) if line.startswith("published:"))
    lines.insert(at + 1, 'tags: [offensive, "عين زارة"]')
    article.write_text("\n".join(lines) + "\n", encoding="utf-8")

    # Partial: the title and every other sentence dropped, the rest machine-translated.
    memory_path = memories / f"{PARTIAL}.yml"
    memory = yaml.safe_load(memory_path.read_text(encoding="utf-8"))
    kept = [e for i, e in enumerate(memory["entries"]) if e["kind"] != "title" and i % 2 == 0]
    for entry in kept:
        entry.update(origin="machine", engine="argos", model="translate-ar_en-1_0")
    memory["entries"] = kept
    memory_path.write_text(yaml.safe_dump(memory, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def variant_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The variant project's built site/ folder (built on first use, then shared)."""
    if "site" not in _built:
        from briefgen.commands.build import build

        root = make_variant_project(tmp_path_factory.mktemp("variant") / "project")
        _built["site"] = build(root / "site_config.yml").site_dir
    return _built["site"]
