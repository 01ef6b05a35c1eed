"""Campaign maps drawn as inline SVG at build time: no tile server, no script, no font.

`campaign_map_svg` draws the places of a campaign on an equirectangular projection fitted
to them, over a basemap of sea, land, coast and borders (Natural Earth 1:10m, public domain,
clipped and simplified once by scripts/make_basemap.py into basemap/libya.json). It adds a
graticule labelled in degrees, a scale bar, a north arrow, an inset locating the map within
Libya, and a legend for marker sizes and approximate places. Markers are sized by weight
(the number of events); labels never overlap each other or a marker, and where markers crowd
a label stands off with a leader line to its dot.

`map_layout` does all the geometry (projection, basemap in pixels, marker sizes, label
placement, ticks, inset, legend) and returns it, so tests can check exactly what is drawn.
Output is deterministic: the same points give a byte-identical SVG, every number rounded to
one decimal.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from markupsafe import Markup

from briefgen.site.svg import attrs as _attrs
from briefgen.site.svg import number as _n

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

MARKER_FILL = "#c62828"  # a red that reads on sea and land alike
SEA_FILL = "#d4e6f3"
LAND_FILL = "#f6f2e8"
NEIGHBOUR_FILL = "#e2ddd2"  # in the inset, the land around Libya
COAST_STROKE = "#7f9bb0"
BORDER_STROKE = "#6d6d6d"
TEXT_FILL = "#1f1f1f"  # the basemap is light in every theme, so its text is dark in every theme
HALO_FILL = "#fff"
KM = {"en": "km", "ar": "كم"}
NORTH = {"en": "N", "ar": "ش"}  # ش: شمال
APPROXIMATE = {"en": "approximate location", "ar": "موقع تقريبي"}
LIBYA_NAME = {"en": "Libya", "ar": "ليبيا"}
# Degrees on the graticule: 32.9°N, 13.2°E; in Arabic ش (شمالاً) and ق (شرقاً), after the number.
HEMISPHERES = {"en": ("N", "S", "E", "W"), "ar": ("ش", "ج", "ق", "غ")}

# Leader lines: where a label goes when no slot beside its marker is free, or when its marker
# crowds another (a label beside overlapping dots cannot be told to belong to one of them).
LEADER_DISTANCES = (14.0, 24.0, 36.0, 50.0, 66.0, 84.0, 104.0, 126.0, 150.0)
# Degrees, y down: the reading direction first, then steeper, then the other side.
LEADER_ANGLES = (
    0,
    -30,
    30,
    -15,
    15,
    -45,
    45,
    -60,
    60,
    180,
    -150,
    150,
    165,
    -165,
    -135,
    135,
    -120,
    120,
    -75,
    75,
    -105,
    105,
    -90,
    90,
)
REPAIR_TRIES = 24  # label moves tried, per map, to make room for a label that found none
REPAIR_REACH = 120.0
SHORTEN_TRIES = 60  # re-placements tried, per map, to shorten long leaders
LONG_LEADER = 60.0  # px: a leader longer than this is worth trying to shorten  # px: a label further from a marker than this does not wall it in
AMBIGUITY = 4.0  # px: a label beside its marker is at least this much nearer to it than to any other
LEADER_CLEARANCE = 6.0  # px between a label that stands off and any other marker
CROWDED = 3.0  # markers whose circles come closer than this (px) are told apart by leaders

INSET_WIDTH = 124.0
INSET_MARGIN = 8.0
LEGEND_BAND = 34.0  # the band under the map that holds the legend

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
    side: str  # right, left, above, below, above-right…, or leader
    x: float  # the text's anchor point and baseline
    y: float
    anchor: str  # text-anchor, already allowing for the text direction
    # From the label's edge to its marker's centre, when it stands off: (x0, y0, x1, y1).
    leader: tuple[float, float, float, float] | None = None


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
class Tick:
    """A graticule line's label on the map's edge: 13.2°E, 32.9°N."""

    text: str
    x: float
    y: float
    anchor: str
    box: Box


@dataclass(frozen=True)
class Inset:
    """Libya in a corner, with the main map's extent as a rectangle."""

    box: Box
    land: tuple[tuple[tuple[float, float], ...], ...]  # the neighbours' land, rings in SVG pixels
    libya: tuple[tuple[tuple[float, float], ...], ...]
    extent: Box  # the main map's extent, in the inset's pixels (at least a few px across)
    name: str
    name_x: float
    name_y: float


@dataclass(frozen=True)
class LegendItem:
    kind: str  # "size" or "approximate"
    text: str
    x: float  # the symbol's centre
    y: float
    r: float
    text_x: float
    anchor: str


@dataclass(frozen=True)
class MapTexts:
    """The words a map shows besides place names, in the page's language."""

    events: Callable[[int], str]  # "1 event", "5 events"
    approximate: str
    libya: str


def default_texts(lang: str) -> MapTexts:
    def events(n: int) -> str:
        if lang == "ar":
            return "حدث واحد" if n == 1 else "حدثان" if n == 2 else f"{n} أحداث" if n <= 10 else f"{n} حدثًا"
        return f"{n} event" if n == 1 else f"{n} events"

    return MapTexts(events, APPROXIMATE.get(lang, APPROXIMATE["en"]), LIBYA_NAME.get(lang, LIBYA_NAME["en"]))


