"""The chronology in a real Chromium (issue 14 §2): its filters operated with the keyboard
alone, in English and in Arabic; every entry listed and readable with JavaScript off; an
entry a link points to opens; the strip's bars lead to their week's first entry.

What the filters should show is worked out from data/chronology.json, the export, not
from the page: the entries of the campaign whose type, places and actors match.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium, served

CAMPAIGN = "tripoli-2019-2020"
PAGE = f"chronology/{CAMPAIGN}/"

# The keys as CDP sends them: Playwright's keyboard goes through the same Input domain, but
# this is the path tests/browser.py already uses for typing Arabic.
KEYS = {
    "Tab": ("Tab", 9),
    "ArrowDown": ("ArrowDown", 40),
    "Enter": ("Enter", 13),
    " ": ("Space", 32),
}

VISIBLE_IDS_JS = """() => [...document.querySelectorAll('.bg-chron-entry')]
  .filter(e => e.offsetParent !== null).map(e => e.dataset.entry)"""


def records(site: Path) -> list[dict[str, Any]]:
    data = json.loads((site / "data" / "chronology.json").read_text(encoding="utf-8"))
    return [r for r in data if r["campaign"] == CAMPAIGN]


def expected(site: Path, type_: str = "", place: str = "", actor: str = "") -> list[str]:
    return [
        r["id"]
        for r in records(site)
        if (not type_ or r["type"] == type_)
        and (not place or place in [p["id"] for p in r["places"]])
        and (not actor or actor in [a["id"] for a in r["actors"]])
    ]


@pytest.fixture(scope="module")
def browser(seed_site: Path) -> Iterator[tuple[Any, str]]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with served(seed_site) as base, sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium, base
        chromium.close()


class Keyboard:
    """Key presses through CDP, and where the focus is."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.cdp = page.context.new_cdp_session(page)

    def press(self, key: str) -> None:
        code, vk = KEYS[key]
        down = {"type": "rawKeyDown", "key": key, "code": code, "windowsVirtualKeyCode": vk}
        if key in ("Enter", " "):
            down = {**down, "type": "keyDown", "text": "\r" if key == "Enter" else " "}
        self.cdp.send("Input.dispatchKeyEvent", down)
        self.cdp.send(
            "Input.dispatchKeyEvent", {"type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": vk}
        )

    def focused(self) -> str:
        return self.page.evaluate("document.activeElement.id || document.activeElement.tagName")

    def tab_to(self, selector: str, limit: int = 120) -> None:
        """Press Tab until the element `selector` has the focus."""
        for _ in range(limit):
            self.press("Tab")
            if self.page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}; the focus is on {self.focused()}")


