"""What the last build wrote into the docs tree, so that a rebuild renders only what changed.

`render_docs` keeps, per docs file, the *render key* of the page it holds (a hash of
everything the page's template can read: see `page_key`), the sha-256 of its bytes and
the file's size and mtime as written. A page whose key is unchanged, and whose file is
still the one written, is not rendered again; a page rendered again to the same bytes is
not written again (its mtime is kept). briefgen's mkdocs plugin reads the same state to
know, without reading the file, whether a docs file's bytes are those of its last build.

The state is `.briefgen/docs-state.json`, written atomically after the docs tree. A state
file that is unreadable, malformed or from another code version is ignored: every page is
then rendered and compared, as in a first build.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from briefgen.chronology import Report
from briefgen.config import Campaign
from briefgen.gazetteer import Entity
from briefgen.structure.article import Article

log = logging.getLogger("briefgen")

STATE_NAME = "docs-state.json"
FORMAT = 1
# Names a page template can read whose values the render key does not cover: the whole
# corpus, and the campaign map drawn from the whole chronology. A template using either
# is rendered on every build.
UNKEYED_NAMES = frozenset({"corpus", "campaign_map"})


@dataclasses.dataclass(frozen=True)
class DocFile:
    """One docs file as the last build left it."""

    key: str | None  # the page's render key; None for a page that is always rendered
    sha: str  # sha-256 of its bytes
    size: int
    mtime_ns: int

    def is_on_disk(self, path: Path | str) -> bool:
        """Whether `path` is still the file this entry describes (nobody rewrote it since)."""
        try:
            stat = os.stat(path)
        except OSError:
            return False
        return stat.st_size == self.size and stat.st_mtime_ns == self.mtime_ns


def state_path(work: Path) -> Path:
    return work / STATE_NAME


def load_state(path: Path, code: str) -> dict[str, DocFile]:
    """The docs files of the last build, by path under the docs tree; {} when unknown."""
    try:
        data = json.loads(path.read_bytes())
        if data.get("format") != FORMAT or data.get("code") != code:
            return {}
        return {
            str(name): DocFile(
                None if entry[0] is None else str(entry[0]), str(entry[1]), int(entry[2]), int(entry[3])
            )
            for name, entry in data["files"].items()
        }
    except FileNotFoundError:
        return {}
    except Exception as error:  # corrupt or foreign: render everything, as the first time
        log.debug("docs state %s ignored: %s", path, error)
        return {}


def ensure_writable(folder: Path) -> None:
    """Fail now, as `save_state` would at the end, if `folder` takes no new file: the render
    saves its kept partials as it goes, and a build that cannot save its state must fail
    before it has refreshed anything beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, probe = tempfile.mkstemp(prefix=".probe.", suffix=".tmp", dir=folder)
    os.close(fd)
    os.unlink(probe)


