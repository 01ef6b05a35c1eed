"""Campaign maps drawn as inline SVG at build time: no tile server, no script, no font.

`campaign_map_svg` draws the places of a campaign on an equirectangular projection fitted
to them, with labelled markers, a scale bar, a north arrow and a light graticule. There is
no coastline or basemap: the site loads nothing external and the project ships no shape
data, so the map shows where places lie relative to each other, and the page lists them.

`map_layout` does all the geometry (projection, marker sizes, label placement, scale bar)
and returns it, so tests can check exactly what is drawn. Output is deterministic: the same
points give a byte-identical SVG, every number rounded to one decimal.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180  # along a meridian, on the same sphere as haversine

# The smallest area a map shows, in degrees of latitude (~17 km): a cluster of Benghazi
# districts, or a single place, is not zoomed in until 10 m fill the map.
MIN_SPAN_DEG = 0.15

FONT_SIZE = 12.0
SMALL_FONT_SIZE = 11.0
LABEL_HEIGHT = 1.3 * FONT_SIZE
LABEL_GAP = 3.0  # between a marker's edge and its label
HALO = 1.5  # the label's halo stroke sticks out this far on each side
EDGE = 4.0  # labels keep this far inside the frame

MIN_RADIUS = 4.0
MAX_RADIUS = 18.0

# Room around the points' bounding box: labels may go left or right of the outermost
# markers, and the bottom band keeps markers clear of the scale bar.
PAD_X = 36.0
PAD_TOP = 30.0
PAD_BOTTOM = 44.0

SCALE_TARGET = 0.22  # the scale bar is at most this fraction of the map's width
SCALE_MARGIN = 14.0
SCALE_BAR_HEIGHT = 4.0
GRATICULE_STEPS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)
GRATICULE_MAX_LINES = 6  # per axis, at most

MARKER_FILL = "#c62828"  # a red that reads on material's light and slate backgrounds
KM = {"en": "km", "ar": "كم"}
NORTH = {"en": "N", "ar": "ش"}  # ش: شمال
APPROXIMATE = {"en": "approximate location", "ar": "موقع تقريبي"}

# Characters XML 1.0 forbids (C0 controls other than tab/newline/CR, lone surrogates,
# U+FFFE/FFFF): a stray one in the YAML would make the whole page's SVG ill-formed.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class MapPoint:
    """One place on a map. `label` is in the page's language; `href` is relative or None."""

    place_id: str
    label: str
    lat: float
    lon: float
    href: str | None
    weight: int = 1  # e.g. how many events or articles are there: drawn as marker size
    approximate: bool = False


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in SVG pixels (y grows downwards)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        # Touching edges do not count: labels may sit flush against each other.
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def hits_circle(self, x: float, y: float, r: float) -> bool:
        # The box's nearest point to the centre lies strictly inside the circle.
        nearest_x = min(max(x, self.x0), self.x1)
        nearest_y = min(max(y, self.y0), self.y1)
        return math.hypot(nearest_x - x, nearest_y - y) < r

    def inside(self, other: Box) -> bool:
        return other.x0 <= self.x0 and self.x1 <= other.x1 and other.y0 <= self.y0 and self.y1 <= other.y1


@dataclass(frozen=True)
class Projection:
    """Equirectangular, x scaled by cos(lat0) so distances are true at latitude lat0."""

    lat0: float  # the standard parallel: the points' mean latitude
    lat_c: float  # the geographic point drawn at (x_c, y_c)
    lon_c: float
    x_c: float
    y_c: float
    scale: float  # pixels per degree of latitude

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        x = self.x_c + (lon - self.lon_c) * math.cos(math.radians(self.lat0)) * self.scale
        y = self.y_c - (lat - self.lat_c) * self.scale
        return x, y

    def unproject(self, x: float, y: float) -> tuple[float, float]:
        lat = self.lat_c - (y - self.y_c) / self.scale
        lon = self.lon_c + (x - self.x_c) / (math.cos(math.radians(self.lat0)) * self.scale)
        return lat, lon

    @property
    def px_per_km(self) -> float:
        # The same both ways at lat0; north-south everywhere.
        return self.scale / KM_PER_DEGREE


