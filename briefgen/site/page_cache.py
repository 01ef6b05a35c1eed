"""briefgen's mkdocs page cache: a page whose inputs are unchanged keeps its last HTML.

mkdocs renders every page's Markdown and material's page frame on every build; adding one
article to a large archive changes a handful of pages. A page is taken from the last build
when its *key* is unchanged, which hashes everything its HTML is made from:

- the build as a whole: the mkdocs configuration (all of it but the output folder), the
  versions of mkdocs, mkdocs-material, the i18n plugin, Markdown, Jinja and briefgen's code,
  the theme overrides' files, and for each language build its configuration as the i18n
  plugin leaves it (site name, language, extra) and the navigation (titles, addresses);
- the page: its docs file's bytes (by the sha-256 `render_docs` recorded, see
  briefgen.site.docs_state), where it is and goes (source, destination, URL), its
  counterparts in the other languages (the language switcher), and which of the files its
  links could point to exist.

Pages in the navigation are never cached (material shows their neighbours and marks their
place in the nav tree); nor is a page that logged a warning (the next build must warn again)
or that links to anchors on other pages (mkdocs checks those after every page is built).

For a page taken from the cache, mkdocs still makes its Page (the sitemap and the search
index list it) from an empty source; the plugin gives it back its front matter, title and
anchor ids, its entries in material's search index, and its HTML: the file the last build
wrote, hard-linked from the published site into the new one (copied where the file system
cannot link). That file is used only if it is still the one written (size, mtime and inode
as recorded); anything else is a miss and the page is rendered.

The state is one JSON file, written atomically at the end of mkdocs' build; an unreadable,
malformed or foreign one is ignored (every page is rendered, as in a first build).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import posixpath
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger("briefgen")

FORMAT = 1
# Configuration keys hashed on their own (or not at all: the output folder changes each build).
_KEYED_APART = ("site_dir", "plugins", "theme", "nav", "extra")
STUB_TEMPLATE = "briefgen-cached-page.html"
_PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "Markdown", "Jinja2", "pymdown-extensions")
# Every link mkdocs may rewrite: Markdown links and images, reference definitions, and
# href/src attributes (markdown="1" blocks). Raw HTML it leaves alone is caught too: the
# over-approximation only adds entries to a page's key.
_LINK_TARGET = re.compile(
    r"""\]\(\s*<?([^)\s>]+)|^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)|(?:href|src)=["']([^"']+)""", re.M
)


def _stable_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=_unjsonable)


