"""The search index: one Pagefind bundle per language, every page's full text, Arabic-aware
keywords and English name variants beside it, articles' source and date for the results."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
import shutil
from pathlib import Path

import pytest

from briefgen.arabic import normalize
from briefgen.config import FULL_TEXT_DEPRECATED
from briefgen.gazetteer import load_gazetteer
from briefgen.site.pagefind_index import (
    KEYWORDS_MARK,
    UNSTEMMED_ARABIC,
    read_fragments,
    searchable_html,
)
from briefgen.site.render import MONTHS, load_strings
from briefgen.site.search_index import (
    archive_spellings,
    document_keywords,
    name_words,
    search_readings,
    word_keywords,
)
from tests.conftest import assert_config_problem

REPO = Path(__file__).resolve().parents[1]
CONFIG_SCRIPT = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)
BUNDLE_ATTRIBUTE = re.compile(r'data-bg-search="([^"]*)"')
_ARABIC = re.compile("[\u0621-\u064a]")
_WORD_EDGE = re.compile(r"^\W+|\W+$")


def seed_articles(site: Path) -> list[dict]:
    """The site's articles as exported (newest first), with their sentences in both languages."""
    return json.loads((site / "data" / "articles.json").read_text(encoding="utf-8"))


def fragments(site: Path, folder: str) -> dict[str, dict]:
    """The language's bundle, by page URL ("/ar/articles/x/")."""
    return {f["url"]: f for f in read_fragments(site / folder / "pagefind")}


def own_text(fragment: dict) -> str:
    """A page's text as indexed, without the keywords that follow it."""
    return fragment["content"].split(KEYWORDS_MARK)[0]


def keywords_of(fragment: dict) -> set[str]:
    return set(fragment["content"].split(KEYWORDS_MARK)[1].split())


def words(text: str) -> set[str]:
    return {_WORD_EDGE.sub("", w) for w in text.split()} - {""}


@pytest.fixture(scope="module")
def en_pages(seed_site: Path) -> dict[str, dict]:
    return fragments(seed_site, "")


@pytest.fixture(scope="module")
def ar_pages(seed_site: Path) -> dict[str, dict]:
    return fragments(seed_site, "ar")


def html_pages(site: Path, *, arabic: bool) -> set[str]:
    """Site-absolute directory URLs of the built pages of one language."""
    root = site / "ar" if arabic else site
    pages = set()
    for path in root.rglob("index.html"):
        relative = path.parent.relative_to(site).as_posix()
        if not arabic and relative.split("/")[0] == "ar":
            continue
        pages.add("/" if relative == "." else f"/{relative}/")
    return pages


