"""Pages written for readers (issue 14, item 3), in a real Chromium: English set left to
right from a straight left edge on Arabic pages, an entity's English name beside its term,
summaries as text with one link, and an untranslated article's summary and pending labels
matching the English ones beside them."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.commands.build import build
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium, served
from tests.conftest import copy_project
from tests.htmlcheck import page_file
from tests.tiny_argos import untranslated_article

ARTICLE = "articles/2016-11-19-alhayat-qawarsha/"
UNTRANSLATED = "2016-12-02-ganfouda-push"
PENDING_LABEL = "English translation not yet available"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project with one more article, which no one has translated."""
    root = copy_project(tmp_path_factory.mktemp("reader") / "project")
    (root / "content" / "articles" / f"{UNTRANSLATED}.md").write_text(
        untranslated_article(), encoding="utf-8"
    )
    build(root / "site_config.yml")
    return root / "site"


@pytest.fixture(scope="module")
def page_at(site: Path):
    require_chromium()
    from playwright.sync_api import sync_playwright

    with served(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

        def goto(path: str):
            page.goto(base + path)
            return page

        yield goto
        assert not errors, errors
        browser.close()


# The left and right edges of each line of text inside the element: a range's rectangles
# are per inline box (a link is one of its own), so they are grouped by line.
LINE_EDGES_JS = """(el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const lines = new Map();
  for (const r of range.getClientRects()) {
    if (r.width < 1) continue;
    const key = Math.round(r.bottom);
    const [left, right] = lines.get(key) || [Infinity, -Infinity];
    lines.set(key, [Math.min(left, Math.round(r.left)), Math.max(right, Math.round(r.right))]);
  }
  return Array.from(lines.values());
}"""


def test_english_on_arabic_pages_reads_from_a_straight_left_edge(page_at) -> None:
    page = page_at("ar/" + ARTICLE)
    paragraphs = page.locator(".bg-parallel p.bg-en")
    assert paragraphs.count() > 5
    for index in range(3):
        paragraph = paragraphs.nth(index)
        assert paragraph.evaluate("el => getComputedStyle(el).textAlign") == "left"
        box = paragraph.bounding_box()
        lines = paragraph.evaluate(LINE_EDGES_JS)
        # Every line starts at the paragraph's left edge (a ragged left edge did not).
        assert len(lines) > 2 and all(abs(left - box["x"]) <= 2 for left, _right in lines), (lines, box)


def test_an_entity_page_puts_the_english_name_beside_its_term(page_at) -> None:
    page = page_at("ar/entities/ahmed-al-mismari/")
    term = page.locator("dl.bg-meta dt").nth(1).bounding_box()
    english = page.locator('dl.bg-meta dd[lang="en"]')
    text_right = max(right for _left, right in english.evaluate(LINE_EDGES_JS))
    # In a right-to-left row the value sits just left of its term, not at the far left.
    assert 0 <= term["x"] - text_right <= 40, (term, text_right)
    quote = page.locator(".bg-quote-en").first
    assert quote.evaluate("el => [getComputedStyle(el).display, getComputedStyle(el).textAlign]") == [
        "block",
        "left",
    ]


def test_a_summary_is_text_with_one_link_to_the_full_text(page_at) -> None:
    for path in (ARTICLE, "ar/" + ARTICLE, f"articles/{UNTRANSLATED}/"):
        page = page_at(path)
        summary = page.locator(".bg-summary")
        assert summary.locator("li").count() >= 2
        assert summary.locator("li a").count() == 0, "no sentence is a link"
        links = summary.locator("a")
        assert links.count() == 1
        target = links.first.get_attribute("href")
        assert target and target.startswith("#") and page.locator(target).count() == 1, (path, target)
        # It leads to the text the page shows: the English, or the Arabic while it is pending.
        shown = page.locator(target).evaluate("el => el.closest('.bg-translation, .bg-article').className")
        expected = "bg-translation" if path == ARTICLE else "bg-article"
        assert expected in shown, (path, shown)


def test_an_untranslated_summary_on_the_english_home_page_is_the_size_of_the_others(page_at) -> None:
    page = page_at("")
    sizes = page.locator(".bg-list-summary").evaluate_all(
        "els => els.map(el => [el.lang || 'en', getComputedStyle(el).fontSize])"
    )
    arabic = {size for lang, size in sizes if lang == "ar"}
    english = {size for lang, size in sizes if lang == "en"}
    assert arabic and english and arabic == english, sizes


def test_every_list_labels_arabic_shown_for_pending_english(site: Path) -> None:
    for path in ("", "articles/", "campaigns/benghazi-2016/", "entities/ganfouda/"):
        html = page_file(site, path).read_text(encoding="utf-8")
        assert PENDING_LABEL in html, path
        # Arabic pages show Arabic: the English label is for English readers only.
        arabic = page_file(site, "ar/" + path).read_text(encoding="utf-8")
        assert PENDING_LABEL not in arabic, path
    overview = page_file(site, "campaigns/benghazi-2016/").read_text(encoding="utf-8")
    overview = overview[overview.index('<ol class="bg-overview">') :]
    overview = overview[: overview.index("</ol>")]
    pending_entries = [item for item in overview.split("<li>") if 'lang="ar" dir="rtl"' in item]
    assert pending_entries and all(PENDING_LABEL in item for item in pending_entries), pending_entries
