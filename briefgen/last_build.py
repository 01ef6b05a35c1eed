"""Nothing changed since the last build: the published site is already what a build makes.

A build records, once it has published, a hash of everything a build reads (the project's
config, content and templates, briefgen's code, the versions of mkdocs and its theme and
plugins, the installed translation engine, SOURCE_DATE_EPOCH, the output folder and
--strict) and of the site it published (every file's name, size, mtime and inode). The next
build computes the inputs' hash first: when both match, it reports the last build's result
and its warnings again and publishes nothing; the site in place is byte for byte what it
would build. Anything else (an edited file, a touched or deleted file in the site, a
corrupt or foreign record) is a real build.

The record is `.briefgen/cache/last-build.json`, written atomically; `--clean` deletes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.config import SiteConfig

log = logging.getLogger("briefgen")

FORMAT = 1
_PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "Markdown", "Jinja2", "PyYAML", "babel")


def package_versions(packages: tuple[str, ...]) -> dict[str, str | None]:
    """The installed version of each package (None where it is missing): part of a cache key."""
    versions: dict[str, str | None] = {}
    for package in packages:
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    return versions


def record_path(config: SiteConfig) -> Path:
    return config.cache_dir / "cache" / "last-build.json"


def _tree(digest: Any, root: Path, *, contents: bool) -> None:
    """Every file under `root`: its name, and its bytes (`contents`) or its size, mtime and
    inode. Sorted walk, so the same tree hashes alike."""
    if not root.is_dir():
        digest.update(b"no tree\0")
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            if contents:
                digest.update(hashlib.sha256(path.read_bytes()).digest())
            else:
                stat = path.lstat()
                digest.update(b"%d %d %d\0" % (stat.st_size, stat.st_mtime_ns, stat.st_ino))


def inputs_fingerprint(config: SiteConfig, site_dir: Path, strict: bool, engine: str | None) -> str:
    """A hash of everything a build of `config` into `site_dir` reads."""
    from briefgen.cache import code_version

    digest = hashlib.sha256()
    versions = package_versions(_PACKAGES)
    settings = {
        "format": FORMAT,
        "code": code_version(),
        "versions": versions,
        "site_dir": str(site_dir),
        "strict": strict,
        "engine": engine,
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
    }
    digest.update(json.dumps(settings, sort_keys=True).encode())
    digest.update(b"config\0" + config.path.read_bytes())
    for folder in (config.content_dir, config.templates_dir):
        digest.update(b"tree\0" + str(folder).encode() + b"\0")
        _tree(digest, folder, contents=True)
    return digest.hexdigest()


def site_fingerprint(site_dir: Path) -> str:
    digest = hashlib.sha256()
    _tree(digest, site_dir, contents=False)
    return digest.hexdigest()


@dataclass(frozen=True)
class LastBuild:
    inputs: str
    site: str
    articles: int
    pages: int
    stamp: str
    warnings: list[str]  # the build result's warnings
    logged: list[str]  # every warning the build logged, in order, to log again


def load(config: SiteConfig) -> LastBuild | None:
    try:
        data = json.loads(record_path(config).read_bytes())
        if data.get("format") != FORMAT:
            return None
        record = LastBuild(
            str(data["inputs"]),
            str(data["site"]),
            int(data["articles"]),
            int(data["pages"]),
            str(data["stamp"]),
            [str(w) for w in data["warnings"]],
            [str(w) for w in data["logged"]],
        )
        dt.datetime.fromisoformat(record.stamp)
        return record
    except FileNotFoundError:
        return None
    except Exception as error:  # corrupt or foreign: build
        log.debug("last build record ignored: %s", error)
        return None


def save(config: SiteConfig, record: LastBuild) -> None:
    path = record_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps({"format": FORMAT, **record.__dict__}, ensure_ascii=False))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def forget(config: SiteConfig) -> None:
    record_path(config).unlink(missing_ok=True)


class WarningLog(logging.Handler):
    """Every warning briefgen logs while building, to be logged again by a build that finds
    nothing changed."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