def test_each_language_has_its_own_bundle_of_its_own_pages(seed_site: Path, en_pages, ar_pages) -> None:
    # Every page of a language is searchable in that language's bundle, and nothing else is.
    assert set(en_pages) == html_pages(seed_site, arabic=False)
    assert set(ar_pages) == html_pages(seed_site, arabic=True)
    assert en_pages["/"]["meta"]["title"] != ar_pages["/ar/"]["meta"]["title"]
    # One language a bundle; Arabic's has no stemmer (it would cut بنغازي into نغازي).
    en_entry = json.loads((seed_site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    ar_entry = json.loads((seed_site / "ar" / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert list(en_entry["languages"]) == ["en"] and en_entry["languages"]["en"]["wasm"] == "en"
    assert list(ar_entry["languages"]) == [UNSTEMMED_ARABIC]
    assert ar_entry["languages"][UNSTEMMED_ARABIC]["wasm"] is None


def test_each_page_loads_its_own_languages_bundle(seed_site: Path) -> None:
    checked = 0
    for path in seed_site.rglob("index.html"):
        page_dir = path.parent.relative_to(seed_site).as_posix()
        page = path.read_text(encoding="utf-8")
        match = BUNDLE_ATTRIBUTE.search(page)
        assert match, path
        bundle = posixpath.normpath(posixpath.join(page_dir, match.group(1)))
        arabic = page_dir == "ar" or page_dir.startswith("ar/")
        assert bundle == ("ar/pagefind" if arabic else "pagefind"), path
        # material's own search would load lunr's index: it is not there, nor asked for.
        assert 'data-md-component="search' not in page, path
        checked += 1
    assert checked > 100
    assert not (seed_site / "search").exists() and not (seed_site / "ar" / "search").exists()


def test_not_found_pages_one_per_language(seed_site: Path) -> None:
    # GitHub Pages serves the root 404.html for every missing path: it is the default language's.
    for folder, lang, base in (("", "en", "/briefgen/"), ("ar", "ar", "/briefgen/ar/")):
        page = (seed_site / folder / "404.html").read_text(encoding="utf-8")
        assert re.search(rf'<html lang="{lang}"[^>]* dir="{"rtl" if lang == "ar" else "ltr"}"', page)
        match = CONFIG_SCRIPT.search(page)
        assert match and json.loads(match.group(1))["base"] == base
        found = BUNDLE_ATTRIBUTE.search(page)
        assert found and found.group(1) == f"{base}pagefind/"


@pytest.mark.parametrize(
    ("typed", "written"),
    [("احمد", "أحمد"), ("حكومه", "حكومة"), ("الانابيب", "الأنابيب"), ("العمارات", "والعمارات")],
)
def test_spelling_and_clitic_variants_are_indexed(ar_pages: dict, typed: str, written: str) -> None:
    # Pages where the written form stands as a word of its own (not inside لحكومة) ...
    pages = [f for f in ar_pages.values() if written in words(own_text(f))]
    assert pages, written
    # ... are found by the typed form: from the keywords, or the text where it has that form too.
    assert all(typed in words(f["content"]) for f in pages), typed


def test_names_are_never_split(en_pages: dict, ar_pages: dict) -> None:
    found = set().union(*(words(f["content"]) for f in [*en_pages.values(), *ar_pages.values()]))
    assert "نغازي" not in found and "بنغازي" in found


def test_english_name_variants_find_the_place(en_pages: dict, ar_pages: dict) -> None:
    # English pages: every spelling. Arabic pages: the main English name; the Arabic entity
    # page shows (and so indexes) every spelling.
    for pages, name, variant in ((en_pages, "Qawarsha", "gwarsha"), (ar_pages, "القوارشة", "qawarsha")):
        named = [f for f in pages.values() if name in own_text(f)]
        assert len(named) > 3 and all(variant in words(f["content"].lower()) for f in named), variant
    with_variant = {url for url, f in ar_pages.items() if "gwarsha" in words(f["content"].lower())}
    assert "/ar/entities/qawarsha/" in with_variant
    assert not any(url.startswith("/ar/articles/") for url in with_variant)


def test_entity_page_is_found_by_every_name(en_pages: dict, ar_pages: dict) -> None:
    gazetteer = load_gazetteer(REPO / "content" / "gazetteer.yml")
    qawarsha = gazetteer.get("qawarsha")
    assert qawarsha is not None and "Gwarsha" in qawarsha.variants_en
    for page in (en_pages["/entities/qawarsha/"], ar_pages["/ar/entities/qawarsha/"]):
        found = words(page["content"].lower())
        for name in (*qawarsha.names_en, *qawarsha.names_ar):
            assert words(name.lower()) <= found, name
        assert "قوارشه" in found  # typed with ha for ta marbuta


def test_every_sentence_is_indexed_once_in_its_own_language(seed_site: Path, en_pages, ar_pages) -> None:
    # Every article by its full text; the Arabic only on Arabic pages, the English only on English
    # ones, and only on the article's own page: entity, chronology, campaign and home pages list
    # sentences but don't index them.
    checked = 0
    for article in seed_articles(seed_site):
        for lang, pages, other in (("ar", ar_pages, en_pages), ("en", en_pages, ar_pages)):
            own_page = f"{'/ar' if lang == 'ar' else ''}/articles/{article['slug']}/"
            for sentence in article["translation"]["sentences"]:
                text = " ".join(sentence[lang].split())
                assert {url for url, f in pages.items() if text in own_text(f)} == {own_page}, text
                assert not [url for url, f in other.items() if text in own_text(f)], text
                checked += 1
    assert checked > 100


def test_pages_that_list_sentences_index_only_their_own_text(seed_site: Path, en_pages, ar_pages) -> None:
    # The pages do show the sentences (the test would prove nothing otherwise) ...
    for folder in ("", "ar"):
        entity_html = (seed_site / folder / "entities" / "qawarsha" / "index.html").read_text("utf-8")
        assert entity_html.count('class="bg-entity-quote"') >= 5
        chronology_html = (seed_site / folder / "chronology" / "index.html").read_text("utf-8")
        assert chronology_html.count('class="bg-event"') >= 10
    # ... and what is indexed is the page's own: its title and short description.
    for pages, prefix in ((en_pages, "/"), (ar_pages, "/ar/")):
        assert len(own_text(pages[f"{prefix}entities/qawarsha/"])) < 500
        for page in ("", "chronology/", "chronology/benghazi-2016/", "campaigns/benghazi-2016/", "articles/"):
            assert len(own_text(pages[prefix + page])) < 800, page


def test_english_bundle_holds_no_arabic_but_names(en_pages: dict) -> None:
    # The parallel view's Arabic stays out; entity pages show the Arabic names on purpose.
    gazetteer = load_gazetteer(REPO / "content" / "gazetteer.yml")
    names = {w for e in gazetteer.entities for n in e.names_ar for w in words(n)}
    arabic = {(url, w) for url, f in en_pages.items() for w in words(own_text(f)) if _ARABIC.search(w)}
    assert {(url, w) for url, w in arabic if w not in names} == set()
    assert arabic  # the names are there


def source_shown(article: dict, lang: str) -> str:
    """The source as the article page shows it (see `source_of` in briefgen/site/render.py)."""
    if article["source"].lower() == "unknown":
        return load_strings(REPO / "templates")["unknown_source"][lang]
    return article["source_ar"] if lang == "ar" and article["source_ar"] else article["source"]


def test_results_show_each_articles_title_source_and_date(seed_site: Path, en_pages, ar_pages) -> None:
    for article in seed_articles(seed_site):
        published = dt.date.fromisoformat(article["published"])
        for lang, pages, prefix in (("en", en_pages, ""), ("ar", ar_pages, "/ar")):
            meta = pages[f"{prefix}/articles/{article['slug']}/"]["meta"]
            assert meta["title"] == " ".join(
                (article["title_en"] if lang == "en" else article["title"]).split()
            )
            assert meta["source"] == source_shown(article, lang)
            assert meta["date"] == f"{published.day} {MONTHS[lang][published.month - 1]} {published.year}"


def test_excluded_sections_and_elements_are_left_out() -> None:
    page = (
        '<article class="md-content__inner md-typeset"><h1 id="t">Title<a class="headerlink" href="#t">¶</a></h1>'
        "<p>kept</p>"
        '<h2 id="l" data-search-exclude="">Listing</h2><ul><li>listed</li></ul>'
        "<h3>Entry</h3><p>entry text</p>"  # under the excluded h2: left out too
        "<h2>Next</h2><p>kept again <span data-search-exclude>label</span> و<a>العمارات</a></p>"
        "</article></main>"
    )
    body = searchable_html(page)
    assert body is not None
    for gone in ("¶", "Listing", "listed", "entry text", "label"):
        assert gone not in body, gone
    for kept in ("Title", "kept", "Next", "kept again"):
        assert kept in body, kept
    assert searchable_html("<html><body>no content</body></html>") is None


def test_a_failed_index_leaves_the_published_site(seed_project: Path, tmp_path: Path, monkeypatch) -> None:
    from briefgen.commands.build import build
    from briefgen.errors import BriefgenError
    from briefgen.site import pagefind_index

    project = tmp_path / "project"
    shutil.copytree(seed_project, project, symlinks=True)
    before = {p: p.read_bytes() for p in (project / "site" / "ar" / "pagefind").rglob("*") if p.is_file()}

    # The binary fails: a real process that exits with an error.
    monkeypatch.setattr(pagefind_index, "pagefind_binary", lambda: Path("/bin/false"))
    with pytest.raises(BriefgenError):
        build(project / "site_config.yml")
    after = {p: p.read_bytes() for p in (project / "site" / "ar" / "pagefind").rglob("*") if p.is_file()}
    assert after == before and before
    assert (project / "site" / "index.html").is_file()


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


def test_full_text_setting_is_deprecated(seed_project: Path, tmp_path: Path) -> None:
    from briefgen.commands.build import build
    from briefgen.config import load_config

    project = tmp_path / "project"
    shutil.copytree(seed_project, project, symlinks=True)
    config = project / "site_config.yml"
    assert load_config(config).search.full_text_articles is None
    assert FULL_TEXT_DEPRECATED not in build(config).warnings
    # An existing project that sets it still builds, every article in full text, and is told.
    config.write_text(
        config.read_text(encoding="utf-8") + "\nsearch: {full_text_articles: 2}\n", encoding="utf-8"
    )
    assert load_config(config).search.full_text_articles == 2
    result = build(config)
    assert FULL_TEXT_DEPRECATED in result.warnings
    oldest = seed_articles(result.site_dir)[-1]
    text = own_text(fragments(result.site_dir, "ar")[f"/ar/articles/{oldest['slug']}/"])
    assert " ".join(oldest["translation"]["sentences"][-1]["ar"].split()) in text


def test_a_word_typed_with_the_hamza_finds_the_text_without_it() -> None:
    """The search matches a query as typed: the archive's spellings of each word are keywords,
    so "حكومة" finds the text that writes "حكومه" (and "أحمد" the one that writes "احمد")."""
    from briefgen.gazetteer import Gazetteer

    separator = re.compile(r"\s+")
    docs = ["أحمد قالت الحكومة", "قال احمد والحكومه", "أَحْمَد"]
    spellings = archive_spellings(docs)
    assert spellings == {"احمد": ("أحمد",), "الحكومه": ("الحكومة",), "حكومه": ("حكومة",)}
    a, b, c = (
        set(document_keywords(d, Gazetteer(), frozenset(), separator, spellings=spellings).split())
        for d in docs
    )
    assert {"أحمد", "الحكومة", "حكومة"} <= b, "the other spellings of b's words"
    assert "أحمد" not in a, "a has it in its text already"
    assert "أَحْمَد" not in a | b, "vowel marks are nobody's spelling in a search box"
    assert "احمد" in c, "the normalized form, as before"
    assert normalize("أحمد") == "احمد"


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


def test_readings() -> None:
    gazetteer = load_gazetteer(REPO / "content" / "gazetteer.yml")
    protected = name_words(gazetteer)
    assert search_readings("والعمارات") == ["والعمارات", "عمارات", "العمارات"]
    assert search_readings("كانت") == ["كانت"]  # a bare ك is not stripped
    assert word_keywords("وبنغازي", protected) == ["وبنغازي", "بنغازي"]
    assert word_keywords("بنغازي", protected) == ["بنغازي"]
