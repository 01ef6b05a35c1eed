"""chronology.csv in the field's terms: ACLED's column names and codes, UCDP GED's date_prec."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, get_args

import pytest

from briefgen.event_types import EventType
from briefgen.gazetteer import LIBYA_ADMIN1, Place, load_gazetteer
from briefgen.site.exports import (
    ACLED_EVENT_TYPES,
    ACLED_TYPE,
    _entity_record,
    acled_time_precision,
    chronology_csv,
    ucdp_date_prec,
)

ROOT = Path(__file__).resolve().parent.parent

# ACLED's columns in ACLED's order (codebook 2024, "ACLED Data Columns at a Glance"),
# written out here so that the test does not take the code's word for them.
ACLED_ALL_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
EXPECTED_HEADER = [
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "source",
    "notes",
    "fatalities",
    # briefgen's own, after ACLED's
    "event_id",
    "date_end",
    "campaign",
    "briefgen_type",
    "other_actors",
    "other_locations",
    "source_urls",
    "notes_ar",
]


def _rows(site: Path) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO((site / "data" / "chronology.csv").read_text(encoding="utf-8")))
    rows = list(reader)
    assert reader.fieldnames is not None
    return list(reader.fieldnames), rows


def test_the_header_is_acleds_names_in_acleds_order_then_briefgens(seed_site: Path) -> None:
    header, _ = _rows(seed_site)
    # h-evmem's `origin` (issue 12, item 3) may follow; nothing before it moves.
    assert header[: len(EXPECTED_HEADER)] == EXPECTED_HEADER
    acled = [c for c in header if c in ACLED_ALL_COLUMNS]
    assert acled == [c for c in ACLED_ALL_COLUMNS if c in acled], "ACLED's columns in ACLED's order"
    assert header[: len(acled)] == acled, "briefgen's own columns come after ACLED's"
    assert {"event_date", "time_precision", "sub_event_type", "actor2", "admin1", "source"} <= set(acled)


# The pairs the brief and ACLED's definitions give; every other type is checked for validity.
KNOWN_PAIRS = {
    "air_strike": ("Explosions/Remote violence", "Air/drone strike"),
    "armed_clash": ("Battles", "Armed clash"),
    "shelling": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "protest": ("Protests", "Peaceful protest"),
    "mine_clearance": ("Strategic developments", "Disrupted weapons use"),
    "arrest": ("Strategic developments", "Arrests"),
}


@pytest.mark.parametrize("briefgen_type", get_args(EventType))
def test_each_briefgen_type_maps_to_a_valid_acled_pair(briefgen_type: str) -> None:
    event_type, sub_event_type = ACLED_TYPE[briefgen_type]  # type: ignore[index]
    assert sub_event_type in ACLED_EVENT_TYPES[event_type]
    if briefgen_type in KNOWN_PAIRS:
        assert (event_type, sub_event_type) == KNOWN_PAIRS[briefgen_type]


def test_acleds_vocabulary_is_acleds() -> None:
    assert set(ACLED_EVENT_TYPES) == {
        "Battles",
        "Protests",
        "Riots",
        "Explosions/Remote violence",
        "Violence against civilians",
        "Strategic developments",
    }
    assert sum(len(v) for v in ACLED_EVENT_TYPES.values()) == 25


# (precision, date_start, date_end) → (ACLED time_precision, UCDP GED date_prec)
PRECISIONS = [
    (("day", "2019-04-04", "2019-04-04"), (1, 1)),
    (("reported", "2019-04-04", "2019-04-04"), (2, 2)),
    (("week", "2019-04-07", "2019-04-13"), (2, 3)),
    (("month", "2019-04-01", "2019-04-30"), (3, 4)),
    (("year", "2011-01-01", "2011-12-31"), (3, 5)),
    # approximate: by the length of its range
    (("approximate", "2019-04-04", "2019-04-04"), (1, 1)),
    (("approximate", "2019-04-03", "2019-04-05"), (2, 2)),  # «قبل يومين»: ±1 day
    (("approximate", "2019-04-01", "2019-04-07"), (2, 3)),
    (("approximate", "2019-04-01", "2019-04-10"), (3, 4)),  # «مطلع أبريل»
    (("approximate", "2019-02-03", "2019-03-05"), (3, 4)),  # «قبل نحو شهرين»: ±15 days
    (("approximate", "2019-02-01", "2019-04-04"), (3, 5)),  # «في الآونة الأخيرة»: 2 months
]


@pytest.mark.parametrize(("dating", "codes"), PRECISIONS)
def test_precision_codes(dating: tuple[str, str, str], codes: tuple[int, int]) -> None:
    assert (acled_time_precision(*dating), ucdp_date_prec(*dating)) == codes


def _record(**fields: Any) -> dict[str, Any]:
    """A chronology.json record as exports.py writes it, with `fields` changed."""
    return {
        "id": "x",
        "date_start": "2019-04-04",
        "date_end": "2019-04-04",
        "precision": "day",
        "campaign": None,
        "type": "armed_clash",
        "places": [],
        "actors": [],
        "text_ar": "نص",
        "text_en": None,
        "figures": [],
        "sources": [],
        "origin": "machine",
        **fields,
    }


def test_the_csv_carries_acleds_time_precision_and_the_range() -> None:
    record = _record(
        date_start="2019-04-01", date_end="2019-04-10", precision="approximate", type="mine_clearance"
    )
    (row,) = csv.DictReader(io.StringIO(chronology_csv([record])))
    assert (row["event_date"], row["date_end"], row["time_precision"]) == ("2019-04-01", "2019-04-10", "3")
    assert (row["event_type"], row["sub_event_type"]) == ("Strategic developments", "Disrupted weapons use")
    assert row["briefgen_type"] == "mine_clearance"
    assert row["admin1"] == row["country"] == row["location"] == ""


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer(ROOT / "content" / "gazetteer.yml")


@pytest.mark.parametrize(
    ("place_id", "admin1"),
    [
        ("benghazi", "Benghazi"),
        ("qawarsha", "Benghazi"),  # through part_of
        ("marisa-port", "Benghazi"),  # two steps up
        ("benina-air-base", "Benghazi"),
        ("tripoli", "Tripoli"),
        ("red-rest-house", "Tripoli"),
        ("tripoli-international-airport", "Tripoli"),
        ("tarhuna", "Al Marqab"),
        ("al-sharidat", "Al Marqab"),
        ("ras-lanuf", "Surt"),
        ("brega", "Al Wahat"),
        ("misrata", "Misratah"),
        ("bani-walid", "Misratah"),
        ("sabratha", "Az Zawiyah"),
        ("al-watiya", "An Nuqat al Khams"),
        ("jufra-air-base", "Al Jufrah"),
        ("gharyan", "Al Jabal al Gharbi"),
        ("derna", "Darnah"),
        # a region spanning districts, the country, and places abroad have none
        ("oil-crescent", None),
        ("libya", None),
        ("cairo", None),
    ],
)
def test_admin1_of_seed_places(gazetteer, place_id: str, admin1: str | None) -> None:
    assert gazetteer.admin1(place_id) == admin1


def test_every_place_in_libya_lies_in_a_district(gazetteer) -> None:
    """A place added under Libya without an `admin1` (its own or its parent's) would leave the
    CSV's admin1 empty; regions are the exception, as they may span districts."""
    missing = [
        place.id
        for place in gazetteer.places
        if place.kind not in ("country", "region", "sea")
        and any(a.id == "libya" for a in gazetteer.ancestors(place.id))
        and gazetteer.admin1(place.id) is None
    ]
    assert missing == []
    assert {p.admin1 for p in gazetteer.places if isinstance(p, Place) and p.admin1} <= set(LIBYA_ADMIN1)


def test_the_seed_csv_in_acleds_terms(seed_site: Path) -> None:
    _, rows = _rows(seed_site)
    assert rows
    for row in rows:
        assert row["sub_event_type"] in ACLED_EVENT_TYPES[row["event_type"]], row["event_id"]
        assert row["time_precision"] in {"1", "2", "3"}
        if row["country"] == "Libya" and row["location"] != "Libya":
            # A Libyan place, not the country itself: its district is known, unless a region.
            regions = {"Oil Crescent", "western coast"}
            assert row["admin1"] in LIBYA_ADMIN1 or row["location"] in regions, row["event_id"]
    assert {r["admin1"] for r in rows} >= {"Benghazi", "Tripoli"}
    assert any(r["actor2"] for r in rows), "two sides, where an entry names two"
    assert all(r["actor1"] != r["actor2"] for r in rows if r["actor2"])


def test_docs_give_the_code_s_type_and_precision_tables() -> None:
    """docs/data.md is what analysts read: its tables say what the code does."""
    doc = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    for briefgen_type, (event_type, sub_event_type) in ACLED_TYPE.items():
        assert f"| `{briefgen_type}` | {event_type} | {sub_event_type} |" in doc, briefgen_type
    rows = {
        line.split("|")[1].strip(): line.split("|")[3:5]
        for line in doc.splitlines()
        if line.startswith("| `") and line.count("|") == 5
    }
    for precision, start, end in (
        ("day", "2019-04-04", "2019-04-04"),
        ("reported", "2019-04-04", "2019-04-04"),
        ("week", "2019-04-07", "2019-04-13"),
        ("month", "2019-04-01", "2019-04-30"),
        ("year", "2019-01-01", "2019-12-31"),
    ):
        acled, ucdp = rows[f"`{precision}`"]
        assert acled.strip().startswith(str(acled_time_precision(precision, start, end))), precision
        assert ucdp.strip().startswith(str(ucdp_date_prec(precision, start, end))), precision


@pytest.mark.parametrize(
    ("actor_ids", "expected"),
    [
        # a unit and a spokesman of one side, then the other side
        (
            ["21st-saiqa-battalion", "ahmed-al-mismari", "islamic-state"],
            ("Libyan National Army", "21st Saiqa Battalion; Ahmed al-Mismari", "Islamic State", "", ""),
        ),
        # the side itself named after its unit: named once, as the side
        (
            ["saiqa", "lna", "shura-council-benghazi"],
            (
                "Libyan National Army",
                "Saiqa Special Forces",
                "Shura Council of Benghazi Revolutionaries",
                "",
                "",
            ),
        ),
        # a third side goes to other_actors
        (
            ["volcano-of-rage", "lna", "united-nations", "ghassan-salame"],
            (
                "Government of National Accord",
                "Volcano of Rage",
                "Libyan National Army",
                "",
                "United Nations; Ghassan Salamé",
            ),
        ),
        ([], ("", "", "", "", "")),
    ],
)
def test_actor1_and_actor2_are_two_sides_with_their_associated_actors(
    gazetteer, actor_ids: list[str], expected: tuple[str, ...]
) -> None:
    record = _record(type="armed_clash", actors=[_entity_record(gazetteer, a) for a in actor_ids])
    (row,) = csv.DictReader(io.StringIO(chronology_csv([record])))
    columns = ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "other_actors")
    assert tuple(row[c] for c in columns) == expected
