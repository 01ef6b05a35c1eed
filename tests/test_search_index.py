"""The Arabic-aware search index: normalized and clitic-free forms, English name variants, real UTF-8."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from briefgen.gazetteer import load_gazetteer
from briefgen.site.search_index import name_words, search_readings, word_keywords

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def index(seed_site: Path) -> dict:
    return json.loads((seed_site / "search" / "search_index.json").read_text(encoding="utf-8"))


def docs_with(index: dict, location_prefix: str) -> list[dict]:
    return [d for d in index["docs"] if d["location"].startswith(location_prefix)]


def test_index_is_real_utf8(seed_site: Path) -> None:
    raw = (seed_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "\\u06" not in raw and "القوارشة" in raw


@pytest.mark.parametrize(
    ("typed", "written"),
    [("احمد", "أحمد"), ("حكومه", "حكومة"), ("الانابيب", "الأنابيب"), ("العمارات", "والعمارات")],
)
def test_spelling_and_clitic_variants_are_indexed(index: dict, typed: str, written: str) -> None:
    # Documents where the written form stands as a word of its own (not inside لحكومة).
    docs = [d for d in index["docs"] if re.search(rf"(?<![\w]){written}(?![\w])", d["text"])]
    assert docs, written
    assert all(typed in d["keywords"].split() for d in docs), typed


def test_names_are_never_split(index: dict) -> None:
    words = {w for d in index["docs"] for w in d["keywords"].split()}
    assert "نغازي" not in words and "بنغازي" in words


def test_english_name_variants_find_the_place(index: dict) -> None:
    qawarsha_docs = [d for d in index["docs"] if "Qawarsha" in d["text"] or "القوارشة" in d["text"]]
    assert qawarsha_docs and all("Gwarsha" in d["keywords"] for d in qawarsha_docs)
    assert index["config"]["fields"]["keywords"] == {"boost": 1.0}


def test_readings() -> None:
    gazetteer = load_gazetteer(REPO / "content" / "gazetteer.yml")
    protected = name_words(gazetteer)
    assert search_readings("والعمارات") == ["والعمارات", "عمارات", "العمارات"]
    assert search_readings("كانت") == ["كانت"]  # a bare ك is not stripped
    assert word_keywords("وبنغازي", protected) == ["وبنغازي", "بنغازي"]
    assert word_keywords("بنغازي", protected) == ["بنغازي"]
