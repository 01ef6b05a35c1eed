"""The event memory (content/events/): an editor's corrections to the chronology survive
every rebuild, show on the site and in the exports, and bad entries are refused by name."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.config import load_config
from briefgen.memory.events import HEADER, sentence_ids
from briefgen.pipeline.split import split
from briefgen.readers import read_articles

REPO = Path(__file__).resolve().parents[1]
SLUG = "2019-10-17-alraed-ain-zara"
CORRECTED = "174a112d0cb5a264"  # Le Drian's interview: machine-dated `reported`, no campaign
REJECTED = "6a41ded3fe726c6b"  # the three air strikes
ADDED = "6be5a22dc2b0a7ad"  # «وبعد دخول الحرب في شهرها السابع…»: no event for the machine


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def events_file(project: Path, slug: str = SLUG) -> Path:
    return project / "content" / "events" / f"{slug}.yml"


def write_memory(path: Path, data: dict) -> None:
    """As briefgen writes it, so that a rebuild that keeps it changes no byte."""
    text = HEADER.format(slug=data["article"])
    path.write_text(
        text + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096), encoding="utf-8"
    )


def sentence_index(project: Path, slug: str, key: str) -> int:
    article = next(a for a in read_articles(load_config(project / "site_config.yml")) if a.slug == slug)
    return sentence_ids(split(article))[(key, 0)]


def review(project: Path) -> dict:
    """An editor corrects an event's date and campaign, rejects another and adds a missed one."""
    path = events_file(project)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    by_key = {e["key"]: e for e in data["entries"]}
    assert by_key[CORRECTED]["origin"] == "machine" and "campaign" not in by_key[CORRECTED]
    assert ADDED not in by_key
    by_key[CORRECTED].update(
        date_start="2019-10-15", date_end="2019-10-15", precision="day", campaign="tripoli-2019-2020"
    )
    by_key[CORRECTED]["origin"] = "reviewed"
    by_key[REJECTED].update(origin="reviewed", rejected=True)
    added = {
        "key": ADDED,
        "date_start": "2019-10-16",
        "date_end": "2019-10-16",
        "precision": "day",
        "type": "armed_clash",
        "places": ["ain-zara"],
        "actors": [],
        "campaign": "tripoli-2019-2020",
        "origin": "reviewed",
    }
    data["entries"].append(added)
    write_memory(path, data)
    return {"corrected": dict(by_key[CORRECTED]), "rejected": dict(by_key[REJECTED]), "added": added}


def reviewed_blocks(text: str) -> list[str]:
    """Each reviewed entry's lines, as the file holds them."""
    return [b for b in text.split("\n- ")[1:] if "\n  origin: reviewed" in b]


def test_an_editors_corrections_survive_rebuilds_and_show_on_the_site_and_in_the_exports(
    project: Path,
) -> None:
    config = str(project / "site_config.yml")
    run("build", "--config", config)
    assert events_file(project).is_file()
    review(project)
    edited = events_file(project).read_text(encoding="utf-8")
    run("build", "--config", config)
    first = events_file(project).read_bytes()
    run("build", "--config", config)
    second = events_file(project).read_bytes()
    assert first == second
    # All three reviewed entries, byte for byte as the editor wrote them.
    assert reviewed_blocks(first.decode()) == reviewed_blocks(edited) and len(reviewed_blocks(edited)) == 3
    assert first.decode() == edited

    site = project / "site"
    records = json.loads((site / "data" / "chronology.json").read_text(encoding="utf-8"))
    records = records["events"] if isinstance(records, dict) else records
    rejected_index = sentence_index(project, SLUG, REJECTED)
    corrected_index = sentence_index(project, SLUG, CORRECTED)
    added_index = sentence_index(project, SLUG, ADDED)

    def record_of(index: int) -> dict | None:
        return next(
            (
                r
                for r in records
                for s in r["sources"]
                if s["article"] == SLUG and s["sentence_index"] == index
            ),
            None,
        )

    assert record_of(rejected_index) is None
    corrected, added = record_of(corrected_index), record_of(added_index)
    assert corrected is not None and added is not None
    assert (corrected["date_start"], corrected["precision"], corrected["campaign"], corrected["origin"]) == (
        "2019-10-15",
        "day",
        "tripoli-2019-2020",
        "reviewed",
    )
    assert (added["date_start"], added["type"], added["campaign"], added["origin"]) == (
        "2019-10-16",
        "armed_clash",
        "tripoli-2019-2020",
        "reviewed",
    )
    assert {r["origin"] for r in records} == {"machine", "reviewed"}

    rows = list(csv.DictReader(io.StringIO((site / "data" / "chronology.csv").read_text(encoding="utf-8"))))
    by_id = {row["event_id"]: row for row in rows}
    assert by_id[corrected["id"]]["origin"] == "reviewed" and by_id[added["id"]]["origin"] == "reviewed"
    assert by_id[corrected["id"]]["campaign"] == "tripoli-2019-2020"
    assert sum(row["origin"] == "reviewed" for row in rows) == 2

    for page, label, short in (
        ("chronology/tripoli-2019-2020/index.html", "Reviewed by an editor", "Reviewed"),
        ("ar/chronology/tripoli-2019-2020/index.html", "راجعه محرر", "مراجَع"),
    ):
        html = (site / page).read_text(encoding="utf-8")
        for entry_id in (corrected["id"], added["id"]):
            # The compact row says so, and so does the entry once opened.
            row = html.index(f'data-entry="{entry_id}"')
            assert short in html[row : html.index("</summary>", row)], (page, entry_id)
            start = html.index(f'id="{entry_id}"')
            assert label in html[start : html.index("</details>", start)], (page, entry_id)
        assert html.count("bg-label-reviewed") == 4, page
        assert 'data-origin="machine"' in html and 'data-origin="reviewed"' in html


