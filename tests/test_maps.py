"""Campaign maps: inline SVG that is well-formed, geographically right, escaped and stable."""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from functools import cache
from itertools import combinations, pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from briefgen.gazetteer import Gazetteer, Place, load_gazetteer
from briefgen.site.maps import (
    MIN_SPAN_DEG,
    MapLayout,
    MapPoint,
    Marker,
    campaign_map_svg,
    label_width,
    map_layout,
    marker_radius,
)

ROOT = Path(__file__).parents[1]
SVG = "{http://www.w3.org/2000/svg}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LIBYA = {"south": 19.5, "west": 9.3, "north": 33.2, "east": 25.2}  # the gazetteer's bbox for libya


@cache
def gazetteer() -> Gazetteer:
    return load_gazetteer(ROOT / "content" / "gazetteer.yml")


def theatre(*roots: str) -> list[Place]:
    """The roots and every place part_of them, as a campaign's theatre is defined."""
    g = gazetteer()
    return [p for p in g.places if p.id in roots or any(a.id in roots for a in g.ancestors(p.id))]


def points_of(places: list[Place], lang: str = "en") -> list[MapPoint]:
    return [
        MapPoint(p.id, getattr(p, lang), p.lat, p.lon, f"../places/{p.id}/", approximate=p.approximate)
        for p in places
    ]


def point(place_id: str, lat: float, lon: float, **kw: object) -> MapPoint:
    return MapPoint(place_id, kw.pop("label", place_id.title()), lat, lon, kw.pop("href", None), **kw)  # type: ignore[arg-type]


def draw(points: list[MapPoint], lang: str = "en", **kw: object) -> Markup:
    return campaign_map_svg(points, lang=lang, title="Test map", description="Places in a test.", **kw)  # type: ignore[arg-type]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything that is not well-formed XML


def markers(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if "bg-map-marker" in g.get("class", "").split()]


def centres(root: ET.Element) -> dict[str, tuple[float, float]]:
    """Each marker's centre as drawn, by place id."""
    out = {}
    for g in markers(root):
        circle = g.find(f"{SVG}circle")
        assert circle is not None
        out[g.get("data-place", "")] = (float(circle.get("cx", "nan")), float(circle.get("cy", "nan")))
    return out


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def scale_bar(root: ET.Element) -> tuple[float, float, float]:
    """(pixel length, km written on it, x of its left end)."""
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "bg-map-scale")
    bar = group.find(f"{SVG}rect")
    text = group.find(f"{SVG}text")
    assert bar is not None and text is not None and text.text
    km = float(re.match(r"[\d.]+", text.text).group())  # type: ignore[union-attr]
    return float(bar.get("width", "nan")), km, float(bar.get("x", "nan"))


def assert_labels_clear(layout: MapLayout) -> None:
    """No label overlaps another, covers a marker other than its own, or leaves the map."""
    placed = [m for m in layout.markers if m.label is not None]
    for a, b in combinations(placed, 2):
        assert a.label is not None and b.label is not None
        assert not a.label.box.overlaps(b.label.box), (a.label_text, b.label_text)
    for m in placed:
        assert m.label is not None
        box = m.label.box
        assert box.x0 >= 0 and box.x1 <= layout.width and box.y0 >= 0 and box.y1 <= layout.height
        assert not box.overlaps(layout.scale_bar.box) and not box.overlaps(layout.north)
        for other in layout.markers:
            if other is not m:
                assert not box.hits_circle(other.x, other.y, other.r), (m.label_text, other.label_text)


# --- Structure ------------------------------------------------------------------------------


def test_one_marker_per_point_each_linked_and_titled() -> None:
    points = points_of(theatre("benghazi"))
    root = parse(draw(points))
    assert root.tag == f"{SVG}svg"
    found = markers(root)
    assert len(found) == len(points)
    assert sorted(g.get("data-place", "") for g in found) == sorted(p.place_id for p in points)
    links = {a.get("href") for a in root.iter(f"{SVG}a")}
    assert links == {p.href for p in points}
    for p in points:
        marker_links = [
            a for a in root.iter(f"{SVG}a") if a.get("href") == p.href and a.find(f"{SVG}g") is not None
        ]
        assert len(marker_links) == 1  # exactly one keyboard stop per place: the label link has tabindex -1
    for g in found:
        title = g.find(f"{SVG}title")
        assert title is not None and title.text
        place = gazetteer().get(g.get("data-place", ""))
        assert place is not None and title.text.startswith(place.en)


