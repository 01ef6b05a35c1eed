"""Machine-readable exports written beside the site (`site/data/`). Schemas: docs/data.md."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from briefgen.chronology import Report
from briefgen.event_types import EVENT_TYPE_LABELS, EventType
from briefgen.gazetteer import Gazetteer, Place
from briefgen.structure.article import Article, ArticleTranslation, TranslatedText
from briefgen.structure.corpus import Corpus


def text_record(unit: TranslatedText) -> dict[str, Any]:
    return {"ar": unit.ar, "en": unit.en, "origin": unit.origin, "engine": unit.engine, "model": unit.model}


def translation_record(translation: ArticleTranslation | None) -> dict[str, Any] | None:
    if translation is None:
        return None
    return {
        "status": translation.status,
        "models": translation.models,
        "title": text_record(translation.title) if translation.title else None,
        "headings": [text_record(h) for h in translation.headings],
        "sentences": [{"index": i, **text_record(s)} for i, s in enumerate(translation.sentences)],
    }


def summary_record(article: Article) -> dict[str, Any] | None:
    if article.summary is None:
        return None
    texts = {s.index: s.text for s in article.sentences}
    translation = article.translation
    return {
        "sentences": list(article.summary.sentences),
        "ar": [texts[i] for i in article.summary.sentences],
        "en": [translation.sentences[i].en if translation else None for i in article.summary.sentences],
    }


def article_record(article: Article) -> dict[str, Any]:
    headings = []
    paragraphs: list[list[str]] = []
    for block in article.blocks:
        if hasattr(block, "sentences"):
            paragraphs.append([s.text for s in block.sentences])
        else:
            headings.append({"before_paragraph": len(paragraphs), "text": block.text})
    meta = article.meta
    return {
        "slug": article.slug,
        "title": meta.title,
        "title_en": article.title_en,
        "source": meta.source,
        "source_ar": meta.source_ar,
        "url": meta.url,
        "published": meta.published.isoformat(),
        "date_note": meta.date_note,
        "date_note_ar": meta.date_note_ar,
        "tags": list(meta.tags),
        "tags_ar": list(meta.tags_ar),
        "campaign": article.campaign,
        "paragraphs": paragraphs,
        "headings": headings,
        # Filled in by later pipeline stages; null until then.
        "translation": translation_record(article.translation),
        "summary": summary_record(article),
        "entities": None,
        "events": None,
    }


def articles_json(corpus: Corpus) -> list[dict[str, Any]]:
    return [article_record(a) for a in corpus.articles]


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n", encoding="utf-8")


def write_exports(corpus: Corpus, site_dir: Path, updated: dt.datetime) -> None:
    """`updated` is the build stamp (see `briefgen.commands.build.build_stamp`)."""
    data = site_dir / "data"
    write_json(data / "articles.json", articles_json(corpus))
    records = chronology_records(corpus)
    write_json(data / "chronology.json", records)
    (data / "chronology.csv").write_text(chronology_csv(records), encoding="utf-8")
    write_json(data / "timeline.json", timeline_json(corpus, records))
    (site_dir / "feed.xml").write_text(atom_feed(corpus, "en", updated), encoding="utf-8")
    (site_dir / "ar" / "feed.xml").write_text(atom_feed(corpus, "ar", updated), encoding="utf-8")


# --- The chronology -------------------------------------------------------------------------

# ACLED's column names, in ACLED's order, for the columns briefgen has (ACLED codebook,
# "ACLED Data Columns at a Glance"); then briefgen's own, which ACLED has no column for.
# New columns go at the end, so that a reader that picks columns by position keeps working.
ACLED_COLUMNS = [
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
]
BRIEFGEN_COLUMNS = [
    "event_id",
    "date_end",
    "campaign",
    "briefgen_type",
    "other_actors",
    "other_locations",
    "source_urls",
    "notes_ar",
    "origin",  # machine, or reviewed by an editor (the event memory)
]
CSV_COLUMNS = [*ACLED_COLUMNS, *BRIEFGEN_COLUMNS]

# ACLED's event types and the sub-event types under each (ACLED codebook, 2023 and 2024).
ACLED_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Government regains territory", "Non-state actor overtakes territory", "Armed clash"),
    "Protests": ("Excessive force against protesters", "Protest with intervention", "Peaceful protest"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
# Each briefgen type as ACLED's (event_type, sub_event_type); the table docs/data.md shows.
# A capture is coded as a non-state actor's: which side is "the government" in Libya's wars
# is not briefgen's to decide (ACLED's "Government regains territory" is the other choice).
# ACLED has no type for a toll or a statement; their count and text stay in the row.
ACLED_TYPE: dict[EventType, tuple[str, str]] = {
    "capture": ("Battles", "Non-state actor overtakes territory"),
    "armed_clash": ("Battles", "Armed clash"),
    "air_strike": ("Explosions/Remote violence", "Air/drone strike"),
    "shelling": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "explosion": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "casualties": ("Strategic developments", "Other"),
    "arrest": ("Strategic developments", "Arrests"),
    "diplomacy": ("Strategic developments", "Other"),
    "protest": ("Protests", "Peaceful protest"),
    "decision": ("Strategic developments", "Change to group/activity"),
    "mine_clearance": ("Strategic developments", "Disrupted weapons use"),
    "statement": ("Strategic developments", "Other"),
}

# ACLED's time_precision: 1 = the day is known, 2 = the week (or a few days), 3 = only the
# month (ACLED has nothing vaguer). "reported" (the publication date stands in) is 2: the
# event is of that day or the few before it.
ACLED_TIME_PRECISION = {"day": 1, "reported": 2, "week": 2, "month": 3, "year": 3}
# UCDP GED's date_prec: 1 = the exact day, 2 = within 2-6 days, 3 = the week, 4 = the month
# (8-30 days), 5 = vaguer (more than a month, or only the year).
UCDP_DATE_PREC = {"day": 1, "reported": 2, "week": 3, "month": 4, "year": 5}


def _span_days(date_start: str, date_end: str) -> int:
    return (dt.date.fromisoformat(date_end) - dt.date.fromisoformat(date_start)).days + 1


def acled_time_precision(precision: str, date_start: str, date_end: str) -> int:
    """ACLED's code for briefgen's precision; an `approximate` range by its length."""
    if precision != "approximate":
        return ACLED_TIME_PRECISION[precision]
    days = _span_days(date_start, date_end)
    return 1 if days == 1 else 2 if days <= 7 else 3


def ucdp_date_prec(precision: str, date_start: str, date_end: str) -> int:
    """UCDP GED's `date_prec` for briefgen's precision; an `approximate` range by its length."""
    if precision != "approximate":
        return UCDP_DATE_PREC[precision]
    days = _span_days(date_start, date_end)
    return 1 if days == 1 else 2 if days <= 6 else 3 if days == 7 else 4 if days <= 31 else 5


# Dates and numbers; every other column is text, and its text may come from the web.
ACLED_NUMERIC_COLUMNS = frozenset(
    {"event_date", "date_end", "year", "time_precision", "latitude", "longitude", "fatalities"}
)
# What makes a spreadsheet run a cell as a formula (OWASP "CSV Injection"); a carriage
# return has become a line feed by then.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\n")


def spreadsheet_text(value: str) -> str:
    """`value` as a text cell no spreadsheet runs: an apostrophe before a formula's first character.
    A carriage return becomes a line feed, which the csv module quotes (a bare one it does not,
    and readers take it for the end of the row)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return f"'{value}" if value.startswith(FORMULA_TRIGGERS) else value


