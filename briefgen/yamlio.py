"""Safe YAML reading that remembers where each value came from.

Only plain data is ever constructed (`yaml.SafeLoader`): a tag such as
`!!python/object` is reported as a problem, never executed.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefgen.errors import BriefgenError, Problem
from briefgen.fileio import read_bytes, root_of

YamlPath = tuple[Hashable, ...]


# libyaml's parser when PyYAML has it (a translation memory parses about 25x faster), the
# pure-Python one otherwise; both build the same nodes with the same marks.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """SafeLoader that leaves dates as text: our schema parses them and names the field
    when one is invalid (PyYAML's own timestamp constructor raises a bare ValueError)."""


DataLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class LocatedData:
    """Parsed YAML plus the 1-based line of every mapping key and sequence item."""

    data: Any
    lines: dict[YamlPath, int] = field(default_factory=dict)
    first_line: int = 1

    def line_of(self, *path: Hashable) -> int | None:
        # Fall back to the nearest enclosing value that has a known line.
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


# How many values aliases (*name) may add to a document beyond those written out: no
# briefgen file needs them, and a few nested aliases expand to billions ("billion laughs").
MAX_ALIAS_EXPANSION = 100_000
# How deep values may nest. libyaml's parser does not recurse, so nothing else stops a
# document of `[[[[…` before the code that walks the data does.
MAX_NESTING = 100


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


class _Unsafe(Exception):
    """The document contains itself, or expands beyond reason, through its aliases."""

    def __init__(self, message: str, node: yaml.Node) -> None:
        super().__init__(message)
        self.node = node


def _check_aliases(root: yaml.Node) -> None:
    """Raise `_Unsafe` for a value that contains itself or aliases that expand too far.

    Aliases make the node graph share nodes, so the sizes are computed once per node
    (memoized), without recursion.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()  # the path from the root to where the walk is
    stack: list[tuple[yaml.Node, bool, int]] = [(root, False, 0)]
    while stack:
        node, finished, depth = stack.pop()
        if finished:
            open_nodes.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in _children(node))
            continue
        if id(node) in sizes:
            continue
        if depth > MAX_NESTING:
            raise RecursionError  # reported like the pure-Python parser's own overflow
        open_nodes.add(id(node))
        stack.append((node, True, depth))
        for child in _children(node):
            if id(child) in open_nodes:
                raise _Unsafe("a value contains itself through an alias", child)
            if id(child) not in sizes:
                stack.append((child, False, depth + 1))
    if sizes[id(root)] - len(sizes) > MAX_ALIAS_EXPANSION:
        raise _Unsafe(f"aliases expand it to {sizes[id(root)]:,} values", root)


def _record_lines(root: yaml.Node, offset: int) -> dict[YamlPath, int]:
    """The line of every mapping key and sequence item, each node visited once."""
    lines: dict[YamlPath, int] = {}
    visited: set[int] = set()
    stack: list[tuple[yaml.Node, YamlPath]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        lines.setdefault(path, node.start_mark.line + 1 + offset)
        if id(node) in visited:
            continue  # an alias: values under it keep the line of the alias
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                lines[(*path, key)] = key_node.start_mark.line + 1 + offset
                stack.append((value_node, (*path, key)))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[(*path, index)] = item.start_mark.line + 1 + offset
                stack.append((item, (*path, index)))
    return lines


def load_yaml(text: str, path: Path, line_offset: int = 0) -> LocatedData:
    """Parse `text` (found at `line_offset` lines into `path`) into plain data with line numbers."""
    loader = DataLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_aliases(node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 + line_offset if exc.problem_mark else None
        raise BriefgenError(
            Problem(
                f"YAML tag not allowed: {exc.problem}",
                path=path,
                line=line,
                hint="briefgen reads plain YAML data only; remove the '!!' tag",
            )
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise BriefgenError(
            Problem(
                f"invalid YAML: {problem}",
                path=path,
                line=line,
                hint="check indentation, and quote values that contain ':' or '#'",
            )
        ) from None
    except _Unsafe as exc:
        raise BriefgenError(
            Problem(
                f"YAML refused: {exc}",
                path=path,
                line=exc.node.start_mark.line + 1 + line_offset,
                hint="write the values out instead of using anchors (&name) and aliases (*name)",
            )
        ) from None
    except RecursionError:
        raise BriefgenError(
            Problem(
                "YAML refused: values are nested too deeply",
                path=path,
                line=1 + line_offset,
                hint="briefgen files need only a few levels of nesting; check the brackets",
            )
        ) from None
    finally:
        loader.dispose()
    return LocatedData(
        data=data,
        lines=_record_lines(node, line_offset) if node is not None else {},
        first_line=1 + line_offset,
    )


def read_text_utf8(path: Path, shown: Path | None = None) -> str:
    """Read a text file as UTF-8, tolerating a BOM and CRLF, naming the line of any bad byte.

    `shown` is the path to name in messages (e.g. relative to the project).
    """
    return decode_utf8(read_bytes(path, root_of(path, shown)), shown or path)


def decode_utf8(raw: bytes, shown: Path) -> str:
    """`raw` as text (see `read_text_utf8`); `shown` names where it came from."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BriefgenError(
            Problem(
                f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                path=shown,
                line=line,
                hint="re-save the file as UTF-8 (e.g. `iconv -f CP1256 -t UTF-8`)",
            )
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