def test_points_without_href_are_not_links() -> None:
    root = parse(draw([point("a", 32.1, 20.0), point("b", 32.2, 20.1, href="../places/b/")]))
    assert [a.get("href") for a in root.iter(f"{SVG}a")] == ["../places/b/", "../places/b/"]
    assert len(markers(root)) == 2


def test_accessible_name_and_description() -> None:
    svg = campaign_map_svg(
        [point("a", 32.1, 20.0)], lang="en", title="Benghazi 2016", description="Where the fighting was."
    )
    root = parse(svg)
    assert root.get("role") == "group"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text == "Benghazi 2016"
    assert desc is not None and desc.text == "Where the fighting was."
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert title.get("id", "").startswith("bg-map-benghazi-2016")
    assert title.get("id") != desc.get("id")
    # Another map on the same page gets other ids.
    other = parse(campaign_map_svg([point("b", 32.1, 20.0)], lang="en", title="Tripoli", description="x"))
    assert other.get("aria-labelledby") != root.get("aria-labelledby")
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))


def test_arabic_map_is_rtl_and_tagged() -> None:
    points = points_of(theatre("benghazi"), "ar")
    root = parse(draw(points, "ar"))
    assert root.get("lang") == "ar" and root.get(XML_LANG) == "ar"
    texts = [t for t in root.iter(f"{SVG}text")]
    labels = [t for t in texts if t.get("class") == "bg-map-label"]
    assert labels
    for t in texts:
        assert t.get("lang") == "ar" and t.get(XML_LANG) == "ar" and t.get("direction") == "rtl"
    assert {t.text for t in labels} <= {p.label for p in points}
    # The size is pinned in style: the site's `[lang="ar"] { font-size: 1.08em }` must not
    # grow labels that were placed for 12px.
    assert all(re.fullmatch(r"font-size:1[12]px", t.get("style", "")) for t in texts)
    scale = next(t for t in texts if t.text and "كم" in t.text)
    assert scale.text is not None and scale.text.endswith(" كم")


def test_english_map_is_ltr_and_tagged() -> None:
    root = parse(draw(points_of(theatre("benghazi"))))
    assert root.get("lang") == "en"
    for t in root.iter(f"{SVG}text"):
        assert t.get("lang") == "en" and t.get("direction") == "ltr"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_labels_anchor_on_the_side_next_to_their_marker(lang: str) -> None:
    layout = map_layout(points_of(theatre("benghazi"), lang), lang=lang)
    rtl = lang == "ar"
    for m in layout.markers:
        if m.label is None:
            continue
        box, side, anchor = m.label.box, m.label.side, m.label.anchor
        if side == "leader":
            # The leader runs from the label's edge to its own marker's centre.
            assert m.label.leader is not None
            x0, y0, x1, y1 = m.label.leader
            assert (x1, y1) == (m.x, m.y)
            assert box.x0 - 0.01 <= x0 <= box.x1 + 0.01 and box.y0 - 0.01 <= y0 <= box.y1 + 0.01
            on_edge = min(abs(x0 - box.x0), abs(x0 - box.x1), abs(y0 - box.y0), abs(y0 - box.y1))
            assert on_edge < 0.01
            continue
        if side in ("above", "below"):
            assert anchor == "middle"
            assert m.label.x == pytest.approx((box.x0 + box.x1) / 2)
        elif side.endswith("right"):
            # The text begins (LTR) or ends (RTL) at the box's left edge, beside the marker.
            assert anchor == ("end" if rtl else "start") and box.x0 <= m.label.x < box.x0 + 3
            assert box.x0 > m.x
        else:
            assert anchor == ("start" if rtl else "end") and box.x1 - 3 < m.label.x <= box.x1
            assert box.x1 < m.x


def test_no_external_references_scripts_or_styles() -> None:
    points = points_of(theatre("tripoli", "tarhuna", "gharyan"))
    svg = str(draw(points))
    root = parse(svg)
    tags = {e.tag.removeprefix(SVG) for e in root.iter()}
    assert tags <= {"svg", "title", "desc", "rect", "path", "g", "a", "circle", "text"}
    assert {"path", "rect"} <= tags  # the basemap is drawn, with no image or tile
    assert "xlink" not in svg and "url(" not in svg and "@import" not in svg and "<script" not in svg
    hrefs = {a.get("href") for a in root.iter(f"{SVG}a")}
    assert hrefs == {p.href for p in points}
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg\")", svg)


def test_numbers_have_at_most_one_decimal() -> None:
    root = parse(draw(points_of(theatre("tripoli", "tarhuna", "gharyan", "misrata"))))
    geometry = ("x", "y", "cx", "cy", "r", "width", "height", "d", "viewBox")
    values = [e.get(name, "") for e in root.iter() for name in geometry]
    assert any(re.search(r"\d\.\d", v) for v in values)  # rounded, not truncated to integers
    assert not any(re.search(r"\d\.\d\d|-0(?![.\d])", v) for v in values)


