"""`briefgen build`: content → pipeline → corpus → docs tree → mkdocs → site/."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import logging
import os
import shutil
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from briefgen.cache import ArticleCache, content_key, gazetteer_key
from briefgen.config import FULL_TEXT_DEPRECATED, SiteConfig, load_config
from briefgen.errors import BriefgenError, Problem
from briefgen.fileio import is_dir, read_bytes, read_optional, reporting_os_errors
from briefgen.memory import ArticleMemory, dump_memory, load_memory, memory_path
from briefgen.memory.core import write_if_changed
from briefgen.memory.events import EventMemory, dump_event_memory, event_memory_path, load_event_memory
from briefgen.pipeline import FIRST_GAZETTEER_STAGE, default_pipeline
from briefgen.pipeline.translate import (
    TranslationEngine,
    draft_warnings,
    is_stale,
    memory_of,
    typed_entry_problems,
)
from briefgen.publish import Publisher, checked_output_dir, publishing
from briefgen.publish.target import output_setting
from briefgen.readers import (
    article_paths,
    max_slug_length,
    read_article_files,
    read_articles,
    read_gazetteer,
)
from briefgen.structure.article import Article
from briefgen.structure.corpus import Corpus

log = logging.getLogger("briefgen")


@dataclass
class BuildResult:
    site_dir: Path
    articles: int
    pages: int
    translated: int = 0  # sentences, cross-heads and titles the engine translated this time
    reprocessed: list[str] = field(default_factory=list)  # slugs run through the whole pipeline
    relinked: list[str] = field(default_factory=list)  # slugs whose gazetteer stages alone ran
    cached: int = 0  # articles taken whole from the cache
    stamp: dt.datetime | None = None  # see `build_stamp`
    stage_seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    replaced_foreign: bool = False  # --force replaced a folder briefgen had not built: it is deleted


# Every logger a build's warnings come from: briefgen's own stages and mkdocs'.
WARNING_LOGGERS = ("briefgen", "mkdocs")


class _WarningCollector(logging.Handler):
    """Every warning logged while a build runs, so that the count the build reports (and
    what --strict refuses) is the WARNING lines the user saw, whichever stage logged them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def collecting_warnings() -> Iterator[_WarningCollector]:
    collector = _WarningCollector()
    loggers = [logging.getLogger(name) for name in WARNING_LOGGERS]
    for logger in loggers:
        logger.addHandler(collector)
    try:
        yield collector
    finally:
        for logger in loggers:
            logger.removeHandler(collector)


def installed_engine(config: SiteConfig) -> TranslationEngine | None:
    """The engine `translation:` in site_config.yml asks for (Argos by default) if its model is
    installed; loading the model waits until it's needed."""
    from briefgen.translation.engines import choose_engine

    return choose_engine(config.translation)


@dataclass(frozen=True)
class ArticleSource:
    """One article file as read from disk, before parsing: what the cache keys hash."""

    path: Path
    shown: Path  # as problems name it: relative to the project when inside it
    data: bytes
    memory_path: Path
    memory: bytes | None  # the translation memory file's bytes; None when there is none
    events_path: Path | None = None
    events: bytes | None = None  # the event memory file's bytes; None when there is none

    @property
    def slug(self) -> str:
        return self.path.stem


@dataclass
class LoadedCorpus:
    """The corpus, and which articles went through which stages to make it."""

    corpus: Corpus
    reprocessed: list[str]  # slugs that ran through the whole pipeline
    relinked: list[str]  # slugs whose gazetteer stages alone ran again (the gazetteer changed)
    cached: int  # articles taken whole from the cache
    gazetteer_bytes: bytes | None  # the gazetteer file this corpus was made with
    # Per processed article: its source, its state before the gazetteer stages, the result.
    fresh: list[tuple[ArticleSource, Article, Article]] = field(default_factory=list)
    sources: list[ArticleSource] = field(default_factory=list)  # every article's, in path order
    # Per article taken whole from the cache: its cache keys, which say what it is without
    # looking at it (the docs tree's render keys use them; see briefgen.site.docs_state).
    article_keys: dict[str, bytes] = field(default_factory=dict)


