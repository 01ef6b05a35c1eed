"""`briefgen translations export|import`: the translation memories to and from CAT tools.

The formats are `briefgen.memory.exchange`'s; here are the files: which memories, the
article each unit must still be in, the build lock, and writing the memories back (only
once the whole file has been read and checked, so bad input writes nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefgen.config import SiteConfig, load_config
from briefgen.errors import BriefgenError, Problem
from briefgen.fileio import read_bytes, reporting_os_errors, shown_path
from briefgen.memory.core import write_atomically
from briefgen.memory.exchange import (
    NOT_TRANSLATED,
    WRITERS,
    Format,
    ImportResult,
    exchange_units,
    plan_import,
    read_exchange,
)
from briefgen.memory.translations import (
    ArticleMemory,
    EntryOrigin,
    load_memory,
    memory_path,
    place_typed_entries,
    save_memory,
    sentence_key,
)
from briefgen.publish.lock import build_lock
from briefgen.readers import article_paths, read_article_files
from briefgen.structure.article import Article


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: Format
    units: int
    articles: int


@dataclass(frozen=True)
class ImportReport:
    format: Format
    results: tuple[ImportResult, ...]
    written: tuple[Path, ...]  # the memory files written, as messages name them
    memory_files: dict[str, Path]  # each slug's memory file, as messages name it


def _article_files(config: SiteConfig, slugs: Sequence[str] | None) -> dict[str, Path]:
    """The article files by slug: all of them, or those of `slugs` (refusing an unknown one)."""
    found = {path.stem: path for path in article_paths(config.articles_dir, config.root)}
    if not slugs:
        return found
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        raise BriefgenError(
            [
                Problem(
                    f"--article {slug}: there is no article with this slug",
                    path=shown_path(config.articles_dir, config.root),
                    hint="give the article file's name without .md (see content/articles/)",
                )
                for slug in unknown
            ]
        )
    return {slug: found[slug] for slug in dict.fromkeys(slugs)}


def _memory(config: SiteConfig, slug: str) -> ArticleMemory:
    path = memory_path(config.translations_dir, slug)
    return load_memory(path, slug, shown_path(path, config.root))


def export_translations(
    config_path: Path | str,
    fmt: Format,
    out: Path,
    slugs: Sequence[str] | None = None,
    pending_only: bool = False,
    everything: bool = False,
) -> ExportResult:
    """Write the memories' units (of every article, or of `slugs`) to `out` in `fmt`.

    XLIFF and PO get every unit (or only the pending ones), each with its state; TMX, a memory
    for reuse, only the reviewed ones unless `everything` (then the machine ones and drafts too,
    marked by their origin)."""
    config = load_config(config_path)
    if fmt == "tmx" and pending_only:
        raise BriefgenError(
            Problem(
                "--pending-only: a TMX file holds translations, and pending units have none",
                hint="export pending units as XLIFF or PO (--format xliff|po)",
            )
        )
    if everything and fmt != "tmx":
        raise BriefgenError(
            Problem(
                f"--all is for TMX: a {fmt.upper()} export already holds every unit, with its state",
                hint="leave out --all, or use --pending-only for the units still to translate",
            )
        )
    files = _article_files(config, slugs)
    memories = [_memory(config, slug) for slug in sorted(files)]
    origins: tuple[EntryOrigin, ...] | None = None
    if pending_only:
        origins = ("pending",)
    elif fmt == "tmx":
        origins = ("reviewed", "machine", "pending") if everything else ("reviewed",)
    units = exchange_units(memories, origins)
    with reporting_os_errors(config.root):
        # The libraries give UTF-8 bytes; written atomically, as the memories are.
        write_atomically(out, WRITERS[fmt](units).decode("utf-8"))
    written = [u for u in units if u.en] if fmt == "tmx" else units
    return ExportResult(out, fmt, len(written), len({u.slug for u in written}))


def import_translations(
    config_path: Path | str,
    path: Path,
    force: bool = False,
    on_wait: Callable[[str], None] = lambda message: None,
) -> ImportReport:
    """Read an exchange file a CAT tool edited and write its signed-off units into the
    memories as `origin: reviewed` (see `exchange.plan_import` for what is skipped and what
    conflicts). Nothing is written unless the whole file is read without a problem."""
    config = load_config(config_path)
    shown = shown_path(path, Path.cwd())
    fmt, units = read_exchange(read_bytes(path), shown)
    with build_lock(config.cache_dir, on_wait):  # a build rewrites the memories too
        slugs = sorted({unit.slug for unit in units})
        files = {slug: file for slug, file in _article_files(config, None).items() if slug in slugs}
        articles = read_article_files(config, [files[slug] for slug in slugs if slug in files])
        memories: dict[str, ArticleMemory] = {}
        article_units: dict[str, list[str]] = {}
        problems: list[Problem] = []
        for article in articles:
            keys = _unit_keys(article)
            try:
                memory, typed_problems = place_typed_entries(_memory(config, article.slug), keys)
            except BriefgenError as exc:
                problems += exc.problems
                continue
            problems += typed_problems
            memories[article.slug], article_units[article.slug] = memory, keys
        if problems:
            raise BriefgenError(problems)
        changed, results = plan_import(units, memories, article_units, force)
        written = []
        with reporting_os_errors(config.root):
            for slug, memory in changed.items():
                file = memory_path(config.translations_dir, slug)
                if save_memory(file, memory, shown_path(file, config.root)):
                    written.append(shown_path(file, config.root))
    memory_files = {
        slug: shown_path(memory_path(config.translations_dir, slug), config.root) for slug in slugs
    }
    return ImportReport(fmt, tuple(results), tuple(written), memory_files)


def _unit_keys(article: Article) -> list[str]:
    """The keys of the article's units as the build sees them now (split afresh)."""
    from briefgen.pipeline.split import split
    from briefgen.pipeline.translate import translation_units

    return [sentence_key(ar) for _, ar in translation_units(split(article))]


