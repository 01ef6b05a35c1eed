"""Interface strings (templates/strings.yml): both languages, and plural forms for counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import BriefgenError
from briefgen.site.render import PLURAL_CATEGORIES, _read_strings, localized, plural_category


@pytest.mark.parametrize(
    ("n", "arabic", "english"),
    [
        (0, "zero", "other"),
        (1, "one", "one"),
        (2, "two", "other"),
        (3, "few", "other"),
        (10, "few", "other"),
        (11, "many", "other"),
        (99, "many", "other"),
        (100, "other", "other"),
        (101, "other", "other"),
        (102, "other", "other"),
        (103, "few", "other"),
        (111, "many", "other"),
        (1000, "other", "other"),
    ],
)
def test_plural_categories_follow_cldr(n: int, arabic: str, english: str) -> None:
    assert plural_category("ar", n) == arabic
    assert plural_category("en", n) == english


def test_localized_picks_the_form_and_falls_back_to_other() -> None:
    forms = {"one": "{n} mention", "other": "{n} mentions"}
    assert localized(forms, "en", 1).format(n=1) == "1 mention"
    assert localized(forms, "en", 2).format(n=2) == "2 mentions"
    assert localized({"two": "إشارتان", "other": "{n} إشارة"}, "ar", 5) == "{n} إشارة"
    assert localized("plain", "ar", 3) == "plain"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "strings.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_plural_forms_are_accepted(tmp_path: Path) -> None:
    strings = _read_strings(
        write(tmp_path, 'n: {en: {one: "{n} x", other: "{n} xs"}, ar: {two: "اثنان", other: "{n}"}}\n')
    )
    assert strings["n"]["en"] == {"one": "{n} x", "other": "{n} xs"}


@pytest.mark.parametrize(
    "value",
    [
        '{en: {one: "{n} x"}, ar: "{n}"}',  # no "other" to fall back on
        '{en: {several: "{n} x", other: "{n} xs"}, ar: "{n}"}',  # not a CLDR category
        '{en: {one: 1, other: "{n} xs"}, ar: "{n}"}',  # not text
    ],
)
def test_bad_plural_forms_are_located(tmp_path: Path, value: str) -> None:
    with pytest.raises(BriefgenError) as error:
        _read_strings(write(tmp_path, f"ok: {{en: a, ar: ب}}\ncount: {value}\n"))
    message = str(error.value)
    assert "strings.yml:2:" in message and "count" in message and "plural forms" in message


def test_the_shipped_strings_give_every_count_an_other_form() -> None:
    strings = _read_strings(Path(__file__).resolve().parents[1] / "templates" / "strings.yml")
    plural = {
        key: value for key, value in strings.items() if any(isinstance(v, dict) for v in value.values())
    }
    assert {"mention_count", "article_count", "entry_count"} <= set(plural)
    for value in plural.values():
        for forms in value.values():
            assert isinstance(forms, str) or ("other" in forms and set(forms) <= set(PLURAL_CATEGORIES))


def test_the_site_says_one_mention_not_one_mentions(seed_site: Path) -> None:
    places = (seed_site / "entities" / "places" / "index.html").read_text(encoding="utf-8")
    assert "· 1 mention</span>" in places and "· 1 mentions" not in places
    assert "· 2 mentions</span>" in places
    arabic = (seed_site / "ar" / "entities" / "places" / "index.html").read_text(encoding="utf-8")
    assert "إشارة واحدة" in arabic and "· 1 إشارة" not in arabic
