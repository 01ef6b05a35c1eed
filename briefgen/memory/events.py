"""The event memory: the chronology's reading of each article, under an editor's control.

One YAML file per article, `content/events/<slug>.yml`, written by every build: one entry
per event the machine found, keyed by its sentence's `sentence_key` (the key the
translation memory uses for the same sentence) and matched by (key, event, occurrence):
`event: N` names the N-th event a sentence tells (briefgen/events/clauses.py; absent, the
first). Each entry has the machine's reading (dates, precision, type, places, actors, campaign) and `origin: machine`.

An editor sets `origin: reviewed` on an entry to own it; then its values win and no
build touches it again. A reviewed entry may also:

- `rejected: true`: not an event; it leaves the chronology;
- `same_as: <slug>#<key>` (or `<slug>#<key>/<N>`, the sentence's N-th event): the same
  event as that report (another article's, or this one's);
- `separate: true`: its own entry, never merged with another report (splits a merge);
- be added by hand, for an event the machine missed: its `key` is that of a sentence of
  the article (copy it from the translation memory, where every sentence has its key).

A reviewed entry whose sentence is gone from the article is kept and reported, never
dropped. Machine entries are the machine's: each build writes them afresh.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from briefgen.commented_yaml import by_occurrence
from briefgen.errors import Problem
from briefgen.memory.core import ORIGINS, Origin, choice, dump_entries, load_entries
from briefgen.memory.translations import sentence_key
from briefgen.schema import Invalid, Option, Schema, integer, iso_date, list_of, text
from briefgen.structure.article import Article, Event

log = logging.getLogger("briefgen")

PRECISIONS = ("day", "week", "month", "year", "approximate", "reported")
NO_CAMPAIGN = "none"  # a reviewed entry's `campaign: none`: in no campaign
SAME_AS_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*#[0-9a-f]{16}(?:/[1-9][0-9]*)?$")

HEADER = """\
# Event memory for content/articles/{slug}.md: the chronology's reading of each event.
# To correct an event, edit its fields and set `origin: reviewed` (reviewed entries are
# never overwritten); `rejected: true` drops it, `same_as: <slug>#<key>` joins it to
# another report, `separate: true` keeps it out of merges. See docs/events.md.
"""


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"{value!r} is not true or false", hint="write true or false")
    return value


def _same_as(value: Any) -> str:
    value = text()(value)
    if not SAME_AS_RE.match(value):
        raise Invalid(
            f"{value!r} is not <slug>#<key> or <slug>#<key>/<N>",
            hint="write the other report's article slug and its entry's key, e.g. 2019-04-05-x#0123456789abcdef"
            " (add /2 for the sentence's second event)",
        )
    return value


ENTRY_SCHEMA = Schema(
    {
        "key": Option(text(), required=True, help="the key of the sentence (see docs/events.md)"),
        "event": Option(
            integer(minimum=1, maximum=99),
            help="which of the sentence's events, 1 for the first (the default)",
        ),
        "ar": Option(text()),
        "date_start": Option(iso_date()),
        "date_end": Option(iso_date()),
        "precision": Option(choice(PRECISIONS)),
        "type": Option(text()),
        "places": Option(list_of(text()), default=()),
        "actors": Option(list_of(text()), default=()),
        "campaign": Option(text()),
        "origin": Option(choice(ORIGINS), required=True, help="machine or reviewed"),
        "rejected": Option(_flag, default=False),
        "same_as": Option(_same_as),
        "separate": Option(_flag, default=False),
    },
    name="event entry",
)


# An event's identity in its article: its sentence's (key, occurrence) and its number
# among the sentence's events, 1-based.
Identity = tuple[str, int, int]


@dataclass(frozen=True)
class EventEntry:
    key: str
    origin: Origin
    event: int | None = None  # the sentence's N-th event (1-based); None: the first
    ar: str | None = None
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    precision: str | None = None
    type: str | None = None
    places: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    campaign: str | None = None
    rejected: bool = False
    same_as: str | None = None
    separate: bool = False
    line: int = 0  # where the entry starts in its file (0: not read from one)
    order: tuple[str, ...] = ()  # its fields in the file's order: a reviewed entry is written back so
    # (it is the editor's: its values and their order stay as they are)
    lines: tuple[tuple[str, int], ...] = ()  # each field's line

    def line_of(self, name: str) -> int | None:
        return dict(self.lines).get(name, self.line) or None


@dataclass(frozen=True)
class EventMemory:
    slug: str
    entries: tuple[EventEntry, ...] = ()
    shown: Path | None = None  # the file, as problems name it

    @property
    def reviewed(self) -> dict[Identity, EventEntry]:
        """The reviewed entries by (key, occurrence among the file's entries with that key and
        event number, event number): a sentence written twice keeps an entry per copy, and a
        sentence's second event an entry of its own."""
        ids = by_occurrence((e.key, e.event or 1) for e in self.entries)
        return {
            (key, occurrence, number): e
            for ((key, number), occurrence), e in zip(ids, self.entries, strict=True)
            if e.origin == "reviewed"
        }

    def where(self, entry: EventEntry) -> str:
        return f"{self.shown or self.slug + '.yml'}:{entry.line or 1}"


