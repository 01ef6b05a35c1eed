"""The seed site, built for real with mkdocs, mkdocs-material and mkdocs-static-i18n."""

from __future__ import annotations

import json
import posixpath
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.commands.build import build
from briefgen.errors import BriefgenError
from tests.htmlcheck import first, page_file, tags

SEED_SLUGS = [
    "2016-07-30-qawarsha-pipes-factory",
    "2016-11-19-alhayat-qawarsha",
    "2016-11-23-akhersaa-qawarsha-ganfouda",
    "2019-10-17-alraed-ain-zara",
    "2020-06-04-aljazeera-tripoli-borders",
]
CAMPAIGNS = ["benghazi-2016", "tripoli-2019-2020"]
SITE_URL = "https://briefgen.github.io/briefgen/"


def all_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def test_expected_pages_exist(seed_site: Path) -> None:
    for prefix in ("", "ar/"):
        assert page_file(seed_site, prefix).is_file()
        assert page_file(seed_site, prefix + "about/").is_file()
        assert page_file(seed_site, prefix + "articles/").is_file()
        for slug in SEED_SLUGS:
            assert page_file(seed_site, f"{prefix}articles/{slug}/").is_file()
        for campaign in CAMPAIGNS:
            assert page_file(seed_site, f"{prefix}campaigns/{campaign}/").is_file()


def test_languages_and_directions(seed_site: Path) -> None:
    for page in all_pages(seed_site):
        relative = page.relative_to(seed_site).as_posix()
        html = first(page, "html")
        body = first(page, "body")
        if relative.startswith("ar/"):
            assert (html["lang"], html["dir"], body["dir"]) == ("ar", "rtl", "rtl"), relative
        else:
            assert (html["lang"], html["dir"], body["dir"]) == ("en", "ltr", "ltr"), relative


def test_language_switcher_links_each_page_to_its_counterpart(seed_site: Path) -> None:
    checked = 0
    for page in all_pages(seed_site):
        relative = page.parent.relative_to(seed_site).as_posix()
        relative = "" if relative == "." else relative + "/"
        english = relative.removeprefix("ar/")
        expected = {"en": english, "ar": "ar/" + english}
        links = {
            a["hreflang"]: a["href"]
            for tag, a in tags(page)
            if tag == "a" and "md-select__link" in (a.get("class") or "")
        }
        assert set(links) == {"en", "ar"}, relative
        for lang, href in links.items():
            target = posixpath.normpath(posixpath.join(relative or ".", href))
            target = "" if target == "." else target + "/"
            assert target == expected[lang], (relative, lang, href)
            assert first(page_file(seed_site, target), "html")["lang"] == lang
        checked += 1
    assert checked >= 2 * (3 + len(SEED_SLUGS) + len(CAMPAIGNS))


def test_nothing_is_loaded_from_outside_the_site(seed_site: Path) -> None:
    for page in [*all_pages(seed_site), seed_site / "404.html"]:
        for tag, attrs in tags(page):
            url = None
            if tag == "script":
                url = attrs.get("src")
            elif tag == "link" and attrs.get("rel") not in ("canonical", "alternate"):
                url = attrs.get("href")
            elif tag in ("img", "iframe", "source", "video", "audio"):
                url = attrs.get("src")
            if url:
                assert "//" not in url or url.startswith(SITE_URL), (page, tag, url)
    css = (seed_site / "assets" / "briefgen.css").read_text()
    assert "@import" not in css and "url(http" not in css
    for page in (page_file(seed_site, ""), page_file(seed_site, "ar/")):
        assert "fonts.googleapis" not in page.read_text() and "fonts.gstatic" not in page.read_text()


def test_nav_does_not_list_articles(seed_site: Path) -> None:
    html = page_file(seed_site, "").read_text()
    nav = html[html.index('<nav class="md-nav md-nav--primary"') :]
    nav = nav[: nav.index("</nav>")]
    for slug in SEED_SLUGS:
        assert slug not in nav


