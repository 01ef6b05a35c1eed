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

YamlPath = tuple[Hashable, ...]


class DataLoader(yaml.SafeLoader):
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


def _record_lines(node: yaml.Node, path: YamlPath, lines: dict[YamlPath, int], offset: int) -> None:
    lines.setdefault(path, node.start_mark.line + 1 + offset)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            lines[(*path, key)] = key_node.start_mark.line + 1 + offset
            _record_lines(value_node, (*path, key), lines, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1 + offset
            _record_lines(item, (*path, index), lines, offset)


def load_yaml(text: str, path: Path, line_offset: int = 0) -> LocatedData:
    """Parse `text` (found at `line_offset` lines into `path`) into plain data with line numbers."""
    try:
        node = yaml.compose(text, Loader=DataLoader)
        data = yaml.load(text, Loader=DataLoader)
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
    lines: dict[YamlPath, int] = {}
    if node is not None:
        _record_lines(node, (), lines, line_offset)
    return LocatedData(data=data, lines=lines, first_line=1 + line_offset)


def read_text_utf8(path: Path, shown: Path | None = None) -> str:
    """Read a text file as UTF-8, tolerating a BOM and CRLF, naming the line of any bad byte.

    `shown` is the path to name in messages (e.g. relative to the project).
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BriefgenError(
            Problem(
                f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                path=shown or path,
                line=line,
                hint="re-save the file as UTF-8 (e.g. `iconv -f CP1256 -t UTF-8`)",
            )
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
