"""`briefgen eval-translation`: score the installed model against the reviewed translations (chrF)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefgen.config import load_config
from briefgen.errors import BriefgenError, Problem


@dataclass(frozen=True)
class ArticleScore:
    slug: str
    sentences: int
    chrf: float


@dataclass(frozen=True)
class TranslationEvaluation:
    model: str
    sentences: int
    chrf: float
    articles: tuple[ArticleScore, ...]


def eval_translation(config_path: Path | str = "site_config.yml") -> TranslationEvaluation:
    """Translate every reviewed sentence afresh with the installed model and score it with chrF."""
    import sacrebleu

    from briefgen.commands.build import installed_engine, load_corpus, missing_model_message

    config = load_config(config_path)
    engine = installed_engine(config)
    if engine is None:
        message, _, hint = missing_model_message(config).partition(". ")
        raise BriefgenError(Problem(message, hint=hint.rstrip(".")))
    corpus = load_corpus(config, engine=None)
    per_article: list[ArticleScore] = []
    all_hypotheses: list[str] = []
    all_references: list[str] = []
    for article in corpus.articles:
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
    return TranslationEvaluation(engine.model_label, len(all_references), overall, tuple(per_article))