def test_article_pages_show_reviewed_english_and_parallel_view(seed_site: Path) -> None:
    english = page_file(seed_site, "articles/2020-06-04-aljazeera-tripoli-borders/").read_text()
    assert "Al Jazeera" in english and "4 June 2020" in english
    assert "Reviewed translation" in english and "Translation pending" not in english
    assert "<title>GNA announces control" in english
    assert "retired Major General Khalifa Haftar" in english
    assert '<h3 class="bg-crosshead">The battle for Tarhuna</h3>' in english
    # The parallel view: each sentence in its own language and direction, side by side.
    pair = english[english.index('<div class="bg-pair" id="p0" data-origin="reviewed">') :]
    pair = pair[: pair.index("</div>")]
    # Names are linked to their entity pages in both languages.
    assert (
        '<p class="bg-ar" lang="ar" dir="rtl">أعلنت <a class="bg-entity" href="../../entities/gna/">'
        "حكومة الوفاق الوطني الليبية</a>" in pair
    )
    assert (
        '<p class="bg-en" lang="en" dir="ltr"><a class="bg-entity" href="../../entities/libya/">Libya</a>&#39;s '
        '<a class="bg-entity" href="../../entities/gna/">Government of National Accord</a>' in pair
    )
    arabic = page_file(seed_site, "ar/articles/2020-06-04-aljazeera-tripoli-borders/").read_text()
    assert "الجزيرة" in arabic and "4 يونيو 2020" in arabic
    assert 'class="bg-crosshead">معركة ترهونة<' in arabic
    assert "ترجمة مراجَعة" in arabic and 'id="p27"' in arabic


def test_campaign_pages_list_their_articles(seed_site: Path) -> None:
    benghazi = page_file(seed_site, "campaigns/benghazi-2016/").read_text()
    tripoli = page_file(seed_site, "campaigns/tripoli-2019-2020/").read_text()
    for slug in SEED_SLUGS:
        in_benghazi = slug.startswith("2016")
        assert (slug in benghazi) == in_benghazi
        assert (slug in tripoli) == (not in_benghazi)


def test_home_lists_latest_articles_and_campaigns(seed_site: Path) -> None:
    home = page_file(seed_site, "").read_text()
    for slug in SEED_SLUGS:
        assert f"articles/{slug}/" in home
    assert "campaigns/benghazi-2016/" in home and "Tripoli 2019–2020" in home
    assert home.index("2020-06-04") < home.index("2016-07-30")  # newest first


def test_articles_json(seed_site: Path) -> None:
    records = json.loads((seed_site / "data" / "articles.json").read_text(encoding="utf-8"))
    assert sorted(r["slug"] for r in records) == SEED_SLUGS
    by_slug = {r["slug"]: r for r in records}
    qawarsha = by_slug["2016-11-19-alhayat-qawarsha"]
    assert qawarsha["source"] == "Al-Hayat" and qawarsha["published"] == "2016-11-19"
    assert qawarsha["campaign"] == "benghazi-2016"
    assert by_slug["2020-06-04-aljazeera-tripoli-borders"]["campaign"] == "tripoli-2019-2020"
    assert all(isinstance(s, str) for p in qawarsha["paragraphs"] for s in p)
    assert sum(len(p) for p in qawarsha["paragraphs"]) == 17
    for key in ("title", "title_en", "url", "translation", "summary", "entities", "events"):
        assert key in qawarsha


def test_new_article_appears_after_rebuild(project: Path, write_article) -> None:
    build(project / "site_config.yml")
    site = project / "site"
    assert not page_file(site, "articles/2019-04-05-gharyan/").exists()
    write_article(
        "2019-04-05-gharyan.md",
        "---\ntitle: قوات حفتر تدخل غريان\nsource: Test Wire\npublished: 2019-04-05\n---\n\n"
        "دخلت قوات حفتر مدينة غريان جنوب طرابلس أمس. وقالت مصادر محلية إن الاشتباكات محدودة.\n",
    )
    build(project / "site_config.yml")
    for prefix in ("", "ar/"):
        assert page_file(site, f"{prefix}articles/2019-04-05-gharyan/").is_file()
    assert "2019-04-05-gharyan" in page_file(site, "campaigns/tripoli-2019-2020/").read_text()
    records = json.loads((site / "data" / "articles.json").read_text())
    assert len(records) == 6


@pytest.mark.parametrize("breakage", ["content", "template"])
def test_failed_build_leaves_previous_site_intact(project: Path, write_article, breakage: str) -> None:
    build(project / "site_config.yml")
    site = project / "site"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    if breakage == "content":
        write_article("broken.md", "no front matter here\n")
    else:
        (project / "templates" / "pages" / "article.md.j2").write_text("{{ undefined_thing.oops }}")
    with pytest.raises(BriefgenError):
        build(project / "site_config.yml")
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    leftovers = [p.name for p in project.iterdir() if p.name.startswith(".site")]
    assert leftovers == []