def test_the_seeds_event_memories_are_committed_as_the_build_writes_them(tmp_path: Path) -> None:
    from tests.conftest import copy_project

    project = copy_project(tmp_path / "project")
    committed = {p.name: p.read_bytes() for p in (REPO / "content" / "events").glob("*.yml")}
    assert len(committed) == len(list((REPO / "content" / "articles").glob("*.md")))
    run("build", "--config", str(project / "site_config.yml"))
    built = {p.name: p.read_bytes() for p in events_file(project).parent.glob("*.yml")}
    assert built == committed


def test_a_reviewed_entry_whose_sentence_vanished_is_reported_and_kept(project: Path) -> None:
    config = str(project / "site_config.yml")
    run("build", "--config", config)
    review(project)
    article = project / "content" / "articles" / f"{SLUG}.md"
    text = article.read_text(encoding="utf-8")
    sentence = "وبعد دخول الحرب في شهرها السابع"
    assert sentence in text
    article.write_text(text.replace(sentence, "ومع دخول الحرب شهرها السابع"), encoding="utf-8")
    output = run("build", "--config", config)
    kept = events_file(project).read_text(encoding="utf-8")
    line = next(n for n, text in enumerate(kept.splitlines(), 1) if text == f"- key: {ADDED}")
    assert f"content/events/{SLUG}.yml:{line}: reviewed event entry {ADDED} matches no sentence" in output
    assert sum("origin: reviewed" in b for b in reviewed_blocks(kept)) == 3


def test_briefgen_events_lists_unreviewed_machine_entries_newest_first(project: Path) -> None:
    config = str(project / "site_config.yml")
    run("build", "--config", config)
    review(project)
    listing = run("events", "--config", config)
    lines = [line for line in listing.splitlines() if not line.startswith("    ")][:-1]
    dates = [line.split()[0] for line in lines]
    assert dates == sorted(dates, reverse=True) and len(dates) > 10
    assert f"#{CORRECTED}" not in listing and f"#{REJECTED}" not in listing
    assert f"{SLUG}#065d81b37de16b00" in listing  # a machine entry of the same article
    assert "مقتل" in listing  # the Arabic sentence, for the editor
    assert listing.splitlines()[-1] == f"{len(lines)} event(s) to review."


def key_of(project: Path, slug: str, index: int) -> str:
    article = next(a for a in read_articles(load_config(project / "site_config.yml")) if a.slug == slug)
    return next(key for (key, _n), i in sentence_ids(split(article)).items() if i == index)


def make_reviewed(project: Path, slug: str, key: str, **fields: object) -> None:
    path = events_file(project, slug)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry = next(e for e in data["entries"] if e["key"] == key)
    entry.update(origin="reviewed", **fields)
    write_memory(path, data)


def chronology_sources(project: Path) -> list[set[tuple[str, int]]]:
    records = json.loads((project / "site" / "data" / "chronology.json").read_text(encoding="utf-8"))
    records = records["events"] if isinstance(records, dict) else records
    return [{(s["article"], s["sentence_index"]) for s in r["sources"]} for r in records]


