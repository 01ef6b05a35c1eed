"""The campaign map: geometry that is right, labels that don't collide, SVG that is safe and offline."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from itertools import combinations
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.gazetteer import Place, load_gazetteer
from briefgen.site.maps import Box, MapPoint, campaign_map_svg, clip_segment, map_layout

GAZETTEER = load_gazetteer(Path(__file__).resolve().parents[1] / "content" / "gazetteer.yml")
SVG = "{http://www.w3.org/2000/svg}"


def point(place_id: str, weight: int = 1) -> MapPoint:
    place = GAZETTEER.get(place_id)
    assert isinstance(place, Place)
    return MapPoint(
        place_id, place.en, place.lat, place.lon, f"../../entities/{place_id}/", weight, place.approximate
    )


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def test_north_is_up_and_east_is_right() -> None:
    layout = map_layout([point("tripoli"), point("tarhuna"), point("gharyan"), point("al-watiya")], lang="en")
    where = {m.point.place_id: (m.x, m.y) for m in layout.markers}
    assert (
        where["tarhuna"][0] > where["tripoli"][0] and where["tarhuna"][1] > where["tripoli"][1]
    )  # south-east
    assert where["gharyan"][1] > where["tripoli"][1]  # south
    assert where["al-watiya"][0] < where["gharyan"][0]  # west


def test_scale_bar_matches_its_label() -> None:
    layout = map_layout(
        [point("benghazi"), point("qawarsha"), point("ganfouda"), point("benina-air-base")], lang="ar"
    )
    bar = layout.scale_bar
    lat0 = layout.projection.lat0
    left = layout.projection.unproject(bar.x, layout.projection.y_c)
    right = layout.projection.unproject(bar.x + bar.length, layout.projection.y_c)
    measured = haversine_km(left[0], left[1], right[0], right[1])
    assert abs(measured - bar.km) / bar.km < 0.02, (measured, bar.km, lat0)
    assert bar.text.endswith("كم")


def test_labels_do_not_overlap_in_a_tight_cluster() -> None:
    ids = [p.id for p in GAZETTEER.places if p.part_of == "benghazi" or p.id == "benghazi"][:10]
    layout = map_layout([point(i) for i in ids], lang="en")
    boxes = [m.label.box for m in layout.markers if m.label]
    assert len(boxes) >= len(ids) - 2, "nearly every place gets a label"
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)


def test_svg_is_well_formed_accessible_escaped_and_deterministic() -> None:
    evil = MapPoint("x", '<script>alert("x")</script> & co', 32.1, 20.1, "../x/?a=1&b=2", 3)
    points = [evil, point("benghazi", 5)]
    svg_text = str(
        campaign_map_svg(points, lang="en", title="Map: Benghazi & co", description="Places <here>")
    )
    assert svg_text == str(
        campaign_map_svg(points, lang="en", title="Map: Benghazi & co", description="Places <here>")
    )
    assert "<script" not in svg_text
    root = ET.fromstring(svg_text)
    assert root.get("role") == "group" and root.find(f"{SVG}title").text == "Map: Benghazi & co"
    markers = [a for a in root.iter(f"{SVG}a")]
    assert {a.get("href") for a in markers} == {"../x/?a=1&b=2", "../../entities/benghazi/"}
    # Each marker's link is named by a <title> (the label links repeat it, hidden from screen readers).
    named = {a.get("href") for a in markers if a.find(f".//{SVG}title") is not None}
    assert named == {"../x/?a=1&b=2", "../../entities/benghazi/"}
    for element in root.iter():
        for name, value in element.attrib.items():
            assert "http" not in value or name == "xmlns", (name, value)
    assert not list(root.iter(f"{SVG}image")) and not list(root.iter(f"{SVG}script"))


def test_arabic_labels_are_marked() -> None:
    place = GAZETTEER.get("qawarsha")
    svg_text = str(
        campaign_map_svg(
            [MapPoint("qawarsha", place.ar, place.lat, place.lon, None)],
            lang="ar",
            title="خريطة",
            description="وصف",
        )
    )
    root = ET.fromstring(svg_text)
    texts = [t for t in root.iter(f"{SVG}text") if t.text == place.ar]
    assert texts and all(
        t.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar" or t.get("lang") == "ar" for t in texts
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(19.5, 33.2), st.floats(9.3, 25.2), st.text(max_size=20), st.integers(1, 40)),
        min_size=1,
        max_size=15,
    ),
    st.sampled_from(["en", "ar"]),
)
def test_any_points_in_libya_make_a_well_formed_map(raw, lang: str) -> None:
    points = [MapPoint(f"p{i}", label, lat, lon, None, w) for i, (lat, lon, label, w) in enumerate(raw)]
    ET.fromstring(str(campaign_map_svg(points, lang=lang, title="t", description="d")))


# --- The seed's real campaign maps, as built ----------------------------------------------

CAMPAIGNS = ("benghazi-2016", "tripoli-2019-2020")
# The Tripoli front's crowded quarters: six places within about 2 km of Ain Zara.
TRIPOLI_CLUSTER = {
    "ain-zara",
    "azm-buildings",
    "four-streets-alaywa",
    "red-rest-house",
    "shell-al-suwayhli",
    "al-khallatat",
}


def built_map(site: Path, campaign: str, lang: str) -> ET.Element:
    page = (site / ("ar/" if lang == "ar" else "") / "campaigns" / campaign / "index.html").read_text()
    start = page.index('<svg xmlns="http://www.w3.org/2000/svg" class="bg-map"')
    return ET.fromstring(page[start : page.index("</svg>", start) + len("</svg>")])


def built_points(root: ET.Element, lang: str) -> list[MapPoint]:
    """The MapPoints the build drew, from the markers in its SVG and the gazetteer."""
    points = []
    for g in root.iter(f"{SVG}g"):
        if "bg-map-marker" not in g.get("class", "").split():
            continue
        place = GAZETTEER.get(g.get("data-place", ""))
        assert isinstance(place, Place)
        points.append(
            MapPoint(
                place.id,
                getattr(place, lang),
                place.lat,
                place.lon,
                None,
                int(g.get("data-weight", "0")),
                place.approximate,
            )
        )
    # As render.campaign_map orders them: the layout is greedy, so order matters.
    return sorted(points, key=lambda p: (-p.weight, p.place_id))


def test_real_campaign_maps_place_every_label_clear_of_every_other_label_and_marker(seed_site: Path) -> None:
    for campaign in CAMPAIGNS:
        for lang in ("en", "ar"):
            root = built_map(seed_site, campaign, lang)
            layout = map_layout(built_points(root, lang), lang=lang)
            where = f"{campaign} ({lang})"
            # The layout is the map that was built: same circles, same labels.
            drawn = {
                g.get("data-place"): tuple(
                    float(g.find(f"{SVG}circle").get(k, "nan")) for k in ("cx", "cy", "r")
                )  # type: ignore[union-attr]
                for g in root.iter(f"{SVG}g")
                if "bg-map-marker" in g.get("class", "").split()
            }
            assert drawn == {
                m.point.place_id: (round(m.x, 1), round(m.y, 1), round(m.r, 1)) for m in layout.markers
            }
            labels = sorted(
                (t.text, float(t.get("x", "nan")), float(t.get("y", "nan")))
                for t in root.iter(f"{SVG}text")
                if t.get("class") == "bg-map-label"
            )
            assert labels == sorted(
                (m.label_text, round(m.label.x, 1), round(m.label.y, 1)) for m in layout.markers if m.label
            ), where
            # Every place is named on the map: none left to its tooltip.
            assert all(m.label is not None for m in layout.markers), where
            boxes = [(m.label_text, m.label.box) for m in layout.markers if m.label]
            for (a, box_a), (b, box_b) in combinations(boxes, 2):
                assert not box_a.overlaps(box_b), (where, a, b)
            for m in layout.markers:
                assert m.label is not None
                for other in layout.markers:
                    assert not m.label.box.hits_circle(other.x, other.y, other.r), (
                        where,
                        m.label_text,
                        other.label_text,
                    )
                for fixed in (layout.scale_bar.box, layout.north, *(t.box for t in layout.ticks)):
                    assert not m.label.box.overlaps(fixed), (where, m.label_text)
                if layout.inset is not None:
                    assert not m.label.box.overlaps(layout.inset.box), (where, m.label_text)
            # A label beside its marker is plainly nearer to it than to any other marker.
            for m in layout.markers:
                assert m.label is not None
                if m.label.side == "leader":
                    continue
                own = gap(m.label.box, m.x, m.y, m.r)
                for other in layout.markers:
                    if math.hypot(other.x - m.x, other.y - m.y) >= 0.5:
                        assert own + 4 <= gap(m.label.box, other.x, other.y, other.r) + 0.01 or other is m, (
                            where,
                            m.label_text,
                            other.label_text,
                        )
            # Leaders reach their own dot, cross no label and no other leader.
            leaders = [(m, m.label.leader) for m in layout.markers if m.label and m.label.leader]
            for m, (x0, y0, x1, y1) in leaders:
                assert (x1, y1) == (m.x, m.y)
                for other in layout.markers:
                    if other is not m and other.label is not None:
                        assert clip_segment((x0, y0), (x1, y1), other.label.box) is None, (
                            where,
                            m.label_text,
                        )
            for (_, a), (_, b) in combinations(leaders, 2):
                assert not segments_cross(a, b), where


def gap(box: Box, x: float, y: float, r: float) -> float:
    nearest_x = min(max(x, box.x0), box.x1)
    nearest_y = min(max(y, box.y0), box.y1)
    return math.hypot(nearest_x - x, nearest_y - y) - r


def segments_cross(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    def orient(p: tuple[float, float], q: tuple[float, float], r: tuple[float, float]) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    p1, p2, q1, q2 = (a[0], a[1]), (a[2], a[3]), (b[0], b[1]), (b[2], b[3])
    return orient(p1, p2, q1) * orient(p1, p2, q2) < 0 and orient(q1, q2, p1) * orient(q1, q2, p2) < 0


def test_crowded_tripoli_quarters_are_told_apart_by_leaders(seed_site: Path) -> None:
    for lang in ("en", "ar"):
        root = built_map(seed_site, "tripoli-2019-2020", lang)
        layout = map_layout(built_points(root, lang), lang=lang)
        cluster = [m for m in layout.markers if m.point.place_id in TRIPOLI_CLUSTER]
        assert len(cluster) == len(TRIPOLI_CLUSTER)
        # They do crowd: each overlaps or nearly touches another at this scale.
        assert all(
            any(math.hypot(m.x - o.x, m.y - o.y) < m.r + o.r + 3 for o in cluster if o is not m)
            for m in cluster
        )
        for m in cluster:
            assert m.label is not None and m.label.side == "leader", (lang, m.label_text)
        # The drawn leaders are the layout's, ending on the dots.
        path = next(p for p in root.iter(f"{SVG}path") if p.get("class") == "bg-map-leaders")
        ends = {(float(x), float(y)) for x, y in re.findall(r"L(-?[\d.]+) (-?[\d.]+)", path.get("d", ""))}
        assert {(round(m.x, 1), round(m.y, 1)) for m in cluster} <= ends


# --- As Chromium draws them ---------------------------------------------------------------

# Every label's rendered box and every marker's circle, in SVG user units.
RENDERED_JS = """() => {
  const svg = document.querySelector("svg.bg-map");
  const labels = [...svg.querySelectorAll("text.bg-map-label")].map(t => {
    const b = t.getBBox();
    return {text: t.textContent, x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height};
  });
  const markers = [...svg.querySelectorAll("g.bg-map-marker circle")].map(c => ({
    place: c.parentElement.dataset.place,
    x: c.cx.baseVal.value, y: c.cy.baseVal.value, r: c.r.baseVal.value,
  }));
  const land = svg.querySelector("path.bg-map-land").getBBox();
  return {labels, markers, land: {w: land.width, h: land.height}};
}"""


def test_chromium_draws_the_labels_inside_their_boxes_and_clear_of_each_other(seed_site: Path) -> None:
    """The layout sizes labels by estimate: check the real glyphs, in both scripts."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium, served

    require_chromium()
    with served(seed_site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for campaign in CAMPAIGNS:
                for lang in ("en", "ar"):
                    page.goto(f"{base}{'ar/' if lang == 'ar' else ''}campaigns/{campaign}/")
                    page.evaluate("document.fonts.ready")
                    drawn = page.evaluate(RENDERED_JS)
                    where = f"{campaign} ({lang})"
                    assert drawn["land"]["w"] > 100 and drawn["land"]["h"] > 100, where  # a coast is drawn
                    layout = map_layout(built_points(built_map(seed_site, campaign, lang), lang), lang=lang)
                    expected = {m.label_text: m.label.box for m in layout.markers if m.label}
                    assert sorted(label["text"] for label in drawn["labels"]) == sorted(expected), where
                    for label in drawn["labels"]:
                        box = expected[label["text"]]
                        # The glyphs fit the box the layout reserved (1 px of slack for hinting).
                        assert box.x0 - 1 <= label["x0"] and label["x1"] <= box.x1 + 1, (where, label, box)
                        glyphs = Box(label["x0"], label["y0"], label["x1"], label["y1"])
                        for marker in drawn["markers"]:
                            assert not glyphs.hits_circle(marker["x"], marker["y"], marker["r"]), (
                                where,
                                label,
                                marker,
                            )
                    for a, b in combinations(drawn["labels"], 2):
                        box_a = Box(a["x0"], a["y0"], a["x1"], a["y1"])
                        assert not box_a.overlaps(Box(b["x0"], b["y0"], b["x1"], b["y1"])), (where, a, b)
        finally:
            browser.close()


def test_on_a_phone_the_map_keeps_a_readable_size_and_scrolls_inside_its_figure(seed_site: Path) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium, served

    require_chromium()
    with served(seed_site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 800})
            for prefix in ("", "ar/"):
                page.goto(f"{base}{prefix}campaigns/tripoli-2019-2020/")
                sizes = page.evaluate(
                    """() => {
                      const svg = document.querySelector("svg.bg-map");
                      const label = svg.querySelector("text.bg-map-label").getBoundingClientRect();
                      const scroller = svg.closest(".bg-map-scroll");
                      return {map: svg.getBoundingClientRect().width, label: label.height,
                              page: document.documentElement.scrollWidth,
                              scrolls: scroller.scrollWidth > scroller.clientWidth};
                    }"""
                )
                assert sizes["map"] >= 560 and sizes["label"] >= 9, (prefix, sizes)  # text stays legible
                assert sizes["page"] <= 390 and sizes["scrolls"], (
                    prefix,
                    sizes,
                )  # the figure scrolls, not the page
        finally:
            browser.close()
