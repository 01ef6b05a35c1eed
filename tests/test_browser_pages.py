"""The language switcher, right-to-left layout and the parallel view, in a real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium, served

ARTICLE = "articles/2020-06-04-aljazeera-tripoli-borders/"


@pytest.fixture(scope="module")
def page_at(seed_site: Path):
    require_chromium()
    from playwright.sync_api import sync_playwright

    with served(seed_site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})

        def goto(path: str):
            page.goto(base + path)
            return page

        yield goto, base
        browser.close()


def test_language_switcher_goes_to_the_counterpart_and_back(page_at) -> None:
    goto, base = page_at
    page = goto(ARTICLE)
    page.goto(
        page.locator('a.md-select__link[hreflang="ar"]').get_attribute("href") and base + "ar/" + ARTICLE
    )
    assert page.url == base + "ar/" + ARTICLE
    page = goto(ARTICLE)
    href = page.locator('a.md-select__link[hreflang="ar"]').get_attribute("href")
    page.goto(page.url + href)
    assert page.url.rstrip("/").endswith("ar/" + ARTICLE.rstrip("/"))
    assert page.evaluate("document.documentElement.lang") == "ar"
    href = page.locator('a.md-select__link[hreflang="en"]').get_attribute("href")
    page.goto(page.url + href)
    assert page.url == base + ARTICLE
    assert page.evaluate("document.documentElement.lang") == "en"


def test_arabic_pages_lay_out_right_to_left(page_at) -> None:
    goto, _ = page_at
    page = goto("ar/" + ARTICLE)
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    nav = page.locator(".md-sidebar--primary").bounding_box()
    content = page.locator(".md-content").bounding_box()
    assert nav and content and nav["x"] > content["x"], "the navigation sits on the right"
    title = page.locator("h1").bounding_box()
    assert title["x"] + title["width"] > content["x"] + content["width"] * 0.7, (
        "the headline is right-aligned"
    )


def test_parallel_view_sets_each_sentence_in_its_own_direction(page_at) -> None:
    goto, _ = page_at
    for path in (ARTICLE, "ar/" + ARTICLE):
        page = goto(path)
        arabic = page.locator("#p0 .bg-ar")
        english = page.locator("#p0 .bg-en")
        assert arabic.evaluate("e => getComputedStyle(e).direction") == "rtl"
        assert english.evaluate("e => getComputedStyle(e).direction") == "ltr"
        a, e = arabic.bounding_box(), english.bounding_box()
        assert a and e and abs(a["y"] - e["y"]) < 2, "side by side"
        assert a["width"] > 200 and e["width"] > 200
