"""The events-per-week strip (briefgen/site/timeline_strip.py): its geometry, its SVG, and the
strips on the built campaign and chronology pages (issue 14 §2)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from briefgen.site.timeline_strip import (
    AXIS_Y,
    MARKER_R,
    MIN_LABEL_SPACING,
    PAD_END,
    PAD_START,
    PLOT_HEIGHT,
    WIDTH,
    KeyDate,
    StripEntry,
    count_weeks,
    strip_layout,
    strip_svg,
)
from tests.htmlcheck import page_file

SVG = "{http://www.w3.org/2000/svg}"
START = dt.date(2019, 4, 4)  # a Thursday: weeks run Thursday to Wednesday
END = dt.date(2019, 7, 31)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


ENTRIES = [
    StripEntry("a", day(0), "capture"),
    StripEntry("b", day(6), "armed_clash"),
    StripEntry("c", day(6), "capture"),
    StripEntry("d", day(7), "air_strike"),
    StripEntry("e", day(30), "armed_clash"),
    StripEntry("f", day(30), "armed_clash"),
    StripEntry("g", day(30), "armed_clash"),
    StripEntry("h", day(32), "casualties"),
    StripEntry("outside", START - dt.timedelta(days=1), "capture"),
]


def test_weeks_are_counted_from_the_campaign_start() -> None:
    weeks = count_weeks(ENTRIES, START, END)
    assert len(weeks) == (END - START).days // 7 + 1
    assert weeks[0].start == START and weeks[1].start == day(7)
    # Days 0–6 are the first week; stacked in the strip's type order, capture first.
    assert weeks[0].counts == (("capture", 2), ("armed_clash", 1)) and weeks[0].first_entry == "a"
    assert weeks[1].counts == (("air_strike", 1),) and weeks[1].first_entry == "d"
    assert weeks[4].counts == (("armed_clash", 3), ("casualties", 1)) and weeks[4].first_entry == "e"
    assert sum(w.total for w in weeks) == len(ENTRIES) - 1, "the entry before the start is left out"
    assert weeks[2].total == 0 and weeks[2].first_entry is None


def test_bars_run_left_to_right_and_mirror_right_to_left() -> None:
    ltr = strip_layout(ENTRIES, START, END, rtl=False)
    rtl = strip_layout(ENTRIES, START, END, rtl=True)
    assert [b.week.start for b in ltr.bars] == [START, day(7), day(28)], "weeks without entries get no bar"
    xs = [b.x for b in ltr.bars]
    assert xs == sorted(xs) and xs[0] >= PAD_START
    assert [b.x for b in rtl.bars] == sorted((b.x for b in rtl.bars), reverse=True), "time runs leftwards"
    for a, b in zip(ltr.bars, rtl.bars, strict=True):
        assert b.x == pytest.approx(WIDTH - (a.x + a.width)), "the right-to-left strip is the mirror image"
        assert b.segments == a.segments
    assert max(b.x + b.width for b in ltr.bars) <= WIDTH - PAD_END
    # The first week's slot starts at the plot's start edge: the left one, or the right one.
    assert ltr.bars[0].slot_x == pytest.approx(PAD_START)
    assert rtl.bars[0].slot_x + rtl.bars[0].slot_width == pytest.approx(WIDTH - PAD_START)


def test_bar_heights_are_proportional_and_segments_stack_from_the_axis() -> None:
    layout = strip_layout(ENTRIES, START, END, rtl=False)
    assert layout.max_count == 4
    per_event = PLOT_HEIGHT / 4
    for bar in layout.bars:
        bottom = AXIS_Y
        for segment in bar.segments:
            assert segment.height == pytest.approx(per_event * segment.count)
            assert segment.y + segment.height == pytest.approx(bottom), "no gap, no overlap"
            bottom = segment.y
        assert AXIS_Y - bottom == pytest.approx(per_event * bar.week.total)
    tallest = max(layout.bars, key=lambda b: b.week.total)
    assert tallest.segments[-1].y == pytest.approx(AXIS_Y - PLOT_HEIGHT)


def test_key_date_markers_sit_on_their_dates_and_never_overlap() -> None:
    keys = [KeyDate(day(0), "start"), KeyDate(day(1), "one"), KeyDate(day(2), "two"), KeyDate(END, "end")]
    for rtl in (False, True):
        layout = strip_layout(ENTRIES, START, END, rtl=rtl, key_dates=keys)
        assert [m.number for m in layout.markers] == [1, 2, 3, 4]
        assert [m.key.label for m in layout.markers] == ["start", "one", "two", "end"]
        circles = [m.circle_x for m in layout.markers]
        gaps = [abs(b - a) for a, b in itertools.pairwise(circles)]
        assert min(gaps) >= 2 * MARKER_R, circles
        assert all(MARKER_R <= c <= WIDTH - MARKER_R for c in circles), "inside the picture"
        # Each date line is at the middle of its day, counted from the start edge.
        days = len(layout.weeks) * 7
        for marker in layout.markers:
            offset = ((marker.key.date - START).days + 0.5) * layout.plot_width / days
            assert marker.x == pytest.approx(WIDTH - PAD_START - offset if rtl else PAD_START + offset)
        order = circles if not rtl else [-c for c in circles]
        assert order == sorted(order), "markers keep time's order"


def test_month_labels_do_not_crowd() -> None:
    long = strip_layout([], dt.date(2019, 4, 4), dt.date(2020, 6, 5), rtl=False)
    labelled = [t.label_x for t in long.ticks if t.labelled]
    assert len(labelled) >= 6
    assert min(b - a for a, b in itertools.pairwise(labelled)) >= MIN_LABEL_SPACING * 0.9
    years = [t.year for t in long.ticks if t.year_labelled]
    assert years == [2019, 2020]
    # Where a part month's label would crowd a whole month's, the whole month keeps its own.
    by_month = {(t.year, t.month): t for t in long.ticks}
    assert by_month[2019, 5].labelled and not by_month[2019, 4].labelled
    assert not by_month[2020, 6].labelled, "five days of June 2020: too little to name"


def render(rtl: bool = False, title: str = "Events per week: Tripoli") -> str:
    layout = strip_layout(ENTRIES, START, END, rtl=rtl, key_dates=[KeyDate(START, "Start")])
    return str(
        strip_svg(
            layout,
            lang="ar" if rtl else "en",
            title=title,
            description="One bar per week.",
            bar_href=lambda week: f"#{week.first_entry}",
            bar_label=lambda week: f"week of {week.start.isoformat()}: {week.total} events",
            month_label=lambda month: f"m{month}",
            count_label=str,
        )
    )


def test_the_svg_names_each_bar_link_and_is_deterministic() -> None:
    text = render()
    assert text == render(), "the same strip gives the same bytes"
    svg = ET.fromstring(text)
    assert svg.get("role") == "group"
    title_id, desc_id = svg.get("aria-labelledby"), svg.get("aria-describedby")
    assert svg.find(f"{SVG}title").get("id") == title_id and svg.find(f"{SVG}desc").get("id") == desc_id
    links = list(svg.iter(f"{SVG}a"))
    assert [a.get("href") for a in links] == ["#a", "#d", "#e"]
    assert links[0].get("aria-label") == "week of 2019-04-04: 3 events"
    assert all(a.find(f"{SVG}title").text == a.get("aria-label") for a in links)
    # Every type drawn has its pattern: colour is not the only cue.
    patterns = {p.get("id") for p in svg.iter(f"{SVG}pattern")}
    fills = {r.get("fill") for r in svg.iter(f"{SVG}rect") if r.get("data-type")}
    assert {f"url(#{p})" for p in patterns} == fills and len(fills) == 4
    coordinates = re.findall(r' (?:x|y|cx|width|height|d)="([^"]*)"', text)
    assert coordinates and not any(re.search(r"\d\.\d\d", c) for c in coordinates), "rounded to 0.1"
    assert "m4" in text and "m7" in text, "month labels"


def test_the_svg_escapes_its_text() -> None:
    svg = ET.fromstring(render(title='A <b>"bold"</b> & title'))
    assert svg.find(f"{SVG}title").text == 'A <b>"bold"</b> & title'


def test_strips_on_the_built_pages(seed_site: Path) -> None:
    for prefix in ("", "ar/"):
        for campaign in ("benghazi-2016", "tripoli-2019-2020"):
            chronology_html = page_file(seed_site, f"{prefix}chronology/{campaign}/").read_text(
                encoding="utf-8"
            )
            entry_ids = re.findall(r'<details class="bg-chron-entry" data-entry="([^"]+)"', chronology_html)
            for page, base in (
                (f"{prefix}campaigns/{campaign}/", f"../../chronology/{campaign}/"),
                (f"{prefix}chronology/{campaign}/", ""),
            ):
                html = page_file(seed_site, page).read_text(encoding="utf-8")
                figure = html[html.index('<figure class="bg-strip"') :]
                svg_text = figure[figure.index("<svg") : figure.index("</svg>") + len("</svg>")]
                svg = ET.fromstring(svg_text)
                bars = list(svg.iter(f"{SVG}a"))
                # Every entry of the campaign is counted once, in some week.
                assert sum(int(a.get("data-count")) for a in bars) == len(entry_ids) > 0, page
                for a in bars:
                    href = a.get("href")
                    assert href.startswith(base + "#") and href.split("#")[1] in entry_ids, href
                    label = a.get("aria-label")
                    if prefix:
                        assert label.startswith("أسبوع ") and not re.search("[A-Za-z]", label), label
                    else:
                        assert re.match(r"week of \d+ [A-Z][a-z]+ 20\d\d: \d+ events?", label), label
                axis = "".join(svg.find(f"{SVG}g[@class='bg-strip-axis']").itertext())
                assert ("يونيو" in axis or "نوفمبر" in axis) if prefix else ("Jun" in axis or "Nov" in axis)
                assert "</figure>" in figure and "bg-strip-legend" in figure.split("</figure>")[0]
    # The Tripoli strip marks the offensive's start and the June 2020 captures.
    english = page_file(seed_site, "campaigns/tripoli-2019-2020/").read_text(encoding="utf-8")
    keys = english[english.index('<ol class="bg-strip-keys">') :]
    keys = keys[: keys.index("</ol>")]
    assert "4 April 2019</time> — Start of the campaign" in keys
    assert "3 June 2020" in keys and "Tripoli International Airport" in keys
