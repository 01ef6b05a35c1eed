"""The translation memory: one human-editable YAML file per article, in `content/translations/`.

Entries are aligned with the article (title, cross-heads and sentences in reading
order) and found again by a key derived from the normalized Arabic, so a sentence
keeps its translation while the text around it changes; a sentence written twice has
an entry per occurrence (the n-th with a key takes the n-th entry with that key).
Every unit has an entry, translated or not: one with no English yet is `en: ''`,
`origin: pending`, for a translator to fill. Editors correct an entry by editing `en` and
setting `origin: reviewed`; reviewed entries are never overwritten, and comments they write
stay with their entry. An entry typed by hand without a key is keyed by its Arabic
(`typed`), and takes the place of the entry the build wrote for that unit.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from briefgen.arabic import normalize
from briefgen.commented_yaml import by_occurrence
from briefgen.errors import BriefgenError, Problem
from briefgen.memory.core import (
    MAX_MEMORY_BYTES,
    ORIGINS,
    Origin,
    choice,
    dump_entries,
    load_entries,
    write_atomically,
    write_if_changed,
)
from briefgen.schema import Option, Schema, text

__all__ = ["MAX_MEMORY_BYTES", "ORIGINS", "Origin", "write_atomically"]

# The translation memory's entries may also be waiting for their English (the event
# memory's may not: core's ORIGINS stay reviewed and machine).
EntryOrigin = Literal["reviewed", "machine", "pending"]
ENTRY_ORIGINS: tuple[EntryOrigin, ...] = (*ORIGINS, "pending")

UnitKind = Literal["title", "heading", "sentence"]
UNIT_KINDS: tuple[UnitKind, ...] = ("title", "heading", "sentence")

_SPACE = re.compile(r"\s+")

HEADER = """\
# Translation memory for content/articles/{slug}.md, aligned with the article.
# To translate or correct a unit, write its `en` and set `origin: reviewed`: reviewed
# entries are never overwritten. `origin: pending` marks a unit with no English yet.
# `key` ties an entry to its Arabic text; leave it as it is.
"""


# Headers earlier briefgens wrote: a file that starts with one gets today's instead, rather
# than keeping the old lines as if an editor had written them.
OLD_HEADERS = (
    """\
# Translation memory for content/articles/{slug}.md, aligned with the article.
# To correct a translation, edit `en` and set `origin: reviewed`: reviewed entries
# are never overwritten. `key` ties an entry to its Arabic text; leave it as it is.
""",
)


def sentence_key(arabic: str) -> str:
    """A stable key for an Arabic sentence: spelling variants and spacing don't change it."""
    folded = _SPACE.sub(" ", normalize(arabic)).strip()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class MemoryEntry:
    key: str
    kind: UnitKind
    ar: str
    en: str
    origin: EntryOrigin
    engine: str | None = None
    model: str | None = None
    # Where the entry was read (for problems), and whether it came without a key, typed
    # by hand: then `key` is its Arabic's, and `place_typed_entries` gives it its unit.
    line: int | None = field(default=None, compare=False)
    typed: bool = field(default=False, compare=False)

    @property
    def draft(self) -> bool:
        """English a translator wrote but left `origin: pending`: kept, and not published."""
        return self.origin == "pending" and bool(self.en.strip())


@dataclass(frozen=True)
class ArticleMemory:
    slug: str
    entries: tuple[MemoryEntry, ...] = ()
    shown: Path | None = field(default=None, compare=False)  # the file, as problems name it

    def lookup(self) -> dict[str, MemoryEntry]:
        """The first entry of each key."""
        found: dict[str, MemoryEntry] = {}
        for entry in self.entries:
            found.setdefault(entry.key, entry)
        return found

    def by_occurrence(self) -> dict[tuple[str, int], MemoryEntry]:
        """Each entry by (key, occurrence): the second entry with a key is (key, 1)."""
        return dict(zip(by_occurrence(e.key for e in self.entries), self.entries, strict=True))


ORIGIN_HELP = "reviewed (a translator's), machine, or pending (no English yet)"
ENTRY_SCHEMA = Schema(
    {
        # Optional: an entry typed by hand is keyed by its Arabic (see place_typed_entries).
        "key": Option(text(), help="leave the key as briefgen wrote it"),
        "kind": Option(choice(UNIT_KINDS), default="sentence"),
        "ar": Option(text(), required=True),
        "en": Option(text(allow_empty=True), required=True),
        # Required when the entry has a key (see load_memory).
        "origin": Option(choice(ENTRY_ORIGINS), help=ORIGIN_HELP),
        "engine": Option(text()),
        "model": Option(text()),
    },
    name="translation entry",
)


def memory_path(translations_dir: Path, slug: str) -> Path:
    return translations_dir / f"{slug}.yml"


def load_memory(path: Path, slug: str, shown: Path | None = None) -> ArticleMemory:
    """Read one article's memory; a missing file is an empty memory, a broken one an error.

    An entry without a key was typed by hand: it is keyed by its Arabic, and without an
    `origin` it is the translator's (`reviewed`), or `pending` while its `en` is empty. One
    with a key was written by briefgen, and must keep its origin."""
    hint = "fix the file by hand, or delete it to translate the article afresh"
    shown = shown or path
    found = load_entries(path, slug, shown, ENTRY_SCHEMA, "the translation memory", hint)
    entries: list[MemoryEntry] = []
    problems: list[Problem] = []
    for index, loaded in enumerate(found or ()):
        values = dict(loaded.values)
        typed = values["key"] is None
        if typed:
            values["key"] = sentence_key(values["ar"])
            values["origin"] = values["origin"] or ("reviewed" if values["en"].strip() else "pending")
        elif values["origin"] is None:
            problems.append(
                Problem(
                    "required field is missing",
                    shown,
                    loaded.line,
                    f"entries[{index}].origin",
                    f"add 'origin: …', {ORIGIN_HELP}",
                )
            )
            continue
        entries.append(MemoryEntry(**values, line=loaded.line, typed=typed))
    if problems:
        raise BriefgenError(problems)
    return ArticleMemory(slug, tuple(entries), shown)


