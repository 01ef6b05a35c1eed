"""Rule-based resolver for the date expressions in Arabic news text.

`find_dates(text, published)` finds every date expression it knows, resolves it
against the article's publication date and returns the mentions in text order,
without overlaps (the longest match wins; at equal length the earlier one).
Standard library only: the date libraries that claim Arabic parse none of the
multi-word relative phrases these briefings use, and put bare weekdays in the
future.

Matching runs on `arabic.normalize`d text (diacritics and tatweel stripped, alef,
alef maqsura and ta marbuta folded, Arabic-Indic digits made ASCII), one
character at a time, so every span maps back to the original text; a span keeps
the diacritics of its last word. Clitics (و، ف، ب، ل، ك) in front of a
matched word are left out of the span, and so are prepositions (في، خلال،
على مدى, بتاريخ) — except منذ and قبل, which change the meaning.

Rules
-----
Relative days (precision "day")
    اليوم = published; أمس, الأمس, البارحة = -1; أول أمس, أول من أمس, أمس الأول = -2;
    غدا, يوم الغد, صباح غد = +1; بعد غد = +2. A weekday after the word ("أمس الأربعاء",
    "اليوم الخميس") is checked against the computed day; when they disagree the
    relative word wins and the mention carries a warning. اليوم is not "today" in
    اليوم التالي / اليوم الأول / ذلك اليوم and the like.
Weekdays (precision "day")
    A bare weekday (الخميس, يوم الخميس, مساء الخميس) is the most recent such day on or
    before publication. With الماضي / الفائت / المنصرم it is strictly before (a week
    back when the paper appeared on that weekday); with قبل الماضي a week earlier
    still; with المقبل / القادم the first one strictly after.
Nights
    Arabic reckons a night with the day that follows it, so ليلة الجمعة / ليل الجمعة is
    the Thursday–Friday night: a two-day range ending on the resolved Friday. An
    explicit pair (ليل الخميس – الجمعة, ليلة السبت إلى الأحد, يومي الخميس والجمعة,
    from any dash, "/", "إلى", "حتى", "على" or "و") is a range whose last day resolves
    like a bare weekday: the night is over by the time the paper reports it.
    ليلة أمس and الليلة الماضية are yesterday–today.
Weeks (precision "week")
    Weeks run Sunday to Saturday (WEEK_START). The Libyan working week starts on
    Sunday (the weekend is Friday–Saturday); Arabic wall calendars often print
    Saturday first, but a Saturday start would make "هذا الأسبوع" in a Saturday paper
    (Al-Hayat, 19 Nov 2016) mean that Saturday alone. هذا الأسبوع / الأسبوع الجاري /
    الحالي = start of the week .. published; الأسبوع الماضي = the whole previous week;
    قبل الماضي the one before; المقبل / القادم = the whole next week.
Months and years (precision "month" / "year")
    Current periods (الشهر الجاري, نوفمبر الجاري, العام الجاري, هذا العام) run from
    their first day to the publication date; past and coming ones are whole calendar
    periods. Years are "عام/العام/سنة 2014", or a bare 1800–2199 after في / منذ / حتى /
    خلال / … when the clause ends there or a definite noun follows ("في 2000 غارة"
    counts raids). A month name needs a day, a year, a qualifier, شهر or a preposition
    before it: مارس alone is also "he practised", نيسان a car; آب, ماي and جوان need a
    day, a year or a qualifier (أب "father" folds to آب, ماي and جوان are names), except
    آب spelt with the madda after a preposition. A month name with الماضي is the latest such month strictly before the
    publication month, with المقبل the first one after it. "نوفمبر الجاري" in a paper
    from another month is read in the publication year, with a warning.
Year inference
    A day and month without a year take the latest year that puts the date at most
    FUTURE_TOLERANCE (7 days) after publication: papers announce events a few days
    ahead, and several publication dates are themselves inferred. A month without a
    year ("في نوفمبر") likewise: the latest one starting within the tolerance.
    Impossible dates ("31 فبراير", "29 فبراير 2019") yield nothing.
Parts of periods (precision "approximate")
    مطلع / أوائل / بداية / مستهل = first third, منتصف / أواسط = middle third,
    أواخر / نهاية = last third: days 1–10 / 11–20 / 21–end of a month,
    January–April / May–August / September–December of a year.
Durations (precision "approximate")
    قبل N units: centre = published − N units, window = centre ± slack (day 1 day,
    week 3 days, month 15 days, year 91 days), slack doubled after نحو / حوالي /
    قرابة / زهاء / ما يقارب / تقريبا. أكثر من N = between N+1 and N units back;
    أقل من N = between N units back and published. A plural without a number
    (قبل أيام, قبل أشهر) or with بضعة / عدة counts 3–10 units (the Arabic plural of
    paucity), plus slack. Hours (قبل ساعات) = the day before publication to
    publication. Windows never end after publication. A duration followed by من /
    على / عن ("قبل يومين من الانتخابات") counts from another event and is skipped,
    and so is "قبل يوم الخميس" / "قبل شهر رمضان" / "قبل عام 2014" (a noun, not a
    duration). بعد + duration is not resolved (it is usually narrative time).
منذ (since)
    منذ + any expression above is an open range: open_ended=True, start = the
    expression's start, end = published. منذ also means "ago" ("وصل منذ يومين"); the
    range still starts at the event.
Recent periods (precision "approximate", ending at publication)
    الساعات الأخيرة / الماضية = 1 day (الساعات الـ48 الماضية = 2), الأيام … = 10 days,
    الأسابيع … = 10 weeks, الأشهر / الشهور … = 10 months, السنوات / الأعوام … = 10
    years, الآونة الأخيرة / الفترة الأخيرة / مؤخرا = 2 months; with المقبلة / القادمة
    the same windows after publication. "الأيام الأخيرة من حكم …" is skipped.
Not dates
    Weekdays in place names (the built-in PLACE_NAMES, and any weekday right after
    سوق / ميدان / شارع / …), names built on dates (ثورة 17 فبراير, كتيبة شهداء 17
    فبراير), anything inside quotation marks that hold at most four words (a unit
    or a label: "21 صاعقة", «13 متطرفاً», «ليبيا اليوم»), العام as an adjective
    (الأمين العام الحالي, المؤتمر الوطني العام), media names (روسيا اليوم), أمس
    الحاجة. Hijri month names are not month names here (رجب طيب أردوغان, رمضان and
    شعبان as given names are safe; Hijri dates are not resolved at all), and
    weekdays need the article or يوم, so جمعة as a given name is safe.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from briefgen.arabic import normalize

__all__ = ["FUTURE_TOLERANCE", "WEEK_START", "DateMention", "Precision", "find_dates"]

Precision = Literal["day", "week", "month", "year", "approximate"]


@dataclass(frozen=True)
class DateMention:
    start: datetime.date
    end: datetime.date  # == start for a single day; start <= end always
    precision: Precision
    text: str  # exactly original_text[span[0]:span[1]]
    span: tuple[int, int]  # character offsets in the original (un-normalized) text
    open_ended: bool = False  # "منذ …": from start up to (at least) the publication date
    warnings: tuple[str, ...] = ()


# --------------------------------------------------------------------------- tables
# Written in ordinary spelling; folded with `normalize` when the regexes are built.

WEEK_START = 6  # Sunday, as datetime.date.weekday() counts (Monday = 0)
FUTURE_TOLERANCE = datetime.timedelta(days=7)

WEEKDAYS: dict[str, int] = {
    "الاثنين": 0,
    "الإثنين": 0,
    "الثلاثاء": 1,
    "الأربعاء": 2,
    "الخميس": 3,
    "الجمعة": 4,
    "السبت": 5,
    "الأحد": 6,
}
WEEKDAY_NAMES_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# The month names Libyan and Egyptian papers use, in calendar order (also for display).
MONTH_NAMES_AR: tuple[str, ...] = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)

MONTHS: dict[str, int] = {
    # Egypt, Libya, the Gulf
    "يناير": 1,
    "فبراير": 2,
    "مارس": 3,
    "أبريل": 4,
    "إبريل": 4,
    "مايو": 5,
    "يونيو": 6,
    "يونيه": 6,
    "يوليو": 7,
    "يوليه": 7,
    "أغسطس": 8,
    "سبتمبر": 9,
    "أكتوبر": 10,
    "نوفمبر": 11,
    "ديسمبر": 12,
    # The Levant and Iraq
    "كانون الثاني": 1,
    "كانون ثاني": 1,
    "شباط": 2,
    "آذار": 3,
    "نيسان": 4,
    "أيار": 5,
    "حزيران": 6,
    "تموز": 7,
    "آب": 8,
    "أيلول": 9,
    "تشرين الأول": 10,
    "تشرين أول": 10,
    "تشرين الثاني": 11,
    "تشرين ثاني": 11,
    "كانون الأول": 12,
    "كانون أول": 12,
    # Tunisia, Algeria, Morocco
    "جانفي": 1,
    "فيفري": 2,
    "أفريل": 4,
    "ماي": 5,
    "جوان": 6,
    "جويلية": 7,
    "يوليوز": 7,
    "أوت": 8,
    "غشت": 8,
    "شتنبر": 9,
    "نونبر": 11,
    "دجنبر": 12,
}

# Month names that are also people's names (تيريزا ماي, جوان) or words (أب folds to آب):
# read as months only with a day, a year or a qualifier.
NAME_LIKE_MONTHS: tuple[str, ...] = ("ماي", "جوان", "آب")

# Hijri months are never read as months; they only stop "قبل شهر رمضان" reading as "a month ago".
HIJRI_MONTHS: tuple[str, ...] = (
    "محرم",
    "صفر",
    "ربيع",
    "جمادى",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو",
    "ذي",
)

# Ordinal day words, masculine (they agree with يوم): 1–31.
_ORDINAL_UNITS = ("الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع")


def _ordinal_table() -> dict[str, int]:
    table: dict[str, int] = {"الفاتح": 1}  # Libyan: الفاتح من سبتمبر
    for n, word in enumerate(_ORDINAL_UNITS, start=1):
        table[word] = n
        if n >= 3:
            table[f"{word} عشر"] = 10 + n
    table.update({"العاشر": 10, "الحادي عشر": 11, "الثاني عشر": 12})
    tens = {20: ("العشرين", "العشرون"), 30: ("الثلاثين", "الثلاثون")}
    for base, words in tens.items():
        for tens_word in words:
            table[tens_word] = base
            units = [*_ORDINAL_UNITS[1:9], "الحادي", "الواحد"] if base == 20 else ["الحادي", "الواحد"]
            for unit in units:
                n = base + (1 if unit in ("الحادي", "الواحد") else _ORDINAL_UNITS.index(unit) + 1)
                # "الحادي والعشرين" and "الحادي و العشرين"
                table[f"{unit} و{tens_word}"] = n
                table[f"{unit} و {tens_word}"] = n
    return table


ORDINAL_DAYS: dict[str, int] = _ordinal_table()

# Night parts take the range reading; the rest only name a time of day.
DAY_PARTS: dict[str, bool] = {
    "صباح": False,
    "صبيحة": False,
    "مساء": False,
    "ظهر": False,
    "ظهيرة": False,
    "عصر": False,
    "فجر": False,
    "ضحى": False,
    "ليل": True,
    "ليلة": True,
    "منتصف ليل": True,
    "منتصف ليلة": True,
}

RELATIVE_DAYS: dict[str, int] = {
    "اليوم": 0,
    "أمس": -1,
    "الأمس": -1,
    "البارحة": -1,
    "الليلة الماضية": -1,
    "أول أمس": -2,
    "أول من أمس": -2,
    "أمس الأول": -2,
    "غدا": 1,
    "الغد": 1,
    "غد": 1,
    "بعد غد": 2,
}
# الغد alone is "the future" (ليبيا الغد): only after يوم or a part of the day.
NEEDS_DAY_WORD: tuple[str, ...] = ("الغد", "غد")
NIGHT_WORDS: tuple[str, ...] = ("الليلة الماضية",)

# After a weekday, month, week, month word or year word.
QUALIFIERS: dict[str, str] = {
    "الماضي": "past",
    "الماضية": "past",
    "الفائت": "past",
    "الفائتة": "past",
    "المنصرم": "past",
    "المنصرمة": "past",
    "قبل الماضي": "past2",
    "قبل الماضية": "past2",
    "الجاري": "current",
    "الجارية": "current",
    "الحالي": "current",
    "الحالية": "current",
    "المقبل": "next",
    "المقبلة": "next",
    "القادم": "next",
    "القادمة": "next",
    # duals, after a pair of weekdays: "الجمعة والسبت الماضيين"
    "الماضيين": "past",
    "المقبلين": "next",
    "القادمين": "next",
}

PERIOD_PARTS: dict[str, int] = {
    "مطلع": 0,
    "أوائل": 0,
    "بداية": 0,
    "بدايات": 0,
    "مستهل": 0,
    "منتصف": 1,
    "أواسط": 1,
    "أواخر": 2,
    "نهاية": 2,
}

NUMBER_WORDS: dict[str, int] = {
    "واحد": 1,
    "واحدة": 1,
    "اثنين": 2,
    "اثنان": 2,
    "اثنتين": 2,
    "ثلاث": 3,
    "ثلاثة": 3,
    "أربع": 4,
    "أربعة": 4,
    "خمس": 5,
    "خمسة": 5,
    "ست": 6,
    "ستة": 6,
    "سبع": 7,
    "سبعة": 7,
    "ثمان": 8,
    "ثماني": 8,
    "ثمانية": 8,
    "تسع": 9,
    "تسعة": 9,
    "عشر": 10,
    "عشرة": 10,
}
VAGUE_COUNTS: tuple[str, ...] = ("بضعة", "بضع", "عدة")

# form -> (unit, count implied by the form: 1 singular, 2 dual, None plural)
UNIT_FORMS: dict[str, tuple[str, int | None]] = {
    "ساعة": ("hour", 1),
    "ساعتين": ("hour", 2),
    "ساعات": ("hour", None),
    "يوم": ("day", 1),
    "يوما": ("day", 1),
    "يومين": ("day", 2),
    "يومان": ("day", 2),
    "أيام": ("day", None),
    "أسبوع": ("week", 1),
    "أسبوعا": ("week", 1),
    "أسبوعين": ("week", 2),
    "أسابيع": ("week", None),
    "شهر": ("month", 1),
    "شهرا": ("month", 1),
    "شهرين": ("month", 2),
    "أشهر": ("month", None),
    "شهور": ("month", None),
    "عام": ("year", 1),
    "عاما": ("year", 1),
    "سنة": ("year", 1),
    "عامين": ("year", 2),
    "عامان": ("year", 2),
    "سنتين": ("year", 2),
    "أعوام": ("year", None),
    "سنوات": ("year", None),
    "سنين": ("year", None),
}
DURATION_SLACK: dict[str, datetime.timedelta] = {
    "hour": datetime.timedelta(0),
    "day": datetime.timedelta(days=1),
    "week": datetime.timedelta(days=3),
    "month": datetime.timedelta(days=15),
    "year": datetime.timedelta(days=91),
}
PAUCITY = (3, 10)  # what a bare plural (أيام, أشهر) or بضعة/عدة counts

APPROXIMATORS: dict[str, str] = {
    "نحو": "about",
    "حوالي": "about",
    "قرابة": "about",
    "زهاء": "about",
    "ما يقارب": "about",
    "ما يقرب من": "about",
    "أكثر من": "more",
    "ما يزيد عن": "more",
    "ما يزيد على": "more",
    "ما يربو على": "more",
    "ما لا يقل عن": "more",
    "أقل من": "less",
}

# Plural time nouns in "الأيام الأخيرة" and the like -> (unit, how many back or ahead).
RECENT_PERIODS: dict[str, tuple[str, int]] = {
    "الساعات": ("day", 1),
    "الأيام": ("day", 10),
    "الأسابيع": ("week", 10),
    "الأشهر": ("month", 10),
    "الشهور": ("month", 10),
    "السنوات": ("year", 10),
    "الأعوام": ("year", 10),
}
RECENT_QUALIFIERS: dict[str, int] = {
    "الماضية": -1,
    "الأخيرة": -1,
    "المنصرمة": -1,
    "الفائتة": -1,
    "المقبلة": 1,
    "القادمة": 1,
}
RECENTLY: tuple[str, ...] = ("الآونة الأخيرة", "الفترة الأخيرة", "مؤخرا")
RECENTLY_MONTHS = 2

# Places named after market days.
PLACE_NAMES: tuple[str, ...] = ("سوق الخميس امسيحل", "سوق الخميس", "سوق الجمعة", "سوق الثلاثاء")
# A weekday right after one of these is a place name.
PLACE_HEADS: tuple[str, ...] = (
    "سوق",
    "ميدان",
    "شارع",
    "ساحة",
    "جامع",
    "مسجد",
    "حي",
    "طريق",
    "دوار",
    "جسر",
    "بوابة",
    "مدرسة",
    "فندق",
)
# A date right after one of these names a revolution, a unit, a square…
DATE_NAME_HEADS: tuple[str, ...] = (
    "ثورة",
    "انتفاضة",
    "حركة",
    "كتيبة",
    "لواء",
    "سرية",
    "ميدان",
    "شارع",
    "ساحة",
    "جسر",
    "مستشفى",
    "مدرسة",
    "تجمع",
    "ائتلاف",
    "جبهة",
    "قناة",
    "جامعة",
)
# Titles that make a following (ال)عام the adjective "general", not "year": الأمين العام, مدير عام.
GENERAL_TITLES: tuple[str, ...] = (
    "أمين",
    "قائد",
    "نائب",
    "مدعي",
    "مراقب",
    "مدير",
    "سكرتير",
    "مفتش",
    "منسق",
    "مقرر",
    "مرشد",
)
# Nouns that do the same only with the article: "الأمن العام", but "عقيلة صالح العام الماضي"
# and "وضع العام الماضي خطة" (he set out a plan last year) keep their year.
GENERAL_NOUNS: tuple[str, ...] = (
    "رأي",
    "قطاع",
    "شأن",
    "مال",
    "أمن",
    "نظام",
    "إضراب",
    "عفو",
    "صالح",
    "نفع",
    "تعليم",
    "إطار",
    "طابع",
    "وضع",
    "مشهد",
    "مناخ",
    "اتجاه",
    "هيكل",
)
ORG_NAMES: tuple[str, ...] = ("المؤتمر الوطني العام",)
MEDIA_NAMES: tuple[str, ...] = ("روسيا اليوم", "المصري اليوم")
MEDIA_HEADS: tuple[str, ...] = ("قناة", "صحيفة", "جريدة", "موقع", "وكالة", "بوابة", "برنامج", "مجلة")
# Weekday words in phrases that are not weekdays.
NOT_WEEKDAYS: tuple[str, ...] = ("كلا الاثنين", "الاثنين معا", "الأحد عشر", "الواحد الأحد")

# اليوم followed or preceded by these is "the day", not "today".
DAY_NOT_TODAY_NEXT: tuple[str, ...] = (
    *_ORDINAL_UNITS,
    "العاشر",
    "الأخير",
    "التالي",
    "السابق",
    "اللاحق",
    "نفسه",
    "ذاته",
    "الوطني",
    "العالمي",
    "الدولي",
    "الموعود",
    "المحدد",
    "المشهود",
    "المقرر",
    "الذي",
    "الآخر",
    "الواحد",
    "كله",
    "بكامله",
)
DAY_NOT_TODAY_PREV: tuple[str, ...] = ("ذلك", "ذات", "نفس", "تلك", "ذاك")

# Short quotations are labels (unit names, slogans), not prose.
QUOTE_PAIRS: dict[str, str] = {"«": "»", "»": "«", "“": "”“", "”": "”", "„": "“”", '"': '"'}
MAX_LABEL_WORDS = 4

# --------------------------------------------------------------------------- regex pieces
# The patterns run on folded text, so literals in them are folded too: السنه, الاسبوع, حتي.

_S = r"[^\S\n]+"  # spaces inside a line: a date never runs over a line break
_S0 = r"[^\S\n]*"
_B = r"(?<!\w)"
_E = r"(?!\w)"
# Conjunction and preposition clitics in front of a word, left out of the span.
_CL = r"(?:[وف]?[بلك](?=ال)|[وف])?"
# Digits that do not continue a number, a decimal or a numeric date.
_DB = r"(?<![\d.,/:\-])"


def _n(word: str) -> str:
    return normalize(word)


def _folded(table: Iterable[str]) -> list[str]:
    return sorted({_n(w) for w in table}, key=lambda w: (-len(w), w))


def _alt(words: Iterable[str]) -> str:
    """A non-capturing alternation of the folded words, longest first, spaces flexible."""
    return "(?:" + "|".join(_S.join(re.escape(p) for p in w.split()) for w in _folded(words)) + ")"


def _fold_keys(table: dict[str, int]) -> dict[str, int]:
    return {_n(k): v for k, v in table.items()}


_WEEKDAY_NUM = _fold_keys(WEEKDAYS)
_MONTH_NUM = _fold_keys(MONTHS)
_ORDINAL_NUM = {re.sub(r"\s+", " ", _n(k)): v for k, v in ORDINAL_DAYS.items()}
_REL_OFFSET = _fold_keys(RELATIVE_DAYS)
_DAY_PART_NIGHT = {_n(k): v for k, v in DAY_PARTS.items()}
_QUAL_KIND = {_n(k): v for k, v in QUALIFIERS.items()}
_PART_NUM = _fold_keys(PERIOD_PARTS)
_NUMBER_NUM = _fold_keys(NUMBER_WORDS)
_UNIT = {_n(k): v for k, v in UNIT_FORMS.items()}
_APPROX_KIND = {re.sub(r"\s+", " ", _n(k)): v for k, v in APPROXIMATORS.items()}
_RECENT = {_n(k): v for k, v in RECENT_PERIODS.items()}
_RECENT_DIR = _fold_keys(RECENT_QUALIFIERS)
_NEEDS_DAY_WORD = frozenset(_n(w) for w in NEEDS_DAY_WORD)
_NIGHT_WORDS = frozenset(_n(w) for w in NIGHT_WORDS)
_NOT_TODAY_NEXT = frozenset(_n(w) for w in DAY_NOT_TODAY_NEXT)
_NOT_TODAY_PREV = frozenset(_n(w) for w in DAY_NOT_TODAY_PREV)
_NAME_LIKE_MONTHS = frozenset(_n(w) for w in NAME_LIKE_MONTHS)
_NOUNS_AFTER_UNIT = frozenset(_folded([*MONTHS, *HIJRI_MONTHS, *WEEKDAYS]))

_WD = _alt(WEEKDAYS)
_MON = _alt(MONTHS)
_ORD = _alt(ORDINAL_DAYS)
_QUAL = _alt(QUALIFIERS)
_DAY_PART = _alt(DAY_PARTS)
_YEAR = r"(?:1[89]|2[01])\d\d(?!\d)"
_YEAR_WORD = _alt(["عام", "العام", "سنة", "السنة"])
_THIS_YEAR = _alt(["هذا العام", "هذه السنة", "العام هذا"])
_THIS_MONTH = _alt(["هذا الشهر", "الشهر هذا"])
_AD = rf"(?:{_S0}م{_E}|{_S}ميلادي(?:ه)?{_E})?"  # "2016م", "2016 ميلادية"

_MONTHS_GROUP = rf"(?:شهر{_S})?(?P<mon>{_MON}){_E}(?:{_S0}[/(]{_S0}(?P<mon2>{_MON}){_E}(?:{_S0}\))?)?"
_YEAR_TAIL = (
    rf"(?:{_S0}[،,]?{_S0}(?:من{_S})?(?:{_YEAR_WORD}{_S})?(?P<y>{_YEAR}){_AD}"
    rf"|{_S}(?:من{_S})?(?:{_YEAR_WORD}{_S}(?P<yq>{_QUAL})|(?P<ythis>{_THIS_YEAR})){_E})"
)
_MONTH_QUAL = rf"{_S}(?P<mq>{_QUAL}){_E}"
_DAY_NUMBER = rf"(?P<d>\d{{1,2}})(?!\d){_S0}(?:من{_S})?"
_DAY_ORDINAL = (
    rf"{_B}(?P<od>{_ORD}){_S}من{_S}"  # ordinals need من: "الثاني مارس" is "the second one practised"
)
_DAY = rf"(?:{_DB}{_DAY_NUMBER}|{_DAY_ORDINAL})"
_DAY_AFTER_DASH = rf"(?:{_DAY_NUMBER}|{_DAY_ORDINAL})"  # "17-19 نوفمبر"
_WEEKDAY_PREFIX = rf"(?:{_DAY_PART}{_S})?(?:يوم{_S})?(?P<wd>{_WD}){_S0}[،,]?{_S0}(?:الموافق{_S})?"
_RANGE_SEP = rf"(?:[-–—/]|{_alt(['إلى', 'حتى', 'على'])}{_E}|و)"


def _heads(words: Iterable[str]) -> str:
    # The head word may carry a clitic and the article: وسوق, بالسوق, لسوق.
    return rf"{_B}(?:[وفبلك]|ال|وال|بال|فال|لل)?{_alt(words)}"


# --------------------------------------------------------------------------- resolution


@dataclass(frozen=True)
class _Res:
    start: datetime.date
    end: datetime.date
    precision: Precision
    open_ended: bool = False
    warnings: tuple[str, ...] = ()


_BLOCK: Literal["block"] = "block"  # a span that is not a date and hides any date inside it
_Outcome = _Res | Literal["block"] | None  # None: this rule does not apply here


class _Ctx:
    def __init__(self, norm: str, original: str, published: datetime.date, origin: list[int]) -> None:
        self.norm = norm
        self.original = original
        self.published = published
        self.origin = origin

    def prev_word(self, pos: int) -> str:
        m = re.search(r"(\w+)\W*$", self.norm[max(0, pos - 40) : pos])
        return m.group(1) if m else ""

    def next_word(self, pos: int) -> str:
        m = re.match(r"[^\S\n]*[،,]?[^\S\n]*(\w+)", self.norm[pos : pos + 40])
        return m.group(1) if m else ""


def _day(d: datetime.date) -> _Res:
    return _Res(d, d, "day")


def _add_months(d: datetime.date, months: int) -> datetime.date:
    year, month0 = divmod(d.month - 1 + months, 12)
    year += d.year
    return datetime.date(year, month0 + 1, min(d.day, calendar.monthrange(year, month0 + 1)[1]))


def _shift(d: datetime.date, unit: str, count: int) -> datetime.date:
    """`d` moved `count` units (negative: back), months and years on the calendar."""
    if unit == "month":
        return _add_months(d, count)
    if unit == "year":
        return _add_months(d, 12 * count)
    days = {"hour": 0, "day": 1, "week": 7}[unit]
    return d + datetime.timedelta(days=days * count)


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _weekday_warning(word: str, day: datetime.date) -> str:
    return f"weekday {word!r} does not match {day.isoformat()}, which is a {WEEKDAY_NAMES_EN[day.weekday()]}"


def _resolve_weekday(published: datetime.date, weekday: int, kind: str | None) -> datetime.date:
    back = (published.weekday() - weekday) % 7
    if kind in ("past", "past2"):
        back = back or 7
        return published - datetime.timedelta(days=back + (7 if kind == "past2" else 0))
    if kind == "next":
        return published + datetime.timedelta(days=(weekday - published.weekday()) % 7 or 7)
    return published - datetime.timedelta(days=back)


def _week_start(d: datetime.date) -> datetime.date:
    return d - datetime.timedelta(days=(d.weekday() - WEEK_START) % 7)


def _month_year(published: datetime.date, month: int, kind: str | None) -> tuple[int, tuple[str, ...]]:
    """The year of a named month with an optional الماضي/الجاري/المقبل."""
    if kind == "current":
        warn = () if month == published.month else (f"month {month} is not the publication month",)
        return published.year, warn
    if kind in ("past", "past2"):
        year = published.year if month < published.month else published.year - 1
        return year - (1 if kind == "past2" else 0), ()
    if kind == "next":
        return (published.year if month > published.month else published.year + 1), ()
    latest = published + FUTURE_TOLERANCE
    year = latest.year if datetime.date(latest.year, month, 1) <= latest else latest.year - 1
    return year, ()


def _infer_day(published: datetime.date, month: int, day: int) -> datetime.date:
    """The latest valid date with this day and month no later than the tolerance allows."""
    latest = published + FUTURE_TOLERANCE
    for year in range(latest.year, latest.year - 9, -1):  # 8 years reach past a skipped leap day
        try:
            d = datetime.date(year, month, day)
        except ValueError:
            continue
        if d <= latest:
            return d
    raise ValueError(f"no date {day}/{month}")


def _year_kind(published: datetime.date, kind: str) -> int:
    return published.year + {"past": -1, "past2": -2, "current": 0, "next": 1}[kind]


def _relative_month(published: datetime.date, kind: str) -> tuple[int, int]:
    first = published.replace(day=1)
    shifted = _add_months(first, {"past": -1, "past2": -2, "current": 0, "next": 1}[kind])
    return shifted.year, shifted.month


def _month_pair(m: re.Match[str]) -> tuple[int, tuple[str, ...]]:
    month = _MONTH_NUM[_squash(m["mon"])]
    if m["mon2"] and _MONTH_NUM[_squash(m["mon2"])] != month:
        return month, (f"month names {m['mon']!r} and {m['mon2']!r} disagree",)
    return month, ()


def _squash(words: str) -> str:
    return re.sub(r"\s+", " ", words)


def _g(m: re.Match[str], name: str) -> str | None:
    """An optional group, None when the rule's pattern does not have it."""
    return m.groupdict().get(name)


