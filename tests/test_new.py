"""`briefgen new` scaffolds a valid article that the next build publishes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from briefgen.cli import cli
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
    path = project / "content" / "articles" / "2019-04-05-al-wasat.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: ") and "published: 2019-04-05\n" in text and text.endswith(BODY)
    assert run(project, "check").exit_code == 0
    built = run(project, "build")
    assert built.exit_code == 0, built.output
    for prefix in ("", "ar/"):
        page = page_file(project / "site", f"{prefix}articles/2019-04-05-al-wasat/").read_text(
            encoding="utf-8"
        )
        assert "غريان" in page
    arabic = page_file(project / "site", "ar/articles/2019-04-05-al-wasat/").read_text(encoding="utf-8")
    assert "بوابة الوسط" in arabic and 'href="https://alwasat.ly/news/libya/1"' in arabic
    assert "2019-04-05-al-wasat" in page_file(project / "site", "campaigns/tripoli-2019-2020/").read_text(
        encoding="utf-8"
    )


def test_new_picks_a_free_slug_and_refuses_bad_input(project: Path) -> None:
    args = ["new", "--title", "عنوان", "--date", "2016-11-20", "--source", "Wire"]
    assert run(project, *args).exit_code == 0
    second = run(project, *args)
    assert second.exit_code == 0 and "2016-11-20-wire-2.md" in second.output
    placeholder = (project / "content" / "articles" / "2016-11-20-wire.md").read_text(encoding="utf-8")
    assert "اكتب نص المقال هنا" in placeholder
    bad_url = run(project, *args, "--url", "javascript:alert(1)")
    assert bad_url.exit_code == 1 and "not an http or https URL" in bad_url.output
    assert not (project / "content" / "articles" / "2016-11-20-wire-3.md").exists()
    bad_slug = run(project, *args, "--slug", "../escape")
    assert bad_slug.exit_code == 1 and "not a valid slug" in bad_slug.output
    taken = run(project, *args, "--slug", "2016-11-20-wire")
    assert taken.exit_code == 1 and "already exists" in taken.output