def _place_record(gazetteer: Gazetteer, place_id: str) -> dict[str, Any]:
    place = gazetteer.get(place_id)
    if not isinstance(place, Place):
        return {
            "id": place_id,
            "en": place_id,
            "ar": place_id,
            "lat": None,
            "lon": None,
            "admin1": None,
            "country": None,
        }
    country = next(
        (p for p in (place, *gazetteer.ancestors(place_id)) if getattr(p, "kind", None) == "country"),
        None,
    )
    return {
        "id": place.id,
        "en": place.en,
        "ar": place.ar,
        "lat": place.lat,
        "lon": place.lon,
        "admin1": gazetteer.admin1(place_id),
        "country": country.en if country else None,
    }


def _side(gazetteer: Gazetteer, entity_id: str) -> str:
    """The force or body an actor belongs to, as far up as the gazetteer goes: a unit's
    (`part_of`), a group's or a person's (`affiliation`): 21st Saiqa Battalion → Saiqa →
    LNA, Ahmed al-Mismari → LNA. ACLED's actor1 and actor2 are such sides."""
    seen = {entity_id}
    current = gazetteer.get(entity_id)
    while current is not None:
        parent = getattr(current, "part_of", None) or getattr(current, "affiliation", None)
        if parent is None or parent in seen or gazetteer.get(parent) is None:
            break
        seen.add(parent)
        current = gazetteer.get(parent)
    return current.id if current is not None else entity_id