def shown_path(config: SiteConfig, path: Path) -> Path:
    return path.relative_to(config.root) if path.is_relative_to(config.root) else path


def read_sources(config: SiteConfig) -> list[ArticleSource]:
    """Every article file's bytes and its memory file's bytes, in path order."""
    found = is_dir(config.articles_dir, config.root)
    paths = article_paths(config.articles_dir, config.root) if found else []
    if not found or len({p.stem for p in paths}) < len(paths):
        # No folder or duplicate slugs: the reader reports them with every other problem.
        read_articles(config)
    sources = []
    problems: list[Problem] = []  # files that cannot be read: every one, in one pass
    max_slug = max_slug_length(config)
    for path in paths:
        memory_file = memory_path(config.translations_dir, path.stem)
        events_file = event_memory_path(config.events_dir, path.stem)
        try:
            data = read_bytes(path, config.root)
            # A name too long for a memory file has none; parsing the article says so.
            memory = read_optional(memory_file, config.root) if len(path.stem) <= max_slug else None
            events = read_optional(events_file, config.root) if len(path.stem) <= max_slug else None
        except BriefgenError as exc:
            problems += (p for p in exc.problems if p not in problems)
            continue
        sources.append(
            ArticleSource(path, shown_path(config, path), data, memory_file, memory, events_file, events)
        )
    if problems:
        raise BriefgenError(problems)
    return sources


def parse_sources(config: SiteConfig, sources: list[ArticleSource]) -> dict[str, Article]:
    """Parse articles as `read_articles` does, raising with every problem found."""
    articles = read_article_files(config, [source.path for source in sources])
    return {source.slug: article for source, article in zip(sources, articles, strict=True)}


def load_source_memories(config: SiteConfig, sources: list[ArticleSource]) -> dict[str, ArticleMemory]:
    """The translation memories of `sources`, raising with every broken one."""
    memories: dict[str, ArticleMemory] = {}
    problems: list[Problem] = []
    for source in sources:
        try:
            memories[source.slug] = load_memory(
                source.memory_path, source.slug, shown_path(config, source.memory_path)
            )
        except BriefgenError as exc:
            problems += exc.problems
    if problems:
        raise BriefgenError(problems)
    return memories


def load_event_memories(config: SiteConfig, sources: Iterable[ArticleSource]) -> dict[str, EventMemory]:
    """The event memories of `sources`, raising with every broken one."""
    memories: dict[str, EventMemory] = {}
    problems: list[Problem] = []
    for source in sources:
        path = source.events_path or event_memory_path(config.events_dir, source.slug)
        try:
            memories[source.slug] = load_event_memory(path, source.slug, shown_path(config, path))
        except BriefgenError as exc:
            problems += exc.problems
    if problems:
        raise BriefgenError(problems)
    return memories


def warn_orphan_memories(config: SiteConfig, slugs: set[str]) -> None:
    # A memory whose article is gone is an editor's work: keep it, but say so.
    for folder, what in ((config.translations_dir, "translation"), (config.events_dir, "event")):
        if folder.is_dir():
            for path in sorted(folder.glob("*.yml")):
                if path.stem not in slugs:
                    log.warning(
                        "%s: %s memory for an article that does not exist (renamed? rename the file "
                        "to the new slug; deleted? `briefgen translations prune` removes it)",
                        shown_path(config, path),
                        what,
                    )


