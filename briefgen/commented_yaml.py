"""Memories that keep what editors wrote: entries matched by occurrence, comments kept.

Shared by every briefgen file that is a list of entries an editor may correct and the
build rewrites (the translation memory now, the events memory later), so nothing here
knows what an entry means: an entry is a mapping, and its identity is a hashable value
the caller derives from the list (for the translation memory, key and occurrence).

Reading stays on the fast libyaml path (`yamlio.load_yaml`). Only writing a file that
holds comments beyond briefgen's own header goes through ruamel.yaml, which keeps them:
a comment on a line above an entry, inside it (above a field) or at the end of a field's
line stays with that entry wherever it moves. A comment whose entry is gone is reported.
"""

from __future__ import annotations

import io
import logging
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger("briefgen")
_STR = "tag:yaml.org,2002:str"

K = TypeVar("K", bound=Hashable)


def by_occurrence(keys: Iterable[K]) -> list[tuple[K, int]]:
    """Each key with how many times it came before: the n-th unit with key K is (K, n).

    Matching on (key, occurrence) lets a sentence written twice keep two entries, each
    with its own correction, where matching on the key alone kept only the first."""
    seen: Counter[K] = Counter()
    numbered = []
    for key in keys:
        numbered.append((key, seen[key]))
        seen[key] += 1
    return numbered


@dataclass
class EntryComments:
    """The comments that belong to one entry."""

    before: list[str] = field(default_factory=list)  # full lines above the entry
    inside: dict[str, list[str]] = field(default_factory=dict)  # full lines above a field
    end_of_line: dict[str, str] = field(default_factory=dict)  # after a field's value

    def __bool__(self) -> bool:
        return bool(self.before or self.inside or self.end_of_line)

    def first(self) -> str:
        lines = self.before + [c for cs in self.inside.values() for c in cs] + list(self.end_of_line.values())
        return lines[0] if lines else ""


@dataclass
class FileComments:
    """Every comment of a file that is `{...: ..., <list_field>: [entry, ...]}`."""

    top: list[str] = field(default_factory=list)  # above the first key, less briefgen's header
    entries: dict[Hashable, EntryComments] = field(default_factory=dict)
    end: list[str] = field(default_factory=list)  # after the last entry
    lines: dict[Hashable, int] = field(default_factory=dict)  # each commented entry's line


def has_comments(text: str, header: str) -> bool:
    """Whether `text` may hold a comment beyond `header`: a cheap test that can say yes
    wrongly (a `#` inside a value), never no wrongly."""
    return "#" in text.removeprefix(header)


def _comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip().startswith("#")]


def _tokens(slots: Any) -> list[Any]:
    found: list[Any] = []
    for slot in slots or ():
        if isinstance(slot, list):
            found += [token for token in slot if token is not None]
        elif slot is not None:
            found.append(slot)
    return found


def _split(token_value: str) -> tuple[str | None, list[str]]:
    """A comment token after a value: its end-of-line comment, then the full lines below."""
    if token_value.startswith("#"):
        first, _, rest = token_value.partition("\n")
        return first.strip(), _comment_lines(rest)
    return None, _comment_lines(token_value)


