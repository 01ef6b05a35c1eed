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
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from briefgen.arabic import normalize
from briefgen.dates import DateMention, find_dates
from briefgen.event_types import classify_event
from briefgen.gazetteer import Gazetteer, Place
from briefgen.pipeline import Stage
from briefgen.structure.article import Article, EntityMention, Event

if TYPE_CHECKING:
    from collections.abc import Callable

# Military events: follow-ups among them are one event (the chronology's MILITARY_TYPES).
MILITARY = frozenset(
    {"capture", "armed_clash", "air_strike", "shelling", "explosion", "casualties", "arrest"}
)
PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "approximate": 3, "year": 4, "reported": 5}
# Organisations that report events rather than take part in them.
NOT_ACTORS = frozenset({"media", "company"})

BACK_REFERENCE = re.compile(
    normalize(
        r"\b(?:هذه|هذا|تلك|ذلك)\s+(?:الخطوة|العملية|السيطرة|التقدم|الانتصار|الهجوم|التحرير"
        r"|المواجهات|الاشتباكات|المعارك|الغارة|الغارات|الضربة|القصف)"
    )
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


# How far back a report without a date of its own can be from the day it was published; and
# how long ago "منذ X" must have started to be the start of something rather than its range.
REPORTED_WINDOW = dt.timedelta(days=7)

# A background clause: pluperfect «وكان … قد», «وسبق أن/لـ». It is an event of its own date
# or none at all, never one of the publication date (issue 12, class 1).
PLUPERFECT_RE = re.compile(
    normalize(r"^\W*[وف]?(?:كان|كانت|كانوا|كانا)\s+(?:\S+\s+){0,8}?قد\s")
    + "|"
    + normalize(r"^\W*[وف]?سبق\s+(?:أن|ل)")
)
# A sentence that continues the narrative of the one before it: it takes that sentence's
# date when it has none of its own (class 3), and may be the same event (class 7).
CONTINUATION_RE = re.compile(
    normalize(
        r"^\W*(?:"
        r"[وف](?:أضاف|أضافت|أضافوا|تابع|تابعت|أوضح|أوضحت|أشار|أشارت)"
        r"|[وف](?:قال|قالت|قالوا)\s+(?:\S+\s+){0,6}?(?:في|فى)\s+(?:بيان|تصريح|مؤتمر)"
        r"|(?:و|ف)?(?:في|فى)\s+(?:السياق|سياق)\s+(?:ذاته|نفسه)"
        r"|(?:و|ف)?(?:في|فى)\s+وقت\s+لاحق"
        r"|(?:و|ف)?جاء\s+(?:ذلك|هذا)"
        r"|(?:و|ف)?(?:يأتي|تأتي|وتأتي|ويأتي)\s"
        r"|من\s+جهته|من\s+جهتها|بدوره|بدورها"
        r")"
    )
)
# Of those, the openers that say the sentence is about the same event: «جاء ذلك عقب
# اشتباكات», «وتأتي سيطرة … بعد مواجهات». «وأضاف» may bring a new fact, so it does not.
REFERENCE_RE = re.compile(normalize(r"^\W*(?:(?:و|ف)?جاء\s+(?:ذلك|هذا)|(?:و|ف)?(?:يأتي|تأتي)\s)"))
# "منذ بدء الهجوم قبل نحو شهرين": the date belongs to the event the منذ phrase names.
_SINCE_EVENT_RE = re.compile(
    normalize(r"منذ\s+(?:بدء|بدأ|بداية|انطلاق|اندلاع|إطلاق|إعلان)\S*\s+(?:\S+\s+){0,3}$")
)
_RELATIVE_RE = re.compile(r"(?<![^\W_])(?:الذي|التي|الذين|اللذين|اللتين|اللواتي|اللاتي)(?![^\W_])")
_CLAUSE_BREAK_RE = re.compile(r"[.,،؛;:!?؟…()\-–—]")


@dataclass(frozen=True)
class When:
    start: dt.date
    end: dt.date
    precision: str
    text: str | None
    warnings: tuple[str, ...] = ()


def _until_end(mention: DateMention) -> dt.date:
    """The end of what a "منذ X" mention names by itself, X alone at its precision."""
    start, precision = mention.start, mention.precision
    if precision == "week":
        return start + dt.timedelta(days=6)
    if precision == "month":
        following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    if precision == "year":
        return dt.date(start.year, 12, 31)
    return start


def _bound_elsewhere(
    norm: str, mention: DateMention, text: str, trigger_at: int | None, triggers: tuple[str, ...] = ()
) -> bool:
    """Whether a date governs another clause than the event's (class 2).

    "منذ بدء الهجوم قبل نحو شهرين" dates the offensive's start; a date inside a relative
    clause (التي سيطرت عليها … قبل أيام) dates that clause, when the event's trigger is
    outside it and the clause reports an event of its own («في هذه المواجهات التي وقعت أمس»
    dates the clashes themselves).
    """
    at = len(normalize(text[: mention.span[0]]))
    before = norm[:at]
    clause_start = max((m.end() for m in _CLAUSE_BREAK_RE.finditer(before)), default=0)
    clause = before[clause_start:]
    if _SINCE_EVENT_RE.search(clause):
        return True
    relative = [clause_start + m.start() for m in _RELATIVE_RE.finditer(clause)]
    if not relative or trigger_at is None or trigger_at >= relative[-1]:
        return False
    inside = norm[relative[-1] : at]
    return any(t in inside for t in triggers)


def event_date(
    text: str,
    mentions: list[DateMention],
    published: dt.date,
    trigger_at: int | None = None,
    triggers: tuple[str, ...] = (),
) -> When | None:
    """The date a sentence gives its event: its most precise closed date, else its "منذ" date.

    A closed date bound to another clause does not count. "منذ X" long ago (تشن … منذ 4
    أبريل 2019 هجوما) dates the start of what has lasted since, at X's precision; a recent
    one (منذ يومين، منذ السبت الماضي) dates a range up to publication, approximately.
    """
    norm = normalize(text)
    closed = [
        m for m in mentions if not m.open_ended and not _bound_elsewhere(norm, m, text, trigger_at, triggers)
    ]
    if closed:
        best = min(closed, key=lambda m: PRECISION_RANK.get(m.precision, 9))
        return When(best.start, best.end, best.precision, best.text, best.warnings)
    since = [m for m in mentions if m.open_ended]
    if not since:
        return None
    best = min(since, key=lambda m: PRECISION_RANK.get(m.precision, 9))
    if published - best.start > REPORTED_WINDOW and best.precision != "approximate":
        return When(best.start, _until_end(best), best.precision, best.text, best.warnings)
    return When(best.start, best.end, "approximate", best.text, best.warnings)


def best_date(mentions: list[DateMention]) -> DateMention | None:
    """The most precise closed date among the mentions ("منذ …" ranges are left out)."""
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


_DIRECTION = r"(?:شمال|جنوب|شرق|غرب)(?:ي|ى)?"
# «بني وليد (180 كلم جنوب شرق طرابلس)», «أجدابيا على بعد 190 كلم جنوب غرب بنغازي»,
# «امسلاتة الواقعة شرق مدينة ترهونة», «وتبعد 140 كيلومترا عن العاصمة»: what follows locates.
_LOCATING_LEAD_RE = re.compile(
    normalize(
        r"(?:على\s+بعد|[يت]?بعد\s+\S*\s*(?:كلم|كم|كيلو\S*|ميل\S*)|الواقع\S*|[يت]قع|[يت]بعد)"
        r"(?:\s+\S+){0,6}\s*$"
    )
)
_DISTANCE_RE = re.compile(normalize(r"\d+\s*(?:كلم|كم|كيلو\S*|ميل\S*)|" + _DIRECTION))
# «صبراتة غرب طرابلس», «مطار مصراتة شرق طرابلس»: a direction right after another place.
_APPOSED_DIRECTION_RE = re.compile(
    normalize(
        r"^\s*[،,]?\s*(?:(?:" + _DIRECTION + r"(?:\s+" + _DIRECTION + r")?)|قرب|بالقرب\s+من|قرب\s+مدينة)"
        r"\s+(?:مدينة\s+|العاصمة\s+|ال)?$"
    )
)
# «أوعزت لبعض قواتها من مدينة مصراتة بالهجوم على الداوون»: where the forces come from.
_ORIGIN_RE = re.compile(
    normalize(
        r"(?:قوات|قواتها|قواته|مقاتلي|مقاتلو|كتائب|عناصر|مسلحي|مسلحو|ميليشيات|مليشيات|تعزيزات)\S*"
        r"\s+(?:\S+\s+)?(?:من|قادمة\s+من|القادمة\s+من)\s+(?:مدينة\s+|منطقة\s+)?$"
    )
)
# A protest or condemnation names the place struck, not where it is held (class 5).
_OBJECT_MARKERS_RE = re.compile(
    normalize(
        r"(?<![^\W_])[وف]?(?:للتنديد|تنديدا|ندد\S*|يندد\S*|تندد\S*|مندد\S*|استنكر\S*|استنكار\S*|"
        r"احتجاجا\s+على|على\s+خلفية|رفضا|دعما|تضامنا|اتهم\S*)(?![^\W_])"
    )
)


# Calls, threats, refusals: what they are about has not happened there (yet).
_TOPIC_MARKERS_RE = re.compile(
    normalize(
        r"(?<![^\W_])[وف]?(?:طالب|طالبت|طالبوا|يطالب|تطالب|مطالبا|ناشد|ناشدت|مناشدا|دعا|دعت|داعيا|"
        r"حذر|حذرت|محذرا|لن|توعد|متوعدا|هدد|مهددا)(?![^\W_])"
    )
)
_DENOUNCE_VERB_RE = re.compile(r"^[وف]?(?:ندد|يندد|تندد|مندد|اتهم)")
_BI_OBJECT_RE = re.compile(r"(?<![^\W_])ب[^\W\d_]{2,}")


def _object_starts(norm: str) -> list[int]:
    """Where the object of each condemnation begins: right after «للتنديد/احتجاجا على», and at
    the بـ of «ندد … بالقصف», so «ندد النازحون في وقفة في طرابلس بالقصف» keeps Tripoli."""
    starts = []
    for m in _OBJECT_MARKERS_RE.finditer(norm):
        start = m.end()
        if _DENOUNCE_VERB_RE.match(m.group()) and not m.group().startswith(("للتنديد", "تنديدا")):
            object_ = _BI_OBJECT_RE.search(norm, m.end())
            if object_ is not None:
                start = object_.start()
        starts.append(start)
    return starts


def place_roles(
    text: str,
    mentions: list[EntityMention],
    is_place: Callable[[str], bool],
    other_triggers: tuple[str, ...] = (),
) -> tuple[list[str], list[str], list[str]]:
    """The sentence's places split into event sites, locating references and topics (class 5).

    Locating: a place inside a parenthesis with a distance or a direction, after «على بعد …»,
    «الواقعة» or «تبعد», right after another place and a direction or «قرب» (صبراتة غرب
    طرابلس), or the forces' home town (قواتها من مدينة مصراتة) — it locates or qualifies
    another place, and stands in only when the sentence names no site.
    Topics: a place named after a condemnation (للتنديد بالقصف الذي استهدف سرت), under a
    call, threat or refusal (طالب بإخلاء المحاصرين في قنفودة، لن تسمح … في بني وليد), or in
    a relative clause that tells another event than the sentence's (`other_triggers`:
    «لقوات حفتر التي انسحبت من ترهونة») — what is talked about, never where it happened.
    """
    norm = normalize(text)
    places = sorted((m for m in mentions if is_place(m.entity_id)), key=lambda m: m.start)
    sites: list[str] = []
    references: list[str] = []
    topics: list[str] = []
    objects = _object_starts(norm) + [m.end() for m in _TOPIC_MARKERS_RE.finditer(norm)]
    for index, mention in enumerate(places):
        before = text[: mention.start]
        norm_before = normalize(before)
        clause_start = max(
            (m.end() for m in _CLAUSE_BREAK_RE.finditer(norm_before.replace("(", ""))), default=0
        )
        clause = norm_before[clause_start:]
        opened = before.rfind("(")
        in_parenthesis = opened > before.rfind(")") and _DISTANCE_RE.search(normalize(before[opened:]))
        previous = places[index - 1] if index else None
        apposed = previous is not None and _APPOSED_DIRECTION_RE.match(
            normalize(text[previous.end : mention.start])
        )
        relative = [m.start() for m in _RELATIVE_RE.finditer(clause)]
        in_other_event = bool(relative) and any(t in clause[relative[-1] :] for t in other_triggers)
        if any(clause_start <= at <= len(norm_before) for at in objects) or in_other_event:
            topics.append(mention.entity_id)
        elif in_parenthesis or apposed or _LOCATING_LEAD_RE.search(clause) or _ORIGIN_RE.search(clause):
            references.append(mention.entity_id)
        else:
            sites.append(mention.entity_id)
    return sites, references, topics


def casualty_figures(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in _CASUALTY_COUNT.findall(normalize(text)))


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
    context: When | None = None,
    continuing: bool = False,
    context_types: frozenset[str] = frozenset(),
) -> Event | None:
    """The sentence's event, dated by its own date, else by `context` (the narrative it
    continues), else by the publication date (`reported`); a background clause without a
    date of its own is no event.

    The sentence continues the narrative when it opens as a continuation (see
    CONTINUATION_RE; `continuing`) or when it reports the same
    kind of event as the sentence before (`context_types`): the car bomb among the dead of
    «مساء أمس الجمعة».
    """
    found = classify_event(text)
    if found is None:
        return None
    when = event_date(
        text, find_dates(text, published), published, _trigger_offset(text, found.triggers), found.triggers
    )
    if when is None:
        if PLUPERFECT_RE.match(normalize(text)):
            return None
        when = context if continuing or set(found.types) & context_types else None
    is_place = lambda entity_id: isinstance(gazetteer.get(entity_id), Place)  # noqa: E731
    other = tuple(
        t for t, kind in zip(found.triggers, found.trigger_types, strict=False) if kind != found.type
    )
    sites, references, _topics = place_roles(text, mentions, is_place, other)
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
        # Locating references stand in only when the sentence names no site at all.
        places=most_specific_places(sites or references, gazetteer),
        actors=tuple(dict.fromkeys(actors)),
        figures=casualty_figures(text) if "casualties" in found.types else (),
        warnings=when.warnings if when else (),
    )


