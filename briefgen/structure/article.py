"""An `Article` as it flows through the pipeline; each stage returns it with more filled in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal


@dataclass(frozen=True)
class Sentence:
    """One Arabic sentence; `index` counts sentences across the whole article."""

    index: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Paragraph:
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Heading:
    """A cross-head: a short line that introduces the paragraphs after it."""

    text: str
    start: int
    end: int


Block = Paragraph | Heading


TranslationOrigin = Literal["reviewed", "machine"]


@dataclass(frozen=True)
class TranslatedText:
    """The English for one unit of Arabic (title, cross-head or sentence); `en` is None while pending."""

    key: str
    ar: str
    en: str | None
    origin: TranslationOrigin | None = None
    engine: str | None = None
    model: str | None = None
    # While pending: English a translator wrote but left `origin: pending` in the memory,
    # kept there and not published until they mark it reviewed.
    draft: str | None = None

    @property
    def pending(self) -> bool:
        return self.en is None


TranslationStatus = Literal["reviewed", "machine", "partial", "pending"]


@dataclass(frozen=True)
class ArticleTranslation:
    """The article's English, aligned with its Arabic: one entry per heading and per sentence."""

    title: TranslatedText | None  # None when the editor gave `title_en`
    headings: tuple[TranslatedText, ...]
    sentences: tuple[TranslatedText, ...]  # by sentence index

    @property
    def units(self) -> tuple[TranslatedText, ...]:
        return (*([self.title] if self.title else []), *self.headings, *self.sentences)

    @property
    def status(self) -> TranslationStatus:
        units = self.units
        done = [u for u in units if not u.pending]
        if not done:
            return "pending"
        if len(done) < len(units):
            return "partial"
        return "reviewed" if all(u.origin == "reviewed" for u in units) else "machine"

    @property
    def models(self) -> list[str]:
        return sorted({u.model for u in self.units if u.origin == "machine" and u.model})

    @property
    def engines_and_models(self) -> list[tuple[str, str]]:
        """(engine, model) of every machine translation in the article, for its label."""
        return sorted({(u.engine or "", u.model) for u in self.units if u.origin == "machine" and u.model})

    @property
    def pending_count(self) -> int:
        return sum(1 for u in self.units if u.pending)

    @property
    def untranslated_count(self) -> int:
        """Pending units an engine may translate: those with no draft of a translator's."""
        return sum(1 for u in self.units if u.pending and u.draft is None)

    @property
    def reviewed_sentences(self) -> int:
        return sum(1 for u in self.sentences if u.origin == "reviewed")


@dataclass(frozen=True)
class Summary:
    """The article's gist: indexes of its 2–4 summary sentences, in article order."""

    sentences: tuple[int, ...]


@dataclass(frozen=True)
class EntityMention:
    """A gazetteer entity named in sentence `sentence`, at `start:end` of that sentence's text."""

    entity_id: str
    kind: str  # place, person or organisation
    sentence: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Event:
    """Something a sentence reports as happening, with its date, places and actors.

    `precision` is the date resolver's (day, week, month, year, approximate), or
    `reported` when the sentence gives no date and the publication date stands in.
    """

    sentence: int
    type: str
    types: tuple[str, ...]
    date_start: dt.date
    date_end: dt.date
    precision: str
    date_text: str | None
    places: tuple[str, ...]  # gazetteer ids, most specific only, in order of mention
    actors: tuple[str, ...]  # people and organisations, in order of mention
    figures: tuple[int, ...] = ()  # casualty counts the sentence gives
    warnings: tuple[str, ...] = ()
    # The earlier sentence of the same article whose event this one continues (a follow-up:
    # «وأضاف…», «جاء ذلك…», the same strike's toll): the chronology files them as one event.
    follows: int | None = None
    follows_event: int = 0  # which event of that sentence (its `in_sentence`)
    # The event's place among its sentence's events (issue 12): 0 for the first; a sentence
    # that tells two events («…، فيما قصفت …») has a second, 1 (briefgen/events/clauses.py).
    in_sentence: int = 0
    # From the event memory (briefgen/memory/events.py): the sentence's key, whose reading this
    # is (machine, or an editor's: reviewed), and what a reviewed entry says of the chronology.
    key: str = ""
    origin: str = "machine"
    campaign: str | None = None  # a reviewed campaign ("none": in none); None: the chronology decides
    same_as: str | None = None  # "<slug>#<key>": the same event as that report
    separate: bool = False  # never merged with another report


@dataclass(frozen=True)
class FrontMatter:
    """The validated metadata an editor writes at the top of an article file."""

    title: str
    source: str
    published: dt.date
    url: str | None = None
    title_en: str | None = None
    source_ar: str | None = None
    campaign: str | None = None
    tags: tuple[str, ...] = ()
    date_note: str | None = None  # English
    date_note_ar: str | None = None
    tags_ar: tuple[str, ...] = ()

    def tags_in(self, lang: str) -> tuple[str, ...]:
        """The tags for a page in `lang`: its own language's, else the other one's."""
        own, other = (self.tags, self.tags_ar) if lang == "en" else (self.tags_ar, self.tags)
        return own or other

    def date_note_in(self, lang: str) -> tuple[str, str] | None:
        """(note, its language) for a page in `lang`: the page's own, else the other one's."""
        notes = {"en": self.date_note, "ar": self.date_note_ar}
        for choice in (lang, "ar" if lang == "en" else "en"):
            if notes[choice]:
                return notes[choice], choice  # type: ignore[return-value]
        return None


@dataclass(frozen=True)
class Article:
    slug: str
    path: Path
    meta: FrontMatter
    body: str
    body_line: int
    blocks: tuple[Block, ...] = ()
    translation: ArticleTranslation | None = None
    summary: Summary | None = None
    entities: tuple[EntityMention, ...] = ()
    events: tuple[Event, ...] = ()  # the chronology's: the machine's, with the event memory applied
    machine_events: tuple[Event, ...] = ()  # what the machine found, before the event memory
    # The EventMemory applied (briefgen.memory.events), if any: what the events came from,
    # not part of the result (its machine entries and lines change as the build rewrites it).
    event_memory: Any = field(default=None, compare=False)
    # The chronology's campaign of each machine event (sentence, campaign) when the build
    # last wrote the event memory: a cached article whose campaigns are unchanged has the
    # same file, which need not be written out again to be compared.
    event_campaigns: tuple[tuple[tuple[int, int], str | None], ...] | None = field(
        default=None, compare=False
    )
    # Set by the corpus step from `meta.campaign` or the campaigns' dates.
    campaign: str | None = None

    @property
    def sentences(self) -> Iterator[Sentence]:
        for block in self.blocks:
            if isinstance(block, Paragraph):
                yield from block.sentences

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]

    @property
    def title_en(self) -> str | None:
        """The English headline: the editor's `title_en`, else the translated title."""
        if self.meta.title_en:
            return self.meta.title_en
        if self.translation and self.translation.title:
            return self.translation.title.en
        return None
