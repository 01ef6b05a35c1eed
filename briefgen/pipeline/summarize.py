"""Stage 3, summarize: pick the two to four sentences that carry an article's gist.

Extractive: sentences are nodes of a graph weighted by the cosine similarity of their
TF-IDF vectors (normalized Arabic, clitics stripped, function words dropped), ranked by
PageRank whose random jumps favour early sentences. The prior matters: news puts the
gist in the lead, and plain TextRank drifts to background sentences that share many
words with everything. Sentences too similar to one already chosen are skipped, and
neither cross-heads nor sentences that are only a quotation fragment are candidates.
The English summary is the aligned translation of the chosen sentences.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from briefgen.arabic import normalize
from briefgen.pipeline.split import quote_spans
from briefgen.structure.article import Article, Summary

# Words that carry no topic: conjunctions, prepositions, pronouns, reporting verbs.
STOPWORDS = frozenset(
    normalize(w)
    for w in [
        "في",
        "من",
        "إلى",
        "الى",
        "على",
        "عن",
        "مع",
        "أن",
        "إن",
        "ان",
        "أو",
        "او",
        "ثم",
        "قد",
        "لقد",
        "كما",
        "حيث",
        "التي",
        "الذي",
        "الذين",
        "اللذين",
        "هذه",
        "هذا",
        "ذلك",
        "تلك",
        "هناك",
        "هنا",
        "هو",
        "هي",
        "هم",
        "كان",
        "كانت",
        "يكون",
        "تكون",
        "ما",
        "لا",
        "لم",
        "لن",
        "إلا",
        "الا",
        "بعد",
        "قبل",
        "خلال",
        "منذ",
        "حتى",
        "بين",
        "عند",
        "لدى",
        "كل",
        "بعض",
        "أي",
        "اي",
        "غير",
        "أيضا",
        "أيضاً",
        "وقد",
        "وفي",
        "ومن",
        "وعلى",
        "وأن",
        "وإن",
        "وكان",
        "وكانت",
        "قال",
        "وقال",
        "قالت",
        "وقالت",
        "أكد",
        "وأكد",
        "أضاف",
        "وأضاف",
        "أوضح",
        "وأوضح",
        "أشار",
        "مشيرا",
        "مضيفا",
        "مؤكدا",
        "وفق",
        "حسب",
        "بحسب",
        "له",
        "لها",
        "لهم",
        "به",
        "بها",
        "فيه",
        "فيها",
        "منه",
        "منها",
        "عليه",
        "عليها",
        "إليه",
        "إليها",
        "عنه",
        "عنها",
        "أنه",
        "أنها",
        "إنه",
        "إنها",
        "الآن",
        "اليوم",
        "أمس",
    ]
)
PRIOR_DECAY = 16.0  # sentences: the jump probability falls by e every PRIOR_DECAY sentences
# Half the rank comes from position: chosen on the five seeds (see README), so keep an eye on it.
DAMPING = 0.5
REDUNDANCY = 0.5  # cosine above which a candidate repeats a chosen sentence
MIN_WORDS = 6
MAX_QUOTED_SHARE = 0.6
# Only the first sentences are ranked: the graph is quadratic in its sentences (minutes for
# a 5 MB article), and the lead-biased jumps make later ones all but unreachable anyway.
MAX_RANKED_SENTENCES = 200

_WORD = re.compile(r"[^\W\d_]+")
_PREFIXES = ("وبال", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ف")


def terms(sentence: str) -> list[str]:
    words = []
    for word in _WORD.findall(normalize(sentence)):
        for prefix in _PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                word = word[len(prefix) :]
                break
        if word not in STOPWORDS and len(word) > 1:
            words.append(word)
    return words


def quoted_share(sentence: str) -> float:
    inside = sum(end - start for start, end in quote_spans(sentence))
    return inside / max(1, len(sentence))


def is_candidate(sentence: str) -> bool:
    """Whole statements only: not a stub, not mostly somebody else's quoted words."""
    return len(sentence.split()) >= MIN_WORDS and quoted_share(sentence) <= MAX_QUOTED_SHARE


def tfidf_vectors(sentences: Sequence[str]) -> list[dict[str, float]]:
    bags = [Counter(terms(s)) for s in sentences]
    document_frequency = Counter(term for bag in bags for term in bag)
    n = len(sentences)
    vectors = []
    for bag in bags:
        vector = {
            t: (1 + math.log(c)) * math.log((1 + n) / (1 + document_frequency[t])) for t, c in bag.items()
        }
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({t: v / norm for t, v in vector.items()})
    return vectors


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def ranked(sentences: Sequence[str], vectors: Sequence[dict[str, float]] | None = None) -> list[float]:
    """PageRank over the similarity graph, with jumps biased towards the lead.
    `vectors` are the sentences' `tfidf_vectors`, if the caller has them already."""
    n = len(sentences)
    if n == 0:
        return []
    if vectors is None:
        vectors = tfidf_vectors(sentences)
    weights = [[cosine(vectors[i], vectors[j]) if i != j else 0.0 for j in range(n)] for i in range(n)]
    out = [sum(row) for row in weights]
    prior = [math.exp(-i / PRIOR_DECAY) for i in range(n)]
    total = sum(prior)
    prior = [p / total for p in prior]
    # Only the non-zero links into each sentence: the same sums in the same order (adding 0.0
    # changes nothing), without walking the whole matrix 50 times.
    incoming = [
        [(i, weights[i][j], out[i]) for i in range(n) if out[i] > 0 and weights[i][j]] for j in range(n)
    ]
    dangling = [i for i in range(n) if out[i] == 0]
    scores = prior[:]
    for _ in range(50):
        # A sentence sharing nothing with the others passes its score through the prior.
        passed = sum(scores[i] for i in dangling)
        updated = [
            (1 - DAMPING) * prior[j]
            + DAMPING * sum(scores[i] * weight / out_i for i, weight, out_i in incoming[j])
            + DAMPING * prior[j] * passed
            for j in range(n)
        ]
        if max(abs(a - b) for a, b in zip(updated, scores, strict=True)) < 1e-9:
            scores = updated
            break
        scores = updated
    return scores


def summary_length(count: int) -> int:
    return 2 if count <= 8 else 3 if count <= 20 else 4


def choose_sentences(sentences: Sequence[str]) -> list[int]:
    """Indexes (in article order) of the 2–4 summary sentences."""
    if not sentences:
        return []
    vectors = tfidf_vectors(sentences)
    scores = ranked(sentences, vectors)
    wanted = min(summary_length(len(sentences)), len(sentences))
    candidates = [i for i, s in enumerate(sentences) if is_candidate(s)] or list(range(len(sentences)))
    chosen: list[int] = []
    for index in sorted(candidates, key=lambda i: (-scores[i], i)):
        if len(chosen) == wanted:
            break
        if all(cosine(vectors[index], vectors[c]) <= REDUNDANCY for c in chosen):
            chosen.append(index)
    return sorted(chosen)


def lead(sentences: Sequence[str], count: int = 3) -> list[int]:
    """The Lead-N baseline: the first sentences."""
    return list(range(min(count, len(sentences))))


def summarize(article: Article) -> Article:
    texts = [s.text for s in article.sentences][:MAX_RANKED_SENTENCES]
    return replace(article, summary=Summary(tuple(choose_sentences(texts))))