ALHAYAT, AKHERSAA = "2016-11-19-alhayat-qawarsha", "2016-11-23-akhersaa-qawarsha-ganfouda"


def test_same_as_joins_two_reports_and_separate_splits_a_merge(project: Path) -> None:
    config = str(project / "site_config.yml")
    run("build", "--config", config)
    before = chronology_sources(project)
    # The machine files the customs warehouse's shelling (al-Hayat) and blast (Akher Saa) apart,
    # and merges the two outlets' reports of Qawarsha's capture.
    shelling, blast = (ALHAYAT, 10), (AKHERSAA, 9)
    assert not any(shelling in s and blast in s for s in before)
    capture = next(s for s in before if (ALHAYAT, 0) in s)
    assert (AKHERSAA, 2) in capture
    make_reviewed(
        project, AKHERSAA, key_of(project, *blast), same_as=f"{ALHAYAT}#{key_of(project, *shelling)}"
    )
    make_reviewed(project, AKHERSAA, key_of(project, AKHERSAA, 2), separate=True)
    run("build", "--config", config)
    after = chronology_sources(project)
    assert any(shelling in s and blast in s for s in after)
    split_off = next(s for s in after if (AKHERSAA, 2) in s)
    assert not any(slug == ALHAYAT for slug, _i in split_off)


def test_check_refuses_a_key_that_matches_no_sentence_where_the_build_only_warns(project: Path) -> None:
    config = str(project / "site_config.yml")
    path = events_file(project, ALHAYAT)
    text = path.read_text(encoding="utf-8")
    first = "- key: 5457c3cce57c432b\n"
    assert text.startswith(first, text.index("entries:\n") + len("entries:\n"))
    path.write_text(
        text.replace(first, "- key: abcdefabcdefabcd\n", 1).replace("origin: machine", "origin: reviewed", 1)
    )
    result = CliRunner().invoke(cli, ["check", "--config", config])
    assert result.exit_code == 1
    assert (
        f"content/events/{ALHAYAT}.yml:7: entries[0].key: 'abcdefabcdefabcd' matches no sentence"
        in result.output
    )
    assert "translation memory" in result.output  # the hint: where to find a sentence's key
    built = run("build", "--config", config)
    assert (
        f"content/events/{ALHAYAT}.yml:7: reviewed event entry abcdefabcdefabcd matches no sentence" in built
    )


def test_a_correction_reruns_only_that_articles_event_stages_and_a_no_op_build_writes_nothing(
    project: Path,
) -> None:
    from briefgen.commands.build import build

    config = project / "site_config.yml"
    build(config)
    folder = events_file(project).parent
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.yml")}
    again = build(config)
    assert again.reprocessed == [] and again.relinked == []
    assert {p.name: p.stat().st_mtime_ns for p in folder.glob("*.yml")} == stamps
    review(project)
    corrected = build(config)
    assert corrected.reprocessed == [] and corrected.relinked == [SLUG]
    assert build(config).relinked == []


def test_an_editors_comments_stay_with_their_event_entries(project: Path) -> None:
    config = str(project / "site_config.yml")
    run("build", "--config", config)
    review(project)
    path = events_file(project)
    text = path.read_text(encoding="utf-8")
    commented = text.replace(
        f"- key: {REJECTED}\n", f"# a claim: no outlet confirmed it\n- key: {REJECTED}\n", 1
    )
    commented = commented.replace(
        "  campaign: tripoli-2019-2020\n", "  campaign: tripoli-2019-2020  # per the desk\n", 1
    )
    assert commented.count("#") == text.count("#") + 2
    path.write_text(commented, encoding="utf-8")
    run("build", "--config", config)
    kept = path.read_text(encoding="utf-8")
    assert f"# a claim: no outlet confirmed it\n- key: {REJECTED}\n" in kept
    assert "  campaign: tripoli-2019-2020  # per the desk\n" in kept
    run("build", "--config", config)
    assert path.read_text(encoding="utf-8") == kept


def test_an_event_memory_whose_article_is_gone_is_kept_and_reported(project: Path) -> None:
    config = str(project / "site_config.yml")
    run("build", "--config", config)
    (project / "content" / "articles" / f"{SLUG}.md").unlink()
    output = run("build", "--config", config)
    assert f"content/events/{SLUG}.yml: event memory for an article that does not exist" in output
    assert events_file(project).is_file()