def test_output_is_deterministic() -> None:
    points = points_of(theatre("benghazi"))
    first = draw(points)
    assert draw(list(points)) == first
    assert draw([MapPoint(**vars(p)) for p in points]) == first
    assert isinstance(first, Markup)


def test_no_points_draws_nothing() -> None:
    assert draw([]) == Markup("")
    with pytest.raises(ValueError):
        map_layout([], lang="en")


def test_impossible_coordinates_are_refused() -> None:
    with pytest.raises(ValueError, match="impossible"):
        draw([point("a", math.nan, 20.0)])


# --- Escaping -------------------------------------------------------------------------------


def test_every_text_is_escaped() -> None:
    evil = '<script>alert("x")</script> & <b>'
    points = [
        MapPoint("a", evil, 32.1, 20.0, '../places/a/"><script>x</script>'),
        MapPoint("b", "Tom & Jerry's", 32.2, 20.1, None),
    ]
    svg = str(
        campaign_map_svg(points, lang="en", title="A <b>bold</b> & title", description="</desc><script>")
    )
    assert "<script" not in svg and "<b>" not in svg
    root = parse(svg)
    assert not [e for e in root.iter() if e.tag.removeprefix(SVG) in ("script", "b")]
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text == "A <b>bold</b> & title"
    assert desc is not None and desc.text == "</desc><script>"
    label_texts = {t.text for t in root.iter(f"{SVG}text") if t.get("class") == "bg-map-label"}
    assert label_texts <= {evil, "Tom & Jerry's"}
    assert {t.text for g in markers(root) for t in g.iter(f"{SVG}title")} == {evil, "Tom & Jerry's"}
    assert {a.get("href") for a in root.iter(f"{SVG}a")} == {'../places/a/"><script>x</script>'}


def test_characters_xml_cannot_hold_are_dropped() -> None:
    points = [MapPoint("a", "Ben\x00gha\x1bzi\ufffe", 32.1, 20.0, "../a/\x07"), point("b", 32.2, 20.1)]
    root = parse(campaign_map_svg(points, lang="en", title="T\x0c", description="D\x01"))
    assert {g.find(f"{SVG}title").text for g in markers(root)} == {"Benghazi", "B"}  # type: ignore[union-attr]
    assert {a.get("href") for a in root.iter(f"{SVG}a")} == {"../a/"}


def test_an_empty_label_falls_back_to_the_place_id() -> None:
    root = parse(draw([MapPoint("sabri", "  ", 32.1, 20.0, None)]))
    assert [g.find(f"{SVG}title").text for g in markers(root)] == ["sabri"]  # type: ignore[union-attr]


# --- Projection -----------------------------------------------------------------------------


def test_east_is_right_and_north_is_up() -> None:
    pos = centres(parse(draw([point("sw", 32.0, 20.0), point("ne", 32.1, 20.2), point("se", 32.0, 20.2)])))
    assert pos["ne"][0] > pos["sw"][0] and pos["ne"][1] < pos["sw"][1]
    assert pos["se"][0] == pytest.approx(pos["ne"][0]) and pos["se"][1] > pos["ne"][1]
    assert pos["se"][1] == pytest.approx(pos["sw"][1])


def test_benghazi_districts_lie_where_they_are() -> None:
    pos = centres(parse(draw(points_of(theatre("benghazi")))))
    assert pos["qawarsha"][0] < pos["benghazi"][0]  # west of the centre
    assert pos["qawarsha"][1] > pos["benghazi"][1]  # and south of it
    assert pos["ganfouda"][0] < pos["qawarsha"][0]  # further west, along the coast road
    assert pos["benina"][0] > pos["benghazi"][0]  # the airport is east, inland
    assert pos["sabri"] == pos["benghazi"]  # the gazetteer gives them one point
    # Everything is inside the map.
    for x, y in pos.values():
        assert 0 < x < 720 and 0 < y < 480


def test_tripoli_front_lies_where_it_is() -> None:
    roots = ("tripoli", "tarhuna", "gharyan", "al-watiya", "misrata")
    pos = centres(parse(draw(points_of(theatre(*roots)))))
    tripoli = pos["tripoli"]
    assert pos["tarhuna"][0] > tripoli[0] and pos["tarhuna"][1] > tripoli[1]  # south-east
    assert pos["gharyan"][1] > pos["tarhuna"][1]  # south, further than Tarhuna
    assert abs(pos["gharyan"][0] - tripoli[0]) < abs(pos["gharyan"][1] - tripoli[1])  # mostly south
    assert pos["al-watiya"][0] < tripoli[0]  # west
    assert pos["misrata"][0] > pos["tarhuna"][0]  # east along the coast