FOLLOW_UP_REACH = 3  # sentences back a follow-up may continue


def _same_time(later: Event, earlier: Event) -> bool:
    if (later.date_start, later.date_end) == (earlier.date_start, earlier.date_end):
        return True
    if later.precision == "reported":
        return later.date_start - REPORTED_WINDOW <= earlier.date_start <= later.date_end
    if earlier.precision == "reported":
        return earlier.date_start - REPORTED_WINDOW <= later.date_start <= earlier.date_end
    return False


# «كما تقدمت مفرزة…», «وفي محور آخر…», «إلى ذلك…»: another event, never a follow-up.
NEW_TOPIC_RE = re.compile(
    normalize(
        r"^\W*(?:[وف]?كما\s|[وف]?(?:في|على)\s+(?:محور|صعيد|جانب)\s+آخر|[وف]?من\s+جهة\s+أخرى"
        r"|[وف]?إلى\s+ذلك|[وف]?(?:في|فى)\s+سياق\s+متصل|[وف]?أما\s)"
    )
)
# «إن الاشتباكات اندلعت إثر…», «شنت الهجوم بالتنسيق مع…»: the fighting already told.
DEFINITE_FIGHTING_RE = re.compile(
    normalize(r"(?<![^\W_])[وفب]?ال(?:اشتباكات|معارك|مواجهات|غارة|غارات|هجوم|قصف|ضربة|ضربات)(?![^\W_])")
)