@dataclass(frozen=True)
class MapLayout:
    width: int
    height: int  # of the map; the legend band is below it
    lang: str
    projection: Projection
    markers: tuple[Marker, ...]  # in the order of the points given
    scale_bar: ScaleBar
    north: Box  # the north arrow and its letter
    meridians: tuple[float, ...]  # graticule: x of each line of longitude drawn
    parallels: tuple[float, ...]  # y of each line of latitude drawn
    ticks: tuple[Tick, ...] = ()
    basemap_layer: str = ""  # which layer of the basemap is drawn
    land: tuple[tuple[tuple[float, float], ...], ...] = ()  # rings, clipped to the map
    coast: tuple[tuple[tuple[float, float], ...], ...] = ()  # lines, clipped to the map
    borders: tuple[tuple[tuple[float, float], ...], ...] = ()
    inset: Inset | None = None
    legend: tuple[LegendItem, ...] = ()
    svg_height: float = field(default=0.0)  # map and legend band


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


# --- Basemap --------------------------------------------------------------------------------

Ring = tuple[tuple[float, float], ...]  # (lon, lat) or (x, y)


@dataclass(frozen=True)
class BasemapLayer:
    name: str
    bbox: tuple[float, float, float, float]  # west, south, east, north
    tolerance: float  # degrees: the layer was simplified to this
    land: tuple[Ring, ...]
    borders: tuple[Ring, ...]


@dataclass(frozen=True)
class Basemap:
    layers: tuple[BasemapLayer, ...]  # finest first
    libya: tuple[Ring, ...]


def _decode(flat: Sequence[int], unit: float) -> Ring:
    lon = lat = 0
    out = []
    for i in range(0, len(flat), 2):
        lon += flat[i]
        lat += flat[i + 1]
        out.append((lon * unit, lat * unit))
    return tuple(out)


@cache
def load_basemap() -> Basemap:
    """The committed basemap (see scripts/make_basemap.py), read once per process."""
    data = json.loads((files("briefgen.site") / "basemap" / "libya.json").read_text(encoding="utf-8"))
    unit = data["unit"]
    layers = [
        BasemapLayer(
            name,
            tuple(layer["bbox"]),
            layer["tolerance"],
            tuple(_decode(r, unit) for r in layer["land"]),
            tuple(_decode(r, unit) for r in layer["borders"]),
        )
        for name, layer in data["layers"].items()
    ]
    layers.sort(key=lambda layer: layer.tolerance)
    return Basemap(tuple(layers), tuple(_decode(r, unit) for r in data["libya"]))


def choose_layer(basemap: Basemap, west: float, south: float, east: float, north: float) -> BasemapLayer:
    """The finest layer that covers the whole view; the coarsest (the overview) otherwise."""
    for layer in basemap.layers:
        w, s, e, n = layer.bbox
        if w <= west and s <= south and east <= e and north <= n:
            return layer
    return basemap.layers[-1]


def clip_polygon(ring: Sequence[tuple[float, float]], box: Box) -> list[tuple[float, float]]:
    """Sutherland–Hodgman: right for a filled ring, whose cut edges then run along the box."""
    out = list(ring)
    for axis, limit, keep_above in (
        (0, box.x0, True),
        (0, box.x1, False),
        (1, box.y0, True),
        (1, box.y1, False),
    ):
        if not out:
            break
        src, out = out, []
        prev = src[-1]
        for cur in src:
            if _keeps(cur, axis, limit, keep_above):
                if not _keeps(prev, axis, limit, keep_above):
                    out.append(_cut(prev, cur, axis, limit))
                out.append(cur)
            elif _keeps(prev, axis, limit, keep_above):
                out.append(_cut(prev, cur, axis, limit))
            prev = cur
    return out


def _keeps(p: tuple[float, float], axis: int, limit: float, keep_above: bool) -> bool:
    return p[axis] >= limit if keep_above else p[axis] <= limit


def _cut(a: tuple[float, float], b: tuple[float, float], axis: int, limit: float) -> tuple[float, float]:
    """Where segment ab crosses the line `axis` = `limit`."""
    t = (limit - a[axis]) / (b[axis] - a[axis])
    return (limit, a[1] + t * (b[1] - a[1])) if axis == 0 else (a[0] + t * (b[0] - a[0]), limit)


def clip_segment(
    a: tuple[float, float], b: tuple[float, float], box: Box
) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """Liang–Barsky: the part of segment ab inside the box, or None. An end inside the box is
    returned as it is, not recomputed: a polyline's next segment starts exactly there."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, a[0] - box.x0), (dx, box.x1 - a[0]), (-dy, a[1] - box.y0), (dy, box.y1 - a[1])):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    start = a if t0 == 0 else (a[0] + t0 * dx, a[1] + t0 * dy)
    end = b if t1 == 1 else (a[0] + t1 * dx, a[1] + t1 * dy)
    return start, end


def clip_polyline(line: Sequence[tuple[float, float]], box: Box) -> list[list[tuple[float, float]]]:
    parts: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for a, b in itertools.pairwise(line):
        seg = clip_segment(a, b, box)
        if seg is None:
            if current:
                parts.append(current)
            current = []
            continue
        p, q = seg
        if not current or current[-1] != p:
            if current:
                parts.append(current)
            current = [p]
        current.append(q)
        if q != b:  # it leaves the box here
            parts.append(current)
            current = []
    if current:
        parts.append(current)
    return parts


def simplify(points: Sequence[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker in pixels: what lies within `tolerance` of a straight run cannot be seen."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x0, y0), (x1, y1) = points[first], points[last]
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy)
        worst, worst_i = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i][0] - x0, points[i][1] - y0
            d = abs(dx * py - dy * px) / length if length else math.hypot(px, py)
            if d > worst:
                worst, worst_i = d, i
        if worst > tolerance:
            keep[worst_i] = True
            stack += [(first, worst_i), (worst_i, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _rounded(points: Iterable[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    """Rounded to the SVG's one decimal, repeats dropped: what is drawn is what the layout says."""
    out: list[tuple[float, float]] = []
    for x, y in points:
        p = (round(x, 1), round(y, 1))
        if not out or out[-1] != p:
            out.append(p)
    return tuple(out)