def process_corpus(
    config: SiteConfig,
    timings: dict[str, float] | None = None,
    engine: TranslationEngine | Literal["installed"] | None = "installed",
    cache: ArticleCache | None = None,
) -> LoadedCorpus:
    """Read the articles, run the pipeline over those the cache cannot answer for, and
    assemble the corpus. Without a cache every article is processed. Writes nothing: the
    build saves memories and cache entries afterwards (`store_in_cache`)."""
    started = time.perf_counter()
    sources = read_sources(config)
    gazetteer = read_gazetteer(config)
    gazetteer_bytes = read_optional(config.gazetteer_path, config.root)
    if engine == "installed":
        engine = installed_engine(config)
    campaign_ids = frozenset(c.id for c in config.campaigns)
    if timings is not None:
        timings["read"] = time.perf_counter() - started

    started = time.perf_counter()
    finished: dict[str, Article] = {}
    to_relink: dict[str, Article] = {}
    misses: list[ArticleSource] = []
    article_keys: dict[str, bytes] = {}
    for source in sources:
        hit = None
        if cache is not None:
            keys = (
                content_key(cache.code, source.shown, source.data, source.memory),
                gazetteer_key(cache.code, gazetteer_bytes, source.events),
            )
            hit = cache.load(source.slug, *keys)
        if hit is not None and hit.before_gazetteer.meta.campaign not in (None, *campaign_ids):
            hit = None  # the campaign left site_config.yml: parse again to report it
        if hit is not None and engine is not None and _needs_engine(hit.before_gazetteer, engine):
            # A model is installed now, or another one: translate what was left pending
            # and what another engine or model translated.
            hit = None
        if hit is None:
            misses.append(source)
        elif hit.article is None:
            to_relink[source.slug] = hit.before_gazetteer
        else:
            finished[source.slug] = hit.article
            article_keys[source.slug] = keys[0] + keys[1]
    if timings is not None and cache is not None:
        timings["cache"] = time.perf_counter() - started

    started = time.perf_counter()
    parsed = parse_sources(config, misses)
    memories = load_source_memories(config, misses)
    event_memories = load_event_memories(config, [*misses, *(s for s in sources if s.slug in to_relink)])
    warn_orphan_memories(config, {s.slug for s in sources})
    if timings is not None:
        timings["read"] += time.perf_counter() - started

    pipeline = default_pipeline(memories, engine, gazetteer, event_memories)
    before_stages, gazetteer_stages = pipeline.split_at(FIRST_GAZETTEER_STAGE)
    fresh: list[tuple[ArticleSource, Article, Article]] = []
    by_slug = {s.slug: s for s in sources}
    for slug, article in [*((s.slug, before_stages(parsed[s.slug])) for s in misses), *to_relink.items()]:
        finished[slug] = gazetteer_stages(article)
        fresh.append((by_slug[slug], article, finished[slug]))
    if timings is not None:
        timings.update(pipeline.seconds)

    articles = [finished[s.slug] for s in sources]
    started = time.perf_counter()
    corpus = Corpus.build(config, articles, MemoriesBefore(memories, finished), gazetteer)
    if timings is not None:
        timings["corpus"] = time.perf_counter() - started
    # An entry typed by hand that fits no unit of its article stops the build before it
    # writes anything (its translator's work would be dropped); a draft only warns.
    typed_problems: list[Problem] = []
    for slug, memory in memories.items():
        typed_problems += typed_entry_problems(finished[slug], memory)
        for message in draft_warnings(memory):
            log.warning(message)
    if typed_problems:
        raise BriefgenError(typed_problems)
    # An editor's entry naming what does not exist stops the build before it writes anything;
    # one whose sentence is gone only warns (the article changed, the entry is kept).
    from briefgen.commands.check import event_memory_problems

    if problems := event_memory_problems(corpus, set(event_memories), check_keys=False):
        raise BriefgenError(problems)
    return LoadedCorpus(
        corpus,
        reprocessed=[s.slug for s in misses],
        relinked=list(to_relink),
        cached=len(sources) - len(misses) - len(to_relink),
        gazetteer_bytes=gazetteer_bytes,
        fresh=fresh,
        sources=sources,
        article_keys=article_keys,
    )


