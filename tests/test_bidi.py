"""Bidi controls in metadata cannot reorder a page (issue 11 §5).

A right-to-left override (U+202E) in an article's `source` reversed the date printed after
it on the home and archive lists; one in its title reversed the site name in `<title>`.
briefgen drops the embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069)
from text fields as it reads them, and isolates every value it puts on a page (`<bdi>`, or
an element with `dir`), so that a value's own text cannot reorder its neighbours.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.schema import BIDI_CONTROL_RE
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium, served
from tests.conftest import copy_project

SLUG = "2016-11-20-override"
SOURCE = "Spoof Wire\u202e"
TITLE = "عنوان مزيف\u202e"
TITLE_EN = "A spoofed title\u202e"
# Every control briefgen drops, in a field each.
FIELDS = {
    "title": TITLE,
    "title_en": TITLE_EN,
    "source": SOURCE,
    "source_ar": "وكالة مزيفة\u202d",
    "tags": ["\u202atag-one", "tag\u2066-two\u2067\u2069"],
    "date_note": "Reported\u202b late\u202c",
    "url": "https://example.org/\u202dpage",
}


def yaml_value(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    return '"' + str(value) + '"'


@pytest.fixture(scope="module")
def spoof_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("bidi") / "project")
    front = "".join(f"{name}: {yaml_value(value)}\n" for name, value in FIELDS.items())
    (project / "content" / "articles" / f"{SLUG}.md").write_text(
        f"---\n{front}published: 2016-11-20\n---\n\nقالت مصادر عسكرية إن القوات تقدمت في بنغازي أمس.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["build", "--config", str(project / "site_config.yml")])
    assert result.exit_code == 0, result.output
    return project / "site"


def pages(site: Path) -> list[Path]:
    return [
        site / lang / page
        for lang in ("", "ar")
        for page in ("index.html", "articles/index.html", f"articles/{SLUG}/index.html")
    ]


def test_no_bidi_control_reaches_a_page_or_its_title(spoof_site: Path) -> None:
    for page in pages(spoof_site):
        html = page.read_text(encoding="utf-8")
        assert not BIDI_CONTROL_RE.search(html), page
    english = (spoof_site / "articles" / SLUG / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", english, re.S)
    assert title and title.group(1).strip().endswith("Libya war briefings"), title
    assert "A spoofed title" in title.group(1)
    # The values themselves are kept, less the invisible controls.
    assert "https://example.org/page" in english
    assert "Reported late" in english


def test_the_source_is_isolated_from_the_date_after_it(spoof_site: Path) -> None:
    for page in pages(spoof_site)[:2] + pages(spoof_site)[3:5]:  # home and archive, both languages
        html = page.read_text(encoding="utf-8")
        source = "وكالة مزيفة" if page.is_relative_to(spoof_site / "ar") else "Spoof Wire"
        line = re.search(rf'<span class="bg-muted">([^\n]*?{source}[^\n]*?)</span>', html)
        assert line, page
        # `<bdi>`, or a span with its own `dir`: either isolates the source from the date.
        assert re.match(rf"(<bdi>|<span [^>]*dir=[^>]*>){source}(</bdi>|</span>) · \S", line.group(1)), line


def test_home_and_archive_show_the_date_after_the_source_in_order(spoof_site: Path) -> None:
    """In Chromium: the date's first character is drawn before its last (left of it on an English
    page, right of it on an Arabic one), and after the source."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    measure = """(needle) => {
        const muted = [...document.querySelectorAll('.bg-muted')].find(e => e.textContent.includes(needle));
        const walker = document.createTreeWalker(muted, NodeFilter.SHOW_TEXT);
        const nodes = [];
        while (walker.nextNode()) nodes.push(walker.currentNode);
        const dateNode = nodes.find(n => n.textContent.includes('·'));
        const text = dateNode.textContent;
        const start = text.indexOf('·') + 2, end = text.trimEnd().length - 1;
        const x = (node, i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                                 return r.getBoundingClientRect().left; };
        const source = nodes[0];
        return {first: x(dateNode, start), last: x(dateNode, end),
                source: x(source, 0), dir: getComputedStyle(muted).direction};
    }"""
    with served(spoof_site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for path in ("", "articles/", "ar/", "ar/articles/"):
            page.goto(base + path)
            got = page.evaluate(measure, "وكالة مزيفة" if path.startswith("ar/") else "Spoof Wire")
            if got["dir"] == "ltr":
                assert got["source"] < got["first"] < got["last"], (path, got)
            else:
                assert got["source"] > got["first"] > got["last"], (path, got)
        # The article's own text is not stripped: each sentence is isolated instead.
        page.goto(base + f"articles/{SLUG}/")
        isolation = page.evaluate(
            "[...document.querySelectorAll('.bg-s')].map(e => getComputedStyle(e).unicodeBidi)"
        )
        assert isolation and set(isolation) == {"isolate"}, isolation
        browser.close()