def place_typed_entries(
    memory: ArticleMemory, unit_keys: Sequence[str]
) -> tuple[ArticleMemory, list[Problem]]:
    """The memory with each entry typed by hand (no key) given its unit, and the problems
    with those that have none (see `_placement`)."""
    if not any(entry.typed for entry in memory.entries):
        return memory, []
    order, refused = _placement(memory.entries, unit_keys)
    problems = []
    for index, reviewed_at in refused:
        entry = memory.entries[index]
        where: dict[str, Any] = {"path": memory.shown, "line": entry.line, "field": f"entries[{index}]"}
        if reviewed_at is None:
            problems.append(
                Problem(
                    "has no `key`, and its `ar` is not the Arabic of the article's title, "
                    "of a cross-head or of a sentence",
                    **where,
                    hint="copy `ar` exactly from the article, or write the English into the entry "
                    "briefgen wrote for that unit (the one with its key)",
                )
            )
        else:
            problems.append(
                Problem(
                    "has no `key`, and its unit already has a reviewed entry "
                    f"(line {memory.entries[reviewed_at].line})",
                    **where,
                    hint="correct that entry instead, and delete this one",
                )
            )
    return replace(memory, entries=tuple(memory.entries[i] for i in order)), problems


def _placement(
    entries: Sequence[MemoryEntry], unit_keys: Sequence[str]
) -> tuple[list[int], list[tuple[int, int | None]]]:
    """Where the entries typed by hand go: the indexes of `entries` in their new order, and
    the typed entries refused, each with the reviewed entry in its way (or None when its
    Arabic is no unit's).

    A typed entry is its Arabic's, matched like any entry by (key, occurrence). When the
    memory already has as many entries with that key as the article has units, it takes
    the place of the first of them not reviewed (the `pending` entry the build wrote, or a
    machine one). A reviewed entry is never replaced: then the typed one is refused, as is
    one whose Arabic is none of the article's units."""
    units = Counter(unit_keys)
    slots: dict[int, int] = {i: i for i in range(len(entries))}  # position → entry
    refused: list[tuple[int, int | None]] = []
    for index, entry in enumerate(entries):
        if not entry.typed:
            continue
        at_now = next((at for at, i in slots.items() if i == index), None)
        if at_now is None:  # an earlier typed entry took its place
            continue
        same = [at for at, i in slots.items() if i != index and entries[i].key == entry.key]
        if len(same) < units[entry.key]:
            continue  # an occurrence of its own
        del slots[at_now]
        replaceable = [at for at in same if entries[slots[at]].origin != "reviewed"]
        if not units[entry.key]:
            refused.append((index, None))
        elif not replaceable:
            refused.append((index, slots[same[0]]))
        else:
            slots[replaceable[0]] = index
    return [slots[at] for at in sorted(slots)], refused


def dump_memory(memory: ArticleMemory, previous: str | None = None, shown: Path | None = None) -> str:
    """The memory's file. Comments in `previous` (the file as it was) are kept with their
    entries; one whose entry is gone is reported (see `commented_yaml`)."""
    entries = []
    for entry in memory.entries:
        item: dict[str, str] = {"key": entry.key, "kind": entry.kind, "ar": entry.ar, "en": entry.en}
        item["origin"] = entry.origin
        if entry.engine:
            item["engine"] = entry.engine
        if entry.model:
            item["model"] = entry.model
        entries.append(item)
    header = HEADER.format(slug=memory.slug)
    for old in OLD_HEADERS:
        if previous and previous.startswith(old.format(slug=memory.slug)):
            previous = header + previous.removeprefix(old.format(slug=memory.slug))
    units = [entry.key for entry in memory.entries]

    def identities(items: Sequence[dict[str, Any]]) -> list[Hashable]:
        return _identities(items, units)

    return dump_entries(
        header, memory.slug, entries, previous, shown or Path(f"{memory.slug}.yml"), identities
    )


def _identities(items: Sequence[dict[str, Any]], unit_keys: Sequence[str]) -> list[Hashable]:
    """Each entry's (key, occurrence) in the memory as the build reads it: an entry typed by
    hand (no key) is placed as `place_typed_entries` places it, so its comments follow it."""
    if all(item.get("key") for item in items):
        return list(by_occurrence(str(item.get("key")) for item in items))
    entries = [_entry_of(item) for item in items]
    order, _refused = _placement(entries, unit_keys)
    found: list[Hashable] = [("refused", index) for index in range(len(items))]
    for index, identity in zip(order, by_occurrence(entries[i].key for i in order), strict=True):
        found[index] = identity
    return found


def _entry_of(item: dict[str, Any]) -> MemoryEntry:
    """An entry of a file as it was, only as far as placing it needs (comments; never used)."""
    en, key = str(item.get("en") or ""), item.get("key")
    origin = item.get("origin") or ("reviewed" if en.strip() else "pending")
    return MemoryEntry(
        str(key or sentence_key(str(item.get("ar") or ""))), "sentence", "", en, origin, typed=not key
    )


def save_memory(path: Path, memory: ArticleMemory, shown: Path | None = None) -> bool:
    """Write the memory if it changed, keeping the comments in it; returns whether the file was written."""
    before = path.read_bytes() if path.exists() else None
    content = dump_memory(memory, before.decode("utf-8") if before is not None else None, shown or path)
    return write_if_changed(path, content, before)