def event_memory_path(events_dir: Path, slug: str) -> Path:
    return events_dir / f"{slug}.yml"


def load_event_memory(path: Path, slug: str, shown: Path | None = None) -> EventMemory:
    """One article's event memory; a missing file is an empty one, a broken one an error."""
    hint = "fix the entry by hand (see docs/events.md), or delete the file to let the build write it afresh"
    found = load_entries(path, slug, shown, ENTRY_SCHEMA, "the event memory", hint)
    problems: list[Problem] = []
    entries = []
    for loaded in found or ():
        values, line = loaded.values, loaded.line
        entry = EventEntry(**values, line=line, order=loaded.order, lines=tuple(loaded.lines.items()))
        if entry.origin == "reviewed" and not entry.rejected and entry.same_as is None:
            for name in ("date_start", "type"):
                if values[name] is None:
                    problems.append(
                        Problem(
                            "a reviewed event needs this field",
                            path=shown or path,
                            line=line,
                            field=f"entries[{len(entries)}].{name}",
                            hint=f"add '{name}: …', or `rejected: true` if it is no event",
                        )
                    )
        entries.append(entry)
    if problems:
        from briefgen.errors import BriefgenError

        raise BriefgenError(problems)
    return EventMemory(slug, tuple(entries), shown or path)


def sentence_ids(article: Article) -> dict[tuple[str, int], int]:
    """Each sentence's index by (key, occurrence): the second sentence with a key is (key, 1)."""
    sentences = list(article.sentences)
    ids = by_occurrence(sentence_key(s.text) for s in sentences)
    return {i: s.index for i, s in zip(ids, sentences, strict=True)}


def _machine_ids(article: Article, events: Iterable[Event]) -> dict[tuple[int, int], Identity]:
    """Each event's identity by (sentence index, place in its sentence): its sentence's (key,
    occurrence) and its 1-based number in the sentence."""
    by_index = {index: identity for identity, index in sentence_ids(article).items()}
    return {(e.sentence, e.in_sentence): (*by_index[e.sentence], e.in_sentence + 1) for e in events}


def _reviewed_event(entry: EventEntry, sentence: int, machine: Event | None) -> Event:
    """The event an editor's entry says (over the machine's, if it read one there)."""
    start = entry.date_start or (machine.date_start if machine else dt.date(1970, 1, 1))
    base = machine or Event(
        sentence=sentence,
        type=entry.type or "statement",
        types=(entry.type or "statement",),
        date_start=start,
        date_end=start,
        precision="day",
        date_text=None,
        places=(),
        actors=(),
    )
    kind = entry.type or base.type
    return replace(
        base,
        sentence=sentence,
        in_sentence=(entry.event or 1) - 1,
        type=kind,
        types=(kind, *(t for t in base.types if t != kind)),
        date_start=start,
        date_end=entry.date_end or start,
        precision=entry.precision or "day",
        places=entry.places,
        actors=entry.actors,
        figures=base.figures,
        key=entry.key,
        origin="reviewed",
        campaign=entry.campaign,
        same_as=entry.same_as,
        separate=entry.separate,
        follows=None if entry.separate or machine is None else base.follows,
    )


