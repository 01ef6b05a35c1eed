"""Stage 5, events: the sentences that report something happening, dated and placed.

A sentence is an event when the classifier (briefgen/event_types.py) finds an event
type in it; a sentence that tells two («…، فيما قصف الطيران …», «… بعد عام من سيطرة …») gives
one per event clause (`sentence_events`, briefgen/events/clauses.py), each with its type,
date, places and actors read from its own clauses, and `Event.in_sentence` its place among
them. A sentence's date (issue 12, classes 1–3):

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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from briefgen.arabic import normalize
from briefgen.dates import DateMention, find_dates
from briefgen.event_types import LOCALITY_RE, EventClassification, classify_event
from briefgen.events.anaphora import anaphoric_place
from briefgen.events.clauses import (
    ASIDE,
    MORROW,
    RELATIVE,
    SUBORDINATE,
    WEAK,
    Clause,
    blank,
    cut,
    merge,
    split_clauses,
)
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
    names_the_era,
)
from briefgen.events.enumerations import listed_items
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
    "sentence_events",
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
    return _sentence_event(
        index,
        text,
        classify_event(text, speaker_named=_names_a_person(mentions, gazetteer)),
        mentions,
        published,
        gazetteer,
        narrative,
        continuing,
    )


def _names_a_person(mentions: list[EntityMention], gazetteer: Gazetteer) -> bool:
    """What a named official says is news (briefgen.event_types.classify_event)."""
    return any(isinstance(gazetteer.get(m.entity_id), Person) for m in mentions)


def _sentence_event(
    index: int,
    text: str,
    found: EventClassification | None,
    mentions: list[EntityMention],
    published: dt.date,
    gazetteer: Gazetteer,
    narrative: Narrative | None,
    continuing: bool,
) -> Event | None:
    if found is None:
        return None
    when = _own_date(text, found, published)
    if when is None:
        if PLUPERFECT_RE.match(normalize(text)):
            return None
        when = _narrative_date(text, found, narrative, continuing, published)
    return _event(index, text, found, when, mentions, published, gazetteer)


def _own_date(
    text: str, found: EventClassification, published: dt.date, dates: Sequence[DateMention] | None = None
) -> When | None:
    """The date the text gives its event; `dates`, the date mentions to choose from (by
    default, those found in `text`)."""
    trigger_at = _trigger_offset(text, found.triggers)
    mentions = _dates(text, published) if dates is None else dates
    return event_date(text, mentions, published, trigger_at, found.triggers)


def _dates_in(text: str, spans: tuple[tuple[int, int], ...], published: dt.date) -> list[DateMention]:
    """The sentence's date mentions that lie inside `spans`: a clause's dates are read in the
    whole sentence, once, not again in each clause."""
    return [m for m in _dates(text, published) if any(a <= m.span[0] and m.span[1] <= b for a, b in spans)]


def _narrative_date(
    text: str,
    found: EventClassification,
    narrative: Narrative | None,
    continuing: bool,
    published: dt.date,
) -> When | None:
    """The date of the narrative the sentence continues, if it continues one."""
    context, context_types = narrative() if narrative else (None, frozenset())
    same_kind = bool(set(found.types) & context_types)
    when = context if continuing or same_kind else None
    if when is not None and not same_kind and published - when.end > OLD_NARRATIVE:
        # «وفي السياق ذاته، اتهم … بقصف الكلية» after a sentence recalling the offensive's
        # launch nine months before: the topic continues, not that old date.
        return None
    trigger_at = _trigger_offset(text, found.triggers)
    if when is not None and trigger_at is not None and _HOURS_BEFORE_RE.search(normalize(text)[:trigger_at]):
        # «وذلك بعد ساعات من سيطرة القوات على المطار»: the capture came hours before the
        # narrative's day — that day or the one before it.
        when = replace(when, start=when.start - dt.timedelta(days=1), precision="approximate")
    return when


def _event(
    index: int,
    text: str,
    found: EventClassification,
    when: When | None,
    mentions: list[EntityMention],
    published: dt.date,
    gazetteer: Gazetteer,
    in_sentence: int = 0,
) -> Event:
    is_place = lambda entity_id: isinstance(gazetteer.get(entity_id), Place)  # noqa: E731
    other = tuple(
        t for t, kind in zip(found.triggers, found.trigger_types, strict=False) if kind != found.type
    )
    talk = found.type in TALK_TYPES
    sites, references, _topics = place_roles(text, mentions, is_place, other, talk)
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
        actors=_actors(mentions, gazetteer),
        figures=casualty_figures(text) if "casualties" in found.types else (),
        warnings=when.warnings if when else (),
        in_sentence=in_sentence,
    )


def _actors(mentions: list[EntityMention], gazetteer: Gazetteer) -> tuple[str, ...]:
    """The people and organisations named, in order, but those that report events (media)."""
    return tuple(
        dict.fromkeys(
            m.entity_id
            for m in mentions
            if m.kind in ("person", "organisation")
            and getattr(gazetteer.get(m.entity_id), "kind", None) not in NOT_ACTORS
        )
    )


# A fight's results — its toll, its prisoners («أسفرت عن قتل 30 شخصا، وأسر 16») — told
# before or after the violence they come of are that violence: the same event.
_RESULTS = frozenset({"casualties", "arrest"})
_VIOLENCE = frozenset({"air_strike", "shelling", "explosion", "armed_clash", "capture"})
# Fire from the air and from the ground at one target («ضربتين، الأولى أصابت …، والأخرى
# استهدفت …») is one event told with two verbs, unless dates or places tell them apart.
_FIRE = frozenset({"air_strike", "shelling"})
# And fighting at a place with the capture of it or of a place inside it («حققت تقدما …
# بالمحور الغربي لمدينة بنغازي، وأعلنت سيطرتها على منطقة القوارشة»): the battle for it.
_GROUND = frozenset({"armed_clash", "capture"})


_DESTINATION_RE = re.compile(
    normalize(r"(?<![^\W_])(?:إلى|الى|نحو|باتجاه)\s+(?:(?:مدينة|مدينتي|منطقة|منطقتي|بلدة)\s+)?$")
)


def _tells_another_event(
    group: Clause,
    group_found: EventClassification | None,
    clause: Clause,
    found: EventClassification | None,
    text: str,
    mentions: list[EntityMention],
    published: dt.date,
    gazetteer: Gazetteer,
) -> bool:
    """Whether `clause` is an event of its own beside `group` (the clause or clauses before
    it, read as one): it has its own trigger and either another type than the event before
    it, or its own date, or its own place (issue 12). Each rule keeps one event told in two
    clauses whole:

    - a statement is the report of the event it goes with, and a statement clause before an
      event is that event's announcement: neither splits;
    - a fight's results (its toll, its prisoners) are part of it, unless dated apart;
    - a clause whose types include the event's («واشتبكت …، ما اضطر قوات حفتر إلى
      الانسحاب»: the clash and the capture it ended in) tells the same event; so do a strike
      from the air and a shelling, and fighting and a capture at the same place or one
      inside the other;
    - a place is the clause's own only when its most specific places are not the group's,
      nor inside or around them (ميناء المريسة is in بنغازي), and the group names a place;
    - a date is the clause's own when the group has another, or none and the types differ;
    - a weak joiner's clause (إثر/عقب + verbal noun: how the event came about) of the same
      type is the same event, unless dated apart.
    """
    if found is None or group_found is None:
        return False
    if clause.kind in (RELATIVE, MORROW):
        return True  # «بعد عام من سيطرة …», «غداة …»: dated back from the clause before
    if "statement" in (found.type, group_found.type):
        return False

    def places(c: Clause) -> set[str]:
        """The clause's places, but where forces go («انسحبت قوات حفتر إلى بني وليد»): a
        withdrawal's destination is the other side of the same event, not a place of its own."""
        return {
            m.entity_id
            for m in mentions
            if isinstance(gazetteer.get(m.entity_id), Place)
            and c.contains(m.start, m.end)
            and not _DESTINATION_RE.search(normalize(text[: m.start]))
        }

    def dates(c: Clause, f: EventClassification) -> set[tuple[dt.date, dt.date]]:
        """The date the clause gives its event, as the resolver reads it: not one bound to
        another clause («منذ انطلاق العملية قبل ثلاثة أشهر» dates the operation's start)."""
        when = _own_date(blank(text, c.spans), f, published, _dates_in(text, c.spans, published))
        return {(when.start, when.end)} if when is not None else set()

    def related(a: str, b: str) -> bool:
        return (
            a == b
            or any(p.id == b for p in gazetteer.ancestors(a))
            or any(p.id == a for p in gazetteer.ancestors(b))
        )

    mine = most_specific_places(sorted(places(clause)), gazetteer)
    theirs = most_specific_places(sorted(places(group)), gazetteer)
    related_places = any(related(a, b) for a in mine for b in theirs)
    own_place = bool(mine) and not related_places
    my_dates, their_dates = dates(clause, found), dates(group, group_found)
    same_kind = (
        found.type == group_found.type
        or {found.type, group_found.type} <= _FIRE
        or group_found.type in found.types
        or ({found.type, group_found.type} <= _GROUND and related_places)
    )
    kinds = {found.type, group_found.type}
    toll = bool(kinds & _RESULTS) and kinds <= _RESULTS | _VIOLENCE
    dated_apart = bool(my_dates) and (
        bool(their_dates - my_dates) if their_dates else not (same_kind or toll)
    )
    if dated_apart:
        return True
    if same_kind or toll:
        return own_place and bool(theirs) and clause.kind != WEAK
    return clause.kind != WEAK or own_place