def read_comments(
    text: str,
    header: str,
    list_field: str,
    identities: Callable[[Sequence[dict[str, Any]]], list[Hashable]],
    shown: Path,
) -> FileComments:
    """The comments in `text`, each given to the entry it belongs to (ruamel.yaml's own
    attachment gives a line above an entry to the entry before it)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    comments = FileComments()
    try:
        reader = YAML(typ="rt")
        reader.Resolver = _text_only_resolver()
        doc = reader.load(text)
    except YAMLError as exc:  # libyaml read it; should ruamel.yaml not, say so rather than lose them
        log.warning("%s: its comments could not be read (%s), so they are not kept", shown, exc)
        return comments
    header_lines = set(_comment_lines(header))
    if doc is None or not hasattr(doc, "ca"):
        return comments
    comments.top = [
        c for t in _tokens(doc.ca.comment) for c in _comment_lines(t.value) if c not in header_lines
    ]
    entries = doc.get(list_field) or []
    for key, slots in doc.ca.items.items():
        if key != list_field:  # between the top-level fields: kept at the top
            comments.top += [c for t in _tokens(slots[:3]) for c in _comment_lines(t.value)]
    if not hasattr(entries, "ca"):
        return comments
    plain = [dict(entry) if isinstance(entry, dict) else {} for entry in entries]
    ids = identities(plain)
    found = [EntryComments() for _ in entries]
    found_end: list[str] = []
    if entries:
        found[0].before += [c for t in _tokens(entries.ca.comment) for c in _comment_lines(t.value)]
    for index, slots in entries.ca.items.items():  # after an item that is not a mapping
        for token in _tokens(slots):
            end_of_line, below = _split(token.value)
            found[index].before += [end_of_line] if end_of_line else []
            (found[index + 1].before if index + 1 < len(entries) else found_end).extend(below)
    for index, entry in enumerate(entries):
        if not hasattr(entry, "ca"):
            continue
        fields = list(entry)
        for key, slots in entry.ca.items.items():
            for token in _tokens(slots):
                end_of_line, below = _split(token.value)
                if end_of_line:
                    found[index].end_of_line[key] = end_of_line
                position = fields.index(key) if key in fields else len(fields) - 1
                if not below:
                    continue
                if position + 1 < len(fields):
                    found[index].inside.setdefault(fields[position + 1], []).extend(below)
                elif index + 1 < len(entries):
                    found[index + 1].before += below
                else:
                    found_end += below
    for index, (entry_id, entry_comments) in enumerate(zip(ids, found, strict=True)):
        if entry_comments:
            comments.entries[entry_id] = entry_comments
            comments.lines[entry_id] = entries[index].lc.line + 1
    comments.end = found_end
    return comments


def dump_with_comments(
    header: str,
    data: dict[str, Any],
    list_field: str,
    comments: FileComments,
    identities: Callable[[Sequence[dict[str, Any]]], list[Hashable]],
    shown: Path,
) -> str:
    """`data` as YAML after `header`, each comment of `comments` back with its entry.

    A comment whose entry is not in `data` any more is reported in a warning."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    entries: list[dict[str, Any]] = data[list_field]
    ids = identities(entries)
    seq = CommentedSeq(CommentedMap(entry) for entry in entries)
    for index, (entry_id, entry) in enumerate(zip(ids, seq, strict=True)):
        found = comments.entries.get(entry_id)
        if not found:
            continue
        if found.before:
            seq.yaml_set_comment_before_after_key(index, before=_text(found.before))
        for key, lines in found.inside.items():
            if key in entry and key != next(iter(entry)):
                entry.yaml_set_comment_before_after_key(key, before=_text(lines), indent=2)
            else:
                seq.yaml_set_comment_before_after_key(index, before=_text(found.before + lines))
        for key, comment in found.end_of_line.items():
            if key in entry:
                entry.yaml_add_eol_comment(comment, key)
    kept = set(ids)
    for entry_id, found in comments.entries.items():
        if entry_id not in kept:
            log.warning(
                "%s:%s: the entry this comment was on is gone (what it recorded left the article), "
                "so the comment is dropped: %s",
                shown,
                comments.lines.get(entry_id, "?"),
                found.first(),
            )
    document = CommentedMap((key, seq if key == list_field else value) for key, value in data.items())
    yaml = YAML(typ="rt")
    yaml.Resolver = _text_only_resolver()
    yaml.Emitter = _emitter()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=2, offset=0)
    out = io.StringIO()
    yaml.dump(document, out)
    body = out.getvalue()
    if comments.end:
        body += _text(comments.end, prefix="# ") + "\n"
    top = "".join(f"{line}\n" for line in comments.top)
    return header + top + body


@lru_cache(maxsize=1)
def _text_only_resolver() -> type:
    """A ruamel.yaml resolver that reads every plain scalar as text, as briefgen's values all
    are. ruamel.yaml's own (YAML 1.2, and its 1.1 too) reads a key such as `54e7768506084603`
    as a float (inf), so the comments on its entry were lost, and wrote it back `!!str …`,
    changing the bytes of an entry nobody touched; PyYAML (YAML 1.1) reads it as text."""
    from ruamel.yaml.resolver import VersionedResolver

    class TextOnlyResolver(VersionedResolver):  # type: ignore[misc]
        @property
        def versioned_resolver(self) -> dict[Any, Any]:
            return {}  # no implicit types: every plain scalar is text

    return TextOnlyResolver


@lru_cache(maxsize=1)
def _emitter() -> type:
    """ruamel.yaml's emitter, choosing each scalar's style as PyYAML does.

    ruamel.yaml double-quotes any text with an apostrophe that cannot be plain, where
    PyYAML (the writer of memories without comments) single-quotes it: left alone, adding
    one comment would rewrite every such line of the file. And it follows YAML 1.2 on
    what may be plain, where briefgen reads YAML 1.1."""
    import yaml
    from ruamel.yaml.emitter import Emitter

    resolver = yaml.resolver.Resolver()  # briefgen's values are all text

    class PyYAMLStyleEmitter(Emitter):  # type: ignore[misc]
        def choose_scalar_style(self) -> Any:
            event, analysis = self.event, self.analysis
            if event.value == "" and event.ctag.handle == "!!":
                return None
            if analysis is None:
                analysis = self.analysis = self.analyze_scalar(event.value)
            if event.style == '"' or self.canonical:
                return '"'
            # Plain only where PyYAML (YAML 1.1) would read it back as text: ruamel.yaml
            # (YAML 1.2) writes `yes` plain, which PyYAML reads as true.
            if not event.style and resolver.resolve(yaml.ScalarNode, event.value, (True, False)) == _STR:
                plain = analysis.allow_flow_plain if self.flow_level else analysis.allow_block_plain
                if plain and not (self.simple_key_context and (analysis.empty or analysis.multiline)):
                    return ""
            # (briefgen sets no style, so the block styles `|` and `>` never arise)
            single = analysis.allow_single_quoted and not (self.simple_key_context and analysis.multiline)
            return "'" if single and event.style in (None, "", "'") else '"'

    return PyYAMLStyleEmitter


def _text(lines: list[str], prefix: str = "") -> str:
    """Comment lines as ruamel.yaml's `before=` takes them: without their `# `."""
    return "\n".join(prefix + line.removeprefix("#").removeprefix(" ") for line in lines)
