"""Follow-up sentences in one article about the same event (issue 12, class 7)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from briefgen.arabic import normalize
from briefgen.events.dating import BACK_REFERENCE, MILITARY, REFERENCE_RE, REPORTED_WINDOW

if TYPE_CHECKING:
    from collections.abc import Callable

    from briefgen.structure.article import Event

FOLLOW_UP_REACH = 3  # sentences back a follow-up may continue

# Strikes from the air or from afar are events apart from the ground fighting they support
# («القوات تتقدم نحو ترهونة»، then «وأوضح … سلاح الجو نفذ طلعتين»), as ACLED codes them.
STRIKES = frozenset({"air_strike", "shelling"})
GROUND = frozenset({"capture", "armed_clash", "arrest"})


def _same_time(later: Event, earlier: Event) -> bool:
    if (later.date_start, later.date_end) == (earlier.date_start, earlier.date_end):
        return True
    if later.precision == "reported":
        return later.date_start - REPORTED_WINDOW <= earlier.date_start <= later.date_end
    if earlier.precision == "reported":
        return earlier.date_start - REPORTED_WINDOW <= later.date_start <= earlier.date_end
    return False


# «كما تقدمت مفرزة…», «وفي محور آخر…», «إلى ذلك…»: another event, never a follow-up.
NEW_TOPIC_RE = re.compile(
    normalize(
        r"^\W*(?:[وف]?كما\s|[وف]?(?:في|على)\s+(?:محور|صعيد|جانب)\s+آخر|[وف]?من\s+جهة\s+أخرى"
        r"|[وف]?إلى\s+ذلك|[وف]?(?:في|فى)\s+سياق\s+متصل|[وف]?أما\s)"
    )
)
# «إن الاشتباكات اندلعت إثر…», «شنت الهجوم بالتنسيق مع…»: the fighting already told.
DEFINITE_FIGHTING_RE = re.compile(
    normalize(
        r"(?<![^\W_])(?:[وفب]?ال|[وف]?لل)(?:اشتباكات|معارك|مواجهات|غارة|غارات|هجوم|قصف|ضربة|ضربات)(?![^\W_])"
    )
)


# «كما هتف المتظاهرون…», «وتظاهر المحتجون…»: the protesters already told, so the same protest.
DEFINITE_PROTESTERS_RE = re.compile(normalize(r"(?<![^\W_])(?:[وفب]?ال|[وف]?لل)(?:متظاهر|محتج|معتصم)\S*"))


# A reaction to an event is news of its own, not the event's announcement: blame, denial,
# congratulation, condemnation, a demand for an inquiry («حمّلت … مسؤولية الغارة», «نبارك …
# النصر»). An announcement of the result («أعلن الجيش السيطرة») still folds into the result.
REACTION_RE = re.compile(
    normalize(
        r"(?<![^\W_])[وف]?(?:حمل\S*\s+(?:\S+\s+){0,4}مسؤولي\S*|مسؤولي\S*\s+(?:\S+\s+){0,3}(?:ال)?(?:غاره|هجوم|قصف)\S*"
        r"|نفى|نفت|نفاها|نفاه|ينفي|تنفي|تهنئ\S*|نبارك|يبارك|بارك\S*|ادان\S*|ادانه|يدين|تدين"
        r"|ندد\S*|تنديد|استنكر\S*|طالب\S*|يطالب\S*|ستطالب\S*|رحب\S*|ترحيب)(?![^\W_])"
    )
)

# An event dated «غداة/عشية» the one referred to is, by its wording, another event.
_MORROW_WORDS = frozenset({normalize("غداة"), normalize("عشية")})


def link_follow_ups(
    events: list[Event],
    texts: dict[int, str],
    broad: Callable[[str], bool] = lambda _: False,
    around: Callable[[str], frozenset[str]] = lambda _: frozenset(),
) -> list[Event]:
    """Mark each event that continues an earlier one of the same article (class 7).

    A follow-up is of the same time as the earlier event and names no place it lacks. Of the
    same type, it is the same event told again (the strike, then the strike's toll of the
    same raid); of another type, it must say it continues (وأضاف، جاء ذلك عقب اشتباكات،
    هذه العملية، الاشتباكات): the clashes that took the town, the announcement of the capture;
    never an air strike or a shelling after ground fighting, which is an event of its own.
    A country or region (قناة «ليبيا» الرسمية) is no new place, nor is a place around one the
    earlier event names (`around`: the places containing a place): «مطار معيتيقة», then «العاصمة».
    """

    def named_by(place: str, earlier: Event) -> bool:
        return place in earlier.places or any(place in around(p) for p in earlier.places)

    linked: list[Event] = []
    by_event = {(e.sentence, e.in_sentence): e for e in events}
    for event in events:
        norm = normalize(texts[event.sentence])
        # The sentence's words that say it continues («وأضاف»، «الاشتباكات») belong to its first
        # event: a second one, told beside it, continues an earlier event only as its own type.
        same_event = not event.in_sentence and bool(
            REFERENCE_RE.match(norm) or BACK_REFERENCE.search(norm) or DEFINITE_FIGHTING_RE.search(norm)
        )
        places = {p for p in event.places if not broad(p)}
        same_protest = event.type == "protest" and bool(DEFINITE_PROTESTERS_RE.search(norm))
        reaction = bool(REACTION_RE.search(norm))
        if (NEW_TOPIC_RE.match(norm) and not same_protest) or event.date_text in _MORROW_WORDS:
            linked.append(event)
            continue
        earlier = next(
            (
                e
                for e in reversed(linked)
                if 0 < event.sentence - e.sentence <= FOLLOW_UP_REACH
                and all(named_by(p, e) for p in places)
                and _same_time(event, e)
                # through an undated link, the event it would join is still the root's
                and (e.follows is None or _same_time(event, by_event[e.follows, e.follows_event]))
                and (
                    event.type == e.type
                    or (
                        same_event
                        and e.type in MILITARY
                        and (event.type in MILITARY or (event.type == "statement" and not reaction))
                        and not (event.type in STRIKES and e.type in GROUND)
                    )
                )
            ),
            None,
        )
        if earlier is not None:
            root = (
                (earlier.follows, earlier.follows_event)
                if earlier.follows is not None
                else (earlier.sentence, earlier.in_sentence)
            )
            event = replace(event, follows=root[0], follows_event=root[1])
        linked.append(event)
    return linked