def _explicit_year(m: re.Match[str], published: datetime.date) -> int | None:
    if year := _g(m, "y"):
        return int(year)
    if qualifier := _g(m, "yq"):
        return _year_kind(published, _QUAL_KIND[_squash(qualifier)])
    if _g(m, "ythis"):
        return published.year
    return None


def _day_number(m: re.Match[str]) -> int:
    return int(m["d"]) if m["d"] else _ORDINAL_NUM[_squash(m["od"])]


# --------------------------------------------------------------------------- handlers


def _h_block(m: re.Match[str], ctx: _Ctx) -> _Outcome:
    return _BLOCK


def _h_relative(m: re.Match[str], ctx: _Ctx) -> _Outcome:
    rel = _squash(m["rel"])
    has_day_word = bool(m["dp"] or m["yom"])
    if rel in _NEEDS_DAY_WORD and not has_day_word:
        return None
    if not m["wd"]:
        following = ctx.next_word(m.end("rel"))
        not_today = following in _NOT_TODAY_NEXT or ctx.prev_word(m.start("rel")) in _NOT_TODAY_PREV
        if rel == "اليوم" and not has_day_word and not_today:  # اليوم التالي, ذلك اليوم: "the day"
            return None
        if rel == "امس" and following.startswith("الحاج"):  # في أمس الحاجة: "in dire need"
            return None
    day = ctx.published + datetime.timedelta(days=_REL_OFFSET[rel])
    warnings: tuple[str, ...] = ()
    if m["wd"] and _WEEKDAY_NUM[m["wd"]] != day.weekday():
        warnings = (_weekday_warning(m["wd"], day),)
    night = m["dp"] and _DAY_PART_NIGHT[_squash(m["dp"])]
    if rel in _NIGHT_WORDS or (night and _REL_OFFSET[rel] == -1):
        return _Res(day, day + datetime.timedelta(days=1), "day", warnings=warnings)
    return _Res(day, day, "day", warnings=warnings)


