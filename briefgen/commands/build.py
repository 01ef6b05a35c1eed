"""`briefgen build`: content → pipeline → corpus → docs tree → mkdocs → site/."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from briefgen.config import SiteConfig, load_config
from briefgen.errors import BriefgenError, Problem
from briefgen.memory import memory_path, save_memory
from briefgen.pipeline import default_pipeline
from briefgen.pipeline.translate import TranslationEngine, memory_of
from briefgen.readers import read_articles, read_gazetteer, read_memories
from briefgen.structure.corpus import Corpus

log = logging.getLogger("briefgen")


@dataclass
class BuildResult:
    site_dir: Path
    articles: int
    pages: int
    translated: int = 0  # sentences, cross-heads and titles the engine translated this time
    stage_seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def installed_engine(config: SiteConfig) -> TranslationEngine | None:
    """The ar→en Argos engine if a model is installed; loading the model waits until it's needed."""
    from briefgen.engine import ArgosEngine
    from briefgen.models import find_model

    model = find_model("ar", "en")
    if model is None:
        return None
    return ArgosEngine(
        model, beam_size=config.translation.beam_size, batch_size=config.translation.batch_size
    )


def load_corpus(
    config: SiteConfig,
    timings: dict[str, float] | None = None,
    engine: TranslationEngine | Literal["installed"] | None = "installed",
) -> Corpus:
    """Read every article and its translation memory, run the pipeline, assemble the corpus."""
    started = time.perf_counter()
    articles = read_articles(config)
    memories = read_memories(config, [a.slug for a in articles])
    gazetteer = read_gazetteer(config)
    if engine == "installed":
        engine = installed_engine(config)
    pipeline = default_pipeline(memories, engine, gazetteer)
    if timings is not None:
        timings["read"] = time.perf_counter() - started
    processed = pipeline.run(articles)
    corpus = Corpus.build(config, processed, memories, gazetteer)
    if timings is not None:
        timings.update(pipeline.seconds)
    return corpus


def save_memories(corpus: Corpus) -> int:
    """Write back every article's translation memory that changed; returns how many files were written."""
    written = 0
    for article in corpus.articles:
        path = memory_path(corpus.config.translations_dir, article.slug)
        written += save_memory(path, memory_of(article))
    return written


def translation_warnings(corpus: Corpus) -> list[str]:
    pending = [a for a in corpus.articles if a.translation and a.translation.pending_count]
    if not pending:
        return []
    count = sum(a.translation.pending_count for a in pending if a.translation)
    return [
        f"{count} sentence(s) in {len(pending)} article(s) are not translated yet "
        f"({', '.join(a.slug for a in pending[:5])}{', …' if len(pending) > 5 else ''}): "
        "no Argos ar→en model is installed. Install one with `briefgen models install` "
        "(or `briefgen models install --file PATH.argosmodel` offline) and rebuild."
    ]


def run_mkdocs(config_file: Path, strict: bool) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config as mkdocs_load_config
    from mkdocs.exceptions import MkDocsException

    try:
        mk_config = mkdocs_load_config(config_file=str(config_file), strict=strict)
        mk_config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(mk_config)
        finally:
            mk_config.plugins.on_shutdown()
    except MkDocsException as exc:
        raise BriefgenError(Problem(f"mkdocs failed: {exc}", path=config_file)) from None


def replace_directory(new: Path, target: Path) -> None:
    """Put `new` where `target` is, so readers see the old site or the new one, never half of one."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)


def build(
    config_path: Path | str = "site_config.yml", out: Path | str | None = None, strict: bool = False
) -> BuildResult:
    """Build the site. On any failure the previous output directory is left untouched."""
    from briefgen.site.exports import write_exports
    from briefgen.site.mkdocs_config import mkdocs_config
    from briefgen.site.render import render_docs

    config = load_config(config_path)
    site_dir = Path(out).resolve() if out else config.output_dir
    timings: dict[str, float] = {}
    corpus = load_corpus(config, timings)
    # The memory is the editors' work and the engine's: keep it even if the site fails.
    save_memories(corpus)
    warnings = translation_warnings(corpus)
    for message in warnings:
        log.warning(message)

    work = config.cache_dir
    docs_dir = work / "docs"
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    pages = render_docs(corpus, docs_dir)
    timings["render"] = time.perf_counter() - started

    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.tmp-", dir=site_dir.parent))
    collector = _WarningCollector()
    mkdocs_logger = logging.getLogger("mkdocs")
    mkdocs_logger.addHandler(collector)
    try:
        mkdocs_yml = work / "mkdocs.yml"
        mkdocs_yml.write_text(
            yaml.safe_dump(mkdocs_config(config, docs_dir, staging), allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        started = time.perf_counter()
        run_mkdocs(mkdocs_yml, strict=strict)
        timings["mkdocs"] = time.perf_counter() - started
        write_exports(corpus, staging)
        warnings += collector.messages
        if strict and warnings:
            raise BriefgenError([Problem(f"warning treated as error (--strict): {m}") for m in warnings])
        replace_directory(staging, site_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        mkdocs_logger.removeHandler(collector)
    return BuildResult(
        site_dir=site_dir,
        articles=len(corpus.articles),
        pages=len(pages) * 2,
        translated=corpus.newly_translated(),
        stage_seconds=timings,
        warnings=warnings,
    )
