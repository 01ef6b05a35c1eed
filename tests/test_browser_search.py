"""Search in a real Chromium: each language's own results, Arabic spelling and clitic variants,
English names, and nothing off 127.0.0.1."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Request, Route

from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium, search, served

# (as written, as a reader may type it, page language, the least number of documents each
# must find). The seed site's counts when these were set: أحمد 21 / احمد 24, حكومة 49 / حكومه 49,
# الأنابيب 13 / الانابيب 13, والعمارات 12 / العمارات 13, Qawarsha 56 / Gwarsha 56.
VARIANTS = [
    ("أحمد", "احمد", "ar", 20),  # hamza on alef
    ("حكومة", "حكومه", "ar", 45),  # ta marbuta
    ("الأنابيب", "الانابيب", "ar", 12),  # hamza under the article
    ("والعمارات", "العمارات", "ar", 12),  # a conjunction before the article
    ("Qawarsha", "Gwarsha", "en", 50),  # a variant spelling from the gazetteer
]
# (query, page language, the least number of documents); seed counts: بنغازي 50, Haftar 71,
# Haftar on an Arabic page 71 (the gazetteer's English names are Arabic pages' keywords too),
# حفتر on an English page 58 (English pages quote the Arabic names).
QUERIES = [
    ("بنغازي", "ar", 45),
    ("Haftar", "en", 60),
    ("Haftar", "ar", 60),
    ("حفتر", "en", 50),
]


@pytest.fixture(scope="module")
def browser_page(seed_site: Path, tmp_path_factory: pytest.TempPathFactory):
    require_chromium()
    from playwright.sync_api import sync_playwright

    # The site as GitHub Pages serves it, under /briefgen/: the 404 pages' links are absolute.
    project_root = tmp_path_factory.mktemp("pages")
    os.symlink(seed_site, project_root / "briefgen")
    outside: list[str] = []
    fetched: list[str] = []
    with served(seed_site) as base, served(project_root) as pages_base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()

        def guard(route: Route) -> None:
            if route.request.url.startswith((base, pages_base, "data:")):
                route.continue_()
                return
            outside.append(route.request.url)
            route.abort()

        def record(request: Request) -> None:
            if request.url.endswith("search_index.json"):
                fetched.append(urlsplit(request.url).path)

        page.route("**/*", guard)
        page.on("request", record)
        yield page, base, pages_base, outside, fetched
        browser.close()


def assert_language(links: list[str], base: str, lang: str) -> None:
    """Every result link stays on the site and in the page's language."""
    assert links
    for link in links:
        assert link.startswith(base), link
        assert link[len(base) :].startswith("ar/") == (lang == "ar"), link


@pytest.mark.parametrize(("written", "typed", "lang", "at_least"), VARIANTS)
def test_search_finds_every_spelling(
    browser_page, written: str, typed: str, lang: str, at_least: int
) -> None:
    page, base, _, outside, _ = browser_page
    written_count, written_links = search(page, base, written, lang)
    typed_count, typed_links = search(page, base, typed, lang)
    print(f"{written!r} {written_count} / {typed!r} {typed_count} ({lang})")
    assert written_count >= at_least, (written, written_count)
    # The reader's spelling finds everything the written one does (its readings are indexed).
    assert typed_count >= written_count, (typed, typed_count, written_count)
    assert_language(written_links, base, lang)
    assert_language(typed_links, base, lang)
    assert outside == []


@pytest.mark.parametrize(("query", "lang", "at_least"), QUERIES)
def test_results_are_in_the_pages_language(browser_page, query: str, lang: str, at_least: int) -> None:
    page, base, _, outside, fetched = browser_page
    fetched.clear()
    count, links = search(page, base, query, lang)
    print(f"{query!r} ({lang}): {count} documents")
    assert count >= at_least, (query, count)
    assert_language(links, base, lang)
    # The page loaded its own language's index and not the other one.
    assert fetched == ["/ar/search/search_index.json" if lang == "ar" else "/search/search_index.json"]
    assert outside == []


def test_arabic_article_page_searches_arabic(browser_page) -> None:
    # Deeper pages resolve the index and the result links against their language's root too.
    page, base, _, _, fetched = browser_page
    fetched.clear()
    count, links = search(page, base, "حفتر", "ar", path="ar/articles/2019-10-17-alraed-ain-zara/")
    assert count >= 50
    assert_language(links, base, "ar")
    assert fetched == ["/ar/search/search_index.json"]


def test_names_are_not_found_by_fragments(browser_page) -> None:
    page, base, _, _, _ = browser_page
    count, _ = search(page, base, "نغازي", "ar")
    assert count == 0
    assert search(page, base, "بنغازي", "ar")[0] > 0  # the index is there: the name is found whole


@pytest.mark.parametrize(
    ("path", "query", "lang"), [("404.html", "Haftar", "en"), ("ar/404.html", "حفتر", "ar")]
)
def test_not_found_pages_search_their_language(browser_page, path: str, query: str, lang: str) -> None:
    page, _, pages_base, outside, fetched = browser_page
    fetched.clear()
    count, links = search(page, pages_base, query, lang, path=f"briefgen/{path}")
    assert count > 0 and page.evaluate("document.documentElement.lang") == lang
    assert_language(links, pages_base + "briefgen/", lang)
    assert fetched == [f"/briefgen/{'ar/' if lang == 'ar' else ''}search/search_index.json"]
    assert outside == []