def _h_weekday(m: re.Match[str], ctx: _Ctx) -> _Outcome:
    kind = _QUAL_KIND.get(_squash(m["q"])) if m["q"] else None
    day = _resolve_weekday(ctx.published, _WEEKDAY_NUM[m["wd"]], kind)
    if m["dp"] and _DAY_PART_NIGHT[_squash(m["dp"])]:
        return _Res(day - datetime.timedelta(days=1), day, "day")
    return _day(day)


def _h_weekday_range(m: re.Match[str], ctx: _Ctx) -> _Outcome:
    night = bool(m["dp"]) and _DAY_PART_NIGHT[_squash(m["dp"])]
    if not m["sep"] and not night:  # "الخميس الجمعة" run together is a range only after ليل
        return None
    first, last = _WEEKDAY_NUM[m["wd"]], _WEEKDAY_NUM[m["wd2"]]
    gap = (last - first) % 7
    if gap == 0 or (night and gap != 1):
        return None
    # "الاثنين والجمعة" is two days, not the week between them; "بين الاثنين والجمعة" and
    # "من الاثنين إلى الجمعة" are ranges.
    joined = m["sep"] in (None, "و", "/")
    if joined and gap != 1 and ctx.prev_word(m.start("m")) != "بين":
        return None
    kind = _QUAL_KIND.get(_squash(m["q"])) if m["q"] else None
    end = _resolve_weekday(ctx.published, last, kind)
    return _Res(end - datetime.timedelta(days=gap), end, "day")


