"""What every memory shares: the translation memory (English) and the event memory
(the chronology) are each one human-editable YAML file per article, a list of entries
matched to the article by key and occurrence, each `origin: machine` (refreshed by every
build) or `origin: reviewed` (an editor's, never overwritten).

Here: reading such a file with file:line problems, writing it back keeping the comments
editors wrote in it, and writing atomically, only when the content changed.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from briefgen.commented_yaml import by_occurrence, dump_with_comments, has_comments, read_comments
from briefgen.errors import BriefgenError, Problem
from briefgen.fileio import exists, root_of
from briefgen.schema import Invalid, Schema
from briefgen.yamlio import LocatedData, load_yaml, read_text_utf8

Origin = Literal["reviewed", "machine"]
ORIGINS: tuple[Origin, ...] = ("reviewed", "machine")
# A memory of the largest article allowed (2 MB) is about 6 MB: beyond this it is not one.
MAX_MEMORY_BYTES = 16 * 2**20


def choice(values: tuple[str, ...]) -> Any:
    def check(value: object) -> str:
        if value not in values:
            raise Invalid(f"{value!r} is not one of {', '.join(values)}")
        return str(value)

    return check


@dataclass(frozen=True)
class LoadedEntry:
    """One validated entry of a memory file."""

    values: dict[str, Any]
    line: int  # where it starts
    order: tuple[str, ...]  # its fields in the file's order (to write an editor's entry back as it was)
    lines: dict[str, int]  # each field's line

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


def load_entries(
    path: Path, slug: str, shown: Path | None, schema: Schema, what: str, hint: str
) -> list[LoadedEntry] | None:
    """The validated entries of one article's memory file, each with its lines; None when
    there is no file. Raises with every problem, each naming file, line and field."""
    if not exists(path, root_of(path, shown)):
        return None
    shown = shown or path
    located = load_yaml(read_text_utf8(path, shown, MAX_MEMORY_BYTES, what), shown)
    data = located.data
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
    entries: list[LoadedEntry] = []
    for index, item in enumerate(data.get("entries") or []):
        values, item_problems = schema.validate(
            item, located, shown, at=("entries", index), prefix=f"entries[{index}]."
        )
        if item_problems:
            problems += [Problem(p.message, p.path, p.line, p.field, p.hint or hint) for p in item_problems]
            continue
        start = entry_line(located, index)
        lines = {str(k): located.line_of("entries", index, k) or start for k in item}
        entries.append(LoadedEntry(values, start, tuple(lines), lines))
    if problems:
        raise BriefgenError(problems)
    return entries


def entry_line(located: LocatedData, index: int) -> int:
    return located.line_of("entries", index) or 1


def _identities(entries: Sequence[dict[str, Any]]) -> list[Hashable]:
    return list(by_occurrence(str(entry.get("key")) for entry in entries))


def dump_entries(
    header: str,
    slug: str,
    entries: list[dict[str, Any]],
    previous: str | None,
    shown: Path,
    identities: Callable[[Sequence[dict[str, Any]]], list[Hashable]] = _identities,
) -> str:
    """The memory file: `header`, then the entries. Comments in `previous` (the file as it
    was) stay with their entries, matched by `identities` (by default key and occurrence;
    a memory whose entries may lack a key gives its own); one whose entry is gone is
    reported (see `commented_yaml`)."""
    data = {"article": slug, "entries": entries}
    if previous and has_comments(previous, header):
        comments = read_comments(previous, header, "entries", identities, shown)
        if comments.top or comments.entries or comments.end:
            return dump_with_comments(header, data, "entries", comments, identities, shown)
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096)


def write_atomically(path: Path, content: str) -> None:
    """Write via a temporary file and rename, so an interrupted build never leaves half a file.

    The file keeps its mode, and a new one gets the ordinary mode under the umask (`644`
    under `022`), not the temporary file's `600`: editors and translators share these files."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)  # reading the umask means setting it: put it straight back
        os.umask(umask)
        return 0o666 & ~umask


def write_if_changed(path: Path, content: str, before: bytes | None) -> bool:
    """Write `content` atomically unless the file already holds it (`before`, its bytes or
    None when there is none); returns whether it was written."""
    if before == content.encode("utf-8"):
        return False
    write_atomically(path, content)
    return True