def test_out_option_builds_elsewhere(project: Path, tmp_path: Path) -> None:
    result = build(project / "site_config.yml", out=tmp_path / "public")
    assert result.site_dir == tmp_path / "public"
    assert page_file(tmp_path / "public", "ar/").is_file()
    assert not (project / "site").exists()


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from briefgen.cli import cli\n"
        "result = CliRunner().invoke(cli, ['--help'])\n"
        "assert result.exit_code == 0 and 'build' in result.output\n"
        "heavy = {'mkdocs', 'material', 'argostranslate', 'torch', 'ctranslate2', 'stanza', 'spacy', 'jinja2', 'yaml'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_404_page_works_under_a_project_site_path(seed_site: Path) -> None:
    # GitHub Pages serves 404.html for any missing path under /<repo>/, so its links must be absolute.
    page = seed_site / "404.html"
    urls = [
        a.get("href") or a.get("src")
        for tag, a in tags(page)
        if tag in ("a", "link", "script") and (a.get("href") or a.get("src"))
    ]
    local = [u for u in urls if not u.startswith(("http://", "https://", "#"))]
    assert local and all(u.startswith("/briefgen/") for u in local), local
    switcher = {
        a["hreflang"]: a["href"]
        for tag, a in tags(page)
        if tag == "a" and "md-select__link" in (a.get("class") or "")
    }
    assert switcher == {"en": "/briefgen/", "ar": "/briefgen/ar/"}
    assert 'lang="en"' in page.read_text(encoding="utf-8").split(">", 2)[1]


def test_each_language_keeps_its_own_404_page(seed_site: Path) -> None:
    # The Arabic build writes 404.html too; GitHub Pages serves the root one, which must stay English.
    arabic = seed_site / "ar" / "404.html"
    assert arabic.exists()
    assert 'lang="ar"' in arabic.read_text(encoding="utf-8").split(">", 2)[1]


def test_atom_feeds_in_both_languages(seed_site: Path) -> None:
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    for prefix, lang in (("", "en"), ("ar/", "ar")):
        feed = ET.parse(seed_site / prefix / "feed.xml").getroot()
        assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
        entries = feed.findall(f"{atom}entry")
        assert len(entries) == len(SEED_SLUGS)
        first = entries[0]
        assert (
            first.find(f"{atom}id").text
            == f"{SITE_URL}{prefix}articles/2020-06-04-aljazeera-tripoli-borders/"
        )
        assert (
            feed.find(f"{atom}updated").text == "2020-06-04T00:00:00Z"
        )  # the newest article, not the build time
        title = first.find(f"{atom}title").text
        assert title.startswith("GNA announces") if lang == "en" else title.startswith("حكومة الوفاق")
        assert first.find(f"{atom}summary").text
        home = page_file(seed_site, prefix).read_text(encoding="utf-8")
        assert '<link rel="alternate" type="application/atom+xml"' in home


def test_each_language_folder_has_a_sitemap_of_its_own_pages_and_no_page_head_alternates(
    seed_site: Path,
) -> None:
    """material reads `sitemap.xml` beside each head hreflang link and in the Arabic root; the
    Arabic sitemap lists only Arabic addresses, each still paired with its English page."""
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(seed_site / "sitemap.xml").getroot()
    arabic = ET.parse(seed_site / "ar" / "sitemap.xml").getroot()
    locs = [u.findtext("s:loc", namespaces=ns) or "" for u in arabic.findall("s:url", ns)]
    all_locs = [u.findtext("s:loc", namespaces=ns) or "" for u in root.findall("s:url", ns)]
    assert locs and all("/ar/" in loc for loc in locs)
    assert sorted(locs) == sorted(loc for loc in all_locs if "/ar/" in loc)
    assert all(len(u.findall("x:link", ns)) == 2 for u in arabic.findall("s:url", ns))
    html = (seed_site / "ar" / "articles" / "2019-10-17-alraed-ain-zara" / "index.html").read_text(
        encoding="utf-8"
    )
    assert '<link rel="alternate" href=' not in html
    assert 'class="md-select__link"' in html and 'hreflang="en"' in html
