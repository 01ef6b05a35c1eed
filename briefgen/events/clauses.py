"""A sentence's event clauses (issue 12): where Arabic reporting joins two events in one
sentence.

Wire copy tells a second event in the same sentence as the first, behind a joiner:

- coordinate: «، فيما», «، بينما», «، في حين», «، كما», «، حيث», «، عندما», and «، و» followed by
  a new verb (not a particle or a preposition, nor a word with the article or the shape of a
  noun: «، ومدينة مصراتة», «، وانسحاب قوات حفتر», «، وبعد مغادرة»);
- a reporting participle: «، مشيرا إلى أن», «، لافتا أنه», «، مضيفا أن» …;
- subordinate: «بعد أن», «قبل أن»;
- weak: «إثر/عقب/بعد» + a verbal noun («بعد سيطرتهم على الداوون»), which as often as not
  tells how the same event came about (the clashes that took the town);
- relative: «بعد عام من سيطرة …», the earlier event dated back from the clause before (not
  «بعد أسابيع من المعارك», weeks *of* fighting: a definite noun is what lasted);
- the morrow: «، غداة إعلانه استكمال تحرير العاصمة», an event of the day before the clause's;
- an aside between dashes opened by a relative pronoun («-التي شاركت في مظاهرة … -»).

A clause is a set of spans of the sentence; `blank` gives the sentence with everything
outside them blanked out, so that every offset (entity mentions, date spans) stays valid.
Which clauses become events of their own is the events stage's decision
(briefgen/pipeline/events.py): this module only finds where they may start.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from briefgen.arabic import normalize
from briefgen.events.places import _normalized_offsets

Span = tuple[int, int]

# Kinds of joiner: how strongly a clause stands apart from the one before it.
FIRST = "first"
COORDINATE = "coordinate"  # a new main clause
SUBORDINATE = "subordinate"  # before or after the clause it hangs on (بعد أن، قبل أن)
WEAK = "weak"  # إثر/عقب/بعد + verbal noun: often how the same event came about
RELATIVE = "relative"  # بعد عام من …: an earlier event, dated back from the clause before
ASIDE = "aside"  # -التي شاركت في مظاهرة-: a relative clause between dashes
MORROW = "morrow"  # «، غداة إعلانه تحرير العاصمة»: an event the day before the clause before

_END = r"(?![^\W_])"
_START = r"(?<![^\W_])"
# Words after «، و» that start no new verbal clause: particles, pronouns, demonstratives.
_NOT_A_VERB = (
    "في|فى|من|على|الى|إلى|عن|مع|لا|لم|لن|قد|ذلك|هذا|هذه|تلك|هو|هي|هم|هما|أن|ان|إن|كل|بعض|عدد|غير"
    "|نحو|حوالي|أكثر|اكثر|أقل|اقل|كذلك|أيضا|ايضا|منها|منهم|لكن|لكنه|لكنها|ما|التي|الذي|الذين"
    # prepositions of time and place: «، وبعد مغادرة العائلات» goes on the clause before
    "|بعد|قبل|عقب|إثر|اثر|خلال|منذ|حتى|عند|لدى|بين|ضد|عبر|وسط|تحت|فوق|أمام|امام|خلف|بسبب|رغم"
)
# Nouns that look like none of a verb's forms: ta marbuta (مدينة، سيطرة), a feminine plural
# (اشتباكات), a derived verbal noun with its long vowel before the last letter (انسحاب،
# اقتحام، استهداف): «، وانسحاب قوات حفتر» goes on the clause before, it starts none.
_NOUN_SHAPE = r"(?:[^\W\d_]+(?:ه|ات)|ا[^\W\d_]{2,}ا[^\W\d_])(?![^\W_])"
_TIME_UNIT = (
    "يوم|يومين|أيام|ايام|أسبوع|اسبوع|أسبوعين|اسبوعين|أسابيع|اسابيع|شهر|شهرين|أشهر|اشهر|شهور"
    "|عام|عامين|أعوام|اعوام|سنة|سنه|سنتين|سنوات"
)

_JOINERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (MORROW, re.compile(normalize(r"[،,]\s*غداة" + _END + r"\s*"))),
    (
        RELATIVE,
        re.compile(
            normalize(
                _START + r"(?:بعد|عقب)\s+(?P<amount>(?:نحو\s+|قرابة\s+|حوالي\s+)?(?:\S+\s+)?(?:"
                r"" + _TIME_UNIT + r"))\s+(?:من|على)\s+(?!ال)"
            )
        ),
    ),
    (SUBORDINATE, re.compile(normalize(_START + r"(?:بعد|قبل)\s+(?:أن|ان)" + _END + r"\s*"))),
    (
        COORDINATE,
        re.compile(
            normalize(r"[،,؛;]\s*(?:[وف]\s*)?(?:فيما|بينما|في\s+حين|كما|حيث|عندما|حين)" + _END + r"\s*")
        ),
    ),
    (
        COORDINATE,
        re.compile(
            normalize(
                r"[،,؛;]\s*(?:لافت|مشير|مضيف|موضح|مؤكد|معلن)(?:ا|ة|ه|ين)?"
                + _END
                + r"(?:\s+(?:إلى|الى|الي))?(?:\s+(?:أن|ان|أنه|انه|أنها|انها))?"
                + _END
                + r"\s*"
            )
        ),
    ),
    (
        COORDINATE,
        re.compile(
            normalize(
                r"[،,؛;]\s*و(?!ال)(?!(?:"
                + _NOT_A_VERB
                + r")"
                + _END
                + r")(?!"
                + _NOUN_SHAPE
                + r")(?=[^\W\d_]{3,})"
            )
        ),
    ),
    (
        WEAK,
        re.compile(
            normalize(
                _START + r"(?:إثر|اثر|عقب|بعد)\s+(?!(?:ذلك|هذا|هذه|أن|ان)" + _END + r")(?=[^\W\d_]{3,})"
            )
        ),
    ),
)
_ASIDE_RE = re.compile(normalize(r"(?:^|\s)[-–—]\s*(?=(?:الذي|التي|الذين)\s)[^-–—]+[-–—]"))


@dataclass(frozen=True)
class Clause:
    spans: tuple[Span, ...]  # offsets into the sentence's text
    kind: str = FIRST
    amount: str | None = None  # RELATIVE: how long before the clause before («عام», «ثلاثة أيام»)

    def contains(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in self.spans)


def blank(text: str, spans: tuple[Span, ...]) -> str:
    """The text with everything outside `spans` turned to spaces: offsets stay as they are."""
    kept = [" "] * len(text)
    for a, b in spans:
        kept[a:b] = text[a:b]
    return "".join(kept)


def merge(first: Clause, second: Clause) -> Clause:
    """Two clauses read as one (the second tells the same event): the first's kind."""
    return Clause(tuple(sorted((*first.spans, *second.spans))), first.kind, first.amount)