def save_state(path: Path, code: str, files: dict[str, DocFile]) -> None:
    """Write the state atomically: a killed build leaves the previous one, which the file
    stats then show to be out of date wherever the docs tree changed."""
    payload = {
        "format": FORMAT,
        "code": code,
        "files": {name: [f.key, f.sha, f.size, f.mtime_ns] for name, f in sorted(files.items())},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(payload, separators=(",", ":")))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_doc(path: Path, text: str, before: DocFile | None, key: str | None) -> DocFile:
    """Write `text` to `path` unless the file already holds exactly it; returns its entry."""
    data = text.encode("utf-8")
    sha = hashlib.sha256(data).hexdigest()
    if before is not None and before.sha == sha and before.is_on_disk(path):
        return dataclasses.replace(before, key=key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    stat = path.stat()
    return DocFile(key, sha, stat.st_size, stat.st_mtime_ns)


class Unkeyable(Exception):
    """A value the render key cannot vouch for: its page is rendered every time."""


class Fingerprints:
    """Stable hashes of page contexts: the same values hash alike in any process (no id(),
    no set order), and an article hashes as the cache keys it was made from.

    `article_keys` are the per-article cache keys of this build's articles (content and
    gazetteer): an article taken whole from the cache is what those keys made; an article
    processed in this build has none, so any page that shows it is rendered."""

    def __init__(self, article_keys: dict[str, bytes], event_campaigns: dict[str, Any] | None = None) -> None:
        self.article_keys = article_keys
        self.event_campaigns = event_campaigns or {}
        self._memo: dict[int, tuple[Any, bytes]] = {}  # id → (the object, kept alive; its hash)
        self._events: dict[str, tuple[Article, dict[int, int]]] = {}
        self._articles: dict[str, tuple[Article, bytes]] = {}

    def of(self, value: Any) -> bytes:
        digest = hashlib.sha256()
        self._feed(digest, value)
        return digest.digest()

    def _feed(self, digest: Any, value: Any) -> None:
        if value is None or isinstance(value, bool | int | float | str | dt.date | enum.Enum):
            # Markup is a str: escaped or not, its text is what is shown.
            digest.update(f"{type(value).__name__}:{value!r};".encode())
        elif isinstance(value, Article):
            digest.update(b"article:" + self._article(value) + b";")
        elif isinstance(value, Report):
            digest.update(self._report(value))
        elif isinstance(value, Entity | Campaign):
            # Read from the gazetteer and site_config.yml, whose bytes the shared key hashes.
            digest.update(f"{type(value).__name__}:{value.id};".encode())
        elif isinstance(value, list | tuple):
            digest.update(b"[%d" % len(value))
            for item in value:
                self._feed(digest, item)
            digest.update(b"]")
        elif isinstance(value, dict):
            digest.update(b"{%d" % len(value))
            for name, item in value.items():
                self._feed(digest, name)
                self._feed(digest, item)
            digest.update(b"}")
        elif isinstance(value, set | frozenset):
            digest.update(b"<%d" % len(value))
            for item_hash in sorted(self.of(item) for item in value):
                digest.update(item_hash)
            digest.update(b">")
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            digest.update(self._dataclass(value))
        elif isinstance(value, Path):
            digest.update(f"path:{value.as_posix()};".encode())
        else:
            raise Unkeyable(type(value).__qualname__)

    def _article(self, article: Article) -> bytes:
        known = self._articles.get(article.slug)
        if known is not None and known[0] is article:
            return known[1]
        key = self.article_keys.get(article.slug)
        if key is None:
            raise Unkeyable(article.slug)
        # The corpus sets the campaign; the chronology, the campaigns of its events (this
        # build's chronology: an article processed now carries them only once it is cached).
        result = hashlib.sha256(
            key + repr((article.campaign, self.event_campaigns.get(article.slug, ()))).encode()
        ).digest()
        self._articles[article.slug] = (article, result)
        return result

    def _report(self, report: Report) -> bytes:
        """A report is its article's event: the article's key and the event's place in it
        (hashing the event itself, for each of thousands of chronology entries, costs more
        than rendering them)."""
        article = report.article
        positions = self._events.get(article.slug)
        if positions is None or positions[0] is not article:
            positions = (article, {id(event): i for i, event in enumerate(article.events)})
            self._events[article.slug] = positions
        at = positions[1].get(id(report.event))
        if at is None:  # not one of its article's events: hash it whole
            return self._dataclass(report)
        return b"report:" + self._article(article) + b"%d;" % at

    def _dataclass(self, value: Any) -> bytes:
        # Chronology entries and articles' parts are shared by many pages: hash each once.
        remembered = self._memo.get(id(value))
        if remembered is not None and remembered[0] is value:
            return remembered[1]
        digest = hashlib.sha256(f"{type(value).__module__}.{type(value).__qualname__}(".encode())
        for field in dataclasses.fields(value):
            digest.update(field.name.encode() + b"=")
            self._feed(digest, getattr(value, field.name))
        result = digest.digest()
        self._memo[id(value)] = (value, result)
        return result


def templates_fingerprint(templates_dir: Path) -> bytes:
    """Every file under the templates folder, names and bytes (strings.yml and the theme
    overrides included)."""
    digest = hashlib.sha256()
    if templates_dir.is_dir():
        for path in sorted(p for p in templates_dir.rglob("*") if p.is_file()):
            digest.update(path.relative_to(templates_dir).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()


def keyed_templates(env: jinja2.Environment, names: Iterable[str]) -> set[str]:
    """The page templates whose output the render key covers: those that, with every
    template they include or import (and every partial, which `partial_once` may render),
    read none of `UNKEYED_NAMES` and include nothing by a computed name."""
    loader = env.loader
    assert loader is not None
    # The briefgen templates besides the pages (not the theme overrides mkdocs renders).
    partials = [
        n for n in loader.list_templates() if n.endswith(".j2") and not n.startswith(("pages/", "overrides/"))
    ]

    def closure(name: str, seen: set[str]) -> bool:
        if name in seen:
            return True
        seen.add(name)
        source = loader.get_source(env, name)[0]
        tree = env.parse(source)
        if jinja2.meta.find_undeclared_variables(tree) & UNKEYED_NAMES:
            return False
        referenced = list(jinja2.meta.find_referenced_templates(tree))
        if "partial_once" in source:
            referenced += partials
        return all(ref is not None and closure(ref, seen) for ref in referenced)

    keyed = set()
    for name in set(names):
        try:
            if closure(name, set()):
                keyed.add(name)
        except jinja2.TemplateError:
            pass  # rendering it reports the error
    return keyed
