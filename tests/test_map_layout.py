"""The campaign map: geometry that is right, labels that don't collide, SVG that is safe and offline."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.gazetteer import Place, load_gazetteer
from briefgen.site.maps import MapPoint, campaign_map_svg, map_layout

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