def _area(ring: Sequence[tuple[float, float]]) -> float:
    return (
        abs(math.fsum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, [*ring[1:], ring[0]], strict=True))) / 2
    )


def _basemap_in_pixels(
    projection: Projection, width: int, height: int
) -> tuple[str, tuple[Ring, ...], tuple[Ring, ...], tuple[Ring, ...]]:
    """(layer name, land rings, coast lines, border lines) clipped to the map, in pixels."""
    lat_top, lon_left = projection.unproject(0, 0)
    lat_bottom, lon_right = projection.unproject(width, height)
    layer = choose_layer(load_basemap(), lon_left, lat_bottom, lon_right, lat_top)
    # A little beyond the frame, so no cut edge of land shows inside it.
    frame = Box(-2, -2, width + 2, height + 2)
    land, coast, borders = [], [], []
    for ring in layer.land:
        px = [projection.project(lat, lon) for lon, lat in ring]
        clipped = clip_polygon(px, frame)
        if len(clipped) >= 3 and _area(clipped) >= 1.0:
            drawn = _rounded(simplify([*clipped, clipped[0]], 0.4)[:-1])
            if len(drawn) >= 3:
                land.append(drawn)
        for part in clip_polyline([*px, px[0]], frame):
            drawn = _rounded(simplify(part, 0.4))
            if len(drawn) >= 2:
                coast.append(drawn)
    for line in layer.borders:
        px = [projection.project(lat, lon) for lon, lat in line]
        for part in clip_polyline(px, frame):
            drawn = _rounded(simplify(part, 0.4))
            if len(drawn) >= 2:
                borders.append(drawn)
    return layer.name, tuple(land), tuple(coast), tuple(borders)


# --- Graticule ticks, inset, legend ---------------------------------------------------------


def format_degrees(value: float, step: float, latitude: bool, lang: str) -> str:
    """32.9°N, 13.25°E: as many decimals as the graticule's step needs."""
    decimals = 0
    while decimals < 3 and abs(round(step, decimals) - step) > 1e-9:
        decimals += 1
    north, south, east, west = HEMISPHERES["ar" if lang == "ar" else "en"]
    letter = (north if value >= 0 else south) if latitude else (east if value >= 0 else west)
    number = f"{abs(value):.{decimals}f}"
    # In Arabic the number and its degree sign are isolated left-to-right (LRI … PDI): bare,
    # the bidi algorithm moves the ° to the number's left in a right-to-left line.
    return f"\u2066{number}°\u2069 {letter}" if lang == "ar" else f"{number}°{letter}"


def _graticule_step(projection: Projection, width: int, height: int) -> float:
    lat_top, lon_left = projection.unproject(0, 0)
    lat_bottom, lon_right = projection.unproject(width, height)
    span = max(lat_top - lat_bottom, lon_right - lon_left)
    return next((s for s in GRATICULE_STEPS if span / s <= GRATICULE_MAX_LINES), GRATICULE_STEPS[-1])


def _ticks(
    projection: Projection, width: int, height: int, lang: str, avoid: Sequence[Box]
) -> tuple[Tick, ...]:
    """Longitudes along the top edge, latitudes along the reading-start edge, off what they would hide."""
    step = _graticule_step(projection, width, height)
    lat_top, lon_left = projection.unproject(0, 0)
    lat_bottom, lon_right = projection.unproject(width, height)
    h = SMALL_FONT_SIZE * 1.3
    ticks: list[Tick] = []
    for i in range(math.ceil(lon_left / step), math.floor(lon_right / step) + 1):
        x = projection.project(projection.lat0, i * step)[0]
        text = format_degrees(i * step, step, False, lang)
        w = label_width(text, SMALL_FONT_SIZE)
        box = Box(x - w / 2, 3, x + w / 2, 3 + h)
        if box.x0 >= EDGE and box.x1 <= width - EDGE:
            ticks.append(Tick(text, x, 3 + 0.8 * h, "middle", box))
    rtl = lang == "ar"
    for i in range(math.ceil(lat_bottom / step), math.floor(lat_top / step) + 1):
        y = projection.project(i * step, projection.lon_c)[1]
        text = format_degrees(i * step, step, True, lang)
        w = label_width(text, SMALL_FONT_SIZE)
        # The reading-start edge, or the other one where the inset or a tick is in the way.
        for at_right in (rtl, not rtl):
            x0 = width - 3 - w if at_right else 3.0
            box = Box(x0, y - h - 1, x0 + w, y - 1)  # just above its line
            if (
                box.y0 >= EDGE + h
                and box.y1 <= height - EDGE
                and not any(box.overlaps(b) for b in avoid)
                and not any(box.overlaps(t.box) for t in ticks)
            ):
                ticks.append(Tick(text, x0 + w / 2, y - 1 - 0.25 * h, "middle", box))
                break
    kept: list[Tick] = []
    for tick in ticks:
        if not any(tick.box.overlaps(b) for b in avoid) and not any(tick.box.overlaps(t.box) for t in kept):
            kept.append(tick)
    return tuple(kept)


