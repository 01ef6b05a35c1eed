"""A place's role in a sentence (issue 12, class 5): event site, locating reference or topic."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from briefgen.arabic import normalize
from briefgen.events.dating import RELATIVE_RE
from briefgen.gazetteer import Gazetteer

if TYPE_CHECKING:
    from collections.abc import Callable

    from briefgen.structure.article import EntityMention

BROAD_PLACE_KINDS = frozenset({"country", "region", "sea"})


def most_specific_places(place_ids: list[str], gazetteer: Gazetteer) -> tuple[str, ...]:
    """Where the event happened: the most specific places the sentence names, in order.

    Drops places that contain another named place (Benghazi when Qawarsha, west of
    Benghazi, is named), and countries, regions and seas when a town or site is named
    ("wanted by the United States" does not move a strike in Qawarsha).
    """
    unique = list(dict.fromkeys(place_ids))
    containing = {a.id for p in unique for a in gazetteer.ancestors(p)}
    places = [p for p in unique if p not in containing]
    local = [p for p in places if getattr(gazetteer.get(p), "kind", None) not in BROAD_PLACE_KINDS]
    return tuple(local or places)


_DIRECTION = r"(?:شمال|جنوب|شرق|غرب)(?:ي|ى)?"
# «بني وليد (180 كلم جنوب شرق طرابلس)», «أجدابيا على بعد 190 كلم جنوب غرب بنغازي»,
# «امسلاتة الواقعة شرق مدينة ترهونة», «وتبعد 140 كيلومترا عن العاصمة»: what follows locates.
_LOCATING_LEAD_RE = re.compile(
    normalize(
        r"(?:على\s+بعد|[يت]?بعد\s+\S*\s*(?:كلم|كم|كيلو\S*|ميل\S*)|الواقع\S*|[يت]قع|[يت]بعد|(?:التي|الذي)\s+[يت]ضم)"
        r"(?:\s+\S+){0,6}\s*$"
    )
)
_DISTANCE_RE = re.compile(normalize(r"\d+\s*(?:كلم|كم|كيلو\S*|ميل\S*)|" + _DIRECTION))
# «صبراتة غرب طرابلس», «مطار مصراتة شرق طرابلس»: a direction right after another place.
_APPOSED_DIRECTION_RE = re.compile(
    normalize(
        r"^\s*[،,]?\s*(?:(?:باكمل\S*|بالكامل|كلها)\s+)?"  # «بلدة الأربان بأكملها شرق غريان»
        r"(?:(?:" + _DIRECTION + r"(?:\s+" + _DIRECTION + r")?)|قرب|بالقرب\s+من|قرب\s+مدينة)"
        r"\s+(?:مدينة\s+|العاصمة\s+|ال)?$"
    )
)
# «أوعزت لبعض قواتها من مدينة مصراتة بالهجوم على الداوون»: where the forces come from.
_ORIGIN_RE = re.compile(
    normalize(
        r"(?:قوات|قواتها|قواته|مقاتلي|مقاتلو|كتائب|عناصر|مسلحي|مسلحو|ميليشيات|مليشيات|تعزيزات)\S*"
        r"\s+(?:\S+\s+)?(?:من|قادمة\s+من|القادمة\s+من)\s+(?:مدينة\s+|منطقة\s+)?$"
    )
)
# «كتيبة شهداء الزاوية», «قوة حماية طرابلس», «ثوار مصراتة», «مجلس طبرق»: a place in a body's name.
_UNIT_NAME_RE = re.compile(
    normalize(
        r"(?<![^\W_])[وف]?(?:[بل]|لل)?(?:ال)?(?:كتيب\S*|كتائب|لواء|سري\S*|ثوار|درع|مجلس|غرف\S*\s+عمليات|قو\S*\s+حماي\S*)"
        r"(?:\s+\S+)?\s+$"
    )
)
# A protest or condemnation names the place struck, not where it is held (class 5).
_OBJECT_MARKERS_RE = re.compile(
    normalize(
        r"(?<![^\W_])[وف]?(?:للتنديد|تنديدا|ندد\S*|يندد\S*|تندد\S*|مندد\S*|استنكر\S*|استنكار\S*|"
        r"احتجاجا\s+على|على\s+خلفية|رفضا|دعما|تضامنا|اتهم\S*|في\s+اشار\S*|"
        r"أشاد\S*|يشيد|تشيد|مشيد\S*|رحب\S*|يرحب|ترحب|مرحب\S*)(?![^\W_])"
    )
)


# Calls, threats, refusals: what they are about has not happened there (yet).
_TOPIC_MARKERS_RE = re.compile(
    normalize(
        r"(?<![^\W_])[وف]?(?:طالب|طالبت|طالبوا|يطالب|تطالب|مطالبا|ناشد|ناشدت|مناشدا|دعا|دعت|داعيا|"
        r"حذر|حذرت|محذرا|لن|توعد|متوعدا|هدد|مهددا)(?![^\W_])"
    )
)
# Reactions whose object comes with بـ: «ندد … بالقصف», «أشاد … بالتضحيات», «رحب … بوقف».
_DENOUNCE_VERB_RE = re.compile(
    normalize(r"^[وف]?(?:ندد|يندد|تندد|مندد|اتهم|أشاد|يشيد|تشيد|مشيد|رحب|يرحب|ترحب|مرحب)")
)
_BI_OBJECT_RE = re.compile(r"(?<![^\W_])ب[^\W\d_]{2,}")


def _object_starts(norm: str) -> list[int]:
    """Where the object of each condemnation begins: right after «للتنديد/احتجاجا على», and at
    the بـ of «ندد … بالقصف», so «ندد النازحون في وقفة في طرابلس بالقصف» keeps Tripoli."""
    starts = []
    for m in _OBJECT_MARKERS_RE.finditer(norm):
        start = m.end()
        if _DENOUNCE_VERB_RE.match(m.group()) and not m.group().startswith(("للتنديد", "تنديدا")):
            object_ = _BI_OBJECT_RE.search(norm, m.end())
            if object_ is not None:
                start = object_.start()
        starts.append(start)
    return starts


# Clause breaks for place roles: a parenthesis is an aside inside the clause, not a break.
_PLACE_CLAUSE_BREAK_RE = re.compile(r"[.,،؛;:!?؟…\-–—]")


@lru_cache(maxsize=4096)
def _folded_length(ch: str) -> int:
    return len(normalize(ch))


def _normalized_offsets(text: str, norm: str) -> list[int]:
    """For each offset of `text`, the matching offset of `norm` (= normalize(text))."""
    offsets = [0]
    for ch in text:
        offsets.append(offsets[-1] + _folded_length(ch))
    if offsets[-1] != len(norm):  # a composition normalize made across characters: be exact
        return [len(normalize(text[:i])) for i in range(len(text) + 1)]
    return offsets


def place_roles(
    text: str,
    mentions: list[EntityMention],
    is_place: Callable[[str], bool],
    other_triggers: tuple[str, ...] = (),
    talk: bool = False,
) -> tuple[list[str], list[str], list[str]]:
    """The sentence's places split into event sites, locating references and topics (class 5).

    Locating: a place inside a parenthesis with a distance or a direction, after «على بعد …»,
    «الواقعة» or «تبعد», right after another place and a direction or «قرب» (صبراتة غرب
    طرابلس), the forces' home town (قواتها من مدينة مصراتة), or a unit's name (كتيبة شهداء
    الزاوية، قوة حماية طرابلس) — it locates or qualifies
    another place, and stands in only when the sentence names no site.
    Topics: a place named after a condemnation (للتنديد بالقصف الذي استهدف سرت), under a
    call, threat or refusal (طالب بإخلاء المحاصرين في قنفودة، لن تسمح … في بني وليد), or in
    a relative clause that tells another event than the sentence's (`other_triggers`:
    «لقوات حفتر التي انسحبت من ترهونة») — what is talked about, never where it happened.
    When the event itself is talk — a protest, a statement — what it condemns runs on past
    commas («واستنكر المحتجون تخاذل الحكومة، وعجزها عن فك حصار المدنيين في قنفودة»): `talk`.
    """
    norm = normalize(text)
    # Offsets of the text in its normalized form (diacritics and tatweel fold away), so that
    # each mention's surroundings are slices of `norm` rather than normalized again.
    at = _normalized_offsets(text, norm)
    places = sorted((m for m in mentions if is_place(m.entity_id)), key=lambda m: m.start)
    sites: list[str] = []
    references: list[str] = []
    topics: list[str] = []
    objects = _object_starts(norm) + [m.end() for m in _TOPIC_MARKERS_RE.finditer(norm)]
    for index, mention in enumerate(places):
        norm_before = norm[: at[mention.start]]
        clause_start = max((m.end() for m in _PLACE_CLAUSE_BREAK_RE.finditer(norm_before)), default=0)
        clause = norm_before[clause_start:]
        opened = norm_before.rfind("(")
        in_parenthesis = opened > norm_before.rfind(")") and _DISTANCE_RE.search(norm_before[opened:])
        previous = places[index - 1] if index else None
        apposed = previous is not None and _APPOSED_DIRECTION_RE.match(
            norm[at[previous.end] : at[mention.start]]
        )
        relative = [m.start() for m in RELATIVE_RE.finditer(clause)]
        in_other_event = bool(relative) and any(t in clause[relative[-1] :] for t in other_triggers)
        topic_from = 0 if talk else clause_start
        if any(topic_from <= o <= len(norm_before) for o in objects) or in_other_event:
            topics.append(mention.entity_id)
        elif (
            in_parenthesis
            or apposed
            or _LOCATING_LEAD_RE.search(clause)
            or _ORIGIN_RE.search(clause)
            or _UNIT_NAME_RE.search(clause)
        ):
            references.append(mention.entity_id)
        else:
            sites.append(mention.entity_id)
    return sites, references, topics
