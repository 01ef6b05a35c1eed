"""A campaign over time as inline SVG: events per week, stacked by type (issue 14 §2).

`strip_layout` does all the geometry and returns it, so tests can check exactly what is
drawn; `strip_svg` writes it out. Weeks are counted from the campaign's first day (its
first week is the offensive's first seven days), each entry in the week of its first date.
Each bar is a link to the chronology at that week's first entry, named for screen readers
("week of 4 April 2019: 5 events: …"); each type has a colour AND a pattern, and the legend
gives each type's count in text, so the strip reads without colour. On right-to-left pages
time runs from right to left. Output is deterministic: every number rounded to one decimal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from briefgen.site.svg import attrs as _attrs
from briefgen.site.svg import number as _n

WIDTH = 720.0
PAD_START = 34.0  # room for the count scale at the start of time's axis
PAD_END = 10.0
MARKER_TOP = 4.0
MARKER_R = 8.0
PLOT_TOP = 30.0
PLOT_HEIGHT = 96.0
AXIS_Y = PLOT_TOP + PLOT_HEIGHT
MONTH_Y = AXIS_Y + 14.0
YEAR_Y = AXIS_Y + 28.0
HEIGHT = YEAR_Y + 8.0
BAR_GAP = 0.2  # of a week's slot, between bars
MIN_LABEL_SPACING = 46.0  # px between month labels
FONT_SIZE = 11.0

# The order segments stack in (bottom first) and the legend lists types: fighting first.
TYPE_ORDER = (
    "capture",
    "armed_clash",
    "shelling",
    "air_strike",
    "explosion",
    "casualties",
    "arrest",
    "mine_clearance",
    "protest",
    "decision",
    "diplomacy",
    "statement",
)
# Okabe–Ito colours (told apart with the common colour-vision deficiencies), each with a
# pattern of its own for readers who do not see the colours at all. The marks are white
# over dark fills and black over light ones.
STYLE: dict[str, tuple[str, str]] = {
    "capture": ("#D55E00", "solid"),
    "armed_clash": ("#E69F00", "diagonal"),
    "shelling": ("#56B4E9", "dots"),
    "air_strike": ("#0072B2", "horizontal"),
    "explosion": ("#CC79A7", "crosshatch"),
    "casualties": ("#444444", "vertical"),
    "arrest": ("#009E73", "backslash"),
    "mine_clearance": ("#F0E442", "dots"),
    "protest": ("#F0E442", "diagonal"),
    "decision": ("#999999", "horizontal"),
    "diplomacy": ("#999999", "dots"),
    "statement": ("#BBBBBB", "solid"),
}
LIGHT_FILLS = frozenset({"#E69F00", "#56B4E9", "#F0E442", "#999999", "#BBBBBB"})


@dataclass(frozen=True)
class StripEntry:
    """One chronology entry as the strip sees it."""

    id: str
    date: dt.date
    type: str


@dataclass(frozen=True)
class KeyDate:
    """A date marked on the strip (the campaign's start, a capture); `href` may be None."""

    date: dt.date
    label: str
    href: str | None = None


@dataclass(frozen=True)
class Week:
    start: dt.date
    counts: tuple[tuple[str, int], ...]  # (type, entries), in TYPE_ORDER
    first_entry: str | None  # the id of the week's first entry, the bar's link target

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)


@dataclass(frozen=True)
class Segment:
    type: str
    count: int
    y: float
    height: float


@dataclass(frozen=True)
class Bar:
    week: Week
    x: float
    width: float
    slot_x: float  # the whole week's slot: the link's hit area
    slot_width: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class MonthTick:
    x: float  # where the month starts
    label_x: float  # the middle of the month's visible part
    month: int
    year: int
    labelled: bool
    year_labelled: bool


@dataclass(frozen=True)
class Marker:
    number: int
    key: KeyDate
    x: float  # the date's position on the axis
    circle_x: float  # the numbered circle, nudged clear of its neighbours


