"""Dating a sentence's event (issue 12, classes 1–3): its own date, bound to the clause it
governs; «منذ» ranges; background clauses; the openers of a sentence that continues the
narrative of the one before."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.arabic import normalize
from briefgen.dates import DateMention

# Military events: follow-ups among them are one event (the chronology's MILITARY_TYPES).
MILITARY = frozenset(
    {"capture", "armed_clash", "air_strike", "shelling", "explosion", "casualties", "arrest"}
)
PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "approximate": 3, "year": 4, "reported": 5}

BACK_REFERENCE = re.compile(
    normalize(
        r"\b(?:هذه|هذا|تلك|ذلك)\s+(?:الخطوة|العملية|السيطرة|التقدم|الانتصار|الهجوم|التحرير"
        r"|المواجهات|الاشتباكات|المعارك|الغارة|الغارات|الضربة|القصف)"
    )
)

# How far back a report without a date of its own can be from the day it was published (a
# weekly protest a week before is another one); and how long ago "منذ X" must have started to
# be the start of something rather than its range.
REPORTED_WINDOW = dt.timedelta(days=5)
RECENT_SINCE = dt.timedelta(days=7)

# A background clause: pluperfect «وكان … قد», «وسبق أن/لـ». It is an event of its own date
# or none at all, never one of the publication date (issue 12, class 1).
PLUPERFECT_RE = re.compile(
    normalize(r"^\W*[وف]?(?:كان|كانت|كانوا|كانا)\s+(?:\S+\s+){0,8}?قد\s")
    + "|"
    + normalize(r"^\W*[وف]?سبق\s+(?:أن|ل)")
    # «وكانت الأمم المتحدة أعلنت الاثنين الماضي», «وكان الجيش شن غارة»: the same without قد
    # (but «وكان من المقرر», «وكان لافتا» are no background event)
    + "|"
    + normalize(
        r"^\W*[وف]?(?:كان|كانت|كانوا|كانا)\s+(?!(?:من\s+)?(?:المقرر|المتوقع|المنتظر|المفترض)|لافت|واضح|مقرر)"
    )
)
# A sentence that continues the narrative of the one before it: it takes that sentence's
# date when it has none of its own (class 3), and may be the same event (class 7).
CONTINUATION_RE = re.compile(
    normalize(
        r"^\W*(?:"
        r"[وف](?:أضاف|أضافت|أضافوا|تابع|تابعت|أوضح|أوضحت|أشار|أشارت)"
        r"|[وف](?:قال|قالت|قالوا)\s+(?:\S+\s+){0,6}?(?:في|فى)\s+(?:بيان|تصريح|مؤتمر)"
        r"|(?:و|ف)?(?:في|فى)\s+(?:السياق|سياق)\s+(?:ذاته|نفسه)"
        r"|(?:و|ف)?(?:في|فى)\s+وقت\s+لاحق"
        r"|(?:و|ف)?جاء\s+(?:ذلك|هذا)"
        r"|(?:و|ف)?(?:يأتي|تأتي|وتأتي|ويأتي)\s"
        r"|من\s+جهته|من\s+جهتها|بدوره|بدورها"
        r")"
    )
)
# Of those, the openers that say the sentence is about the same event: «جاء ذلك عقب
# اشتباكات», «وتأتي سيطرة … بعد مواجهات», and «وأوضح/وبيّن» (explained: how it was done).
# «وأضاف» (added) may bring a new fact, so it does not.
REFERENCE_RE = re.compile(
    normalize(r"^\W*(?:(?:و|ف)?جاء\s+(?:ذلك|هذا)|(?:و|ف)?(?:يأتي|تأتي)\s|[وف](?:أوضح|أوضحت|بين|بينت)\s)")
)
# "منذ بدء الهجوم قبل نحو شهرين": the date belongs to the event the منذ phrase names.
_SINCE_EVENT_RE = re.compile(
    normalize(r"منذ\s+(?:بدء|بدأ|بداية|انطلاق|اندلاع|إطلاق|إعلان)\S*\s+(?:\S+\s+){0,3}$")
)
# What follows «منذ X» when X dates the event that began a state: «مغلق منذ 13 يوليو إثر هجوم».
_SINCE_CAUSE_RE = re.compile(normalize(r"\s*[،,]?\s*(?:إثر|اثر|عقب|جراء|بسبب|بعد)\s+(?!أن|ان)\S"))
RELATIVE_RE = re.compile(r"(?<![^\W_])(?:الذي|التي|الذين|اللذين|اللتين|اللواتي|اللاتي)(?![^\W_])")
# «اقتحامها سوق الحوت، لكن الإعلان … لم يصدر سوى أمس»: a contrasting clause has its own time.
_CONTRAST_RE = re.compile(
    normalize(r"(?<![^\W_])(?:[وف]?لكن\S*|غير\s+أن|إلا\s+أن|بينما|فيما|في\s+حين)(?![^\W_])")
)
# «احتشد المتظاهرون … رفضاً لهجوم حفتر … منذ الرابع من أبريل»: what a protest or a statement
# answers comes after these, with its own date.
_OBJECT_RE = re.compile(
    normalize(r"(?<![^\W_])[وف]?(?:رفضا|تنديدا|للتنديد|احتجاجا\s+على|استنكارا|تضامنا|دعما)(?![^\W_])")
)
CLAUSE_BREAK_RE = re.compile(r"[.,،؛;:!?؟…()\-–—]")


@dataclass(frozen=True)
class When:
    start: dt.date
    end: dt.date
    precision: str
    text: str | None
    warnings: tuple[str, ...] = ()


def _until_end(mention: DateMention) -> dt.date:
    """The end of what a "منذ X" mention names by itself, X alone at its precision."""
    start, precision = mention.start, mention.precision
    if precision == "week":
        return start + dt.timedelta(days=6)
    if precision == "month":
        following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    if precision == "year":
        return dt.date(start.year, 12, 31)
    return start


def _bound_elsewhere(
    norm: str, mention: DateMention, text: str, trigger_at: int | None, triggers: tuple[str, ...] = ()
) -> bool:
    """Whether a date governs another clause than the event's (class 2).

    "منذ بدء الهجوم قبل نحو شهرين" dates the offensive's start; a date inside a relative
    clause (التي سيطرت عليها … قبل أيام) dates that clause, when the event's trigger is
    outside it and the clause reports an event of its own («في هذه المواجهات التي وقعت أمس»
    dates the clashes themselves).
    """
    at = len(normalize(text[: mention.span[0]]))
    before = norm[:at]
    clause_start = max((m.end() for m in CLAUSE_BREAK_RE.finditer(before)), default=0)
    clause = before[clause_start:]
    if _SINCE_EVENT_RE.search(clause):
        return True
    for marker in (_OBJECT_RE, _CONTRAST_RE):
        starts = [m.start() for m in marker.finditer(before)]
        if starts and trigger_at is not None and trigger_at < starts[-1]:
            return True
    relative = [clause_start + m.start() for m in RELATIVE_RE.finditer(clause)]
    if not relative or trigger_at is None or trigger_at >= relative[-1]:
        return False
    inside = norm[relative[-1] : at]
    return any(t in inside for t in triggers)


_ERA_TAIL_RE = re.compile(r"^[\s/]*(?:\S+[\s/]+){0,2}$")


def names_the_era(norm: str, mention: DateMention, text: str) -> bool:
    """Whether the date is the era's own («ثورة 17 فبراير 2011», «الإطاحة بالقذافي في 2011»)."""
    from briefgen.event_types import ERA_RE  # the classifier's table; imported late, it imports dates

    at = len(normalize(text[: mention.span[0]]))
    end = len(normalize(text[: mention.span[1]]))
    for m in ERA_RE.finditer(norm):
        if m.start() <= at < m.end() or (m.end() <= at and _ERA_TAIL_RE.match(norm[m.end() : at])):
            return True
        if at <= m.start() < end:
            return True
    return False