def link_follow_ups(
    events: list[Event], texts: dict[int, str], broad: Callable[[str], bool] = lambda _: False
) -> list[Event]:
    """Mark each event that continues an earlier one of the same article (class 7).

    A follow-up is of the same time as the earlier event and names no place it lacks. Of the
    same type, it is the same event told again (the strike, then the strike's toll of the
    same raid); of another type, it must say it continues (وأضاف، جاء ذلك عقب اشتباكات،
    هذه العملية، الاشتباكات): the clashes that took the town, the announcement of the capture.
    A country or region (قناة «ليبيا» الرسمية) is no new place.
    """
    linked: list[Event] = []
    for event in events:
        norm = normalize(texts[event.sentence])
        same_event = bool(
            REFERENCE_RE.match(norm) or BACK_REFERENCE.search(norm) or DEFINITE_FIGHTING_RE.search(norm)
        )
        places = {p for p in event.places if not broad(p)}
        if NEW_TOPIC_RE.match(norm):
            linked.append(event)
            continue
        earlier = next(
            (
                e
                for e in reversed(linked)
                if 0 < event.sentence - e.sentence <= FOLLOW_UP_REACH
                and places <= set(e.places)
                and _same_time(event, e)
                and (
                    event.type == e.type
                    or (
                        same_event
                        and e.type in MILITARY
                        and (event.type in MILITARY or event.type == "statement")
                    )
                )
            ),
            None,
        )
        if earlier is not None:
            event = replace(
                event, follows=earlier.follows if earlier.follows is not None else earlier.sentence
            )
        linked.append(event)
    return linked


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


