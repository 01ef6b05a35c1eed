"""Search in a real Chromium: Pagefind's bundle of each language, Arabic spelling and clitic
variants, names never cut, English names, results with title, source, date and the matching
passage marked, the keyboard, and nothing off 127.0.0.1."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, Route

from briefgen.arabic import normalize
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium, served, type_with_cdp
from tests.test_search_index import fragments, own_text, seed_articles, words

# (as written, as a reader may type it, page language, the least number of pages each must
# find). Each text is indexed once, on its own page (no entity or chronology page repeats the
# articles' sentences), so these count the pages that have the word themselves. The seed site's
# counts when these were set (Pagefind): أحمد 8 / احمد 8, حكومة 9 / حكومه 9, الأنابيب 4 /
# الانابيب 4, والعمارات 1 / العمارات 3, Qawarsha 8 / Gwarsha 8.
VARIANTS = [
    ("أحمد", "احمد", "ar", 7),  # hamza on alef
    ("حكومة", "حكومه", "ar", 8),  # ta marbuta
    ("الأنابيب", "الانابيب", "ar", 4),  # hamza under the article
    ("والعمارات", "العمارات", "ar", 1),  # a conjunction before the article
    ("Qawarsha", "Gwarsha", "en", 7),  # a variant spelling from the gazetteer
]
# (query, page language, the least number of pages); seed counts: بنغازي 18, Haftar 17,
# Haftar on an Arabic page 8 (the main English name of each entity an Arabic page names is
# one of its keywords), حفتر on an English page 2 (the entity pages that show his Arabic
# name; English pages index no Arabic text).
QUERIES = [
    ("بنغازي", "ar", 15),
    ("Haftar", "en", 15),
    ("Haftar", "ar", 7),
    ("حفتر", "en", 1),
]

# Records each search the page's script finishes (templates/assets/search.js): while a query is
# typed it searches every prefix of it, so results are read once the whole query's are shown.
SEARCH_PROBE_JS = """
window.__searched = [];
document.addEventListener("bg-search-done", (event) => window.__searched.push(event.detail));
"""
READ_RESULTS_JS = """() => [
  document.querySelector(".md-search-result__meta")?.innerText || "",
  [...document.querySelectorAll(".md-search-result__link")].map(a => a.getAttribute("href") || ""),
]"""
LAST_SEARCH_JS = "q => window.__searched.length > 0 && window.__searched.at(-1).query === q"


def search(page: Page, base: str, query: str, lang: str, path: str | None = None) -> tuple[int, list[str]]:
    """Type `query` into the search box of `path` (default: the language's home page); once the
    whole query's results are shown, return the result count and the result links."""
    page.goto(base + (path if path is not None else "ar/" if lang == "ar" else ""))
    page.focus("input.md-search__input")
    type_with_cdp(page, query)
    page.wait_for_function(LAST_SEARCH_JS, arg=query, timeout=30_000)
    text, links = page.evaluate(READ_RESULTS_JS)
    count = page.evaluate("() => window.__searched.at(-1).count")
    digits = "".join(ch for ch in text if ch.isdigit())
    # The summary says the count in the page's language: material's own strings.
    assert (int(digits) if digits else 1 if "واحد" in text or "1 matching" in text else 0) == count, text
    return count, links


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
        page.add_init_script(SEARCH_PROBE_JS)

        def guard(route: Route) -> None:
            if route.request.url.startswith((base, pages_base, "data:")):
                route.continue_()
                return
            outside.append(route.request.url)
            route.abort()

        def record(request: Request) -> None:
            if "/pagefind/" in request.url or "search_index" in request.url:
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


def assert_own_bundle(fetched: list[str], root: str, lang: str) -> None:
    """The page loaded its own language's Pagefind bundle, and nothing of the other's."""
    bundle = f"{root}ar/pagefind/" if lang == "ar" else f"{root}pagefind/"
    assert fetched, "no Pagefind file was fetched"
    assert all(path.startswith(bundle) for path in fetched), (bundle, fetched)
    assert any(path.endswith(".pf_index") for path in fetched) and any(
        path.endswith(".pf_fragment") for path in fetched
    )


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
    assert set(written_links) <= set(typed_links) or typed_count > len(typed_links)
    if lang == "ar" and normalize(written) == normalize(typed):
        # Only the spelling differs (hamza, ta marbuta): typed either way, the same documents.
        assert written_count == typed_count, (written, written_count, typed, typed_count)
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
    assert_own_bundle(fetched, "/", lang)
    assert outside == []


def test_arabic_article_page_searches_arabic(browser_page) -> None:
    # Deeper pages resolve the bundle and the result links against their language's root too.
    page, base, _, _, fetched = browser_page
    fetched.clear()
    count, links = search(page, base, "حفتر", "ar", path="ar/articles/2019-10-17-alraed-ain-zara/")
    assert count >= 7
    assert_language(links, base, "ar")
    assert_own_bundle(fetched, "/", "ar")


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
    assert_own_bundle(fetched, "/briefgen/", lang)
    assert outside == []


def result_pages(links: list[str]) -> list[str]:
    """The pages the result links lead to, without a section."""
    return list(dict.fromkeys(link.split("?")[0].split("#")[0] for link in links))


@pytest.mark.parametrize(
    ("query", "lang"),
    [("Gwarsha", "en"), ("Guwarsha", "en"), ("قوارشه", "ar"), ("القوارشه", "ar"), ("Gwarsha", "ar")],
)
def test_entity_page_is_found_by_a_name_variant(browser_page, query: str, lang: str) -> None:
    page, base, _, outside, _ = browser_page
    count, links = search(page, base, query, lang)
    assert count >= 1
    assert base + ("ar/" if lang == "ar" else "") + "entities/qawarsha/" in result_pages(links), links
    assert outside == []


def only_on(pages: dict[str, dict], url: str, candidates: set[str]) -> str:
    """The longest of `candidates` that no page but `url` has a word beginning with (Pagefind
    matches every word as a prefix), so that it finds that page alone."""
    others = set().union(*(words(f["content"].lower()) for u, f in pages.items() if u != url))
    for word in sorted(candidates, key=lambda w: (-len(w), w)):
        if not any(other.startswith(normalize(word.lower())) for other in map(normalize, others)):
            return word
    raise AssertionError(f"no word of {sorted(candidates)[:20]} is on {url} alone")


def test_every_article_is_found_by_any_word_of_its_text(browser_page, seed_site: Path) -> None:
    # The oldest article (beyond lunr's old 500-article limit, had the archive been larger) by a
    # word of its body that is neither in its title nor in its summary.
    page, base, _, _, _ = browser_page
    oldest = seed_articles(seed_site)[-1]
    pages = fragments(seed_site, "ar")
    url = f"/ar/articles/{oldest['slug']}/"
    shown = words(oldest["title"]).union(*(words(s) for s in oldest["summary"]["ar"]))
    body = set().union(*(words(s["ar"]) for s in oldest["translation"]["sentences"])) - shown
    word = only_on(pages, url, {w for w in body if w in words(own_text(pages[url]))})
    count, links = search(page, base, word, "ar")
    assert count == 1 and result_pages(links) == [base + url.lstrip("/")], (word, links)
    # In English too (stemmed, so it may find more than the one page).
    en_body = set().union(*(words(s["en"]) for s in oldest["translation"]["sentences"]))
    en_pages = fragments(seed_site, "")
    en_url = f"/articles/{oldest['slug']}/"
    en_word = only_on(en_pages, en_url, {w for w in en_body if len(w) > 6 and w.isalpha()})
    _, en_links = search(page, base, en_word, "en")
    assert base + en_url.lstrip("/") in result_pages(en_links), (en_word, en_links)


def test_results_show_title_source_date_and_the_passage(browser_page, seed_site: Path) -> None:
    page, base, _, _, _ = browser_page
    count, _ = search(page, base, "العمارات", "ar")
    assert count >= 1
    article = next(a for a in seed_articles(seed_site) if a["slug"] == "2016-07-30-qawarsha-pipes-factory")
    item = page.locator(
        ".md-search-result__item", has=page.locator(f'a[href$="/ar/articles/{article["slug"]}/"]')
    )
    assert item.locator("h1").inner_text() == " ".join(article["title"].split())
    assert item.locator(".bg-search-details").inner_text() == "مصدر غير معروف · 30 يوليو 2016"
    # The passage is the article's own text, with the word as written there marked: والعمارات.
    marked = item.locator("mark").all_inner_texts()
    assert "والعمارات" in marked, marked
    assert "⁂" not in item.inner_text()
    # Not the title again, nor the list under it (source, date, tags): a passage of the text.
    passage = item.locator("p:not(.bg-search-details)").inner_text()
    assert " ".join(article["title"].split()) not in passage and "مصدر غير معروف" not in passage, passage
    # The dialog reads right to left on an Arabic page, in Arabic.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-search-result')).direction") == "rtl"
    assert page.get_attribute("input.md-search__input", "placeholder") == "بحث"


def test_search_from_the_keyboard(browser_page) -> None:
    page, base, _, _, _ = browser_page
    page.goto(base)
    page.keyboard.press("/")  # as in material: "/" (or "s") opens the search
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    assert page.is_checked("#__search")
    type_with_cdp(page, "Qawarsha")
    page.wait_for_function(LAST_SEARCH_JS, arg="Qawarsha", timeout=30_000)
    links = page.locator(".md-search-result__link")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement === document.querySelector('.md-search-result__link')")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement === document.querySelectorAll('.md-search-result__link')[1]")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.press("Escape")
    assert not page.is_checked("#__search")
    page.keyboard.press("s")
    assert page.is_checked("#__search")
    page.keyboard.press("ArrowDown")
    target = links.first.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(target or "", timeout=15_000)


def test_the_article_alone_is_not_searched(browser_page) -> None:
    # «ال» begins most Arabic words: searched as a prefix, it would fetch most of the index.
    page, base, _, _, fetched = browser_page
    page.goto(base + "ar/")
    fetched.clear()
    page.focus("input.md-search__input")
    type_with_cdp(page, "وال")
    page.wait_for_timeout(1000)
    assert not [path for path in fetched if path.endswith(".pf_index")], fetched
    assert page.locator(".md-search-result__item").count() == 0
    type_with_cdp(page, "عم")  # والعم: two letters after the article
    page.wait_for_function(LAST_SEARCH_JS, arg="والعم", timeout=30_000)
    assert [path for path in fetched if path.endswith(".pf_index")]