def apply_event_memory(
    article: Article, machine: tuple[Event, ...], memory: EventMemory | None
) -> tuple[Event, ...]:
    """The article's events: the machine's, each replaced by its reviewed entry if it has
    one (none if rejected), and the events editors added. A reviewed entry whose sentence
    is gone is reported and left out."""
    ids = _machine_ids(article, machine)
    reviewed = memory.reviewed if memory else {}
    events: list[Event] = []
    for event in machine:
        identity = ids[event.sentence, event.in_sentence]
        entry = reviewed.get(identity)
        if entry is None:
            events.append(replace(event, key=identity[0]))
        elif not entry.rejected:
            events.append(_reviewed_event(entry, event.sentence, event))
    sentences = sentence_ids(article)
    taken = set(ids.values())
    for identity, entry in reviewed.items():
        if identity in taken:
            continue
        index = sentences.get(identity[:2], sentences.get((identity[0], 0)))
        if index is None:
            assert memory is not None
            log.warning(
                "%s: reviewed event entry %s matches no sentence of the article any more "
                "(the sentence was edited or removed): kept in the file, left out of the chronology; "
                "give it the new sentence's key or delete it",
                memory.where(entry),
                entry.key,
            )
        elif not entry.rejected:
            events.append(_reviewed_event(entry, index, None))
    return tuple(sorted(events, key=lambda e: (e.sentence, e.in_sentence)))


def _machine_entry(event: Event, key: str, ar: str, campaign: str | None) -> dict[str, Any]:
    item: dict[str, Any] = {"key": key}
    if event.in_sentence:  # a first event is written as before: no `event: 1`
        item["event"] = event.in_sentence + 1
    item |= {
        "ar": ar,
        "date_start": event.date_start.isoformat(),
        "date_end": event.date_end.isoformat(),
        "precision": event.precision,
        "type": event.type,
        "places": list(event.places),
        "actors": list(event.actors),
    }
    if campaign:
        item["campaign"] = campaign
    item["origin"] = "machine"
    return item


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return list(value) if isinstance(value, tuple) else value


def _reviewed_item(entry: EventEntry) -> dict[str, Any]:
    """A reviewed entry as the editor wrote it: their fields, in their order."""
    names = entry.order or tuple(
        n for n in ENTRY_SCHEMA.options if getattr(entry, n) not in (None, (), False) or n == "origin"
    )
    return {name: _plain(getattr(entry, name)) for name in names}


def event_memory_entries(
    article: Article,
    machine: tuple[Event, ...],
    memory: EventMemory | None,
    campaigns: Mapping[tuple[int, int], str | None],
) -> list[dict[str, Any]]:
    """The file's entries after a build: a machine entry per machine event (its campaign from
    the chronology, `campaigns` by (sentence, place in the sentence)), each reviewed entry in its place instead, the
    reviewed entries added by editors in sentence order, and those whose sentence is gone last."""
    texts = {s.index: s.text for s in article.sentences}
    ids = _machine_ids(article, machine)
    reviewed = memory.reviewed if memory else {}
    placed: list[tuple[tuple[float, int], dict[str, Any]]] = []
    for event in machine:
        at = (event.sentence, event.in_sentence)
        identity = ids[at]
        entry = reviewed.get(identity)
        if entry is not None:
            placed.append((at, _reviewed_item(entry)))
        else:
            placed.append((at, _machine_entry(event, identity[0], texts[event.sentence], campaigns.get(at))))
    sentences = sentence_ids(article)
    taken = set(ids.values())
    for order, (identity, entry) in enumerate(reviewed.items()):
        if identity not in taken:
            index = sentences.get(identity[:2], sentences.get((identity[0], 0)))
            where = (index + 0.5, identity[2]) if index is not None else (float("inf"), order)
            placed.append((where, _reviewed_item(entry)))
    placed.sort(key=lambda p: p[0])
    return [item for _order, item in placed]


