"""`briefgen events`: the machine's event entries no editor has reviewed yet, newest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from briefgen.config import load_config
from briefgen.errors import BriefgenError, Problem
from briefgen.memory.events import load_event_memory


@dataclass(frozen=True)
class Unreviewed:
    slug: str
    key: str
    date: dt.date | None
    precision: str | None
    type: str | None
    places: tuple[str, ...]
    ar: str
    where: str  # file:line
    event: int = 1  # the sentence's N-th event

    @property
    def reference(self) -> str:
        """`<slug>#<key>`, with `/<N>` for a sentence's later event: what `same_as` takes."""
        return f"{self.slug}#{self.key}" + (f"/{self.event}" if self.event > 1 else "")


def unreviewed_events(config_path: Path | str = "site_config.yml") -> list[Unreviewed]:
    """Every `origin: machine` entry of content/events/, newest first: what the last build
    wrote (run `briefgen build` first); reads nothing else and writes nothing."""
    config = load_config(config_path)
    found: list[Unreviewed] = []
    problems: list[Problem] = []
    folder = config.events_dir
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        shown = path.relative_to(config.root) if path.is_relative_to(config.root) else path
        try:
            memory = load_event_memory(path, path.stem, shown)
        except BriefgenError as exc:
            problems += exc.problems
            continue
        found += [
            Unreviewed(
                path.stem,
                e.key,
                e.date_start,
                e.precision,
                e.type,
                e.places,
                e.ar or "",
                memory.where(e),
                e.event or 1,
            )
            for e in memory.entries
            if e.origin == "machine"
        ]
    if problems:
        raise BriefgenError(problems)
    # Newest first; in one article, in the file's (reading) order: `sorted` is stable.
    return sorted(found, key=lambda u: (-(u.date.toordinal() if u.date else 0), u.slug))
