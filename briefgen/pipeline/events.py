"""Stage 5, events: the sentences that report something happening, dated and placed.

A sentence is an event when the classifier (briefgen/event_types.py) finds an event
type in it. Its date (issue 12, classes 1–3):

- its own most precise date expression (briefgen/dates.py), unless the expression governs
  another clause («منذ بدء الهجوم قبل نحو شهرين», a relative clause with its own event);
  «منذ X» dates the start of what has lasted since X, or for a recent X the range to now;
- else, for a background clause (وكان … قد، وسبق أن), no event at all;
- else, when the sentence continues the narrative of the one before (وأضاف، وقال … في
  بيان، جاء ذلك، or the same kind of event), that sentence's date and precision;
- else the publication date, with precision `reported`.

Places come from the entities stage, each with a role (class 5): an event site, or a
reference that only locates another place (apposition, distance phrase, the forces' home
town, what a protest condemns). Only sites are the event's places, unless there is none.

Two rules reach across sentences. When a later sentence refers back to "this
move/operation/victory" (هذه الخطوة، هذه العملية، هذا الانتصار …), names no place and
carries a day-precise date, that date is given to the article's first event if it has none
of its own. And a follow-up sentence about the same event (class 7) is linked to it
(`Event.follows`), so that the chronology files both as one entry.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from briefgen.arabic import normalize
from briefgen.dates import DateMention, find_dates
from briefgen.event_types import classify_event
from briefgen.events.anaphora import anaphoric_place
from briefgen.events.dating import (
    BACK_REFERENCE,
    CONTINUATION_RE,
    MILITARY,
    PLUPERFECT_RE,
    PRECISION_RANK,
    REPORTED_WINDOW,
    When,
    best_date,
    event_date,
)
from briefgen.events.follow_ups import link_follow_ups
from briefgen.events.places import BROAD_PLACE_KINDS, most_specific_places, place_roles
from briefgen.gazetteer import Gazetteer, Person, Place
from briefgen.pipeline import Stage
from briefgen.structure.article import Article, EntityMention, Event

if TYPE_CHECKING:
    from briefgen.memory.events import EventMemory

# Re-exported: the chronology and older callers import these from here.
__all__ = [
    "BACK_REFERENCE",
    "MILITARY",
    "PRECISION_RANK",
    "REPORTED_WINDOW",
    "best_date",
    "find_events",
    "make_events_stage",
    "most_specific_places",
    "sentence_event",
]

# A narrative date older than this is carried on only to the same kind of event.
OLD_NARRATIVE = dt.timedelta(days=30)
# Events that are talk: the places they name are mostly what they are about.
TALK_TYPES = frozenset({"protest", "statement", "decision", "diplomacy"})
# Organisations that report events rather than take part in them.
NOT_ACTORS = frozenset({"media", "company"})
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


def casualty_figures(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in _CASUALTY_COUNT.findall(normalize(text)))


_HOURS_BEFORE_RE = re.compile(normalize(r"(?:بعد|عقب)\s+ساعات\s+(?:قليلة\s+)?(?:من|على)\s+$"))


def _trigger_offset(text: str, triggers: tuple[str, ...]) -> int | None:
    """Where the primary type's first trigger sits in the normalized sentence."""
    if not triggers:
        return None
    at = normalize(text).find(triggers[0])
    return at if at >= 0 else None


