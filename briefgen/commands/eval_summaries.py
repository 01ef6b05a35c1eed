"""`briefgen eval-summaries`: ROUGE of the summaries, and of Lead-3, against hand-written references.

ROUGE-N here is the F1 of overlapping word n-grams after Arabic normalization (no
stemming), averaged over the articles that have a reference.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefgen.arabic import normalize
from briefgen.errors import BriefgenError, Problem
from briefgen.pipeline.summarize import lead
from briefgen.yamlio import load_yaml, read_text_utf8

_WORD = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _WORD.findall(normalize(text))


def rouge_n(candidate: Sequence[str], reference: Sequence[str], n: int) -> float:
    def grams(words: Sequence[str]) -> Counter[tuple[str, ...]]:
        return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))

    cand, ref = grams(candidate), grams(reference)
    overlap = sum((cand & ref).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(cand.values()), overlap / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


@dataclass(frozen=True)
class SystemScore:
    rouge1: float
    rouge2: float
    sentence_f1: float  # overlap with the reference's ideal sentence choice


@dataclass(frozen=True)
class SummaryEvaluation:
    articles: int
    briefgen: SystemScore
    lead3: SystemScore


@dataclass(frozen=True)
class Reference:
    article: str
    sentences: tuple[int, ...]
    summary_ar: str


def load_references(path: Path) -> list[Reference]:
    located = load_yaml(read_text_utf8(path), path)
    if not isinstance(located.data, list):
        raise BriefgenError(Problem("expected a list of {article, sentences, summary_ar}", path=path, line=1))
    try:
        return [
            Reference(str(r["article"]), tuple(int(i) for i in r["sentences"]), str(r["summary_ar"]))
            for r in located.data
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise BriefgenError(Problem(f"malformed reference: {exc}", path=path)) from None


def _set_f1(chosen: Sequence[int], ideal: Sequence[int]) -> float:
    common = len(set(chosen) & set(ideal))
    return 2 * common / (len(set(chosen)) + len(set(ideal))) if common else 0.0


def evaluate(
    articles: dict[str, list[str]], summaries: dict[str, Sequence[int]], references: list[Reference]
) -> SummaryEvaluation:
    """`articles`: slug → sentences; `summaries`: slug → chosen indexes."""
    rows = {"briefgen": [], "lead3": []}  # type: dict[str, list[tuple[float, float, float]]]
    used = [r for r in references if r.article in articles]
    for reference in used:
        sentences = articles[reference.article]
        ref_tokens = tokens(reference.summary_ar)
        for name, chosen in (("briefgen", summaries[reference.article]), ("lead3", lead(sentences))):
            candidate = tokens(" ".join(sentences[i] for i in chosen))
            rows[name].append(
                (
                    rouge_n(candidate, ref_tokens, 1),
                    rouge_n(candidate, ref_tokens, 2),
                    _set_f1(chosen, reference.sentences),
                )
            )

    def mean(values: list[tuple[float, float, float]]) -> SystemScore:
        count = max(1, len(values))
        return SystemScore(*(sum(v[k] for v in values) / count for k in range(3)))

    return SummaryEvaluation(len(used), mean(rows["briefgen"]), mean(rows["lead3"]))


def eval_summaries(config_path: Path | str, references_path: Path | str) -> SummaryEvaluation:
    from briefgen.commands.build import load_corpus
    from briefgen.config import load_config

    corpus = load_corpus(load_config(config_path), engine=None)
    articles = {a.slug: [s.text for s in a.sentences] for a in corpus.articles}
    summaries = {a.slug: a.summary.sentences if a.summary else () for a in corpus.articles}
    return evaluate(articles, summaries, load_references(Path(references_path)))