def sentence_events(
    index: int,
    text: str,
    mentions: list[EntityMention],
    published: dt.date,
    gazetteer: Gazetteer,
    narrative: Narrative | None = None,
    continuing: bool = False,
) -> list[Event]:
    """The sentence's events, one per event clause (briefgen/events/clauses.py), in order.

    A sentence with one event is read whole (`sentence_event`). With more, each event is
    read from its own clauses: their type, their places and actors (else the sentence's),
    their date (their own; else the sentence's, leaving out what a subordinate or relative
    clause of another event dates; else the narrative's), and their background rules (a
    pluperfect clause without a date of its own is no event)."""
    speaker_named = _names_a_person(mentions, gazetteer)
    whole = classify_event(text, speaker_named=speaker_named)

    def single() -> list[Event]:
        event = _sentence_event(index, text, whole, mentions, published, gazetteer, narrative, continuing)
        return [event] if event is not None else []

    if whole is not None:
        listed = _listed_events(index, text, whole, mentions, published, gazetteer)
        if listed:
            return listed
    # Two events need two triggers in the sentence (the same word twice counts twice: «سيطرت
    # … بعد أن كانت قد سيطرت …»): most sentences are read whole at once.
    if whole is None or sum(normalize(text).count(t) for t in whole.triggers) < 2:
        return single()
    clauses = split_clauses(text)
    if len(clauses) < 2:
        return single()
    is_place = lambda entity_id: isinstance(gazetteer.get(entity_id), Place)  # noqa: E731
    groups: list[tuple[Clause, EventClassification | None]] = []
    for clause in clauses:
        found = classify_event(
            blank(text, clause.spans),
            speaker_named=any(
                isinstance(gazetteer.get(m.entity_id), Person) and clause.contains(m.start, m.end)
                for m in mentions
            ),
        )
        if groups and not _tells_another_event(
            *groups[-1], clause, found, text, mentions, published, gazetteer
        ):
            merged = merge(groups[-1][0], clause)
            # A clause without a trigger adds none: the event before it reads as it did.
            again = found is not None or groups[-1][1] is None
            groups[-1] = (
                merged,
                classify_event(blank(text, merged.spans), speaker_named=speaker_named)
                if again
                else groups[-1][1],
            )
        else:
            groups.append((clause, found))
    groups = [(c, f) for c, f in groups if f is not None]
    if len(groups) < 2:
        return single()
    events: list[Event] = []
    pluperfect = bool(PLUPERFECT_RE.match(normalize(text)))
    before: When | None = None
    for clause, found in groups:
        assert found is not None
        own_text = blank(text, clause.spans)
        when: When | None
        if clause.kind == RELATIVE and clause.amount:
            when = _dated_back(clause.amount, before, published)
        elif clause.kind == MORROW and before is not None and before.precision == "day":
            day = before.start - dt.timedelta(days=1)
            when = When(day, day, "day", before.text, before.warnings)
        else:
            when = _own_date(own_text, found, published, _dates_in(text, clause.spans, published))
        # A background clause («بعد أن كانت قد …», or hanging on a pluperfect sentence) is an
        # event of its own date or none: it takes neither the sentence's nor the narrative's.
        background = PLUPERFECT_RE.match(normalize(own_text)) or (
            pluperfect and clause.kind in (SUBORDINATE, WEAK)
        )
        if when is None and background:
            continue
        if when is None:
            # The sentence's date: what the clauses of other events do not date for themselves.
            others = [
                c
                for c, _f in groups
                if c is not clause and c.kind in (SUBORDINATE, RELATIVE, MORROW, ASIDE, WEAK)
            ]
            spans: tuple[tuple[int, int], ...] = ((0, len(text)),)
            for other in others:
                for hole in other.spans:
                    spans = cut(spans, hole)
            when = _own_date(blank(text, spans), found, published, _dates_in(text, spans, published))
        if when is None:
            when = _narrative_date(own_text, found, narrative, continuing, published)
        own = [m for m in mentions if clause.contains(m.start, m.end)]
        place_mentions = [m for m in own if is_place(m.entity_id)]
        if not place_mentions and not LOCALITY_RE.search(normalize(own_text)):
            # «محاولة الاستيلاء على منطقة أبوقرين»: a place of its own the gazetteer lacks is
            # not the sentence's other places; a clause naming none is where the sentence is.
            place_mentions = [m for m in mentions if is_place(m.entity_id)]
        # Places are read in the clause's text when it names its own, else in the sentence's.
        place_text = own_text if any(is_place(m.entity_id) for m in own) else text
        event = _event(index, place_text, found, when, place_mentions, published, gazetteer, len(events))
        # Actors: the clause's own, else the sentence's; figures: the clause's own.
        actors = _actors(own, gazetteer) or _actors(mentions, gazetteer)
        figures = casualty_figures(own_text) if "casualties" in found.types else ()
        events.append(replace(event, actors=actors, figures=figures))
        before = when
    return events


