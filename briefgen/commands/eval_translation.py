"""`briefgen eval-translation`: how good the machine English is, against what editors made of it.

Two measures. With a model installed: every reviewed unit translated afresh and scored with chrF
against the editor's English. And per model that ever translated units an editor later reviewed,
read off the memories' git history (briefgen/memory/history.py): how many of them the editors
changed (the edit rate) and the chrF of the machine English against the reviewed English. The
second needs no model installed: it measures the models a newsroom actually used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefgen.config import load_config
from briefgen.errors import BriefgenError, Problem
from briefgen.memory.history import PostEdit
from briefgen.structure.article import Article


@dataclass(frozen=True)
class ArticleScore:
    slug: str
    sentences: int
    chrf: float


@dataclass(frozen=True)
class ModelPostEdits:
    """What editors did with one model's English."""

    model: str
    reviewed: int  # machine units an editor has since reviewed
    changed: int  # of those, how many the editor changed
    chrf: float  # the machine English against the reviewed English

    @property
    def edit_rate(self) -> float:
        return self.changed / self.reviewed if self.reviewed else 0.0


@dataclass(frozen=True)
class TranslationEvaluation:
    model: str | None  # None: no model installed, no fresh scores
    sentences: int
    chrf: float
    articles: tuple[ArticleScore, ...]
    post_edits: tuple[ModelPostEdits, ...] = ()
    history_note: str | None = None  # why there are no post-editing figures, if there are none
    missing_model: str | None = None  # what to install for fresh scores


def post_editing(
    corpus_articles: Sequence[Article], translations_dir: Path
) -> tuple[tuple[ModelPostEdits, ...], str | None]:
    """Per model, the reviewed units it had translated first; or why that cannot be told."""
    import sacrebleu

    from briefgen.memory.history import post_edits

    reviewed = {
        article.slug: [(u.key, u.en) for u in article.translation.units if u.origin == "reviewed" and u.en]
        for article in corpus_articles
        if article.translation is not None
    }
    try:
        edits = post_edits(translations_dir, reviewed)
    except BriefgenError as error:
        return (), error.problems[0].message
    if not edits:
        return (), "no reviewed entry was a machine entry in the memories' history"
    by_model: dict[str, list[PostEdit]] = {}
    for edit in edits:
        by_model.setdefault(edit.model, []).append(edit)
    return (
        tuple(
            ModelPostEdits(
                model,
                len(group),
                sum(e.changed for e in group),
                sacrebleu.corpus_chrf([e.machine_en for e in group], [[e.reviewed_en for e in group]]).score,
            )
            for model, group in sorted(by_model.items())
        ),
        None,
    )


def eval_translation(config_path: Path | str = "site_config.yml") -> TranslationEvaluation:
    """Translate every reviewed unit afresh with the installed model and score it with chrF; and
    measure, from the memories' history, what editors changed of each model's English."""
    import sacrebleu

    from briefgen.commands.build import installed_engine, load_corpus, missing_model_message

    config = load_config(config_path)
    corpus = load_corpus(config, engine=None)
    articles = list(corpus.articles)
    post_edits, history_note = post_editing(articles, config.translations_dir)
    engine = installed_engine(config)
    if engine is None:
        message, _, hint = missing_model_message(config).partition(". ")
        if not post_edits:
            raise BriefgenError(Problem(message, hint=hint.rstrip(".")))
        return TranslationEvaluation(None, 0, 0.0, (), post_edits, history_note, message)
    per_article: list[ArticleScore] = []
    all_hypotheses: list[str] = []
    all_references: list[str] = []
    for article in articles:
        assert article.translation is not None
        reviewed = [u for u in article.translation.units if u.origin == "reviewed" and u.en]
        if not reviewed:
            continue
        hypotheses = engine.translate([u.ar for u in reviewed])
        references = [u.en or "" for u in reviewed]
        score = sacrebleu.corpus_chrf(hypotheses, [references]).score
        per_article.append(ArticleScore(article.slug, len(reviewed), score))
        all_hypotheses += hypotheses
        all_references += references
    if not all_references:
        raise BriefgenError(
            Problem("no reviewed translations to compare against", hint="mark entries `origin: reviewed`")
        )
    overall = sacrebleu.corpus_chrf(all_hypotheses, [all_references]).score
    return TranslationEvaluation(
        engine.model_label, len(all_references), overall, tuple(per_article), post_edits, history_note
    )