def _unjsonable(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return sorted(map(str, value))
    if isinstance(value, Path):
        return value.as_posix()
    if hasattr(value, "items"):
        return dict(value.items())
    return f"<{type(value).__qualname__}>"  # never an address: that would differ every build


def _files_digest(folder: Path | None) -> str:
    digest = hashlib.sha256()
    if folder is not None and folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _empty_render(page: Any) -> Any:
    def render(config: Any, files: Any) -> None:
        page.content = ""

    return render


def _copied(entry: dict[str, Any]) -> dict[str, Any]:
    """A search entry (flat: strings and a list of tags) that later changes to the index
    cannot reach."""
    return {k: list(v) if isinstance(v, list) else v for k, v in entry.items()}


def _link_targets(markdown: str) -> list[str]:
    """The relative link targets in a page's Markdown, without #fragment or ?query."""
    found: dict[str, None] = {}
    for match in _LINK_TARGET.finditer(markdown):
        target = next(group for group in match.groups() if group is not None)
        target = target.split("#", 1)[0].split("?", 1)[0]
        if target and not target.startswith("/") and ":" not in target:
            found[target] = None
    return list(found)


def _target_uri(src_uri: str, target: str) -> str:
    """The docs file a link resolves to, as mkdocs resolves it (the first file it tries)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), target).lstrip("/"))


@dataclass
class _Entry:
    key: str
    site_path: str  # the HTML file, relative to the site root
    stat: tuple[int, int, int]  # its size, mtime_ns and inode as written
    meta: dict[str, Any]
    title: str | None
    anchors: list[str]
    search: list[dict[str, Any]]
    targets: list[str]  # the files its links resolve to, and whether each existed
    exists: str

    def to_json(self) -> list[Any]:
        return [
            self.key,
            self.site_path,
            list(self.stat),
            self.meta,
            self.title,
            self.anchors,
            self.search,
            self.targets,
            self.exists,
        ]

    @classmethod
    def from_json(cls, data: list[Any]) -> _Entry:
        key, site_path, stat, meta, title, anchors, search, targets, exists = data
        if not (
            isinstance(key, str)
            and isinstance(site_path, str)
            and isinstance(meta, dict)
            and (title is None or isinstance(title, str))
            and all(isinstance(a, str) for a in anchors)
            and all(isinstance(e, dict) for e in search)
            and all(isinstance(t, str) for t in targets)
            and isinstance(exists, str)
            and len(exists) == len(targets)
            and not Path(site_path).is_absolute()
            and ".." not in Path(site_path).parts
        ):
            raise ValueError("malformed entry")
        size, mtime_ns, inode = (int(x) for x in stat)
        return cls(
            key, site_path, (size, mtime_ns, inode), meta, title, list(anchors), search, targets, exists
        )


@dataclass
class _Building:
    """What is known about a page between mkdocs' events for it."""

    key: str
    src: str  # the state's name for it: language build and source path
    warnings_at: int = 0
    markdown: str | None = None
    warned: bool = False
    search: list[dict[str, Any]] = field(default_factory=list)


class _WarningCount(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class PageCache:
    """One mkdocs build's view of the page cache (every language build in it)."""

    def __init__(self, state_file: Path, previous_site: Path, docs_state: Path | None, config: Any) -> None:
        from briefgen.cache import code_version
        from briefgen.last_build import package_versions

        self.state_file = state_file
        self.previous_site = previous_site
        self.site_root = Path(config.site_dir)
        self.site_prefix = os.path.join(os.path.abspath(config.site_dir), "")
        self.docs_prefix = os.path.join(os.path.abspath(config.docs_dir), "")
        self.old = self._load()
        self.new: dict[str, _Entry] = {}
        self.docs = self._docs_state(docs_state, code_version())
        settings = {k: config[k] for k in config if k not in _KEYED_APART}
        versions = package_versions(_PACKAGES)
        custom_dir = config.theme.custom_dir if hasattr(config.theme, "custom_dir") else None
        self.build_key = hashlib.sha256(
            _stable_json(
                {
                    "format": FORMAT,
                    "code": code_version(),
                    "versions": versions,
                    "config": settings,
                    "plugins": {name: dict(plugin.config) for name, plugin in config.plugins.items()},
                    "overrides": _files_digest(Path(custom_dir) if custom_dir else None),
                }
            ).encode()
        ).hexdigest()
        self.language_key = ""
        self.files: set[str] = set()
        self.nav_pages: set[str] = set()
        self.building: dict[int, _Building] = {}
        self.hits: dict[int, _Entry] = {}
        self.counter = _WarningCount()
        logging.getLogger("mkdocs").addHandler(self.counter)
        self.search_seen: tuple[int, int] = (0, 0)  # (id of material's index, entries seen)
        self.taken = self.rendered = 0

    # --- state -------------------------------------------------------------------------------

    def _load(self) -> dict[str, _Entry]:
        try:
            data = json.loads(self.state_file.read_bytes())
            if data.get("format") != FORMAT:
                return {}
            return {str(name): _Entry.from_json(entry) for name, entry in data["pages"].items()}
        except FileNotFoundError:
            return {}
        except Exception as error:  # corrupt or foreign: a build without a cache
            log.debug("page cache %s ignored: %s", self.state_file, error)
            return {}

    def _docs_state(self, path: Path | None, code: str) -> dict[str, Any]:
        from briefgen.site.docs_state import load_state

        return load_state(path, code) if path is not None else {}

    def close(self) -> None:
        """Stop counting mkdocs' warnings (the build is over, done or failed)."""
        logging.getLogger("mkdocs").removeHandler(self.counter)

    def save(self) -> None:
        """Write the state of every page this build wrote or took (the others are gone)."""
        self.close()
        for name, entry in list(self.new.items()):
            if entry.stat == (0, 0, 0):  # written this build: record the file as written
                try:
                    stat = (self.site_root / entry.site_path).stat()
                except OSError:  # mkdocs writes no empty page
                    del self.new[name]
                    continue
                entry.stat = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
        payload = {"format": FORMAT, "pages": {name: e.to_json() for name, e in sorted(self.new.items())}}
        # json.dumps, not json.dump: only the one-shot encoder is the C one (10x faster here).
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(
            prefix=f".{self.state_file.name}.", suffix=".tmp", dir=self.state_file.parent
        )
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
            os.replace(temp, self.state_file)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        log.info("page cache: %d pages taken from the last build, %d rendered", self.taken, self.rendered)

    # --- one language build ------------------------------------------------------------------

    def start_language(self, files: Any, config: Any) -> None:
        self.files = {f.src_uri for f in files}
        self.language_key = hashlib.sha256(
            _stable_json(
                {
                    "build": self.build_key,
                    "site_dir": Path(config.site_dir).relative_to(self.site_root).as_posix(),
                    "config": {k: config[k] for k in config if k not in _KEYED_APART},
                    "theme": dict(config.theme.items()),
                    # The language switcher's links are each page's (its alternates, in its
                    # key); what the i18n plugin left in `extra` is the last page's.
                    "extra": {k: v for k, v in dict(config.extra).items() if k != "alternate"},
                }
            ).encode()
        ).hexdigest()

    def set_nav(self, nav: Any, config: Any) -> None:
        def walk(items: Any) -> list[Any]:
            return [
                [type(i).__name__, i.title, getattr(i, "url", None), walk(getattr(i, "children", None) or [])]
                for i in items
            ]

        self.nav_pages = {p.file.src_uri for p in nav.pages}
        self.language_key = hashlib.sha256(
            (self.language_key + _stable_json(walk(nav.items))).encode()
        ).hexdigest()

    def _page_key(self, page: Any) -> str | None:
        file = page.file
        if file.src_uri in self.nav_pages:
            return None
        # String paths, not pathlib: this runs for each of 20,000 pages.
        src_path = file.abs_src_path
        if not src_path or not src_path.startswith(self.docs_prefix):
            return None
        known = self.docs.get(src_path[len(self.docs_prefix) :].replace(os.sep, "/"))
        if known is not None and known.is_on_disk(src_path):
            docs_sha = known.sha
        else:
            try:
                with open(src_path, "rb") as handle:
                    docs_sha = hashlib.sha256(handle.read()).hexdigest()
            except OSError:
                return None
        alternates = sorted((lang, f.url) for lang, f in (getattr(file, "alternates", None) or {}).items())
        return hashlib.sha256(
            _stable_json(
                [self.language_key, file.src_uri, file.dest_uri, file.url, docs_sha, alternates]
            ).encode()
        ).hexdigest()

    def _state_name(self, page: Any) -> str:
        """A page's name in the state: its HTML file under the site root (unique across the
        language builds, each of which writes into its own folder)."""
        return page.file.abs_dest_path[len(self.site_prefix) :].replace(os.sep, "/")

    # --- a page's events ---------------------------------------------------------------------

    def before_populate(self, page: Any) -> None:
        self.hits.pop(id(page), None)
        self.building.pop(id(page), None)
        key = self._page_key(page)
        if key is None:
            return
        name = self._state_name(page)
        self.building[id(page)] = _Building(key, name, warnings_at=self.counter.count)
        entry = self.old.get(name)
        if entry is None or entry.key != key or not self._links_unchanged(page, entry):
            return
        try:
            stat = os.stat(os.path.join(self.previous_site, entry.site_path))
        except OSError:
            return
        if (stat.st_size, stat.st_mtime_ns, stat.st_ino) == entry.stat:
            self.hits[id(page)] = entry
            # mkdocs makes a new Markdown converter, extensions and all, for every page it
            # renders, even an empty one: a few ms a page, most of a warm build at 10,000
            # pages. This page's render is what the cache gives back (restore_populated).
            page.render = _empty_render(page)

    def _links_unchanged(self, page: Any, entry: _Entry) -> bool:
        return all((t in self.files) == (e == "1") for t, e in zip(entry.targets, entry.exists, strict=True))

    def read_source(self, page: Any) -> str | None:
        # A page taken from the cache is not read or converted: its Markdown is empty.
        return "" if id(page) in self.hits else None

    def is_hit(self, page: Any) -> bool:
        return id(page) in self.hits

    def note_markdown(self, page: Any, markdown: str) -> None:
        building = self.building.get(id(page))
        if building is not None:
            building.markdown = markdown

    def restore_populated(self, page: Any) -> None:
        """Give a cached page back what rendering its Markdown would have set."""
        entry = self.hits[id(page)]
        del page.render  # the class's again
        page.meta = {**entry.meta, "template": STUB_TEMPLATE}
        page._title_from_render = entry.title
        page.present_anchor_ids = set(entry.anchors)
        page.links_to_anchors = None

    def after_populate(self, page: Any) -> None:
        building = self.building.get(id(page))
        if building is not None and self.counter.count != building.warnings_at:
            building.warned = True

    def add_stub_template(self, env: Any) -> None:
        import jinja2

        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({STUB_TEMPLATE: ""}), env.loader])

    def after_search(self, page: Any, config: Any) -> None:
        """Right after material's search indexed the page: a cached page's entries are put
        in its place; a rendered page's are kept for the next build."""
        entries = self._search_entries(config)
        if entries is None:
            return
        index_id, seen = self.search_seen
        if index_id != id(entries):
            seen = 0
        added = entries[seen:]
        entry = self.hits.get(id(page))
        if entry is not None:
            del entries[seen:]
            entries.extend(_copied(e) for e in entry.search)
        else:
            building = self.building.get(id(page))
            if building is not None:
                building.search = [_copied(e) for e in added]
                building.warnings_at = self.counter.count
        self.search_seen = (id(entries), len(entries))

    @staticmethod
    def _search_entries(config: Any) -> list[dict[str, Any]] | None:
        plugin = config.plugins.get("material/search") or config.plugins.get("search")
        index = getattr(plugin, "search_index", None)
        entries = getattr(index, "entries", None)
        return entries if isinstance(entries, list) else None

    def place_cached(self, page: Any) -> None:
        """Put the last build's HTML of a cached page in the new site: a hard link to the
        published file (no bytes copied), a copy across file systems."""
        entry = self.hits.pop(id(page))
        self.building.pop(id(page), None)
        target = page.file.abs_dest_path
        os.makedirs(os.path.dirname(target), exist_ok=True)
        source = os.path.join(self.previous_site, entry.site_path)
        try:
            os.link(source, target)
            stat = entry.stat
        except OSError:
            shutil.copyfile(source, target)
            written = os.stat(target)
            stat = (written.st_size, written.st_mtime_ns, written.st_ino)
        self.new[self._state_name(page)] = _Entry(**{**entry.__dict__, "stat": stat})
        self.taken += 1

    def note_built(self, page: Any, config: Any) -> None:
        """A page mkdocs rendered: remember it, unless something makes it uncacheable."""
        self.rendered += 1
        building = self.building.pop(id(page), None)
        if building is None or building.markdown is None:
            return
        # Links to its own anchors are checked against the same anchors every time; links to
        # another page's anchors must be checked again on every build.
        if building.warned or self.counter.count != building.warnings_at:
            return
        if any(to_file is not page.file for to_file in page.links_to_anchors or {}):
            return
        meta = dict(page.meta)
        try:
            if json.loads(json.dumps(meta)) != meta:
                return
        except (TypeError, ValueError):
            return  # front matter JSON cannot hold (dates): render it every time
        targets = sorted({_target_uri(page.file.src_uri, t) for t in _link_targets(building.markdown)})
        self.new[building.src] = _Entry(
            key=building.key,
            site_path=building.src,
            stat=(0, 0, 0),
            meta=meta,
            title=page._title_from_render,
            anchors=sorted(page.present_anchor_ids or ()),
            search=building.search,
            targets=targets,
            exists="".join("1" if t in self.files else "0" for t in targets),
        )
