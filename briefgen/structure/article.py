"""An `Article` as it flows through the pipeline; each stage returns it with more filled in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sentence:
    """One Arabic sentence; `index` counts sentences across the whole article."""

    index: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Paragraph:
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Heading:
    """A cross-head: a short line that introduces the paragraphs after it."""

    text: str
    start: int
    end: int


Block = Paragraph | Heading


@dataclass(frozen=True)
class FrontMatter:
    """The validated metadata an editor writes at the top of an article file."""

    title: str
    source: str
    published: dt.date
    url: str | None = None
    title_en: str | None = None
    source_ar: str | None = None
    campaign: str | None = None
    tags: tuple[str, ...] = ()
    date_note: str | None = None


@dataclass(frozen=True)
class Article:
    slug: str
    path: Path
    meta: FrontMatter
    body: str
    body_line: int
    blocks: tuple[Block, ...] = ()
    # Set by the corpus step from `meta.campaign` or the campaigns' dates.
    campaign: str | None = None

    @property
    def sentences(self) -> Iterator[Sentence]:
        for block in self.blocks:
            if isinstance(block, Paragraph):
                yield from block.sentences

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]