def _inside_rings(x: float, y: float, rings: Sequence[Ring]) -> bool:
    """Even-odd point in polygon: is (x, y) on the land drawn?"""
    inside = False
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


def _inset(
    projection: Projection,
    width: int,
    height: int,
    lang: str,
    markers: Sequence[tuple[float, float, float]],
    avoid: Sequence[Box],
    name: str,
    land: Sequence[Ring] = (),
) -> Inset | None:
    """Libya at a small scale in the first free corner; None when every corner holds a marker."""
    libya = load_basemap().libya
    if not libya:
        return None
    lons = [lon for ring in libya for lon, _ in ring]
    lats = [lat for ring in libya for _, lat in ring]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    k = math.cos(math.radians((south + north) / 2))
    pad = 6.0
    scale = (INSET_WIDTH - 2 * pad) / ((east - west) * k)
    inset_h = (north - south) * scale + 2 * pad + SMALL_FONT_SIZE
    rtl = lang == "ar"
    # Top corner where text starts (the sea, on both theatres' maps), then the others.
    corners = (
        ("top-right", "top-left", "bottom-left", "bottom-right")
        if rtl
        else ("top-left", "top-right", "bottom-right", "bottom-left")
    )
    free = []
    for rank, corner in enumerate(corners):
        x0 = INSET_MARGIN if corner.endswith("left") else width - INSET_MARGIN - INSET_WIDTH
        # Clear of the top edge's degree labels, and below the north arrow on its side.
        y0 = INSET_MARGIN + 14 if corner.startswith("top") else height - INSET_MARGIN - inset_h
        box = Box(x0, y0, x0 + INSET_WIDTH, y0 + inset_h)
        if any(box.overlaps(b) for b in avoid):
            box = Box(x0, y0 + 32, x0 + INSET_WIDTH, y0 + 32 + inset_h)
        if any(box.hits_circle(x, y, r + 6) for x, y, r in markers) or any(box.overlaps(b) for b in avoid):
            continue
        # Over the sea if it can: an inset on land hides the coast and the places near it.
        covered = sum(
            _inside_rings(box.x0 + (i + 0.5) * INSET_WIDTH / 8, box.y0 + (j + 0.5) * inset_h / 6, land)
            for i in range(8)
            for j in range(6)
        )
        free.append((round(covered / 48, 1), rank, box))
    if not free:
        return None
    _, _, box = min(free, key=lambda f: (f[0], f[1]))
    x0, y0 = box.x0, box.y0

    def to_inset(lon: float, lat: float) -> tuple[float, float]:
        return x0 + pad + (lon - west) * k * scale, y0 + pad + (north - lat) * scale

    rings = tuple(_rounded(to_inset(lon, lat) for lon, lat in ring) for ring in libya)
    neighbours: list[Ring] = []
    for ring in load_basemap().layers[-1].land:
        clipped = clip_polygon([to_inset(lon, lat) for lon, lat in ring], box)
        if len(clipped) >= 3 and _area(clipped) >= 2.0:
            drawn = _rounded(simplify([*clipped, clipped[0]], 0.5)[:-1])
            if len(drawn) >= 3:
                neighbours.append(drawn)
    lat_top, lon_left = projection.unproject(0, 0)
    lat_bottom, lon_right = projection.unproject(width, height)
    (ex0, ey0), (ex1, ey1) = to_inset(lon_left, lat_top), to_inset(lon_right, lat_bottom)
    # A theatre a few km across would be a dot: draw it at least 5 px wide.
    cx, cy = (ex0 + ex1) / 2, (ey0 + ey1) / 2
    half_w, half_h = max((ex1 - ex0) / 2, 2.5), max((ey1 - ey0) / 2, 2.5)
    extent = Box(cx - half_w, cy - half_h, cx + half_w, cy + half_h)
    # The country's name in its south, clear of the theatres in the north.
    return Inset(box, tuple(neighbours), rings, extent, name, x0 + INSET_WIDTH / 2, box.y1 - pad)


def legend_weights(max_weight: int) -> tuple[int, ...]:
    """The sizes the legend explains: 1, the biggest drawn, and a round number between."""
    top = max(1, max_weight)
    middle = [n for n in (2, 5, 10, 20, 50, 100, 200) if n * 2.5 <= top and n < top]
    return tuple(sorted({1, top, *middle[-1:]}))


def _legend(
    width: int, height: int, lang: str, weights: Sequence[int], approximate: bool, texts: MapTexts
) -> tuple[LegendItem, ...]:
    """One row in the band under the map, laid out from the reading start."""
    rtl = lang == "ar"
    items: list[LegendItem] = []
    cursor = SCALE_MARGIN
    y = height + LEGEND_BAND / 2
    entries = [("size", texts.events(n), marker_radius(n)) for n in weights]
    if approximate:
        entries.append(("approximate", texts.approximate, marker_radius(1) + 1))
    for kind, text, r in entries:
        w = label_width(text, SMALL_FONT_SIZE)
        centre = cursor + r
        text_start = centre + r + 4
        if rtl:
            items.append(LegendItem(kind, text, width - centre, y, r, width - text_start, "start"))
        else:
            items.append(LegendItem(kind, text, centre, y, r, text_start, "start"))
        cursor = text_start + w + 14
    return tuple(items)


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


