"""Fuzzing (issue 7 §5): the normalizer, sentence splitter, date resolver and gazetteer
matcher never crash on any text, and keep their invariants:

- normalize: idempotent, NFC, nothing it folds survives, never longer than its input;
- segment/split: the segments rejoin to the text, every span points at its text, no
  sentence is longer than the bound;
- find_dates: every span points at its matched text, every range has start <= end, for
  any publication date at all;
- Gazetteer.find_mentions / find_mentions_en: every span points at its matched text, in
  text order, never overlapping, naming a real entity of the right category.

The strategies mix what Arabic news text is made of (letters, diacritics, tatweel, the
punctuation and quote marks of both scripts, Arabic-Indic and ASCII digits, month and
weekday words, gazetteer names, direction marks, CRLF) with arbitrary Unicode.
"""

from __future__ import annotations

import datetime
import os
import unicodedata
from functools import cache

from hypothesis import example, given, settings
from hypothesis import strategies as st

from briefgen.arabic import TATWEEL, normalize
from briefgen.dates import (
    MONTHS,
    QUALIFIERS,
    RELATIVE_DAYS,
    WEEKDAYS,
    DateMention,
    find_dates,
)
from briefgen.gazetteer import Gazetteer, Mention, load_gazetteer
from briefgen.pipeline.split import MAX_SENTENCE_CHARS, segment, split
from briefgen.structure.article import Article, FrontMatter, Paragraph
from tests.conftest import REPO

# A few seconds in the normal run; BRIEFGEN_FUZZ_EXAMPLES=5000 for a deep one.
FUZZ = settings(max_examples=int(os.environ.get("BRIEFGEN_FUZZ_EXAMPLES", "150")), deadline=None)

LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآٱةىؤئ"
DIACRITICS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0654\u0655\u0653"
PUNCTUATION = "«»\"“”'.؟?!،,؛;:…()-–/"
DIGITS = "٠١٢٣٤٥٦٧٨٩۰۱۲0123456789"
# LRM, RLM, ALM, embeddings and isolates: pasted text is full of them.
DIRECTION_MARKS = "\u200e\u200f\u061c\u202a\u202b\u202c\u2066\u2067\u2069"
SPACES = [" ", " ", " ", "\n", "\n\n", "\r\n", "\t", "\u00a0"]
LATIN = "aeiouHLNTzé\u0301"


@cache
def gazetteer() -> Gazetteer:
    return load_gazetteer(REPO / "content" / "gazetteer.yml")


@cache
def gazetteer_names() -> list[str]:
    names = {name for e in gazetteer().entities for name in (*e.names_ar, *e.names_en)}
    return sorted(names)


DATE_WORDS = sorted(
    {
        *MONTHS,
        *WEEKDAYS,
        *RELATIVE_DAYS,
        *QUALIFIERS,
        "يوم",
        "ليلة",
        "ليل",
        "منذ",
        "قبل",
        "عام",
        "العام",
        "الشهر",
        "الأسبوع",
        "أيام",
        "عامين",
        "مطلع",
        "أواخر",
        "نحو",
        "سوق",
    }
)
CLITICS = ["و", "ف", "ب", "ل", "ال", "وال", "بال", "لل"]

characters = st.sampled_from(
    list(LETTERS + DIACRITICS + TATWEEL + PUNCTUATION + DIGITS + DIRECTION_MARKS + LATIN) + SPACES
)
words = st.one_of(
    st.sampled_from(DATE_WORDS),
    st.sampled_from(gazetteer_names()),
    st.sampled_from(CLITICS),
    st.text(alphabet=LETTERS + DIACRITICS + TATWEEL, min_size=1, max_size=8),
    st.text(alphabet=DIGITS, min_size=1, max_size=4),
)
glue = st.sampled_from(["", " ", " ", " ", "\n", "\r\n", "، ", ". ", "\u200f", "ـ", "«", "»", "-"])
# Words joined by spaces, punctuation or nothing: text that looks like the articles.
arabic_text = st.lists(st.tuples(words, glue), max_size=40).map(
    lambda pairs: "".join(w + g for w, g in pairs)
)
# Anything at all, and a soup of the characters the code treats specially.
noise = st.one_of(st.text(max_size=200), st.lists(characters, max_size=200).map("".join))
texts = st.one_of(arabic_text, noise, st.tuples(arabic_text, noise, arabic_text).map("".join))


# --- normalize ------------------------------------------------------------------------------

# What `normalize` folds away: none of it may be left in its output.
FOLDED = set(DIACRITICS + TATWEEL + "أإآٱىة٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")


