"""briefgen's Arabic-aware search keywords, which Pagefind indexes beside each page's text
(briefgen/site/pagefind_index.py).

A search engine matching words as written (or as a prefix) misses what Arabic spelling and
clitics vary: "حكومه" misses "حكومة" and "العمارات" misses "والعمارات". Each page therefore gets
keywords: the normalized form of every Arabic word and its readings without clitic prefixes,
the other spellings the archive uses for them (a reader who types "حكومة" also finds a text
that writes "حكومه"), plus the English names and spelling variants of the gazetteer entities it
mentions (Gwarsha finds Qawarsha; for Arabic pages, only each entity's main English name:
variants are for English readers). Names are never split: a word that is, or begins, a
gazetteer name keeps its stem whole (بنغازي never yields نغازي). The keywords are distinct
lowercase terms the page's text does not already have.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterable, Mapping, Set
from functools import lru_cache
from typing import Any

from briefgen.arabic import normalize
from briefgen.gazetteer import Gazetteer

KEYWORDS_FIELD = "keywords"
MIN_STEM = 3
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")
_MARKS = re.compile("[\u0640\u064b-\u065f\u0670]")
_ARABIC_WORD = re.compile("[\u0621-\u064a\u0660-\u0669\u066e-\u06d3\u0640\u064b-\u065f\u0670]+")


def name_words(gazetteer: Gazetteer) -> frozenset[str]:
    """Every normalized word of every Arabic name: these are never cut into stems."""
    return frozenset(
        word for e in gazetteer.entities for name in e.names_ar for word in normalize(name).split()
    )


# Light10's prefixes (Larkey et al.), plus ف: the conjunctions and anything ending in the
# article. A bare ب/ل/ك is too often part of the word (بحرية is not ب + حرية, كانت not ك + انت).
SEARCH_PREFIXES: tuple[str, ...] = tuple(
    sorted(
        {"و", "ف", "ال", "وال", "فال", "بال", "كال", "لل", "وبال", "فبال", "وكال", "ولل", "فلل"},
        key=lambda p: (-len(p), p),
    )
)


def search_readings(word: str) -> list[str]:
    """The normalized word and its readings without a conjunction and/or the article."""
    whole = normalize(word)
    readings = [whole]
    for prefix in SEARCH_PREFIXES:
        if whole.startswith(prefix) and len(whole) - len(prefix) >= MIN_STEM:
            stem = whole[len(prefix) :]
            readings.append(stem)
            if prefix.endswith(("ال", "لل")) and not stem.startswith("ال"):
                readings.append("ال" + stem)  # والعمارات → العمارات as well as عمارات
    return list(dict.fromkeys(readings))


def word_keywords(word: str, protected: frozenset[str]) -> list[str]:
    """The forms a reader may type for `word`: normalized, and without clitics unless that cuts a name."""
    return list(_word_keywords(word, protected))


# An index repeats its words endlessly: work each one out once.
@lru_cache(maxsize=1 << 17)
def _word_keywords(word: str, protected: frozenset[str]) -> tuple[str, ...]:
    candidates = search_readings(word)
    whole = candidates[0]
    if whole in protected:
        return (whole,)
    # A clitic on a name (وبنغازي): keep the name whole, drop readings that cut into it.
    named = [c for c in candidates[1:] if c in protected]
    if named:
        return (whole, *named)
    return tuple(candidates)


def search_terms(text: str, separator: re.Pattern[str]) -> list[str]:
    """The terms of `text`: markup left out, split on `separator`, lowercased."""
    return [term.lower() for term in separator.split(_TAG.sub(" ", text)) if term]


def text_readings(
    plain: str, gazetteer: Gazetteer, protected: frozenset[str], english_variants: bool
) -> list[list[Any]]:
    """[the (form, whether it is not the word as written) of each Arabic word, in order and
    without repeats; the English names of the entities named]."""
    pairs: dict[tuple[str, bool], None] = {}
    for word in _ARABIC_WORD.findall(plain):
        for form in _word_keywords(word, protected):
            pairs.setdefault((form, form != word), None)
    # English names (and their variants), for entities named in either language.
    mentioned = {m.entity_id for m in gazetteer.find_mentions(plain)} | {
        m.entity_id for m in gazetteer.find_mentions_en(plain)
    }
    names: list[str] = []
    for entity_id in sorted(mentioned):
        entity = gazetteer.get(entity_id)
        if entity is not None:
            names += entity.names_en if english_variants else (entity.en,)
    return [[list(pair) for pair in pairs], names]


def document_keywords(
    text: str,
    gazetteer: Gazetteer,
    protected: frozenset[str],
    separator: re.Pattern[str] = _SPACES,
    known: Set[str] = frozenset(),
    english_variants: bool = True,
    spellings: Mapping[str, Collection[str]] | None = None,
) -> str:
    """The searchable forms of `text` that neither it nor `known` (terms the page has elsewhere)
    has, as distinct lowercase terms: a term already there, or twice in the keywords, would only
    make the index bigger. `spellings` (see `archive_spellings`) adds each form's other spellings."""
    readings = text_readings(html.unescape(_TAG.sub(" ", text)), gazetteer, protected, english_variants)
    return readings_keywords(readings, text, separator, known, spellings)