def _segment_hits_box(a: tuple[float, float], b: tuple[float, float], box: Box) -> bool:
    return clip_segment(a, b, box) is not None


def _segments_cross(
    a: tuple[float, float], b: tuple[float, float], c: tuple[float, float], d: tuple[float, float]
) -> bool:
    def orient(p: tuple[float, float], q: tuple[float, float], r: tuple[float, float]) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return orient(a, b, c) * orient(a, b, d) < 0 and orient(c, d, a) * orient(c, d, b) < 0


def _segment_hits_circle(
    a: tuple[float, float], b: tuple[float, float], x: float, y: float, r: float
) -> bool:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((x - a[0]) * dx + (y - a[1]) * dy) / length2))
    return math.hypot(a[0] + t * dx - x, a[1] + t * dy - y) < r


def _leader_candidate(
    x: float, y: float, reach: float, w: float, angle: float, distance: float, rtl: bool
) -> Label:
    """A label `distance` px beyond the marker's edge in direction `angle` (degrees, y down)."""
    h = LABEL_HEIGHT
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    ex, ey = x + (reach + distance) * cos, y + (reach + distance) * sin
    if cos > 0.35:  # the label's near edge is its left one
        box = Box(ex, ey - h / 2, ex + w, ey + h / 2)
        tx, anchor = ex + HALO, "end" if rtl else "start"
    elif cos < -0.35:
        box = Box(ex - w, ey - h / 2, ex, ey + h / 2)
        tx, anchor = ex - HALO, "start" if rtl else "end"
    else:
        y0 = ey - h if sin < 0 else ey
        box = Box(ex - w / 2, y0, ex + w / 2, y0 + h)
        tx, anchor = ex, "middle"
    baseline = box.y0 + (h - FONT_SIZE) / 2 + 0.8 * FONT_SIZE
    return Label(box, "leader", tx, baseline, anchor, leader=(ex, ey, x, y))


def _gap(box: Box, x: float, y: float, r: float) -> float:
    """How far the box is from the circle's edge (negative when it reaches inside)."""
    nearest_x = min(max(x, box.x0), box.x1)
    nearest_y = min(max(y, box.y0), box.y1)
    return math.hypot(nearest_x - x, nearest_y - y) - r


def _slot_free(
    c: Label, frame: Box, placed: Sequence[Box], circles: Sequence[tuple[float, float, float]]
) -> bool:
    """Inside the frame, off every placed box and every marker (its own too)."""
    return (
        c.box.inside(frame)
        and not any(c.box.overlaps(b) for b in placed)
        and not any(c.box.hits_circle(xj, yj, rj) for xj, yj, rj in circles)
    )