def test_distances_look_right_at_libyas_latitude() -> None:
    # A degree of longitude is cos(32°) ≈ 0.85 of a degree of latitude here.
    pos = centres(parse(draw([point("o", 32.0, 20.0), point("n", 32.5, 20.0), point("e", 32.0, 20.5)])))
    north = pos["o"][1] - pos["n"][1]
    east = pos["e"][0] - pos["o"][0]
    assert east / north == pytest.approx(math.cos(math.radians((32.0 + 32.5 + 32.0) / 3)), abs=0.01)


@pytest.mark.parametrize(
    ("west", "east"),
    [(20.0, 20.05), (20.0, 20.4), (13.0, 14.0), (11.9, 16.6), (9.5, 25.0)],
)
def test_scale_bar_matches_its_label(west: float, east: float) -> None:
    a, b = point("a", 32.1, west), point("b", 32.1, east)
    root = parse(draw([a, b]))
    pos = centres(root)
    px_per_km = (pos["b"][0] - pos["a"][0]) / haversine_km(a.lat, a.lon, b.lat, b.lon)
    length, km, _ = scale_bar(root)
    assert length == pytest.approx(km * px_per_km, rel=0.02)
    assert 0.04 * 720 < length <= 0.22 * 720 + 0.1
    assert re.fullmatch(r"[125]0*|0\.0*[125]", f"{km:g}")


def test_scale_bar_on_a_real_campaign() -> None:
    places = {p.id: p for p in theatre("tripoli", "misrata", "sirte", "jufra")}
    root = parse(draw(points_of(list(places.values()))))
    pos = centres(root)
    tripoli, sirte = places["tripoli"], places["sirte"]
    px = math.dist(pos["tripoli"], pos["sirte"])
    km = haversine_km(tripoli.lat, tripoli.lon, sirte.lat, sirte.lon)
    length, bar_km, _ = scale_bar(root)
    assert length / bar_km == pytest.approx(px / km, rel=0.02)


@pytest.mark.parametrize(("lang", "left"), [("en", True), ("ar", False)])
def test_scale_bar_sits_in_the_reading_corner(lang: str, left: bool) -> None:
    root = parse(draw([point("a", 32.1, 20.0), point("b", 32.3, 20.4)], lang))
    length, _, x = scale_bar(root)
    assert (x < 360) is left and (x + length > 360) is not left
    assert map_layout([point("a", 32.1, 20.0)], lang=lang).scale_bar.y > 400  # at the bottom


def test_graticule_lines_fall_on_round_degrees() -> None:
    layout = map_layout(points_of(theatre("benghazi")), lang="en")
    lons = [layout.projection.unproject(x, 0)[1] for x in layout.meridians]
    lats = [layout.projection.unproject(0, y)[0] for y in layout.parallels]
    assert 2 <= len(lons) <= 7 and 1 <= len(lats) <= 7
    for value in lons + lats:
        assert round(value * 100) == pytest.approx(value * 100, abs=1e-6)


# --- Degenerate inputs ----------------------------------------------------------------------


def test_a_single_point_is_centred_at_the_minimum_zoom() -> None:
    layout = map_layout([point("benghazi", 32.12, 20.07, href="../b/")], lang="en")
    (m,) = layout.markers
    assert m.x == pytest.approx(360) and 0 < m.y < 480
    top = layout.projection.unproject(0, 0)[0]
    bottom = layout.projection.unproject(0, 480)[0]
    assert MIN_SPAN_DEG < top - bottom < 4 * MIN_SPAN_DEG
    assert m.label is not None
    root = parse(draw([point("benghazi", 32.12, 20.07, href="../b/")]))
    assert len(markers(root)) == 1


def test_identical_points_are_all_drawn_and_labelled_around() -> None:
    points = [point(f"p{i}", 32.12, 20.07, label=f"Place {i}", href=f"../p{i}/") for i in range(6)]
    layout = map_layout(points, lang="en")
    assert len({(m.x, m.y) for m in layout.markers}) == 1
    # Right, left, above and below are free; the rest would overlap those, so they are left
    # out (their markers' titles still name them).
    assert {m.label.side for m in layout.markers if m.label} == {"right", "left", "above", "below"}
    assert_labels_clear(layout)
    root = parse(draw(points))
    assert len(markers(root)) == 6
    assert {a.get("href") for a in root.iter(f"{SVG}a")} == {p.href for p in points}


