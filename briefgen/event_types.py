"""Event types: tag an Arabic news sentence with ACLED-style event types.

A rule-based classifier, standard library only. Trigger lexicons are module-level
tables written in ordinary Arabic spelling; each entry is normalized at import and
compiled into a regex that matches a whole word of the normalized sentence with its
attached clitics (و ف ب ل ك ال لل) and the common inflections of its class.

How a sentence is read, in order:

1. Not an event at all: no Arabic, a question (ends in ؟ or opens with هل), or
   analysis (رأى محللون، الغريب في الأمر، ربما …) → ``None``.
2. False friends are masked before matching: الدفاع الجوي, حسم المعارك, محاور القتال,
   رئيس التحرير, السيطرة على الوضع, دخول الحرب, هجوم إعلامي …
3. Every trigger hit is then checked against what surrounds it:
   - negation of the next two words (لم، لن، لا، ليس، عدم، دون) drops it;
   - denial or failure (نفى، لم يتمكن من، فشل في، عجز عن) drops what follows in its clause;
   - irrealis — future, intent, calls, warnings, conditionals (سوف، سيتم، س+verb،
     يسعى إلى، من المقرر، يتوقع أن، دعا، حذر، إذا، هل) — drops the *kinetic* hits that
     follow in its clause; diplomacy and statements survive, because a scheduled
     meeting or a declared intention is still news (a diplomatic move, a statement);
   - background (منذ أكثر من عامين، منذ أبريل 2019، معارك يومية) drops kinetic hits in
     its clause: a years-long state of affairs is not an event; nor is a running total (سقوط
     400 قتيل بعد شهر من المواجهات), whose announcement alone is news;
   - continuity (لا تزال تحت سيطرة) drops capture: holding ground is not taking it;
   - per-entry conditions (``@cond`` in the tables, see ``_CONDITIONS``) for words that
     are only triggers in the right company.
4. Types are ranked by ``PRIORITY``; a casualty hit with a count next to it ("سقوط 12
   قتيلاً", "مقتل 35 عنصراً") outranks capture, because a toll is the news in a sentence
   that also mentions the capture it followed; blasts only heard (دوي انفجارات، أصوات
   انفجارات) rank after the fighting or the strike the sentence tells beside them.
5. ``statement`` is the fallback. قال/أكد appear in nearly every sentence, so a statement
   only counts when the sentence also carries something concrete: an explicit
   announcement (أعلن، إعلان، بيان، مؤتمر صحفي), another event type, a number, or a
   named locality (a word after منطقة/مدينة/محور/بلدة/قرية/ضاحية). "في" alone is not
   enough: "في ليبيا", "في سياق", "في تصريح" follow it as often as any place.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from briefgen.arabic import clitic_candidates, has_arabic, normalize
from briefgen.dates import MONTH_NAMES_AR, MONTHS

EventType = Literal[
    "capture",
    "armed_clash",
    "air_strike",
    "shelling",
    "explosion",
    "casualties",
    "arrest",
    "diplomacy",
    "protest",
    "decision",
    "mine_clearance",
    "statement",
]

EVENT_TYPE_LABELS: dict[EventType, dict[str, str]] = {
    "capture": {"en": "Capture or withdrawal", "ar": "سيطرة أو انسحاب"},
    "armed_clash": {"en": "Armed clash", "ar": "اشتباك مسلح"},
    "air_strike": {"en": "Air or drone strike", "ar": "غارة جوية أو بطائرة مسيرة"},
    "shelling": {"en": "Shelling or artillery", "ar": "قصف مدفعي أو صاروخي"},
    "explosion": {"en": "Explosion or remote violence", "ar": "تفجير أو عنف عن بعد"},
    "casualties": {"en": "Casualties", "ar": "خسائر بشرية"},
    "arrest": {"en": "Arrest or capture of fighters", "ar": "اعتقال أو أسر مقاتلين"},
    "diplomacy": {"en": "Diplomatic move", "ar": "تحرك دبلوماسي"},
    "protest": {"en": "Protest or sit-in", "ar": "احتجاج أو وقفة"},
    "decision": {"en": "Decision or appointment", "ar": "قرار أو تعيين"},
    "mine_clearance": {"en": "Mine clearance", "ar": "نزع الألغام"},
    "statement": {"en": "Announcement or statement", "ar": "إعلان أو تصريح"},
}

# Primary-type order, most specific first. An air strike that kills someone is an air
# strike; a capture "after clashes" is a capture; a statement is whatever is left.
PRIORITY: tuple[EventType, ...] = (
    "air_strike",
    "explosion",
    "capture",
    "casualties",
    "shelling",
    "armed_clash",
    "arrest",
    "protest",
    "mine_clearance",
    "decision",
    "diplomacy",
    "statement",
)
# Violence on the ground: what irrealis and background markers cancel.
KINETIC: frozenset[EventType] = frozenset(PRIORITY[:7])


@dataclass(frozen=True)
class EventClassification:
    type: EventType  # the primary type
    types: tuple[EventType, ...]  # all types found, primary first
    triggers: tuple[str, ...]  # normalized trigger text that fired, substrings of normalize(sentence)
    trigger_types: tuple[EventType, ...] = ()  # the type of each trigger, in step with `triggers`


# --- Lexicons --------------------------------------------------------------------------------
#
# Entry syntax: "WORDS[:KIND][@COND,COND]".
#   KIND (of the first word): v = verb, given in the perfect; "perfect|imperfect stem" when
#   the imperfect is irregular (قال|قول → يقول). n = noun or adjective (default), with case
#   ending, possessive and sound-plural suffixes. f = feminine noun in ة, with ات/تها/تهما.
#   w = fixed form (broken plurals, irregular verbs), clitics only. x = fixed form that
#   may not take و (فرّ: "وفرت" is far more often وفّرت, "provided").
#   Later words agree in gender and number; "…" allows one word in between.
#   COND: see _CONDITIONS.

LEXICON: dict[EventType, tuple[str, ...]] = {
    "air_strike": (
        "غارة",
        "ضربة جوية",
        "قصف … جوي",  # قصف جوي، قصف مدفعي وجوي
        "سلاح الجو:w",
        "سلاح الطيران:w",
        "طيران حربي",
        "طيران مسير",
        "طائرة مسيرة",
        "طائرة حربية",
        "طائرة بدون طيار",
        "طيران@drone",  # طيران الحكومة يقصف: aircraft that bomb
        "مسيرة@drone",  # alone it is as often a march or a career
    ),
    "shelling": (
        "قصف:v",
        "قصف",
        "قصف مدفعي",
        "مدفعية",
        "قذيفة",
        "قذائف:w",
        "صاروخ",
        "صواريخ:w",
        "صواريخ غراد:w",
        "راجمة",
        "هاون:w",
    ),
    "explosion": (
        "مفخخة@explosive",
        "انتحاري",
        "لغم@explosive",
        "ألغام:w@explosive",
        "عبوة ناسفة@explosive",
        "حزام ناسف",
        "تفجير",
        "انفجار",
        "انفجر:v",
        # فجّر is spelt like فجر "dawn": only the forms that cannot be read as dawn.
        "فجرت:w",
        "فجروا:w",
        "يفجر:w",
        "تفجر:w",
    ),
    "capture": (
        "سيطر:v",
        "سيطرة@purpose",
        "حرر:v",
        "تحرر:v",
        "تحرير@purpose",
        "استعاد|ستعيد:v",
        "استعادة@purpose",
        "طرد:v",
        "طرد@purpose",
        "اقتحم:v",
        "اقتحام@purpose",
        "استولى:w",
        "استولت:w",
        "استولوا:w",
        "يستولي:w",
        "تستولي:w",
        "استيلاء@purpose",
        "دخل:v@military",
        "دخول@military,purpose",
        "انسحب:v",
        "انسحاب",
        "فر:x",
        "فرت:x",
        "فروا:x",
        "يفر:x",
        "تفر:x",
        "يفرون:x",
        "فرار:x",
        "الفرار:x",
        "تقهقر:v",
        "تقهقر",
        "سقط:v@toll",
        "سقوط@toll",
        "أسقط:v@toll",
        "تراجع:v@military",  # also "declined" (تراجعت الأسعار)
        "تراجع@military",
        "خسر:v@military",
        "خسارة@military",
        # «أعلنت القوات انتهاء العمليات العسكرية في منطقة خريبيش»: the last pocket is taken
        "انتهاء عمليات عسكرية",
        "انتهاء عمليات … عسكرية",
    ),
    "casualties": (
        "قتل:v",
        "مقتل",
        "قتيل",
        "قتلى:w",
        "جريح",
        "جرحى:w",
        "إصابة",
        "أصيب:w",
        "أصيبت:w",
        "أصيبوا:w",
        "يصاب:w",
        "تصاب:w",
        "مصرع",
        "حتف",  # لقي حتفه
        "استشهد:v",
        "جثة",
        "جثث:w",
        "ضحايا:w",
        "خسائر في الأرواح:w",
        "خسائر بشرية:w",
        "مقبرة جماعية",
        "مقابر جماعية:w",
    ),
    "armed_clash": (
        "اشتباك@generic",
        "اشتبك:v",
        # An advance is fighting, not yet a change of control (ACLED codes it a battle).
        "تقدم:v@military",  # also "submitted" (تقدم بطلب), "progressed" (تقدمت المفاوضات)
        "تقدم@military,purpose",
        "عملية عسكرية@launch",  # أطلق عملية عسكرية: an offensive's launch is the offensive
        "عملية@launch,named",  # انطلاق عملية "بركان الغضب"
        "معركة@generic",
        "معارك:w@generic",
        "مواجهات:w@generic",  # the singular مواجهة is mostly "confronting" a danger
        "مواجهة مسلحة",
        "قتال@generic",
        "قاتل:v",
        "هجوم@generic",
        "هجمات:w@generic",
        "هاجم:v",
        "طارد:v",
        "مطاردة",
        "كمين",
        "تبادل إطلاق النار",
    ),
    "arrest": (
        "اعتقل:v",
        "اعتقال",
        "القبض على:w",
        "احتجز:v",
        "احتجاز",
        "اختطف:v",
        "اختطاف",
        "أسر:w@captive",  # also "families" (أسر الشهداء)
        "أسرت:w",
        "أسروا:w",
    ),
    "diplomacy": (
        "استقبل:v",
        "استقبال",
        "محادثات:w",
        "مباحثات:w",
        "تباحث:v",
        "تباحث",
        "زيارة",
        # زار as a verb pattern would take زارة (عين زارة) and وزارة: fixed forms only.
        "زار:w",
        "زارت:w",
        "زاروا:w",
        "يزور:w",
        "تزور:w",
        "التقى:w",
        "التقت:w",
        "التقيا:w",
        "التقوا:w",
        "يلتقي:w",
        "تلتقي:w",
        "يلتقيان:w",
        "يلتقون:w",
        "لقاء",
        "لقائه:w",
        "لقائها:w",
        "لقائهم:w",
        "اجتماع",
        "اجتمع:v",
        "مؤتمر",
        "قمة",
        "اتصال هاتفي",  # a leaders' phone call is a diplomatic move
        "مكالمة هاتفية",
        "مفاوضات:w",
        "وقف إطلاق النار",
        "هدنة",
        "اتفاق",
        "اتفاقية",
        "وساطة",
        "مبعوث",
        "طرد السفير",
        "وصل:v@diplomat",  # وصلت القوات إلى مشارف المدينة is not diplomacy
        "توجه:v@diplomat",
        "سافر:v@diplomat",
    ),
    "protest": (
        "تظاهر:v",
        "مظاهرة",
        "تظاهرة",
        "متظاهر",
        "احتجاج",
        "احتج:v",
        "محتج",
        "وقفة احتجاجية",
        "وقفة تضامنية",
        "اعتصام",
        "اعتصم:v",
        "مسيرة احتجاجية",
        "مسيرة سلمية",
    ),
    "decision": (
        "قرار@decree",
        "مرسوم",
        "ترقية",
        "تعيين",
        "تنصيب",  # حفل تنصيب … آمرا للمنطقة العسكرية
        # عيّن is spelt عين, the word for "eye" and «عين زارة»: only with the post given.
        "عين:w@appoint",
        "كلف:v@task",  # كلّفت جهات قضائية بتوثيق الجرائم، تكلّف آمرا للمنطقة الوسطى
        "تكليف@task",
        "إقالة",
        "علق … عمل:v",  # علقت السلطات العمل في المطار
        "علق … رحلات:v",
        "تعليق … رحلات",
        "تعليق … عمل",
        "توقف … ملاحة:v",  # توقفت حركة الملاحة الجوية: an airport closed
    ),
    "mine_clearance": (),  # demining context turns an explosive hit into this (see classify_event)
    "statement": (
        "منطقة … عسكرية مغلقة@announce",  # declaring a closed military zone is a statement
        "كشف:v",
        "أعلن:v@announce",
        "إعلان@announce",
        "بيان@announce",
        "مؤتمر صحفي@announce",
        "صرح:v",
        "تصريح",
        "أكد|ؤكد:v",
        "مؤكدا:w",
        "مؤكدين:w",
        "قال|قول:v",
        "قائلا:w",
        "أفاد|فيد:v",
        # a denial is news on its own: what it denies is dropped (DENIAL_MARKERS)
        "نفى:w@announce",
        "نفت:w@announce",
        "نفوا:w@announce",
        "ينفي:w@announce",
        "تنفي:w@announce",
        # «وحمّلت الحكومة قوات حفتر مسؤولية الغارة»: the blame is the news, not the strike
        "مسؤولية@blame,announce",
        "دعا:w",
        "دعت:w",
        "دعوا:w",
        "يدعو:w",
        "تدعو:w",
        "داعيا:w",
        "حذر:v",
        "اتهم:v",
        "اتهام",
        # a public reaction — praise, welcome, condemnation — is a statement on its own
        "أشاد|شيد:v@announce",
        "رحب:v@announce",
        "ترحيب@announce",
        "ندد:v@announce",
        "تنديد@announce",
        "استنكر:v@announce",
        "محذرا:w",
        "تحذير",
    ),
}

# What each condition demands of the words around a hit.
_CONDITIONS: dict[str, str] = {
    "military": "a military, locality or direction word within six words (unless the noun is possessed or plural)",
    "purpose": "not after purpose lam: للسيطرة على، لتحرير = 'in order to', not a report",
    "generic": "a definite noun (المعارك) needs a place, number or time in the sentence, or a fighting verb within three words",
    "toll": "سقوط/سقط followed by a number, casualty or projectile is casualties or shelling, not a fall",
    "drone": "a strike word or drone nationality within three words",
    "captive": "a number or a fighter noun in the next two words",
    "diplomat": "a diplomatic actor (وزير، رئيس، وفد، مبعوث، سفير) in the sentence and إلى after the verb",
    "explosive": "not the object of clearing (تمشيط، نزع، تفكيك … الألغام: mine_clearance) or laying (زرع)",
    "announce": "an explicit announcement: enough on its own to make a statement",
    "launch": "a launching verb (أطلق، بدأ، شن، انطلاق) within four words before, not counting a date's words",
    "named": 'a quoted name right after (عملية «الكرامة»، عملية "بركان الغضب")',
    "blame": "a verb of blaming (حمّل) up to eight words before: holding someone responsible",
    "appoint": "a post in the accusative (آمرا، قائدا، قائدين، وزيرا، رئيسا …) within twelve words after",
    "task": "a post within twelve words after, or بـ + a verbal noun within eight (كلفت جهات بتوثيق)",
    "decree": "an issuing verb (أصدر، اتخذ، أقر، وقع) earlier in the clause, or بـ + noun right after (قرار بترقية)",
}

# Masked before trigger matching (regex over the normalized sentence).
FALSE_FRIENDS: tuple[str, ...] = (
    r"(?:ال)?دفاع(?:ات)? (?:ال)?جوي(?:ه)?",  # air defence is not an air strike
    r"سلاح (?:ال)?مدفعيه",  # the artillery corps (عين بسلاح المدفعية): a posting, not shelling
    r"حسم (?:ال)?معار?ك(?:ه)?",  # "deciding the battle": framing, not fighting
    r"(?:محاور|جبهات|جبهه|خطوط|ساحات) (?:ال)?قتال",  # battlefronts: a place
    r"(?:رئيس|هيئه|حزب) (?:ال)?تحرير",
    r"تحرير (?:ال)?(?:اسعار|سعر|صرف|تجاره)",
    r"(?:سيطر|استيلاء|استولي|استولت|استولوا|يستولي)\S* علي (?:ال)?(?:سلطه|حكم)",  # seizing power: politics
    # «عملية لاستعادة السيطرة على ترهونة»: the aim of an operation, not a capture
    r"ل(?:استعاده|استرجاع|انتزاع|فرض|بسط|احكام) (?:ال)?سيطر\S*",
    r"سيطر\S* علي (?:ال)?(?:وضع|اوضاع|حريق|حرائق|نيران|اسعار|انتشار|وباء|فيروس|مجريات|موقف|مشهد)",
    r"دخ(?:ول|ل\S*) (?:ال)?(?:حرب|حيز)",
    r"هجوم\S* (?:اعلامي|لاذع|حاد|كلامي)\S*",
    r"(?:ال)?معرك\S* (?:ال)?(?:انتخابي|سياسي|قانوني|قضائي)\S*",
    r"اشتباك\S* (?:ال)?(?:لفظي|كلامي)\S*",
    r"انفجار (?:ال)?(?:وضع|اوضاع|سكاني)\S*",
    r"سقوط (?:ال)?(?:نظام|حكومه|امطار)\S*",
    # تقدّم بـ "to submit, to offer" (نتقدم بالتهنئة، تقدم بطلب), in any person: no advance
    r"[يتن]?تقدم\S* ب(?:ال)?(?:طلب|شكو|استقال|اقتراح|مقترح|مبادر|تهنئ|تهاني|شكر|تعاز|اعتذار|خالص)\S*",
    r"اصاب\S* (?:ب)?(?:فيروس|كورونا|كوفيد)\S*",
    r"اجتماعي\S*",  # social (مواقع التواصل الاجتماعي, الأوضاع الاجتماعية), not a meeting
)

# Markers, written in ordinary spelling; "…" stands for up to three words.
# Future tense (سوف، سيتم، ستواصل): a vow or a plan. A kinetic event under it is no event,
# but the sentence that vows it is a statement (FUTURE_MARKERS).
FUTURE_MARKERS: tuple[str, ...] = (
    "سوف",
    "سيتم",
    "ستواصل",
    "سيواصل",
    "سنواصل",
    "يواصلون",
    "ستستمر",
    "سيستمر",
    "سنستمر",
    "ستقوم",
    "سيقوم",
    "سنقوم",
    "ستعمل",
    "سيعمل",
    "سنعمل",
    "ستلتزم",
    "سيلتزم",
    "ستتخذ",
    "سيتخذ",
    "سترد",
    "سيرد",
    "سنرد",
)
IRREALIS_MARKERS: tuple[str, ...] = (
    *FUTURE_MARKERS,
    "من المقرر",
    "من المتوقع",
    "يتوقع",
    "تتوقع",
    "يسعى",
    "تسعى",
    "يسعون",
    "يعتزم",
    "تعتزم",
    "ينوي",
    "تنوي",
    "يخطط",
    "تخطط",
    "هل",
    "إذا",
    "لو",
    "في حال",
    "دعا",
    "دعت",
    "دعوا",
    "يدعو",
    "تدعو",
    "داعيا",
    "ناشد",
    "ناشدت",
    "طالب",
    "طالبت",
    "طالبوا",
    "يطالب",
    "تطالب",
    "مطالبا",
    "المطالبة",
    "مطالبة",
    "بالمطالبة",
    "حذر",
    "حذرت",
    "يحذر",
    "تحذر",
    "محذرا",
    "تحذير",
    "يجب",
    "ينبغي",
    "يتعين",
    "من شأن",
    "من شأنه",
    "من شأنها",
    "مسألة وقت",
    "يهدد",
    "تهدد",
    "هدد",
    "هددت",
    "مهددا",
    "يستعد",
    "تستعد",
    "استعدادا",
    # threats and stated aims: بهدف تحرير، تهدف إلى تحرير، متوعدا باستعادة
    "توعد",
    "توعدت",
    "يتوعد",
    "تتوعد",
    "متوعدا",
    "بهدف",
    "هدفها",
    "تهدف",
    "يهدف",
    "سعيا",
    "من أجل",
    "عرقلة",  # لـ«عرقلة تقدم قوات الجيش»: the advance is what is hindered
    "لمنع",
    "لصد",
    "لإحباط",
    "لتعطيل",
)
DENIAL_MARKERS: tuple[str, ...] = (
    "لم يتمكن",
    "لم تتمكن",
    "لم يستطع",
    "لم تستطع",
    "فشل … في",
    "فشلت … في",
    "عجز عن",
    "عجزت عن",
    "لم يسفر",
    "لم تسفر",
    "لم يتسن",
    "لم يتم التعرف",
    "نفى",
    "نفت",
    "نفوا",
    "ينفي",
    "تنفي",
)
CONTINUITY_MARKERS: tuple[str, ...] = (
    "لا تزال",
    "لا يزال",
    "ما زال",
    "ما زالت",
    "مازال",
    "مازالت",
    "ما تزال",
    "لاتزال",
    "لايزال",
)
# A protest or a condemnation names the violence it answers: what follows is its object.
DENUNCIATION_MARKERS: tuple[str, ...] = (
    "للتنديد",
    "تنديدا",
    "ندد",
    "نددت",
    "نددوا",
    "يندد",
    "تندد",
    "منددا",
    "منددة",
    "منددين",
    "استنكر",
    "استنكرت",
    "استنكروا",
    "استنكارا",
    "احتجاجا على",
    "على خلفية",
    "رفضا",
    # praise and welcome name what they answer just as condemnation does
    "أشاد",
    "أشادت",
    "يشيد",
    "تشيد",
    "مشيدا",
    "رحب",
    "رحبت",
    "يرحب",
    "ترحب",
    "مرحبا",
)
# Relative and circumstantial clauses (التي سيطرت عليها، بعد تراجع، تحت قصف، مدعومة بغارات)
# describe what surrounds the news; the main clause's event outranks theirs.
SUBORDINATE_MARKERS: tuple[str, ...] = (
    "الذي",
    "التي",
    "الذين",
    "اللذين",
    "اللتين",
    "اللواتي",
    "اللاتي",
    "تحت",
    "وسط",
    "بعد",
    "عقب",
    "إثر",
    "اثر",
    "مدعوما",
    "مدعومة",
    "مدعومين",
    "بدعم",
    "بغطاء",
    "بإسناد",
    "في سياق",
    "في إطار",
    "قبل أن",
    # «…، مبينا أن ثلاثة جنود استشهدوا»: a further detail of the main report
    "مبينا",
    "مضيفا",
    "موضحا",
    "مشيرا",
    "لافتا",
)
# «…، مما تسبب في مقتل مدني»، «وقد أسفرت عن سقوط قتلى»: the consequence of the main event.
# An uncounted toll there is a detail of the clash; a counted one stays the news.
CONSEQUENCE_MARKERS: tuple[str, ...] = (
    "مما",
    "ما أسفر",
    "ما أدى",
    "أسفر عن",
    "أسفرت عن",
    "أسفرت",
    "أسفر",
    "أدى إلى",
    "أدت إلى",
    "مخلفا",
    "مخلفة",
    "تسبب ذلك",
    "وتسبب ذلك",
)
# Relative pronouns: a relative clause's event is background even to a statement.
RELATIVE_MARKERS: tuple[str, ...] = ("الذي", "التي", "الذين", "اللذين", "اللتين", "اللواتي", "اللاتي")
ANALYSIS_MARKERS: tuple[str, ...] = (
    "محللون",
    "محللين",
    "المحللون",
    "المحللين",
    "رأى مراقبون",
    "يرى مراقبون",
    "الغريب في الأمر",
    "ربما",
    "يبدو أن",
    "من اللافت",
)
# منذ + a long duration or a date: the sentence describes a state of affairs.
BACKGROUND_DURATIONS: tuple[str, ...] = (
    "عام",
    "عامين",
    "أعوام",
    "سنة",
    "سنتين",
    "سنوات",
    "أشهر",
    "شهور",
    "عقد",
    "عقود",
    "أسابيع",
    "شهرين",
    *MONTH_NAMES_AR,
)
HABITUAL_WORDS: tuple[str, ...] = ("يومية", "يوميا", "مرارا", "تكرارا")


def _word_set(text: str) -> frozenset[str]:
    """A table written as space-separated words, normalized."""
    return frozenset(normalize(w) for w in text.split())


NEGATIONS: frozenset[str] = frozenset({"لم", "لن", "لا", "ليس", "ليست", "عدم", "دون", "بدون"})
# Words a comma-delimited date aside is made of (normalized): «، الخميس،», «، مساء أمس،».
_TIME_TOKENS: frozenset[str] = _word_set(
    "الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت أمس اليوم الليلة صباح مساء "
    "فجر ليل ظهر يوم الماضي الماضية الجاري الحالي أول " + " ".join(MONTH_NAMES_AR)
)
CLAUSE_WORDS_RE = re.compile(r"^و?(?:بل|لكن\w*|بينما|فيما|حيث)$")
CLAUSE_PUNCTUATION = frozenset(".,،؛;:!?؟…")

NUMBER_WORDS: frozenset[str] = _word_set(
    "اثنان اثنين اثنتين ثلاث ثلاثة أربع أربعة خمس خمسة ست ستة سبع سبعة ثمان ثماني ثمانية تسع تسعة "
    "عشر عشرة عشرات عشرين عشرون ثلاثين ثلاثون أربعين أربعون خمسين خمسون ستين ستون سبعين سبعون "
    "ثمانين ثمانون تسعين تسعون مئة مائة مئات ألف آلاف ألفين"
)
LOCALITY_NOUNS: tuple[str, ...] = (
    "منطقة",
    "منطقتي",
    "منطقتين",
    "مدينة",
    "مدينتي",
    "محور",
    "محاور",
    "بلدة",
    "قرية",
    "ضاحية",
)
TIME_WORDS: tuple[str, ...] = (
    "أمس",
    "اليوم",
    "الليلة",
    "صباح",
    "مساء",
    "فجر",
    "الأحد",
    "الاثنين",
    "الإثنين",
    "الثلاثاء",
    "الأربعاء",
    "الخميس",
    "الجمعة",
    "السبت",
    "ليل",
    "هذا الأسبوع",
    "الأيام الأخيرة",
    "الأيام الماضية",
    "الساعات الأخيرة",
    "الساعات الماضية",
)
# Verbs that say fighting took place, so a definite المعارك is a report, not a concept.
FIGHTING_VERBS: tuple[str, ...] = (
    "دارت",
    "تدور",
    "اندلعت",
    "تندلع",
    "اندلاع",
    "تجددت",
    "تجدد",
    "استمرار",
    "استمرت",
    "تستمر",
    "شن",
    "شنت",
    "شنها",
    "شنتها",
    "يشن",
    "تشن",
    "خاض",
    "وتيرة",  # ارتفعت وتيرة المعارك
    "خاضت",
    "يخوض",
    "تخوض",
)
# Words that make تقدم/دخل/تراجع/خسر military: forces, places, directions.
MILITARY_CONTEXT: frozenset[str] = _word_set(
    "قوات القوات جيش الجيش عناصر مقاتلي مقاتلين مقاتلو المقاتلين كتيبة كتائب لواء ميليشيات مليشيات "
    "ميليشيا مسلحين المسلحين المسلحون مسلحون وحدات تعزيزات المتشددون المتشددين "
    "منطقة منطقتي مدينة محور محاور بلدة قرية مطار قاعدة معسكر مواقع تمركزات مشارف تخوم ضواحي "
    "نحو باتجاه اتجاه صوب جنوب شمال شرق غرب جنوبي شمالي شرقي غربي"
)
DIPLOMATIC_ACTORS: frozenset[str] = _word_set(
    "وزير رئيس وفد الوفد مبعوث المبعوث سفير السفير الخارجية نائب الأمين"
)
DRONE_CONTEXT_RE = re.compile(
    r"^(?:[يت]?ستهدف\w*|استهد\w*|[يت]?قصف\w*|غار\w*|ضرب\w*|هجوم\w*|انتحاري\w*|تركي\w*|اماراتي\w*|حربي\w*|اسقا?ط\w*)$"
)
FIGHTER_RE = re.compile(r"^(?:\d+|عنصر\w*|عناصر|جند\w*|مقاتل\w*|مرتزق\w*|مسلح\w*|ضابط\w*|ضباط|افراد|اشخاص)$")
PROJECTILE_RE = re.compile(r"^(?:قذيف\w*|قذائف|صاروخ\w*|صواريخ|طائر\w*|مسير\w*|مروحي\w*)$")
# Clearing mines (not laying them: زرع الألغام is an accusation, not a clearance).
CLEARING_RE = re.compile(
    r"^[وف]?(?:ب|ل|لل)?(?:ال)?(?:تمشيط\w*|[يت]?مشط\w*|نزع|ازاله|تطهير\w*|تفكيك|ابطال|بحثا)$"
)
LAYING_RE = re.compile(r"^[وف]?(?:ب|ل|لل)?(?:ال)?(?:زرع\w*|زراع\w*|[يت]?زرع\w*)$")
LAUNCH_RE = re.compile(
    r"^[وف]?(?:اطلق\w*|اطلاق\w*|باطلاق\w*|[يت]طلق\w*|بد[ءا]\w*|[يت]بد[ءا]\w*|شن\w*|[يت]شن\w*|انطلا?ق\w*|[يت]نطلق\w*)$"
)
# The words of a date: month names (both calendars), في/من, and the year word.
DATE_WORD_RE = re.compile(
    "|".join([normalize(w) for w in MONTHS] + [r"[وف]?(?:في|من)", r"(?:ال)?عام", r"(?:ال)?شهر"])
)
BLAME_VERB_RE = re.compile(r"^[وف]?(?:حمل|حملت|حملوا|يحمل|تحمل|محمل|محمله)$")
# A post an appointment names, in the accusative: «عين … قائدين للمنطقتين», «تكلف آمرا».
POST_RE = re.compile(
    r"^[وف]?(?:امرا|امرين|قائدا|قائدين|وزيرا|وزيرين|رئيسا|مديرا|سفيرا|مبعوثا|عضوا|اعضاء|نائبا|محافظا|متحدثا|ناطقا)$"
)
ISSUING_RE = re.compile(r"^[وف]?(?:اصدر\w*|[يت]صدر\w*|اتخذ\w*|[يت]تخذ\w*|اقر\w*|وقع\w*|بموجب|يقضي|تقضي)$")

# --- Regex building ----------------------------------------------------------------------------

_START = r"(?<![^\W_])"  # no word character before
_END = r"(?![^\W_])"  # no word character after
_NOUN_PREFIX = r"[وف]?(?:[بك]?ال|لل|[بكل])?"
_MASC = r"(?:ا|ه|ها|هم|هما|هن|ي|نا|كم|ان|ين|ون|ات|اته|اتها|اتهم|اتنا)?"
_FEM = r"(?:ه|ت(?:ه|ها|هم|هما|هن|ي|نا|كم|ان|ين)|ات(?:ه|ها|هم|هما|نا)?)"
_PERF = r"(?:ت|ا|تا|وا|و|نا|تم|ن)?(?:ه|ها|هم|هما|نا|ني|كم)?"
_IMPF = r"(?:ون|ان|ين|وا|ن|ا)?(?:ه|ها|هم|هما|نا|كم)?"
_AGREE = r"(?:ه|ات|ين|ون|ان|تين|تان|ا)?"
_SEP = r"[\s\"'«»“”„‟()\-–—/]+"
_GAP = rf"(?:{_SEP}[^\W_]+)?"
_FUNCTION_WORDS = frozenset({"في", "علي", "الي", "من", "عن", "بدون"})
_BARE_SUFFIXES = frozenset({"", "ا"})  # no suffix, or only the accusative alef


def _first_word(word: str, kind: str) -> str:
    if kind == "v":
        perfect, _, imperfect = word.partition("|")
        if not imperfect:
            # Forms IV, VII, VIII, X lose their alef in the imperfect: اعتقل → يعتقل.
            imperfect = perfect[1:] if perfect.startswith("ا") else perfect
        return (
            rf"(?P<pre>[وف]?)(?:{re.escape(perfect)}(?P<suf>{_PERF})"
            rf"|(?P<fut>س)?[يتنا]{re.escape(imperfect)}{_IMPF})"
        )
    if kind == "f":
        if not word.endswith("ه"):
            raise ValueError(f"feminine entry must end in ة: {word}")
        return rf"(?P<pre>{_NOUN_PREFIX}){re.escape(word[:-1])}(?P<suf>{_FEM})"
    if kind == "n":
        return rf"(?P<pre>{_NOUN_PREFIX}){re.escape(word)}(?P<suf>{_MASC})"
    if kind == "w":
        return rf"(?P<pre>{_NOUN_PREFIX}){re.escape(word)}(?P<suf>)"
    if kind == "x":
        return rf"(?P<pre>[فبل]?){re.escape(word)}(?P<suf>)"
    raise ValueError(f"unknown lexicon kind {kind!r}")


def _later_word(word: str) -> str:
    if word == "…":
        return _GAP
    if word in _FUNCTION_WORDS:
        return _SEP + re.escape(word)
    stem = word[:-1] if word.endswith("ه") else word
    return rf"{_SEP}{_NOUN_PREFIX}{re.escape(stem)}{_AGREE}"


@dataclass(frozen=True)
class _Entry:
    type: EventType
    text: str  # normalized, as written in the table
    kind: str
    conditions: frozenset[str]
    words: int
    regex: re.Pattern[str]
    # Literal text the regex cannot match without (the first word's stem, perfect or
    # imperfect for a verb): an entry none of whose needles is in a sentence is skipped.
    needles: tuple[str, ...]


def _needles(word: str, kind: str) -> tuple[str, ...]:
    """What `_first_word(word, kind)` always contains, as plain text."""
    if kind == "v":
        perfect, _, imperfect = word.partition("|")
        if not imperfect:
            imperfect = perfect[1:] if perfect.startswith("ا") else perfect
        return tuple(dict.fromkeys((perfect, imperfect)))
    if kind == "f":
        return (word[:-1],)
    return (word,)


def _parse_entry(event_type: EventType, spec: str) -> _Entry:
    body, _, conds = spec.partition("@")
    text, _, kind = body.partition(":")
    words = normalize(text).split()
    if not kind:
        kind = "f" if words[0].endswith("ه") else "n"
    conditions = frozenset(c for c in conds.split(",") if c)
    unknown = conditions - _CONDITIONS.keys()
    if unknown:
        raise ValueError(f"unknown condition in {spec!r}: {sorted(unknown)}")
    pattern = _START + _first_word(words[0], kind)
    pattern += "".join(_later_word(w) for w in words[1:]) + _END
    counted = sum(1 for w in words if w != "…")
    return _Entry(
        event_type, " ".join(words), kind, conditions, counted, re.compile(pattern), _needles(words[0], kind)
    )


ENTRIES: tuple[_Entry, ...] = tuple(
    _parse_entry(event_type, spec) for event_type, specs in LEXICON.items() for spec in specs
)
# Every distinct needle, and per needle the indices in ENTRIES of the entries that need it:
# a sentence is searched for these few strings, and only the entries they point to run their
# regex. Most sentences hold the needles of a handful of the ~250 entries.
_ENTRIES_BY_NEEDLE: dict[str, tuple[int, ...]] = {
    needle: tuple(i for i, e in enumerate(ENTRIES) if needle in e.needles)
    for needle in dict.fromkeys(n for e in ENTRIES for n in e.needles)
}


def _phrase_regex(phrases: tuple[str, ...], *, prefix: str = "[وف]?") -> re.Pattern[str]:
    """One regex for a table of marker phrases; "…" allows up to three words in between."""
    alternatives = []
    for phrase in sorted((normalize(p) for p in phrases), key=len, reverse=True):
        parts = [r"(?:\S+\s+){0,3}?" if w == "…" else re.escape(w) + r"\s+" for w in phrase.split()]
        alternatives.append("".join(parts)[: -len(r"\s+")])
    return re.compile(rf"{_START}{prefix}(?:{'|'.join(alternatives)}){_END}")


FALSE_FRIEND_RE = re.compile(rf"{_START}[وف]?(?:[بكل]?ال|لل|[بكل])?(?:{'|'.join(FALSE_FRIENDS)}){_END}")
IRREALIS_RE = _phrase_regex(IRREALIS_MARKERS)
FUTURE_RE = _phrase_regex(FUTURE_MARKERS)
TRUCE_RE = re.compile(normalize(r"[وف]?(?:[بل]|لل)?(?:ال)?(?:وقف\s+(?:ل)?اطلاق\s+النار|هدن(?:ة|ات)|اتفاق)"))
# «أعلن … خلال اجتماع عقده مع كونتي أنه يرحب»: the meeting is where the statement was made.
SETTING_RE = re.compile(rf"{_START}[وف]?(?:خلال|في)\s+(?:ال)?(?:اجتماع|لقاء|مؤتمر|كلمه|مقابله){_END}")
DENIAL_RE = _phrase_regex(DENIAL_MARKERS)
CONTINUITY_RE = _phrase_regex(CONTINUITY_MARKERS)
ANALYSIS_RE = _phrase_regex(ANALYSIS_MARKERS)
DENUNCIATION_RE = _phrase_regex(DENUNCIATION_MARKERS)
# حتى + imperfect: "until we finish clearing it", not yet done.
UNTIL_RE = re.compile(rf"{_START}[وف]?حتي\s+[يتن][^\W\d_]{{3,}}")
SUBORDINATE_RE = _phrase_regex(SUBORDINATE_MARKERS)
RELATIVE_RE = _phrase_regex(RELATIVE_MARKERS)
CONSEQUENCE_RE = _phrase_regex(CONSEQUENCE_MARKERS, prefix="[وف]?(?:قد )?")
STATE_RELATIVE_RE = re.compile(
    # the imperfect: يـ, تتـ (form V/VI; a single تـ is as often a perfect: تحمّلها), or a
    # few verbs of enduring (تشهد، تعاني، تخضع، تعيش)
    rf"{_START}[وف]?(?:{'|'.join(normalize(w) for w in RELATIVE_MARKERS)})\s+(?:لا\s+)?"
    r"(?:ي[^\W\d_]{2,}|تت[^\W\d_]{2,}|تشهد|تعاني|تخضع|تعيش)(?![^\W_])"
)
HABITUAL_RE = _phrase_regex(HABITUAL_WORDS, prefix=_NOUN_PREFIX)
BACKGROUND_RE = re.compile(
    # «منذ 4 أبريل 2019» names the day something began: that is dated, not background.
    rf"{_START}منذ\s+(?!\d{{1,2}}\s)(?:\S+\s+){{0,2}}?(?:\d{{4}}|(?:{'|'.join(normalize(w) for w in BACKGROUND_DURATIONS)}){_END})"
    # «خلال العامين الماضيين، السيطرة على أجزاء من المدينة»: years of gains, not an event
    rf"|{_START}(?:خلال|طوال|علي مدي|علي مدار)\s+(?:ال)?(?:عامين|اعوام|سنتين|سنوات|سنه|عام|اشهر|شهور|عقد|عقود){_END}"
)
# The era every Libyan report recalls («منذ/في أعقاب الإطاحة بالقذافي وقتله في 2011», «ثورة 17
# فبراير»): history, not an event. (A war's damage «خلال حرب 2011» stays an event of 2011.)
# «سقوط 400 قتيل بعد شهر من المواجهات»: a running total over weeks of fighting, not one event.
RUNNING_TOTAL_RE = re.compile(
    rf"{_START}(?:بعد|خلال)\s+(?:نحو\s+|قرابه\s+)?(?:شهر|شهرين|اشهر|اسابيع|اسبوعين|عام|عامين)\s+من\s+"
    rf"(?:ال)?(?:مواجهات|معارك|قتال|اشتباكات|حرب|هجوم|اقتتال){_END}"
)
ERA_RE = re.compile(
    normalize(
        r"(?<![^\W_])(?:[وف]?(?:ب|ل)?(?:ال)?(?:اطاح\S*|سقوط|اسقاط|مقتل|ثور\S*\s+(?:على|ضد))\s+(?:ب)?(?:نظام\s+)?"
        r"(?:(?:ال)?(?:زعيم|عقيد|رئيس)\s+(?:ال\S+\s+)?)?(?:معمر\s+)?(?:ال)?قذافي"
        r"|[وف]?(?:ب|ل)?(?:ال)?(?:ثور\S*|انتفاض\S*)\s+(?:17\s+)?(?:فبراير|شباط)"
        r"|[وف]?(?:ب|ل)?(?:ال)?(?:ثور\S*|انتفاض\S*)\s+(?:عام\s+)?2011)"
    )
)
LOCALITY_RE = re.compile(
    rf"{_START}[وف]?(?:[بلك]|لل)?(?:ال)?(?:{'|'.join(normalize(w) for w in LOCALITY_NOUNS)}){_END}\s+[^\W\d_]"
)
TIME_RE = _phrase_regex(TIME_WORDS)
FIGHTING_VERB_RE = _phrase_regex(FIGHTING_VERBS)
TOKEN_RE = re.compile(r"[^\W_]+")
SOUND_WORDS = frozenset(normalize(w) for w in ("دوي", "ودوي", "صوت", "وصوت", "أصوات", "اصوات", "وأصوات"))


# --- Classification ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Hit:
    entry: _Entry
    start: int
    end: int
    first: int  # token index of the first word
    last: int  # token index of the last word
    prefix: str
    suffix: str
    future: bool

    @property
    def type(self) -> EventType:
        return self.entry.type


# News repeats its words: the stems of a word and whether it is a number are worked out
# once per word, not once per occurrence. Bounded, for an article of millions of words.
@lru_cache(maxsize=1 << 16)
def _stems(word: str) -> tuple[str, ...]:
    return tuple(clitic_candidates(word, min_stem=2)) if word else ()


@lru_cache(maxsize=1 << 16)
def _is_number_word(word: str) -> bool:
    return word.isdigit() or any(s in NUMBER_WORDS for s in _stems(word))


# «أنها استعادت»: a complement clause, the object of the verb before the date aside.
_COMPLEMENTIZERS = frozenset({"ان", "انه", "انها", "انهم", "انهما", "بان", "بانه", "بانها", "بانهم"})


class _Sentence:
    """A normalized sentence with its tokens, clauses and the facts the rules look up."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = [(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text)]
        self.starts = [s for s, _, _ in self.tokens]
        self.clause = self._clauses()
        self.has_number = any(self.is_number(i) for i in range(len(self.tokens)))
        self.has_locality = LOCALITY_RE.search(text) is not None

    def _clauses(self) -> list[int]:
        """Clause numbers per token. A comma-delimited date («دعت، الخميس، للمشاركة») is no
        clause of its own: it and what follows stay in the clause before it, unless what
        follows opens with «أن»: «أعلنت القوات التي يترأسها السراج، اليوم، أنها استعادت …»
        goes back to the announcement, not into the relative clause before the date."""
        clause: list[int] = []
        current = 0
        previous_end = 0
        segment: list[str] = []  # the words since the last break
        before_segment = 0  # the clause the segment's predecessor belonged to
        for index, (start, end, word) in enumerate(self.tokens):
            between = self.text[previous_end:start]
            punctuated = any(ch in CLAUSE_PUNCTUATION for ch in between)
            if index and (punctuated or CLAUSE_WORDS_RE.match(word)):
                if (
                    punctuated
                    and segment
                    and all(w in _TIME_TOKENS or w.isdigit() for w in segment)
                    and word not in _COMPLEMENTIZERS
                ):
                    current = before_segment  # the date was an aside
                else:
                    before_segment = current
                    current += 1
                segment = []
            segment.append(word)
            clause.append(current)
            previous_end = end
        return clause

    def token_at(self, offset: int) -> int:
        return max(bisect_right(self.starts, offset) - 1, 0)

    def word(self, index: int) -> str:
        return self.tokens[index][2] if 0 <= index < len(self.tokens) else ""

    def stems(self, index: int) -> tuple[str, ...]:
        return _stems(self.word(index))

    def is_number(self, index: int) -> bool:
        return _is_number_word(self.word(index))

    def window(self, index: int, before: int, after: int) -> range:
        return range(max(index - before, 0), min(index + after + 1, len(self.tokens)))

    def forward_scopes(self, regex: re.Pattern[str]) -> list[tuple[int, int]]:
        """(first token, clause) spans from each marker to the end of its clause."""
        return [
            (self.token_at(m.start()), self.clause[self.token_at(m.start())])
            for m in regex.finditer(self.text)
        ]

    def in_forward_scope(self, hit: _Hit, scopes: list[tuple[int, int]]) -> bool:
        return any(first <= hit.first and self.clause[hit.first] == clause for first, clause in scopes)