def _entity_record(gazetteer: Gazetteer, entity_id: str) -> dict[str, Any]:
    entity = gazetteer.get(entity_id)
    side = _side(gazetteer, entity_id)
    side_entity = gazetteer.get(side)
    return {
        "id": entity_id,
        "en": entity.en if entity else entity_id,
        "ar": entity.ar if entity else entity_id,
        "side": {
            "id": side,
            "en": side_entity.en if side_entity else side,
            "ar": side_entity.ar if side_entity else side,
        },
    }


def _acled_actors(actors: list[dict[str, Any]]) -> dict[str, str]:
    """ACLED's actor1/assoc_actor_1/actor2/assoc_actor_2 from an entry's actors: the first
    two sides named, each with the units and people of it the reports name; actors of a
    third side go to `other_actors`. Like ACLED's, the order says nothing of who attacked."""
    sides: dict[str, tuple[str, list[str]]] = {}
    for actor in actors:
        side = actor.get("side") or {"id": actor["id"], "en": actor["en"]}
        name, members = sides.setdefault(side["id"], (side["en"], []))
        if actor["en"] != name and actor["en"] not in members:
            members.append(actor["en"])
    ordered = list(sides.values())
    first, second = [*ordered, ("", []), ("", [])][:2]
    rest = [n for name, members in ordered[2:] for n in (name, *members)]
    return {
        "actor1": first[0],
        "assoc_actor_1": "; ".join(first[1]),
        "actor2": second[0],
        "assoc_actor_2": "; ".join(second[1]),
        "other_actors": "; ".join(rest),
    }


def _source_record(report: Report) -> dict[str, Any]:
    record: dict[str, Any] = {
        "article": report.article.slug,
        "sentence_index": report.event.sentence,
    }
    if report.event.in_sentence:
        # A sentence's later event (briefgen/events/clauses.py); a first one is as before.
        record["event"] = report.event.in_sentence + 1
    return record | {
        "source": report.article.meta.source,
        "url": report.article.meta.url,
        "published": report.article.meta.published.isoformat(),
        "date_text": report.event.date_text,
        "precision": report.event.precision,
    }


def chronology_records(corpus: Corpus) -> list[dict[str, Any]]:
    gazetteer = corpus.gazetteer
    records = []
    for entry in corpus.chronology.entries:
        lead = entry.lead
        records.append(
            {
                "id": entry.id,
                "date_start": entry.date_start.isoformat(),
                "date_end": entry.date_end.isoformat(),
                "precision": entry.precision,
                "origin": entry.origin,
                "campaign": entry.campaign,
                "type": entry.type,
                "type_label": EVENT_TYPE_LABELS[entry.type]["en"],  # type: ignore[index]
                "places": [_place_record(gazetteer, p) for p in entry.places],
                "actors": [_entity_record(gazetteer, a) for a in entry.actors],
                "text_ar": lead.text_ar,
                "text_en": lead.text_en,
                "figures": [{"value": n, "article": r.article.slug} for n, r in entry.figures],
                "figures_disagree": entry.figures_disagree,
                "sources": [_source_record(r) for r in entry.reports],
            }
        )
    return records


def _spreadsheet_row(row: dict[str, Any]) -> dict[str, Any]:
    """The row with its text cells made safe to open; dates and numbers as they are."""
    return {
        column: spreadsheet_text(value)
        if column not in ACLED_NUMERIC_COLUMNS and isinstance(value, str)
        else value
        for column, value in row.items()
    }


