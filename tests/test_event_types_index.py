"""The event classifier's needle index finds exactly what running every lexicon regex finds.

`_find_hits` runs only the entries whose needles (the literal stems their regexes cannot
match without) occur in the sentence. Here the same sentences go through it twice, with
the index and with one that sends every sentence to every entry, as the classifier did
before it had one: the hits and the classifications must be the same.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from briefgen import event_types
from briefgen.arabic import normalize
from briefgen.event_types import ENTRIES, _find_hits, _Hit, _Sentence, classify_event
from briefgen.pipeline.split import segment

ARTICLES = Path(__file__).parents[1] / "content" / "articles"
PREFIXES = ("", "و", "ف", "ب", "ال", "وال", "بال", "لل", "س", "ي", "ت", "ن")
SUFFIXES = ("", "ت", "وا", "ه", "ها", "هم", "ات", "ين", "ون", "ا", "تها")
FILLER = ("القوات", "على", "في", "مدينة", "بنغازي", "أمس", "لم", "سوف", "منذ", "12", "قتيلا", "إلى", "،", ".")


def entry_forms(entry: event_types._Entry) -> list[str]:
    """Each entry's words, whole and inflected, so that every entry has something to match."""
    words = [w if w != "…" else "مدفعي" for w in entry.text.split()]
    stems = [words[0], *(n for n in entry.needles if n != words[0])]
    affixes = (
        [(p, "") for p in PREFIXES]
        + [("", s) for s in SUFFIXES]
        + list(zip(PREFIXES, SUFFIXES[::-1], strict=False))
    )
    return [" ".join([p + stem + s, *words[1:]]) for stem in stems for p, s in affixes]


def sentences() -> list[str]:
    seeds = [
        seg.text
        for path in sorted(ARTICLES.glob("*.md"))
        for seg in segment(path.read_text(encoding="utf-8").partition("\n---\n")[2])
        if seg.kind == "sentence"
    ]
    forms = [form for entry in ENTRIES for form in entry_forms(entry)]
    words = [w for s in seeds for w in s.split()]
    rng = random.Random(7)
    # Words of every kind side by side, so that phrases overlap and contain each other.
    mixed = [
        " ".join(rng.choice(rng.choice((forms, words, FILLER))) for _ in range(rng.randint(3, 20)))
        for _ in range(1500)
    ]
    return seeds + forms + mixed


def all_hits(texts: list[str]) -> list[list[_Hit]]:
    return [_find_hits(_Sentence(text), text) for text in texts]


def test_the_needle_index_finds_what_every_entry_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = sentences()
    texts = [normalize(s) for s in raw]
    indexed_hits = all_hits(texts)
    indexed_classes = [classify_event(s) for s in raw]

    # "" is in every sentence: every entry runs on every sentence.
    monkeypatch.setattr(event_types, "_ENTRIES_BY_NEEDLE", {"": tuple(range(len(ENTRIES)))})
    scanned_hits = all_hits(texts)
    assert indexed_hits == scanned_hits
    assert indexed_classes == [classify_event(s) for s in raw]

    # Every entry matched somewhere, so every needle was put to the test.
    matched = {id(hit.entry) for hits in scanned_hits for hit in hits}
    assert [e.text for e in ENTRIES if id(e) not in matched] == []
    assert sum(c is not None for c in indexed_classes) > 3000
