"""Issue 12, classes 1, 2 and 5: sentences that list dated events, and «العاصمة».

A recap lists several events of one kind in one sentence, each with its own place and date
(briefgen/events/enumerations.py); each item is an event of its own date and places. Every
row here is written for this test, in the register of Arabic wire copy; none is taken from
the evaluation sets, so that the rules are not a fit to them.
"""

from __future__ import annotations

import pytest

from tests.test_event_classes import article, only_event

# (sentence, published, [(type, start, precision, places)] in sentence order)
LISTS = [
    (
        "وتمكن الجيش من السيطرة على مناطق عدة، منها منطقة الليثي في 23 فبراير 2016، "
        "ومنطقة الهواري في 18 أبريل 2016، وبوعطني في 29 أكتوبر 2014.",
        "2017-03-01",
        [
            ("capture", "2016-02-23", "day", ("laithi",)),
            ("capture", "2016-04-18", "day", ("al-hawari",)),
            ("capture", "2014-10-29", "day", ("bu-atni",)),
        ],
    ),
    (
        # a vague date frames the list: it dates none of its items
        "وفي الأشهر الأخيرة، سيطرت قوات الوفاق على صرمان في 13 أبريل 2020، وعلى ترهونة في 5 يونيو 2020.",
        "2020-06-20",
        [
            ("capture", "2020-04-13", "day", ("surman",)),
            ("capture", "2020-06-05", "day", ("tarhuna",)),
        ],
    ),
    (
        # month precision items, and an item's own verb keeps its own type
        "وشهدت المدينة قصفا عنيفا في مايو 2019، ثم اندلعت اشتباكات في عين زارة في يونيو 2019.",
        "2019-09-01",
        None,  # the first piece names no place of its own: not a list, the clause reader decides
    ),
    (
        "وقصف الطيران مطار معيتيقة في 9 سبتمبر 2019، وقصف ميناء طرابلس في 18 فبراير 2020.",
        "2020-03-01",
        [
            ("air_strike", "2019-09-09", "day", ("mitiga",)),
            ("air_strike", "2020-02-18", "day", ("tripoli-port",)),
        ],
    ),
]


@pytest.mark.parametrize(("sentence", "published", "expected"), LISTS)
def test_a_list_of_dated_events_is_one_event_per_item(
    sentence: str, published: str, expected: list[tuple[str, str, str, tuple[str, ...]]] | None
) -> None:
    found = [e for e in article(sentence, published).events if e.sentence == 0]
    got = [(e.type, e.date_start.isoformat(), e.precision, e.places) for e in found]
    if expected is None:
        # whatever the clause reader makes of it, no event takes all the places at once
        assert all(len(e.places) <= 1 for e in found), got
        return
    assert got == expected


NOT_LISTS = [
    # one place's history: the clause reader dates the capture, not two captures
    "واستعادت قوات الوفاق مدينة غريان في 26 يونيو 2019، بعد أن سيطرت عليها قوات حفتر في 4 أبريل 2019.",
    # two dates in one piece
    "واستمرت الاشتباكات في طرابلس من 4 أبريل 2019 حتى 4 يونيو 2020.",
]


@pytest.mark.parametrize("sentence", NOT_LISTS)
def test_what_is_not_a_plain_list_is_left_to_the_clause_reader(sentence: str) -> None:
    found = [e for e in article(sentence, "2020-07-01").events if e.sentence == 0]
    assert len(found) <= 2
    assert len({e.date_start for e in found}) == len(found)


# «العاصمة» is Tripoli in Libyan reporting; another country's capital is named with its adjective.
CAPITAL = [
    ("وشهدت العاصمة قصفا عنيفا استمر حتى صباح الأحد.", ("tripoli",)),
    ("واندلعت اشتباكات عنيفة في ضواحي العاصمة الليبية الجنوبية.", ("tripoli",)),
    ("وسقطت قذائف على أحياء في العاصمة طرابلس.", ("tripoli",)),
    ("واجتمع الطرفان في العاصمة الروسية موسكو.", ("moscow",)),
    ("وعقد المؤتمر في العاصمة الألمانية برلين.", ("berlin",)),
    ("وتستضيف العاصمة الألمانية مؤتمرا دوليا حول ليبيا.", ("berlin",)),
    ("وتوجه الوفد إلى العاصمة المصرية لإجراء محادثات.", ("cairo",)),
    # a locating reference stays one
    ("وسيطرت القوات على مدينة غريان، التي تبعد 100 كيلومتر عن العاصمة.", ("gharyan",)),
]


@pytest.mark.parametrize(("sentence", "places"), CAPITAL)
def test_the_capital_is_tripoli_unless_another_countrys_is_named(
    sentence: str, places: tuple[str, ...]
) -> None:
    event = only_event(sentence, "2019-06-01")
    assert event is not None and event.places == places


# «، غداة …» inside one sentence: the clause after it is an event of the day before.
MORROW_IN_SENTENCE = [
    (
        "وأعلنت قوات الحكومة يوم الجمعة السيطرة على مدينة غريان، غداة إعلانها تحرير بلدة العزيزية.",
        "2019-06-29",
        [("capture", "2019-06-28", ("gharyan",)), ("capture", "2019-06-27", ("al-aziziya",))],
    ),
    (
        # no day to count back from: the second clause is not dated a day before «reported»
        "وأعلنت قوات الحكومة السيطرة على مدينة غريان، غداة إعلانها تحرير بلدة العزيزية.",
        "2019-06-29",
        [("capture", "2019-06-29", ("gharyan",)), ("capture", "2019-06-29", ("al-aziziya",))],
    ),
]


@pytest.mark.parametrize(("sentence", "published", "expected"), MORROW_IN_SENTENCE)
def test_the_morrow_in_one_sentence_dates_its_clause_a_day_before(
    sentence: str, published: str, expected: list[tuple[str, str, tuple[str, ...]]]
) -> None:
    found = [e for e in article(sentence, published).events if e.sentence == 0]
    assert [(e.type, e.date_start.isoformat(), e.places) for e in found] == expected


# The era's date («ثورة فبراير 2011») is history's: it dates no event, nor a list item.
ERA_DATES = [
    "وبدأ حفتر في مايو 2014 عملية عسكرية في بنغازي، واستهدفت العملية كتائب في درنة شاركت في ثورة فبراير 2011.",
    "وأطلقت القوات في أبريل 2019 هجوما على طرابلس، بعد سنوات من الفوضى التي أعقبت الإطاحة بالقذافي في 2011.",
]


@pytest.mark.parametrize("sentence", ERA_DATES)
def test_the_eras_date_dates_no_event(sentence: str) -> None:
    found = [e for e in article(sentence, "2020-01-01").events if e.sentence == 0]
    assert found and all(e.date_start.year != 2011 for e in found), found
