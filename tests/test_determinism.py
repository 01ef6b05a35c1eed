"""Deterministic builds: the same content builds the same bytes, whatever the process.

The two builds compared differ in everything that should not matter: the project's folder
and output folder, PYTHONHASHSEED (set and dict iteration order), the time zone, and a cold
cache against a warm one.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from briefgen.commands.build import build, build_stamp, load_corpus
from briefgen.config import load_config
from briefgen.errors import BriefgenError
from briefgen.publish.swap import empty_trash, publish
from briefgen.publish.target import MARKER
from tests.conftest import copy_project

NEWEST_SEED = "2020-06-04"  # the newest seed article's publication date: the default stamp
ATOM = "{http://www.w3.org/2005/Atom}"


def run_build(project: Path, out: Path, hash_seed: str, tz: str, *options: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "TZ": tz}
    env.pop("SOURCE_DATE_EPOCH", None)
    config = str(project / "site_config.yml")
    completed = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "--config", config, "--out", str(out), *options],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout


def site_files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()
    }


def describe_differences(a: dict[str, bytes], b: dict[str, bytes]) -> str:
    """Which files differ, and where the first of them starts to."""
    lines = [f"only in the first build: {sorted(set(a) - set(b))[:10]}"] if set(a) - set(b) else []
    if set(b) - set(a):
        lines.append(f"only in the second build: {sorted(set(b) - set(a))[:10]}")
    differing = sorted(name for name in set(a) & set(b) if a[name] != b[name])
    if differing:
        lines.append(f"{len(differing)} file(s) differ: {differing[:10]}")
        first, second = a[differing[0]], b[differing[0]]
        at = next((i for i, (x, y) in enumerate(zip(first, second, strict=False)) if x != y), None)
        at = min(len(first), len(second)) if at is None else at
        # Long one-line files (search index, JSON exports): show the bytes around the difference.
        lines.append(f"{differing[0]} first differs at byte {at}:")
        lines.append(f"  first:  {first[max(0, at - 120) : at + 120]!r}")
        lines.append(f"  second: {second[max(0, at - 120) : at + 120]!r}")
    return "\n".join(lines)


def test_two_builds_of_the_same_content_are_byte_identical(tmp_path: Path) -> None:
    first_project = copy_project(tmp_path / "one" / "project")
    second_project = copy_project(tmp_path / "two" / "elsewhere")
    site = first_project / "site"

    # First project: a cold build, then a warm one from the cache, in other processes.
    cold = run_build(first_project, site, "1", "UTC")
    assert "Built 5 articles (5 reprocessed;" in cold, cold
    cold_files = site_files(site)
    # Without the record of the last build a rebuild does the work (see the next test), with
    # every cache's keys made in another process: they must not depend on it.
    (first_project / ".briefgen" / "cache" / "last-build.json").unlink()
    warm = run_build(first_project, site, "2", "Pacific/Kiritimati")
    assert "Built 5 articles (0 reprocessed;" in warm, warm
    # The article pages came from the cold build: hard links to its files, now in the trash.
    articles = list((site / "ar" / "articles").glob("*/index.html"))
    assert len(articles) == 5 and all(page.stat().st_nlink == 2 for page in articles)
    # The site it replaced waits in the trash for the next build to delete.
    assert [p.name.startswith("site-") for p in (first_project / ".briefgen" / "trash").iterdir()] == [True]
    # Second project, in another folder: --clean empties a cache it does not have yet.
    clean = run_build(second_project, tmp_path / "out-clean", "3", "America/Adak", "--clean")
    assert "Built 5 articles (5 reprocessed;" in clean, clean

    builds = [cold_files, site_files(site), site_files(tmp_path / "out-clean")]
    assert len(builds[0]) > 200
    for other in builds[1:]:
        if other != builds[0]:
            pytest.fail(describe_differences(builds[0], other), pytrace=False)


def test_a_rebuild_with_nothing_changed_keeps_the_site_in_place(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    site = project / "site"
    run_build(project, site, "1", "UTC")
    before = {path: path.stat().st_ino for path in site.rglob("*")}
    # Another process, hash seed and time zone: the same inputs, so the same site.
    unchanged = run_build(project, site, "2", "Asia/Tokyo")
    assert "Built 5 articles (0 reprocessed;" in unchanged, unchanged
    assert {path: path.stat().st_ino for path in site.rglob("*")} == before
    # A file of the site changed by hand: the build replaces the site again.
    page = site / "about" / "index.html"
    page.write_text("edited by hand", encoding="utf-8")
    run_build(project, site, "3", "UTC")
    assert "edited by hand" not in page.read_text(encoding="utf-8")
    # So does an edit to the content.
    article = next((project / "content" / "articles").glob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\nخبر آخر عن بنغازي.\n", encoding="utf-8")
    assert "Built 5 articles (1 reprocessed;" in run_build(project, site, "4", "UTC")


def test_replacing_a_site_moves_the_old_one_to_the_trash_and_the_next_build_empties_it(
    tmp_path: Path,
) -> None:
    trash = tmp_path / ".briefgen" / "trash"
    site = tmp_path / "site"
    for version in ("one", "two", "three"):
        new = tmp_path / f".site.tmp-{version}"
        (new / "ar").mkdir(parents=True)
        (new / MARKER).touch()
        (new / "ar" / "index.html").write_text(version, encoding="utf-8")
        assert publish(new, site, trash) is False
        assert (site / "ar" / "index.html").read_text(encoding="utf-8") == version
    assert len(list(trash.iterdir())) == 2
    emptying = empty_trash(trash)
    assert emptying is not None and emptying.wait() == 0
    assert list(trash.iterdir()) == []
    assert empty_trash(trash) is None
    # Without a trash folder the old site is deleted at once.
    new = tmp_path / "four"
    new.mkdir()
    publish(new, site, None)
    assert list(tmp_path.glob(".site.*")) == [] and list(site.iterdir()) == []


def test_the_build_stamp_is_the_newest_articles_date_everywhere(seed_site: Path) -> None:
    sitemap = (seed_site / "sitemap.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap)) == {NEWEST_SEED}
    compressed = (seed_site / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(compressed).decode("utf-8") == sitemap
    # The gzip header's MTIME field (bytes 4–7): mkdocs writes the build date there.
    newest = dt.datetime.fromisoformat(NEWEST_SEED).replace(tzinfo=dt.UTC)
    assert struct.unpack("<I", compressed[4:8])[0] == int(newest.timestamp())
    for feed in (seed_site / "feed.xml", seed_site / "ar" / "feed.xml"):
        updated = ET.parse(feed).getroot().find(f"{ATOM}updated")
        assert updated is not None and updated.text == f"{NEWEST_SEED}T00:00:00Z"


def test_source_date_epoch_overrides_the_stamp_and_is_left_as_it_was(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    site = build(project / "site_config.yml").site_dir
    assert os.environ["SOURCE_DATE_EPOCH"] == "1700000000"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap)) == {"2023-11-14"}
    # mkdocs takes the newest page's date, which is the stamp's day, at midnight.
    assert struct.unpack("<I", (site / "sitemap.xml.gz").read_bytes()[4:8])[0] == 1699920000
    updated = ET.parse(site / "feed.xml").getroot().find(f"{ATOM}updated")
    assert updated is not None and updated.text == "2023-11-14T22:13:20Z"

    # Unset, the build sets it for mkdocs only while mkdocs runs.
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    build(project / "site_config.yml")
    assert "SOURCE_DATE_EPOCH" not in os.environ


def test_build_stamp_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    seeds = load_corpus(load_config(copy_project(tmp_path / "seeds") / "site_config.yml"), engine=None)
    assert build_stamp(seeds) == dt.datetime(2020, 6, 4, tzinfo=dt.UTC)
    empty_root = copy_project(tmp_path / "empty", with_content=False)
    empty = load_corpus(load_config(empty_root / "site_config.yml"), engine=None)
    assert build_stamp(empty) == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert build_stamp(seeds) == dt.datetime(1970, 1, 2, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(BriefgenError, match="SOURCE_DATE_EPOCH is 'yesterday'"):
        build_stamp(seeds)
