"""Tests for the Arabic date resolver: a table of phrases, negatives, and properties."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.dates import MONTH_NAMES_AR, DateMention, find_dates

D = datetime.date

# Publication dates of the seed articles, and a few more.
HAYAT = D(2016, 11, 19)  # Saturday
JAZEERA = D(2020, 6, 4)  # Thursday
PIPES = D(2016, 7, 30)  # Saturday
AKHERSAA = D(2016, 11, 23)  # Wednesday
NEW_YEAR = D(2017, 1, 3)  # Tuesday
SUNDAY = D(2016, 11, 20)


def case(
    text: str,
    published: datetime.date,
    start: datetime.date,
    end: datetime.date,
    precision: str,
    matched: str,
    open_ended: bool = False,
    warning: bool = False,
):
    return pytest.param(text, published, start, end, precision, matched, open_ended, warning, id=text)


# One row per phrase, kept on one line each so the table reads as a table.
# fmt: off
CASES = [
    # --- the seed articles
    case("ليل الخميس – الجمعة", HAYAT, D(2016, 11, 17), D(2016, 11, 18), "day", "ليل الخميس – الجمعة"),
    case("ناشدت فرق الهندسة أهالي المنطقة أمس، بعدم الاستعجال", HAYAT, D(2016, 11, 18), D(2016, 11, 18), "day", "أمس"),
    case("تحملها الجيش الوطني الليبي هذا الأسبوع في المعارك", HAYAT, D(2016, 11, 13), HAYAT, "week", "هذا الأسبوع"),
    case("الانتصار الذي حققه في الساعات الأخيرة", HAYAT, D(2016, 11, 18), HAYAT, "approximate", "الساعات الأخيرة"),
    case("وتشهد بنغازي منذ أكثر من عامين معارك يومية", HAYAT, D(2013, 11, 19), HAYAT, "approximate", "منذ أكثر من عامين", True),
    case("أعلنت حكومة الوفاق صباح اليوم الخميس أن قواتها", JAZEERA, JAZEERA, JAZEERA, "day", "صباح اليوم الخميس"),
    case("سيطرتها الكاملة عليه أمس الأربعاء، في سياق", JAZEERA, D(2020, 6, 3), D(2020, 6, 3), "day", "أمس الأربعاء"),
    case("وكانت الأمم المتحدة أعلنت الاثنين الماضي أن", JAZEERA, D(2020, 6, 1), D(2020, 6, 1), "day", "الاثنين الماضي"),
    case("وخرج المطار من الخدمة عام 2014، وتعتمد", JAZEERA, D(2014, 1, 1), D(2014, 12, 31), "year", "عام 2014"),
    case("التي شنت هجوما متعثرا منذ أبريل/نيسان 2019 للسيطرة", JAZEERA, D(2019, 4, 1), JAZEERA, "month", "منذ أبريل/نيسان 2019", True),
    case("والوفد المرافق له، أول من أمس. وشدد", PIPES, D(2016, 7, 28), D(2016, 7, 28), "day", "أول من أمس"),
    case("في سياق تقدمها المتسارع خلال الأيام الأخيرة،", JAZEERA, D(2020, 5, 25), JAZEERA, "approximate", "الأيام الأخيرة"),
    case("خسائر فادحة على مدى الأسابيع الماضية جراء", JAZEERA, D(2020, 3, 26), JAZEERA, "approximate", "الأسابيع الماضية"),
    case("وكانت قد بدأت التقدم نحوها في الآونة الأخيرة،", JAZEERA, D(2020, 4, 4), JAZEERA, "approximate", "الآونة الأخيرة"),
    case("وحققت قوات الجيش الليبي، علي مدي الأيام الماضية، تقدمًا", AKHERSAA, D(2016, 11, 13), AKHERSAA, "approximate", "الأيام الماضية"),
    # --- relative days
    case("قال اليوم إن", JAZEERA, JAZEERA, JAZEERA, "day", "اليوم"),
    case("حتى اليوم", JAZEERA, JAZEERA, JAZEERA, "day", "اليوم"),
    case("وصل أمس", JAZEERA, D(2020, 6, 3), D(2020, 6, 3), "day", "أمس"),
    case("وأمس قال", JAZEERA, D(2020, 6, 3), D(2020, 6, 3), "day", "أمس"),
    case("كما حدث بالأمس", JAZEERA, D(2020, 6, 3), D(2020, 6, 3), "day", "الأمس"),
    case("يوم أمس", JAZEERA, D(2020, 6, 3), D(2020, 6, 3), "day", "يوم أمس"),
    case("البارحة", JAZEERA, D(2020, 6, 3), D(2020, 6, 3), "day", "البارحة"),
    case("أول أمس", JAZEERA, D(2020, 6, 2), D(2020, 6, 2), "day", "أول أمس"),
    case("أمس الأول", JAZEERA, D(2020, 6, 2), D(2020, 6, 2), "day", "أمس الأول"),
    case("أول من أمس الثلاثاء", JAZEERA, D(2020, 6, 2), D(2020, 6, 2), "day", "أول من أمس الثلاثاء"),
    case("يعقد الاجتماع غدا", JAZEERA, D(2020, 6, 5), D(2020, 6, 5), "day", "غدا"),
    case("يعقد الاجتماع غداً", JAZEERA, D(2020, 6, 5), D(2020, 6, 5), "day", "غداً"),
    case("غدا الجمعة", JAZEERA, D(2020, 6, 5), D(2020, 6, 5), "day", "غدا الجمعة"),
    case("يوم الغد", JAZEERA, D(2020, 6, 5), D(2020, 6, 5), "day", "يوم الغد"),
    case("صباح غد", JAZEERA, D(2020, 6, 5), D(2020, 6, 5), "day", "صباح غد"),
    case("بعد غد", JAZEERA, D(2020, 6, 6), D(2020, 6, 6), "day", "بعد غد"),
    case("مساء أمس", JAZEERA, D(2020, 6, 3), D(2020, 6, 3), "day", "مساء أمس"),
    case("مساء أمس الأربعاء", JAZEERA, D(2020, 6, 3), D(2020, 6, 3), "day", "مساء أمس الأربعاء"),
    case("فجر اليوم", JAZEERA, JAZEERA, JAZEERA, "day", "فجر اليوم"),
    case("ليلة أمس", JAZEERA, D(2020, 6, 3), JAZEERA, "day", "ليلة أمس"),
    case("الليلة الماضية", JAZEERA, D(2020, 6, 3), JAZEERA, "day", "الليلة الماضية"),
    case("قُتل أَمْسِ الأَرْبِعَاءِ في", JAZEERA, D(2020, 6, 3), D(2020, 6, 3), "day", "أَمْسِ الأَرْبِعَاءِ"),
    case("أمــس", JAZEERA, D(2020, 6, 3), D(2020, 6, 3), "day", "أمــس"),
    # weekday disagreement: the relative word wins, with a warning
    case("أمس الثلاثاء", JAZEERA, D(2020, 6, 3), D(2020, 6, 3), "day", "أمس الثلاثاء", warning=True),
    case("اليوم الجمعة", JAZEERA, JAZEERA, JAZEERA, "day", "اليوم الجمعة", warning=True),
    case("صباح اليوم الخميس", D(2020, 6, 5), D(2020, 6, 5), D(2020, 6, 5), "day", "صباح اليوم الخميس", warning=True),
    case("غدا السبت", JAZEERA, D(2020, 6, 5), D(2020, 6, 5), "day", "غدا السبت", warning=True),
    # --- weekdays (published Thursday 2020-06-04)
    case("الخميس", JAZEERA, JAZEERA, JAZEERA, "day", "الخميس"),
    case("يوم الخميس", JAZEERA, JAZEERA, JAZEERA, "day", "يوم الخميس"),
    case("الأربعاء", JAZEERA, D(2020, 6, 3), D(2020, 6, 3), "day", "الأربعاء"),
    case("الثلاثاء", JAZEERA, D(2020, 6, 2), D(2020, 6, 2), "day", "الثلاثاء"),
    case("الاثنين", JAZEERA, D(2020, 6, 1), D(2020, 6, 1), "day", "الاثنين"),
    case("الإثنين", JAZEERA, D(2020, 6, 1), D(2020, 6, 1), "day", "الإثنين"),
    case("الأحد", JAZEERA, D(2020, 5, 31), D(2020, 5, 31), "day", "الأحد"),
    case("السبت", JAZEERA, D(2020, 5, 30), D(2020, 5, 30), "day", "السبت"),
    case("الجمعة", JAZEERA, D(2020, 5, 29), D(2020, 5, 29), "day", "الجمعة"),
    case("والخميس", JAZEERA, JAZEERA, JAZEERA, "day", "الخميس"),
    case("الخميس الماضي", JAZEERA, D(2020, 5, 28), D(2020, 5, 28), "day", "الخميس الماضي"),
    case("الجمعة الماضية", JAZEERA, D(2020, 5, 29), D(2020, 5, 29), "day", "الجمعة الماضية"),
    case("الأربعاء الفائت", JAZEERA, D(2020, 6, 3), D(2020, 6, 3), "day", "الأربعاء الفائت"),
    case("السبت المنصرم", JAZEERA, D(2020, 5, 30), D(2020, 5, 30), "day", "السبت المنصرم"),
    case("الخميس قبل الماضي", JAZEERA, D(2020, 5, 21), D(2020, 5, 21), "day", "الخميس قبل الماضي"),
    case("الأحد المقبل", JAZEERA, D(2020, 6, 7), D(2020, 6, 7), "day", "الأحد المقبل"),
    case("الخميس المقبل", JAZEERA, D(2020, 6, 11), D(2020, 6, 11), "day", "الخميس المقبل"),
    case("الجمعة القادمة", JAZEERA, D(2020, 6, 5), D(2020, 6, 5), "day", "الجمعة القادمة"),
    case("مساء الأربعاء", JAZEERA, D(2020, 6, 3), D(2020, 6, 3), "day", "مساء الأربعاء"),
    case("صبيحة الأحد", JAZEERA, D(2020, 5, 31), D(2020, 5, 31), "day", "صبيحة الأحد"),
    case("ظهر يوم الثلاثاء", JAZEERA, D(2020, 6, 2), D(2020, 6, 2), "day", "ظهر يوم الثلاثاء"),
    # nights belong to the day that follows
    case("ليلة الجمعة", HAYAT, D(2016, 11, 17), D(2016, 11, 18), "day", "ليلة الجمعة"),
    case("ليلة الخميس", JAZEERA, D(2020, 6, 3), JAZEERA, "day", "ليلة الخميس"),
    case("ليلة السبت إلى الأحد", JAZEERA, D(2020, 5, 30), D(2020, 5, 31), "day", "ليلة السبت إلى الأحد"),
    case("ليل الأربعاء الخميس", JAZEERA, D(2020, 6, 3), JAZEERA, "day", "ليل الأربعاء الخميس"),
    case("ليل الخميس/الجمعة", HAYAT, D(2016, 11, 17), D(2016, 11, 18), "day", "ليل الخميس/الجمعة"),
    case("ليل الخميس-الجمعة", HAYAT, D(2016, 11, 17), D(2016, 11, 18), "day", "ليل الخميس-الجمعة"),
    case("ليلة الخميس والجمعة", HAYAT, D(2016, 11, 17), D(2016, 11, 18), "day", "ليلة الخميس والجمعة"),
    case("يومي الأحد والاثنين", JAZEERA, D(2020, 5, 31), D(2020, 6, 1), "day", "يومي الأحد والاثنين"),
    case("من الاثنين إلى الأربعاء", JAZEERA, D(2020, 6, 1), D(2020, 6, 3), "day", "الاثنين إلى الأربعاء"),
    case("بين الخميس والسبت", HAYAT, D(2016, 11, 17), HAYAT, "day", "الخميس والسبت"),
    # --- weeks: Sunday to Saturday
    case("الأسبوع الجاري", HAYAT, D(2016, 11, 13), HAYAT, "week", "الأسبوع الجاري"),
    case("الأسبوع الحالي", JAZEERA, D(2020, 5, 31), JAZEERA, "week", "الأسبوع الحالي"),
    case("هذا الأسبوع", SUNDAY, SUNDAY, SUNDAY, "week", "هذا الأسبوع"),
    case("الأسبوع الماضي", JAZEERA, D(2020, 5, 24), D(2020, 5, 30), "week", "الأسبوع الماضي"),
    case("الأسبوع الفائت", HAYAT, D(2016, 11, 6), D(2016, 11, 12), "week", "الأسبوع الفائت"),
    case("الأسبوع قبل الماضي", JAZEERA, D(2020, 5, 17), D(2020, 5, 23), "week", "الأسبوع قبل الماضي"),
    case("الأسبوع المقبل", JAZEERA, D(2020, 6, 7), D(2020, 6, 13), "week", "الأسبوع المقبل"),
    # --- months
    case("الشهر الماضي", HAYAT, D(2016, 10, 1), D(2016, 10, 31), "month", "الشهر الماضي"),
    case("الشهر الماضي", NEW_YEAR, D(2016, 12, 1), D(2016, 12, 31), "month", "الشهر الماضي"),
    case("الشهر الجاري", HAYAT, D(2016, 11, 1), HAYAT, "month", "الشهر الجاري"),
    case("هذا الشهر", JAZEERA, D(2020, 6, 1), JAZEERA, "month", "هذا الشهر"),
    case("الشهر المقبل", D(2016, 12, 10), D(2017, 1, 1), D(2017, 1, 31), "month", "الشهر المقبل"),
    case("نوفمبر الجاري", HAYAT, D(2016, 11, 1), HAYAT, "month", "نوفمبر الجاري"),
    case("نوفمبر الجاري", D(2016, 12, 2), D(2016, 11, 1), D(2016, 11, 30), "month", "نوفمبر الجاري", warning=True),
    case("نوفمبر الماضي", HAYAT, D(2015, 11, 1), D(2015, 11, 30), "month", "نوفمبر الماضي"),
    case("أكتوبر الماضي", HAYAT, D(2016, 10, 1), D(2016, 10, 31), "month", "أكتوبر الماضي"),
    case("تشرين الأول الماضي", HAYAT, D(2016, 10, 1), D(2016, 10, 31), "month", "تشرين الأول الماضي"),
    case("يناير المقبل", HAYAT, D(2017, 1, 1), D(2017, 1, 31), "month", "يناير المقبل"),
    case("أبريل 2019", JAZEERA, D(2019, 4, 1), D(2019, 4, 30), "month", "أبريل 2019"),
    case("نيسان/أبريل 2019", JAZEERA, D(2019, 4, 1), D(2019, 4, 30), "month", "نيسان/أبريل 2019"),
    case("أبريل (نيسان) 2019", JAZEERA, D(2019, 4, 1), D(2019, 4, 30), "month", "أبريل (نيسان) 2019"),
    case("أبريل/أيار 2019", JAZEERA, D(2019, 4, 1), D(2019, 4, 30), "month", "أبريل/أيار 2019", warning=True),
    case("كانون الثاني 2017", JAZEERA, D(2017, 1, 1), D(2017, 1, 31), "month", "كانون الثاني 2017"),
    case("اندلعت في شهر مارس 2011", JAZEERA, D(2011, 3, 1), D(2011, 3, 31), "month", "شهر مارس 2011"),
    case("أبريل من العام الماضي", JAZEERA, D(2019, 4, 1), D(2019, 4, 30), "month", "أبريل من العام الماضي"),
    case("فبراير من عام 2016", JAZEERA, D(2016, 2, 1), D(2016, 2, 29), "month", "فبراير من عام 2016"),
    case("في شهر نوفمبر", HAYAT, D(2016, 11, 1), D(2016, 11, 30), "month", "شهر نوفمبر"),
    case("في مارس", JAZEERA, D(2020, 3, 1), D(2020, 3, 31), "month", "مارس"),
    case("في ديسمبر", JAZEERA, D(2019, 12, 1), D(2019, 12, 31), "month", "ديسمبر"),
    case("خلال يونيو", D(2020, 5, 30), D(2020, 6, 1), D(2020, 6, 30), "month", "يونيو"),
    case("في آب", JAZEERA, D(2019, 8, 1), D(2019, 8, 31), "month", "آب"),
    # parts of months and years
    case("منتصف أبريل", JAZEERA, D(2020, 4, 11), D(2020, 4, 20), "approximate", "منتصف أبريل"),
    case("أواخر فبراير 2016", JAZEERA, D(2016, 2, 21), D(2016, 2, 29), "approximate", "أواخر فبراير 2016"),
    case("مطلع الشهر الجاري", HAYAT, D(2016, 11, 1), D(2016, 11, 10), "approximate", "مطلع الشهر الجاري"),
    case("أواخر الشهر الماضي", HAYAT, D(2016, 10, 21), D(2016, 10, 31), "approximate", "أواخر الشهر الماضي"),
    case("مطلع العام الجاري", JAZEERA, D(2020, 1, 1), D(2020, 4, 30), "approximate", "مطلع العام الجاري"),
    case("منتصف عام 2014", JAZEERA, D(2014, 5, 1), D(2014, 8, 31), "approximate", "منتصف عام 2014"),
    case("أواخر العام الماضي", HAYAT, D(2015, 9, 1), D(2015, 12, 31), "approximate", "أواخر العام الماضي"),
    # --- day and month
    case("17 نوفمبر", HAYAT, D(2016, 11, 17), D(2016, 11, 17), "day", "17 نوفمبر"),
    case("17 من نوفمبر", HAYAT, D(2016, 11, 17), D(2016, 11, 17), "day", "17 من نوفمبر"),
    case("في 17 نوفمبر", HAYAT, D(2016, 11, 17), D(2016, 11, 17), "day", "17 نوفمبر"),
    case("وفي 17 نوفمبر", HAYAT, D(2016, 11, 17), D(2016, 11, 17), "day", "17 نوفمبر"),
    case("بتاريخ 17 نوفمبر 2016", HAYAT, D(2016, 11, 17), D(2016, 11, 17), "day", "17 نوفمبر 2016"),
    case("١٧ نوفمبر", HAYAT, D(2016, 11, 17), D(2016, 11, 17), "day", "١٧ نوفمبر"),
    case("١٧ نوفمبر ٢٠١٥", HAYAT, D(2015, 11, 17), D(2015, 11, 17), "day", "١٧ نوفمبر ٢٠١٥"),
    case("17 تشرين الثاني/نوفمبر 2016", HAYAT, D(2016, 11, 17), D(2016, 11, 17), "day", "17 تشرين الثاني/نوفمبر 2016"),
    case("17 نوفمبر/تشرين الثاني", HAYAT, D(2016, 11, 17), D(2016, 11, 17), "day", "17 نوفمبر/تشرين الثاني"),
    case("4 يونيو/حزيران 2020", JAZEERA, JAZEERA, JAZEERA, "day", "4 يونيو/حزيران 2020"),
    case("17 من شهر نوفمبر", HAYAT, D(2016, 11, 17), D(2016, 11, 17), "day", "17 من شهر نوفمبر"),
    case("17 نوفمبر 2016م", HAYAT, D(2016, 11, 17), D(2016, 11, 17), "day", "17 نوفمبر 2016م"),
    case("15 آب 2019", JAZEERA, D(2019, 8, 15), D(2019, 8, 15), "day", "15 آب 2019"),
    case("3 أيار", JAZEERA, D(2020, 5, 3), D(2020, 5, 3), "day", "3 أيار"),
    case("1 جانفي 2017", JAZEERA, D(2017, 1, 1), D(2017, 1, 1), "day", "1 جانفي 2017"),
    case("9 يوليه", JAZEERA, D(2019, 7, 9), D(2019, 7, 9), "day", "9 يوليه"),
    # year inference: the latest such date at most a week after publication
    case("28 ديسمبر", NEW_YEAR, D(2016, 12, 28), D(2016, 12, 28), "day", "28 ديسمبر"),
    case("2 يناير", NEW_YEAR, D(2017, 1, 2), D(2017, 1, 2), "day", "2 يناير"),
    case("8 يناير", NEW_YEAR, D(2017, 1, 8), D(2017, 1, 8), "day", "8 يناير"),
    case("20 يناير", NEW_YEAR, D(2016, 1, 20), D(2016, 1, 20), "day", "20 يناير"),
    case("5 يونيو", JAZEERA, D(2020, 6, 5), D(2020, 6, 5), "day", "5 يونيو"),
    case("29 فبراير", D(2017, 3, 1), D(2016, 2, 29), D(2016, 2, 29), "day", "29 فبراير"),
    case("29 فبراير", D(2016, 3, 10), D(2016, 2, 29), D(2016, 2, 29), "day", "29 فبراير"),
    case("29 فبراير 2016", JAZEERA, D(2016, 2, 29), D(2016, 2, 29), "day", "29 فبراير 2016"),
    # ordinal day words
    case("الأول من مايو", JAZEERA, D(2020, 5, 1), D(2020, 5, 1), "day", "الأول من مايو"),
    case("الثاني عشر من يناير 2019", JAZEERA, D(2019, 1, 12), D(2019, 1, 12), "day", "الثاني عشر من يناير 2019"),
    case("العاشر من مارس", JAZEERA, D(2020, 3, 10), D(2020, 3, 10), "day", "العاشر من مارس"),
    case("الخامس عشر من أغسطس", JAZEERA, D(2019, 8, 15), D(2019, 8, 15), "day", "الخامس عشر من أغسطس"),
    case("العشرين من مارس", JAZEERA, D(2020, 3, 20), D(2020, 3, 20), "day", "العشرين من مارس"),
    case("الحادي والعشرين من مارس", JAZEERA, D(2020, 3, 21), D(2020, 3, 21), "day", "الحادي والعشرين من مارس"),
    case("الحادي و العشرين من مارس", JAZEERA, D(2020, 3, 21), D(2020, 3, 21), "day", "الحادي و العشرين من مارس"),
    case("الثامن والعشرين من مايو", JAZEERA, D(2020, 5, 28), D(2020, 5, 28), "day", "الثامن والعشرين من مايو"),
    case("التاسع والعشرين من فبراير 2020", JAZEERA, D(2020, 2, 29), D(2020, 2, 29), "day", "التاسع والعشرين من فبراير 2020"),
    case("الحادي والثلاثين من ديسمبر", JAZEERA, D(2019, 12, 31), D(2019, 12, 31), "day", "الحادي والثلاثين من ديسمبر"),
    case("الثاني من كانون الثاني", JAZEERA, D(2020, 1, 2), D(2020, 1, 2), "day", "الثاني من كانون الثاني"),
    # the current, past and next month
    case("العاشر من الشهر الجاري", HAYAT, D(2016, 11, 10), D(2016, 11, 10), "day", "العاشر من الشهر الجاري"),
    case("في 5 من الشهر الجاري", HAYAT, D(2016, 11, 5), D(2016, 11, 5), "day", "5 من الشهر الجاري"),
    case("في 5 من الشهر الماضي", NEW_YEAR, D(2016, 12, 5), D(2016, 12, 5), "day", "5 من الشهر الماضي"),
    case("17 نوفمبر الجاري", HAYAT, D(2016, 11, 17), D(2016, 11, 17), "day", "17 نوفمبر الجاري"),
    case("10 أكتوبر الماضي", HAYAT, D(2016, 10, 10), D(2016, 10, 10), "day", "10 أكتوبر الماضي"),
    case("25 ديسمبر المقبل", HAYAT, D(2016, 12, 25), D(2016, 12, 25), "day", "25 ديسمبر المقبل"),
    case("17 نوفمبر من العام الماضي", HAYAT, D(2015, 11, 17), D(2015, 11, 17), "day", "17 نوفمبر من العام الماضي"),
    # weekday with a date: checked
    case("الخميس 17 نوفمبر 2016", HAYAT, D(2016, 11, 17), D(2016, 11, 17), "day", "الخميس 17 نوفمبر 2016"),
    case("يوم الجمعة الموافق 17 نوفمبر 2016", HAYAT, D(2016, 11, 17), D(2016, 11, 17), "day", "يوم الجمعة الموافق 17 نوفمبر 2016", warning=True),
    # day ranges and numeric dates
    case("17 و18 نوفمبر", HAYAT, D(2016, 11, 17), D(2016, 11, 18), "day", "17 و18 نوفمبر"),
    case("من 17 إلى 19 نوفمبر", HAYAT, D(2016, 11, 17), HAYAT, "day", "17 إلى 19 نوفمبر"),
    case("17-19 نوفمبر 2016", HAYAT, D(2016, 11, 17), HAYAT, "day", "17-19 نوفمبر 2016"),
    case("بتاريخ 17/11/2016", HAYAT, D(2016, 11, 17), D(2016, 11, 17), "day", "17/11/2016"),
    case("2016-11-17", HAYAT, D(2016, 11, 17), D(2016, 11, 17), "day", "2016-11-17"),
    case("17.11.2016", HAYAT, D(2016, 11, 17), D(2016, 11, 17), "day", "17.11.2016"),
    # --- years
    case("العام 2019", JAZEERA, D(2019, 1, 1), D(2019, 12, 31), "year", "العام 2019"),
    case("سنة 2016", JAZEERA, D(2016, 1, 1), D(2016, 12, 31), "year", "سنة 2016"),
    case("عام ٢٠١٤", JAZEERA, D(2014, 1, 1), D(2014, 12, 31), "year", "عام ٢٠١٤"),
    case("في 2011", JAZEERA, D(2011, 1, 1), D(2011, 12, 31), "year", "2011"),
    case("العام الماضي", JAZEERA, D(2019, 1, 1), D(2019, 12, 31), "year", "العام الماضي"),
    case("السنة الماضية", JAZEERA, D(2019, 1, 1), D(2019, 12, 31), "year", "السنة الماضية"),
    case("العام الجاري", JAZEERA, D(2020, 1, 1), JAZEERA, "year", "العام الجاري"),
    case("هذا العام", JAZEERA, D(2020, 1, 1), JAZEERA, "year", "هذا العام"),
    case("العام المقبل", JAZEERA, D(2021, 1, 1), D(2021, 12, 31), "year", "العام المقبل"),
    case("بين عامي 2014 و2015", JAZEERA, D(2014, 1, 1), D(2015, 12, 31), "year", "عامي 2014 و2015"),
    # --- منذ: open ranges
    case("منذ عام 2014", HAYAT, D(2014, 1, 1), HAYAT, "year", "منذ عام 2014", True),
    case("ومنذ 2011", HAYAT, D(2011, 1, 1), HAYAT, "year", "منذ 2011", True),
    case("منذ الاثنين", JAZEERA, D(2020, 6, 1), JAZEERA, "day", "منذ الاثنين", True),
    case("منذ أمس", JAZEERA, D(2020, 6, 3), JAZEERA, "day", "منذ أمس", True),
    case("منذ 17 نوفمبر", HAYAT, D(2016, 11, 17), HAYAT, "day", "منذ 17 نوفمبر", True),
    case("ومنذ الشهر الماضي", HAYAT, D(2016, 10, 1), HAYAT, "month", "منذ الشهر الماضي", True),
    case("منذ مطلع العام الجاري", JAZEERA, D(2020, 1, 1), JAZEERA, "approximate", "منذ مطلع العام الجاري", True),
    case("منذ عامين", HAYAT, D(2014, 8, 20), HAYAT, "approximate", "منذ عامين", True),
    case("منذ ثلاثة أيام", JAZEERA, D(2020, 5, 31), JAZEERA, "approximate", "منذ ثلاثة أيام", True),
    case("منذ أيام", JAZEERA, D(2020, 5, 24), JAZEERA, "approximate", "منذ أيام", True),
    case("منذ سنوات", JAZEERA, D(2010, 3, 5), JAZEERA, "approximate", "منذ سنوات", True),
    # --- قبل: approximate windows
    case("قبل يومين", JAZEERA, D(2020, 6, 1), D(2020, 6, 3), "approximate", "قبل يومين"),
    case("قبل ثلاثة أيام", JAZEERA, D(2020, 5, 31), D(2020, 6, 2), "approximate", "قبل ثلاثة أيام"),
    case("قبل 3 أيام", JAZEERA, D(2020, 5, 31), D(2020, 6, 2), "approximate", "قبل 3 أيام"),
    case("قبل عشرة أيام", JAZEERA, D(2020, 5, 24), D(2020, 5, 26), "approximate", "قبل عشرة أيام"),
    case("قبل 15 يوما", JAZEERA, D(2020, 5, 19), D(2020, 5, 21), "approximate", "قبل 15 يوما"),
    case("وقبل يوم واحد", JAZEERA, D(2020, 6, 2), JAZEERA, "approximate", "قبل يوم واحد"),
    case("قبل أسبوع", JAZEERA, D(2020, 5, 25), D(2020, 5, 31), "approximate", "قبل أسبوع"),
    case("قبل أسبوعين", JAZEERA, D(2020, 5, 18), D(2020, 5, 24), "approximate", "قبل أسبوعين"),
    case("قبل نحو ثلاثة أشهر", JAZEERA, D(2020, 2, 3), D(2020, 4, 3), "approximate", "قبل نحو ثلاثة أشهر"),
    case("قبل حوالي شهرين", JAZEERA, D(2020, 3, 5), D(2020, 5, 4), "approximate", "قبل حوالي شهرين"),
    case("قبل عام", JAZEERA, D(2019, 3, 5), D(2019, 9, 3), "approximate", "قبل عام"),
    case("قبل ثلاث سنوات", JAZEERA, D(2017, 3, 5), D(2017, 9, 3), "approximate", "قبل ثلاث سنوات"),
    case("قبل عامين تقريبا", JAZEERA, D(2017, 12, 4), D(2018, 12, 3), "approximate", "قبل عامين تقريبا"),
    case("قبل أكثر من عام", JAZEERA, D(2018, 6, 4), D(2019, 6, 4), "approximate", "قبل أكثر من عام"),
    case("قبل أقل من أسبوع", JAZEERA, D(2020, 5, 28), JAZEERA, "approximate", "قبل أقل من أسبوع"),
    case("قبل ساعات", JAZEERA, D(2020, 6, 3), JAZEERA, "approximate", "قبل ساعات"),
    case("قبل أيام قليلة", JAZEERA, D(2020, 5, 24), D(2020, 6, 2), "approximate", "قبل أيام قليلة"),
    case("قبل بضعة أشهر", JAZEERA, D(2019, 7, 20), D(2020, 3, 19), "approximate", "قبل بضعة أشهر"),
    # --- recent periods
    case("في الأيام القليلة الماضية", JAZEERA, D(2020, 5, 25), JAZEERA, "approximate", "الأيام القليلة الماضية"),
    case("خلال الساعات الـ48 الماضية", JAZEERA, D(2020, 6, 2), JAZEERA, "approximate", "الساعات الـ48 الماضية"),
    case("خلال الأيام الـ10 الماضية", JAZEERA, D(2020, 5, 25), JAZEERA, "approximate", "الأيام الـ10 الماضية"),
    case("خلال الأيام المقبلة", JAZEERA, JAZEERA, D(2020, 6, 14), "approximate", "الأيام المقبلة"),
    case("خلال السنوات الأخيرة", JAZEERA, D(2010, 6, 4), JAZEERA, "approximate", "السنوات الأخيرة"),
    case("أعلن مؤخرا", JAZEERA, D(2020, 4, 4), JAZEERA, "approximate", "مؤخرا"),
    case("في الفترة الأخيرة", JAZEERA, D(2020, 4, 4), JAZEERA, "approximate", "الفترة الأخيرة"),
    # --- more combinations
    case("منذ مايو", JAZEERA, D(2020, 5, 1), JAZEERA, "month", "منذ مايو", True),
    case("مساء الخميس 17 نوفمبر 2016", HAYAT, D(2016, 11, 17), D(2016, 11, 17), "day", "مساء الخميس 17 نوفمبر 2016"),
    case("الفاتح من سبتمبر", JAZEERA, D(2019, 9, 1), D(2019, 9, 1), "day", "الفاتح من سبتمبر"),
    case("يومي الجمعة والسبت الماضيين", JAZEERA, D(2020, 5, 29), D(2020, 5, 30), "day", "يومي الجمعة والسبت الماضيين"),
    case("في 2014، اندلعت", JAZEERA, D(2014, 1, 1), D(2014, 12, 31), "year", "2014"),
    case("يوم ٤ يونيو", JAZEERA, JAZEERA, JAZEERA, "day", "٤ يونيو"),
    case("الساعة العاشرة من صباح اليوم", JAZEERA, JAZEERA, JAZEERA, "day", "صباح اليوم"),
    case("التقى عقيلة صالح العام الماضي", JAZEERA, D(2019, 1, 1), D(2019, 12, 31), "year", "العام الماضي"),
    case("وضع العام الماضي خطة", JAZEERA, D(2019, 1, 1), D(2019, 12, 31), "year", "العام الماضي"),
    case("5 ماي", JAZEERA, D(2020, 5, 5), D(2020, 5, 5), "day", "5 ماي"),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "published", "start", "end", "precision", "matched", "open_ended", "warning"), CASES
)
def test_resolves(
    text: str,
    published: datetime.date,
    start: datetime.date,
    end: datetime.date,
    precision: str,
    matched: str,
    open_ended: bool,
    warning: bool,
) -> None:
    mentions = find_dates(text, published)
    assert len(mentions) == 1, mentions
    (mention,) = mentions
    assert (mention.start, mention.end) == (start, end)
    assert mention.precision == precision
    assert mention.text == matched
    assert text[mention.span[0] : mention.span[1]] == matched
    assert mention.open_ended is open_ended
    assert bool(mention.warnings) is warning, mention.warnings


NEGATIVES = [
    # weekdays in place names
    "سوق الخميس امسيحل",
    "وتتقدم حاليا في منطقة قصر بن غشير وسوق الخميس امسيحل وصولا",
    "في منطقة سوق الجمعة",
    "بسوق الثلاثاء",
    "سوق الخميس",
    "ميدان الجمعة",
    "شارع الأحد",
    # personal names
    "يلتقي بالرئيس رجب طيب أردوغان",
    "التقى رمضان أبو جناح",
    "قال شعبان",
    "الشيخ علي جمعة",
    "جمعة الغضب",
    # numbers in quotation marks, and names built on dates
    'قتل قائدان ميدانيان بالكتيبة "21 صاعقة" التابعة',
    "عن مقتل «13 متطرفاً»",
    "مقاتلي «17 فبراير»",
    "ميليشيات “17 فبراير”",
    "كتيبة شهداء 17 فبراير",
    "ذكرى ثورة 17 فبراير",
    "«ليبيا اليوم»",
    # bare numbers
    "على بعد 10 كلم غربي بنغازي",
    "مقتل 35 عنصرا",
    "تنفيذ سلاح الجو 3 غارات جوية",
    "سقوط 12 قتيلاً",
    "وجدت خمس عشرة جثة",
    "أسر 10 عناصر",
    "الساعة 10",
    # ordinals as adjectives
    "المرة الأولى",
    "المرة الأولي التي",
    "الجانب الثاني",
    "في المقام الأول",
    "هي أول من أعلنت الحرب",
    "اليوم الأول من المعركة",
    "في اليوم التالي",
    "في ذلك اليوم",
    "اليوم نفسه",
    # impossible dates
    "31 فبراير",
    "31 فبراير 2016",
    "30 فبراير",
    "31 نيسان",
    "29 فبراير 2019",
    "32 مارس",
    "0 يناير",
    "31/02/2016",
    # العام as "general", اليوم and أمس in fixed phrases
    "الأمين العام الحالي",
    "المؤتمر الوطني العام",
    "سكرتير عام وزارة الدفاع ببنغازي",
    "القائد العام للجيش",
    "الأمن العام الحالي",
    "في أمس الحاجة",
    "بأمس الحاجة إلى",
    "قناة روسيا اليوم",
    "صحيفة المصري اليوم",
    "ليبيا الغد",
    # bare month names that are something else
    "مارس الجيش ضغوطا",
    "سيارة نيسان",
    "في أب",
    "اجتمع مع تيريزا ماي",
    "في ماي",
    # durations that count from another event, or nouns after قبل
    "قبل يومين من الانتخابات",
    "قبل شهر رمضان",
    "بعد عام من سيطرة قوات حفتر عليه",
    "في الأيام الأخيرة من حكم القذافي",
    "بعد توقف نسبي دام عدة أيام",
    "دخول الحرب في شهرها السابع",
    "لأشهر طويلة",
    # other words
    "كلا الاثنين",
    "الأحد عشر لاعبا",
    "أحد آخر القطاعات",
    "عام 1437",
    "ذكرى ثورة الفاتح من سبتمبر",
    "في 2000 غارة",
    "منذ اليوم الأول للحرب",
    "في الأيام الأولى للحرب",
    "",
    "Libya 2019 elections",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_no_date(text: str) -> None:
    assert find_dates(text, JAZEERA) == []


def matched(text: str, published: datetime.date) -> list[str]:
    return [m.text for m in find_dates(text, published)]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("وصلت القوات إلى سوق الجمعة يوم الخميس", JAZEERA, ["يوم الخميس"]),
        (
            "وصل إلى القاهرة أمس الأربعاء، وسيلتقي السراج غدا الخميس",
            JAZEERA,
            ["أمس الأربعاء", "غدا الخميس"],
        ),
        ("اجتماع الأمين العام العام الماضي", JAZEERA, ["العام الماضي"]),
        ("قبل عام 2014", JAZEERA, ["عام 2014"]),
        ("يومي الاثنين والأربعاء", JAZEERA, ["الاثنين", "الأربعاء"]),
        ("منذ \nعام 2014", JAZEERA, ["عام 2014"]),
        ("قبل يوم الخميس", JAZEERA, ["يوم الخميس"]),
        ("بين 1 و5 مايو ثم في 9 مايو", JAZEERA, ["1 و5 مايو", "9 مايو"]),
        ("«في 17 نوفمبر قال القائد إن المعركة انتهت بالكامل»", HAYAT, ["17 نوفمبر"]),
    ],
)
def test_several(text: str, published: datetime.date, expected: list[str]) -> None:
    assert matched(text, published) == expected


def test_weekday_warning_text() -> None:
    (mention,) = find_dates("أمس الثلاثاء", JAZEERA)
    assert mention.start == D(2020, 6, 3)
    assert "2020-06-03" in mention.warnings[0]
    assert "Wednesday" in mention.warnings[0]


def test_seed_article_aljazeera() -> None:
    text = (
        "وتجول المراسل داخل مطار طرابلس الذي أعلنت قوات الوفاق سيطرتها الكاملة عليه أمس الأربعاء، "
        "في سياق تقدمها المتسارع خلال الأيام الأخيرة، وذلك بعد عام من سيطرة قوات حفتر عليه.\n\n"
        "وتوجه رئيس حكومة الوفاق الوطني فايز السراج إلى تركيا حيث يُتوقع أن يلتقي بالرئيس رجب طيب أردوغان."
    )
    mentions = find_dates(text, JAZEERA)
    assert [m.text for m in mentions] == ["أمس الأربعاء", "الأيام الأخيرة"]
    assert mentions[0].start == D(2020, 6, 3)


def test_span_with_diacritics_mid_text() -> None:
    text = "وقال المتحدث إنّ الهجومَ وقعَ مساءَ أمسِ الأربعاءِ، ثم توقف."
    (mention,) = find_dates(text, JAZEERA)
    assert mention.text == "مساءَ أمسِ الأربعاءِ"
    assert text[mention.span[0] : mention.span[1]] == mention.text


# --------------------------------------------------------------------------- properties

FRAGMENTS = [
    "أمس",
    "اليوم",
    "الخميس",
    "الجمعة",
    "ليل",
    "منذ",
    "قبل",
    "عام",
    "2014",
    "17",
    "31",
    "نوفمبر",
    "فبراير",
    "نيسان",
    "/",
    "–",
    "-",
    "من",
    "الشهر",
    "الماضي",
    "الجاري",
    "الأسبوع",
    "سوق",
    "«",
    "»",
    '"',
    "“",
    "”",
    "أكثر",
    "عامين",
    "يومين",
    "الأول",
    "الثاني",
    "عشر",
    "والعشرين",
    "،",
    "\n",
    "ِ",
    "ـ",
    "١٧",
    "Libya",
]
dirty_text = st.one_of(
    st.text(),
    st.lists(
        st.one_of(
            st.sampled_from(FRAGMENTS),
            st.text(alphabet="abc 0123456789/.-«»\"'أإآبةىيؤ\u064e\u0651", max_size=4),
        ),
        max_size=25,
    ).map(" ".join),
    st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join),
)
publication_dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2040, 12, 31))


def check_mentions(text: str, published: datetime.date, mentions: list[DateMention]) -> None:
    previous_end = 0
    for m in mentions:
        assert 0 <= m.span[0] < m.span[1] <= len(text)
        assert text[m.span[0] : m.span[1]] == m.text
        assert m.start <= m.end
        assert m.span[0] >= previous_end  # in order, no overlaps
        previous_end = m.span[1]
        if m.open_ended:
            assert m.end == published


@settings(max_examples=300, deadline=None)
@given(dirty_text, publication_dates)
def test_never_raises_and_spans_hold(text: str, published: datetime.date) -> None:
    check_mentions(text, published, find_dates(text, published))


@settings(max_examples=100, deadline=None)
@given(
    publication_dates,
    st.sampled_from(sorted({"الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"})),
)
def test_weekdays_are_never_in_the_future(published: datetime.date, weekday: str) -> None:
    (bare,) = find_dates(weekday, published)
    assert 0 <= (published - bare.start).days <= 6
    (past,) = find_dates(f"{weekday} الماضي", published)
    assert 1 <= (published - past.start).days <= 7
    assert past.start.weekday() == bare.start.weekday()


@settings(max_examples=100, deadline=None)
@given(publication_dates, st.integers(1, 12), st.integers(1, 31))
def test_inferred_years_are_not_far_ahead(published: datetime.date, month: int, day: int) -> None:
    mentions = find_dates(f"{day} {MONTH_NAMES_AR[month - 1]}", published)
    for m in mentions:
        assert (m.start - published).days <= 7
        assert (published - m.start).days < 366 * 4 + 7  # 29 February reaches back to the last leap year
