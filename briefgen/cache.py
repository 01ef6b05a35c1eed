"""The per-article cache: what the pipeline made of each article, kept between builds.

One file per article, `.briefgen/cache/articles/<slug>.pickle`, so adding an article
writes one file. An entry holds two keys and two pickled `Article`s:

- the *content key*: the code version, the article file's path and bytes, and its
  translation memory's bytes. It covers the stages before the gazetteer's (split,
  translate, summarize), and the entry keeps the article as they left it;
- the *gazetteer key*: the code version and the gazetteer's bytes. With the content key it
  covers the whole pipeline, and the entry keeps the finished article.

So an edited article or memory reprocesses that article; an edited gazetteer re-runs only
the gazetteer stages, for every article; a change to briefgen's own code reprocesses all.
The keys hash raw bytes, so a hit needs neither YAML parsing nor the pipeline. An entry
that cannot be read for any reason is a miss, never an error: the cache only saves time.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import logging
import os
import pickle
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import briefgen
from briefgen.fileio import read_optional as read_optional  # where callers have found it
from briefgen.structure.article import Article

log = logging.getLogger("briefgen")

# Bump when the entry layout changes; the code version covers changes to what is pickled.
MAGIC = b"briefgen-article-cache 1\n"
DIGEST_SIZE = hashlib.sha256().digest_size
SUFFIX = ".pickle"
STALE_TEMP_SECONDS = 3600


def source_fingerprint(package_dir: Path) -> str:
    """A hash of every Python source file under `package_dir`, names and contents."""
    digest = hashlib.sha256()
    for path in sorted(package_dir.rglob("*.py")):
        digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def code_version() -> str:
    """briefgen's version, a hash of its own source (so a code edit invalidates the cache
    even without a version bump) and Python's (pickles need not load across versions).
    Computed once per process: about 40 small files."""
    python = ".".join(map(str, sys.version_info[:2]))
    package_dir = Path(briefgen.__file__).resolve().parent
    return f"{briefgen.__version__}+{source_fingerprint(package_dir)[:16]} py{python}"


def _digest(*parts: bytes | None) -> bytes:
    """sha256 over length-prefixed parts, so no two different part lists hash alike."""
    digest = hashlib.sha256()
    for part in parts:
        if part is None:
            digest.update(b"-")
        else:
            digest.update(b"%d:" % len(part))
            digest.update(part)
    return digest.digest()


def content_key(code: str, shown: Path, article_bytes: bytes, memory_bytes: bytes | None) -> bytes:
    """Key of the gazetteer-independent stages; `memory_bytes` is None without a memory file."""
    return _digest(code.encode(), shown.as_posix().encode(), article_bytes, memory_bytes)


def gazetteer_key(code: str, gazetteer_bytes: bytes | None, events_bytes: bytes | None = None) -> bytes:
    """Key of the gazetteer stages (entities, events); `gazetteer_bytes` is None without a
    gazetteer file, `events_bytes` (the article's event memory, which the events stage
    applies) None without one: an editor's correction re-runs those stages alone."""
    return _digest(code.encode(), gazetteer_bytes, events_bytes)


@dataclass(frozen=True)
class CachedArticle:
    """A valid entry for the current content: `before_gazetteer` is the article after the
    stages that don't read the gazetteer; `article` is the finished one, or None when the
    gazetteer changed since (so its stages must run again)."""

    before_gazetteer: Article
    article: Article | None


class ArticleCache:
    """The entries in one folder, for one code version."""

    def __init__(self, directory: Path, code: str | None = None) -> None:
        self.directory = directory
        self.code = code if code is not None else code_version()

    def path(self, slug: str) -> Path:
        return self.directory / f"{slug}{SUFFIX}"

    def load(self, slug: str, content: bytes, gazetteer: bytes) -> CachedArticle | None:
        """The entry for `slug` if it was made from this content; None on any miss."""
        path = self.path(slug)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            log.debug("article cache: cannot read %s: %s", path, error)
            return None
        header = len(MAGIC) + 2 * DIGEST_SIZE
        if len(data) < header or not data.startswith(MAGIC):
            log.debug("article cache: %s is not a cache entry", path)
            return None
        stored_content = data[len(MAGIC) : len(MAGIC) + DIGEST_SIZE]
        if stored_content != content:
            return None  # the article, its memory or the code changed: the usual miss
        # An entry is ~1,000 small objects: the collector, left on, would keep re-scanning
        # the growing heap while a thousand of them load, doubling the time.
        collecting = gc.isenabled()
        gc.disable()
        try:
            before, after = pickle.loads(memoryview(data)[header:])
        # Truncated, corrupt, or pickled by code that has since changed: all plain misses.
        except Exception as error:
            log.debug("article cache: cannot load %s: %s", path, error)
            return None
        finally:
            if collecting:
                gc.enable()
        if not (isinstance(before, Article) and isinstance(after, Article) and before.slug == slug):
            log.debug("article cache: %s holds something else", path)
            return None
        stored_gazetteer = data[len(MAGIC) + DIGEST_SIZE : header]
        return CachedArticle(before, after if stored_gazetteer == gazetteer else None)

    def store(self, content: bytes, gazetteer: bytes, before_gazetteer: Article, article: Article) -> None:
        """Write one entry atomically (temporary file, then rename)."""
        # One pickle for both articles: the finished one shares the earlier one's blocks,
        # translation and summary, which pickle's memo writes once.
        payload = pickle.dumps((before_gazetteer, article), protocol=pickle.HIGHEST_PROTOCOL)
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.path(article.slug)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=self.directory)
        try:
            # No fsync: a torn entry after a crash is only a miss.
            with os.fdopen(fd, "wb") as handle:
                handle.write(MAGIC + content + gazetteer + payload)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def prune(self, slugs: Iterable[str]) -> int:
        """Delete the entries of articles not in `slugs`, and temporary files a killed build
        left behind; returns how many files were deleted."""
        if not self.directory.is_dir():
            return 0
        keep = {f"{slug}{SUFFIX}" for slug in slugs}
        removed = 0
        for path in self.directory.iterdir():
            gone = path.suffix == SUFFIX and path.name not in keep
            if gone or (path.suffix == ".tmp" and self._abandoned(path)):
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    @staticmethod
    def _abandoned(temp: Path) -> bool:
        # A recent one may be another build's entry being written.
        try:
            return time.time() - temp.stat().st_mtime > STALE_TEMP_SECONDS
        except FileNotFoundError:
            return False

    def clear(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)