def _h_day_month(m: re.Match[str], ctx: _Ctx) -> _Outcome:
    day = _day_number(m)
    month, warnings = _month_pair(m)
    year = _explicit_year(m, ctx.published)
    if year is None and m["mq"]:
        year, more = _month_year(ctx.published, month, _QUAL_KIND[_squash(m["mq"])])
        warnings += more
    date = datetime.date(year, month, day) if year is not None else _infer_day(ctx.published, month, day)
    start = date
    if _g(m, "d1"):
        first = int(m["d1"])
        if first >= day:
            return None
        start = date.replace(day=first)
    if _g(m, "wd") and _WEEKDAY_NUM[m["wd"]] != date.weekday():
        warnings += (_weekday_warning(m["wd"], date),)
    return _Res(start, date, "day", warnings=warnings)


def _h_day_of_relative_month(m: re.Match[str], ctx: _Ctx) -> _Outcome:
    kind = _QUAL_KIND[_squash(m["mq"])] if m["mq"] else "current"
    year, month = _relative_month(ctx.published, kind)
    return _day(datetime.date(year, month, _day_number(m)))


def _month_range(m: re.Match[str], ctx: _Ctx) -> tuple[datetime.date, datetime.date, bool, tuple[str, ...]]:
    """First and last day of the named month, whether it is the current one, and warnings."""
    month, warnings = _month_pair(m)
    year = _explicit_year(m, ctx.published)
    kind = _QUAL_KIND[_squash(m["mq"])] if _g(m, "mq") else None
    if year is None:
        year, more = _month_year(ctx.published, month, kind)
        warnings += more
    current = kind == "current" and month == ctx.published.month
    return datetime.date(year, month, 1), _month_end(year, month), current, warnings