@dataclass(frozen=True)
class StripLayout:
    width: float
    height: float
    rtl: bool
    weeks: tuple[Week, ...]
    bars: tuple[Bar, ...]  # weeks with entries only
    max_count: int
    ticks: tuple[MonthTick, ...]
    markers: tuple[Marker, ...]

    @property
    def plot_start(self) -> float:
        """The left edge of the plot area."""
        return PAD_END if self.rtl else PAD_START

    @property
    def plot_width(self) -> float:
        return self.width - PAD_START - PAD_END


def count_weeks(entries: Sequence[StripEntry], start: dt.date, end: dt.date) -> list[Week]:
    """Entries per week from `start` (its first day) to `end`; entries outside are left out."""
    n_weeks = (end - start).days // 7 + 1
    per_week: list[dict[str, int]] = [{} for _ in range(n_weeks)]
    first: list[tuple[dt.date, str] | None] = [None] * n_weeks
    for entry in entries:
        if not start <= entry.date <= end:
            continue
        i = (entry.date - start).days // 7
        per_week[i][entry.type] = per_week[i].get(entry.type, 0) + 1
        if first[i] is None or (entry.date, entry.id) < first[i]:  # type: ignore[operator]
            first[i] = (entry.date, entry.id)
    rank = {t: i for i, t in enumerate(TYPE_ORDER)}
    return [
        Week(
            start + dt.timedelta(days=7 * i),
            tuple(sorted(counts.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))),
            found[1] if (found := first[i]) else None,
        )
        for i, counts in enumerate(per_week)
    ]


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of each month the range touches (the first one may start before it)."""
    months = []
    day = start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def strip_layout(
    entries: Sequence[StripEntry],
    start: dt.date,
    end: dt.date,
    *,
    rtl: bool,
    key_dates: Sequence[KeyDate] = (),
    width: float = WIDTH,
) -> StripLayout:
    """Everything `strip_svg` draws, in SVG pixels. `end` must not be before `start`."""
    weeks = count_weeks(entries, start, end)
    plot_w = width - PAD_START - PAD_END
    slot = plot_w / len(weeks)
    days = len(weeks) * 7
    left = PAD_END if rtl else PAD_START

    def x_of_day(offset: float) -> float:
        """x of a point `offset` days after `start`: time runs leftwards when `rtl`."""
        fraction = offset / days
        return left + (1 - fraction) * plot_w if rtl else left + fraction * plot_w

    max_count = max((w.total for w in weeks), default=0) or 1
    bars = []
    for i, week in enumerate(weeks):
        if not week.total:
            continue
        slot_x = left + (len(weeks) - 1 - i) * slot if rtl else left + i * slot
        bar_w = max(1.0, slot * (1 - BAR_GAP))
        y = AXIS_Y
        segments = []
        for kind, n in week.counts:
            h = PLOT_HEIGHT * n / max_count
            y -= h
            segments.append(Segment(kind, n, y, h))
        bars.append(Bar(week, slot_x + (slot - bar_w) / 2, bar_w, slot_x, slot, tuple(segments)))

    months = _months(start, end)
    month_px = plot_w * 30.4 / days
    every = max(1, math.ceil(MIN_LABEL_SPACING / month_px))
    last_day = start + dt.timedelta(days=days)
    # Month labels: every `every`-th month, none on a sliver of a month at either end, and
    # of two that would crowd (a part month's label sits off its month's middle) the one
    # with more of its month on the strip.
    spans: list[tuple[float, float, int]] = []  # (tick x, label x, days of the month shown)
    for i, month in enumerate(months):
        following = months[i + 1] if i + 1 < len(months) else last_day
        shown_from, shown_to = max(month, start), min(following, last_day)
        mid = x_of_day(((shown_from - start).days + (shown_to - start).days) / 2)
        spans.append((x_of_day(max(0, (month - start).days)), mid, (shown_to - shown_from).days))
    labelled = [(m.month - 1) % every == 0 and spans[i][2] >= 10 for i, m in enumerate(months)]
    previous: int | None = None
    for i in range(len(months)):
        if not labelled[i]:
            continue
        if previous is not None and abs(spans[i][1] - spans[previous][1]) < MIN_LABEL_SPACING:
            if spans[previous][2] < spans[i][2]:
                labelled[previous] = False
            else:
                labelled[i] = False
                continue
        previous = i
    ticks = []
    named_years: set[int] = set()
    for i, month in enumerate(months):
        # Each year is named under its first labelled month.
        year_labelled = labelled[i] and month.year not in named_years
        if year_labelled:
            named_years.add(month.year)
        ticks.append(MonthTick(spans[i][0], spans[i][1], month.month, month.year, labelled[i], year_labelled))

    # Markers are placed as if time ran left to right, then mirrored for right-to-left.
    keys = sorted(key_dates, key=lambda k: (k.date, k.label))
    ltr_x = [
        width - x_of_day(_day_offset(k.date, start, days))
        if rtl
        else x_of_day(_day_offset(k.date, start, days))
        for k in keys
    ]
    circles = _spread(ltr_x, 2 * MARKER_R + 2, MARKER_R + 1, width - MARKER_R - 1)
    markers = [
        Marker(n, key, width - x if rtl else x, width - c if rtl else c)
        for n, (key, x, c) in enumerate(zip(keys, ltr_x, circles, strict=True), start=1)
    ]
    return StripLayout(width, HEIGHT, rtl, tuple(weeks), tuple(bars), max_count, tuple(ticks), tuple(markers))


def _day_offset(day: dt.date, start: dt.date, days: int) -> float:
    """The middle of `day`, in days from `start`, kept on the strip."""
    return min(max((day - start).days + 0.5, 0.0), float(days))


def _spread(xs: Sequence[float], spacing: float, low: float, high: float) -> list[float]:
    """Positions as near `xs` (ascending) as can be with `spacing` between them, inside
    [low, high]: each pushed past its predecessor, then pulled back from the end."""
    placed: list[float] = []
    for x in xs:
        placed.append(max(x, low, placed[-1] + spacing if placed else low))
    limit = high
    for i in range(len(placed) - 1, -1, -1):
        placed[i] = min(placed[i], limit)
        limit = placed[i] - spacing
    return placed


def pattern_id(kind: str) -> str:
    return "bg-strip-" + kind.replace("_", "-")


def _pattern(kind: str) -> Markup:
    """A 6×6 tile: the type's colour with its marks."""
    colour, style = STYLE.get(kind, ("#777777", "solid"))
    ink = "#000" if colour in LIGHT_FILLS else "#fff"
    marks = {
        "solid": "",
        "diagonal": '<path d="M-1 7L7 -1M-1 1L1 -1M5 7L7 5" stroke="{ink}" stroke-width="1.3"/>',
        "backslash": '<path d="M-1 -1L7 7M5 -1L7 1M-1 5L1 7" stroke="{ink}" stroke-width="1.3"/>',
        "horizontal": '<path d="M0 1.5H6M0 4.5H6" stroke="{ink}" stroke-width="1"/>',
        "vertical": '<path d="M1.5 0V6M4.5 0V6" stroke="{ink}" stroke-width="1"/>',
        "crosshatch": '<path d="M-1 7L7 -1M-1 -1L7 7" stroke="{ink}" stroke-width="1"/>',
        "dots": '<circle cx="1.5" cy="1.5" r="1.1" fill="{ink}"/><circle cx="4.5" cy="4.5" r="1.1" fill="{ink}"/>',
    }[style]
    return Markup(
        '<pattern id="{}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="{}"/>{}</pattern>'
    ).format(pattern_id(kind), colour, Markup(marks.format(ink=ink)))