@dataclass(frozen=True)
class Label:
    """A label placed beside its marker: the box it is assumed to fill, and how to draw it."""

    box: Box
    side: str  # right, left, above, below, above-right…
    x: float  # the text's anchor point and baseline
    y: float
    anchor: str  # text-anchor, already allowing for the text direction


@dataclass(frozen=True)
class Marker:
    point: MapPoint
    label_text: str  # the label as drawn: cleaned of characters XML cannot hold
    x: float
    y: float
    r: float
    label: Label | None  # None: no free room beside the marker; its <title> still names it

    @property
    def box(self) -> Box:
        return Box(self.x - self.r, self.y - self.r, self.x + self.r, self.y + self.r)


@dataclass(frozen=True)
class ScaleBar:
    km: float
    text: str  # e.g. "10 km", "10 كم"
    x: float  # left end of the bar
    y: float  # top of the bar
    length: float  # pixels
    box: Box  # bar and its text: labels keep out of it


@dataclass(frozen=True)
class MapLayout:
    width: int
    height: int
    lang: str
    projection: Projection
    markers: tuple[Marker, ...]  # in the order of the points given
    scale_bar: ScaleBar
    north: Box  # the north arrow and its letter
    meridians: tuple[float, ...]  # graticule: x of each line of longitude drawn
    parallels: tuple[float, ...]  # y of each line of latitude drawn


# --- Geometry -------------------------------------------------------------------------------


def marker_radius(weight: int) -> float:
    """Proportional symbols: area grows with the weight, capped so one place cannot hide a city."""
    return min(MIN_RADIUS * math.sqrt(max(1, weight)), MAX_RADIUS)


def label_width(text: str, font_size: float = FONT_SIZE) -> float:
    """The width a label is assumed to take, from its characters (no font metrics at build time).

    Fitted to the names in content/gazetteer.yml as Chromium draws them in DejaVu, Noto
    Sans and Noto Naskh Arabic, then made a little generous: an overestimate only leaves
    a gap, an underestimate lets labels overlap.
    """
    ems = 0.0
    in_arabic_word = False
    for ch in text:
        arabic = _is_arabic(ch)
        if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf":
            continue  # harakat, joiners and direction marks take no room of their own
        if ch.isspace():
            ems += 0.32
        elif arabic:
            # Joined letters are narrow inside a word; a word's initial and final forms,
            # and the letters with teeth or a loop (س ص ط…), are wide.
            ems += 0.98 if ch in _WIDE_ARABIC else 0.38
            if not in_arabic_word:
                ems += 0.55
        elif unicodedata.east_asian_width(ch) in "WF":
            ems += 1.05
        elif ch in _NARROW:
            ems += 0.3
        elif ch in _SEMI_NARROW:
            ems += 0.4
        elif ch in "mwMW":
            ems += 0.84
        elif ch.isupper() or ch in "@%&":
            ems += 0.74
        else:
            ems += 0.57
        in_arabic_word = arabic
    return ems * font_size + 2 * HALO + 2


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff"


_WIDE_ARABIC = frozenset("سشصضطظ")
_NARROW = frozenset("ijlI.,:;'’!|()[]")
_SEMI_NARROW = frozenset("tfr-")


def clean_text(text: str) -> str:
    """Label text fit for XML: forbidden characters dropped, runs of whitespace made one space."""
    return _SPACES.sub(" ", _NOT_XML.sub("", text)).strip()


def fit_projection(points: Sequence[MapPoint], frame: Box) -> Projection:
    """The projection that fits the points into `frame`, at least MIN_SPAN_DEG across."""
    lat0 = math.fsum(p.lat for p in points) / len(points)
    k = math.cos(math.radians(lat0))
    south, north = min(p.lat for p in points), max(p.lat for p in points)
    west, east = min(p.lon for p in points), max(p.lon for p in points)
    span_x = max((east - west) * k, MIN_SPAN_DEG)
    span_y = max(north - south, MIN_SPAN_DEG)
    scale = min((frame.x1 - frame.x0) / span_x, (frame.y1 - frame.y0) / span_y)
    return Projection(
        lat0=lat0,
        lat_c=(south + north) / 2,
        lon_c=(west + east) / 2,
        x_c=(frame.x0 + frame.x1) / 2,
        y_c=(frame.y0 + frame.y1) / 2,
        scale=scale,
    )


