"""The sentence splitter, on real cases from the seed articles and on hard synthetic ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefgen.pipeline.split import quote_spans, segment, split
from briefgen.readers import parse_article
from briefgen.structure.article import Heading

ARTICLES = Path(__file__).resolve().parents[1] / "content" / "articles"


def seed(slug: str):
    path = ARTICLES / f"{slug}.md"
    return split(parse_article(path, path.read_text(encoding="utf-8"), frozenset()))


def sentences_of(text: str) -> list[str]:
    return [s.text for s in segment(text) if s.kind == "sentence"]


def test_seed_002_share_trailer_is_not_a_sentence() -> None:
    article = seed("2016-07-30-qawarsha-pipes-factory")
    texts = [s.text for s in article.sentences]
    assert all("مشاركة" not in t for t in texts)
    assert texts[-1].endswith("كون أن الأزمة الليبية هي أزمة عربية في المقام الأول.")
    kinds = [s.kind for s in segment(article.body)]
    assert kinds[-1] == "trailer"


def test_trailer_only_at_the_end() -> None:
    segments = segment("مشاركة :\n\nقال المتحدث إن القوات تقدمت نحو المدينة.")
    assert [s.kind for s in segments] == ["sentence", "sentence"]


@pytest.mark.parametrize(
    ("slug", "headings"),
    [
        ("2020-06-04-aljazeera-tripoli-borders", ["معركة ترهونة", "السراج إلى تركيا", "حفتر في القاهرة"]),
        (
            "2019-10-17-alraed-ain-zara",
            ["تقدمات بعين زارة", "فشل حفتر بعيون دبلوماسية", "تحذيرات لافروف من استمرار المعارك"],
        ),
        ("2016-07-30-qawarsha-pipes-factory", ["خسائر في صفوف الجيش", "دعم عربي للشرعية"]),
    ],
)
def test_cross_heads_are_headings_not_sentences(slug: str, headings: list[str]) -> None:
    article = seed(slug)
    assert [b.text for b in article.blocks if isinstance(b, Heading)] == headings
    assert not any(s.text in headings for s in article.sentences)


def test_seed_001_long_quoted_sentence_stays_whole() -> None:
    article = seed("2016-11-23-akhersaa-qawarsha-ganfouda")
    long = [s.text for s in article.sentences if "لا ماء ولا كهرباء" in s.text]
    assert len(long) == 1
    sentence = long[0]
    # The quote has ".." pauses; none of them may cut it.
    assert sentence.count("..") >= 5
    assert sentence.startswith("في تصريحات خاصة لآخر ساعة")
    assert sentence.endswith('مسألة وقت".')
    assert 580 <= len(sentence) <= 600


def test_seed_000_guillemet_quotes_and_counts() -> None:
    article = seed("2016-11-19-alhayat-qawarsha")
    texts = [s.text for s in article.sentences]
    assert len(texts) == 17
    assert texts[1] == (
        "وأصدر «مركز السرايا» الجناح الإعلامي ل «مجلس شورى الثوار» في بنغازي بياناً أورد فيه أن "
        "«انسحابنا من منطقة القوارشة لا يعني خسارة المعركة» مع الجيش."
    )


def test_seed_004_attribution_tail_stays_with_its_sentence() -> None:
    article = seed("2019-10-17-alraed-ain-zara")
    texts = [s.text for s in article.sentences]
    assert any(t.endswith("إلى العديد من بلدان القارة. حسب قوله.") for t in texts)
    assert texts[-1].endswith("ويرضخ للحوار؟!.")


def test_mixed_quote_marks_protect_quoted_sentences() -> None:
    # Seed 001 opens with » and closes with " in the same quotation.
    text = 'قال كوبلر إن »الجيش يتكبد خسائر. لكنه يتقدم"، معتبرًا أن ذلك مهم. ثم غادر.'
    assert sentences_of(text) == [
        'قال كوبلر إن »الجيش يتكبد خسائر. لكنه يتقدم"، معتبرًا أن ذلك مهم.',
        "ثم غادر.",
    ]


def test_curly_quotes_used_backwards() -> None:
    text = "مؤكدا أن ”الاستراحة الحمراء” و”عمارات العظم” لا تزال تحت السيطرة. وأضاف شيئا آخر."
    assert len(sentences_of(text)) == 2
    assert quote_spans("”أ. ب” و”ج”")[0] == (0, 6)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("ارتفعت النسبة إلى 3.5 في المئة. ثم تراجعت.", 2),
        ("نشر موقع aljazeera.net الخبر. وتابعته وكالات.", 2),
        ("وقال د. محمد إن الوضع صعب. وأضاف أنه سيتحسن.", 2),
        ("أفادت أ.ف.ب بأن القتال توقف. وأكدت ذلك مصادر.", 2),
        ("The U.S. Army said Mr. Smith left. He returned.", 2),
        ("هل انتهت الحرب؟ لا أحد يعرف! لكن الأمل باق؛ والناس تنتظر… ثم ماذا؟", 5),
        ("سطر أول بلا نقطة في آخره لكنه طويل بما يكفي ليكون جملة كاملة وليس عنوانا فرعيا\nسطر ثان.", 2),
    ],
)
def test_sentence_boundaries(text: str, count: int) -> None:
    assert len(sentences_of(text)) == count, sentences_of(text)


def test_text_without_any_punctuation_is_still_sentences() -> None:
    text = "قوات الجيش تتقدم في المحور الغربي للمدينة وسط اشتباكات عنيفة مع المسلحين منذ الصباح الباكر"
    segments = segment(text)
    assert [s.kind for s in segments] == ["sentence"]


def test_short_unpunctuated_last_line_is_a_sentence_not_a_heading() -> None:
    segments = segment("قال المتحدث إن الجيش تقدم.\n\nانتهى البيان")
    assert [s.kind for s in segments] == ["sentence", "sentence"]


def test_paragraphs_follow_blank_lines_and_cross_heads() -> None:
    text = "جملة أولى. جملة ثانية.\n\nجملة ثالثة.\nعنوان فرعي\nجملة رابعة."
    segments = segment(text)
    assert [(s.kind, s.paragraph) for s in segments] == [
        ("sentence", 0),
        ("sentence", 0),
        ("sentence", 1),
        ("heading", 1),
        ("sentence", 2),
    ]


def test_article_sentence_indexes_are_consecutive() -> None:
    article = seed("2020-06-04-aljazeera-tripoli-borders")
    indexes = [s.index for s in article.sentences]
    assert indexes == list(range(len(indexes)))


def test_spans_point_into_the_body() -> None:
    article = seed("2016-11-23-akhersaa-qawarsha-ganfouda")
    for s in article.sentences:
        assert article.body[s.start : s.end] == s.text


ARABIC_TEXT = st.text(
    alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآةى ٠١٢0123456789.!?؟؛…،:«»\"“”'\n-()")),
    max_size=400,
)


@given(ARABIC_TEXT)
def test_segments_rejoin_to_the_text(text: str) -> None:
    segments = segment(text)
    cursor = 0
    for seg in segments:
        assert text[seg.start : seg.end] == seg.text
        assert seg.text and seg.text == seg.text.strip()
        assert text[cursor : seg.start].strip() == ""
        cursor = seg.end
    assert text[cursor:].strip() == ""