def test_a_wide_and_a_tall_spread_both_fit() -> None:
    for points in (
        [point("w", 32.0, 10.0), point("e", 32.0, 25.0)],
        [point("s", 20.0, 17.0), point("n", 33.0, 17.0)],
    ):
        for m in map_layout(points, lang="en").markers:
            assert m.r <= m.x <= 720 - m.r and m.r <= m.y <= 480 - m.r


# --- Markers and labels ---------------------------------------------------------------------


def test_marker_area_grows_with_weight() -> None:
    assert marker_radius(1) < marker_radius(4) < marker_radius(9)
    assert marker_radius(4) == pytest.approx(2 * marker_radius(1))
    assert marker_radius(0) == marker_radius(1) == marker_radius(-3)
    assert marker_radius(10_000) <= 18


def test_approximate_places_are_dashed_rings() -> None:
    root = parse(draw([point("a", 32.1, 20.0, approximate=True), point("b", 32.2, 20.1)]))
    by_id = {g.get("data-place"): g for g in markers(root)}
    ring = by_id["a"].find(f"{SVG}circle")
    dot = by_id["b"].find(f"{SVG}circle")
    assert ring is not None and ring.get("stroke-dasharray")
    assert dot is not None and not dot.get("stroke-dasharray")
    assert "bg-map-approximate" in by_id["a"].get("class", "")
    assert by_id["a"].find(f"{SVG}title").text.startswith("A (")  # type: ignore[union-attr]


def test_smaller_markers_are_drawn_over_bigger_ones() -> None:
    root = parse(draw([point("small", 32.12, 20.07), point("big", 32.12, 20.07, weight=16)]))
    assert [g.get("data-place") for g in markers(root)] == ["big", "small"]


def test_benghazi_cluster_of_ten_labels_does_not_overlap() -> None:
    places = [p for p in theatre("benghazi") if p.id != "benghazi"][:10]
    assert len(places) == 10
    points = [
        MapPoint(p.id, p.en, p.lat, p.lon, None, weight=len(p.id) % 4 + 1, approximate=p.approximate)
        for p in places
    ]
    for lang in ("en", "ar"):
        pts = (
            points
            if lang == "en"
            else [MapPoint(**{**vars(p), "label": places[i].ar}) for i, p in enumerate(points)]
        )
        layout = map_layout(pts, lang=lang)
        assert_labels_clear(layout)
        assert sum(m.label is not None for m in layout.markers) >= 7
        heaviest = max(layout.markers, key=lambda m: m.point.weight)
        assert heaviest.label is not None  # the most important place is always named


def spots(markers: Sequence[Marker], within: float = 8.0) -> int:
    """How many places a reader can tell apart: markers closer than `within` px are one spot."""
    group = list(range(len(markers)))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for (i, a), (j, b) in combinations(enumerate(markers), 2):
        if math.hypot(a.x - b.x, a.y - b.y) < within:
            group[root(i)] = root(j)
    return len({root(i) for i in range(len(markers))})


def test_whole_theatres_label_without_overlap() -> None:
    for roots in (("benghazi",), ("tripoli", "tarhuna", "gharyan", "al-watiya", "misrata", "sirte", "jufra")):
        for lang in ("en", "ar"):
            layout = map_layout(points_of(theatre(*roots), lang), lang=lang)
            assert_labels_clear(layout)
            # Half the markers, unless they crowd into fewer spots than that (Tripoli's thirty
            # quarters are one spot on a map that reaches Jufra): then one label per spot.
            needed = min(len(layout.markers) / 2, spots(layout.markers))
            assert sum(m.label is not None for m in layout.markers) >= needed


def test_spread_out_places_are_all_labelled() -> None:
    places = theatre("tripoli", "gharyan", "misrata", "sirte", "jufra", "zintan", "bani-walid")
    cities = [p for p in places if p.kind in ("city", "town", "region")]
    layout = map_layout(points_of(cities), lang="en")
    assert all(m.label is not None for m in layout.markers)


def test_labels_in_the_svg_are_the_layouts_labels() -> None:
    points = points_of(theatre("benghazi"))
    layout = map_layout(points, lang="en")
    root = parse(draw(points))
    drawn = {
        (t.text, float(t.get("x", "nan")), float(t.get("y", "nan")), t.get("text-anchor"))
        for t in root.iter(f"{SVG}text")
        if t.get("class") == "bg-map-label"
    }
    expected = {
        (m.label_text, round(m.label.x, 1), round(m.label.y, 1), m.label.anchor)
        for m in layout.markers
        if m.label is not None
    }
    assert drawn == expected