def _nice_km(max_km: float) -> float:
    """The largest of 1, 2, 5 × 10ⁿ km not above max_km (the smallest one if none is)."""
    best = 0.01
    for exponent in range(-2, 6):
        for mantissa in (1, 2, 5):
            km = mantissa * 10.0**exponent
            if km <= max_km:
                best = km
    return best


def _format_km(km: float) -> str:
    return f"{km:.0f}" if km >= 1 else f"{km:g}"


def _scale_bar(projection: Projection, width: int, height: int, lang: str) -> ScaleBar:
    km = _nice_km(SCALE_TARGET * width / projection.px_per_km)
    length = km * projection.px_per_km
    text = f"{_format_km(km)} {KM.get(lang, KM['en'])}"
    y = height - SCALE_MARGIN - SCALE_BAR_HEIGHT
    # Bottom-left in English, bottom-right in Arabic: where the eye ends a line of text.
    x = width - SCALE_MARGIN - length if lang == "ar" else SCALE_MARGIN
    text_w = label_width(text, SMALL_FONT_SIZE)
    mid = x + length / 2
    box = Box(
        min(x, mid - text_w / 2) - 2,
        y - SMALL_FONT_SIZE * 1.4 - 2,
        max(x + length, mid + text_w / 2) + 2,
        y + SCALE_BAR_HEIGHT + 2,
    )
    return ScaleBar(km=km, text=text, x=x, y=y, length=length, box=box)


def _north_box(width: int, lang: str) -> Box:
    # Top corner opposite the reading start: top-right in English, top-left in Arabic.
    x = SCALE_MARGIN if lang == "ar" else width - SCALE_MARGIN - 14
    return Box(x, 8, x + 14, 8 + 32)