_LABELS = {"changed": "imported", "forced": "replaced", "skipped": "skipped", "conflict": "conflict"}


def format_import(report: ImportReport, path: Path) -> str:
    """The import's report, per memory file: what it changed, what it skipped and why, what
    conflicts; each unit named by its id and its line in `path`. Units not translated in the
    file are only counted (a file of a whole article, a few of them done, would list them all)."""
    lines: list[str] = []
    by_slug: dict[str, list[ImportResult]] = {}
    for result in report.results:
        by_slug.setdefault(result.unit.slug, []).append(result)
    for slug, results in by_slug.items():

        def count(*verdicts: str, reason: str | None = None, results: list[ImportResult] = results) -> int:
            return sum(r.verdict in verdicts and (reason is None or r.reason == reason) for r in results)

        untranslated = count("skipped", reason=NOT_TRANSLATED)
        summary = [
            f"{count('changed', 'forced')} imported",
            f"{count('skipped') - untranslated} skipped",
            f"{count('conflict')} conflict(s)",
        ]
        summary += [f"{count('unchanged')} unchanged"] if count("unchanged") else []
        summary += [f"{untranslated} not translated"] if untranslated else []
        lines.append(f"{report.memory_files[slug]}: {', '.join(summary)}")
        for result in results:
            if result.verdict == "unchanged" or result.reason == NOT_TRANSLATED:
                continue
            unit = result.unit
            where = f"{path}:{unit.line}" if unit.line else str(path)
            arabic = unit.ar if len(unit.ar) <= 80 else unit.ar[:79] + "…"
            lines.append(f"  {_LABELS[result.verdict]:<9} {unit.unit_id} ({unit.kind}, {where})")
            lines.append(f"            {arabic}")
            if result.verdict == "skipped":
                lines.append(f"            {result.reason}")
            if result.verdict == "conflict":
                lines.append(f"            {result.reason}; kept. The file has {unit.en!r}.")
    imported = sum(r.verdict in ("changed", "forced") for r in report.results)
    skipped = sum(r.verdict == "skipped" and r.reason != NOT_TRANSLATED for r in report.results)
    conflicts = sum(r.verdict == "conflict" for r in report.results)
    lines.append(
        f"Imported {imported} unit(s) into {len(report.written)} memory file(s) from {path} "
        f"({report.format}); {skipped} skipped, {conflicts} conflict(s) kept"
        + (" (--force takes the file's English)" if conflicts else "")
        + "."
    )
    return "\n".join(lines)