def event_date(
    text: str,
    mentions: Sequence[DateMention],
    published: dt.date,
    trigger_at: int | None = None,
    triggers: tuple[str, ...] = (),
) -> When | None:
    """The date a sentence gives its event: its most precise closed date, else its "منذ" date.

    A closed date bound to another clause does not count. "منذ X" long ago (تشن … منذ 4
    أبريل 2019 هجوما) dates the start of what has lasted since, at X's precision; a recent
    one (منذ يومين، منذ السبت الماضي) dates a range up to publication, approximately.
    """
    norm = normalize(text)
    # «خلال ثورة فبراير/شباط 2011»: the era's date is history's, never the event's.
    mentions = [m for m in mentions if not names_the_era(norm, m, text)]
    closed = [
        m for m in mentions if not m.open_ended and not _bound_elsewhere(norm, m, text, trigger_at, triggers)
    ]
    if closed:
        best = min(closed, key=lambda m: PRECISION_RANK.get(m.precision, 9))
        return When(best.start, best.end, best.precision, best.text, best.warnings)
    since = [
        m for m in mentions if m.open_ended and not _bound_elsewhere(norm, m, text, trigger_at, triggers)
    ]
    if not since:
        return None
    best = min(since, key=lambda m: PRECISION_RANK.get(m.precision, 9))
    after = normalize(text[best.span[1] :])
    cause_at = len(norm) - len(after)
    if _SINCE_CAUSE_RE.match(after) and (trigger_at is None or trigger_at >= cause_at):
        # «مغلق منذ 13 يوليو إثر هجوم»: the state began with the event, which is of that date.
        return When(best.start, _until_end(best), best.precision, best.text, best.warnings)
    if published - best.start > RECENT_SINCE and best.precision != "approximate":
        return When(best.start, _until_end(best), best.precision, best.text, best.warnings)
    return When(best.start, best.end, "approximate", best.text, best.warnings)


def best_date(mentions: list[DateMention]) -> DateMention | None:
    """The most precise closed date among the mentions ("منذ …" ranges are left out)."""
    closed = [m for m in mentions if not m.open_ended]
    if not closed:
        return None
    return min(closed, key=lambda m: PRECISION_RANK.get(m.precision, 9))