class MemoriesBefore(Mapping[str, ArticleMemory]):
    """The translation memories as they were before the build: those read from disk, and
    for a cached article its own memory, which its cache key says is what is on disk
    (derived only when asked for: most builds never ask)."""

    def __init__(self, read: Mapping[str, ArticleMemory], articles: Mapping[str, Article]) -> None:
        self.read = read
        self.articles = articles

    def __getitem__(self, slug: str) -> ArticleMemory:
        if slug in self.read:
            return self.read[slug]
        return memory_of(self.articles[slug])

    def __iter__(self) -> Iterator[str]:
        return iter(self.articles)

    def __len__(self) -> int:
        return len(self.articles)


def _needs_engine(article: Article, engine: TranslationEngine) -> bool:
    """Whether the engine has work in a cached article: a unit with no English, or machine
    English from another engine or model. A translator's draft is theirs to finish."""
    translation = article.translation
    return translation is not None and any(
        is_stale(unit, engine) and unit.draft is None for unit in translation.units
    )


def load_corpus(
    config: SiteConfig,
    timings: dict[str, float] | None = None,
    engine: TranslationEngine | Literal["installed"] | None = "installed",
    cache: ArticleCache | None = None,
) -> Corpus:
    """Read every article and its translation memory, run the pipeline, assemble the corpus."""
    return process_corpus(config, timings, engine, cache).corpus


def save_memories(articles: Iterable[Article], config: SiteConfig) -> dict[str, bytes]:
    """Write back the articles' translation memories where they changed; returns each one's
    content, which is what its file now holds."""
    contents: dict[str, bytes] = {}
    for article in articles:
        path = memory_path(config.translations_dir, article.slug)
        before = read_optional(path, config.root)
        # The file as it was, so that the comments an editor wrote in it are kept.
        shown = shown_path(config, path)
        content = dump_memory(
            memory_of(article), before.decode("utf-8", "replace") if before else None, shown
        )
        with reporting_os_errors(config.root):
            write_if_changed(path, content, before)
        contents[article.slug] = content.encode("utf-8")
    return contents


def event_campaigns(corpus: Corpus) -> dict[str, tuple[tuple[tuple[int, int], str | None], ...]]:
    """Each article's machine events' campaigns in the chronology, by (sentence, place of the
    event in its sentence)."""
    found: dict[str, dict[tuple[int, int], str | None]] = {}
    for entry in corpus.chronology.entries:
        for report in entry.reports:
            at = (report.event.sentence, report.event.in_sentence)
            found.setdefault(report.article.slug, {})[at] = entry.campaign
    return {slug: tuple(sorted(by_sentence.items())) for slug, by_sentence in found.items()}


def save_event_memories(
    corpus: Corpus, sources: Iterable[ArticleSource], fresh: Collection[str] = ()
) -> dict[str, bytes]:
    """Write every article's event memory where it changed: machine entries refreshed (their
    campaign the chronology's), reviewed ones as the editor left them; returns each one's
    content, which is what its file now holds. An article taken from the cache (not in
    `fresh`) whose campaigns are those its file was written with has that file still."""
    config = corpus.config
    campaigns = event_campaigns(corpus)
    by_slug = {s.slug: s for s in sources}
    contents: dict[str, bytes] = {}
    for article in corpus.articles:
        source = by_slug[article.slug]
        path = source.events_path or event_memory_path(config.events_dir, article.slug)
        before = source.events
        mine = campaigns.get(article.slug, ())
        if article.slug not in fresh and before is not None and article.event_campaigns == mine:
            contents[article.slug] = before
            continue
        content = dump_event_memory(
            article,
            article.machine_events,
            article.event_memory,
            dict(mine),
            before.decode("utf-8", "replace") if before else None,
            shown_path(config, path),
        )
        if not article.machine_events and before is None and article.event_memory is None:
            continue  # no event, no file: nothing for an editor to review
        with reporting_os_errors(config.root):
            write_if_changed(path, content, before)
        contents[article.slug] = content.encode("utf-8")
    return contents