def sentence_event(
    index: int,
    text: str,
    mentions: list[EntityMention],
    published: dt.date,
    gazetteer: Gazetteer,
    narrative: Narrative | None = None,
    continuing: bool = False,
) -> Event | None:
    """The sentence's event, dated by its own date, else by the date of the narrative it
    continues, else by the publication date (`reported`); a background clause without a
    date of its own is no event.

    `narrative()` gives the date the narrative has reached before this sentence and the event
    types it reported (worked out only when needed). The sentence continues it when it opens
    as a continuation (see CONTINUATION_RE; `continuing`) or reports the same kind of event
    as the sentence before: the car bomb among the dead of «مساء أمس الجمعة».
    """
    found = classify_event(
        text,
        speaker_named=any(isinstance(gazetteer.get(m.entity_id), Person) for m in mentions),
    )
    if found is None:
        return None
    trigger_at = _trigger_offset(text, found.triggers)
    when = event_date(text, _dates(text, published), published, trigger_at, found.triggers)
    if when is None:
        if PLUPERFECT_RE.match(normalize(text)):
            return None
        context, context_types = narrative() if narrative else (None, frozenset())
        same_kind = bool(set(found.types) & context_types)
        when = context if continuing or same_kind else None
        if when is not None and not same_kind and published - when.end > OLD_NARRATIVE:
            # «وفي السياق ذاته، اتهم … بقصف الكلية» after a sentence recalling the offensive's
            # launch nine months before: the topic continues, not that old date.
            when = None
        if (
            when is not None
            and trigger_at is not None
            and _HOURS_BEFORE_RE.search(normalize(text)[:trigger_at])
        ):
            # «وذلك بعد ساعات من سيطرة القوات على المطار»: the capture came hours before the
            # narrative's day — that day or the one before it.
            when = replace(when, start=when.start - dt.timedelta(days=1), precision="approximate")
    is_place = lambda entity_id: isinstance(gazetteer.get(entity_id), Place)  # noqa: E731
    other = tuple(
        t for t, kind in zip(found.triggers, found.trigger_types, strict=False) if kind != found.type
    )
    talk = found.type in TALK_TYPES
    sites, references, _topics = place_roles(text, mentions, is_place, other, talk)
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
        # Locating references stand in only when the sentence names no site at all, and never
        # for talk: the region a truce covers «التي تضم العاصمة» is not where it was declared.
        places=most_specific_places(sites or ([] if talk else references), gazetteer),
        actors=tuple(dict.fromkeys(actors)),
        figures=casualty_figures(text) if "casualties" in found.types else (),
        warnings=when.warnings if when else (),
    )


# «ويأتي هذا الهجوم غداة إعلان أردوغان»: the announcement came the day before the attack the
# sentence refers back to; «عشية» (on the eve of) the day after. (Class 2: the time word
# binds to the clause it governs, relative to the event referred to.)
_MORROW_RE = re.compile(normalize(r"(?<![^\W_])(غداة|عشية)\s+\S+"))


def date_by_the_morrow(events: list[Event], texts: dict[int, str]) -> list[Event]:
    """Date an undated event told «غداة/عشية» an event the sentence refers back to."""
    dated: list[Event] = []
    for event in events:
        norm = normalize(texts[event.sentence])
        morrow = _MORROW_RE.search(norm)
        referent = next(
            (e for e in reversed(dated) if e.precision == "day" and e.sentence < event.sentence), None
        )
        if (
            morrow is not None
            # its date is not its own (none, or the narrative's)
            and (event.date_text is None or event.date_text not in texts[event.sentence])
            and referent is not None
            and (BACK_REFERENCE.search(norm) or CONTINUATION_RE.match(norm))
        ):
            shift = dt.timedelta(days=-1 if morrow.group(1) == normalize("غداة") else 1)
            day = referent.date_start + shift
            event = replace(event, date_start=day, date_end=day, precision="day", date_text=morrow.group(1))
        dated.append(event)
    return dated


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
        when = event_date(text, find_dates(text, published), published)
        if when is not None and when.precision == "day":
            dated = replace(
                lead, date_start=when.start, date_end=when.end, precision="day", date_text=when.text
            )
            return [dated, *events[1:]]
    return events


Narrative = Callable[[], tuple[When | None, frozenset[str]]]


@lru_cache(maxsize=1024)
def _dates(text: str, published: dt.date) -> tuple[DateMention, ...]:
    """find_dates, once per sentence: the event and the narrative after it both ask."""
    return tuple(find_dates(text, published))