def _h_month(m: re.Match[str], ctx: _Ctx) -> _Outcome:
    anchored = any(_g(m, name) for name in ("y", "yq", "ythis", "mq", "prep", "shahr"))
    if not anchored:
        return None  # a bare month name: مارس is also "he practised", نيسان a car
    dated = any(_g(m, name) for name in ("y", "yq", "ythis", "mq"))
    if not dated and not m["mon2"] and _squash(m["mon"]) in _NAME_LIKE_MONTHS:
        # "في آب" is August when written with the madda; "أب" is "father", ماي a name.
        i = ctx.origin[m.start("mon")]
        if not unicodedata.normalize("NFC", ctx.original[i : i + 2]).startswith("آ"):
            return None
    start, end, current, warnings = _month_range(m, ctx)
    if current:
        end = min(end, ctx.published)
    return _Res(start, end, "month", warnings=warnings)


def _third(
    start: datetime.date, end: datetime.date, part: int, unit: str
) -> tuple[datetime.date, datetime.date]:
    if unit == "month":
        bounds = ((1, 10), (11, 20), (21, end.day))[part]
        return start.replace(day=bounds[0]), start.replace(day=bounds[1])
    months = ((1, 4), (5, 8), (9, 12))[part]
    return datetime.date(start.year, months[0], 1), _month_end(start.year, months[1])