def store_in_cache(
    cache: ArticleCache,
    loaded: LoadedCorpus,
    memories: dict[str, bytes],
    event_memories: dict[str, bytes] | None = None,
) -> None:
    """Cache every article processed this build, keyed by its memory as saved; drop the
    entries of articles that are gone. The keys are also the articles' `article_keys`: what
    the next build will find them by, so the docs pages this build renders for them are
    keyed already."""
    root = loaded.corpus.config.root
    for source, before_gazetteer, article in loaded.fresh:
        memory = memories.get(source.slug, source.memory)
        events = (event_memories or {}).get(source.slug, source.events)
        keys = (
            content_key(cache.code, source.shown, source.data, memory),
            gazetteer_key(cache.code, loaded.gazetteer_bytes, events),
        )
        with reporting_os_errors(root):
            cache.store(*keys, before_gazetteer, article)
        loaded.article_keys[source.slug] = keys[0] + keys[1]
    with reporting_os_errors(root):
        cache.prune(a.slug for a in loaded.corpus.articles)


def load_incremental(
    config: SiteConfig,
    cache: ArticleCache,
    timings: dict[str, float] | None = None,
    engine: TranslationEngine | Literal["installed"] | None = "installed",
) -> LoadedCorpus:
    """The build's first half: the corpus, processing only what the cache cannot answer
    for; then the reprocessed articles' translation memories are saved and every processed
    article is cached."""
    loaded = process_corpus(config, timings, engine, cache)
    reprocessed = set(loaded.reprocessed)
    # The memory is the editors' work and the engine's: keep it even if the site fails.
    # Only articles that were translated again can have changed theirs.
    memories = save_memories((a for a in loaded.corpus.articles if a.slug in reprocessed), config)
    fresh = {source.slug for source, _before, _article in loaded.fresh}
    event_memories = save_event_memories(loaded.corpus, loaded.sources, fresh)
    # Cached with the campaigns its event memory was written with (see save_event_memories).
    campaigns = event_campaigns(loaded.corpus)
    loaded.fresh = [
        (source, before, dataclasses.replace(article, event_campaigns=campaigns.get(source.slug, ())))
        for source, before, article in loaded.fresh
    ]
    started = time.perf_counter()
    store_in_cache(cache, loaded, memories, event_memories)
    if timings is not None:
        timings["cache"] = timings.get("cache", 0.0) + time.perf_counter() - started
    return loaded


def missing_model_message(config: SiteConfig) -> str:
    """What to install so that the configured engine can translate."""
    settings = config.translation
    if settings.engine == "ct2":
        which = (
            f"the CTranslate2 model {settings.model!r} is" if settings.model else "no CTranslate2 model is"
        )
        return (
            f"{which} not installed (site_config.yml: translation: engine: ct2). Install one with "
            "`briefgen models install --ct2 DIR` and rebuild (docs/translation.md says how to convert one)."
        )
    which = f"the Argos package {settings.model!r} is not" if settings.model else "no Argos ar→en model is"
    return (
        f"{which} installed. Install one with `briefgen models install` "
        "(or `briefgen models install --file PATH.argosmodel` offline) and rebuild."
    )


def translation_warnings(corpus: Corpus, config: SiteConfig) -> list[str]:
    pending = [a for a in corpus.articles if a.translation and a.translation.pending_count]
    if not pending:
        return []
    count = sum(a.translation.pending_count for a in pending if a.translation)
    return [
        f"{count} sentence(s) in {len(pending)} article(s) are not translated yet "
        f"({', '.join(a.slug for a in pending[:5])}{', …' if len(pending) > 5 else ''}): "
        "their translation memory entries are `origin: pending`. A translator fills their `en` "
        "and sets `origin: reviewed`; or: " + missing_model_message(config)
    ]