@dataclass(frozen=True)
class OrphanMemory:
    """A memory file whose article no longer exists."""

    path: Path  # as messages name it
    kind: str  # "translation" or "event"
    entries: int | None  # None: the file could not be read
    reviewed: int | None  # entries an editor or translator wrote or signed off
    removed: bool
    kept_because: str | None = None  # why it was left in place


@dataclass(frozen=True)
class PruneReport:
    orphans: tuple[OrphanMemory, ...]
    dry_run: bool

    @property
    def removed(self) -> list[OrphanMemory]:
        return [o for o in self.orphans if o.removed]

    @property
    def kept(self) -> list[OrphanMemory]:
        return [o for o in self.orphans if not o.removed]


def _count_entries(path: Path, kind: str, slug: str, shown: Path) -> tuple[int, int]:
    """(entries, reviewed entries) of one memory file; raises BriefgenError if it is broken."""
    from briefgen.memory.events import load_event_memory
    from briefgen.memory.translations import MAX_MEMORY_BYTES
    from briefgen.yamlio import load_yaml, read_text_utf8

    # An orphan is often a copy or a renamed file: count it as the article it says it is of.
    data = load_yaml(read_text_utf8(path, shown, MAX_MEMORY_BYTES, f"the {kind} memory"), shown).data
    if isinstance(data, dict) and isinstance(data.get("article"), str):
        slug = data["article"]
    if kind == "event":
        events = load_event_memory(path, slug, shown)
        return len(events.entries), sum(1 for e in events.entries if e.origin == "reviewed")
    memory = load_memory(path, slug, shown)
    return len(memory.entries), sum(1 for e in memory.entries if e.origin == "reviewed")


def prune_memories(
    config_path: Path | str,
    dry_run: bool = False,
    force: bool = False,
    on_wait: Callable[[str], None] = lambda message: None,
) -> PruneReport:
    """Delete the translation and event memories of articles that no longer exist.

    Reviewed entries are a translator's or an editor's work, which no build can write again:
    a memory holding any is kept unless `force` (the article may have been renamed: moving
    the file to the new slug keeps the work). A file that cannot be read is kept too, unless
    `force`. With `dry_run` nothing is deleted; the report says what would be."""
    config = load_config(config_path)
    folders = ((config.translations_dir, "translation"), (config.events_dir, "event"))
    with build_lock(config.cache_dir, on_wait):  # a build writes these folders too
        slugs = {path.stem for path in article_paths(config.articles_dir, config.root)}
        orphans: list[OrphanMemory] = []
        for folder, kind in folders:
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.yml")):
                if path.stem in slugs:
                    continue
                shown = shown_path(path, config.root)
                try:
                    entries, reviewed = _count_entries(path, kind, path.stem, shown)
                    kept_because = (
                        f"it holds {reviewed} reviewed entr{'y' if reviewed == 1 else 'ies'}"
                        if reviewed and not force
                        else None
                    )
                except BriefgenError as exc:
                    entries = reviewed = None
                    kept_because = None if force else f"it cannot be read ({exc.problems[0].message})"
                removed = kept_because is None
                if removed and not dry_run:
                    with reporting_os_errors(config.root):
                        path.unlink()
                orphans.append(OrphanMemory(shown, kind, entries, reviewed, removed, kept_because))
    return PruneReport(tuple(orphans), dry_run)


def format_prune(report: PruneReport) -> str:
    """What `translations prune` did (or, with --dry-run, would do), one line a file."""
    if not report.orphans:
        return "No memories of deleted articles: nothing to remove."
    lines = []
    verb = "Would remove" if report.dry_run else "Removed"
    for orphan in report.removed:
        held = (
            f"{orphan.entries} entries, {orphan.reviewed} reviewed"
            if orphan.entries is not None
            else "unreadable"
        )
        lines.append(f"{verb} {orphan.path} ({orphan.kind} memory: {held})")
    for orphan in report.kept:
        lines.append(
            f"Kept {orphan.path} ({orphan.kind} memory): {orphan.kept_because}. If the article was "
            "renamed, rename this file to its new slug to keep the work; --force deletes it."
        )
    done = "would be removed" if report.dry_run else "removed"
    lines.append(f"{len(report.removed)} file(s) {done}, {len(report.kept)} kept.")
    return "\n".join(lines)