def _no_narrative() -> tuple[When | None, frozenset[str]]:
    return None, frozenset()


def _after(before: Narrative, text: str, event: Event | None, published: dt.date) -> Narrative:
    """The narrative after a sentence: its event's date and types (the date the event resolved,
    not a date bound to another of its clauses); a sentence without an event, its own date;
    else, if its event took the narrative's date, the same narrative; else none (an undated
    sentence breaks it)."""
    memo: list[tuple[When | None, frozenset[str]]] = []

    def narrative() -> tuple[When | None, frozenset[str]]:
        if not memo:
            if event is not None and event.precision != "reported":
                own: When | None = When(
                    event.date_start, event.date_end, event.precision, event.date_text, event.warnings
                )
            else:
                own = event_date(text, _dates(text, published), published) if event is None else None
            if own is not None:
                memo.append((own, frozenset(event.types if event else ())))
            elif event is None or event.precision == "reported":
                memo.append((None, frozenset()))
            else:
                memo.append(before())
        return memo[0]

    return narrative


def find_events(article: Article, gazetteer: Gazetteer) -> Article:
    by_sentence: dict[int, list[EntityMention]] = {}
    for mention in article.entities:
        by_sentence.setdefault(mention.sentence, []).append(mention)
    texts = {s.index: s.text for s in article.sentences}
    published = article.meta.published
    events: list[Event] = []
    # The narrative's date before each sentence, worked out lazily: most sentences that
    # follow an event have their own date, and find_dates is the stage's costliest step.
    narrative: Narrative = _no_narrative
    kind_of = lambda place_id: getattr(gazetteer.get(place_id), "kind", None)  # noqa: E731
    places_so_far: list[EntityMention] = []
    for index, text in texts.items():
        norm = normalize(text)
        continues = bool(CONTINUATION_RE.match(norm) or BACK_REFERENCE.search(norm))
        mentions = by_sentence.get(index, [])
        places_so_far += sorted(
            (m for m in mentions if isinstance(gazetteer.get(m.entity_id), Place)), key=lambda m: m.start
        )
        event = sentence_event(index, text, mentions, published, gazetteer, narrative, continues)
        if (
            event is not None
            and event.type not in TALK_TYPES
            and all(kind_of(p) in BROAD_PLACE_KINDS for p in event.places)
        ):
            # «غارات على نقاط شمال المدينة»: no site of its own, but a noun pointing back to one
            # (what talk is about is a topic, not a site: it never takes one)
            referent = anaphoric_place(text, places_so_far, kind_of)
            if referent is not None:
                event = replace(event, places=(referent,))
        if event is not None:
            events.append(event)
        if not PLUPERFECT_RE.match(norm):  # an aside: the narrative resumes after it
            narrative = _after(narrative, text, event, published)
    places_in = {
        index: any(isinstance(gazetteer.get(m.entity_id), Place) for m in mentions)
        for index, mentions in by_sentence.items()
    }
    events = carry_back_referenced_date(events, texts, places_in, published)
    events = date_by_the_morrow(events, texts)

    def broad(place_id: str) -> bool:
        return getattr(gazetteer.get(place_id), "kind", None) in BROAD_PLACE_KINDS

    return replace(article, events=tuple(link_follow_ups(events, texts, broad)))


def make_events_stage(gazetteer: Gazetteer, memories: Mapping[str, EventMemory] | None = None) -> Stage:
    """The events the machine finds, then the article's event memory applied to them (an
    editor's corrections, rejections and additions); both are kept, for the memory's file."""
    from briefgen.memory.events import apply_event_memory

    def events(article: Article) -> Article:
        machine = find_events(article, gazetteer).events
        memory = (memories or {}).get(article.slug)
        return replace(
            article,
            machine_events=machine,
            events=apply_event_memory(article, machine, memory),
            event_memory=memory,
        )

    return events