def test_label_width_estimate() -> None:
    assert label_width("Benghazi") < label_width("Benghazi western gate")
    assert label_width("بنغازي") > 4 * 12 * 0.5  # not taken as zero-width marks
    assert label_width("بِنْغَازِي") == label_width("بنغازي")  # harakat take no room
    assert label_width("WWW") > label_width("iii")


# --- Property: anything inside Libya draws ------------------------------------------------

_labels = st.text(max_size=30)
_hrefs = st.none() | st.text(max_size=20)


@st.composite
def libya_points(draw_: st.DrawFn) -> list[MapPoint]:
    n = draw_(st.integers(min_value=1, max_value=20))
    clustered = draw_(st.booleans())
    if clustered:  # a tight cluster, down to identical points
        lat0 = draw_(st.floats(LIBYA["south"], LIBYA["north"]))
        lon0 = draw_(st.floats(LIBYA["west"], LIBYA["east"]))
        spread = draw_(st.sampled_from([0.0, 0.001, 0.02, 0.1]))
        lats = st.floats(lat0 - spread, lat0 + spread)
        lons = st.floats(lon0 - spread, lon0 + spread)
    else:
        lats = st.floats(LIBYA["south"], LIBYA["north"])
        lons = st.floats(LIBYA["west"], LIBYA["east"])
    return [
        MapPoint(
            place_id=f"p{i}",
            label=draw_(_labels),
            lat=draw_(lats),
            lon=draw_(lons),
            href=draw_(_hrefs),
            weight=draw_(st.integers(min_value=-2, max_value=500)),
            approximate=draw_(st.booleans()),
        )
        for i in range(n)
    ]


@settings(max_examples=150, deadline=None)
@given(points=libya_points(), lang=st.sampled_from(["en", "ar"]), title=_labels)
def test_any_points_in_libya_draw_a_well_formed_map(points: list[MapPoint], lang: str, title: str) -> None:
    svg = campaign_map_svg(points, lang=lang, title=title, description=title)
    root = parse(svg)
    assert len(markers(root)) == len(points)
    for x, y in centres(root).values():
        assert 0 <= x <= 720 and 0 <= y <= 480
    assert campaign_map_svg(points, lang=lang, title=title, description=title) == svg
    assert_labels_clear(map_layout(points, lang=lang))


# --- Basemap, ticks, inset, legend --------------------------------------------------------


def on_land(layout: MapLayout, x: float, y: float) -> bool:
    """Even-odd point in polygon over the land rings drawn."""
    inside = False
    for ring in layout.land:
        for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


def tripoli_front() -> list[MapPoint]:
    return points_of(theatre("tripoli", "tarhuna", "al-watiya"))


def test_the_basemap_ships_with_the_package_and_names_its_sources() -> None:
    import tomllib

    from briefgen.site.maps import load_basemap

    data = json.loads((ROOT / "briefgen" / "site" / "basemap" / "libya.json").read_text())
    assert "Natural Earth" in json.dumps(data["source"]) and "GSHHG" in json.dumps(data["source"])
    assert "public domain" in json.dumps(data["licence"]) and "LGPL" in json.dumps(data["licence"])
    assert "scripts/make_basemap.py" in data["regenerate"]
    assert (ROOT / "scripts" / "make_basemap.py").is_file()
    assert len((ROOT / "briefgen" / "site" / "basemap" / "libya.json").read_bytes()) < 60_000  # tens of KB
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "basemap/*.json" in package_data["briefgen.site"]
    basemap = load_basemap()
    assert {layer.name for layer in basemap.layers} == {"overview", "tripolitania", "cyrenaica"}
    assert basemap.libya and all(len(ring) > 20 for ring in basemap.libya)


def test_theatre_maps_draw_their_detailed_coast_and_a_wide_map_the_overview() -> None:
    assert map_layout(points_of(theatre("benghazi")), lang="en").basemap_layer == "cyrenaica"
    assert map_layout(tripoli_front(), lang="en").basemap_layer == "tripolitania"
    wide = map_layout([point("w", 32.9, 13.2), point("e", 32.1, 20.1)], lang="en")
    assert wide.basemap_layer == "overview"


def test_coast_lies_where_it_is() -> None:
    layout = map_layout(tripoli_front(), lang="en")
    project = layout.projection.project
    # Tripoli's old city is on the shore: on land, with the sea 3 km north of it.
    assert on_land(layout, *project(32.89, 13.18))
    assert not on_land(layout, *project(32.92, 13.18))
    assert on_land(layout, *project(32.1, 13.0))  # the Jafara plain, well inland
    assert not on_land(layout, *project(33.05, 12.5))  # the Mediterranean
    benghazi = map_layout(points_of(theatre("benghazi")), lang="en")
    assert on_land(benghazi, *benghazi.projection.project(32.117, 20.067))  # the city centre
    assert on_land(benghazi, *benghazi.projection.project(32.09, 20.27))  # Benina, inland
    assert not on_land(benghazi, *benghazi.projection.project(32.15, 19.95))  # the sea off the port


