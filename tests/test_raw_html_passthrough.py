"""The plugin's raw-HTML passthrough changes how fast mkdocs builds, never what it builds.

Templates mark big raw-HTML blocks (`<!-- briefgen:html -->`); the briefgen plugin keeps them
out of Markdown and, in search-excluded sections, out of material's search indexer (where a
project's mkdocs.yml still has it). Built with the passthrough on and off, the same docs must
give byte-identical sites, Pagefind's bundles included, for the seed and for the variant project
(pending and partial English).
"""

from __future__ import annotations

import datetime as dt
import filecmp
import logging
import shutil
from pathlib import Path

import pytest
import yaml

from briefgen.commands.build import run_mkdocs
from briefgen.site.mkdocs_plugin import _RawHtml
from tests.variant_site import variant_site

STAMP = dt.datetime(2020, 6, 4, tzinfo=dt.UTC)


def mkdocs_site(project: Path, passthrough: bool) -> Path:
    """mkdocs run on the docs `briefgen build` generated, with the passthrough set."""
    config = yaml.safe_load((project / ".briefgen" / "mkdocs.yml").read_text(encoding="utf-8"))
    site_dir = project / f"site-passthrough-{passthrough}"
    config["site_dir"] = str(site_dir)
    config["docs_dir"] = str(project / ".briefgen" / "docs")
    found = False
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "briefgen" in plugin:
            plugin["briefgen"]["raw_html_passthrough"] = passthrough
            found = True
    assert found, "the generated mkdocs.yml has the briefgen plugin"
    config_file = project / f"mkdocs-passthrough-{passthrough}.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    run_mkdocs(config_file, strict=True, stamp=STAMP)
    return site_dir


def differing_files(one: Path, other: Path) -> list[str]:
    differ: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        differ.extend(prefix + name for name in cmp.left_only + cmp.right_only + cmp.diff_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    # filecmp's shallow compare trusts equal sizes and times: compare contents.
    filecmp.clear_cache()
    walk(filecmp.dircmp(one, other, ignore=[]), "")
    differ += [
        str(path.relative_to(one))
        for path in one.rglob("*")
        if path.is_file()
        and (other / path.relative_to(one)).is_file()
        and path.read_bytes() != (other / path.relative_to(one)).read_bytes()
    ]
    return sorted(set(differ))


@pytest.mark.parametrize("variant", [False, True], ids=["seed", "variant"])
def test_passthrough_builds_the_same_bytes(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, seed_project: Path, variant: bool
) -> None:
    # The session's built project, copied: its docs tree is what `briefgen build` generated.
    built = variant_site(tmp_path_factory).parent if variant else seed_project
    project = Path(shutil.copytree(built, tmp_path / "project", symlinks=True))
    docs = project / ".briefgen" / "docs"
    marked = [p for p in docs.rglob("*.md") if "<!-- briefgen:html unsearched -->" in p.read_text("utf-8")]
    assert len(marked) > 50, "entity, chronology, campaign and article pages mark their listings"

    with_passthrough = mkdocs_site(project, passthrough=True)
    without = mkdocs_site(project, passthrough=False)

    assert differing_files(with_passthrough, without) == []
    pages = list(with_passthrough.rglob("*.html"))
    assert len(pages) > 200
    leftovers = [
        p
        for p in pages
        if "briefgen:stash" in p.read_text("utf-8") or "briefgen:html" in p.read_text("utf-8")
    ]
    assert leftovers == []
    # Both languages' bundles exist and were compared above.
    assert (with_passthrough / "pagefind" / "pagefind-entry.json").is_file()
    assert (with_passthrough / "ar" / "pagefind" / "pagefind-entry.json").is_file()
    assert len(list((with_passthrough / "ar" / "pagefind" / "fragment").iterdir())) > 100


def test_listings_really_bypass_markdown(tmp_path: Path) -> None:
    """A block Markdown would rewrite (a Markdown-looking line inside it) comes out verbatim
    with the passthrough, proving the block never went through Markdown."""
    raw = _RawHtml()
    markdown = '# T\n\n<!-- briefgen:html unsearched -->\n<ul>\n<li id="e1">*x*</li>\n</ul>\n\n<!-- /briefgen:html -->\n'
    taken = raw.take_out(markdown)
    assert "<li" not in taken and "<!-- briefgen:stash 0 -->" in taken
    assert raw.anchor_ids() == {"e1"}
    html = "<h1>T</h1>\n<!-- briefgen:stash 0 -->"
    assert raw.put_back(html, unsearched=False) == html, "an unsearched block waits until search has run"
    assert raw.put_back(html, unsearched=True) == '<h1>T</h1>\n<ul>\n<li id="e1">*x*</li>\n</ul>'


def test_anchors_inside_passed_through_html_still_validate(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """mkdocs checks Markdown links to anchors against the ids it saw while rendering; the
    ids in a passed-through block must count, or a strict build would fail on a good link."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\n[to the entry](listing.md#entry-7)\n", encoding="utf-8")
    (docs / "listing.md").write_text(
        '# Listing\n\n<!-- briefgen:html unsearched -->\n<article id="entry-7"><p>seven</p></article>\n'
        "<!-- /briefgen:html -->\n",
        encoding="utf-8",
    )
    config = {
        "site_name": "t",
        "docs_dir": str(docs),
        "site_dir": str(tmp_path / "site"),
        "theme": {"name": "material", "font": False},
        "plugins": ["search", "briefgen"],
        "validation": {"links": {"anchors": "warn"}},
    }
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    with caplog.at_level(logging.INFO):
        run_mkdocs(config_file, strict=True, stamp=STAMP)
    assert not [r for r in caplog.records if "does not contain an anchor" in r.getMessage()]
    listing = (tmp_path / "site" / "listing" / "index.html").read_text(encoding="utf-8")
    assert '<article id="entry-7"><p>seven</p></article>' in listing
    assert "briefgen:stash" not in listing
    # The listing is search-excluded only by its marker here, so search never saw "seven".
    index = (tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "seven" not in index