def swatch(kind: str) -> Markup:
    """A small square in the type's pattern, for a legend outside the strip's SVG (the
    pattern is defined in the strip, on the same page)."""
    return Markup(
        '<svg class="bg-strip-swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">'
        '<rect x="0.5" y="0.5" width="13" height="13" fill="url(#{})" stroke="currentColor" stroke-opacity="0.5"/></svg>'
    ).format(pattern_id(kind))


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def strip_svg(
    layout: StripLayout,
    *,
    lang: str,
    title: str,
    description: str,
    bar_href: Callable[[Week], str | None],
    bar_label: Callable[[Week], str],
    month_label: Callable[[int], str],
    count_label: Callable[[int], str],
) -> Markup:
    """The strip as inline SVG, every text escaped.

    role="group" named by its <title> and described by its <desc>, not "img": the bars are
    links, keyboard stops (axe: nested-interactive). Each bar's link is named by its
    aria-label (and a <title>, shown on hover); axis text is hidden from assistive
    technology, which has the bars' names instead.
    """
    digest = hashlib.sha1(repr((title, lang, layout)).encode(), usedforsecurity=False).hexdigest()[:8]
    base = f"bg-strip-{digest}"
    direction = "rtl" if layout.rtl else "ltr"
    out: list[Markup] = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="bg-strip-svg"{} role="group"{} '
            'font-family="inherit" style="max-width:100%;height:auto"{}>'
        ).format(
            _attrs(
                viewBox=f"0 0 {_n(layout.width)} {_n(layout.height)}",
                width=layout.width,
                height=layout.height,
            ),
            _attrs(aria_labelledby=f"{base}-title", aria_describedby=f"{base}-desc"),
            Markup(' lang="{0}" xml:lang="{0}" direction="{1}"').format(lang, direction),
        ),
        Markup("<title{}>{}</title>").format(_attrs(id=f"{base}-title"), _clean(title)),
        Markup("<desc{}>{}</desc>").format(_attrs(id=f"{base}-desc"), _clean(description)),
    ]
    kinds = sorted({s.type for b in layout.bars for s in b.segments}, key=_type_rank)
    out.append(Markup("<defs>{}</defs>").format(Markup("").join(_pattern(k) for k in kinds)))
    text_style = Markup(' style="font-size:{}px" fill="currentColor"').format(_n(FONT_SIZE))
    plot_left = layout.plot_start
    plot_right = plot_left + layout.plot_width
    # The count scale: a faint line at the busiest week's height, its count at the start edge.
    scale_x = plot_right + 4 if layout.rtl else plot_left - 4
    out.append(
        Markup('<g class="bg-strip-scale" aria-hidden="true">{}{}<text{}{}>{}</text></g>').format(
            Markup("<path{}/>").format(
                _attrs(
                    d=f"M{_n(plot_left)} {_n(PLOT_TOP)}H{_n(plot_right)}",
                    stroke="currentColor",
                    stroke_opacity="0.2",
                    stroke_dasharray="2 3",
                )
            ),
            Markup("<path{}/>").format(
                _attrs(
                    d=f"M{_n(plot_left)} {_n(AXIS_Y)}H{_n(plot_right)}",
                    stroke="currentColor",
                    stroke_opacity="0.6",
                )
            ),
            _attrs(x=scale_x, y=PLOT_TOP + 12, text_anchor="start" if layout.rtl else "end"),
            text_style,
            count_label(layout.max_count),
        )
    )
    ticks: list[Markup] = []
    for tick in layout.ticks:
        ticks.append(
            Markup("<path{}/>").format(_attrs(d=f"M{_n(tick.x)} {_n(AXIS_Y)}v4", stroke="currentColor"))
        )
        if tick.labelled:
            ticks.append(
                Markup("<text{}{}>{}</text>").format(
                    _attrs(x=tick.label_x, y=MONTH_Y, text_anchor="middle"),
                    text_style,
                    month_label(tick.month),
                )
            )
        if tick.year_labelled:
            ticks.append(
                Markup("<text{}{}>{}</text>").format(
                    _attrs(x=tick.label_x, y=YEAR_Y, text_anchor="middle", font_weight="bold"),
                    text_style,
                    str(tick.year),
                )
            )
    out.append(Markup('<g class="bg-strip-axis" aria-hidden="true">{}</g>').format(Markup("").join(ticks)))
    marks: list[Markup] = []
    for marker in layout.markers:
        cy = MARKER_TOP + MARKER_R
        leader = f"M{_n(marker.circle_x)} {_n(cy + MARKER_R)}L{_n(marker.x)} {_n(PLOT_TOP)}V{_n(AXIS_Y)}"
        marks.append(
            Markup('<g class="bg-strip-marker" data-date="{}">{}{}<text{}{}>{}</text></g>').format(
                marker.key.date.isoformat(),
                Markup("<path{}/>").format(
                    _attrs(
                        d=leader, fill="none", stroke="currentColor", stroke_dasharray="3 2", stroke_width="1"
                    )
                ),
                Markup("<circle{}/>").format(
                    _attrs(cx=marker.circle_x, cy=cy, r=MARKER_R, fill="currentColor", fill_opacity="0.85")
                ),
                _attrs(x=marker.circle_x, y=cy + 4, text_anchor="middle", font_weight="bold"),
                Markup(' fill="#fff" style="font-size:{}px;fill:var(--md-default-bg-color,#fff)"').format(
                    _n(FONT_SIZE)
                ),
                str(marker.number),
            )
        )
    # Markers go under the bars' links in the reading order but are only pictures of the
    # key-date list that follows the strip.
    out.append(Markup('<g class="bg-strip-markers" aria-hidden="true">{}</g>').format(Markup("").join(marks)))
    bars: list[Markup] = []
    for bar in layout.bars:
        label = _clean(bar_label(bar.week))
        rects = Markup("").join(
            Markup("<rect{}/>").format(
                _attrs(
                    x=bar.x,
                    y=s.y,
                    width=bar.width,
                    height=s.height,
                    fill=f"url(#{pattern_id(s.type)})",
                    stroke="#fff",
                    stroke_width="0.6",
                    data_type=s.type,
                    data_count=s.count,
                )
            )
            for s in bar.segments
        )
        # The whole week's column is the link's target, not only the (maybe short) bar.
        hit = Markup("<rect{}/>").format(
            _attrs(
                class_="bg-strip-hit",
                x=bar.slot_x,
                y=PLOT_TOP,
                width=bar.slot_width,
                height=PLOT_HEIGHT,
                fill="transparent",
            )
        )
        body = Markup("<title>{}</title>{}{}").format(label, hit, rects)
        href = bar_href(bar.week)
        attrs = _attrs(class_="bg-strip-bar", data_week=bar.week.start.isoformat(), data_count=bar.week.total)
        if href is None:
            bars.append(Markup('<g{} role="img"{}>{}</g>').format(attrs, _attrs(aria_label=label), body))
        else:
            bars.append(
                Markup("<a{}{}>{}</a>").format(attrs, _attrs(href=_clean(href), aria_label=label), body)
            )
    out.append(Markup('<g class="bg-strip-bars">{}</g>').format(Markup("").join(bars)))
    out.append(Markup("</svg>"))
    return Markup("\n").join(out)


def _type_rank(kind: str) -> tuple[int, str]:
    return (TYPE_ORDER.index(kind) if kind in TYPE_ORDER else len(TYPE_ORDER), kind)


def type_totals(layout: StripLayout) -> list[tuple[str, int]]:
    """Each type drawn, with its number of entries, in stacking order: the legend."""
    totals: dict[str, int] = {}
    for week in layout.weeks:
        for kind, n in week.counts:
            totals[kind] = totals.get(kind, 0) + n
    return sorted(totals.items(), key=lambda item: _type_rank(item[0]))