def _graticule(
    projection: Projection, width: int, height: int
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    lat_top, lon_left = projection.unproject(0, 0)
    lat_bottom, lon_right = projection.unproject(width, height)
    span = max(lat_top - lat_bottom, lon_right - lon_left)
    step = next((s for s in GRATICULE_STEPS if span / s <= GRATICULE_MAX_LINES), GRATICULE_STEPS[-1])
    # Whole multiples of the step, counted in integers so 0.1 steps do not drift.
    meridians = tuple(
        projection.project(projection.lat0, i * step)[0]
        for i in range(math.ceil(lon_left / step), math.floor(lon_right / step) + 1)
    )
    parallels = tuple(
        projection.project(i * step, projection.lon_c)[1]
        for i in range(math.ceil(lat_bottom / step), math.floor(lat_top / step) + 1)
    )
    return meridians, parallels


# Where a label may go, in order of preference. English labels prefer the right of the
# marker, Arabic ones the left (each reads away from the marker).
_SIDES = {
    "en": ("right", "left", "above", "below", "above-right", "below-right", "above-left", "below-left"),
    "ar": ("left", "right", "above", "below", "above-left", "below-left", "above-right", "below-right"),
}


def _candidate(marker_x: float, marker_y: float, r: float, w: float, side: str, rtl: bool) -> Label:
    h = LABEL_HEIGHT
    gap = r + LABEL_GAP
    diagonal = gap * 0.7  # on the circle's diagonal, not its bounding square's corner
    if side in ("right", "left"):
        y0 = marker_y - h / 2
    elif side == "above":
        # At least half a line off, so above and below clear the left and right slots
        # (two places at one point can then have four labels).
        y0 = marker_y - max(gap, h / 2) - h
    elif side == "below":
        y0 = marker_y + max(gap, h / 2)
    elif side.startswith("above"):
        y0 = marker_y - diagonal - h
    else:
        y0 = marker_y + diagonal
    if side == "right":
        x0 = marker_x + gap
    elif side == "left":
        x0 = marker_x - gap - w
    elif side in ("above", "below"):
        x0 = marker_x - w / 2
    elif side.endswith("right"):
        x0 = marker_x + diagonal
    else:
        x0 = marker_x - diagonal - w
    box = Box(x0, y0, x0 + w, y0 + h)
    baseline = y0 + (h - FONT_SIZE) / 2 + 0.8 * FONT_SIZE  # alphabetic baseline, roughly centred
    # Anchor the text at the edge nearest the marker, so an error in the width estimate
    # only moves the far end. text-anchor follows the text's direction: in RTL, "start"
    # is the right-hand end.
    if side in ("above", "below"):
        return Label(box, side, x0 + w / 2, baseline, "middle")
    if side.endswith("right"):  # the box's left edge is nearest
        return Label(box, side, x0 + HALO, baseline, "end" if rtl else "start")
    return Label(box, side, x0 + w - HALO, baseline, "start" if rtl else "end")


def _place_labels(
    markers: Sequence[tuple[MapPoint, str, float, float, float]],
    frame: Box,
    fixed: Sequence[Box],
    lang: str,
) -> list[Label | None]:
    """Greedy placement, heaviest places first: the first side that collides with nothing.

    Nothing is other labels, other markers, the scale bar, the north arrow and the frame's
    edge. A label that fits nowhere is left out rather than drawn over a marker or another
    label: its marker's <title> still names it, and the page lists every place.
    """
    rtl = lang == "ar"
    sides = _SIDES["ar" if rtl else "en"]
    placed: list[Box] = list(fixed)
    labels: list[Label | None] = [None] * len(markers)
    order = sorted(range(len(markers)), key=lambda i: (-markers[i][0].weight, i))
    for i in order:
        _, text, x, y, r = markers[i]
        if not text:
            continue
        w = label_width(text)
        # A small marker drawn on a bigger one (Sabri on Benghazi: same coordinates) puts
        # its label clear of the bigger one's edge, not inside it.
        under = [(xj, yj, rj) for j, (_, _, xj, yj, rj) in enumerate(markers) if j != i]
        reach = max(
            [r] + [rj + math.hypot(xj - x, yj - y) for xj, yj, rj in under if math.hypot(xj - x, yj - y) < rj]
        )
        for side in sides:
            c = _candidate(x, y, reach, w, side, rtl)
            if (
                c.box.inside(frame)
                and not any(c.box.overlaps(b) for b in placed)
                and not any(c.box.hits_circle(xj, yj, rj) for xj, yj, rj in under)
            ):
                labels[i] = c
                placed.append(c.box)
                break
    return labels


def map_layout(points: Sequence[MapPoint], *, lang: str, width: int = 720, height: int = 480) -> MapLayout:
    """Everything `campaign_map_svg` draws, in SVG pixels. `points` must not be empty."""
    if not points:
        raise ValueError("a map needs at least one point")
    for p in points:
        if not (math.isfinite(p.lat) and math.isfinite(p.lon) and -90 <= p.lat <= 90):
            raise ValueError(f"{p.place_id!r} has impossible coordinates ({p.lat}, {p.lon})")
    radii = [marker_radius(p.weight) for p in points]
    r_max = max(radii)
    frame = Box(PAD_X + r_max, PAD_TOP + r_max, width - PAD_X - r_max, height - PAD_BOTTOM - r_max)
    if frame.x1 - frame.x0 < 1 or frame.y1 - frame.y0 < 1:
        raise ValueError(f"a {width}×{height} map is too small to draw")
    projection = fit_projection(points, frame)
    drawn = []
    for p, r in zip(points, radii, strict=True):
        x, y = projection.project(p.lat, p.lon)
        drawn.append((p, clean_text(p.label) or clean_text(p.place_id), x, y, r))
    scale_bar = _scale_bar(projection, width, height, lang)
    north = _north_box(width, lang)
    labels = _place_labels(drawn, Box(EDGE, EDGE, width - EDGE, height - EDGE), (scale_bar.box, north), lang)
    meridians, parallels = _graticule(projection, width, height)
    return MapLayout(
        width=width,
        height=height,
        lang=lang,
        projection=projection,
        markers=tuple(
            Marker(p, text, x, y, r, label) for (p, text, x, y, r), label in zip(drawn, labels, strict=True)
        ),
        scale_bar=scale_bar,
        north=north,
        meridians=meridians,
        parallels=parallels,
    )


# --- SVG ------------------------------------------------------------------------------------


def _n(value: float) -> str:
    """A coordinate rounded to one decimal, without a trailing .0 or a negative zero."""
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def _attrs(**attrs: str | float | None) -> Markup:
    """` name="value"` pairs, escaped; numbers rounded; None left out; `_` in names → `-`."""
    parts = []
    for name, value in attrs.items():
        if value is None:
            continue
        shown = _n(value) if isinstance(value, float | int) and not isinstance(value, bool) else value
        parts.append(Markup(' {}="{}"').format(Markup(name.rstrip("_").replace("_", "-")), shown))
    return Markup("").join(parts)


def _text_attrs(lang: str, font_size: float = FONT_SIZE) -> Markup:
    """Language, direction and size of a <text>.

    The size goes in `style`, not an attribute: it is geometry (labels were placed for
    it), and a page rule such as `[lang="ar"] { font-size: 1.08em }` outranks an attribute.
    """
    direction = "rtl" if lang == "ar" else "ltr"
    return Markup(' lang="{0}" xml:lang="{0}" direction="{1}" style="font-size:{2}px"').format(
        lang, direction, _n(font_size)
    )


def _map_id(title: str, description: str, lang: str, points: Iterable[MapPoint]) -> str:
    # Readable from the title, unique from a hash of everything drawn: two maps on one
    # page must not share <title> ids.
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40].strip("-")
    digest = hashlib.sha1(repr((title, description, lang, tuple(points))).encode(), usedforsecurity=False)
    return "-".join(filter(None, ("bg-map", slug, digest.hexdigest()[:8])))