def run_mkdocs(config_file: Path, strict: bool, stamp: dt.datetime) -> float:
    """Run mkdocs on `config_file`; returns the seconds briefgen's plugin spent on the search
    indexes (Pagefind), which the build reports as a stage of its own."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config as mkdocs_load_config
    from mkdocs.exceptions import MkDocsException

    # mkdocs dates the sitemap and the gzip header from SOURCE_DATE_EPOCH, else from today.
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp.timestamp()))
    try:
        mk_config = mkdocs_load_config(config_file=str(config_file), strict=strict)
        mk_config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(mk_config)
        finally:
            mk_config.plugins.on_shutdown()
        return float(getattr(mk_config.plugins.get("briefgen"), "search_seconds", 0.0))
    except MkDocsException as exc:
        raise BriefgenError(Problem(f"mkdocs failed: {exc}", path=config_file)) from None
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def build_stamp(corpus: Corpus) -> dt.datetime:
    """The one timestamp a build writes (sitemap `<lastmod>`, the sitemap.xml.gz header,
    the feeds' `<updated>`), so that the same content always builds the same bytes:
    SOURCE_DATE_EPOCH if set (the reproducible-builds convention), else midnight UTC of
    the newest article's publication date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise BriefgenError(
                Problem(
                    f"SOURCE_DATE_EPOCH is {epoch!r}, not a time in seconds since 1970",
                    hint="set it to a whole number of seconds, e.g. $(git log -1 --format=%ct), or unset it",
                )
            ) from None
    newest = max((a.meta.published for a in corpus.articles), default=dt.date(1970, 1, 1))
    return dt.datetime.combine(newest, dt.time(), dt.UTC)


def article_cache(config: SiteConfig) -> ArticleCache:
    return ArticleCache(config.cache_dir / "cache" / "articles")


def build(
    config_path: Path | str = "site_config.yml",
    out: Path | str | None = None,
    strict: bool = False,
    clean: bool = False,
    force: bool = False,
    on_wait: Callable[[str], None] = log.warning,
) -> BuildResult:
    """Build the site. On any failure the previous output directory is left untouched.

    Articles the cache has seen unchanged are not processed again; `clean` empties the
    cache first, so that every article is. One build of a project runs at a time: another
    waits for it, saying so through `on_wait`. `force` lets the build replace an existing
    folder that briefgen did not build (see `briefgen.publish`)."""
    config = load_config(config_path)
    site_dir = checked_output_dir(config, out)
    timings: dict[str, float] = {}
    # Attached before anything is read: the orphan-memory, draft and event-memory warnings
    # come long before mkdocs runs.
    with (
        collecting_warnings() as collector,
        publishing(config, site_dir, output_setting(config, out), force, on_wait) as publisher,
    ):
        return _build(config, publisher, strict, clean, timings, collector)


def _build(
    config: SiteConfig,
    publisher: Publisher,
    strict: bool,
    clean: bool,
    timings: dict[str, float],
    collector: _WarningCollector,
) -> BuildResult:
    from briefgen import last_build

    cache = article_cache(config)
    if clean:
        cache.clear()
        # Every page rendered again, as in a first build.
        for state in (
            "docs-state.json",
            "cache/pages.json",
            "cache/partials-en.pickle",
            "cache/partials-ar.pickle",
        ):
            (config.cache_dir / state).unlink(missing_ok=True)
        for memo in (config.cache_dir / "cache").glob("search-*.json"):  # pagefind_index.SearchMemo
            memo.unlink()
        last_build.forget(config)
    started = time.perf_counter()
    engine = installed_engine(config)
    engine_id = None if engine is None else f"{engine.engine_name} {engine.model_label}"
    inputs = last_build.inputs_fingerprint(config, publisher.site_dir, strict, engine_id)
    previous = last_build.load(config)
    if (
        previous is not None
        and previous.inputs == inputs
        and not (strict and previous.warnings)
        and previous.site == last_build.site_fingerprint(publisher.site_dir)
    ):
        return _unchanged(publisher, previous, timings, started)
    # The record stays until this build publishes: a failed build leaves the site it
    # describes in place, and whatever it wrote into the content changes the inputs' hash.
    warning_log = last_build.WarningLog()
    log.addHandler(warning_log)
    try:
        result = _build_changed(config, publisher, strict, cache, engine, timings, collector)
    finally:
        log.removeHandler(warning_log)
    started = time.perf_counter()
    # After the build: it may have written translation and event memories, which are inputs.
    last_build.save(
        config,
        last_build.LastBuild(
            inputs=last_build.inputs_fingerprint(config, publisher.site_dir, strict, engine_id),
            site=last_build.site_fingerprint(publisher.site_dir),
            articles=result.articles,
            pages=result.pages,
            stamp=(result.stamp or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)).isoformat(),
            warnings=list(result.warnings),
            logged=warning_log.messages,
        ),
    )
    timings["record"] = time.perf_counter() - started
    return result