def _place_labels(
    markers: Sequence[tuple[MapPoint, str, float, float, float]],
    frame: Box,
    fixed: Sequence[Box],
    lang: str,
) -> list[Label | None]:
    """Greedy placement, heaviest places first: the first slot that collides with nothing.

    Nothing is other labels, other markers, the scale bar, the north arrow, the inset, the
    graticule's labels and the frame's edge. A marker first tries the slots beside it, unless
    it crowds another marker; then slots further off, tied to its dot by a leader line that
    crosses no label and no other leader (and, if it can, no other marker). A label that fits
    nowhere is left out rather than drawn over a marker or another label: its marker's
    <title> still names it, and the page lists every place.
    """
    rtl = lang == "ar"
    sides = _SIDES["ar" if rtl else "en"]
    angles = tuple((180 - a) % 360 for a in LEADER_ANGLES) if rtl else LEADER_ANGLES
    labels: list[Label | None] = [None] * len(markers)
    circles = [(x, y, r) for _, _, x, y, r in markers]

    def crowds(i: int) -> bool:
        xi, yi, ri = circles[i]
        return any(
            0 < math.hypot(xj - xi, yj - yi) < ri + rj + CROWDED
            for j, (xj, yj, rj) in enumerate(circles)
            if j != i
        )

    def find_slot(
        i: int, placed: Sequence[Box], leaders: Sequence[tuple[tuple[float, float], ...]]
    ) -> Label | None:
        _, text, x, y, r = markers[i]
        if not text:
            return None
        w = label_width(text)
        others = [c for j, c in enumerate(circles) if j != i]
        # A small marker drawn on a bigger one (Sabri on Benghazi: same coordinates) puts
        # its label clear of the bigger one's edge, not inside it.
        reach = max(
            [r]
            + [rj + math.hypot(xj - x, yj - y) for xj, yj, rj in others if math.hypot(xj - x, yj - y) < rj]
        )
        everyone = [*others, (x, y, r)]
        if not crowds(i):
            for side in sides:
                c = _candidate(x, y, reach, w, side, rtl)
                # Beside its marker, a label must also be nearer to it than to any other, or
                # a reader could take it for the neighbour's: else it stands off with a leader.
                own_gap = _gap(c.box, x, y, reach)
                if _slot_free(c, frame, placed, everyone) and all(
                    own_gap + AMBIGUITY < _gap(c.box, xj, yj, rj)
                    for xj, yj, rj in others
                    if math.hypot(xj - x, yj - y) >= 0.5  # one spot: the label is tied to it either way
                ):
                    return c
            # Markers on one spot: a leader could not tell them apart, the slots around it can.
            if any(math.hypot(xj - x, yj - y) < 0.5 for xj, yj, _ in others):
                return None
            ordered = angles
        else:
            # Away from the markers it crowds, so leaders fan out of a cluster instead of crossing it.
            near = [(xj, yj) for xj, yj, rj in others if math.hypot(xj - x, yj - y) < r + rj + CROWDED]
            away = math.degrees(
                math.atan2(y - sum(p[1] for p in near) / len(near), x - sum(p[0] for p in near) / len(near))
            )
            ordered = tuple(
                sorted(angles, key=lambda a: (abs((a - away + 180) % 360 - 180) // 45, angles.index(a)))
            )
        for strict in (True, False):
            for distance in LEADER_DISTANCES:
                for angle in ordered:
                    c = _leader_candidate(x, y, reach, w, angle, distance, rtl)
                    assert c.leader is not None
                    start, end = (c.leader[0], c.leader[1]), (c.leader[2], c.leader[3])
                    # Standing off, a label keeps clear of other dots, or it reads as theirs.
                    if any(_gap(c.box, xj, yj, rj) < LEADER_CLEARANCE for xj, yj, rj in others):
                        continue
                    if (
                        not _slot_free(c, frame, placed, everyone)
                        or any(_segment_hits_box(start, end, b) for b in placed)
                        or any(_segments_cross(start, end, a, b) for a, b in leaders)
                    ):
                        continue
                    # Strictly, the leader passes over no other marker, but those its own overlaps.
                    if strict and any(
                        _segment_hits_circle(start, end, xj, yj, rj)
                        for xj, yj, rj in others
                        if math.hypot(xj - x, yj - y) >= rj + r
                    ):
                        continue
                    return c
        return None

    def boxes_and_leaders(skip: int = -1) -> tuple[list[Box], list[tuple[tuple[float, float], ...]]]:
        chosen = [label for j, label in enumerate(labels) if label is not None and j != skip]
        return [*fixed, *(c.box for c in chosen)], [
            ((c.leader[0], c.leader[1]), (c.leader[2], c.leader[3])) for c in chosen if c.leader is not None
        ]

    # Crowded markers first, heaviest first: their labels need the room around the cluster
    # that labels of markers standing alone could otherwise take.
    order = sorted(range(len(markers)), key=lambda i: (not crowds(i), -markers[i][0].weight, i))
    for i in order:
        labels[i] = find_slot(i, *boxes_and_leaders())
    # Repair: a marker left without a label may find room if one label placed before it
    # moves (greedy placement walls a marker in); keep the move only if both then fit.
    # Only labels near the marker can wall it in, and the tries are bounded: a pile of
    # identical points must not cost seconds.
    budget = REPAIR_TRIES
    for i in order:
        if labels[i] is not None or not markers[i][1]:
            continue
        xi, yi, _ = circles[i]
        for j in order:
            moved_label = labels[j]
            if moved_label is None or budget <= 0:
                continue
            b = moved_label.box
            if max(b.x0 - xi, xi - b.x1, b.y0 - yi, yi - b.y1) > REPAIR_REACH:
                continue
            budget -= 1
            moved = labels[j]
            labels[j] = None
            labels[i] = find_slot(i, *boxes_and_leaders())
            if labels[i] is not None:
                labels[j] = find_slot(j, *boxes_and_leaders())
                if labels[j] is not None:
                    break
            labels[i], labels[j] = None, moved

    def length(label: Label | None) -> float:
        if label is None or label.leader is None:
            return 0.0
        x0, y0, x1, y1 = label.leader
        return math.hypot(x1 - x0, y1 - y0)

    # Shorten long leaders: placing a marker before a neighbour that took its room may give
    # both shorter ones. Kept only when both are placed and the two leaders shrink.
    budget = SHORTEN_TRIES
    for i in sorted(order, key=lambda k: -length(labels[k])):
        if length(labels[i]) <= LONG_LEADER:
            break
        xi, yi, _ = circles[i]
        for j in order:
            first, second = labels[i], labels[j]
            if j == i or second is None or budget <= 0:
                continue
            b = second.box
            if max(b.x0 - xi, xi - b.x1, b.y0 - yi, yi - b.y1) > REPAIR_REACH:
                continue
            budget -= 1
            labels[i] = labels[j] = None
            labels[i] = find_slot(i, *boxes_and_leaders())
            labels[j] = find_slot(j, *boxes_and_leaders()) if labels[i] is not None else None
            if labels[j] is not None and length(labels[i]) + length(labels[j]) < length(first) + length(
                second
            ):
                if length(labels[i]) <= LONG_LEADER:
                    break
                continue
            labels[i], labels[j] = first, second
    return labels


def map_layout(
    points: Sequence[MapPoint],
    *,
    lang: str,
    width: int = 720,
    height: int = 480,
    texts: MapTexts | None = None,
) -> MapLayout:
    """Everything `campaign_map_svg` draws, in SVG pixels. `points` must not be empty."""
    if not points:
        raise ValueError("a map needs at least one point")
    for p in points:
        if not (math.isfinite(p.lat) and math.isfinite(p.lon) and -90 <= p.lat <= 90):
            raise ValueError(f"{p.place_id!r} has impossible coordinates ({p.lat}, {p.lon})")
    texts = texts or default_texts(lang)
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
    layer, land, coast, borders = _basemap_in_pixels(projection, width, height)
    inset = _inset(
        projection,
        width,
        height,
        lang,
        [(x, y, r) for _, _, x, y, r in drawn],
        (scale_bar.box, north),
        texts.libya,
        land,
    )
    obstacles = [scale_bar.box, north] + ([inset.box] if inset else [])
    ticks = _ticks(projection, width, height, lang, obstacles)
    labels = _place_labels(
        drawn, Box(EDGE, EDGE, width - EDGE, height - EDGE), (*obstacles, *(t.box for t in ticks)), lang
    )
    meridians, parallels = _graticule(projection, width, height)
    legend = _legend(
        width,
        height,
        lang,
        legend_weights(max(p.weight for p in points)),
        any(p.approximate for p in points),
        texts,
    )
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
        ticks=ticks,
        basemap_layer=layer,
        land=land,
        coast=coast,
        borders=borders,
        inset=inset,
        legend=legend,
        svg_height=height + LEGEND_BAND,
    )


# --- SVG ------------------------------------------------------------------------------------


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
        _attrs(class_=classes, data_place=clean_text(p.place_id), data_weight=str(p.weight)), title, shape
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
        '<g class="bg-map-scale" aria-hidden="true" fill="#1f1f1f"><rect{}/><text{}{}>{}</text></g>'
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
        '<g class="bg-map-north" aria-hidden="true" fill="#1f1f1f" fill-opacity="0.7">'
        "<text{}{}>{}</text><path{}/></g>"
    ).format(
        _attrs(x=mid, y=box.y0 + 11, text_anchor="middle", font_weight="bold"),
        _text_attrs(lang, SMALL_FONT_SIZE),
        NORTH.get(lang, NORTH["en"]),
        _attrs(d=arrow),
    )