def _h_part_of_month(m: re.Match[str], ctx: _Ctx) -> _Outcome:
    start, end, _current, warnings = _month_range(m, ctx)
    first, last = _third(start, end, _PART_NUM[m["part"]], "month")
    return _Res(first, last, "approximate", warnings=warnings)


def _h_part_of_relative_month(m: re.Match[str], ctx: _Ctx) -> _Outcome:
    kind = _QUAL_KIND[_squash(m["mq"])] if m["mq"] else "current"
    year, month = _relative_month(ctx.published, kind)
    first, last = _third(
        datetime.date(year, month, 1), _month_end(year, month), _PART_NUM[m["part"]], "month"
    )
    return _Res(first, last, "approximate")


def _h_part_of_year(m: re.Match[str], ctx: _Ctx) -> _Outcome:
    year = _explicit_year(m, ctx.published)
    if year is None:
        return None
    first, last = _third(datetime.date(year, 1, 1), datetime.date(year, 12, 31), _PART_NUM[m["part"]], "year")
    return _Res(first, last, "approximate")


def _h_numeric(m: re.Match[str], ctx: _Ctx) -> _Outcome:
    return _day(datetime.date(int(m["y"]), int(m["mo"]), int(m["d"])))


def _h_year(m: re.Match[str], ctx: _Ctx) -> _Outcome:
    first = int(m["y"])
    last = int(m["y2"]) if _g(m, "y2") else first
    if last < first:
        return None
    return _Res(datetime.date(first, 1, 1), datetime.date(last, 12, 31), "year")


def _h_bare_year(m: re.Match[str], ctx: _Ctx) -> _Outcome:
    # "في 2000 غارة" counts raids: a bare year must end the clause or precede a definite noun.
    following = re.match(r"[^\S\n]*(\w*)", ctx.norm[m.end("m") :])
    word = following.group(1) if following else ""
    if word and not word.startswith("ال") and not word.isascii():
        return None
    return _h_year(m, ctx)


def _h_relative_year(m: re.Match[str], ctx: _Ctx) -> _Outcome:
    kind = _QUAL_KIND[_squash(m["q"])] if m["q"] else "current"
    year = _year_kind(ctx.published, kind)
    end = ctx.published if kind == "current" else datetime.date(year, 12, 31)
    return _Res(datetime.date(year, 1, 1), end, "year")


def _h_relative_month(m: re.Match[str], ctx: _Ctx) -> _Outcome:
    kind = _QUAL_KIND[_squash(m["q"])] if m["q"] else "current"
    year, month = _relative_month(ctx.published, kind)
    end = ctx.published if kind == "current" else _month_end(year, month)
    return _Res(datetime.date(year, month, 1), end, "month")


def _h_week(m: re.Match[str], ctx: _Ctx) -> _Outcome:
    kind = _QUAL_KIND[_squash(m["q"])] if m["q"] else "current"
    this_week = _week_start(ctx.published)
    if kind == "current":
        return _Res(this_week, ctx.published, "week")
    start = this_week + datetime.timedelta(weeks={"past": -1, "past2": -2, "next": 1}[kind])
    return _Res(start, start + datetime.timedelta(days=6), "week")


