"""Stage 1, split: cut an article body into paragraphs, cross-heads and sentences.

The splitter works on spans of the original text, so every segment points back at
exactly what the author wrote and the segments rejoin to the text (only
whitespace lies between them).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Literal

from briefgen.arabic import normalize
from briefgen.structure.article import Article, Heading, Paragraph, Sentence

SegmentKind = Literal["sentence", "heading", "trailer"]

TERMINATORS = frozenset(".!?؟؛…")
# What may follow a terminator and still belong to the same sentence end: `؟!.`, `."`, `.»`.
CLOSERS_AFTER_END = frozenset(".!?؟؛…\"'»”’)]")
OPENING_QUOTES = frozenset("«“„‟")
CLOSING_QUOTES = frozenset("»”")
SYMMETRIC_QUOTES = frozenset('"')
QUOTES = OPENING_QUOTES | CLOSING_QUOTES | SYMMETRIC_QUOTES
# A line ending in one of these is running text, not a cross-head.
FINAL_PUNCTUATION = TERMINATORS | frozenset(":،,")
# Characters that let a quote mark count as flanked by a word boundary.
_OPEN_SIDE = frozenset("([{:،,؛—–-")
_CLOSE_SIDE = frozenset(".,،؛:!?؟)]}…")

HEADING_MAX_WORDS = 8
# "… القارة. حسب قوله." — an attribution cut off by a full stop belongs to the sentence before.
ATTRIBUTION_TAIL = re.compile(r"^(?:و?ب?حسب|وفق|وفقا|على حد|نقلا عن|كما قال|according to)\b", re.IGNORECASE)
ATTRIBUTION_TAIL_MAX_WORDS = 4
HEADING_MAX_CHARS = 60
# Text without sentence punctuation (a scraped page, a transcript) would otherwise be one
# huge "sentence": too long for the translation model and useless as a summary line. The
# longest real sentence in the seeds (a long quotation) is under 600 characters.
MAX_SENTENCE_CHARS = 800
# Where to cut an over-long run, best first: a sentence end inside a quotation, a comma or
# colon, any space. Each must be followed by whitespace.
_SOFT_BREAKS = (TERMINATORS, frozenset("،,:;"))

# Share buttons and "read more" links scraped along with an article, normalized.
TRAILER_PHRASES = frozenset(
    normalize(p)
    for p in (
        "مشاركة",
        "شارك",
        "شارك الخبر",
        "شارك المقال",
        "شارك هذا المقال",
        "اقرأ أيضا",
        "اقرأ أيضاً",
        "اقرأ المزيد",
        "طباعة",
        "تابعونا",
    )
)

ENGLISH_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "col",
        "lt",
        "maj",
        "capt",
        "sgt",
        "st",
        "no",
        "vs",
        "etc",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)


@dataclass(frozen=True)
class Segment:
    """A run of the text: a sentence, a cross-head, or trailing page furniture."""

    kind: SegmentKind
    start: int
    end: int
    paragraph: int
    text: str


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line's content, without its newline."""
    start = 0
    for match in re.finditer("\n", text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def quote_spans(line: str) -> list[tuple[int, int]]:
    """Spans of matched quotations in one line, outermost only.

    The seeds mix «», "", “” and even »…" and ”…”, so a quote mark is read as
    opening or closing from what flanks it (space or punctuation on one side,
    a letter on the other), and by its shape only when that is ambiguous.
    Unmatched marks protect nothing.
    """
    spans: list[tuple[int, int]] = []
    depth = 0
    opened_at = 0
    for i, ch in enumerate(line):
        if ch not in QUOTES:
            continue
        before = line[i - 1] if i > 0 else " "
        after = line[i + 1] if i + 1 < len(line) else " "
        space_before = before.isspace() or before in _OPEN_SIDE
        space_after = after.isspace() or after in _CLOSE_SIDE
        if space_before and not space_after:
            opens = True
        elif space_after and not space_before:
            opens = False
        elif ch in OPENING_QUOTES:
            opens = True
        elif ch in CLOSING_QUOTES and depth > 0:
            opens = False
        else:
            opens = depth == 0
        if opens:
            if depth == 0:
                opened_at = i
            depth += 1
        elif depth > 0:
            depth -= 1
            if depth == 0:
                spans.append((opened_at, i + 1))
    return spans


def _is_abbreviation(line: str, dot: int) -> bool:
    """Whether the dot at `dot` ends an abbreviation (د. / أ.ف.ب / U.S. / Dr.) rather than a sentence."""
    word_start = dot
    while word_start > 0 and line[word_start - 1].isalpha():
        word_start -= 1
    word = line[word_start:dot]
    if not word:
        return False
    if len(word) == 1:
        # Arabic one-letter words are always attached clitics, so a lone letter is an initial.
        return True
    return word.lower() in ENGLISH_ABBREVIATIONS


def _sentence_ends(line: str) -> list[int]:
    """Offsets in `line` just after each sentence end outside quotations."""
    protected = quote_spans(line)  # in order and disjoint: walk them alongside `i`
    quote = 0
    ends: list[int] = []
    i = 0
    n = len(line)
    while i < n:
        ch = line[i]
        if ch not in TERMINATORS:
            i += 1
            continue
        while quote < len(protected) and protected[quote][1] - 1 <= i:
            quote += 1
        if quote < len(protected) and protected[quote][0] < i:
            i += 1
            continue
        if ch == ".":
            prev = line[i - 1] if i > 0 else ""
            nxt = line[i + 1] if i + 1 < n else ""
            if prev.isdigit() and nxt.isdigit():  # 3.5
                i += 1
                continue
            if nxt.isascii() and nxt.isalnum():  # aljazeera.net
                i += 1
                continue
            if _is_abbreviation(line, i):
                i += 1
                continue
        end = i + 1
        while end < n and line[end] in CLOSERS_AFTER_END:
            end += 1
        ends.append(end)
        i = end
    return ends


def _cut_point(text: str, start: int, limit: int) -> int:
    """Where to end a piece of `text[start:]` no longer than `limit`: at the best soft break
    in its second half, else before the last space, else `limit` characters in (never
    between a letter and its diacritics)."""
    lowest = start + limit // 2
    window_end = start + limit
    for breaks in _SOFT_BREAKS:
        for i in range(window_end - 1, lowest - 1, -1):
            if text[i] in breaks and text[i + 1].isspace():
                return i + 1
    for i in range(window_end, lowest, -1):
        if text[i].isspace():
            return i
    cut = window_end
    while cut > start + 1 and unicodedata.combining(text[cut]):
        cut -= 1
    return cut


def _bounded(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """The stripped span `start:end` as pieces of at most `limit` characters."""
    pieces: list[tuple[int, int]] = []
    while end - start > limit:
        cut = _cut_point(text, start, limit)
        pieces.append(_strip_span(text, start, cut))
        start, _ = _strip_span(text, cut, end)
    pieces.append((start, end))
    return pieces


def _is_heading_candidate(line: str) -> bool:
    stripped = line.strip().rstrip("\"'»”’")
    if not stripped or stripped[-1] in FINAL_PUNCTUATION:
        return False
    return len(stripped) <= HEADING_MAX_CHARS and len(stripped.split()) <= HEADING_MAX_WORDS


def _is_trailer(line: str) -> bool:
    core = normalize(line).strip(" :：-–—|•·.\t")
    return core in TRAILER_PHRASES


def segment(text: str, max_chars: int = MAX_SENTENCE_CHARS) -> list[Segment]:
    """Split `text` into sentences, cross-heads and trailers, by paragraph.

    Paragraphs are separated by blank lines; every newline also ends a sentence.
    A short line with no final punctuation that introduces running text is a
    cross-head. Share-button lines at the very end are trailers. No sentence is
    longer than `max_chars`: longer runs are cut at a comma or a space.
    """
    lines = [(s, e) for s, e in _lines(text)]
    content = [(s, e) for s, e in lines if text[s:e].strip()]
    # Trailers: only the last lines of the body, never a phrase mid-article.
    trailer_starts: set[int] = set()
    for s, e in reversed(content):
        if not _is_trailer(text[s:e]):
            break
        trailer_starts.add(s)
    candidates = {s for s, e in content if _is_heading_candidate(text[s:e])}
    # The start of the next line with content after each line (found once: looking ahead
    # from every line would be quadratic in a long article).
    following_of: list[int | None] = [None] * len(lines)
    next_content: int | None = None
    for index in range(len(lines) - 1, -1, -1):
        following_of[index] = next_content
        s, e = lines[index]
        if s not in trailer_starts and text[s:e].strip():
            next_content = s

    segments: list[Segment] = []
    paragraph = 0
    previous_blank = False
    seen_content = False
    for index, (start, end) in enumerate(lines):
        line = text[start:end]
        if not line.strip():
            previous_blank = True
            continue
        if seen_content and previous_blank:
            paragraph += 1
        previous_blank = False
        seen_content = True
        if start in trailer_starts:
            s, e = _strip_span(text, start, end)
            segments.append(Segment("trailer", s, e, paragraph, text[s:e]))
            continue
        following = following_of[index]
        if start in candidates and following is not None and following not in candidates:
            s, e = _strip_span(text, start, end)
            segments.append(Segment("heading", s, e, paragraph, text[s:e]))
            # What a cross-head introduces is a new paragraph even without a blank line.
            paragraph += 1
            previous_blank = False
            seen_content = False
            continue
        cut = start
        first_in_line = len(segments)
        for offset in [*_sentence_ends(line), len(line)]:
            s, e = _strip_span(text, cut, start + offset)
            cut = start + offset
            if s == e:
                continue
            piece = text[s:e]
            if (
                len(segments) > first_in_line
                and e - segments[-1].start <= max_chars
                and (
                    not any(ch.isalnum() for ch in piece)
                    or (
                        len(piece.split()) <= ATTRIBUTION_TAIL_MAX_WORDS
                        and ATTRIBUTION_TAIL.match(normalize(piece))
                    )
                )
            ):
                # Stray closing marks or an attribution tail: part of the sentence before.
                last = segments[-1]
                segments[-1] = replace(last, end=e, text=text[last.start : e])
                continue
            for piece_start, piece_end in _bounded(text, s, e, max_chars):
                segments.append(
                    Segment("sentence", piece_start, piece_end, paragraph, text[piece_start:piece_end])
                )
    return segments


def split(article: Article) -> Article:
    """Pipeline stage: fill `article.blocks` from its body."""
    blocks: list[Heading | Paragraph] = []
    current: list[Sentence] = []
    current_paragraph = -1
    index = 0

    def flush() -> None:
        if current:
            blocks.append(Paragraph(tuple(current)))
            current.clear()

    for seg in segment(article.body):
        if seg.kind == "trailer":
            continue
        if seg.kind == "heading":
            flush()
            blocks.append(Heading(seg.text, seg.start, seg.end))
            current_paragraph = -1
            continue
        if seg.paragraph != current_paragraph:
            flush()
            current_paragraph = seg.paragraph
        current.append(Sentence(index=index, text=seg.text, start=seg.start, end=seg.end))
        index += 1
    flush()
    return replace(article, blocks=tuple(blocks))
