"""`briefgen check`: validate the configuration, every article and the templates; write nothing."""

from __future__ import annotations

import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from briefgen.config import load_config
from briefgen.errors import BriefgenError, Problem

if TYPE_CHECKING:
    from briefgen.structure.corpus import Corpus


@dataclass(frozen=True)
class CheckResult:
    articles: int
    sentences: int


def event_memory_problems(
    corpus: Corpus, only: Collection[str] | None = None, check_keys: bool = True
) -> list[Problem]:
    """The event memories' references checked against the corpus (see validate_event_memory):
    every article's, or those of the slugs in `only`."""
    from briefgen.event_types import EVENT_TYPE_LABELS
    from briefgen.memory.events import sentence_ids, validate_event_memory

    reports = {f"{a.slug}#{key}" for a in corpus.articles for key, _occurrence in sentence_ids(a)}
    # and each event, `/<N>` its place in its sentence (a second event: /2)
    reports |= {f"{a.slug}#{e.key}/{e.in_sentence + 1}" for a in corpus.articles for e in a.events if e.key}
    campaign_ids = [c.id for c in corpus.config.campaigns]
    known = corpus.gazetteer.by_id
    problems: list[Problem] = []
    for article in corpus.articles:
        if article.event_memory is not None and (only is None or article.slug in only):
            problems += validate_event_memory(
                article.event_memory,
                article,
                known,
                campaign_ids,
                list(EVENT_TYPE_LABELS),
                reports,
                check_keys,
            )
    return problems


def check(config_path: Path | str = "site_config.yml") -> CheckResult:
    from briefgen.commands.build import load_corpus
    from briefgen.publish import checked_output_dir
    from briefgen.publish.target import foreign_output_problem, output_setting
    from briefgen.site.render import SiteRenderer, render_docs, template_problem

    config = load_config(config_path)
    # What a build would refuse about the output folder, check refuses too.
    foreign = foreign_output_problem(checked_output_dir(config), output_setting(config, None))
    if foreign is not None:
        raise BriefgenError(foreign)
    # Validate the translation memories too, but translate nothing.
    corpus = load_corpus(config, engine=None)
    problems = event_memory_problems(corpus)
    renderer = SiteRenderer(config)
    for name in renderer.env.list_templates(extensions=["j2"]):
        try:
            renderer.env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(template_problem(exc, config.templates_dir, name))
    if problems:
        raise BriefgenError(problems)
    # A template can also fail on some content only (an undefined name in a branch): render
    # every page as the build would, outside the project.
    with tempfile.TemporaryDirectory(prefix="briefgen-check-") as scratch:
        render_docs(corpus, Path(scratch) / "docs")
    return CheckResult(
        articles=len(corpus.articles),
        sentences=sum(len(p.sentences) for a in corpus.articles for p in a.paragraphs),
    )
