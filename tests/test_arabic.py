import pytest

from briefgen.arabic import clitic_candidates, has_arabic, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("أحمد", "احمد"),
        ("إبراهيم", "ابراهيم"),
        ("آخر", "اخر"),
        ("ٱلله", "الله"),
        ("مصطفى", "مصطفي"),
        ("حكومة", "حكومه"),
        ("الأنابيب", "الانابيب"),
        ("بيانـاً", "بيانا"),  # tatweel and tanween
        ("مُحَمَّد", "محمد"),
        ("لكنّ", "لكن"),
        ("٢٠١٦", "2016"),
        ("۱۹", "19"),
        ("aljazeera.net 3.5", "aljazeera.net 3.5"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_is_idempotent_on_seed_text() -> None:
    text = "وأصدر «مركز السرايا» الجناح الإعلامي ل «مجلس شورى الثوار» في بنغازي بياناً"
    once = normalize(text)
    assert normalize(once) == once
    assert "أ" not in once and "ً" not in once


def test_decomposed_hamza_is_folded() -> None:
    # Alef + combining hamza above (U+0654), as some keyboards and OCR produce it.
    assert normalize("ا\u0654حمد") == "احمد"


def test_clitic_candidates_longest_stem_first() -> None:
    assert clitic_candidates("وبالقوارشة") == ["وبالقوارشه", "بالقوارشه", "القوارشه", "قوارشه"]


def test_clitic_candidates_keep_the_article_after_lil() -> None:
    assert "الجيش" in clitic_candidates("للجيش")


def test_clitic_candidates_start_with_the_whole_word() -> None:
    # Lookups try the whole word first, so بنغازي is never read as ب + نغازي.
    assert clitic_candidates("بنغازي")[0] == "بنغازي"


def test_clitic_candidates_respect_min_stem() -> None:
    assert clitic_candidates("وبه", min_stem=2) == ["وبه", "به"]


def test_has_arabic() -> None:
    assert has_arabic("قال Haftar")
    assert not has_arabic("Haftar 2016")
