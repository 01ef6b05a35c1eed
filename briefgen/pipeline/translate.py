"""Stage 2, translate: give every Arabic unit its English from the memory or the engine.

Units already in the translation memory keep their entry (a reviewed one is never
touched): the n-th unit with a key takes the n-th entry with that key, or, where the
memory has fewer, the first (a sentence newly repeated starts with the copy's English);
an entry typed by hand without a key is first given its unit (`place_typed_entries`).
Only the rest, `pending` entries with no English, and the machine entries another engine
or model wrote (switching models refreshes them; see `is_stale`) go to the engine, in one
batch per article. Without an engine they stay pending, and the memory lists them for
translators. The stage is pure: the build loads the memories before the
pipeline and writes them back from `article.translation` after it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Protocol

from briefgen.commented_yaml import by_occurrence
from briefgen.errors import Problem
from briefgen.memory import ArticleMemory, MemoryEntry, UnitKind, place_typed_entries, sentence_key
from briefgen.pipeline import Stage
from briefgen.structure.article import Article, ArticleTranslation, TranslatedText


class TranslationEngine(Protocol):
    engine_name: str
    model_label: str

    def translate(self, sentences: Sequence[str]) -> list[str]: ...


class Translated(Protocol):
    """A memory entry or a translated unit: where its English came from."""

    origin: str | None
    engine: str | None
    model: str | None


def is_stale(unit: Translated, engine: TranslationEngine) -> bool:
    """Whether `engine` should translate this unit (again): it has no English yet, or machine
    English from another engine or model. An editor's (reviewed) English, never."""
    if unit.origin == "reviewed":
        return False
    if unit.origin == "machine":
        return (unit.engine, unit.model) != (engine.engine_name, engine.model_label)
    return True  # pending


def translation_units(article: Article) -> list[tuple[UnitKind, str]]:
    """What needs English, in reading order: the title (unless given), cross-heads, sentences."""
    units: list[tuple[UnitKind, str]] = []
    if not article.meta.title_en:
        units.append(("title", article.meta.title))
    for block in article.blocks:
        if hasattr(block, "sentences"):
            units += [("sentence", s.text) for s in block.sentences]
        else:
            units.append(("heading", block.text))
    return units


def translate_article(
    article: Article, memory: ArticleMemory | None, engine: TranslationEngine | None
) -> Article:
    units = translation_units(article)
    keys = [sentence_key(ar) for _, ar in units]
    if memory is not None:
        # Problems with typed entries are the build's to report (typed_entry_problems).
        memory, _problems = place_typed_entries(memory, keys)
    first = memory.lookup() if memory else {}
    numbered = memory.by_occurrence() if memory else {}
    known = [numbered.get(occurrence) or first.get(occurrence[0]) for occurrence in by_occurrence(keys)]
    if engine is not None:
        # Machine English from another engine or model is refreshed; a pending entry with no
        # English is the engine's to fill below; a translator's draft is not.
        known = [
            None if entry is not None and entry.origin == "machine" and is_stale(entry, engine) else entry
            for entry in known
        ]
    missing = list(
        {
            key: ar
            for (_, ar), key, entry in zip(units, keys, known, strict=True)
            if entry is None or (entry.origin == "pending" and not entry.draft)
        }.items()
    )
    fresh: dict[str, TranslatedText] = {}
    if missing and engine is not None:
        english = engine.translate([ar for _, ar in missing])
        for (key, ar), en in zip(missing, english, strict=True):
            fresh[key] = TranslatedText(key, ar, en, "machine", engine.engine_name, engine.model_label)

    def unit(ar: str, key: str, entry: MemoryEntry | None) -> TranslatedText:
        if entry is not None and entry.origin != "pending":
            return TranslatedText(key, ar, entry.en, entry.origin, entry.engine, entry.model)
        if entry is not None and entry.draft:
            return TranslatedText(key, ar, None, draft=entry.en)
        return fresh.get(key) or TranslatedText(key, ar, None)

    translated = [
        (kind, unit(ar, key, entry)) for (kind, ar), key, entry in zip(units, keys, known, strict=True)
    ]
    return replace(
        article,
        translation=ArticleTranslation(
            title=next((t for kind, t in translated if kind == "title"), None),
            headings=tuple(t for kind, t in translated if kind == "heading"),
            sentences=tuple(t for kind, t in translated if kind == "sentence"),
        ),
    )


def in_reading_order(article: Article) -> list[tuple[UnitKind, TranslatedText]]:
    translation = article.translation
    assert translation is not None, "run the translate stage first"
    ordered: list[tuple[UnitKind, TranslatedText]] = (
        [("title", translation.title)] if translation.title else []
    )
    headings = iter(translation.headings)
    for block in article.blocks:
        if hasattr(block, "sentences"):
            ordered += [("sentence", translation.sentences[s.index]) for s in block.sentences]
        else:
            ordered.append(("heading", next(headings)))
    return ordered


def memory_of(article: Article) -> ArticleMemory:
    """The article's translation memory after the stage: an entry for every current unit, in
    reading order, one per occurrence (a pending one with `en: ''`, or the translator's
    draft, for them to fill), so entries for sentences that vanished from the article are dropped."""
    entries: list[MemoryEntry] = []
    for kind, unit in in_reading_order(article):
        if unit.pending or unit.origin is None:
            entries.append(MemoryEntry(unit.key, kind, unit.ar, unit.draft or "", "pending"))
            continue
        entries.append(
            MemoryEntry(unit.key, kind, unit.ar, unit.en or "", unit.origin, unit.engine, unit.model)
        )
    return ArticleMemory(article.slug, tuple(entries))


def typed_entry_problems(article: Article, memory: ArticleMemory) -> list[Problem]:
    """What is wrong with the entries typed by hand (no key) in the article's memory: one
    whose Arabic is none of the article's units, or whose unit has a reviewed entry already."""
    return place_typed_entries(memory, [sentence_key(ar) for _, ar in translation_units(article)])[1]


def draft_warnings(memory: ArticleMemory) -> list[str]:
    """One warning per entry a translator filled but left `origin: pending`: its English is
    kept in the memory and not published (the page shows the unit pending) until they say
    it is done, since briefgen cannot tell a finished translation from a draft."""
    return [
        f"{memory.shown}:{entry.line}: entries[{index}]: has English but `origin: pending`, so it "
        "is kept and not published; set `origin: reviewed` when the translation is done"
        for index, entry in enumerate(memory.entries)
        if entry.draft
    ]


def make_translate_stage(memories: Mapping[str, ArticleMemory], engine: TranslationEngine | None) -> Stage:
    def translate(article: Article) -> Article:
        return translate_article(article, memories.get(article.slug), engine)

    return translate