@FUZZ
@given(texts)
# A letter, a tatweel, then a combining mark the tatweel kept from composing (é): once the
# tatweel is gone the result must still be NFC, or a second pass changes it.
@example("e" + TATWEEL + "\u0301")
def test_normalize_is_idempotent_nfc_and_folds_everything(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert not FOLDED & set(once)
    assert len(once) <= len(unicodedata.normalize("NFC", text))


@FUZZ
@given(texts)
def test_normalizing_a_character_at_a_time_agrees_with_the_whole(text: str) -> None:
    # The date resolver and gazetteer fold one character (or cluster) at a time to map
    # spans back to the original: for NFC text that must agree with folding the whole.
    text = unicodedata.normalize("NFC", text)
    piecewise = "".join(normalize(ch) for ch in text)
    assert unicodedata.normalize("NFC", piecewise) == normalize(text)


# --- the sentence splitter --------------------------------------------------------------------


def check_segments(text: str, max_chars: int) -> None:
    segments = segment(text, max_chars=max_chars)
    cursor = 0
    paragraph = 0
    for seg in segments:
        assert text[seg.start : seg.end] == seg.text
        assert seg.text and seg.text == seg.text.strip()
        assert text[cursor : seg.start].strip() == "", "only whitespace lies between segments"
        assert seg.paragraph >= paragraph
        if seg.kind == "sentence":
            assert len(seg.text) <= max_chars
        cursor, paragraph = seg.end, seg.paragraph
    assert text[cursor:].strip() == ""


@FUZZ
@given(texts)
def test_segments_rejoin_to_the_text(text: str) -> None:
    check_segments(text, MAX_SENTENCE_CHARS)


@FUZZ
@given(texts, st.integers(min_value=2, max_value=60))
# Runs without any space or punctuation must still be cut, and never between a letter and
# its diacritics.
@example("ب\u064e" * 40, 7)
@example("«" + "كلمة " * 30 + "»", 20)
def test_no_sentence_is_longer_than_the_bound(text: str, max_chars: int) -> None:
    check_segments(text, max_chars)
    for seg in segment(text, max_chars=max_chars):
        before = text[seg.start - 1] if seg.start else " "
        if unicodedata.combining(seg.text[0]) and (before.isalpha() or unicodedata.combining(before)):
            # Cut between a letter and its marks: only when they alone exceed the bound.
            letter = seg.start - 1
            while letter > 0 and unicodedata.combining(text[letter]):
                letter -= 1
            marks_end = seg.start
            while marks_end < len(text) and unicodedata.combining(text[marks_end]):
                marks_end += 1
            assert marks_end - letter > max_chars, seg


def _article(body: str) -> Article:
    meta = FrontMatter(title="عنوان", source="Wire", published=datetime.date(2016, 11, 20))
    return Article(slug="fuzz", path=REPO / "fuzz.md", meta=meta, body=body, body_line=6)


@FUZZ
@given(texts)
def test_split_numbers_sentences_in_order_and_points_into_the_body(body: str) -> None:
    article = split(_article(body))
    sentences = [s for block in article.blocks if isinstance(block, Paragraph) for s in block.sentences]
    assert [s.index for s in sentences] == list(range(len(sentences)))
    for s in sentences:
        assert body[s.start : s.end] == s.text
    for block in article.blocks:
        if not isinstance(block, Paragraph):
            assert body[block.start : block.end] == block.text
            assert block.text and block.text == block.text.strip()


# --- dates -------------------------------------------------------------------------------------

PRECISIONS = {"day", "week", "month", "year", "approximate"}


def check_mentions(text: str, published: datetime.date, mentions: list[DateMention]) -> None:
    previous_end = 0
    for m in mentions:
        assert 0 <= m.span[0] < m.span[1] <= len(text)
        assert text[m.span[0] : m.span[1]] == m.text
        assert m.span[0] >= previous_end, "in text order, never overlapping"
        assert m.start <= m.end
        assert m.precision in PRECISIONS
        if m.open_ended:
            assert m.end == published
        previous_end = m.span[1]


@FUZZ
@given(texts, st.dates())
# The ends of the calendar: "yesterday" on 1 January of year 1, "tomorrow" on 31 December 9999.
@example("أمس الخميس وغدا والأسبوع الماضي", datetime.date.min)
@example("غدا الجمعة والأسبوع المقبل والعام المقبل 17 نوفمبر", datetime.date.max)
@example("منذ 17 نوفمبر الماضي ومطلع العام المقبل", datetime.date(1, 1, 1))
def test_dates_never_crash_and_spans_hold_for_any_publication_date(
    text: str, published: datetime.date
) -> None:
    check_mentions(text, published, find_dates(text, published))


@FUZZ
@given(
    st.lists(st.sampled_from([*DATE_WORDS, "17", "٣", "2019", "١٤٣٧", "و", "من", "إلى", "–"]), max_size=12),
    st.sampled_from([" ", "\u064e ", "ـ ", "\u200f ", " \r\n"]),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)),
)
def test_dense_date_phrases(parts: list[str], separator: str, published: datetime.date) -> None:
    text = separator.join(parts)
    check_mentions(text, published, find_dates(text, published))


# --- the gazetteer matcher ---------------------------------------------------------------------


def check_spans(text: str, mentions: list[Mention]) -> None:
    end = 0
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.text and m.text == m.text.strip()
        assert m.start >= end, "in text order, never overlapping"
        entity = gazetteer().get(m.entity_id)
        assert entity is not None and entity.category == m.kind
        end = m.end


@FUZZ
@given(texts)
def test_arabic_mentions_point_at_their_text(text: str) -> None:
    check_spans(text, gazetteer().find_mentions(text))


@FUZZ
@given(
    st.one_of(
        texts,
        st.lists(
            st.one_of(
                st.sampled_from(gazetteer_names()),
                st.sampled_from(["'s", "’s", " ", "-", ".", "UN", "un", "é", "\u0301", "\n", "al-"]),
            ),
            max_size=20,
        ).map("".join),
    )
)
def test_english_mentions_point_at_their_text(text: str) -> None:
    check_spans(text, gazetteer().find_mentions_en(text))
