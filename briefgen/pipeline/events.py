"""Stage 5, events: the sentences that report something happening, dated and placed.

A sentence is an event when the classifier (briefgen/event_types.py) finds an event
type in it. Its date is the most precise date expression in the sentence, resolved
against the publication date (briefgen/dates.py); without one, the publication date
stands in with precision `reported`. Places and actors come from the entities stage.

One rule reaches across sentences, because news ledes report the main event and later
sentences time it: when a later sentence (an event or not) refers back to "this
move/operation/victory" (هذه الخطوة، هذه العملية، هذا الانتصار …), names no place and
carries a day-precise date, that date is given to the article's first event if it has
none of its own.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from briefgen.arabic import normalize
from briefgen.dates import DateMention, find_dates
from briefgen.event_types import classify_event
from briefgen.gazetteer import Gazetteer, Place
from briefgen.pipeline import Stage
from briefgen.structure.article import Article, EntityMention, Event

PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "approximate": 3, "year": 4, "reported": 5}
# Organisations that report events rather than take part in them.
NOT_ACTORS = frozenset({"media", "company"})

BACK_REFERENCE = re.compile(
    normalize(r"\b(?:هذه|هذا|تلك|ذلك)\s+(?:الخطوة|العملية|السيطرة|التقدم|الانتصار|الهجوم|التحرير)")
)
_CASUALTY_COUNT = re.compile(
    r"(\d+)\s+(?:"
    + "|".join(
        normalize(w)
        for w in (
            "قتيلا",
            "قتيلاً",
            "قتيل",
            "قتلى",
            "عنصرا",
            "عنصراً",
            "جثة",
            "جثث",
            "متطرفا",
            "متطرفاً",
            "جنديا",
            "مقاتلا",
            "شخصا",
        )
    )
    + r")"
)


def best_date(mentions: list[DateMention]) -> DateMention | None:
    """The most precise closed date in the sentence ("منذ …" ranges are background)."""
    closed = [m for m in mentions if not m.open_ended]
    if not closed:
        return None
    return min(closed, key=lambda m: PRECISION_RANK.get(m.precision, 9))


BROAD_PLACE_KINDS = frozenset({"country", "region", "sea"})


def most_specific_places(place_ids: list[str], gazetteer: Gazetteer) -> tuple[str, ...]:
    """Where the event happened: the most specific places the sentence names, in order.

    Drops places that contain another named place (Benghazi when Qawarsha, west of
    Benghazi, is named), and countries, regions and seas when a town or site is named
    ("wanted by the United States" does not move a strike in Qawarsha).
    """
    unique = list(dict.fromkeys(place_ids))
    containing = {a.id for p in unique for a in gazetteer.ancestors(p)}
    places = [p for p in unique if p not in containing]
    local = [p for p in places if getattr(gazetteer.get(p), "kind", None) not in BROAD_PLACE_KINDS]
    return tuple(local or places)


def casualty_figures(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in _CASUALTY_COUNT.findall(normalize(text)))


def sentence_event(
    index: int, text: str, mentions: list[EntityMention], published: dt.date, gazetteer: Gazetteer
) -> Event | None:
    found = classify_event(text)
    if found is None:
        return None
    when = best_date(find_dates(text, published))
    places = [m.entity_id for m in mentions if isinstance(gazetteer.get(m.entity_id), Place)]
    actors = [
        m.entity_id
        for m in mentions
        if m.kind in ("person", "organisation")
        and getattr(gazetteer.get(m.entity_id), "kind", None) not in NOT_ACTORS
    ]
    return Event(
        sentence=index,
        type=found.type,
        types=found.types,
        date_start=when.start if when else published,
        date_end=when.end if when else published,
        precision=when.precision if when else "reported",
        date_text=when.text if when else None,
        places=most_specific_places(places, gazetteer),
        actors=tuple(dict.fromkeys(actors)),
        figures=casualty_figures(text) if "casualties" in found.types else (),
        warnings=when.warnings if when else (),
    )


def carry_back_referenced_date(
    events: list[Event], texts: dict[int, str], places_in: dict[int, bool], published: dt.date
) -> list[Event]:
    if not events or events[0].precision != "reported":
        return events
    lead = events[0]
    for index in sorted(i for i in texts if i > lead.sentence):
        text = texts[index]
        if places_in.get(index) or not BACK_REFERENCE.search(normalize(text)):
            continue
        when = best_date(find_dates(text, published))
        if when is not None and when.precision == "day":
            dated = replace(
                lead, date_start=when.start, date_end=when.end, precision="day", date_text=when.text
            )
            return [dated, *events[1:]]
    return events


def find_events(article: Article, gazetteer: Gazetteer) -> Article:
    by_sentence: dict[int, list[EntityMention]] = {}
    for mention in article.entities:
        by_sentence.setdefault(mention.sentence, []).append(mention)
    texts = {s.index: s.text for s in article.sentences}
    published = article.meta.published
    events = [
        event
        for index, text in texts.items()
        if (event := sentence_event(index, text, by_sentence.get(index, []), published, gazetteer))
    ]
    places_in = {
        index: any(isinstance(gazetteer.get(m.entity_id), Place) for m in mentions)
        for index, mentions in by_sentence.items()
    }
    return replace(article, events=tuple(carry_back_referenced_date(events, texts, places_in, published)))


def make_events_stage(gazetteer: Gazetteer) -> Stage:
    def events(article: Article) -> Article:
        return find_events(article, gazetteer)

    return events
