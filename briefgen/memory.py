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
import os
import re
import tempfile
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from briefgen.arabic import normalize
from briefgen.commented_yaml import by_occurrence, dump_with_comments, has_comments, read_comments
from briefgen.errors import BriefgenError, Problem
from briefgen.fileio import exists, root_of
from briefgen.schema import Invalid, Option, Schema, text
from briefgen.yamlio import load_yaml, read_text_utf8

Origin = Literal["reviewed", "machine"]
UnitKind = Literal["title", "heading", "sentence"]
ORIGINS: tuple[Origin, ...] = ("reviewed", "machine")
UNIT_KINDS: tuple[UnitKind, ...] = ("title", "heading", "sentence")

_SPACE = re.compile(r"\s+")
# A memory of the largest article allowed (2 MB) is about 6 MB: beyond this it is not one.
MAX_MEMORY_BYTES = 16 * 2**20

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


def _choice(values: tuple[str, ...]) -> object:
    def check(value: object) -> str:
        if value not in values:
            raise Invalid(f"{value!r} is not one of {', '.join(values)}")
        return str(value)

    return check


ENTRY_SCHEMA = Schema(
    {
        "key": Option(text(), required=True, help="leave the key as briefgen wrote it"),
        "kind": Option(_choice(UNIT_KINDS), default="sentence"),  # type: ignore[arg-type]
        "ar": Option(text(), required=True),
        "en": Option(text(allow_empty=True), required=True),
        "origin": Option(_choice(ORIGINS), required=True, help="machine or reviewed"),  # type: ignore[arg-type]
        "engine": Option(text()),
        "model": Option(text()),
    },
    name="translation entry",
)


def memory_path(translations_dir: Path, slug: str) -> Path:
    return translations_dir / f"{slug}.yml"


def load_memory(path: Path, slug: str, shown: Path | None = None) -> ArticleMemory:
    """Read one article's memory; a missing file is an empty memory, a broken one an error."""
    if not exists(path, root_of(path, shown)):
        return ArticleMemory(slug)
    shown = shown or path
    located = load_yaml(read_text_utf8(path, shown, MAX_MEMORY_BYTES, "the translation memory"), shown)
    data = located.data
    hint = "fix the file by hand, or delete it to translate the article afresh"
    if not isinstance(data, dict) or not isinstance(data.get("entries", []), list):
        raise BriefgenError(
            Problem("expected `article:` and a list of `entries:`", path=shown, line=1, hint=hint)
        )
    problems: list[Problem] = []
    if data.get("article") not in (None, slug):
        problems.append(
            Problem(
                f"belongs to article {data.get('article')!r}, not {slug!r}",
                path=shown,
                line=located.line_of("article"),
                field="article",
                hint="the file name must be the article's slug",
            )
        )
    entries: list[MemoryEntry] = []
    for index, item in enumerate(data.get("entries") or []):
        values, item_problems = ENTRY_SCHEMA.validate(
            item, located, shown, at=("entries", index), prefix=f"entries[{index}]."
        )
        if item_problems:
            problems += [Problem(p.message, p.path, p.line, p.field, p.hint or hint) for p in item_problems]
            continue
        entries.append(MemoryEntry(**values))
    if problems:
        raise BriefgenError(problems)
    return ArticleMemory(slug, tuple(entries))


def _identities(entries: Sequence[dict[str, Any]]) -> list[Hashable]:
    return list(by_occurrence(str(entry.get("key")) for entry in entries))


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
    data = {"article": memory.slug, "entries": entries}
    if previous and has_comments(previous, header):
        shown = shown or Path(f"{memory.slug}.yml")
        comments = read_comments(previous, header, "entries", _identities, shown)
        if comments.top or comments.entries or comments.end:
            return dump_with_comments(header, data, "entries", comments, _identities, shown)
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096)


def write_atomically(path: Path, content: str) -> None:
    """Write via a temporary file and rename, so an interrupted build never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def save_memory(path: Path, memory: ArticleMemory, shown: Path | None = None) -> bool:
    """Write the memory if it changed, keeping the comments in it; returns whether the file was written."""
    previous = path.read_text(encoding="utf-8") if path.exists() else None
    content = dump_memory(memory, previous, shown or path)
    if previous == content:
        return False
    write_atomically(path, content)
    return True
