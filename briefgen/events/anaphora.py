"""«شمال المدينة», «داخل المعسكرين»: a definite place noun that points back to a place named earlier.

Reports name the city once and then say «المدينة». A sentence whose event has no site of its own
but such a noun takes the latest place named before it, in this sentence or an earlier one, whose
gazetteer kind fits the noun. A noun with an adjective after it names something else («المنطقة
الغربية» is a region, «العاصمة الروسية» Moscow) and points nowhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from briefgen.arabic import normalize
from briefgen.structure.article import EntityMention

# The noun (normalized, singular and dual) → the gazetteer kinds it can stand for.
_KINDS: dict[str, frozenset[str]] = {
    "المدينه": frozenset({"city", "town"}),
    "البلده": frozenset({"town", "city"}),
    "المنطقه": frozenset({"district", "town", "landmark"}),
    "الحي": frozenset({"district"}),
    "المطار": frozenset({"airport"}),
    "المعسكر": frozenset({"base", "landmark"}),
    "المعسكرين": frozenset({"base", "landmark"}),
    "القاعده": frozenset({"base"}),
    "الميناء": frozenset({"port"}),
}
_ANAPHOR_RE = re.compile(
    r"(?<![^\W_])[وف]?(?:[بلك]|لل)?(" + "|".join(sorted(_KINDS, key=len, reverse=True)) + r")(?![^\W_])"
    # not a noun with its own adjective or name after it (المنطقة الغربية، المدينة القديمة)
    r"(?!\s+(?:ال\S+|[\"«“]))"
)


def anaphoric_place(
    text: str,
    earlier: Sequence[EntityMention],
    kind_of: Callable[[str], str | None],
) -> str | None:
    """The place a definite noun of `text` points back to, or None.

    `earlier` are the article's place mentions up to this sentence, in reading order (this
    sentence's own included); the latest whose kind fits the first anaphoric noun wins.
    """
    norm = normalize(text)
    for match in _ANAPHOR_RE.finditer(norm):
        kinds = _KINDS[match.group(1)]
        for mention in reversed(earlier):
            if kind_of(mention.entity_id) in kinds:
                return mention.entity_id
    return None
