"""The translation memory: one human-editable YAML file per article, in `content/translations/`.

Entries are aligned with the article (title, cross-heads and sentences in reading
order) and found again by a key derived from the normalized Arabic, so a sentence
keeps its translation while the text around it changes; a sentence written twice has
an entry per occurrence (the n-th with a key takes the n-th entry with that key).
Editors correct an entry by editing `en` and setting `origin: reviewed`; reviewed
entries are never overwritten, and comments they write stay with their entry.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from briefgen.arabic import normalize
from briefgen.commented_yaml import by_occurrence
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

UnitKind = Literal["title", "heading", "sentence"]
UNIT_KINDS: tuple[UnitKind, ...] = ("title", "heading", "sentence")

_SPACE = re.compile(r"\s+")

HEADER = """\
# Translation memory for content/articles/{slug}.md, aligned with the article.
# To correct a translation, edit `en` and set `origin: reviewed`: reviewed entries
# are never overwritten. `key` ties an entry to its Arabic text; leave it as it is.
"""


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
    origin: Origin
    engine: str | None = None
    model: str | None = None


@dataclass(frozen=True)
class ArticleMemory:
    slug: str
    entries: tuple[MemoryEntry, ...] = ()

    def lookup(self) -> dict[str, MemoryEntry]:
        """The first entry of each key."""
        found: dict[str, MemoryEntry] = {}
        for entry in self.entries:
            found.setdefault(entry.key, entry)
        return found

    def by_occurrence(self) -> dict[tuple[str, int], MemoryEntry]:
        """Each entry by (key, occurrence): the second entry with a key is (key, 1)."""
        return dict(zip(by_occurrence(e.key for e in self.entries), self.entries, strict=True))


ENTRY_SCHEMA = Schema(
    {
        "key": Option(text(), required=True, help="leave the key as briefgen wrote it"),
        "kind": Option(choice(UNIT_KINDS), default="sentence"),
        "ar": Option(text(), required=True),
        "en": Option(text(allow_empty=True), required=True),
        "origin": Option(choice(ORIGINS), required=True, help="machine or reviewed"),
        "engine": Option(text()),
        "model": Option(text()),
    },
    name="translation entry",
)


def memory_path(translations_dir: Path, slug: str) -> Path:
    return translations_dir / f"{slug}.yml"


def load_memory(path: Path, slug: str, shown: Path | None = None) -> ArticleMemory:
    """Read one article's memory; a missing file is an empty memory, a broken one an error."""
    hint = "fix the file by hand, or delete it to translate the article afresh"
    found = load_entries(path, slug, shown, ENTRY_SCHEMA, "the translation memory", hint)
    return ArticleMemory(slug, tuple(MemoryEntry(**entry.values) for entry in found or ()))


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
    return dump_entries(header, memory.slug, entries, previous, shown or Path(f"{memory.slug}.yml"))


def save_memory(path: Path, memory: ArticleMemory, shown: Path | None = None) -> bool:
    """Write the memory if it changed, keeping the comments in it; returns whether the file was written."""
    before = path.read_bytes() if path.exists() else None
    content = dump_memory(memory, before.decode("utf-8") if before is not None else None, shown or path)
    return write_if_changed(path, content, before)