def _listed_events(
    index: int,
    text: str,
    whole: EventClassification,
    mentions: list[EntityMention],
    published: dt.date,
    gazetteer: Gazetteer,
) -> list[Event]:
    """A list of dated events in one sentence (briefgen/events/enumerations.py): one event per
    item, of the item's own type if it names one, else the sentence's. A sentence whose
    clauses hang on each other («بعد أن», «بعد عام من») is not a list."""
    is_place = lambda entity_id: isinstance(gazetteer.get(entity_id), Place)  # noqa: E731
    norm = normalize(text)
    dates = [d for d in _dates(text, published) if not names_the_era(norm, d, text)]
    items = listed_items(text, dates, mentions, is_place)
    if not items or any(c.kind in (SUBORDINATE, RELATIVE) for c in split_clauses(text)):
        return []
    events: list[Event] = []
    actors = _actors(mentions, gazetteer)
    for item in items:
        own_text = blank(text, (item.span,))
        own = classify_event(own_text)
        # «وقصف الطيران …، وقصف …»: the item's bare «قصف» is the sentence's air strike.
        found = whole if own is None or {own.type, whole.type} <= _FIRE else own
        date = item.date
        when = When(date.start, date.end, date.precision, date.text, date.warnings)
        event = _event(index, own_text, found, when, list(item.places), published, gazetteer, len(events))
        events.append(replace(event, actors=_actors(list(item.places), gazetteer) or actors))
    return events


