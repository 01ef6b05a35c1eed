"""The search indexes: one per language, Arabic-aware keywords, English name variants, real UTF-8."""

from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
import re
from pathlib import Path

import pytest

from briefgen.gazetteer import Gazetteer, load_gazetteer
from briefgen.site.render import MONTHS, load_strings
from briefgen.site.search_index import (
    add_keywords,
    archive_spellings,
    document_keywords,
    index_separator,
    name_words,
    search_readings,
    search_terms,
    split_by_folder,
    word_keywords,
)
from tests.conftest import assert_config_problem, copy_project

REPO = Path(__file__).resolve().parents[1]
CONFIG_SCRIPT = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)
_ARABIC = re.compile("[\u0621-\u064a]")
# Articles indexed in full text in `limited_site`: the seed's two newest of five.
FULL_TEXT = 2


def load_index(site: Path, folder: str) -> dict:
    return json.loads((site / folder / "search" / "search_index.json").read_text(encoding="utf-8"))


_limited: dict[str, Path] = {}


def build_limited_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed project built with `search: {full_text_articles: FULL_TEXT}`; returns its site/.
    Built on first use, then shared by this module and the browser's search tests."""
    from briefgen.commands.build import build

    if "site" not in _limited:
        root = copy_project(tmp_path_factory.mktemp("limited") / "project")
        config = root / "site_config.yml"
        text = config.read_text(encoding="utf-8")
        assert "\nsearch:" not in text
        config.write_text(f"{text}\nsearch:\n  full_text_articles: {FULL_TEXT}\n", encoding="utf-8")
        _limited["site"] = build(config).site_dir
    return _limited["site"]


def seed_articles(site: Path) -> list[dict]:
    """The site's articles as exported (newest first), with their sentences in both languages."""
    return json.loads((site / "data" / "articles.json").read_text(encoding="utf-8"))


def doc_terms(index: dict, doc: dict) -> set[str]:
    """Every term lunr indexes for `doc` (title, text and keywords), as material tokenizes them."""
    separator = index_separator(index)
    return {
        term
        for field in ("title", "text", "keywords")
        for term in search_terms(doc.get(field, ""), separator)
    }


def page_terms(index: dict, page: str) -> set[str]:
    """The terms of every document of `page` ('articles/x/')."""
    return {t for d in index["docs"] if page_of(d["location"]) == page for t in doc_terms(index, d)}


def text_terms(index: dict, text: str) -> set[str]:
    return set(search_terms(html.escape(text, quote=False), index_separator(index)))


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
    # Their pages are found by the typed form: from the keywords, or the text where it has that form too.
    assert all(typed in page_terms(ar_index, page_of(d["location"])) for d in docs), typed


def test_names_are_never_split(en_index: dict, ar_index: dict) -> None:
    words = {w for index in (en_index, ar_index) for d in index["docs"] for w in doc_terms(index, d)}
    assert "نغازي" not in words and "بنغازي" in words


def test_english_name_variants_find_the_place(en_index: dict, ar_index: dict) -> None:
    # English pages: every spelling. Arabic pages: the main English name; the Arabic entity
    # page shows (and so indexes) every spelling.
    for index, name, variant in ((en_index, "Qawarsha", "gwarsha"), (ar_index, "القوارشة", "qawarsha")):
        pages = {page_of(d["location"]) for d in index["docs"] if name in d["text"]}
        assert len(pages) > 3 and all(variant in page_terms(index, page) for page in pages), variant
        assert index["config"]["fields"]["keywords"] == {"boost": 1.0}
    ar_variant_pages = {
        page_of(d["location"]) for d in ar_index["docs"] if "gwarsha" in doc_terms(ar_index, d)
    }
    assert "entities/qawarsha/" in ar_variant_pages
    assert not any(page.startswith("articles/") for page in ar_variant_pages)


def test_entity_page_is_found_by_every_name(en_index: dict, ar_index: dict) -> None:
    gazetteer = load_gazetteer(REPO / "content" / "gazetteer.yml")
    qawarsha = gazetteer.get("qawarsha")
    assert qawarsha is not None and "Gwarsha" in qawarsha.variants_en
    for index in (en_index, ar_index):
        terms = page_terms(index, "entities/qawarsha/")
        for name in (*qawarsha.names_en, *qawarsha.names_ar):
            assert text_terms(index, name) <= terms, name
        # Typed without hamza or with ha for ta marbuta: قوارشه finds قوارشة.
        assert "قوارشه" in terms


