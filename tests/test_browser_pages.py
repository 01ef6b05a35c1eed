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


PAGE_TYPES = [
    "",  # home
    ARTICLE,
    "articles/",  # archive
    "campaigns/tripoli-2019-2020/",
    "chronology/",
    "chronology/benghazi-2016/",
    "entities/",
    "entities/aguila-saleh/",
    "about/",
    "no-such-page/",  # the 404 page
]


@pytest.mark.parametrize("language", ["", "ar/"], ids=["en", "ar"])
def test_no_page_type_logs_a_console_error_or_fails_a_request(page_at, language: str) -> None:
    """Issue 14 §3: material fetched `<page>/sitemap.xml` beside every head hreflang link (404s
    on every page) and `ar/sitemap.xml`, which no build wrote."""
    goto, base = page_at
    page = goto("")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    # Loads cut short by the next navigation (net::ERR_ABORTED) are not failures of the site.
    page.on(
        "requestfailed",
        lambda r: problems.append(f"failed: {r.url}") if "ERR_ABORTED" not in (r.failure or "") else None,
    )
    expected_404 = base + language + "no-such-page/"
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status}: {r.url}") if r.status >= 400 and r.url != expected_404 else None
        ),
    )
    for path in PAGE_TYPES:
        page.goto(base + language + path)
        page.wait_for_load_state("networkidle")
    # A failed load is logged without its address; the response listener names it.
    problems = [p for p in problems if "Failed to load resource" not in p]
    assert problems == [], problems
    for url in (base + "sitemap.xml", base + "ar/sitemap.xml"):
        assert page.request.get(url).status == 200, url
