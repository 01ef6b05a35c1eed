"""The output folder is briefgen's alone: which folders it may be, and how a site of ours is known.

A build replaces the output folder whole, and the old one goes to the trash that the next
build empties. So the output folder must never be, hold or lie inside anything the user
wrote, and an existing folder that briefgen did not build is replaced only under --force.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from briefgen.config import SiteConfig
from briefgen.errors import Problem

# Every site briefgen builds carries this file. Fixed bytes: the same content builds the same site.
MARKER = ".briefgen-site"
MARKER_TEXT = (
    b"This folder is a site built by briefgen. `briefgen build` replaces it whole: edit content/ instead.\n"
)

# What identifies a site built before the marker existed: briefgen's own exports, which no
# other tool writes together (see briefgen/site/exports.py).
_OLD_SITE_FILES = ("index.html", "feed.xml", "ar/feed.xml", "data/articles.json", "data/chronology.json")


@dataclass(frozen=True)
class OutputSetting:
    """Where the output folder was chosen, for the problems that name it."""

    config_path: Path
    line: int | None  # of `output_dir` in the config; None when it is the default
    option: bool  # True: the --out option chose it

    def problem(self, message: str, hint: str) -> Problem:
        if self.option:
            return Problem(message, field="--out", hint=hint)
        return Problem(message, path=self.config_path, line=self.line, field="output_dir", hint=hint)


def output_setting(config: SiteConfig, out: Path | str | None) -> OutputSetting:
    return OutputSetting(config.path, config.output_dir_line, option=out is not None)


def output_problems(
    site_dir: Path, config: SiteConfig, setting: OutputSetting, home: Path | None = None
) -> list[Problem]:
    """Why `site_dir` may not be the output folder (nothing when it may). Pure: every path
    is taken as given, so callers pass resolved ones (`resolved_paths`)."""
    home = home if home is not None else _home()
    hint = (
        "choose a folder of its own that briefgen may replace whole, e.g. --out site"
        if setting.option
        else "set output_dir to a folder of its own that briefgen may replace whole, e.g. output_dir: site"
    )
    if site_dir == Path(site_dir.anchor):
        return [setting.problem(f"{site_dir} is the root of the file system", hint)]
    if home is not None and site_dir == home:
        return [setting.problem(f"{site_dir} is your home folder", hint)]
    if site_dir == config.root or config.root.is_relative_to(site_dir):
        what = "is the project folder" if site_dir == config.root else "holds the project folder"
        return [setting.problem(f"{site_dir} {what} ({config.root})", hint)]
    if site_dir == config.path.parent:
        return [setting.problem(f"{site_dir} holds the configuration file {config.path.name}", hint)]
    for folder, name in (
        (config.content_dir, "the content folder"),
        (config.templates_dir, "the templates folder"),
        (config.cache_dir, "briefgen's working folder"),
    ):
        if site_dir == folder:
            return [setting.problem(f"{site_dir} is {name}", hint)]
        if folder.is_relative_to(site_dir):
            return [setting.problem(f"{site_dir} holds {name} ({folder})", hint)]
        if site_dir.is_relative_to(folder):
            return [setting.problem(f"{site_dir} is inside {name} ({folder})", hint)]
    return []


def resolved_paths(config: SiteConfig) -> SiteConfig:
    """`config` with its folders' symbolic links resolved, so that `output_problems` compares
    the folders themselves."""
    return dataclasses.replace(
        config,
        path=config.path.resolve(),
        content_dir=config.content_dir.resolve(),
        templates_dir=config.templates_dir.resolve(),
        output_dir=config.output_dir.resolve(),
    )


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError, OSError):  # no HOME and no passwd entry
        return None


def is_briefgen_site(folder: Path) -> bool:
    """Whether `folder` is a site briefgen built: it carries the marker, or it is a site of an
    older briefgen (before the marker), known by briefgen's exports."""
    if (folder / MARKER).is_file():
        return True
    return all((folder / name).is_file() for name in _OLD_SITE_FILES)


def is_empty_folder(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return next(entries, None) is None
    except OSError:
        return False


def foreign_output_problem(site_dir: Path, setting: OutputSetting) -> Problem | None:
    """The problem with replacing `site_dir` when it exists and is not briefgen's (without --force)."""
    if not site_dir.exists():
        return None
    if not site_dir.is_dir():
        return setting.problem(
            f"{site_dir} is a file, not a folder", "remove it, or choose another output folder"
        )
    if is_empty_folder(site_dir) or is_briefgen_site(site_dir):
        return None
    return setting.problem(
        f"{site_dir} already exists and is not a site briefgen built: a build would delete what it holds",
        "choose another output folder, or pass --force to replace it (its contents are deleted)",
    )