def test_keywords_hold_only_what_the_text_lacks() -> None:
    gazetteer = load_gazetteer(REPO / "content" / "gazetteer.yml")
    separator = re.compile(r"[\s\-,]+")
    text = "Qawarsha and Gwarsha, west of Benghazi"
    keywords = document_keywords(text, gazetteer, name_words(gazetteer), separator).split()
    # Lowercase terms, each once, none already in the text: Qawarsha's other spellings, Benghazi's.
    assert len(keywords) == len(set(keywords)) and all(k == k.lower() for k in keywords)
    assert {"guwarsha", "qawarishah", "bengasi", "banghazi"} <= set(keywords)
    assert not {"qawarsha", "gwarsha", "benghazi"} & set(keywords)
    # Nor any the page's earlier documents have: results are grouped by page.
    later = document_keywords(text, gazetteer, name_words(gazetteer), separator, frozenset({"guwarsha"}))
    assert set(later.split()) == set(keywords) - {"guwarsha"}


def test_a_word_typed_with_the_hamza_finds_the_text_without_it() -> None:
    """lunr matches a query as typed: the archive's spellings of each word are keywords, so
    "أحمد" finds the text that writes "احمد" (and "حكومة" the one that writes "حكومه")."""
    gazetteer = Gazetteer()
    index = {
        "docs": [
            {"location": "a/", "title": "أحمد", "text": "<p>قالت الحكومة</p>"},
            {"location": "b/", "title": "", "text": "<p>قال احمد والحكومه</p>"},
            {"location": "c/", "title": "", "text": "<p>أَحْمَد</p>"},
        ]
    }
    assert archive_spellings(index) == {"احمد": ("أحمد",), "الحكومه": ("الحكومة",), "حكومه": ("حكومة",)}
    add_keywords(index, gazetteer)
    a, b, c = (set(doc["keywords"].split()) for doc in index["docs"])
    assert {"أحمد", "الحكومة", "حكومة"} <= b, "the other spellings of b's words"
    assert "أحمد" not in a, "a has it in its title already"
    assert "أَحْمَد" not in a | b, "vowel marks are nobody's spelling in a search box"
    assert "احمد" in c, "the normalized form, as before"


def test_each_sentence_is_indexed_once_in_its_own_language(
    seed_site: Path, en_index: dict, ar_index: dict
) -> None:
    # The Arabic only on Arabic pages, the English only on English ones, and only on the article's
    # own page: entity, chronology, campaign and home pages list sentences but don't index them.
    checked = 0
    for article in seed_articles(seed_site):
        own_page = f"articles/{article['slug']}/"
        for sentence in article["translation"]["sentences"]:
            for lang, index, other in (("ar", ar_index, en_index), ("en", en_index, ar_index)):
                text = html.escape(sentence[lang], quote=False)
                assert {page_of(d["location"]) for d in index["docs"] if text in d["text"]} == {own_page}
                assert not [d["location"] for d in other["docs"] if text in d["text"]], sentence[lang]
                checked += 1
    assert checked > 100


def test_pages_that_list_sentences_index_only_their_own_text(
    seed_site: Path, en_index: dict, ar_index: dict
) -> None:
    # The pages do show the sentences (the test would prove nothing otherwise) ...
    for folder in ("", "ar"):
        entity_html = (seed_site / folder / "entities" / "qawarsha" / "index.html").read_text("utf-8")
        assert entity_html.count('class="bg-entity-quote"') >= 5
        chronology_html = (seed_site / folder / "chronology" / "index.html").read_text("utf-8")
        assert chronology_html.count('class="bg-event"') >= 10
    # ... and their documents are the page's own: its title and short description.
    for index in (en_index, ar_index):
        entity_docs = [d for d in index["docs"] if page_of(d["location"]) == "entities/qawarsha/"]
        assert len(entity_docs) == 1 and len(entity_docs[0]["text"]) < 500
        for page in ("", "chronology/", "chronology/benghazi-2016/", "campaigns/benghazi-2016/", "articles/"):
            docs = [d for d in index["docs"] if page_of(d["location"]) == page]
            assert docs and sum(len(d["text"]) for d in docs) < 800, page