def cut(spans: tuple[Span, ...], hole: Span) -> tuple[Span, ...]:
    """The spans without `hole`."""
    out: list[Span] = []
    for a, b in spans:
        if b <= hole[0] or a >= hole[1]:
            out.append((a, b))
            continue
        if a < hole[0]:
            out.append((a, hole[0]))
        if b > hole[1]:
            out.append((hole[1], b))
    return tuple(out)


def split_clauses(text: str) -> list[Clause]:
    """The sentence's clauses in order of where they start; one clause when no joiner is found.
    A joiner itself belongs to no clause."""
    norm = normalize(text)
    at = _normalized_offsets(text, norm)

    def original(offset: int) -> int:
        return bisect_left(at, offset)

    asides = [(original(m.start()), original(m.end())) for m in _ASIDE_RE.finditer(norm)]
    found: list[tuple[int, int, str, str | None]] = []  # start, clause start, kind, amount
    for kind, regex in _JOINERS:
        for m in regex.finditer(norm):
            start, end = original(m.start()), original(m.end())
            if any(a <= start < b for a, b in asides):
                continue
            if any(s <= start < e for s, e, _k, _a in found):
                continue  # inside a joiner found before (بعد عام من … is not also بعد + noun)
            amount = m.group("amount") if kind == RELATIVE else None
            found.append((start, end, kind, amount))
    found.sort()
    clauses: list[Clause] = []
    cursor, kind, amount = 0, FIRST, None
    for start, end, next_kind, next_amount in found:
        if start > cursor and text[cursor:start].strip():
            clauses.append(Clause(((cursor, start),), kind, amount))
        elif clauses:  # two joiners in a row: the later one opens the clause
            pass
        cursor, kind, amount = end, next_kind, next_amount
    if text[cursor:].strip():
        clauses.append(Clause(((cursor, len(text)),), kind, amount))
    if not clauses:
        return [Clause(((0, len(text)),))]
    for hole in asides:
        clauses = [Clause(cut(c.spans, hole), c.kind, c.amount) for c in clauses]
        clauses = [c for c in clauses if c.spans]
        a, b = hole
        while a < b and (text[a].isspace() or text[a] in "-–—"):
            a += 1
        inner = (a, b - 1)  # without the dashes
        clauses.append(Clause((inner,), ASIDE))
    clauses.sort(key=lambda c: c.spans[0][0])
    return clauses