def _unchanged(publisher: Publisher, previous: Any, timings: dict[str, float], started: float) -> BuildResult:
    """Nothing changed since the last build, whose site is still in place: say what it said."""
    for message in previous.logged:
        log.warning(message)
    for message in previous.warnings:
        if message not in previous.logged:  # mkdocs' own, which it logged itself
            logging.getLogger("mkdocs").warning(message)
    log.info("nothing changed since the last build: %s is up to date", publisher.site_dir)
    timings["unchanged"] = time.perf_counter() - started
    return BuildResult(
        site_dir=publisher.site_dir,
        articles=previous.articles,
        pages=previous.pages,
        cached=previous.articles,
        stamp=dt.datetime.fromisoformat(previous.stamp),
        stage_seconds=timings,
        warnings=list(previous.warnings),
    )


def _build_changed(
    config: SiteConfig,
    publisher: Publisher,
    strict: bool,
    cache: ArticleCache,
    engine: TranslationEngine | None,
    timings: dict[str, float],
    collector: _WarningCollector,
) -> BuildResult:
    loaded = load_incremental(config, cache, timings, engine)
    corpus = loaded.corpus
    reprocessed = set(loaded.reprocessed)
    warnings = translation_warnings(corpus, config)
    if config.search.full_text_articles is not None:
        warnings.append(FULL_TEXT_DEPRECATED)
    for message in warnings:
        log.warning(message)
    stamp = build_stamp(corpus)
    # The corpus is millions of long-lived objects: every collection mkdocs' allocations
    # trigger would walk them all again. Park them outside the collector for the rest.
    gc.collect()
    gc.freeze()
    try:
        return _render_and_publish(
            config, corpus, loaded, reprocessed, collector, stamp, publisher, strict, timings
        )
    finally:
        gc.unfreeze()


# Below this many articles the exports take under a second: not worth a second process.
EXPORTS_FORK_MIN_ARTICLES = 1000


def _exports_beside_mkdocs(
    corpus: Corpus, folder: Path, stamp: dt.datetime
) -> Callable[[], Callable[[Path], None]] | None:
    """On a large site, write the exports in a forked process (which shares the corpus
    without pickling it) while mkdocs runs in this one: they need nothing mkdocs makes, and
    take seconds at 5,000 articles. They go into `folder`, not the site: mkdocs empties its
    output folder when it starts. Returns the function that waits for the child, raising
    its problems, and gives the function that moves its files into the site; None where
    nothing forks (then the caller writes the exports itself)."""
    from briefgen.site.exports import write_exports
    from briefgen.site.render import LANGUAGES, _die_with_parent, _fork_context

    fork = _fork_context() if len(corpus.articles) >= EXPORTS_FORK_MIN_ARTICLES else None
    if fork is None:
        return None
    shutil.rmtree(folder, ignore_errors=True)
    for lang in LANGUAGES[1:]:  # the site's language folders, which mkdocs makes in the site
        (folder / lang).mkdir(parents=True)
    parent = os.getpid()
    receive, send = fork.Pipe(duplex=False)

    def child() -> None:
        _die_with_parent(parent)
        try:
            write_exports(corpus, folder, updated=stamp)
            send.send([])
        except BriefgenError as exc:
            send.send(exc.problems)
        except BaseException as exc:
            send.send([Problem(f"writing the exports failed: {exc!r}")])
        finally:
            send.close()

    process = fork.Process(target=child)  # type: ignore[attr-defined]
    process.start()
    send.close()

    def wait() -> Callable[[Path], None]:
        try:
            problems = receive.recv()
        except EOFError:
            problems = [Problem("writing the exports stopped unexpectedly")]
        finally:
            process.join()
            receive.close()
        if problems:
            raise BriefgenError(problems)

        def move_into(site: Path) -> None:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                target = site / path.relative_to(folder)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
            shutil.rmtree(folder, ignore_errors=True)

        return move_into

    return wait