def _find_hits(sentence: _Sentence, masked: str) -> list[_Hit]:
    candidates = sorted(
        {i for needle, indices in _ENTRIES_BY_NEEDLE.items() if needle in masked for i in indices}
    )
    hits: list[_Hit] = []
    # In table order, as a scan of every entry would find them: ties in the sort below keep it.
    for entry in (ENTRIES[i] for i in candidates):
        for m in entry.regex.finditer(masked):
            groups = m.groupdict()
            hits.append(
                _Hit(
                    entry=entry,
                    start=m.start(),
                    end=m.end(),
                    first=sentence.token_at(m.start()),
                    last=sentence.token_at(m.end() - 1),
                    prefix=groups.get("pre") or "",
                    suffix=groups.get("suf") or "",
                    future=bool(groups.get("fut")),
                )
            )
    # A word inside a longer phrase belongs to the phrase (قصف inside قصف جوي, مؤتمر inside
    # مؤتمر صحفي, مسيرة inside طائرة مسيرة). Hits of the same span from two entries (تقدمها
    # as verb + object and as possessed noun) both stay: either may pass its conditions.
    kept = [
        hit
        for hit in hits
        if not any(
            other.start <= hit.start
            and hit.end <= other.end
            and (other.end - other.start) > (hit.end - hit.start)
            and (other.type == hit.type or hit.entry.words == 1)
            for other in hits
        )
    ]
    return sorted(kept, key=lambda h: (h.start, PRIORITY.index(h.type)))