def check_shown(page: Any, site: Path, want: list[str], lang: str) -> None:
    total = len(records(site))
    status = (
        f"Showing {len(want)} of {total} entries"
        if lang == "en"
        else f"المداخل المعروضة: {len(want)} من {total}"
    )
    # The change event is handled after the key press returns: wait for the announcement.
    page.wait_for_function(
        "text => document.querySelector('[data-bg-filter-status]').textContent === text",
        arg=status,
        timeout=5000,
    )
    assert page.evaluate(VISIBLE_IDS_JS) == want
    # A month heading shows exactly when it has an entry shown.
    months = page.evaluate(
        """() => [...document.querySelectorAll('.bg-chron-rows')].map(rows => {
          let h = rows.previousElementSibling;
          while (h && h.tagName !== 'H3') h = h.previousElementSibling;
          return [rows.dataset.month, h.offsetParent !== null,
                  [...rows.querySelectorAll('.bg-chron-entry')].some(e => e.offsetParent !== null)];
        })"""
    )
    assert months and all(heading == shown for _, heading, shown in months), months


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_filters_work_with_the_keyboard_alone(browser, seed_site: Path, lang: str) -> None:
    chromium, base = browser
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + ("ar/" if lang == "ar" else "") + PAGE)
    keyboard = Keyboard(page)
    everything = expected(seed_site)
    assert len(everything) > 5
    check_shown(page, seed_site, everything, lang)
    # Labelled controls, in the page's language.
    labels = page.locator(".bg-chron-filters label").all_inner_texts()
    assert labels == (["Type", "Place", "Actor"] if lang == "en" else ["النوع", "المكان", "الطرف"])

    # Type: the first choice after "all types" is the commonest type.
    keyboard.tab_to("#bg-filter-type")
    keyboard.press("ArrowDown")
    type_ = page.input_value("#bg-filter-type")
    assert type_ and expected(seed_site, type_) != everything
    check_shown(page, seed_site, expected(seed_site, type_), lang)

    # Place, with the type still chosen: the two narrow together.
    keyboard.tab_to("#bg-filter-place")
    keyboard.press("ArrowDown")
    keyboard.press("ArrowDown")
    place = page.input_value("#bg-filter-place")
    assert place
    check_shown(page, seed_site, expected(seed_site, type_, place), lang)

    # Actor alone: clear the others first, with the reset button and the Space bar.
    keyboard.tab_to("button.bg-chron-clear")
    keyboard.press(" ")
    page.wait_for_function("document.querySelector('#bg-filter-type').value === ''")
    check_shown(page, seed_site, everything, lang)
    keyboard.tab_to("#bg-filter-actor")
    keyboard.press("ArrowDown")
    actor = page.input_value("#bg-filter-actor")
    assert actor
    shown = expected(seed_site, actor=actor)
    assert 0 < len(shown) < len(everything)
    check_shown(page, seed_site, shown, lang)

    # The first entry shown opens with Enter, and its sentence is there to read.
    first = shown[0]
    keyboard.tab_to(f"[data-entry='{first}'] > summary")
    keyboard.press("Enter")
    assert page.evaluate("id => document.getElementById(id).closest('details').open", first)
    sentence = page.locator(f"[id='{first}'] .bg-event-text p[lang='{lang}']")
    assert sentence.is_visible() and len(sentence.inner_text()) > 20
    assert errors == []
    page.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_entry_is_listed_and_readable_without_javascript(browser, seed_site: Path, lang: str) -> None:
    chromium, base = browser
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + ("ar/" if lang == "ar" else "") + PAGE)
    assert page.evaluate("typeof window.document$") == "undefined", "no script ran"
    # The filters do nothing without the script, so they are not shown; the entries all are.
    assert not page.locator("form[data-bg-filters]").is_visible()
    want = expected(seed_site)
    assert [d.get_attribute("data-entry") for d in page.locator(".bg-chron-entry").all()] == want
    by_id = {r["id"]: r for r in records(seed_site)}
    for entry_id in want:
        entry = page.locator(f"[data-entry='{entry_id}']")
        summary = entry.locator("summary")
        assert summary.is_visible() and summary.locator("time").inner_text()
        # A native <details>: it opens without a script, and shows the whole sentence.
        summary.click()
        assert entry.evaluate("e => e.open")
        record = by_id[entry_id]
        arabic = entry.locator(".bg-event-text p[lang='ar']")
        assert arabic.is_visible() and arabic.inner_text() == " ".join(record["text_ar"].split())
        if record["text_en"]:
            assert entry.locator(".bg-event-text p[lang='en']").inner_text() == " ".join(
                record["text_en"].split()
            )
        assert entry.locator(".bg-sources a").first.is_visible()
    context.close()


def test_a_link_to_an_entry_opens_it_without_javascript(browser, seed_site: Path) -> None:
    chromium, base = browser
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    target = expected(seed_site, "capture")[-1]
    page.goto(base + PAGE + "#" + target)
    assert page.evaluate("id => document.getElementById(id).closest('details').open", target)
    assert page.locator(f"[id='{target}'] .bg-event-text p[lang='en']").is_visible()
    context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_strip_bar_leads_to_its_weeks_first_entry(browser, seed_site: Path, lang: str) -> None:
    chromium, base = browser
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    prefix = "ar/" if lang == "ar" else ""
    page.goto(base + prefix + f"campaigns/{CAMPAIGN}/")
    keyboard = Keyboard(page)
    keyboard.tab_to("figure.bg-strip a.bg-strip-bar")
    week = page.evaluate("document.activeElement.dataset.week")
    keyboard.press("Enter")
    page.wait_for_url(f"**/{prefix}{PAGE}#*")
    target = page.url.split("#")[1]
    assert page.evaluate("id => document.getElementById(id).closest('details').open", target)
    # The week's first entry, by the export's dates: the campaign's first week starts with it.
    first_in_week = next(r["id"] for r in records(seed_site) if r["date_start"] >= week)
    assert target == first_in_week
    # In Arabic, time runs right to left: the first week's bar is the rightmost.
    bars = page.goto(base + prefix + f"campaigns/{CAMPAIGN}/") and page.evaluate(
        """() => [...document.querySelectorAll('a.bg-strip-bar')].map(a => [a.dataset.week,
           a.getBoundingClientRect().x])"""
    )
    xs = [x for _, x in sorted(bars)]
    assert xs == (sorted(xs, reverse=True) if lang == "ar" else sorted(xs))
    page.close()