def page_cache_options(config: SiteConfig, site_dir: Path) -> dict[str, str]:
    """briefgen's mkdocs page cache: pages unchanged since the last build are taken from
    the site it published (see briefgen.site.page_cache)."""
    return {
        "page_cache": str(config.cache_dir / "cache" / "pages.json"),
        "previous_site": str(site_dir),
        "docs_state": str(config.cache_dir / "docs-state.json"),
    }


def _render_and_publish(
    config: SiteConfig,
    corpus: Corpus,
    loaded: LoadedCorpus,
    reprocessed: set[str],
    collector: _WarningCollector,
    stamp: dt.datetime,
    publisher: Publisher,
    strict: bool,
    timings: dict[str, float],
) -> BuildResult:
    from briefgen.site.exports import write_exports
    from briefgen.site.mkdocs_config import mkdocs_config
    from briefgen.site.render import render_docs

    work = config.cache_dir
    docs_dir = work / "docs"
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    pages = render_docs(
        corpus, docs_dir, state_file=work / "docs-state.json", article_keys=loaded.article_keys
    )
    timings["render"] = time.perf_counter() - started

    staging = publisher.staging()
    try:
        mkdocs_yml = work / "mkdocs.yml"
        mkdocs_yml.write_text(
            yaml.safe_dump(
                mkdocs_config(config, docs_dir, staging, page_cache_options(config, publisher.site_dir)),
                allow_unicode=True,
                sort_keys=False,
            ),
            encoding="utf-8",
        )
        started = time.perf_counter()
        exports = _exports_beside_mkdocs(corpus, work / "exports", stamp)
        try:
            search_seconds = run_mkdocs(mkdocs_yml, strict=strict, stamp=stamp)
        except BaseException:
            if exports is not None:  # no child may go on writing; mkdocs' problem is the one
                with contextlib.suppress(BriefgenError):
                    exports()
            raise
        finish_exports = exports() if exports is not None else None
        timings["mkdocs"] = time.perf_counter() - started - search_seconds
        timings["search"] = search_seconds
        started = time.perf_counter()
        if finish_exports is None:
            write_exports(corpus, staging, updated=stamp)
        else:
            finish_exports(staging)
        timings["exports"] = time.perf_counter() - started
        warnings = list(collector.messages)
        if strict and warnings:
            raise BriefgenError([Problem(f"warning treated as error (--strict): {m}") for m in warnings])
        started = time.perf_counter()
        publisher.publish(staging)
        timings["publish"] = time.perf_counter() - started
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # a no-op once published: it is the site now
        raise
    return BuildResult(
        site_dir=publisher.site_dir,
        replaced_foreign=publisher.replaced_foreign,
        articles=len(corpus.articles),
        pages=len(pages) * 2,
        # Only the reprocessed articles can have been translated in this build.
        translated=dataclasses.replace(
            corpus, articles=tuple(a for a in corpus.articles if a.slug in reprocessed)
        ).newly_translated(),
        reprocessed=loaded.reprocessed,
        relinked=loaded.relinked,
        cached=loaded.cached,
        stamp=stamp,
        stage_seconds=timings,
        warnings=warnings,
    )
