"""The search indexes: one per language, Arabic-aware keywords, English name variants, real UTF-8."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest

from briefgen.gazetteer import load_gazetteer
from briefgen.site.search_index import name_words, search_readings, split_by_folder, word_keywords

REPO = Path(__file__).resolve().parents[1]
CONFIG_SCRIPT = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)


def load_index(site: Path, folder: str) -> dict:
    return json.loads((site / folder / "search" / "search_index.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def en_index(seed_site: Path) -> dict:
    return load_index(seed_site, "")


@pytest.fixture(scope="module")
def ar_index(seed_site: Path) -> dict:
    return load_index(seed_site, "ar")


def page_of(location: str) -> str:
    """The page a document belongs to: 'articles/x/#heading' → 'articles/x/'."""
    return location.split("#")[0]


def html_pages(site: Path, *, arabic: bool) -> set[str]:
    """Directory URLs of the built pages of one language, relative to that language's root."""
    root = site / "ar" if arabic else site
    pages = set()
    for path in root.rglob("index.html"):
        relative = path.parent.relative_to(root).as_posix()
        if not arabic and relative.split("/")[0] == "ar":
            continue
        pages.add("" if relative == "." else relative + "/")
    return pages


def test_each_language_has_its_own_index_of_its_own_pages(seed_site: Path, en_index, ar_index) -> None:
    en_pages = {page_of(d["location"]) for d in en_index["docs"]}
    ar_pages = {page_of(d["location"]) for d in ar_index["docs"]}
    # Every page of a language is searchable from that language's index, and nothing else is.
    assert en_pages == html_pages(seed_site, arabic=False)
    assert ar_pages == html_pages(seed_site, arabic=True)
    assert not any(p.startswith("ar/") for p in en_pages | ar_pages)
    # The Arabic index holds Arabic text; the English one holds the same pages' English titles.
    assert en_index["docs"][0]["title"] != ar_index["docs"][0]["title"]
    assert sum("حفتر" in d["title"] for d in ar_index["docs"]) > 0
    assert sum("حفتر" in d["title"] for d in en_index["docs"]) == 0


def test_each_page_fetches_its_own_languages_index(seed_site: Path) -> None:
    # material fetches new URL("search/search_index.json", base) and resolves results against base.
    checked = 0
    for path in [*seed_site.rglob("index.html")]:
        page_dir = path.parent.relative_to(seed_site).as_posix()
        match = CONFIG_SCRIPT.search(path.read_text(encoding="utf-8"))
        assert match, path
        base = json.loads(match.group(1))["base"]
        index = posixpath.normpath(posixpath.join(page_dir, base, "search/search_index.json"))
        arabic = page_dir == "ar" or page_dir.startswith("ar/")
        assert index == ("ar/search/search_index.json" if arabic else "search/search_index.json"), path
        checked += 1
    assert checked > 100


def test_not_found_pages_one_per_language(seed_site: Path) -> None:
    # GitHub Pages serves the root 404.html for every missing path: it is the default language's.
    for folder, lang, base in (("", "en", "/briefgen/"), ("ar", "ar", "/briefgen/ar/")):
        html = (seed_site / folder / "404.html").read_text(encoding="utf-8")
        assert re.search(rf'<html lang="{lang}"[^>]* dir="{"rtl" if lang == "ar" else "ltr"}"', html)
        match = CONFIG_SCRIPT.search(html)
        assert match and json.loads(match.group(1))["base"] == base


def test_index_is_real_utf8(seed_site: Path) -> None:
    raw = (seed_site / "ar" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "\\u06" not in raw and "القوارشة" in raw


@pytest.mark.parametrize(
    ("typed", "written"),
    [("احمد", "أحمد"), ("حكومه", "حكومة"), ("الانابيب", "الأنابيب"), ("العمارات", "والعمارات")],
)
def test_spelling_and_clitic_variants_are_indexed(ar_index: dict, typed: str, written: str) -> None:
    # Documents where the written form stands as a word of its own (not inside لحكومة).
    docs = [d for d in ar_index["docs"] if re.search(rf"(?<![\w]){written}(?![\w])", d["text"])]
    assert docs, written
    assert all(typed in d["keywords"].split() for d in docs), typed


def test_names_are_never_split(en_index: dict, ar_index: dict) -> None:
    words = {w for index in (en_index, ar_index) for d in index["docs"] for w in d["keywords"].split()}
    assert "نغازي" not in words and "بنغازي" in words


def test_english_name_variants_find_the_place(en_index: dict, ar_index: dict) -> None:
    for index in (en_index, ar_index):
        qawarsha_docs = [d for d in index["docs"] if "Qawarsha" in d["text"] or "القوارشة" in d["text"]]
        assert qawarsha_docs and all("Gwarsha" in d["keywords"] for d in qawarsha_docs)
        assert index["config"]["fields"]["keywords"] == {"boost": 1.0}


def test_split_by_folder() -> None:
    merged = {
        "config": {"lang": ["en"]},
        "docs": [
            {"location": "", "title": "Home"},
            {"location": "articles/x/#a", "title": "A"},
            {"location": "ar/", "title": "الرئيسية"},
            {"location": "ar/articles/x/#a", "title": "أ"},
            {"location": "archive/", "title": "Archive"},  # not the ar/ folder
        ],
    }
    split = split_by_folder(merged, ["ar"])
    assert [d["location"] for d in split[""]["docs"]] == ["", "articles/x/#a", "archive/"]
    assert [d["location"] for d in split["ar"]["docs"]] == ["", "articles/x/#a"]
    assert split["ar"]["config"] == merged["config"]
    assert merged["docs"][2]["location"] == "ar/", "the merged index is left as it was"


def test_readings() -> None:
    gazetteer = load_gazetteer(REPO / "content" / "gazetteer.yml")
    protected = name_words(gazetteer)
    assert search_readings("والعمارات") == ["والعمارات", "عمارات", "العمارات"]
    assert search_readings("كانت") == ["كانت"]  # a bare ك is not stripped
    assert word_keywords("وبنغازي", protected) == ["وبنغازي", "بنغازي"]
    assert word_keywords("بنغازي", protected) == ["بنغازي"]