def find_events(article: Article, gazetteer: Gazetteer) -> Article:
    by_sentence: dict[int, list[EntityMention]] = {}
    for mention in article.entities:
        by_sentence.setdefault(mention.sentence, []).append(mention)
    texts = {s.index: s.text for s in article.sentences}
    published = article.meta.published
    events: list[Event] = []
    context: When | None = None  # the date of the narrative the next sentence may continue
    context_types: frozenset[str] = frozenset()  # the event types that narrative reported
    for index, text in texts.items():
        norm = normalize(text)
        continues = bool(CONTINUATION_RE.match(norm) or BACK_REFERENCE.search(norm))
        event = sentence_event(
            index, text, by_sentence.get(index, []), published, gazetteer, context, continues, context_types
        )
        if event is not None:
            events.append(event)
        if PLUPERFECT_RE.match(norm):
            continue  # an aside: the narrative resumes after it
        own = event_date(text, find_dates(text, published), published)
        if own is not None:
            context, context_types = own, frozenset(event.types if event else ())
        elif event is None or event.precision == "reported":
            context, context_types = None, frozenset()
    places_in = {
        index: any(isinstance(gazetteer.get(m.entity_id), Place) for m in mentions)
        for index, mentions in by_sentence.items()
    }
    events = carry_back_referenced_date(events, texts, places_in, published)

    def broad(place_id: str) -> bool:
        return getattr(gazetteer.get(place_id), "kind", None) in BROAD_PLACE_KINDS

    return replace(article, events=tuple(link_follow_ups(events, texts, broad)))


def make_events_stage(gazetteer: Gazetteer) -> Stage:
    def events(article: Article) -> Article:
        return find_events(article, gazetteer)

    return events