def _marker_svg(marker: Marker, lang: str) -> Markup:
    p = marker.point
    title = marker.label_text
    if p.approximate:
        title = f"{title} ({APPROXIMATE.get(lang, APPROXIMATE['en'])})"
    # An approximate place is an area, not a pin: a dashed ring with a faint fill.
    style = (
        {"fill_opacity": "0.18", "stroke": MARKER_FILL, "stroke_width": "1.5", "stroke_dasharray": "3 2"}
        if p.approximate
        else {"fill_opacity": "0.85", "stroke": "#fff", "stroke_width": "1.2"}
    )
    shape = Markup("<circle{}/>").format(
        _attrs(cx=marker.x, cy=marker.y, r=marker.r, fill=MARKER_FILL, **style)
    )
    classes = "bg-map-marker bg-map-approximate" if p.approximate else "bg-map-marker"
    body = Markup("<g{}><title>{}</title>{}</g>").format(
        _attrs(class_=classes, data_place=clean_text(p.place_id)), title, shape
    )
    if p.href is None:
        return body
    return Markup("<a{}>{}</a>").format(_attrs(href=clean_text(p.href)), body)


def _label_svg(marker: Marker, lang: str) -> Markup:
    label = marker.label
    assert label is not None
    text = Markup("<text{}{}>{}</text>").format(
        _attrs(class_="bg-map-label", x=label.x, y=label.y, text_anchor=label.anchor),
        _text_attrs(lang),
        marker.label_text,
    )
    if marker.point.href is None:
        return text
    # The marker's link is the one keyboard users reach; this one is for the mouse.
    return Markup('<a{} tabindex="-1">{}</a>').format(_attrs(href=clean_text(marker.point.href)), text)


def _scale_svg(bar: ScaleBar, lang: str) -> Markup:
    return Markup(
        '<g class="bg-map-scale" aria-hidden="true" fill="currentColor"><rect{}/><text{}{}>{}</text></g>'
    ).format(
        _attrs(
            class_="bg-map-scale-bar",
            x=bar.x,
            y=bar.y,
            width=bar.length,
            height=SCALE_BAR_HEIGHT,
            data_km=_format_km(bar.km),
        ),
        _attrs(x=bar.x + bar.length / 2, y=bar.y - 4, text_anchor="middle"),
        _text_attrs(lang, SMALL_FONT_SIZE),
        bar.text,
    )