def dump_event_memory(
    article: Article,
    machine: tuple[Event, ...],
    memory: EventMemory | None,
    campaigns: Mapping[tuple[int, int], str | None],
    previous: str | None,
    shown: Path,
) -> str:
    entries = event_memory_entries(article, machine, memory, campaigns)
    return dump_entries(HEADER.format(slug=article.slug), article.slug, entries, previous, shown)


def validate_event_memory(
    memory: EventMemory,
    article: Article,
    known_entity: Collection[str] | Mapping[str, Any],
    campaign_ids: Collection[str],
    type_ids: Collection[str],
    reports: Collection[str],
    check_keys: bool = True,
) -> list[Problem]:
    """What `briefgen check` refuses in an event memory, each with file, line and field:
    ids the gazetteer does not know, campaigns and types that do not exist, keys that match
    no sentence (unless not `check_keys`: a build warns of those instead, see
    `apply_event_memory`), dates out of order, `same_as` naming no report (`reports`:
    every `<slug>#<key>` of the corpus's sentences, and `<slug>#<key>/<N>` of their events;
    a build, not checking keys, does not hold a reviewed `/<N>` to the machine's events)."""
    problems: list[Problem] = []
    keys = {identity[0] for identity in sentence_ids(article)}
    path = memory.shown

    def problem(number: int, entry: EventEntry, field: str, message: str, hint: str) -> None:
        name = f"entries[{number}].{field}"
        problems.append(Problem(message, path=path, line=entry.line_of(field), field=name, hint=hint))

    for number, entry in enumerate(memory.entries):
        if check_keys and entry.key not in keys:
            problem(
                number,
                entry,
                "key",
                f"{entry.key!r} matches no sentence of the article",
                "copy the sentence's key from its translation memory (content/translations/), or delete the entry",
            )
        for name in ("places", "actors"):
            for entity in getattr(entry, name):
                if entity not in known_entity:
                    problem(
                        number,
                        entry,
                        name,
                        f"{entity!r} is not in the gazetteer",
                        "use an id from content/gazetteer.yml",
                    )
        if entry.campaign is not None and entry.campaign not in (*campaign_ids, NO_CAMPAIGN):
            problem(
                number,
                entry,
                "campaign",
                f"{entry.campaign!r} is not a campaign",
                f"use one of {', '.join(campaign_ids)} (site_config.yml), or `none`",
            )
        if entry.type is not None and entry.type not in type_ids:
            problem(
                number,
                entry,
                "type",
                f"{entry.type!r} is not an event type",
                f"use one of {', '.join(type_ids)}",
            )
        if entry.date_start and entry.date_end and entry.date_end < entry.date_start:
            problem(
                number,
                entry,
                "date_end",
                "is before date_start",
                "the range ends on or after the day it starts",
            )
        if entry.same_as is None:
            continue
        sentence, _slash, nth = entry.same_as.partition("/")
        if sentence not in reports:
            problem(
                number,
                entry,
                "same_as",
                f"{entry.same_as!r} names no sentence of any article",
                "write <slug>#<key> of the other report, its key as in that article's event memory",
            )
        elif check_keys and nth not in ("", "1") and entry.same_as not in reports:
            problem(
                number,
                entry,
                "same_as",
                f"{entry.same_as!r} names no event {nth} of that sentence",
                f"the sentence tells fewer events: {sentence} is its first; see `event:` in that article's event memory",
            )
    return problems
