"""Issue 12: more than one event in a sentence (briefgen/events/clauses.py and the events stage).

Each row is a sentence and the events the stage must read in it, in order: one per event
clause that has its own trigger and another type, its own date or its own place; and one
only, where two clauses tell one event (two verbs for one event, a result and its toll, an
attack and its repulse, a statement of the event, a withdrawal's destination).

Rows with a source quote the development set (tests/fixtures/real_reporting/content/articles/,
whose front matter gives outlet, date and URL) or the seeds (content/articles/); the others
are written for this test in the register of Arabic wire copy, so that no rule is a fit to
those sentences. A field left None is not checked: it is the classifier's or the date
resolver's reading, not this stage's (e.g. «محاولة الاستيلاء», an attempt, is read as a
capture).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from briefgen.chronology import build_chronology
from briefgen.config import SiteConfig, load_config
from briefgen.events.clauses import (
    ASIDE,
    COORDINATE,
    FIRST,
    RELATIVE,
    SUBORDINATE,
    WEAK,
    blank,
    split_clauses,
)
from briefgen.gazetteer import Gazetteer
from briefgen.pipeline.entities import find_entities
from briefgen.pipeline.events import find_events
from briefgen.pipeline.split import split
from briefgen.readers import read_articles, read_gazetteer
from briefgen.structure.article import Article, FrontMatter

REPO = Path(__file__).resolve().parents[1]
CONFIGS = {
    "dev": REPO / "tests" / "fixtures" / "real_reporting" / "site_config.yml",
    "seeds": REPO / "site_config.yml",
}


@cache
def setup(corpus: str) -> tuple[SiteConfig, Gazetteer]:
    config = load_config(CONFIGS[corpus])
    return config, read_gazetteer(config)


@cache
def sources(corpus: str) -> dict[str, str]:
    """Each article's whole text, to check that a quoted row is the article's own."""
    config, _gazetteer = setup(corpus)
    return {a.slug: a.body for a in read_articles(config)}


@dataclass(frozen=True)
class Ev:
    type: str | None
    start: str | None
    precision: str | None = None
    places: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Row:
    sentence: str
    published: str
    events: tuple[Ev, ...]
    corpus: str = "dev"
    source: str | None = None  # the article the sentence is quoted from


def read(body: str, published: str, corpus: str = "dev") -> Article:
    _config, gazetteer = setup(corpus)
    meta = FrontMatter(title="t", source="s", published=dt.date.fromisoformat(published))
    raw = Article(slug="a", path=Path("a.md"), meta=meta, body=body, body_line=1)
    return find_events(find_entities(split(raw), gazetteer), gazetteer)


def check(row: Row) -> None:
    found = read(row.sentence, row.published, row.corpus).events
    assert [e.in_sentence for e in found] == list(range(len(found))), found
    assert len(found) == len(row.events), [(e.type, e.date_start, e.places) for e in found]
    for event, expected in zip(found, row.events, strict=True):
        got = Ev(
            event.type if expected.type else None,
            event.date_start.isoformat() if expected.start else None,
            event.precision if expected.precision else None,
            event.places if expected.places is not None else None,
        )
        assert got == expected, (row.sentence, event)


TWO_EVENTS = [
    # «، لافتا أنه تم أيضا» + a place of its own: the storming of the buildings at Qawarsha.
    Row(
        'وقال المكتب الإعلامى للقوات المسلحة الليبية، فى بيان مقتضب اليوم الخميس، "إن القوات المسلحة والشباب المساندين سيطروا على مقر ما كان يعرف بمليشيا (درع ليبيا 1) التابع لقوات مجلس شورى ثوار بنغازى فى منطقة قنفودة بالكامل" ،لافتا أنه تم أيضا اقتحام عمارات “الصينية” على مشارف منطقة القوارشة.',
        "2016-02-25",
        (Ev("capture", "2016-02-25", "day", ("ganfouda",)), Ev(None, "2016-02-25", "day", ("qawarsha",))),
        source="2016-02-25-youm7-ganfouda-hawari",
    ),
    # «، حيث قال … إنه طرد»: the fighting resumed, and the expulsion it ended in.
    Row(
        "واستؤنف القتال هذا الأسبوع في حي قنفودة جنوب غرب بنغازي وحي القوارشة القريب، حيث قال الجيش الوطني الليبي إنه طرد الآن القوات المناوئة له من هذا الحي.",
        "2016-11-17",
        (Ev("armed_clash", "2016-11-13", "week"), Ev("capture", "2016-11-13", "week")),
        source="2016-11-17-eremnews-qawarsha",
    ),
    # «، عندما حاولت … إعادة السيطرة»: the clashes, and the positions fought over.
    Row(
        'وقالت وكالة "الأناضول" إنّ الاشتباكات بدأت مساء اليوم، عندما حاولت قوات تتبع حكومة الوفاق، المعترف بها دوليًا، إعادة السيطرة على بعض التمركزات التي فقدتها خلال اليومين الماضيين.',
        "2019-04-09",
        (Ev("armed_clash", "2019-04-09", "day"), Ev("capture", "2019-04-09", "day")),
        source="2019-04-09-masralarabia-ain-zara",
    ),
    # «، وشهدت …، وأنَّ قوات حفتر سيطرت»: the clashes, and the streets taken.
    Row(
        "وذكر شهود عيان أنّ المواجهات المسلحة ازدادت وتيرتها، وشهدت استعمال جميع أنواع الأسلحة في منطقة مأهولة بالسكان، وأنَّ قوات حفتر سيطرت على عدة شوارع وجامع الكحيلي الشهير في المنطقة.",
        "2019-04-09",
        (Ev("armed_clash", "2019-04-09", "reported"), Ev("capture", "2019-04-09", "reported")),
        source="2019-04-09-masralarabia-ain-zara",
    ),
    # «بعد سيطرتهم لساعات على منطقة الداوون شرق ترهونة»: another type, at a place of its own.
    Row(
        "وأطلق مسلحو حفتر المتمركزون على تخوم مدينة امسلاتة ثمانية صواريخ غراد على الأحياء السكنية وسط المدينة التي انسحب إليها مقاتلو قوات حكومة الوفاق بعد سيطرتهم لساعات على منطقة الداوون شرق ترهونة جنوب شرق العاصمة طرابلس.",
        "2019-12-21",
        (
            Ev("shelling", "2019-12-21", "reported", ("msallata",)),
            Ev("capture", "2019-12-21", "reported", ("al-dawoon",)),
        ),
        source="2019-12-21-aljazeera-msallata-dawoon",
    ),
    # «بعد عام من سيطرة ميليشيات حفتر عليه»: the capture of a year before, dated back.
    Row(
        'حيث قال المتحدث باسم المركز الإعلامي لعملية "بركان الغضب"، مصطفى المجعي، لـ"الأناضول"، إن قواتهم أحكمت سيطرتها بشكل كامل على مطار طرابلس الدولي بعد عام من سيطرة ميليشيات حفتر عليه.',
        "2020-06-04",
        (
            Ev("capture", "2020-06-04", "reported", ("tripoli-international-airport",)),
            Ev("capture", "2019-04-19", "approximate", ("tripoli-international-airport",)),
        ),
        source="2020-06-04-arabicpost-greater-tripoli",
    ),
    Row(
        "وتجول المراسل داخل مطار طرابلس الذي أعلنت قوات الوفاق سيطرتها الكاملة عليه أمس الأربعاء، في سياق تقدمها المتسارع خلال الأيام الأخيرة، وذلك بعد عام من سيطرة قوات حفتر عليه.",
        "2020-06-04",
        (
            Ev("capture", "2020-06-03", "day", ("tripoli-international-airport",)),
            Ev("capture", "2019-04-18", "approximate", ("tripoli-international-airport",)),
        ),
        corpus="seeds",
        source="2020-06-04-aljazeera-tripoli-borders",
    ),
    # «، حيث تحاصر …»: strikes near the airport, and the fighting in Ain Zara.
    Row(
        'وأكد أن "طيران الحكومة يقصف حالياً خلايا حفتر الموجودة بالقرب من مطار طرابلس، وسط اشتداد المعارك على الأرض، حيث تحاصر قوات حكومة الوفاق خلايا حفتر في طرابلس في السواني وعين زارة، لكن أشرس المعارك الآن تدور حول المطار لإنهاء خلية مسلحة تابعة لحفتر".',
        "2019-04-07",
        (
            Ev("air_strike", "2019-04-07", "reported", ("tripoli-international-airport",)),
            Ev("armed_clash", "2019-04-07"),
        ),
        source="2019-04-07-thenewkhalij-volcano-of-rage",
    ),
    # «، كما اكد المتحدث ان … سيطرتها على بلدة الاربان … شرق غريان»: a second town.
    Row(
        "وفي وقت سابق من اليوم، قال قنونو، وفقا لصفحة على فيسبوك لعملية “بركان الغضب” إن قوات الوفاق الحكومية دخلت ترهونة من أربعة محاور ووصلت إلى وسط المدينة , كما اكد المتحدث ان القوات الحكومية شددت سيطرتها على بلدة الاربان باكملها شرق غريان .",
        "2020-06-05",
        (Ev("capture", "2020-06-05", "day", ("tarhuna",)), Ev("capture", "2020-06-05", "day", ("al-urban",))),
        source="2020-06-05-muhtwaplus-tarhuna",
    ),
    # «، مشيراً إلى أن محاولة الاستيلاء على منطقة أبوقرين، أمس الأحد»: its own date, and a
    # place the gazetteer lacks — not the sentence's Surman and Sabratha.
    Row(
        'أكد رئيس المجلس الرئاسي لحكومة الوفاق، فايز السراج، اليوم الاثنين، استعادة قوات الحكومة سيطرتها على مدينتي صرمان وصبراته، مشيراً إلى أن محاولة الاستيلاء على منطقة أبوقرين، أمس الأحد، كانت بهدف تعطيل "عملية عاصفة السلام"، التي تخوضها ضد مليشيات اللواء المتقاعد خليفة حفتر.',
        "2020-04-13",
        (
            Ev("capture", "2020-04-13", "day", ("surman", "sabratha")),
            Ev(None, "2020-04-12", "day", ("abu-qurain",)),
        ),
        source="2020-04-13-alaraby-sarraj-sabratha-abu-qurain",
    ),
    # «، وأكد … أن قوات الجيش سيطرت»: the truck bomb, and the capture the commander announced.
    Row(
        "أما علي الصعيد الميداني فتمكنت قوات الجيش الليبي من تفجير شاحنة مفخخة يقودها انتحاري قبيل وصولها إلي تجمع للقوات البرية قرب الحظيرة الجمركية، وأكد آمر غرفة عمليات الكرامة، العميد عبدالسلام الحاسي، أن قوات الجيش سيطرت علي منطقة القوارشة بالكامل، وعلي الجزء الأيمن لمنطقة بوصنيب الواقعة ما بين القوارشة وقنفودة.",
        "2016-11-23",
        (
            Ev("explosion", "2016-11-23", "reported", ("customs-warehouse",)),
            Ev("capture", "2016-11-23", "reported", ("qawarsha", "bu-snaib")),
        ),
        corpus="seeds",
        source="2016-11-23-akhersaa-qawarsha-ganfouda",
    ),
    # «، فيما دارت اشتباكات … حول البوابة الرئيسية الغربية»: fighting at another place.
    Row(
        "وتمكنت قوات الجيش الليبي من السيطرة على مواقع عدة غربي بنغازي كانت بقبضة تنظيم داعش، منها مصنع الأنابيب ودوار الأنابيب والعمارات الصينية في منطقة القوارشة غربي بنغازي، فيما دارت اشتباكات عنيفة بين الجانبين حول البوابة الرئيسية الغربية لبنغازي.",
        "2016-07-30",
        (
            Ev(
                "capture",
                "2016-07-30",
                "reported",
                ("pipes-factory", "pipes-roundabout", "chinese-buildings"),
            ),
            Ev("armed_clash", "2016-07-30", "reported", ("benghazi-western-gate",)),
        ),
        corpus="seeds",
        source="2016-07-30-qawarsha-pipes-factory",
    ),
    # Written for this test.
    Row(
        "سيطرت قوات الوفاق على مدينة غريان صباح اليوم، فيما قصف الطيران مواقع لقوات حفتر في ترهونة.",
        "2019-06-26",
        (
            Ev("capture", "2019-06-26", "day", ("gharyan",)),
            Ev("air_strike", "2019-06-26", "day", ("tarhuna",)),
        ),
    ),
    Row(
        "اندلعت اشتباكات عنيفة في عين زارة جنوب طرابلس، بينما شنت طائرات مسيرة غارات على قاعدة الوطية.",
        "2019-04-10",
        (Ev("armed_clash", None, None, ("ain-zara",)), Ev("air_strike", None, None, ("al-watiya",))),
    ),
    Row(
        "أعلن الجيش الليبي تحرير منطقة قنفودة، مؤكدا أن قواته سيطرت أيضا على منطقة بوصنيب.",
        "2016-11-23",
        (Ev("capture", None, None, ("ganfouda",)), Ev("capture", None, None, ("bu-snaib",))),
    ),
    Row(
        "وتظاهر المئات في مصراتة للتنديد بالقصف، كما نظم أهالي طرابلس وقفة احتجاجية.",
        "2019-04-19",
        (Ev("protest", None, None, ("misrata",)), Ev("protest", None, None, ("tripoli",))),
    ),
    # «بعد أن كانت قد …» with a date of its own: a background event of that date.
    Row(
        "سيطرت القوات على منطقة القوارشة أمس، بعد أن كانت قد سيطرت على منطقة قنفودة في 20 نوفمبر.",
        "2016-11-23",
        (
            Ev("capture", "2016-11-22", "day", ("qawarsha",)),
            Ev("capture", "2016-11-20", "day", ("ganfouda",)),
        ),
    ),
    Row(
        "سيطرت القوات على منطقة القوارشة أمس، بعد أن كانت قد انسحبت منها الشهر الماضي.",
        "2016-11-23",
        (Ev("capture", "2016-11-22", "day"), Ev("capture", "2016-10-01", "month")),
    ),
    # «بعد يومين من سيطرتها على المطار»: dated back two days from the capture of Tarhuna.
    Row(
        "أعلنت قوات الوفاق سيطرتها على مدينة ترهونة اليوم، بعد يومين من سيطرتها على مطار طرابلس الدولي.",
        "2020-06-06",
        (
            Ev("capture", "2020-06-06", "day", ("tarhuna",)),
            Ev("capture", "2020-06-03", "approximate", ("tripoli-international-airport",)),
        ),
    ),
]

ONE_EVENT = [
    # Two verbs of one capture, its places one inside the other (ميناء المريسة in بنغازي).
    Row(
        "في المقابل، قالت قوات حفتر إنها أجبرت مقاتلي مجلس ثوار بنغازي على الانسحاب من عدة مواقع في بنغازي، وسيطرت على ميناء المريسة الإستراتيجي غربي المدينة، وعلى مستشفى الهواري جنوبيها.",
        "2016-02-22",
        (Ev("capture", "2016-02-22", "reported", ("marisa-port", "hawari-hospital")),),
        source="2016-02-22-aljazeera-marisa-hawari",
    ),
    # «إثر إعلان … بدء عملية»: how the clashes began, not another event.
    Row(
        "وقالت مصادر طبية بمركز بنغازي الطبي للجزيرة إن الاشتباكات اندلعت إثر إعلان قوات حفتر بدء عملية عسكرية جديدة في بنغازي للتقدم نحو مواقع مقاتلي المجلس بمنطقتي القوارشة وقاريونس للسيطرة عليهما.",
        "2016-06-23",
        (Ev("armed_clash", "2016-06-23", "reported"),),
        source="2016-06-23-aljazeera-qawarsha-qaryounis",
    ),
    # «، وانسحاب قوات حفتر إلى مدينتي ترهونة»: a verbal noun, and a withdrawal's destination.
    Row(
        'وأعلنت القوات التابعة لحكومة الوفاق الوطني الليبية، الأربعاء، سيطرتها على كامل مدينة غريان، وانسحاب قوات "خليفة حفتر" إلى مدينتي ترهونة والأصابعة.',
        "2019-06-27",
        (Ev("capture", "2019-06-26", "day"),),
        source="2019-06-27-thenewkhalij-presidential-council-gharyan",
    ),
    # An attack, the clash, and the withdrawal it forced: one capture.
    Row(
        'وفي وقت سابق، فجر الأربعاء، شنت قوات الوفاق هجوما مفاجئا على غريان، واشتبكت مع قوات "حفتر" وسط المدينة، بمشاركة طيران الوفاق، ما اضطر قوات "حفتر" إلى الانسحاب والتراجع.',
        "2019-06-27",
        (Ev("capture", "2019-06-26", "day", ("gharyan",)),),
        source="2019-06-27-thenewkhalij-presidential-council-gharyan",
    ),
    # «، ومدينة مصراتة»: a second place of one protest, not a new verb.
    Row(
        "تظاهر آلاف الليبيين، في العاصمة طرابلس، ومدينة مصراتة (200 كلم شرقي العاصمة)، الجمعة، للتنديد بهجوم قائد جيش شرق ليبيا، المدعوم من مصر والإمارات؛",
        "2019-04-19",
        (Ev("protest", "2019-04-19", "day", ("tripoli", "misrata")),),
        source="2019-04-19-thenewkhalij-tripoli-misrata-protests",
    ),
    # «بعد اكتمال السيطرة على منطقتي عين زارة»: how Greater Tripoli was taken.
    Row(
        "أعلنت قوات حكومة الوفاق الليبية، الخميس 4 يونيو/حزيران 2020، تحرير طرابلس الكبرى بسيطرتها على كامل الحدود الإدارية للعاصمة طرابلس، بعد اكتمال السيطرة على منطقتي عين زارة ووادي الربيع جنوباً من ميليشيات اللواء المتقاعد خليفة حفتر.",
        "2020-06-04",
        (Ev("capture", "2020-06-04", "day"),),
        source="2020-06-04-arabicpost-greater-tripoli",
    ),
    # A heading and «يأتي هذا بعد أن حررت …»: the one capture, dated by the clause that dates it.
    Row(
        "السيطرة على مطار طرابلس: يأتي هذا بعد أن حررت قوات الحكومة الليبية، الأربعاء 3 يونيو/حزيران 2020، بشكل كامل مطار طرابلس الدولي جنوب العاصمة (غرب)، بحسب متحدث عسكري حكومي.",
        "2020-06-04",
        (Ev("capture", "2020-06-03", "day", ("tripoli-international-airport",)),),
        source="2020-06-04-arabicpost-greater-tripoli",
    ),
    # An announcement, then the capture it announces and the spokesman's words on it.
    Row(
        "اعلنت قوات حكومة الوفاق الليبية عن تغيير فى المعادلة بشأن الحرب فى ليبيا بعد اعلان حسم المعركة عسكريا وأنها بسطت سيطرتها على مدينة ترهونة بأكملها، التي تعد أحد أهم معاقل الجيش الوطني الليبي بقيادة خليفة حفتر، جنوب العاصمة طرابلس, و قال المتحدث باسم قوات الوفاق الحكومية التى نتجت عن اتفاق الصخيرات وبدعم من تركيا محمد قنونو يوم الجمعة ان القوات الحكومية تبسط سيطرتها على ترهونة باكملها , مضيفا انها أنها “دحرت” وحدات “الجيش الوطني” في المدينة الاستراتيجية و”لقنتها درسا لن تنساه”.",
        "2020-06-05",
        (Ev("capture", "2020-06-05"),),
        source="2020-06-05-muhtwaplus-tarhuna",
    ),
    # «ويعمل على تحرير طريق طرابلس … بين القوارشة وقنفودة»: the same ground, no new place.
    Row(
        "وقال المسماري إن الجيش حرر منطقة القوارشة من ميليشيات تدعى (مجلس شورى ثوار بنغازي) تابعة للقاعدة، ويعمل على تحرير طريق طرابلس الرابط بين القوارشة وقنفودة، آخر معاقل الإرهابيين غربي المدينة.",
        "2016-11-19",
        (Ev("capture", "2016-11-19", "reported"),),
        source="2016-11-19-ksaplayers-qawarsha-truck-bomb",
    ),
    # An advance on the western axis of Benghazi and the capture of Qawarsha in it.
    Row(
        'وحققت قوات الجيش الليبي، علي مدي الأيام الماضية، تقدمًا ملحوظًا خلال العمليات العسكرية بالمحور الغربي لمدينة بنغازي، وأعلنت سيطرتها علي منطقة القوارشة بعد اشتباكات عنيفة مع مقاتلي تنظيم "داعش" والتشكيلات المسلحة المتحالفة معه.',
        "2016-11-23",
        (Ev("capture", None, None, ("qawarsha",)),),
        corpus="seeds",
        source="2016-11-23-akhersaa-qawarsha-ganfouda",
    ),
    # Written for this test: a strike and its toll, either way round.
    Row(
        "قصفت طائرات مسيرة مواقع في ترهونة، وقتل فيها خمسة مسلحين.",
        "2019-06-26",
        (Ev("air_strike", "2019-06-26", "reported", ("tarhuna",)),),
    ),
    Row(
        "قتل 12 مدنيا، وأصيب آخرون، جراء غارة جوية على حي سكني في طرابلس مساء أمس.",
        "2020-01-05",
        (Ev("air_strike", "2020-01-04", "day", ("tripoli",)),),
    ),
    Row(
        "قصفت طائرات حربية مركز إيواء المهاجرين في تاجوراء ليل الثلاثاء، وقتل في القصف 40 مهاجرا.",
        "2019-07-03",
        (Ev("air_strike", None),),
    ),
    # An attack told with two verbs; an attack and its repulse.
    Row(
        "هاجمت قوات حفتر مواقع قوات الوفاق في عين زارة، واشتبكت معها لساعات.",
        "2019-04-10",
        (Ev("armed_clash", None, None, ("ain-zara",)),),
    ),
    Row(
        "صدت قوات الوفاق هجوما لقوات حفتر على محور عين زارة، وكبدتها خسائر فادحة.",
        "2019-04-10",
        (Ev("armed_clash", None, None, ("ain-zara",)),),
    ),
    # A capture and the prisoners taken in it.
    Row("سيطر الجيش على منطقة الهواري، واعتقل عشرة من المسلحين.", "2016-02-25", (Ev("capture", None),)),
    # «بعد معارك عنيفة استمرت ساعات»: how the airport was taken.
    Row(
        "سيطرت القوات على مطار طرابلس الدولي، بعد معارك عنيفة استمرت ساعات.",
        "2020-06-04",
        (Ev("capture", None, None, ("tripoli-international-airport",)),),
    ),
    # «، وأضاف أن الاشتباكات مستمرة»: the statement goes on about the same fighting.
    Row(
        "قال المتحدث إن القوات سيطرت على منطقة عين زارة، وأضاف أن الاشتباكات مستمرة.",
        "2019-04-10",
        (Ev("capture", None, None, ("ain-zara",)),),
    ),
    # «، في حين انسحبت قوات حفتر إلى بني وليد»: the other side of the same capture.
    Row(
        "دخلت القوات مدينة ترهونة اليوم، في حين انسحبت قوات حفتر إلى بني وليد.",
        "2020-06-06",
        (Ev("capture", "2020-06-06", "day"),),
    ),
    # «بعد أن كانت قد خسرتها»: a background clause without a date of its own is no event;
    # it takes neither the sentence's «أمس» nor the publication date.
    Row(
        "سيطرت القوات على منطقة القوارشة أمس، بعد أن كانت قد خسرتها أمام المسلحين.",
        "2016-11-23",
        (Ev("capture", "2016-11-22", "day", ("qawarsha",)),),
    ),
    # Issue 12's class-1 example: an event of its year, never of the publication date.
    Row(
        "وكان المعسكر قد دمر خلال حرب عام 2011 قبل أن تسيطر عليه كتيبة محلية.",
        "2019-05-01",
        (Ev(None, "2011-01-01", "year"),),
    ),
]


@pytest.mark.parametrize("row", TWO_EVENTS, ids=lambda r: r.sentence[:40])
def test_a_sentence_that_tells_two_events_gives_two(row: Row) -> None:
    check(row)


@pytest.mark.parametrize("row", ONE_EVENT, ids=lambda r: r.sentence[:40])
def test_one_event_told_in_two_clauses_stays_one(row: Row) -> None:
    check(row)


def test_the_tables_are_large_and_their_quotes_are_the_sources_own() -> None:
    rows = TWO_EVENTS + ONE_EVENT
    assert len(rows) >= 25 and len(ONE_EVENT) >= 10
    quoted = [r for r in rows if r.source]
    assert len(quoted) >= 15
    for row in quoted:
        assert row.sentence in sources(row.corpus)[row.source].replace("\n", " "), row.source


def test_clauses_keep_the_sentences_offsets_and_joiners_belong_to_none() -> None:
    sentence = "سيطرت القوات على غريان، فيما قصف الطيران ترهونة، بعد أن انسحبت قوات حفتر."
    clauses = split_clauses(sentence)
    assert [c.kind for c in clauses] == [FIRST, COORDINATE, SUBORDINATE]
    texts = [" ".join(blank(sentence, c.spans).split()) for c in clauses]
    assert texts == ["سيطرت القوات على غريان", "قصف الطيران ترهونة،", "انسحبت قوات حفتر."]
    assert all(len(blank(sentence, c.spans)) == len(sentence) for c in clauses)
    relative = split_clauses("أحكمت القوات سيطرتها على المطار بعد عام من سيطرة قوات حفتر عليه.")
    assert [(c.kind, c.amount) for c in relative] == [(FIRST, None), (RELATIVE, "عام")]
    # «بعد أسابيع من المعارك»: weeks of fighting, no event dated back.
    assert [c.kind for c in split_clauses("وجاءت السيطرة على المطار بعد أسابيع من المعارك.")] == [FIRST, WEAK]
    # «، و» before a preposition or a noun starts no clause: «، وبعد مغادرة»، «، ومدينة مصراتة».
    for attached in ("وبعد مغادرة العائلات للمنطقة", "ومدينة مصراتة", "وانسحاب قوات حفتر"):
        assert [c.kind for c in split_clauses(f"سيطرت القوات على قنفودة أمس، {attached}.")] == [FIRST], (
            attached
        )
    assert [c.kind for c in split_clauses("سيطرت القوات على قنفودة أمس، وقصفت مواقع المسلحين.")] == [
        FIRST,
        COORDINATE,
    ]
    # An aside between dashes, opened by a relative pronoun: the rest is one clause around it.
    witness = "وقالت فاطمة -التي شاركت في مظاهرة أمام البعثة في طرابلس- إن الطائرات تستهدف المساكن."
    aside = split_clauses(witness)
    assert [c.kind for c in aside] == [FIRST, ASIDE]
    assert [" ".join(blank(witness, c.spans).split()) for c in aside] == [
        "وقالت فاطمة إن الطائرات تستهدف المساكن.",
        "التي شاركت في مظاهرة أمام البعثة في طرابلس",
    ]


def test_a_follow_up_sentence_follows_the_sentences_second_event() -> None:
    """«… غريان …، فيما قصف الطيران … ترهونة. وأسفر القصف عن مقتل خمسة»: the toll follows
    the strike, the sentence's second event, and is filed with it, not with the capture."""
    config, gazetteer = setup("dev")
    article = read(
        "سيطرت قوات الوفاق على مدينة غريان صباح اليوم، فيما قصف الطيران مواقع لقوات حفتر في ترهونة. "
        "وأسفر القصف عن مقتل خمسة مسلحين.",
        "2019-06-26",
    )
    toll = article.events[-1]
    assert (toll.sentence, toll.type, toll.follows, toll.follows_event) == (1, "casualties", 0, 1)
    chronology = build_chronology([article], config.campaigns, gazetteer)
    filed = {
        e.id: sorted((r.event.sentence, r.event.in_sentence) for r in e.reports) for e in chronology.entries
    }
    assert filed == {
        "2019-06-26-capture-gharyan": [(0, 0)],
        "2019-06-26-air-strike-tarhuna": [(0, 1), (1, 0)],
    }


def test_a_second_event_continues_an_earlier_one_only_as_its_own_type() -> None:
    """«… إنّ الاشتباكات بدأت مساء اليوم، عندما حاولت قوات … إعادة السيطرة …»: «الاشتباكات»
    says the first event continues the clashes told before it; the capture beside it is news
    of its own, its own entry."""
    body = sources("dev")["2019-04-09-masralarabia-ain-zara"]
    first, second = (" ".join(s.split()) for s in body.split("\n\n")[:2])
    article = read(f"{first} {second}", "2019-04-09")
    told = {(e.sentence, e.in_sentence): (e.type, e.follows) for e in article.events}
    assert told[0, 0] == ("armed_clash", None)
    assert told[1, 0] == ("armed_clash", 0)  # the clashes, told again
    assert told[1, 1] == ("capture", None)  # the positions fought over: not bundled with them