def _dated_back(amount: str, before: When | None, published: dt.date) -> When | None:
    """«أحكمت سيطرتها على المطار بعد عام من سيطرة ميليشيات حفتر عليه»: the control began
    about a year before the clause before it (its start, else the publication day).

    It is dated as «قبل عام» from that day (briefgen/dates.py), narrowed to the middle half of
    that range: counted from the event itself rather than from the day of writing, "a year
    after" is nearer a year than "a year ago" is.
    """
    anchor = before.start if before is not None and before.precision != "reported" else published
    found = [m for m in find_dates(f"قبل {amount}", anchor) if not m.open_ended]
    if not found:
        return None
    m = found[0]
    quarter = (m.end - m.start) // 4
    return When(m.start + quarter, m.end - quarter, "approximate", m.text, m.warnings)


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


def _after(before: Narrative, text: str, events: list[Event], published: dt.date) -> Narrative:
    """The narrative after a sentence: its first event's date (the date the event resolved,
    not a date bound to another of its clauses) and its events' types; a sentence without an
    event, its own date; else none (an undated sentence breaks it)."""
    memo: list[tuple[When | None, frozenset[str]]] = []

    def narrative() -> tuple[When | None, frozenset[str]]:
        if not memo:
            first = events[0] if events else None
            own: When | None
            if first is not None and first.precision != "reported":
                own = When(first.date_start, first.date_end, first.precision, first.date_text, first.warnings)
            else:
                own = event_date(text, _dates(text, published), published) if first is None else None
            if own is not None:
                memo.append((own, frozenset(t for e in events for t in e.types)))
            else:
                memo.append((None, frozenset()))
        return memo[0]

    return narrative


