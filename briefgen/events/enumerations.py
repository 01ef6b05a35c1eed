"""A sentence that lists dated events one after the other (issue 12, classes 1 and 2).

Recaps and background paragraphs list several events of one kind, each with its own place
and date, in a single sentence:

    «… على غرار منطقة القوارشة 17 نوفمبر 2016، وقبلها منطقة الهواري في الـ 18 من أبريل 2016،
    اما منطقة الليثي فتم تحريرها في الـ 23 من فبراير 2016، وبوعطني في الـ29 من أكتوبر 2014.»

Read whole, such a sentence is one event with every place and the most precise date, which
dates most of its places wrongly. Here it is read item by item: the sentence is cut at its
commas, and when at least two pieces each hold exactly one closed date and a place of their
own, every such piece is an event of its own date and places. Anything less regular (a
piece with a date and no place, or two dates) is not a list, and the clause reader decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from briefgen.dates import DateMention
from briefgen.structure.article import EntityMention

Span = tuple[int, int]

# Pieces of a list are separated by commas or semicolons (Arabic or Latin).
_SEPARATOR_RE = re.compile(r"[،,؛;]")
# Dates precise enough to tell list items apart; relative and «منذ» dates are not list items.
_LISTED_PRECISIONS = frozenset({"day", "week", "month", "year"})


@dataclass(frozen=True)
class ListedItem:
    span: Span  # the piece of the sentence the item is told in
    date: DateMention
    places: tuple[EntityMention, ...]


def _pieces(text: str) -> list[Span]:
    pieces: list[Span] = []
    start = 0
    for m in _SEPARATOR_RE.finditer(text):
        pieces.append((start, m.start()))
        start = m.end()
    pieces.append((start, len(text)))
    return [(a, b) for a, b in pieces if text[a:b].strip()]


def listed_items(
    text: str,
    dates: Sequence[DateMention],
    mentions: Sequence[EntityMention],
    is_place: Callable[[str], bool],
) -> list[ListedItem]:
    """The sentence's list items, or [] when the sentence is not a list of dated events."""
    closed = [d for d in dates if not d.open_ended and d.precision in _LISTED_PRECISIONS]
    if len({(d.start, d.end) for d in closed}) < 2:
        return []
    items: list[ListedItem] = []
    for a, b in _pieces(text):
        # A vaguer date («في الفترة الأخيرة») frames the list; it dates none of its items.
        inside = [d for d in closed if a <= d.span[0] and d.span[1] <= b]
        if not inside:
            continue
        places = tuple(m for m in mentions if is_place(m.entity_id) and a <= m.start and m.end <= b)
        if len(inside) != 1 or not places:
            return []  # a date without its own place, or two in one piece: not a plain list
        items.append(ListedItem((a, b), inside[0], places))
    if len(items) < 2:
        return []
    # Two items at one place are one place's history, which the clause reader tells better.
    if len({frozenset(m.entity_id for m in item.places) for item in items}) < len(items):
        return []
    return items
