"""`briefgen check`: validate the configuration, every article and the templates; write nothing."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import jinja2

from briefgen.config import load_config
from briefgen.errors import BriefgenError


@dataclass(frozen=True)
class CheckResult:
    articles: int
    sentences: int


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
    renderer = SiteRenderer(config)
    problems = []
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
