"""Post-editing, read off the translation memories' git history.

A machine entry that an editor reviews is rewritten in place: the file no longer holds what the
model wrote. The memories are committed with the articles, so the history still does. For every
entry now `origin: reviewed`, the newest committed version of the same key that was a machine
entry gives the model's English and the model's name; comparing the two says whether, and how
much, the editor changed it.

One `git log` lists the commits that touched the memories, and one `git cat-file --batch` reads
every version, so the cost does not grow with a process per file and commit.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from briefgen.errors import BriefgenError, Problem

_SPACE = re.compile(r"\s+")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class PostEdit:
    """One sentence the machine translated and an editor then reviewed."""

    slug: str
    key: str
    model: str  # "<engine> <model>" as the machine entry recorded them
    machine_en: str
    reviewed_en: str

    @property
    def changed(self) -> bool:
        return _SPACE.sub(" ", self.machine_en).strip() != _SPACE.sub(" ", self.reviewed_en).strip()


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True, check=False)
    except FileNotFoundError as error:
        raise BriefgenError(
            Problem("git is not installed", hint="install git to read the memories' history")
        ) from error
    if done.returncode != 0:
        raise BriefgenError(
            Problem(
                f"git {args[0]} failed: {done.stderr.decode(errors='replace').strip()}",
                path=repo,
                hint="the memories' history is read from the git repository that holds them",
            )
        )
    return done.stdout


def repository_of(folder: Path) -> Path | None:
    """The top of the git work tree holding `folder`, or None when it is in none."""
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel"], capture_output=True, check=False
        )
    except FileNotFoundError:
        return None
    return Path(done.stdout.decode().strip()) if done.returncode == 0 else None


def _versions(repo: Path, folder: Path) -> Iterator[tuple[str, bytes]]:
    """(path inside the repo, content) of every committed version of the folder's memories,
    newest commit first."""
    relative = folder.resolve().relative_to(repo.resolve()).as_posix()
    log = _git(repo, "log", "--format=commit %H", "--name-only", "--no-renames", "--", relative).decode()
    wanted: list[tuple[str, str]] = []
    commit = ""
    for line in log.splitlines():
        if line.startswith("commit "):
            commit = line.split()[1]
        elif line.endswith(".yml") and line.startswith(relative + "/"):
            wanted.append((commit, line))
    if not wanted:
        return
    batch = _git(repo, "cat-file", "--batch", stdin="".join(f"{c}:{p}\n" for c, p in wanted).encode())
    at = 0
    for _commit, path in wanted:
        header_end = batch.index(b"\n", at)
        header = batch[at:header_end].split()
        at = header_end + 1
        if len(header) < 3 or header[1] != b"blob":  # "missing": the file was deleted in that commit
            continue
        size = int(header[2])
        yield path, batch[at : at + size]
        at += size + 1  # the blob is followed by a newline


def _machine_entries(content: bytes) -> Iterator[tuple[str, str, str]]:
    """(key, English, model) of each machine entry in one version of a memory."""
    try:
        data = yaml.load(content, Loader=_Loader)  # a safe loader
    except yaml.YAMLError:
        return  # a broken past version says nothing; the current one is checked by the build
    entries = data.get("entries") if isinstance(data, dict) else None
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict) or entry.get("origin") != "machine":
            continue
        key, en = entry.get("key"), entry.get("en")
        if isinstance(key, str) and isinstance(en, str) and en.strip():
            model = " ".join(str(entry[f]) for f in ("engine", "model") if entry.get(f)) or "unknown model"
            yield key, en, model


def post_edits(
    folder: Path, reviewed: Mapping[str, Iterable[tuple[str, str]]], repo: Path | None = None
) -> list[PostEdit]:
    """The reviewed entries (slug → (key, English)) that a machine entry preceded in the history
    of `folder` (content/translations/), each with the machine's newest English for its key."""
    repo = repo or repository_of(folder)
    if repo is None:
        raise BriefgenError(
            Problem(
                "the translation memories are not in a git repository",
                path=folder,
                hint="the edit rate is read from the memories' committed history",
            )
        )
    machine: dict[tuple[str, str], tuple[str, str]] = {}
    for path, content in _versions(repo, folder):
        slug = Path(path).stem
        for key, en, model in _machine_entries(content):
            machine.setdefault((slug, key), (en, model))  # newest first: keep the first seen
    edits = []
    for slug, entries in reviewed.items():
        for key, en in entries:
            found = machine.get((slug, key))
            if found is not None:
                edits.append(PostEdit(slug, key, found[1], found[0], en))
    return edits