def _with_anaphoric_place(
    event: Event, text: str, places_so_far: list[EntityMention], kind_of: Callable[[str], str | None]
) -> Event:
    """«غارات على نقاط شمال المدينة»: an event with no site of its own takes the place a noun
    points back to (briefgen/events/anaphora.py); talk never does: what it names is its topic."""
    if event.type in TALK_TYPES or not all(kind_of(p) in BROAD_PLACE_KINDS for p in event.places):
        return event
    referent = anaphoric_place(text, places_so_far, kind_of)
    return replace(event, places=(referent,)) if referent is not None else event


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
        found = [
            _with_anaphoric_place(event, text, places_so_far, kind_of)
            for event in sentence_events(index, text, mentions, published, gazetteer, narrative, continues)
        ]
        events.extend(found)
        if not PLUPERFECT_RE.match(norm):  # an aside: the narrative resumes after it
            narrative = _after(narrative, text, found, published)
    places_in = {
        index: any(isinstance(gazetteer.get(m.entity_id), Place) for m in mentions)
        for index, mentions in by_sentence.items()
    }
    events = carry_back_referenced_date(events, texts, places_in, published)
    events = date_by_the_morrow(events, texts)

    def broad(place_id: str) -> bool:
        return getattr(gazetteer.get(place_id), "kind", None) in BROAD_PLACE_KINDS

    def around(place_id: str) -> frozenset[str]:
        return frozenset(a.id for a in gazetteer.ancestors(place_id))

    return replace(article, events=tuple(link_follow_ups(events, texts, broad, around)))


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