def test_basemap_is_clipped_to_the_map_and_rounded() -> None:
    layout = map_layout(tripoli_front(), lang="en")
    assert layout.land and layout.coast
    for line in (*layout.land, *layout.coast, *layout.borders):
        for x, y in line:
            assert -2 <= x <= layout.width + 2 and -2 <= y <= layout.height + 2
            assert round(x, 1) == x and round(y, 1) == y


def test_borders_are_drawn_where_a_neighbour_shows() -> None:
    # Zuwara to Ben Gardane: the Tunisian border runs between them.
    layout = map_layout([point("zuwara", 32.93, 12.08), point("ben-gardane", 33.14, 11.22)], lang="en")
    assert layout.borders
    root = parse(draw([point("zuwara", 32.93, 12.08), point("ben-gardane", 33.14, 11.22)]))
    classes = {e.get("class") for e in root.iter()}
    assert {"bg-map-sea", "bg-map-land", "bg-map-coast", "bg-map-borders"} <= classes
    # Inland in the Benghazi theatre there is no border to draw.
    assert not map_layout(points_of(theatre("benghazi")), lang="en").borders


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_ticks_name_the_graticule_lines_in_the_pages_language(lang: str) -> None:
    layout = map_layout(tripoli_front(), lang=lang)
    step = 0.5
    assert layout.ticks
    east, north = ("ق", "ش") if lang == "ar" else ("E", "N")
    for tick in layout.ticks:
        number = float(re.search(r"\d+\.\d", tick.text).group())  # type: ignore[union-attr]
        assert round(number / step) * step == pytest.approx(number)
        if tick.text.endswith(east):
            # A meridian's label is centred on its line.
            x = layout.projection.project(layout.projection.lat0, number)[0]
            assert tick.x == pytest.approx(x)
        else:
            assert tick.text.endswith(north)
            y = layout.projection.project(number, layout.projection.lon_c)[1]
            assert tick.box.y1 == pytest.approx(y - 1)
        for other in (layout.scale_bar.box, layout.north, *([layout.inset.box] if layout.inset else [])):
            assert not tick.box.overlaps(other)
    assert any(t.text.endswith(east) for t in layout.ticks) and any(
        t.text.endswith(north) for t in layout.ticks
    )
    if lang == "en":
        assert {"12.5°E", "13.0°E", "32.5°N"} <= {t.text for t in layout.ticks}
    else:
        assert "\u206613.0°\u2069 ق" in {t.text for t in layout.ticks}  # the number isolated LTR


def test_inset_locates_the_map_within_libya() -> None:
    for points in (points_of(theatre("benghazi")), tripoli_front()):
        layout = map_layout(points, lang="en")
        inset = layout.inset
        assert inset is not None
        assert all(not inset.box.hits_circle(m.x, m.y, m.r) for m in layout.markers)
        xs = [x for ring in inset.libya for x, _ in ring]
        ys = [y for ring in inset.libya for _, y in ring]
        assert (
            inset.box.x0 < min(xs) < max(xs) < inset.box.x1
            and inset.box.y0 < min(ys) < max(ys) < inset.box.y1
        )
        e = inset.extent
        # The theatres are on the coast, in the north; Benghazi east of Tripoli.
        assert e.y0 < (min(ys) + max(ys)) / 2
        assert inset.land  # the neighbours are drawn too
    tripoli = map_layout(tripoli_front(), lang="en").inset
    benghazi = map_layout(points_of(theatre("benghazi")), lang="en").inset
    assert tripoli is not None and benghazi is not None
    assert tripoli.extent.x0 - tripoli.box.x0 < benghazi.extent.x0 - benghazi.box.x0


def test_inset_stays_off_markers_in_every_corner() -> None:
    # Markers in the four corners: the inset finds room between them, or is left out.
    corners = [
        point("nw", 33.0, 12.0),
        point("ne", 33.0, 14.0),
        point("sw", 32.0, 12.0),
        point("se", 32.0, 14.0),
    ]
    layout = map_layout(corners, lang="en")
    assert layout.inset is None or not any(
        layout.inset.box.hits_circle(m.x, m.y, m.r) for m in layout.markers
    )
    # A grid of places all over the map leaves no corner free.
    grid = [point(f"p{i}{j}", 32.0 + i * 0.25, 12.0 + j * 0.4) for i in range(5) for j in range(6)]
    assert map_layout(grid, lang="en").inset is None


