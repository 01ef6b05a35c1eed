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

from briefgen.event_types import EVENT_TYPE_LABELS
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
        "tags": list(meta.tags),
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

ACLED_COLUMNS = [
    "event_id",
    "event_date",
    "date_end",
    "year",
    "time_precision",
    "event_type",
    "actor1",
    "assoc_actors",
    "country",
    "location",
    "latitude",
    "longitude",
    "campaign",
    "fatalities",
    "sources",
    "notes",
    "notes_ar",
    "origin",  # machine, or reviewed by an editor (the event memory)
]
# ACLED's time_precision: 1 = the day is known, 2 = the week, 3 = the month or vaguer.
ACLED_TIME_PRECISION = {"day": 1, "week": 2, "reported": 2, "month": 3, "approximate": 3, "year": 3}
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
        return {"id": place_id, "en": place_id, "ar": place_id, "lat": None, "lon": None}
    return {"id": place.id, "en": place.en, "ar": place.ar, "lat": place.lat, "lon": place.lon}


def _entity_record(gazetteer: Gazetteer, entity_id: str) -> dict[str, Any]:
    entity = gazetteer.get(entity_id)
    return {
        "id": entity_id,
        "en": entity.en if entity else entity_id,
        "ar": entity.ar if entity else entity_id,
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
                "sources": [
                    {
                        "article": r.article.slug,
                        "sentence_index": r.event.sentence,
                        "source": r.article.meta.source,
                        "url": r.article.meta.url,
                        "published": r.article.meta.published.isoformat(),
                        "date_text": r.event.date_text,
                        "precision": r.event.precision,
                    }
                    for r in entry.reports
                ],
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
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        places = record["places"]
        first = places[0] if places else None
        row = _spreadsheet_row(
            {
                "event_id": record["id"],
                "event_date": record["date_start"],
                "date_end": record["date_end"],
                "year": record["date_start"][:4],
                "time_precision": ACLED_TIME_PRECISION[record["precision"]],
                "event_type": record["type_label"],
                "actor1": record["actors"][0]["en"] if record["actors"] else "",
                "assoc_actors": "; ".join(a["en"] for a in record["actors"][1:]),
                "country": "Libya",
                "location": "; ".join(p["en"] for p in places),
                "latitude": first["lat"] if first and first["lat"] is not None else "",
                "longitude": first["lon"] if first and first["lon"] is not None else "",
                "campaign": record["campaign"] or "",
                "fatalities": max((f["value"] for f in record["figures"]), default=""),
                "sources": "; ".join(f"{s['source']} {s['published']}" for s in record["sources"]),
                "notes": record["text_en"] or "",
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
