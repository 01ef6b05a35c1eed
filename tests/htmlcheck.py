"""Small HTML inspection helpers for tests of the built site (standard library only)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(path: Path) -> list[tuple[str, dict[str, str | None]]]:
    parser = TagCollector()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


def first(path: Path, name: str) -> dict[str, str | None]:
    return next(attrs for tag, attrs in tags(path) if tag == name)


def page_file(site: Path, url_path: str) -> Path:
    """The index.html that serves a directory URL like 'ar/articles/x/'."""
    return site / url_path / "index.html"