def _north_svg(box: Box, lang: str) -> Markup:
    mid = (box.x0 + box.x1) / 2
    arrow = f"M{_n(mid)} {_n(box.y0 + 14)}l-5 12l5 -4l5 4z"
    return Markup(
        '<g class="bg-map-north" aria-hidden="true" fill="currentColor" fill-opacity="0.7">'
        "<text{}{}>{}</text><path{}/></g>"
    ).format(
        _attrs(x=mid, y=box.y0 + 11, text_anchor="middle", font_weight="bold"),
        _text_attrs(lang, SMALL_FONT_SIZE),
        NORTH.get(lang, NORTH["en"]),
        _attrs(d=arrow),
    )


def campaign_map_svg(
    points: Sequence[MapPoint],
    *,
    lang: str,
    title: str,
    description: str,
    width: int = 720,
    height: int = 480,
) -> Markup:
    """An inline SVG map of `points` (empty Markup when there are none), every text escaped.

    The SVG is role="group", named by its <title> and described by its <desc>: not "img",
    whose children are presentational, since the marker links inside are keyboard stops
    (axe: nested-interactive). Each marker carries a <title> with its place's label, which
    names its link for screen readers and shows on hover; labels, scale and north arrow are
    hidden from assistive technology. The page should list the places as well.
    """
    if not points:
        return Markup("")
    layout = map_layout(points, lang=lang, width=width, height=height)
    base = _map_id(title, description, lang, points)
    title_id, desc_id = f"{base}-title", f"{base}-desc"
    out: list[Markup] = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="bg-map"{} role="group"{}{} '
            'font-family="inherit" style="max-width:100%;height:auto">'
        ).format(
            _attrs(viewBox=f"0 0 {width} {height}", width=width, height=height),
            _attrs(aria_labelledby=title_id, aria_describedby=desc_id),
            Markup(' lang="{0}" xml:lang="{0}" direction="{1}"').format(
                lang, "rtl" if lang == "ar" else "ltr"
            ),
        ),
        Markup("<title{}>{}</title>").format(_attrs(id=title_id), clean_text(title)),
        Markup("<desc{}>{}</desc>").format(_attrs(id=desc_id), clean_text(description)),
        # A faint tint of the text colour reads as "map area" in light and dark themes alike.
        Markup(
            '<rect class="bg-map-bg"{} fill="currentColor" fill-opacity="0.04" '
            'stroke="currentColor" stroke-opacity="0.25"/>'
        ).format(_attrs(x=0.5, y=0.5, width=width - 1, height=height - 1)),
    ]
    lines = [f"M{_n(x)} 0V{height}" for x in layout.meridians]
    lines += [f"M0 {_n(y)}H{width}" for y in layout.parallels]
    if lines:
        out.append(
            Markup(
                '<path class="bg-map-graticule"{} fill="none" stroke="currentColor" '
                'stroke-opacity="0.12" stroke-width="1"/>'
            ).format(_attrs(d="".join(lines)))
        )
    # Big markers first, so smaller ones stay on top and clickable.
    by_size = sorted(range(len(layout.markers)), key=lambda i: (-layout.markers[i].r, i))
    out.append(Markup('<g class="bg-map-markers">'))
    out += [_marker_svg(layout.markers[i], lang) for i in by_size]
    out.append(Markup("</g>"))
    # Labels above every marker; a halo in the page background colour keeps them legible
    # over graticule lines. var() only works in style, so the attribute is the fallback.
    out.append(
        Markup(
            '<g class="bg-map-labels" aria-hidden="true" fill="currentColor" stroke="#fff" '
            'stroke-width="3" stroke-linejoin="round" stroke-opacity="0.85" paint-order="stroke" '
            'style="stroke:var(--md-default-bg-color,#fff)">'
        )
    )
    out += [_label_svg(m, lang) for m in layout.markers if m.label is not None]
    out.append(Markup("</g>"))
    out.append(_scale_svg(layout.scale_bar, lang))
    out.append(_north_svg(layout.north, lang))
    out.append(Markup("</svg>"))
    return Markup("\n").join(out)