# The seeds' sentences that tell two events (briefgen/events/clauses.py): Akher Saa's truck
# bomb «…، وأكد … أن قوات الجيش سيطرت علي منطقة القوارشة … وعلي الجزء الأيمن لمنطقة بوصنيب»,
# and Al Jazeera's airport «… سيطرتها الكاملة عليه أمس الأربعاء، … وذلك بعد عام من سيطرة
# قوات حفتر عليه».
BORDERS = "2020-06-04-aljazeera-tripoli-borders"


def chronology_records(project: Path) -> list[dict]:
    records = json.loads((project / "site" / "data" / "chronology.json").read_text(encoding="utf-8"))
    return records["events"] if isinstance(records, dict) else records


def second_event(project: Path, slug: str, index: int) -> tuple[dict, dict]:
    """The sentence's two entries in its event memory: the first event's and `event: 2`."""
    key = key_of(project, slug, index)
    data = yaml.safe_load(events_file(project, slug).read_text(encoding="utf-8"))
    first, second = (e for e in data["entries"] if e["key"] == key)
    return first, second


def test_a_sentence_with_two_events_has_two_entries_the_second_with_event_2(project: Path) -> None:
    run("build", "--config", str(project / "site_config.yml"))
    first, second = second_event(project, AKHERSAA, 9)
    assert "event" not in first and second["event"] == 2
    assert (first["type"], second["type"]) == ("explosion", "capture")
    # `briefgen events` names the second as `same_as` takes it.
    listing = run("events", "--config", str(project / "site_config.yml"))
    assert f"{AKHERSAA}#{first['key']}/2  (" in listing and f"{AKHERSAA}#{first['key']}  (" in listing
    assert first["places"] == ["customs-warehouse"] and second["places"] == ["qawarsha", "bu-snaib"]
    text = events_file(project, AKHERSAA).read_text(encoding="utf-8")
    assert f"- key: {first['key']}\n  event: 2\n  ar: " in text  # `event:` beside `key`


def test_a_reviewed_second_event_survives_two_rebuilds_byte_for_byte(project: Path) -> None:
    config = str(project / "site_config.yml")
    run("build", "--config", config)
    path = events_file(project, AKHERSAA)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    key = key_of(project, AKHERSAA, 9)
    second = next(e for e in data["entries"] if e["key"] == key and e.get("event") == 2)
    second.update(date_start="2016-11-22", date_end="2016-11-22", precision="day", origin="reviewed")
    second["places"] = ["bu-snaib"]
    write_memory(path, data)
    edited = path.read_text(encoding="utf-8")
    run("build", "--config", config)
    once = path.read_bytes()
    run("build", "--config", config)
    assert path.read_bytes() == once and once.decode() == edited
    first, kept = second_event(project, AKHERSAA, 9)
    assert first["origin"] == "machine" and "event" not in first  # the first event is still the machine's
    assert (kept["event"], kept["origin"], kept["date_start"]) == (2, "reviewed", "2016-11-22")
    records = [
        r
        for r in chronology_records(project)
        if (AKHERSAA, 9) in {(s["article"], s["sentence_index"]) for s in r["sources"]}
    ]
    by_type = {r["type"]: r for r in records}
    assert set(by_type) == {"explosion", "capture"}
    assert (by_type["capture"]["date_start"], by_type["capture"]["origin"]) == ("2016-11-22", "reviewed")
    assert (by_type["explosion"]["date_start"], by_type["explosion"]["origin"]) == ("2016-11-23", "machine")
    # chronology.json says which of the sentence's events a report is, from the second on.
    cited = {
        t: [s for s in r["sources"] if (s["article"], s["sentence_index"]) == (AKHERSAA, 9)]
        for t, r in by_type.items()
    }
    assert [s.get("event") for s in cited["capture"]] == [2] and [
        s.get("event") for s in cited["explosion"]
    ] == [None]