def test_legend_explains_marker_sizes_and_approximate_places() -> None:
    points = [point("a", 32.1, 20.0, weight=1), point("b", 32.2, 20.1, weight=23, approximate=True)]
    layout = map_layout(points, lang="en")
    sizes = [item for item in layout.legend if item.kind == "size"]
    assert [item.text for item in sizes] == ["1 event", "5 events", "23 events"]
    assert [item.r for item in sizes] == [marker_radius(1), marker_radius(5), marker_radius(23)]
    assert [item.kind for item in layout.legend][-1] == "approximate"
    assert all(item.y > layout.height for item in layout.legend)  # in the band under the map
    arabic = map_layout(points, lang="ar")
    assert [item.text for item in arabic.legend] == ["حدث واحد", "5 أحداث", "23 حدثًا", "موقع تقريبي"]
    assert arabic.legend[0].x > arabic.legend[1].x  # from the right
    only_exact = map_layout([point("a", 32.1, 20.0, weight=2)], lang="en")
    assert [item.text for item in only_exact.legend] == ["1 event", "2 events"]
    root = parse(draw(points))
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "bg-map-legend")
    assert [t.text for t in legend.iter(f"{SVG}text")] == [
        "1 event",
        "5 events",
        "23 events",
        "approximate location",
    ]
    height = float(root.get("viewBox", "").split()[3])
    assert height > 480


def test_seed_maps_stay_small() -> None:
    # The basemap is simplified to the map's pixels and rounded to a decimal: a theatre
    # map, basemap and all, is a few tens of KB at most.
    for points in (points_of(theatre("benghazi")), tripoli_front()):
        assert len(str(draw(points)).encode()) < 40_000


def test_basemap_script_encoding_round_trips_and_simplifies_within_its_tolerance() -> None:
    import importlib.util

    from briefgen.site.maps import _decode

    spec = importlib.util.spec_from_file_location("make_basemap", ROOT / "scripts" / "make_basemap.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    line = [(13.0 + i / 100, 32.9 + math.sin(i / 5) / 50) for i in range(200)]
    # What the script writes, the build reads back to within half a unit.
    back = _decode(script.encode(line), script.UNIT)
    assert len(back) == len(line)
    assert all(
        abs(a - c) <= script.UNIT / 2 + 1e-12 and abs(b - d) <= script.UNIT / 2 + 1e-12
        for (a, b), (c, d) in zip(line, back, strict=True)
    )
    simple = script.douglas_peucker(line, 0.002, 1.0)
    assert simple[0] == line[0] and simple[-1] == line[-1] and 3 < len(simple) < len(line) / 4
    # No dropped point lies further than the tolerance from the simplified line.
    for x, y in line:
        nearest = min(
            abs((x1 - x0) * (y0 - y) - (x0 - x) * (y1 - y0)) / math.hypot(x1 - x0, y1 - y0)
            for (x0, y0), (x1, y1) in pairwise(simple)
            if min(x0, x1) - 1e-9 <= x <= max(x0, x1) + 1e-9
        )
        assert nearest <= 0.002 + 1e-9
    # A square half outside the box is cut along the box's edge.
    square = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)]
    clipped = script.clip_ring(square, (1.0, -1.0, 3.0, 3.0))
    assert sorted(clipped) == [(1.0, 0.0), (1.0, 2.0), (2.0, 0.0), (2.0, 2.0)]


def test_every_place_of_a_theatre_map_lies_on_its_land() -> None:
    """A gazetteer place drawn on a theatre map lies on the land that map draws (a port may sit
    on its shore, within a kilometre): a marker at sea tells a reader the coordinates are wrong."""
    from briefgen.site.maps import _inside_rings, load_basemap

    theatres = [layer for layer in load_basemap().layers if layer.name != "overview"]
    at_sea = []
    for place in gazetteer().places:
        layer = next(
            (
                t
                for t in theatres
                if t.bbox[0] <= place.lon <= t.bbox[2] and t.bbox[1] <= place.lat <= t.bbox[3]
            ),
            None,
        )
        if layer is None or _inside_rings(place.lon, place.lat, layer.land):
            continue
        near = any(
            _inside_rings(place.lon + dx, place.lat + dy, layer.land)
            for dx in (-0.01, 0.0, 0.01)
            for dy in (-0.01, 0.0, 0.01)
        )
        if not near:
            at_sea.append(place.id)
    assert at_sea == []