def _negated(sentence: _Sentence, hit: _Hit) -> bool:
    for index in sentence.window(hit.first, 2, -1):
        word = sentence.word(index)
        if word in NEGATIONS or (word[:1] in ("و", "ف") and word[1:] in NEGATIONS):
            return True
    return False


def _owned_or_plural(hit: _Hit) -> bool:
    if hit.entry.kind == "n":
        return hit.suffix not in _BARE_SUFFIXES
    if hit.entry.kind == "f":
        return hit.suffix != "ه"
    return False


def _has_context(sentence: _Sentence, hit: _Hit, words: frozenset[str], before: int, after: int) -> bool:
    for index in sentence.window(hit.first, before, after):
        if hit.first <= index <= hit.last:
            continue
        for stem in sentence.stems(index):
            # نحوها، باتجاهه: a pronoun suffix on a direction word.
            if stem in words or re.sub(r"(?:ها|هم|ه)$", "", stem) in words:
                return True
    return False


def _condition_holds(sentence: _Sentence, hit: _Hit, condition: str, hits: list[_Hit]) -> bool:
    if condition == "military":
        return _owned_or_plural(hit) or _has_context(sentence, hit, MILITARY_CONTEXT, 6, 6)
    if condition == "purpose":
        return hit.prefix.lstrip("وف") not in ("ل", "لل")
    if condition == "generic":
        if "ال" not in hit.prefix and not hit.prefix.endswith("لل"):
            return True
        return (
            sentence.has_locality
            or sentence.has_number
            or TIME_RE.search(sentence.text) is not None
            or any(
                FIGHTING_VERB_RE.fullmatch(sentence.word(i))
                for i in sentence.window(hit.first, 3, hit.last - hit.first + 3)
            )
        )
    if condition == "toll":
        after = sentence.window(hit.last + 1, 0, 2)
        return not (
            any(sentence.is_number(i) or PROJECTILE_RE.match(sentence.word(i)) for i in after)
            or any(h.type == "casualties" and hit.last < h.first <= hit.last + 4 for h in hits)
        )
    if condition == "drone":
        return any(
            DRONE_CONTEXT_RE.match(stem)
            for i in sentence.window(hit.first, 3, 3)
            if i != hit.first
            for stem in sentence.stems(i)
        )
    if condition == "captive":
        return any(
            sentence.is_number(i) or FIGHTER_RE.match(sentence.word(i))
            for i in sentence.window(hit.last + 1, 0, 1)
        )
    if condition == "diplomat":
        actor = any(
            stem in DIPLOMATIC_ACTORS for i in range(len(sentence.tokens)) for stem in sentence.stems(i)
        )
        toward = any(
            sentence.word(i) == "الي" and sentence.clause[i] == sentence.clause[hit.first]
            for i in range(hit.last + 1, len(sentence.tokens))
        )
        return actor and toward
    if condition == "named":
        return sentence.text[hit.end : hit.end + 3].lstrip()[:1] in ('"', "«", "“", "'", "”")
    if condition == "launch":
        # «بدأ في مايو/أيار 2014 عملية عسكرية»: the date between verb and noun does not count
        before = [
            i
            for i in range(hit.first - 1, max(hit.first - 12, 0) - 1, -1)
            if not (sentence.is_number(i) or DATE_WORD_RE.fullmatch(sentence.word(i)))
        ][:4]
        return any(LAUNCH_RE.match(sentence.word(i)) for i in before)
    if condition in ("appoint", "task"):
        later = range(hit.last + 1, min(hit.last + 13, len(sentence.tokens)))
        if any(POST_RE.match(sentence.word(i)) for i in later):
            return True
        return condition == "task" and any(
            sentence.word(i).startswith("ب") and len(sentence.word(i)) > 4
            for i in range(hit.last + 1, min(hit.last + 9, len(sentence.tokens)))
        )
    if condition == "decree":
        after = sentence.word(hit.last + 1)
        issued = any(
            ISSUING_RE.match(sentence.word(i))
            for i in range(max(hit.first - 12, 0), hit.first)
            if sentence.clause[i] == sentence.clause[hit.first] or i >= hit.first - 3
        )
        return issued or (after.startswith("ب") and len(after) > 3)
    if condition == "explosive":
        return _mine_context(sentence, hit) is None
    if condition == "blame":
        return any(BLAME_VERB_RE.match(sentence.word(i)) for i in sentence.window(hit.first, 8, -1))
    return True  # "announce" is a flag, not a filter