def chronology_csv(records: list[dict[str, Any]]) -> str:
    """The chronology with ACLED's columns (see ACLED_COLUMNS), one row per entry. The main
    place (the first) is the row's location; the others follow in `other_locations`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        places = record["places"]
        first = places[0] if places else None
        event_type, sub_event_type = ACLED_TYPE[record["type"]]
        precision = (record["precision"], record["date_start"], record["date_end"])
        row = _spreadsheet_row(
            {
                "event_date": record["date_start"],
                "year": record["date_start"][:4],
                "time_precision": acled_time_precision(*precision),
                "event_type": event_type,
                "sub_event_type": sub_event_type,
                **_acled_actors(record["actors"]),
                "country": (first or {}).get("country") or "",
                "admin1": (first or {}).get("admin1") or "",
                "location": first["en"] if first else "",
                "latitude": first["lat"] if first and first["lat"] is not None else "",
                "longitude": first["lon"] if first and first["lon"] is not None else "",
                "source": "; ".join(dict.fromkeys(s["source"] for s in record["sources"])),
                "notes": record["text_en"] or "",
                "fatalities": max((f["value"] for f in record["figures"]), default=""),
                "event_id": record["id"],
                "date_end": record["date_end"],
                "campaign": record["campaign"] or "",
                "briefgen_type": record["type"],
                "other_locations": "; ".join(p["en"] for p in places[1:]),
                "source_urls": "; ".join(dict.fromkeys(s["url"] for s in record["sources"] if s.get("url"))),
                "notes_ar": record["text_ar"],
                "origin": record["origin"],
            }
        )
        writer.writerow(row)
    return out.getvalue()


def _timeline_date(day: str) -> dict[str, str]:
    year, month, dom = day.split("-")
    return {"year": year, "month": str(int(month)), "day": str(int(dom))}


def timeline_json(corpus: Corpus, records: list[dict[str, Any]]) -> dict[str, Any]:
    """The chronology in TimelineJS's JSON format; campaigns are its eras."""
    names = {c.id: c.name["en"] for c in corpus.config.campaigns}
    events = []
    for record in records:
        event: dict[str, Any] = {
            "unique_id": record["id"],
            "start_date": _timeline_date(record["date_start"]),
            "text": {
                "headline": html.escape(
                    record["type_label"]
                    + (" — " + ", ".join(p["en"] for p in record["places"]) if record["places"] else "")
                ),
                "text": html.escape(record["text_en"] or record["text_ar"]),
            },
            # TimelineJS shows group labels as HTML (TimeGroup sets innerHTML), like the text.
            "group": html.escape(names.get(record["campaign"], "Elsewhere")),
        }
        if record["date_end"] != record["date_start"]:
            event["end_date"] = _timeline_date(record["date_end"])
        events.append(event)
    eras = [
        {
            "start_date": _timeline_date(c.start.isoformat()),
            "end_date": _timeline_date(c.end.isoformat()),
            "text": {"headline": html.escape(c.name["en"])},
        }
        for c in corpus.config.campaigns
    ]
    title = {
        "text": {
            "headline": html.escape(corpus.config.title["en"]),
            "text": html.escape(corpus.config.description["en"]),
        }
    }
    return {"title": title, "events": events, "eras": eras}


# --- Atom feeds -----------------------------------------------------------------------------

FEED_SIZE = 20


def atom_feed(corpus: Corpus, lang: str, updated: dt.datetime) -> str:
    """The latest articles as an Atom feed, one per language (`feed.xml`, `ar/feed.xml`).

    Deterministic: the feed's `updated` is the build stamp (by default the newest article's
    date), not the time of the build.
    """
    config = corpus.config
    prefix = "" if lang == "en" else f"{lang}/"
    home = config.site_url + prefix
    articles = corpus.articles[:FEED_SIZE]
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
        f"  <title>{xml_escape(config.title[lang])}</title>",
        f"  <subtitle>{xml_escape(config.description[lang])}</subtitle>",
        f'  <link rel="alternate" type="text/html" href="{xml_escape(home)}"/>',
        f'  <link rel="self" type="application/atom+xml" href="{xml_escape(home + "feed.xml")}"/>',
        f"  <id>{xml_escape(home)}</id>",
        f"  <updated>{updated.astimezone(dt.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}</updated>",
        "  <generator>briefgen</generator>",
    ]
    for article in articles:
        url = f"{home}articles/{article.slug}/"
        title = (article.title_en or article.meta.title) if lang == "en" else article.meta.title
        title_lang = "en" if lang == "en" and article.title_en else "ar"
        record = summary_record(article)
        texts = (
            record["en"]
            if record and lang == "en" and all(record["en"])
            else (record["ar"] if record else [])
        )
        summary_lang = "en" if record and lang == "en" and all(record["en"]) else "ar"
        source = article.meta.source_ar if lang == "ar" and article.meta.source_ar else article.meta.source
        parts += [
            "  <entry>",
            f'    <title xml:lang="{title_lang}">{xml_escape(title)}</title>',
            f'    <link rel="alternate" type="text/html" href="{xml_escape(url)}"/>',
            f"    <id>{xml_escape(url)}</id>",
            f"    <published>{article.meta.published.isoformat()}T00:00:00Z</published>",
            f"    <updated>{article.meta.published.isoformat()}T00:00:00Z</updated>",
            f"    <author><name>{xml_escape(source)}</name></author>",
            f'    <summary type="text" xml:lang="{summary_lang}">{xml_escape(" ".join(t for t in texts if t))}</summary>',
            "  </entry>",
        ]
    parts.append("</feed>")
    return "\n".join(parts) + "\n"
