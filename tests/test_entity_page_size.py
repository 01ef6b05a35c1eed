"""Entity pages quote the newest `entities.quoted_articles` articles and list the rest by title.

A place named in every article of a large archive would otherwise get a page of megabytes:
3.5 MB for the Libyan National Army at 1,000 synthetic articles, before this limit.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefgen.commands.build import build
from tests.conftest import assert_config_problem, copy_project

QUOTED = 2


@pytest.fixture(scope="module")
def limited_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("quoted") / "project")
    config = root / "site_config.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + f"\nentities:\n  quoted_articles: {QUOTED}\n", encoding="utf-8"
    )
    return build(config).site_dir


def quoted_and_older(page: str) -> tuple[list[str], list[str]]:
    quoted = re.findall(r'<div class="bg-entity-article">\s*<p><a href="([^"#]+)"', page)
    older_block = re.search(r'<div class="bg-entity-older">(.*?)</div>', page, re.S)
    older = re.findall(r'<li><a href="([^"#]+)"', older_block.group(1)) if older_block else []
    return quoted, older


@pytest.mark.parametrize("lang", ["", "ar/"])
def test_newest_articles_quoted_older_listed(limited_site: Path, seed_site: Path, lang: str) -> None:
    page = (limited_site / lang / "entities" / "benghazi" / "index.html").read_text(encoding="utf-8")
    full = (seed_site / lang / "entities" / "benghazi" / "index.html").read_text(encoding="utf-8")
    all_quoted, none_older = quoted_and_older(full)
    assert len(all_quoted) > QUOTED and none_older == [], "the default quotes every seed article"

    quoted, older = quoted_and_older(page)
    # The same articles in the same order (newest first), split at the limit.
    assert quoted == all_quoted[:QUOTED]
    assert older == all_quoted[QUOTED:]
    assert page.count('class="bg-entity-quote"') < full.count('class="bg-entity-quote"')
    label = "Earlier articles" if lang == "" else "مقالات أقدم"
    assert f"{label} ({len(older)})" in page
    # Each older article says how often it names the entity.
    if lang == "":
        mentions = re.findall(r"· (\d+) mentions?</span></li>", page)
        assert len(mentions) == len(older) and all(int(n) >= 1 for n in mentions)
    else:  # Arabic counts are words for one and two ("إشارة واحدة", "إشارتان")
        assert len(re.findall(r"· [^<·]*إشار[^<]*</span></li>", page)) == len(older)


def test_zero_quotes_none(limited_site: Path, tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    config = root / "site_config.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\nentities: {quoted_articles: 0}\n", encoding="utf-8"
    )
    page = (build(config).site_dir / "entities" / "benghazi" / "index.html").read_text(encoding="utf-8")
    quoted, older = quoted_and_older(page)
    assert quoted == [] and len(older) > QUOTED


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("entities: {quoted_articles: -1}", "out of range"),
        ("entities: {quoted_articles: lots}", "expected a whole number"),
        ("entities: {quoted: 3}", "quoted"),
    ],
)
def test_quoted_articles_setting_is_validated(tmp_path: Path, setting: str, message: str) -> None:
    assert_config_problem(tmp_path, setting, message)
