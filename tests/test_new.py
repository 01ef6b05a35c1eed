"""`briefgen new` scaffolds a valid article that the next build publishes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.commands.new import PLACEHOLDER_BODY
from tests.htmlcheck import page_file

BODY = "دخلت قوات حفتر مدينة غريان جنوب طرابلس أمس الخميس بعد اشتباكات محدودة مع قوات الحكومة.\n"


def run(project: Path, *args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, [*args, "--config", str(project / "site_config.yml")], input=stdin)


def test_new_then_build_shows_the_article(project: Path) -> None:
    created = run(
        project,
        "new",
        "--title",
        'قوات حفتر تدخل "غريان": تقدم نحو طرابلس',
        "--date",
        "2019-04-05",
        "--source",
        "Al-Wasat",
        "--source-ar",
        "بوابة الوسط",
        "--url",
        "https://alwasat.ly/news/libya/1",
        "--body-file",
        "-",
        stdin=BODY,
    )
    assert created.exit_code == 0, created.output
    path = project / "content" / "articles" / "2019-04-05-lna-tdkhl-gharyan-tqdm-nhu-tripoli.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: ") and "published: 2019-04-05\n" in text and text.endswith(BODY)
    assert run(project, "check").exit_code == 0
    built = run(project, "build")
    assert built.exit_code == 0, built.output
    for prefix in ("", "ar/"):
        page = page_file(
            project / "site", f"{prefix}articles/2019-04-05-lna-tdkhl-gharyan-tqdm-nhu-tripoli/"
        ).read_text(encoding="utf-8")
        assert "غريان" in page
    arabic = page_file(
        project / "site", "ar/articles/2019-04-05-lna-tdkhl-gharyan-tqdm-nhu-tripoli/"
    ).read_text(encoding="utf-8")
    assert "بوابة الوسط" in arabic and 'href="https://alwasat.ly/news/libya/1"' in arabic
    assert "2019-04-05-lna-tdkhl-gharyan-tqdm-nhu-tripoli" in page_file(
        project / "site", "campaigns/tripoli-2019-2020/"
    ).read_text(encoding="utf-8")


def test_new_picks_a_free_slug_and_refuses_bad_input(project: Path) -> None:
    args = ["new", "--title", "عنوان", "--date", "2016-11-20", "--source", "Wire"]
    assert run(project, *args).exit_code == 0
    second = run(project, *args)
    assert second.exit_code == 0 and "2016-11-20-anwan-2.md" in second.output
    placeholder = (project / "content" / "articles" / "2016-11-20-anwan.md").read_text(encoding="utf-8")
    assert "اكتب نص المقال هنا" in placeholder
    bad_url = run(project, *args, "--url", "javascript:alert(1)")
    assert bad_url.exit_code == 1 and "not an http or https URL" in bad_url.output
    assert not (project / "content" / "articles" / "2016-11-20-anwan-3.md").exists()
    bad_slug = run(project, *args, "--slug", "../escape")
    assert bad_slug.exit_code == 1 and "not a valid slug" in bad_slug.output
    taken = run(project, *args, "--slug", "2016-11-20-anwan")
    assert taken.exit_code == 1 and "already exists" in taken.output


def created_slug(output: str) -> str:
    (line,) = [line for line in output.splitlines() if line.startswith("Created ")]
    return Path(line.removeprefix("Created ")).stem


def test_new_derives_a_descriptive_slug_from_the_headline(project: Path) -> None:
    """The slug is a permanent address: it says what the story is, not only who printed it."""
    base = ["new", "--date", "2020-06-05", "--source", "Al-Wasat"]
    arabic = run(project, *base, "--title", "قوات الوفاق تسيطر على ترهونة")
    assert arabic.exit_code == 0, arabic.output
    # Known names in their English form (the gazetteer's), the other words transliterated.
    assert created_slug(arabic.output) == "2020-06-05-gna-forces-tsitr-ala-tarhuna"
    again = run(project, *base, "--title", "قوات الوفاق تسيطر على ترهونة")
    assert created_slug(again.output) == "2020-06-05-gna-forces-tsitr-ala-tarhuna-2"

    english = run(
        project,
        *base,
        "--title",
        "قوات الوفاق تسيطر على ترهونة",
        "--title-en",
        "GNA forces take Tarhuna, the LNA's last stronghold in western Libya after fourteen months",
    )
    assert english.exit_code == 0, english.output
    slug = created_slug(english.output)
    # Capped at six words, small words left out, no stray "s" from the apostrophe.
    assert slug == "2020-06-05-gna-forces-take-tarhuna-lna-last"
    text = (project / "content" / "articles" / f"{slug}.md").read_text(encoding="utf-8")
    assert "title_en: GNA forces take Tarhuna, the LNA's last stronghold" in text

    chosen = run(project, *base, "--title", "عنوان", "--title-en", "Ignored", "--slug", "my-own-slug")
    assert created_slug(chosen.output) == "my-own-slug"


def test_a_long_unknown_headline_is_transliterated_short_and_valid(project: Path) -> None:
    title = "اشتباكات عنيفة في محور المشروع جنوب العاصمة واستمرار القصف العشوائي على الأحياء السكنية"
    created = run(project, "new", "--date", "2019-09-01", "--source", "Wire", "--title", title)
    assert created.exit_code == 0, created.output
    slug = created_slug(created.output)
    assert slug == "2019-09-01-ashtbakat-anifa-mhur-al-mshrua-jnub-tripoli", slug  # «العاصمة» is Tripoli
    assert len(slug) <= 60


def test_check_and_build_refuse_the_placeholder_text(project: Path) -> None:
    created = run(project, "new", "--title", "عنوان", "--date", "2016-11-20", "--source", "Wire")
    assert created.exit_code == 0 and "check and build refuse the article" in created.output
    path = project / "content" / "articles" / "2016-11-20-anwan.md"
    line = path.read_text(encoding="utf-8").splitlines().index(PLACEHOLDER_BODY) + 1
    site_before = sorted(p for p in (project / "site").rglob("*")) if (project / "site").exists() else []
    for command in ("check", "build"):
        result = run(project, command)
        assert result.exit_code == 1, result.output
        assert (
            f"content/articles/2016-11-20-anwan.md:{line}: the article still holds the placeholder text"
            in result.output
        ), result.output
        assert "hint: replace it with the article's Arabic text" in result.output
    assert not (project / "site").exists() or sorted((project / "site").rglob("*")) == site_before
    # Once the text is written, the same file passes.
    path.write_text(
        path.read_text(encoding="utf-8").replace(PLACEHOLDER_BODY, BODY.strip()), encoding="utf-8"
    )
    assert run(project, "check").exit_code == 0


def test_the_transliteration_is_plain_ascii_and_ignores_marks() -> None:
    from briefgen.schema import SLUG_RE
    from briefgen.slugs import arabic_title_words, title_slug, transliterate_word

    # Diacritics, tatweel and hamza seats change nothing; ة and ى end in "a"; ال is "al-".
    assert transliterate_word("تَرْهُونَة") == transliterate_word("ترهـونة") == "trhuna"
    assert transliterate_word("على") == "ala"
    assert transliterate_word("الوفاق") == "al-wfaq"
    assert transliterate_word("٣") == "3"
    words = arabic_title_words("«مقتل ٣ مدنيين» في قصف على سوق الخميس؟!")
    assert words == ["mqtl", "3", "mdnyyn", "qsf", "ala", "suq", "al-khmis"]
    slug = title_slug("2019-04-05", words)
    assert SLUG_RE.match(slug) and slug == "2019-04-05-mqtl-3-mdnyyn-qsf-ala-suq"