def _path_d(lines: Iterable[Sequence[tuple[float, float]]], closed: bool) -> str:
    """Absolute first point, then relative steps between the rounded points: short and exact."""
    parts = []
    for line in lines:
        (x0, y0), rest = line[0], line[1:]
        steps = []
        px, py = x0, y0
        for x, y in rest:
            steps.append(f"{_n(x - px)} {_n(y - py)}")
            px, py = x, y
        parts.append(f"M{_n(x0)} {_n(y0)}l" + " ".join(steps) + ("z" if closed else ""))
    # "l-3" needs no space before the minus: drop the ones that do nothing.
    return "".join(parts).replace(" -", "-")


def _basemap_svg(layout: MapLayout) -> list[Markup]:
    out = [
        Markup('<rect class="bg-map-sea"{}/>').format(
            _attrs(x=0, y=0, width=layout.width, height=layout.height, fill=SEA_FILL)
        )
    ]
    if layout.land:
        out.append(
            Markup('<path class="bg-map-land"{}/>').format(
                _attrs(d=_path_d(layout.land, closed=True), fill=LAND_FILL, fill_rule="evenodd")
            )
        )
    if layout.coast:
        out.append(
            Markup('<path class="bg-map-coast"{} stroke-linejoin="round"/>').format(
                _attrs(
                    d=_path_d(layout.coast, closed=False), fill="none", stroke=COAST_STROKE, stroke_width=1.2
                )
            )
        )
    if layout.borders:
        out.append(
            Markup('<path class="bg-map-borders"{} stroke-dasharray="6 3"/>').format(
                _attrs(
                    d=_path_d(layout.borders, closed=False),
                    fill="none",
                    stroke=BORDER_STROKE,
                    stroke_width=1.2,
                )
            )
        )
    return out


def _ticks_svg(layout: MapLayout) -> Markup:
    texts = [
        Markup("<text{}{}>{}</text>").format(
            _attrs(x=t.x, y=t.y, text_anchor=t.anchor), _text_attrs(layout.lang, SMALL_FONT_SIZE), t.text
        )
        for t in layout.ticks
    ]
    return Markup(
        '<g class="bg-map-ticks" aria-hidden="true" fill="{}" fill-opacity="0.8" stroke="{}" stroke-width="3" '
        'stroke-opacity="0.8" stroke-linejoin="round" paint-order="stroke">{}</g>'
    ).format(TEXT_FILL, HALO_FILL, Markup("").join(texts))


def _inset_svg(inset: Inset, lang: str) -> Markup:
    b, e = inset.box, inset.extent
    return Markup(
        '<g class="bg-map-inset" aria-hidden="true"><rect{}/><path{}/><path{}/><rect{}/><text{}{}>{}</text></g>'
    ).format(
        _attrs(
            x=b.x0,
            y=b.y0,
            width=b.x1 - b.x0,
            height=b.y1 - b.y0,
            fill=SEA_FILL,
            stroke=TEXT_FILL,
            stroke_opacity="0.5",
            stroke_width=1,
        ),
        _attrs(d=_path_d(inset.land, closed=True), fill=NEIGHBOUR_FILL),
        _attrs(d=_path_d(inset.libya, closed=True), fill=LAND_FILL, stroke=BORDER_STROKE, stroke_width=0.8),
        _attrs(
            class_="bg-map-inset-extent",
            x=e.x0,
            y=e.y0,
            width=e.x1 - e.x0,
            height=e.y1 - e.y0,
            fill="none",
            stroke=MARKER_FILL,
            stroke_width=1.5,
        ),
        _attrs(x=inset.name_x, y=inset.name_y, text_anchor="middle", fill=TEXT_FILL),
        _text_attrs(lang, SMALL_FONT_SIZE),
        inset.name,
    )


