"""`briefgen build`: content → pipeline → corpus → docs tree → mkdocs → site/."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from briefgen.config import SiteConfig, load_config
from briefgen.errors import BriefgenError, Problem
from briefgen.pipeline import default_pipeline
from briefgen.readers import read_articles
from briefgen.structure.corpus import Corpus

log = logging.getLogger("briefgen")


@dataclass
class BuildResult:
    site_dir: Path
    articles: int
    pages: int
    stage_seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def load_corpus(config: SiteConfig, timings: dict[str, float] | None = None) -> Corpus:
    """Read every article, run the pipeline on it, and assemble the corpus."""
    started = time.perf_counter()
    articles = read_articles(config)
    pipeline = default_pipeline()
    if timings is not None:
        timings["read"] = time.perf_counter() - started
    processed = pipeline.run(articles)
    corpus = Corpus.build(config, processed)
    if timings is not None:
        timings.update(pipeline.seconds)
    return corpus


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
        if strict and collector.messages:
            raise BriefgenError(
                [Problem(f"warning treated as error (--strict): {m}") for m in collector.messages]
            )
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
        stage_seconds=timings,
        warnings=collector.messages,
    )
