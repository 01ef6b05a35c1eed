"""Search in a real Chromium: Arabic spelling and clitic variants, English names, and nothing off 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Route

from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium, search, served

# (query, page language, the least number of documents it must find)
QUERIES = [
    ("أحمد", "ar", 10),
    ("احمد", "ar", 10),  # hamza on alef
    ("حكومة", "ar", 10),
    ("حكومه", "ar", 10),  # ta marbuta
    ("الأنابيب", "ar", 5),
    ("الانابيب", "ar", 5),
    ("العمارات", "ar", 5),  # written والعمارات
    ("بنغازي", "ar", 20),
    ("Qawarsha", "en", 20),
    ("Gwarsha", "en", 20),  # a variant spelling from the gazetteer
    ("Haftar", "en", 20),
]


@pytest.fixture(scope="module")
def browser_page(seed_site: Path):
    require_chromium()
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    with served(seed_site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()

        def guard(route: Route) -> None:
            if route.request.url.startswith((base, "data:")):
                route.continue_()
                return
            outside.append(route.request.url)
            route.abort()

        page.route("**/*", guard)
        yield page, base, outside
        browser.close()


@pytest.mark.parametrize(("query", "lang", "at_least"), QUERIES)
def test_search_finds_every_spelling(browser_page, query: str, lang: str, at_least: int) -> None:
    page, base, outside = browser_page
    count, links = search(page, base, query, lang)
    print(f"{query!r} ({lang}): {count} documents")
    assert count >= at_least, (query, count)
    assert links and all(link.startswith(base) or not link.startswith("http") for link in links)
    assert outside == []


def test_names_are_not_found_by_fragments(browser_page) -> None:
    page, base, _ = browser_page
    count, _ = search(page, base, "نغازي", "ar")
    assert count == 0