def test_same_as_names_a_sentences_second_event_with_a_slash(project: Path) -> None:
    """`<slug>#<key>/2` joins the airport taken in 2019 (the sentence's second event);
    `<slug>#<key>` is its first, the airport retaken in 2020."""
    config = str(project / "site_config.yml")
    run("build", "--config", config)
    airport = key_of(project, BORDERS, 8)
    le_drian = (SLUG, sentence_index(project, SLUG, CORRECTED))

    def entry_with(report: tuple[str, int]) -> list[dict]:
        return [
            r
            for r in chronology_records(project)
            if report in {(s["article"], s["sentence_index"]) for s in r["sources"]}
        ]

    assert [r["date_start"][:4] for r in entry_with((BORDERS, 8))] == ["2019", "2020"]
    assert len(entry_with(le_drian)) == 1 and (BORDERS, 8) not in {
        (s["article"], s["sentence_index"]) for s in entry_with(le_drian)[0]["sources"]
    }
    # The airport's report in each entry: dated back a year (2019), or «أمس الأربعاء» (2020).
    for same_as, precision in ((f"{BORDERS}#{airport}/2", "approximate"), (f"{BORDERS}#{airport}", "day")):
        make_reviewed(project, SLUG, CORRECTED, same_as=same_as)
        assert run("check", "--config", config)
        run("build", "--config", config)
        (joined,) = entry_with(le_drian)
        cited = [s for s in joined["sources"] if (s["article"], s["sentence_index"]) == (BORDERS, 8)]
        assert [s["precision"] for s in cited] == [precision], same_as
        assert len(entry_with((BORDERS, 8))) == 2


def test_check_refuses_an_event_number_that_is_not_a_positive_whole_number(project: Path) -> None:
    config = str(project / "site_config.yml")
    run("build", "--config", config)
    path = events_file(project, AKHERSAA)
    text = path.read_text(encoding="utf-8")
    assert "  event: 2\n" in text
    line = text[: text.index("  event: 2\n")].count("\n") + 1
    number = text[: text.index("  event: 2\n")].count("\n- key: ") - 1
    for bad, message in (("0", "0 is out of range"), ("two", "expected a whole number, got 'two'")):
        path.write_text(text.replace("  event: 2\n", f"  event: {bad}\n", 1), encoding="utf-8")
        result = CliRunner().invoke(cli, ["check", "--config", config])
        assert result.exit_code == 1, result.output
        assert f"content/events/{AKHERSAA}.yml:{line}: entries[{number}].event: {message}" in result.output
        assert "Traceback" not in result.output
    path.write_text(text.replace("  event: 2\n", "  event: 2\n", 1), encoding="utf-8")
    bad_same_as = text.replace(
        "  origin: machine\n", f"  same_as: {BORDERS}#{'0' * 16}/0\n  origin: reviewed\n", 1
    )
    path.write_text(bad_same_as, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--config", config])
    assert result.exit_code == 1 and "is not <slug>#<key> or <slug>#<key>/<N>" in result.output
    # A sentence's third event, where the airport sentence tells two: check names it.
    airport = key_of(project, BORDERS, 8)
    path.write_text(text, encoding="utf-8")
    for nth, refused in (("2", False), ("3", True)):
        make_reviewed(project, SLUG, CORRECTED, same_as=f"{BORDERS}#{airport}/{nth}")
        result = CliRunner().invoke(cli, ["check", "--config", config])
        assert (result.exit_code == 1) is refused, result.output
        assert ("names no event 3 of that sentence" in result.output) is refused


def test_a_reviewed_entry_may_add_an_event_number_the_sentence_does_not_have(project: Path) -> None:
    """An editor adds a sentence's third event by hand: an addition, checked and built."""
    config = str(project / "site_config.yml")
    run("build", "--config", config)
    path = events_file(project, AKHERSAA)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    key = key_of(project, AKHERSAA, 9)
    data["entries"].append(
        {
            "key": key,
            "event": 3,
            "date_start": "2016-11-21",
            "date_end": "2016-11-21",
            "precision": "day",
            "type": "armed_clash",
            "places": ["bu-snaib"],
            "actors": [],
            "origin": "reviewed",
        }
    )
    write_memory(path, data)
    run("check", "--config", config)
    run("build", "--config", config)
    entries = [e for e in yaml.safe_load(path.read_text(encoding="utf-8"))["entries"] if e["key"] == key]
    assert [e.get("event", 1) for e in entries] == [1, 2, 3]
    added = [
        r
        for r in chronology_records(project)
        if r["origin"] == "reviewed"
        and (AKHERSAA, 9) in {(s["article"], s["sentence_index"]) for s in r["sources"]}
    ]
    assert [(r["type"], r["date_start"]) for r in added] == [("armed_clash", "2016-11-21")]
