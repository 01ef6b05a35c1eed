"""Fields a reader sees in their own language (issue 14, item 3): each can be written in both
languages, `{en: …, ar: …}` or beside its companion (`date_note_ar`, `title_en`,
`source_ar`), and every page shows its own language's; built through the real command line."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from briefgen.cli import cli
from tests.htmlcheck import page_file

BODY = "قالت مصادر عسكرية إن القوات تقدمت في المحور الغربي لمدينة بنغازي أمس.\n"
NOTE_EN = "Dated from the text: 'yesterday'."
NOTE_AR = "التاريخ مستنتج من النص: «أمس»."


def build(project: Path) -> str:
    result = CliRunner().invoke(cli, ["build", "--config", str(project / "site_config.yml")])
    assert result.exit_code == 0, result.output
    return result.output


def write(project: Path, slug: str, front: str) -> None:
    path = project / "content" / "articles" / f"{slug}.md"
    path.write_text(f"---\n{front}published: 2016-11-20\n---\n\n{BODY}", encoding="utf-8")


def date_note(page: Path) -> tuple[str, str, str]:
    text = page.read_text(encoding="utf-8")
    found = re.search(r'<dd lang="(\w+)" dir="(\w+)"[^>]*>([^<]*)</dd>', text.split('class="bg-meta"')[1])
    assert found, "no date note"
    return found.group(1), found.group(2), found.group(3)


def tag_list(page: Path) -> list[str]:
    meta = page.read_text(encoding="utf-8").split('class="bg-meta"')[1].split("</dl>")[0]
    tags = meta.split("</dt>")[-1]
    return [re.sub("<[^>]+>", "", tag).strip() for tag in re.split("[،,]", tags.split("</dd>")[0])]


def test_each_page_shows_the_date_note_and_names_in_its_own_language(project: Path) -> None:
    # Both forms of the same thing, and an article with only the English note.
    write(
        project,
        "2016-11-20-mapping-form",
        f"title:\n  ar: الجيش يتقدم غرب بنغازي\n  en: The army advances west of Benghazi\n"
        f"source: {{en: Test Wire, ar: وكالة الاختبار}}\n"
        f'date_note: {{en: "{NOTE_EN}", ar: "{NOTE_AR}"}}\n'
        "tags: {en: [offensive, Benghazi], ar: [هجوم, بنغازي]}\n",
    )
    write(
        project,
        "2016-11-20-companion-form",
        f"title: الجيش يتقدم غرب بنغازي مجددا\ntitle_en: The army advances again\n"
        f"source: Test Wire\nsource_ar: وكالة الاختبار\n"
        f'date_note: "{NOTE_EN}"\ndate_note_ar: "{NOTE_AR}"\n'
        "tags: [offensive, Benghazi]\ntags_ar: [هجوم, بنغازي]\n",
    )
    write(
        project,
        "2016-11-20-english-only",
        f'title: الجيش يتقدم\nsource: Test Wire\ndate_note: "{NOTE_EN}"\n',
    )
    build(project)
    site = project / "site"
    for slug in ("2016-11-20-mapping-form", "2016-11-20-companion-form"):
        english = page_file(site, f"articles/{slug}/")
        arabic = page_file(site, f"ar/articles/{slug}/")
        assert date_note(english) == ("en", "ltr", NOTE_EN.replace("'", "&#39;")), slug
        assert date_note(arabic) == ("ar", "rtl", NOTE_AR), slug
        assert "وكالة الاختبار" in arabic.read_text(encoding="utf-8")
        assert "The army advances" in english.read_text(encoding="utf-8").split("<h1")[1]
        assert tag_list(english) == ["offensive", "Benghazi"], slug
        assert tag_list(arabic) == ["هجوم", "بنغازي"], slug
    # With one language only, both pages show it, marked as that language.
    only = "2016-11-20-english-only"
    assert date_note(page_file(site, f"ar/articles/{only}/"))[:2] == ("en", "ltr")
    # The data export carries both.
    records = {
        r["slug"]: r for r in json.loads((site / "data" / "articles.json").read_text(encoding="utf-8"))
    }
    mapping = records["2016-11-20-mapping-form"]
    assert (mapping["date_note"], mapping["date_note_ar"]) == (NOTE_EN, NOTE_AR)
    assert (mapping["title_en"], mapping["source_ar"]) == (
        "The army advances west of Benghazi",
        "وكالة الاختبار",
    )


def test_the_sample_articles_show_arabic_date_notes_on_arabic_pages(seed_site: Path) -> None:
    for page in sorted((seed_site / "ar" / "articles").glob("*/index.html")):
        lang, direction, text = date_note(page)
        assert (lang, direction) == ("ar", "rtl") and re.search("[\u0600-\u06ff]", text), page
