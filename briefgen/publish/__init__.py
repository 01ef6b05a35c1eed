"""Publishing a built site: which output folder is allowed, one build at a time, the swap.

`build` stages the new site beside the output folder and asks this package to put it in
place; `check` and `build` both refuse an output folder that is not briefgen's alone.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from briefgen.config import SiteConfig
from briefgen.errors import BriefgenError, Problem
from briefgen.publish.lock import build_lock
from briefgen.publish.swap import empty_trash, make_staging, publish, repair
from briefgen.publish.target import (
    MARKER,
    OutputSetting,
    foreign_output_problem,
    is_briefgen_site,
    output_problems,
    output_setting,
    resolved_paths,
)

__all__ = [
    "MARKER",
    "Publisher",
    "checked_output_dir",
    "is_briefgen_site",
    "publishing",
]


def checked_output_dir(config: SiteConfig, out: Path | str | None = None) -> Path:
    """The output folder (`out`, else the config's), resolved; raises if it is not one
    briefgen may replace whole."""
    site_dir = Path(out).resolve() if out is not None else config.output_dir.resolve()
    problems = output_problems(site_dir, resolved_paths(config), output_setting(config, out))
    if problems:
        raise BriefgenError(problems)
    return site_dir


def _writable_problem(site_dir: Path) -> Problem | None:
    existing = site_dir.parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not os.access(existing, os.W_OK | os.X_OK):
        return Problem(
            "folder is read-only: briefgen builds the new site in it, beside the output folder, "
            "and swaps it in",
            path=existing,
            hint=f"make it writable (chmod u+w {existing}), or choose an output folder elsewhere",
        )
    if site_dir.is_dir() and not os.access(site_dir, os.W_OK | os.X_OK):
        return Problem(
            "the output folder is read-only: briefgen replaces it whole and moves the old site to "
            "its trash, which needs write permission on it",
            path=site_dir,
            hint=f"make it writable (chmod u+w {site_dir}), or choose another output folder",
        )
    return None


def _folder_problem(exc: OSError, doing: str) -> BriefgenError:
    return BriefgenError(
        Problem(
            f"{doing} failed: {exc.strerror}",
            path=Path(exc.filename) if exc.filename else None,
            hint="check that the output folder and the folder holding it are writable and have room",
        )
    )


@dataclass
class Publisher:
    """The right to publish into `site_dir`, held while the build lock is."""

    site_dir: Path
    trash: Path
    replaced_foreign: bool = False  # a folder briefgen did not build was deleted (--force)

    def staging(self) -> Path:
        try:
            return make_staging(self.site_dir)
        except OSError as exc:
            raise _folder_problem(exc, "creating the folder to build the site in") from None

    def publish(self, staging: Path) -> None:
        try:
            self.replaced_foreign = publish(staging, self.site_dir, self.trash)
        except OSError as exc:
            raise _folder_problem(exc, f"putting the new site in {self.site_dir}") from None


@contextmanager
def publishing(
    config: SiteConfig,
    site_dir: Path,
    setting: OutputSetting,
    force: bool,
    on_wait: Callable[[str], None],
) -> Iterator[Publisher]:
    """Hold the build lock; repair what a killed build left; refuse a foreign or read-only
    output folder; empty the trash while the body builds."""
    trash = config.cache_dir / "trash"
    with build_lock(config.cache_dir, on_wait):
        try:
            repair(site_dir, trash)
        except OSError as exc:
            raise _folder_problem(exc, "cleaning up after an interrupted build") from None
        problem = foreign_output_problem(site_dir, setting)
        if force and site_dir.is_dir():
            problem = None
        problem = problem or _writable_problem(site_dir)
        if problem is not None:
            raise BriefgenError(problem)
        emptying = empty_trash(trash)
        try:
            yield Publisher(site_dir, trash)
        finally:
            if emptying is not None:
                emptying.wait()
