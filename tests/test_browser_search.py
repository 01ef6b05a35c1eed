"""Search in a real Chromium: each language's own results, Arabic spelling and clitic variants,
English names, and nothing off 127.0.0.1."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, Route

from briefgen.arabic import normalize
from tests.browser import CHROMIUM, CHROMIUM_ARGS, RESULTS_DONE_JS, require_chromium, served, type_with_cdp
from tests.test_search_index import (
    build_limited_site,
    load_index,
    page_of,
    page_terms,
    seed_articles,
    text_terms,
)

# (as written, as a reader may type it, page language, the least number of pages each must
# find). Each text is indexed once, on its own page (no entity or chronology page repeats the
# articles' sentences), so these count the pages that have the word themselves. The seed site's
# counts when these were set: أحمد 8 / احمد 8, حكومة 9 / حكومه 9, الأنابيب 4 / الانابيب 4,
# والعمارات 1 / العمارات 3, Qawarsha 8 / Gwarsha 8.
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

# Counts the queries material's page sends its search worker and the worker's answers (message
# types QUERY = 2, RESULT = 3). While a query is typed the worker answers every prefix of it, so
# the summary can show a prefix's results for a moment: results are read once the last query,
# the whole one, is answered.
WORKER_PROBE_JS = """
window.__search = { sent: 0, answered: 0, last: null };
const NativeWorker = window.Worker;
window.Worker = class extends NativeWorker {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", (event) => {
      if (event.data && event.data.type === 3) window.__search.answered += 1;
    });
  }
  postMessage(message, ...rest) {
    if (message && message.type === 2) {
      window.__search.sent += 1;
      window.__search.last = message.data;
    }
    return super.postMessage(message, ...rest);
  }
};
"""
READ_RESULTS_JS = """() => [
  document.querySelector(".md-search-result__meta")?.innerText || "",
  [...document.querySelectorAll(".md-search-result__link")].map(a => a.getAttribute("href") || ""),
]"""


def search(page: Page, base: str, query: str, lang: str, path: str | None = None) -> tuple[int, list[str]]:
    """Type `query` into the search box of `path` (default: the language's home page) once the
    worker has answered the whole query; return the result count and the result links."""
    page.goto(base + (path if path is not None else "ar/" if lang == "ar" else ""))
    page.focus("input.md-search__input")
    type_with_cdp(page, query)
    page.wait_for_function(
        "q => window.__search.last === q && window.__search.answered === window.__search.sent",
        arg=query,
        timeout=30_000,
    )
    # Material renders the answer in the worker's message event, or at the latest on a next frame.
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.wait_for_function(RESULTS_DONE_JS, timeout=15_000)
    text, links = page.evaluate(READ_RESULTS_JS)
    digits = "".join(ch for ch in text if ch.isdigit())
    return (int(digits) if digits else 1 if "واحد" in text else 0), links


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
        page.add_init_script(WORKER_PROBE_JS)

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
    if lang == "ar" and normalize(written) == normalize(typed):
        # Only the spelling differs (hamza, ta marbuta): typed either way, the same documents,
        # as the archive's spellings of each word are indexed too.
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
    # The page loaded its own language's index and not the other one.
    assert fetched == ["/ar/search/search_index.json" if lang == "ar" else "/search/search_index.json"]
    assert outside == []


def test_arabic_article_page_searches_arabic(browser_page) -> None:
    # Deeper pages resolve the index and the result links against their language's root too.
    page, base, _, _, fetched = browser_page
    fetched.clear()
    count, links = search(page, base, "حفتر", "ar", path="ar/articles/2019-10-17-alraed-ain-zara/")
    assert count >= 7
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


def search_pages(page: Page, base: str, query: str, lang: str) -> tuple[int, list[str]]:
    """`search`, with the pages its results lead to."""
    count, links = search(page, base, query, lang)
    return count, result_pages(links)


def result_pages(links: list[str]) -> list[str]:
    """The pages the result links lead to, without material's highlight query and the section."""
    return list(dict.fromkeys(link.split("?")[0].split("#")[0] for link in links))


@pytest.mark.parametrize(
    ("query", "lang"),
    [("Gwarsha", "en"), ("Guwarsha", "en"), ("قوارشه", "ar"), ("القوارشه", "ar"), ("Gwarsha", "ar")],
)
def test_entity_page_is_found_by_a_name_variant(browser_page, query: str, lang: str) -> None:
    page, base, _, outside, _ = browser_page
    count, pages = search_pages(page, base, query, lang)
    assert count >= 1
    assert base + ("ar/" if lang == "ar" else "") + "entities/qawarsha/" in pages, pages
    assert outside == []


def only_page_with(index: dict, pages: set[str], candidates: set[str]) -> str:
    """The longest term of `candidates` that no page but `pages` has a term beginning with
    (material searches every word as a prefix), so that its result count is exact."""
    terms_by_page = {
        page: page_terms(index, page) for page in {page_of(d["location"]) for d in index["docs"]}
    }
    for term in sorted(candidates, key=lambda t: (-len(t), t)):
        found = {page for page, terms in terms_by_page.items() if any(t.startswith(term) for t in terms)}
        if found == pages:
            return term
    raise AssertionError(f"no term of {sorted(candidates)[:20]} is on {pages} alone")


def body_only_terms(index: dict, article: dict, lang: str) -> set[str]:
    """The terms of the article's sentences that are in neither its title nor its summary."""
    body = set().union(*(text_terms(index, s[lang]) for s in article["translation"]["sentences"]))
    title = article["title_en"] if lang == "en" else article["title"]
    shown = text_terms(index, title).union(*(text_terms(index, s) for s in article["summary"][lang]))
    return body - shown


@pytest.fixture(scope="module")
def limited_page(browser_page, tmp_path_factory: pytest.TempPathFactory):
    """The seed site with only its newest articles in full text, beside the seed site's page."""
    site = build_limited_site(tmp_path_factory)
    page = browser_page[0].context.browser.new_page()
    page.add_init_script(WORKER_PROBE_JS)
    with served(site) as base:
        yield page, base, site
    page.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_full_text_limit_in_the_browser(browser_page, limited_page, seed_site: Path, lang: str) -> None:
    seed, seed_base = browser_page[0], browser_page[1]
    page, base, site = limited_page
    folder = "ar/" if lang == "ar" else ""
    limited, full = load_index(site, folder.rstrip("/")), load_index(seed_site, folder.rstrip("/"))
    articles = seed_articles(site)
    newest, oldest = articles[0], articles[-1]
    old_page, new_page = f"articles/{oldest['slug']}/", f"articles/{newest['slug']}/"
    # A word of the oldest article's body alone: found on the full-text site, not on the limited one.
    body_word = only_page_with(full, {old_page}, body_only_terms(full, oldest, lang))
    count, pages = search_pages(seed, seed_base, body_word, lang)
    assert count == 1 and pages == [seed_base + folder + old_page], (body_word, pages)
    assert search(page, base, body_word, lang)[0] == 0, body_word
    # The oldest article is still found by the words of its title.
    title = oldest["title_en"] if lang == "en" else oldest["title"]
    title_word = max(text_terms(limited, title), key=len)
    count, pages = search_pages(page, base, title_word, lang)
    assert base + folder + old_page in pages, (title_word, pages)
    # The newest, within the limit, is found by a word of its body alone.
    new_word = only_page_with(limited, {new_page}, body_only_terms(limited, newest, lang))
    count, pages = search_pages(page, base, new_word, lang)
    assert count == 1 and pages == [base + folder + new_page], (new_word, pages)
