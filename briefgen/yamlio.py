"""Safe YAML reading that remembers where each value came from.

Every YAML file briefgen reads (front matter, translation memories, the gazetteer,
`site_config.yml`, `templates/strings.yml`) goes through `load_yaml`. Only plain data is
ever constructed (`yaml.SafeLoader`): a tag such as `!!python/object` is reported as a
problem, never executed; so are aliases, keys written twice, and deep nesting, each
with its line, before anything is constructed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefgen.errors import BriefgenError, Problem
from briefgen.fileio import read_bytes, reporting_os_errors, root_of

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


# How deep values may nest. libyaml's parser does not recurse, so nothing else stops a
# document of `[[[[…` before the code that walks the data does.
MAX_NESTING = 100


@dataclass(frozen=True)
class _Refusal:
    message: str
    line: int | None
    hint: str
    field: str | None = None


class _Refused(Exception):
    """The node graph holds what briefgen refuses: an alias, a key written twice, or tags."""

    def __init__(self, *refusals: _Refusal) -> None:
        super().__init__(refusals[0].message)
        self.refusals = refusals


ALIAS_HINT = "write the values out instead of using anchors (&name) and aliases (*name)"
TAG_HINT = "briefgen reads plain YAML data only; remove the '!!' tag"
_STR_TAG = "tag:yaml.org,2002:str"


def _key_label(path: YamlPath) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")


def _check_graph(root: yaml.Node, text: str, line_offset: int, resolve: Callable[..., str]) -> None:
    """Refuse aliases, keys written twice in one mapping, values nested too deeply, and tags
    that would construct anything but plain data (every one, with its field).

    No briefgen file needs an alias (`*name`), and aliases make a small file expand without
    bound ("billion laughs", 2,000 aliases of one long string). Without them the node graph
    is a tree: a node reached twice came through an alias. One walk, without recursion.
    """
    tags: list[_Refusal] = []
    visited: set[int] = set()
    stack: list[tuple[yaml.Node, int, YamlPath]] = [(root, 0, ())]
    while stack:
        node, depth, path = stack.pop()
        if id(node) in visited:
            line, name = _first_alias(text)
            raise _Refused(
                _Refusal(
                    f"YAML refused: alias *{name}: briefgen files do not use aliases",
                    line + line_offset if line is not None else None,
                    ALIAS_HINT,
                )
            )
        visited.add(id(node))
        if depth > MAX_NESTING:
            raise RecursionError  # reported like the pure-Python parser's own overflow
        if node.tag not in DataLoader.yaml_constructors or (
            # `!!int abc`: a tag the value does not fit would fail in the constructor, unnamed
            isinstance(node, yaml.ScalarNode)
            and node.tag != _STR_TAG
            and resolve(yaml.ScalarNode, node.value, (True, False)) != node.tag
        ):
            tags.append(
                _Refusal(
                    f"YAML tag not allowed: {node.tag.replace('tag:yaml.org,2002:', '!!')}",
                    node.start_mark.line + 1 + line_offset,
                    TAG_HINT,
                    _key_label(path) or None,
                )
            )
        if isinstance(node, yaml.MappingNode):
            first_line: dict[Any, int] = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                line = key_node.start_mark.line + 1 + line_offset
                if key is not None and key in first_line:
                    raise _Refused(
                        _Refusal(
                            f"duplicate key (first at line {first_line[key]})",
                            line,
                            "keep one of the two: YAML would silently keep only the last",
                            _key_label((*path, key)),
                        )
                    )
                if key is not None:
                    first_line[key] = line
                stack.append((key_node, depth + 1, path))
                stack.append((value_node, depth + 1, (*path, key)))
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, depth + 1, (*path, index)) for index, item in enumerate(node.value)]
    if tags:
        raise _Refused(*sorted(tags, key=lambda refusal: refusal.line or 0))


def _first_alias(text: str) -> tuple[int | None, str]:
    """The 1-based line and name of the document's first alias (libyaml's parser: fast; only on refusal)."""
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line + 1, str(event.anchor)
    return None, "name"


_LEADING = re.compile(r"^[ \t?:-]+", re.MULTILINE)


def _nested_too_deeply(text: str) -> bool:
    """Whether the document nests deeper than `MAX_NESTING` before whatever error it has.

    libyaml refuses deep nesting itself, in words that change between releases; this
    pure-Python event scan (it does not recurse) runs only once parsing has failed, and
    only where the text could nest that deep: each level takes a bracket or a column of
    indentation, so a file with few of both is answered at once (a syntax error at the
    end of a large memory is not made to wait for a slow scan)."""
    indent = max((len(m.group()) for m in _LEADING.finditer(text)), default=0)
    if text.count("[") + text.count("{") + indent <= MAX_NESTING:
        return False
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    return True
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except (yaml.YAMLError, RecursionError):
        pass
    return False


def _record_lines(root: yaml.Node, offset: int) -> dict[YamlPath, int]:
    """The line of every mapping key and sequence item, each node visited once."""
    lines: dict[YamlPath, int] = {}
    visited: set[int] = set()
    stack: list[tuple[yaml.Node, YamlPath]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        lines.setdefault(path, node.start_mark.line + 1 + offset)
        if id(node) in visited:
            continue  # not reached: `_check_graph` refuses aliases first
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


def _nesting_error(path: Path, line_offset: int) -> BriefgenError:
    return BriefgenError(
        Problem(
            "YAML refused: values are nested too deeply",
            path=path,
            line=1 + line_offset,
            hint="briefgen files need only a few levels of nesting; check the brackets",
        )
    )


def load_yaml(text: str, path: Path, line_offset: int = 0) -> LocatedData:
    """Parse `text` (found at `line_offset` lines into `path`) into plain data with line numbers."""
    loader = DataLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_graph(node, text, line_offset, loader.resolve)
        data = loader.construct_document(node) if node is not None else None
    except yaml.constructor.ConstructorError as exc:  # tags are refused above: what is left
        line = exc.problem_mark.line + 1 + line_offset if exc.problem_mark else None
        raise BriefgenError(
            Problem(
                f"invalid YAML: {exc.problem}",
                path=path,
                line=line,
                hint="briefgen reads plain YAML data: text, numbers, lists, and mappings with text keys",
            )
        ) from None
    except yaml.YAMLError as exc:
        if _nested_too_deeply(text):
            raise _nesting_error(path, line_offset) from None
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
    except _Refused as exc:
        raise BriefgenError(
            [Problem(r.message, path=path, line=r.line, field=r.field, hint=r.hint) for r in exc.refusals]
        ) from None
    except RecursionError:
        raise _nesting_error(path, line_offset) from None
    finally:
        loader.dispose()
    return LocatedData(
        data=data,
        lines=_record_lines(node, line_offset) if node is not None else {},
        first_line=1 + line_offset,
    )


def read_text_utf8(
    path: Path, shown: Path | None = None, max_bytes: int | None = None, what: str = "file"
) -> str:
    """Read a text file as UTF-8, tolerating a BOM and CRLF, naming the line of any bad byte.

    `shown` is the path to name in messages (e.g. relative to the project). A file larger
    than `max_bytes` is refused before it is read (`what` names it in the message).
    """
    root = root_of(path, shown)
    if max_bytes is not None:
        with reporting_os_errors(root):
            size = path.stat().st_size
        if size > max_bytes:
            raise BriefgenError(
                Problem(
                    f"{what} is {size / 2**20:.1f} MB, over briefgen's limit of {max_bytes / 2**20:g} MB",
                    path=shown or path,
                    hint="split it into smaller files; README (Limits) says why the limit is there",
                )
            )
    return decode_utf8(read_bytes(path, root), shown or path)


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