def test_english_index_holds_no_arabic_but_names(en_index: dict) -> None:
    # The parallel view's Arabic stays out; entity pages show the Arabic names on purpose.
    gazetteer = load_gazetteer(REPO / "content" / "gazetteer.yml")
    separator = index_separator(en_index)
    names = {t for e in gazetteer.entities for n in e.names_ar for t in search_terms(n, separator)}
    arabic = {
        (page_of(d["location"]), term)
        for d in en_index["docs"]
        for term in search_terms(d["text"] + " " + d["title"], separator)
        if _ARABIC.search(term) and term not in names
    }
    assert arabic == set()
    assert any(_ARABIC.search(d["text"]) for d in en_index["docs"])  # the names are there


@pytest.fixture(scope="module")
def limited_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_limited_site(tmp_path_factory)


def source_shown(article: dict, lang: str) -> str:
    """The source as the article page shows it (see `source_of` in briefgen/site/render.py)."""
    if article["source"].lower() == "unknown":
        return load_strings(REPO / "templates")["unknown_source"][lang]
    return article["source_ar"] if lang == "ar" and article["source_ar"] else article["source"]


def shown_terms(index: dict, article: dict, lang: str) -> set[str]:
    """The terms an article beyond the full-text limit is found by: those of its title, source,
    date and tags, and the keywords the indexer derives from them (with the archive's other
    spellings of their words)."""
    gazetteer = load_gazetteer(REPO / "content" / "gazetteer.yml")
    published = dt.date.fromisoformat(article["published"])
    shown = " ".join(
        [
            article["title_en"] if lang == "en" else article["title"],
            source_shown(article, lang),
            f"{published.day} {MONTHS[lang][published.month - 1]} {published.year}",
            *article["tags"],
        ]
    )
    separator = index_separator(index)
    keywords = document_keywords(
        shown,
        gazetteer,
        name_words(gazetteer),
        separator,
        english_variants=lang == "en",
        spellings=archive_spellings(index),
    )
    return text_terms(index, shown) | set(keywords.split())


def test_full_text_limit(limited_site: Path, seed_site: Path) -> None:
    articles = seed_articles(limited_site)
    assert len(articles) > FULL_TEXT
    for lang, folder in (("en", ""), ("ar", "ar")):
        limited, full = load_index(limited_site, folder), load_index(seed_site, folder)
        for rank, article in enumerate(articles):
            page = f"articles/{article['slug']}/"
            text = [s[lang] for s in article["translation"]["sentences"]] + article["summary"][lang]
            words = set().union(*(text_terms(limited, s) for s in text))
            shown = shown_terms(limited, article, lang)
            terms = page_terms(limited, page)
            # Always found by its title, source, date and tags.
            assert shown <= terms, (lang, page, shown - terms)
            if rank < FULL_TEXT:
                assert words <= terms, (lang, page)  # and by every word of its text and summary
                continue
            # Beyond the limit, not by a word of its text or summary alone; with full text it is.
            hidden = words - shown
            assert len(hidden) > 20, (lang, page, hidden)
            assert not hidden & terms, (lang, page, hidden & terms)
            assert hidden <= page_terms(full, page), (lang, page)
    assert (limited_site / "search" / "search_index.json").stat().st_size < (
        seed_site / "search" / "search_index.json"
    ).stat().st_size


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("search: {full_text_articles: -1}", "out of range"),
        ("search: {full_text_articles: many}", "expected a whole number"),
        ("search: {full_text: 10}", "full_text"),
    ],
)
def test_full_text_setting_is_validated(tmp_path: Path, setting: str, message: str) -> None:
    assert_config_problem(tmp_path, setting, message)


def test_full_text_setting_default(tmp_path: Path) -> None:
    from briefgen.config import DEFAULT_FULL_TEXT_ARTICLES, load_config

    config = tmp_path / "site_config.yml"
    config.write_text("title: {en: A, ar: ب}\nsite_url: https://x.github.io/r/\n")
    assert load_config(config).search.full_text_articles == DEFAULT_FULL_TEXT_ARTICLES


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