def _legend_svg(layout: MapLayout) -> Markup:
    parts = []
    for item in layout.legend:
        style = (
            {"fill_opacity": "0.18", "stroke": MARKER_FILL, "stroke_width": "1.5", "stroke_dasharray": "3 2"}
            if item.kind == "approximate"
            else {"fill_opacity": "0.85", "stroke": "#fff", "stroke_width": "1.2"}
        )
        parts.append(
            Markup("<circle{}/><text{}{}>{}</text>").format(
                _attrs(cx=item.x, cy=item.y, r=item.r, fill=MARKER_FILL, **style),
                _attrs(x=item.text_x, y=item.y + 4, text_anchor=item.anchor),
                _text_attrs(layout.lang, SMALL_FONT_SIZE),
                item.text,
            )
        )
    # The legend's words are read by screen readers too: they explain the marker sizes.
    return Markup('<g class="bg-map-legend" fill="currentColor">{}</g>').format(Markup("").join(parts))


def campaign_map_svg(
    points: Sequence[MapPoint],
    *,
    lang: str,
    title: str,
    description: str,
    width: int = 720,
    height: int = 480,
    texts: MapTexts | None = None,
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
    layout = map_layout(points, lang=lang, width=width, height=height, texts=texts)
    svg_height = layout.svg_height
    base = _map_id(title, description, lang, points)
    title_id, desc_id = f"{base}-title", f"{base}-desc"
    out: list[Markup] = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="bg-map"{} role="group"{}{} '
            'font-family="inherit" style="max-width:100%;height:auto">'
        ).format(
            _attrs(viewBox=f"0 0 {width} {_n(svg_height)}", width=width, height=svg_height),
            _attrs(aria_labelledby=title_id, aria_describedby=desc_id),
            Markup(' lang="{0}" xml:lang="{0}" direction="{1}"').format(
                lang, "rtl" if lang == "ar" else "ltr"
            ),
        ),
        Markup("<title{}>{}</title>").format(_attrs(id=title_id), clean_text(title)),
        Markup("<desc{}>{}</desc>").format(_attrs(id=desc_id), clean_text(description)),
        *_basemap_svg(layout),
    ]
    lines = [f"M{_n(x)} 0V{height}" for x in layout.meridians]
    lines += [f"M0 {_n(y)}H{width}" for y in layout.parallels]
    if lines:
        out.append(
            Markup(
                '<path class="bg-map-graticule"{} fill="none" stroke="#2f4f6f" stroke-opacity="0.22" '
                'stroke-width="1"/>'
            ).format(_attrs(d="".join(lines)))
        )
    if layout.ticks:
        out.append(_ticks_svg(layout))
    # Big markers first, so smaller ones stay on top and clickable.
    by_size = sorted(range(len(layout.markers)), key=lambda i: (-layout.markers[i].r, i))
    out.append(Markup('<g class="bg-map-markers">'))
    out += [_marker_svg(layout.markers[i], lang) for i in by_size]
    out.append(Markup("</g>"))
    # Leaders over the markers, so each reaches its own dot even where dots overlap; a dot
    # marks the end. Labels above everything, with a white halo that keeps them legible
    # over coast, borders and graticule.
    leaders = [m.label.leader for m in layout.markers if m.label is not None and m.label.leader is not None]
    if leaders:
        out.append(
            Markup('<path class="bg-map-leaders" aria-hidden="true"{} stroke-width="1" fill="none"/>').format(
                _attrs(
                    d="".join(f"M{_n(x0)} {_n(y0)}L{_n(x1)} {_n(y1)}" for x0, y0, x1, y1 in leaders),
                    stroke=TEXT_FILL,
                )
            )
        )
        out.append(
            Markup('<g class="bg-map-leader-ends" aria-hidden="true"{}>{}</g>').format(
                _attrs(fill=TEXT_FILL),
                Markup("").join(
                    Markup("<circle{}/>").format(_attrs(cx=x1, cy=y1, r=1.6)) for _, _, x1, y1 in leaders
                ),
            )
        )
    out.append(
        Markup(
            '<g class="bg-map-labels" aria-hidden="true"{} stroke-width="3" stroke-linejoin="round" '
            'stroke-opacity="0.9" paint-order="stroke">'
        ).format(_attrs(fill=TEXT_FILL, stroke=HALO_FILL))
    )
    out += [_label_svg(m, lang) for m in layout.markers if m.label is not None]
    out.append(Markup("</g>"))
    out.append(_scale_svg(layout.scale_bar, lang))
    out.append(_north_svg(layout.north, lang))
    if layout.inset is not None:
        out.append(_inset_svg(layout.inset, lang))
    # The frame over the basemap's cut edges, then the legend in its band.
    out.append(
        Markup('<rect class="bg-map-frame"{} fill="none" stroke-opacity="0.35"/>').format(
            _attrs(x=0.5, y=0.5, width=width - 1, height=height - 1, stroke=TEXT_FILL)
        )
    )
    out.append(_legend_svg(layout))
    out.append(Markup("</svg>"))
    return Markup("\n").join(out)