def _h_duration(m: re.Match[str], ctx: _Ctx) -> _Outcome:
    unit, implied = _UNIT[m["unit"]]
    count: int | None = implied
    if m["num"]:
        count = int(m["num"]) if m["num"].isdigit() else _NUMBER_NUM[m["num"]]
    following = ctx.next_word(m.end("m"))
    if following in ("من", "علي", "عن"):  # "قبل يومين من الانتخابات": counted from another event
        return None
    if (
        implied == 1
        and not m["num"]
        and (following.startswith("ال") or following.isdigit() or following in _NOUNS_AFTER_UNIT)
    ):
        return None  # "قبل يوم الخميس", "قبل شهر رمضان": a noun, not a duration
    approx = _APPROX_KIND.get(_squash(m["approx"])) if m["approx"] else None
    if m["tail"]:
        approx = "about"
    pub = ctx.published
    if m["vague"]:
        count = None
    if unit == "hour":
        hours = count or 1
        start, end = pub - datetime.timedelta(days=max(1, -(-hours // 24))), pub
    elif count is None:
        slack = DURATION_SLACK[unit]
        start = _shift(pub, unit, -PAUCITY[1]) - slack
        end = _shift(pub, unit, -PAUCITY[0]) + slack
    else:
        centre = _shift(pub, unit, -count)
        slack = DURATION_SLACK[unit] * (2 if approx == "about" else 1)
        if approx == "more":
            start, end = _shift(pub, unit, -count - 1), centre
        elif approx == "less":
            start, end = centre, pub
        else:
            start, end = centre - slack, centre + slack
    end = min(end, pub)
    if m["prep"] == "منذ":
        return _Res(start, pub, "approximate", open_ended=True)
    return _Res(start, end, "approximate")


def _h_recent(m: re.Match[str], ctx: _Ctx) -> _Outcome:
    if ctx.next_word(m.end("m")) in ("من", "قبل"):  # "الأيام الأخيرة من حكم القذافي"
        return None
    unit, count = _RECENT[m["unit"]]
    if m["n"]:  # "الساعات الـ48 الماضية", "الأيام العشرة"… in digits: "الأيام الـ10 الماضية"
        count = max(1, -(-int(m["n"]) // 24)) if m["unit"] == "الساعات" else int(m["n"])
    pub = ctx.published
    if _RECENT_DIR[m["q"]] > 0:
        return _Res(pub, _shift(pub, unit, count), "approximate")
    return _Res(_shift(pub, unit, -count), pub, "approximate")


def _h_recently(m: re.Match[str], ctx: _Ctx) -> _Outcome:
    return _Res(_add_months(ctx.published, -RECENTLY_MONTHS), ctx.published, "approximate")


# --------------------------------------------------------------------------- rules

_Handler = Callable[[re.Match[str], _Ctx], _Outcome]


@dataclass(frozen=True)
class _Rule:
    name: str
    regex: re.Pattern[str]
    handler: _Handler


def _rule(name: str, pattern: str, handler: _Handler) -> _Rule:
    return _Rule(name, re.compile(pattern), handler)


_PREPOSITIONS = _alt(["في", "خلال", "منذ", "حتى", "قبل", "بعد", "أثناء", "طيلة", "طوال", "بحلول"])

_BLOCKERS: tuple[_Rule, ...] = (
    _rule("place", rf"{_B}{_CL}(?P<m>{_alt(PLACE_NAMES)}){_E}", _h_block),
    _rule("place-head", rf"(?P<m>{_heads(PLACE_HEADS)}{_S}{_WD}){_E}", _h_block),
    _rule(
        "date-name",
        rf"(?P<m>{_heads(DATE_NAME_HEADS)}{_S}(?:شهداء{_S})?(?:\d{{1,2}}|{_ORD}){_S0}(?:من{_S})?{_MON}){_E}",
        _h_block,
    ),
    _rule("general-title", rf"(?P<m>{_heads(GENERAL_TITLES)}{_S}(?:ال)?عام){_E}", _h_block),
    _rule(
        "general-noun",
        rf"{_B}(?:[وفبلك]|ل)?(?P<m>(?:ال|لل){_alt(GENERAL_NOUNS)}{_S}العام){_E}",
        _h_block,
    ),
    _rule("org", rf"{_B}{_CL}(?P<m>{_alt(ORG_NAMES)}){_E}", _h_block),
    _rule("media", rf"{_B}{_CL}(?P<m>{_alt(MEDIA_NAMES)}){_E}", _h_block),
    _rule("media-head", rf"(?P<m>{_heads(MEDIA_HEADS)}{_S}\w+{_S}اليوم){_E}", _h_block),
    _rule("not-weekday", rf"{_B}{_CL}(?P<m>{_alt(NOT_WEEKDAYS)}){_E}", _h_block),
)

_RULES: tuple[_Rule, ...] = (
    _rule(
        "relative",
        rf"{_B}{_CL}(?P<m>(?:(?P<dp>{_DAY_PART}){_S})?(?:(?P<yom>يوم){_S})?(?P<rel>{_alt(RELATIVE_DAYS)})"
        rf"(?:{_S}(?:يوم{_S})?(?P<wd>{_WD}))?){_E}",
        _h_relative,
    ),
    _rule(
        "weekday",
        rf"{_B}{_CL}(?P<m>(?:(?P<dp>{_DAY_PART}){_S})?(?:يوم{_S})?(?P<wd>{_WD})(?:{_S}(?P<q>{_QUAL}))?){_E}",
        _h_weekday,
    ),
    _rule(
        "weekday-range",
        rf"{_B}{_CL}(?P<m>(?:(?P<dp>{_DAY_PART}){_S})?(?:(?:يومي|يوم){_S})?(?P<wd>{_WD})"
        rf"(?:{_S0}(?P<sep>{_RANGE_SEP}){_S0}|{_S})(?:يوم{_S})?(?P<wd2>{_WD})(?:{_S}(?P<q>{_QUAL}))?){_E}",
        _h_weekday_range,
    ),
    _rule(
        "day-month",
        rf"(?P<m>{_DAY}{_MONTHS_GROUP}(?:{_YEAR_TAIL}|{_MONTH_QUAL})?)(?!\w)",
        _h_day_month,
    ),
    _rule(
        "weekday-day-month",
        rf"{_B}{_CL}(?P<m>{_WEEKDAY_PREFIX}{_DAY}{_MONTHS_GROUP}(?:{_YEAR_TAIL}|{_MONTH_QUAL})?)(?!\w)",
        _h_day_month,
    ),
    _rule(
        "day-range-month",
        rf"(?P<m>{_DB}(?P<d1>\d{{1,2}}){_S0}{_RANGE_SEP}{_S0}{_DAY_AFTER_DASH}{_MONTHS_GROUP}(?:{_YEAR_TAIL}|{_MONTH_QUAL})?)(?!\w)",
        _h_day_month,
    ),
    _rule(
        "day-of-relative-month",
        rf"(?P<m>{_DAY}(?:(?:ال)?شهر{_S}(?P<mq>{_QUAL})|{_THIS_MONTH})){_E}",
        _h_day_of_relative_month,
    ),
    _rule(
        "month-year",
        rf"{_B}{_CL}(?P<m>{_MONTHS_GROUP}{_YEAR_TAIL})(?!\w)",
        _h_month,
    ),
    _rule("month-qualified", rf"{_B}{_CL}(?P<m>{_MONTHS_GROUP}{_MONTH_QUAL})", _h_month),
    _rule(
        "month-bare",
        rf"{_B}{_CL}(?:(?P<prep>{_PREPOSITIONS}){_S})?(?P<m>(?P<shahr>شهر{_S})?{_MONTHS_GROUP})",
        _h_month,
    ),
    _rule(
        "part-of-month",
        rf"{_B}{_CL}(?P<m>(?P<part>{_alt(PERIOD_PARTS)}){_S}{_MONTHS_GROUP}(?:{_YEAR_TAIL}|{_MONTH_QUAL})?)(?!\w)",
        _h_part_of_month,
    ),
    _rule(
        "part-of-relative-month",
        rf"{_B}{_CL}(?P<m>(?P<part>{_alt(PERIOD_PARTS)}){_S}(?:الشهر{_S}(?P<mq>{_QUAL})|{_THIS_MONTH})){_E}",
        _h_part_of_relative_month,
    ),
    _rule(
        "part-of-year",
        rf"{_B}{_CL}(?P<m>(?P<part>{_alt(PERIOD_PARTS)}){_S}(?:(?:العام|السنه){_S}(?P<yq>{_QUAL})"
        rf"|(?:{_YEAR_WORD}{_S})?(?P<y>{_YEAR}){_AD}|(?P<ythis>{_THIS_YEAR}))){_E}",
        _h_part_of_year,
    ),
    _rule(
        "numeric-dmy",
        rf"(?P<m>{_DB}(?P<d>\d{{1,2}})(?P<sep>[/.\-])(?P<mo>\d{{1,2}})(?P=sep)(?P<y>{_YEAR}))(?![.\-/]?\d)",
        _h_numeric,
    ),
    _rule(
        "numeric-ymd",
        rf"(?P<m>{_DB}(?P<y>{_YEAR})(?P<sep>[/.\-])(?P<mo>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}}))(?![.\-/]?\d)",
        _h_numeric,
    ),
    _rule("year", rf"{_B}{_CL}(?P<m>{_YEAR_WORD}{_S}(?P<y>{_YEAR}){_AD}){_E}", _h_year),
    _rule(
        "years",
        rf"{_B}{_CL}(?P<m>(?:عامي|سنتي){_S}(?P<y>{_YEAR}){_S}و{_S0}(?:عام{_S})?(?P<y2>{_YEAR})){_E}",
        _h_year,
    ),
    _rule(
        "year-bare", rf"{_B}{_CL}{_PREPOSITIONS}{_S}(?P<m>(?P<y>{_YEAR}){_AD})(?![.\-/]?\d){_E}", _h_bare_year
    ),
    _rule(
        "year-relative",
        rf"{_B}{_CL}(?P<m>(?:العام|السنه){_S}(?P<q>{_QUAL})|{_THIS_YEAR}){_E}",
        _h_relative_year,
    ),
    _rule(
        "month-relative",
        rf"{_B}{_CL}(?P<m>الشهر{_S}(?P<q>{_QUAL})|{_THIS_MONTH}){_E}",
        _h_relative_month,
    ),
    _rule(
        "week",
        rf"{_B}{_CL}(?P<m>الاسبوع{_S}(?P<q>{_QUAL})|{_alt(['هذا الأسبوع', 'الأسبوع هذا'])}){_E}",
        _h_week,
    ),
    _rule(
        "duration",
        rf"{_B}{_CL}(?P<m>(?P<prep>قبل|منذ){_S}(?:(?P<approx>{_alt(APPROXIMATORS)}){_S})?"
        rf"(?:(?P<num>\d{{1,3}}|{_alt(NUMBER_WORDS)}){_S0}|(?P<vague>{_alt(VAGUE_COUNTS)}){_S})?"
        rf"(?P<unit>{_alt(UNIT_FORMS)})(?!\w|{_S0}\d)"
        rf"(?:{_S}(?:واحد|واحده|قليله|فقط|(?P<tail>تقريبا)){_E})?){_E}",
        _h_duration,
    ),
    _rule(
        "recent",
        rf"{_B}{_CL}(?P<m>(?P<unit>{_alt(RECENT_PERIODS)})(?:{_S}(?:ال)?{_S0}(?P<n>\d{{1,3}}))?"
        rf"(?:{_S}القليله)?{_S}(?P<q>{_alt(RECENT_QUALIFIERS)})){_E}",
        _h_recent,
    ),
    _rule("recently", rf"{_B}{_CL}(?P<m>{_alt(RECENTLY)}){_E}", _h_recently),
)

_SINCE = re.compile(rf"{_B}[وف]?منذ{_S}\Z")


# --------------------------------------------------------------------------- driver


# Text uses a few hundred distinct characters: fold each once, not once per occurrence.
_fold_char = lru_cache(maxsize=4096)(normalize)


def _fold_with_origin(text: str) -> tuple[str, list[int]]:
    """`normalize(text)` built a character at a time, with each folded character's index in `text`."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        chars.append(folded)
        origin.extend([i] * len(folded))
    return "".join(chars), origin


def _label_spans(norm: str) -> list[tuple[int, int]]:
    """Spans of quotations that hold at most MAX_LABEL_WORDS words, quote marks included."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(norm):
        closers = QUOTE_PAIRS.get(norm[i])
        if closers is None:
            i += 1
            continue
        line_end = norm.find("\n", i)
        line_end = len(norm) if line_end < 0 else line_end
        found = [k for k in (norm.find(c, i + 1, line_end) for c in closers) if k >= 0]
        if not found:
            i += 1
            continue
        j = min(found)
        if len(norm[i + 1 : j].split()) <= MAX_LABEL_WORDS:
            spans.append((i, j + 1))
        i = j + 1
    return spans


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    order: int
    outcome: _Res | Literal["block"]


def _candidates(rules: Iterable[_Rule], ctx: _Ctx, offset: int) -> list[_Candidate]:
    found: list[_Candidate] = []
    for order, rule in enumerate(rules, start=offset):
        for m in rule.regex.finditer(ctx.norm):
            start, end = m.span("m")
            if start == end:
                continue
            try:
                outcome = rule.handler(m, ctx)
            except (ValueError, OverflowError):
                outcome = _BLOCK  # an impossible date: "31 فبراير" is no date at all
            if outcome is not None:
                found.append(_Candidate(start, end, order, outcome))
    return found


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def find_dates(text: str, published: datetime.date) -> list[DateMention]:
    """Every date expression in `text` (one sentence or more), resolved against the publication date, in text order, non-overlapping (longest match wins)."""
    norm, origin = _fold_with_origin(text)
    ctx = _Ctx(norm, text, published, origin)
    blocked = [(c.start, c.end) for c in _candidates(_BLOCKERS, ctx, 0)]
    labels = _label_spans(norm)
    candidates = [
        c
        for c in _candidates(_RULES, ctx, len(_BLOCKERS))
        if not any(_overlaps((c.start, c.end), b) for b in blocked)
        and not any(q0 <= c.start and c.end <= q1 for q0, q1 in labels)
    ]
    # Longest first; at equal length the earlier, then the rule listed first.
    candidates.sort(key=lambda c: (c.start - c.end, c.start, c.order))
    chosen: list[_Candidate] = []
    for c in candidates:
        if not any(_overlaps((c.start, c.end), (k.start, k.end)) for k in chosen):
            chosen.append(c)
    chosen.sort(key=lambda c: c.start)

    mentions: list[DateMention] = []
    for c in chosen:
        res = c.outcome
        if not isinstance(res, _Res):
            continue  # a "block" outcome: consumed, not a date
        start = c.start
        since = _SINCE.search(norm, max(0, start - 12), start)
        if since and res.start <= published and not res.open_ended:
            start = since.start() + (1 if norm[since.start()] in "وف" else 0)
            res = _Res(res.start, published, res.precision, True, res.warnings)
        span = _original_span(start, c.end, origin, len(text))
        mentions.append(
            DateMention(
                res.start, res.end, res.precision, text[span[0] : span[1]], span, res.open_ended, res.warnings
            )
        )
    return mentions


def _original_span(start: int, end: int, origin: list[int], length: int) -> tuple[int, int]:
    """Map a span of the folded text back: the end takes in the diacritics of the last letter."""
    last = origin[end - 1]
    stop = next((origin[k] for k in range(end, len(origin)) if origin[k] > last), length)
    return origin[start], stop