def readings_keywords(
    readings: list[list[Any]],
    text: str,
    separator: re.Pattern[str] = _SPACES,
    known: Set[str] = frozenset(),
    spellings: Mapping[str, Collection[str]] | None = None,
) -> str:
    """`document_keywords` from the text's `text_readings`, which depend on the text and the
    gazetteer alone: a rebuild keeps them and applies the archive's spellings afresh."""
    pairs, names = readings
    seen: dict[str, None] = {}
    for form, not_as_written in pairs:
        if not_as_written:
            seen.setdefault(form, None)
        for spelling in (spellings or {}).get(form, ()):
            seen.setdefault(spelling, None)
    for name in names:
        seen.setdefault(name, None)
    indexed = known | set(search_terms(text, separator))
    terms = dict.fromkeys(term for form in seen for term in search_terms(form, separator))
    return " ".join(term for term in terms if term not in indexed)


def _spelling_pairs(text: str) -> list[list[str]]:
    """(reading, spelling) for each word of `text` written otherwise than normalized."""
    found: dict[tuple[str, str], None] = {}
    for word in set(_ARABIC_WORD.findall(text)):
        whole = normalize(word)
        # Letters only: nobody types the vowel marks or a tatweel into a search box. Then
        # normalizing changes letters one for one (أ→ا, ة→ه), so a reading without a
        # prefix ("حكومه" of "والحكومة") is the same stretch of the word as written.
        if word == whole or _MARKS.search(word) or len(word) != len(whole):
            continue
        for reading in search_readings(word):
            stem = (
                word[len(word) - len(reading) :]
                if whole.endswith(reading)
                else "ال" + word[len(word) - len(reading) + 2 :]
            )
            if stem != reading:
                found.setdefault((reading, stem), None)
    return [list(pair) for pair in found]


def spelling_pairs(text: str) -> list[list[str]]:
    """What `archive_spellings` takes from one text (title and text, HTML or plain)."""
    return _spelling_pairs(html.unescape(_TAG.sub(" ", text)))


def merge_spellings(pairs_per_text: Iterable[list[list[str]]]) -> dict[str, tuple[str, ...]]:
    """`archive_spellings` from each text's `spelling_pairs`."""
    forms: dict[str, set[str]] = {}
    for pairs in pairs_per_text:
        for reading, stem in pairs:
            forms.setdefault(reading, set()).add(stem)
    return {reading: tuple(sorted(words)) for reading, words in forms.items()}


def archive_spellings(texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Every spelling the archive's texts use for each normalized Arabic word, where there
    is more than the normalized one: {"احمد": ("أحمد",), "حكومه": ("حكومة",)}. The search
    matches a query as typed, so a reader who types the hamza or the ta marbuta must find the texts
    that leave it out, too; the archive's own spellings are the ones readers type."""
    return merge_spellings(spelling_pairs(text) for text in texts)