def _mine_context(sentence: _Sentence, hit: _Hit) -> str | None:
    """Whether a mine word is the object of clearing it ("clearing") or laying it ("laying")."""
    for index in sentence.window(hit.first, 6, 0):
        word = sentence.word(index)
        if CLEARING_RE.match(word):
            return "clearing"
        if LAYING_RE.match(word):
            return "laying"
    return None


def _is_question(text: str) -> bool:
    core = text.rstrip(" .!…\"'»”’)")
    return core.endswith(("؟", "?")) or re.match(r"^\W*[وف]?هل(?![^\W_])", text) is not None


def classify_event(sentence: str, speaker_named: bool = False) -> EventClassification | None:
    """The event types a sentence reports, or None when it reports no event.

    `speaker_named`: the sentence names a person (the entities stage knows); what a named
    official says is news on its own, as an announcement is."""
    text = normalize(sentence)
    if not has_arabic(text) or _is_question(text) or ANALYSIS_RE.search(text):
        return None
    parsed = _Sentence(text)
    masked = FALSE_FRIEND_RE.sub(lambda m: " " * len(m.group()), text)
    hits = _find_hits(parsed, masked)
    if not hits:
        return None

    irrealis = parsed.forward_scopes(IRREALIS_RE) + parsed.forward_scopes(UNTIL_RE)
    # A future-tense trigger (سيقصف، ستتقدم) opens an irrealis scope of its own, which
    # covers the trigger itself.
    irrealis += [(h.first, parsed.clause[h.first]) for h in hits if h.future]
    denial = parsed.forward_scopes(DENIAL_RE)
    continuity = parsed.forward_scopes(CONTINUITY_RE)
    denounced = parsed.forward_scopes(DENUNCIATION_RE)
    subordinate = parsed.forward_scopes(SUBORDINATE_RE)
    background_clauses = {
        parsed.clause[parsed.token_at(m.start())]
        for regex in (BACKGROUND_RE, HABITUAL_RE, ERA_RE)
        for m in regex.finditer(text)
    }
    # «واستطاعت القوات خلال العامين الماضيين، السيطرة على …»: a background phrase cut off
    # by a comma from the clause it qualifies, with no trigger of its own, reaches it too.
    background_clauses |= {
        c + 1 for c in background_clauses if not any(parsed.clause[h.first] == c for h in hits)
    }
    # A relative clause in the imperfect describes a standing state of its noun: «الحي، الذي
    # يشهد مواجهات», «قنفودة، والتي تتعرض لقصف مستمر»: the nouns right after its verb. (A verb
    # there is the main clause resuming: «القوات التي يقودها حفتر سيطرت على المدينة».)
    states = [parsed.token_at(m.end() - 1) for m in STATE_RELATIVE_RE.finditer(text)]

    def in_state(hit: _Hit) -> bool:
        return hit.entry.kind != "v" and any(
            0 < hit.first - verb <= 2 and parsed.clause[hit.first] == parsed.clause[verb] for verb in states
        )

    # «تتعرض … منذ أسابيع لغارات، مما أسفر عن مقتل…», «…، وتسبب ذلك في مقتل»: the
    # consequence of a state of affairs told earlier in the sentence is part of that state.
    if background_clauses or states:
        first_background = min(background_clauses | {parsed.clause[verb] for verb in states})
        background_clauses |= {
            parsed.clause[parsed.token_at(m.start())]
            for m in CONSEQUENCE_RE.finditer(text)
            if parsed.clause[parsed.token_at(m.start())] > first_background
        }

    future = parsed.forward_scopes(FUTURE_RE)
    # What someone is blamed for is the object of the blame (مسؤولية الغارة), not an event.
    blamed = [
        (h.first, parsed.clause[h.first])
        for h in hits
        if "blame" in h.entry.conditions and _condition_holds(parsed, h, "blame", hits)
    ]
    settings = {parsed.token_at(m.end() - 1) for m in SETTING_RE.finditer(text)}

    running = [
        (parsed.token_at(m.start()), parsed.token_at(m.end() - 1)) for m in RUNNING_TOTAL_RE.finditer(text)
    ]

    def running_total(hit: _Hit) -> bool:
        """A toll in the clause of a running total, or the fighting the total spans."""
        return any(
            first <= hit.first <= last
            or (hit.type == "casualties" and parsed.clause[hit.first] == parsed.clause[first])
            for first, last in running
        )

    kept: list[_Hit] = []
    called_for = False
    for hit in hits:
        if running_total(hit):
            continue
        kinetic = hit.type in KINETIC or "explosive" in hit.entry.conditions
        if _negated(parsed, hit):
            continue
        if hit.type != "statement" and parsed.in_forward_scope(hit, denial):
            continue
        if (kinetic or hit.type in ("protest", "decision")) and parsed.in_forward_scope(hit, irrealis):
            # A call to protest (دعت … للمشاركة في تظاهرة الجمعة) and a vow (أكد أن قواته
            # ستواصل القتال) are statements; a call to stop fighting stays a mere call, and a
            # called-for appointment (المطالبة بتعيين وزير) is no decision.
            called_for = called_for or hit.type == "protest" or parsed.in_forward_scope(hit, future)
            continue
        if kinetic and parsed.in_forward_scope(hit, denounced + blamed):
            continue
        if kinetic and (parsed.clause[hit.first] in background_clauses or in_state(hit)):
            continue
        if hit.type == "capture" and parsed.in_forward_scope(hit, continuity):
            continue
        if "explosive" in hit.entry.conditions and _mine_context(parsed, hit) == "clearing":
            kept.append(replace(hit, entry=replace(hit.entry, type="mine_clearance")))
            continue
        if not all(_condition_holds(parsed, hit, c, hits) for c in hit.entry.conditions):
            continue
        kept.append(hit)

    found = {h.type for h in kept}
    if "statement" in found and "diplomacy" in found:
        # A meeting that is only the setting of a statement (خلال اجتماع عقده مع كونتي أعلن
        # أنه يرحب), and a truce that is only announced or welcomed (أعلن وقف إطلاق النار),
        # are the statement's: no talks took place.
        announced = any(h.type == "statement" and "announce" in h.entry.conditions for h in kept)
        talks = [
            h
            for h in kept
            if h.type == "diplomacy"
            and h.first not in settings
            and not (announced and TRUCE_RE.fullmatch(text[h.start : h.end]))
        ]
        if announced and not talks:
            kept = [h for h in kept if h.type != "diplomacy"]
            found.discard("diplomacy")
    if "statement" in found:
        announced = any(h.type == "statement" and "announce" in h.entry.conditions for h in kept)
        concrete = (
            announced
            or called_for
            or speaker_named
            or len(found) > 1
            or parsed.has_number
            or parsed.has_locality
        )
        if not concrete:
            found.discard("statement")
            kept = [h for h in kept if h.type != "statement"]
    if not found:
        return None

    def is_counted(hit: _Hit) -> bool:
        """A casualty hit with a number next to it: a toll."""
        return hit.type == "casualties" and any(
            parsed.is_number(i)
            for i in parsed.window(hit.first, 2, hit.last - hit.first + 2)
            if not hit.first <= i <= hit.last
        )

    counted = any(is_counted(h) for h in kept)
    # «سمعوا دوي انفجارات أعقبها صوت اشتباكات»: blasts only heard are the sound of the fighting
    # or the strike the sentence tells, not a bombing of their own.
    explosions = [h for h in kept if h.type == "explosion"]
    heard = bool(explosions) and all(
        parsed.word(h.first - 1) in SOUND_WORDS and "explosive" not in h.entry.conditions for h in explosions
    )

    # Types the main clause reports rank before those only a relative or circumstantial
    # clause does: "took Ganfouda after the fighters fell back under shelling" is a capture.
    relative = parsed.forward_scopes(RELATIVE_RE)
    consequence = parsed.forward_scopes(CONSEQUENCE_RE)

    main = {
        h.type
        for h in kept
        if not parsed.in_forward_scope(h, subordinate + relative)
        and (is_counted(h) or not parsed.in_forward_scope(h, consequence))
    }
    if main - {"statement"}:
        demoted = found - main
    elif main:
        # A statement outranks what only a relative clause tells («قوات حفتر التي انسحبت من
        # ترهونة»: the withdrawal is known, the warning is the news).
        demoted = found - {h.type for h in kept if not parsed.in_forward_scope(h, relative)}
    else:
        demoted = set()

    def rank(event_type: EventType) -> float:
        lower = 100 if event_type in demoted else 0
        if event_type == "explosion" and heard and found & {"armed_clash", "air_strike", "shelling"}:
            return 200.0  # after every type the sentence also tells, even a subordinate one
        if event_type == "casualties" and counted:
            return lower + PRIORITY.index("capture") - 0.5  # a toll outranks the capture it followed
        return lower + PRIORITY.index(event_type)

    types = tuple(sorted(found, key=rank))
    triggers: list[str] = []
    trigger_types: list[EventType] = []
    for hit in sorted(kept, key=lambda h: (types.index(h.type), h.start)):
        trigger = text[hit.start : hit.end]
        if trigger not in triggers:
            triggers.append(trigger)
            trigger_types.append(hit.type)
    return EventClassification(
        type=types[0], types=types, triggers=tuple(triggers), trigger_types=tuple(trigger_types)
    )
