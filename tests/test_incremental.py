"""Incremental builds: the per-article cache processes exactly the articles that changed.

Most tests start from one 1,000-article corpus (the five seeds and 995 short synthetic
wire reports made from their sentences) whose cache is filled once for the module, and
each works on its own copy of it. They call `load_incremental`, the first half of
`briefgen build` (everything before rendering), so they run the real cache code without
paying for 2,000 mkdocs pages.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import re
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

import briefgen.commands.build
import briefgen.pipeline.entities
import briefgen.pipeline.split
import briefgen.pipeline.summarize
import briefgen.site.render
from briefgen.cache import DIGEST_SIZE, MAGIC, ArticleCache, source_fingerprint
from briefgen.commands.build import LoadedCorpus, article_cache, build, load_corpus, load_incremental
from briefgen.config import load_config
from briefgen.memory import load_memory, memory_path
from briefgen.structure.article import Article
from tests.conftest import REPO, copy_project

CORPUS_SIZE = 1000
SEED = "2016-11-19-alhayat-qawarsha"


def seed_sentences(articles_dir: Path) -> list[str]:
    sentences = []
    for path in sorted(articles_dir.glob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        sentences += [s.strip() for s in re.split(r"(?<=[.!؟])\s+", body) if len(s.split()) > 4]
    return sentences


def wire_report(index: int, sentences: list[str]) -> tuple[str, str]:
    """A short synthetic article, one a day from 2016-01-01: two paragraphs of seed sentences."""
    day = dt.date(2016, 1, 1) + dt.timedelta(days=index)
    picked = [sentences[(index * 7 + k) % len(sentences)] for k in range(3)]
    text = (
        f"---\ntitle: خبر رقم {index}\nsource: Test Wire\npublished: {day.isoformat()}\n---\n\n"
        f"{picked[0]} {picked[1]}\n\n{picked[2]}\n"
    )
    return f"{day.isoformat()}-wire-{index:04d}", text


def make_corpus(root: Path, size: int) -> Path:
    copy_project(root)
    articles = root / "content" / "articles"
    sentences = seed_sentences(articles)
    for index in range(size - len(list(articles.glob("*.md")))):
        slug, text = wire_report(index, sentences)
        (articles / f"{slug}.md").write_text(text, encoding="utf-8")
    return root


def load(root: Path, cache: ArticleCache | None = None, engine: Any = None) -> LoadedCorpus:
    config = load_config(root / "site_config.yml")
    return load_incremental(config, cache or article_cache(config), engine=engine)


@pytest.fixture(scope="module")
def warm_root(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, LoadedCorpus]:
    """The 1,000-article project after its first, cold load, and that load."""
    root = make_corpus(tmp_path_factory.mktemp("incremental") / "warm", CORPUS_SIZE)
    first = load(root)
    return root, first


@pytest.fixture
def project_1000(warm_root: tuple[Path, LoadedCorpus], tmp_path: Path) -> Path:
    """A private copy of the warm 1,000-article project, cache included."""
    return Path(shutil.copytree(warm_root[0], tmp_path / "project"))


@pytest.fixture
def count_calls(monkeypatch: pytest.MonkeyPatch) -> Callable[[Any, str], list[str]]:
    """Wrap a pipeline function so that every article it is called on is recorded."""

    def wrap(module: Any, name: str) -> list[str]:
        calls: list[str] = []
        original = getattr(module, name)

        def counted(first: Any, *args: Any) -> Any:
            calls.append(getattr(first, "slug", "?"))
            return original(first, *args)

        monkeypatch.setattr(module, name, counted)
        return calls

    return wrap


def test_first_load_processes_every_article_and_the_second_none(
    warm_root: tuple[Path, LoadedCorpus], project_1000: Path, count_calls
) -> None:
    _, first = warm_root
    assert len(first.corpus.articles) == CORPUS_SIZE
    assert len(first.reprocessed) == CORPUS_SIZE and first.cached == 0
    entries = list((project_1000 / ".briefgen" / "cache" / "articles").glob("*.pickle"))
    assert len(entries) == CORPUS_SIZE

    split_calls = count_calls(briefgen.pipeline.split, "split")
    second = load(project_1000)
    assert second.reprocessed == [] and second.relinked == [] and second.cached == CORPUS_SIZE
    assert split_calls == []
    # The very same corpus: articles, campaigns and the chronology built from them.
    assert second.corpus.articles == first.corpus.articles
    assert second.corpus.chronology == first.corpus.chronology


def test_adding_one_article_to_1000_reprocesses_exactly_that_one(project_1000: Path, count_calls) -> None:
    slug, text = wire_report(CORPUS_SIZE + 7, seed_sentences(REPO / "content" / "articles"))
    (project_1000 / "content" / "articles" / f"{slug}.md").write_text(text, encoding="utf-8")
    split_calls = count_calls(briefgen.pipeline.split, "split")

    loaded = load(project_1000)

    assert loaded.reprocessed == [slug]
    assert split_calls == [slug]
    assert loaded.cached == CORPUS_SIZE
    assert len(loaded.corpus.articles) == CORPUS_SIZE + 1
    # Its memory was written, so the next build takes it from the cache too.
    assert memory_path(project_1000 / "content" / "translations", slug).exists()
    assert load(project_1000).reprocessed == []


def test_editing_one_article_reprocesses_exactly_that_one(project_1000: Path) -> None:
    path = project_1000 / "content" / "articles" / f"{SEED}.md"
    path.write_text(
        path.read_text(encoding="utf-8") + "\nوأعلن الجيش سيطرته على منطقة قنفودة غرب بنغازي.\n",
        encoding="utf-8",
    )
    loaded = load(project_1000)
    assert loaded.reprocessed == [SEED]
    article = next(a for a in loaded.corpus.articles if a.slug == SEED)
    assert "قنفودة غرب بنغازي." in [s.text for s in article.sentences][-1]


def test_changing_the_gazetteer_reruns_only_the_gazetteer_stages_for_every_article(
    tmp_path: Path, count_calls
) -> None:
    # A smaller corpus: re-linking is most of the pipeline's work.
    size = 60
    root = make_corpus(tmp_path / "project", size)
    assert len(load(root).reprocessed) == size
    before = load(root).corpus
    gazetteer = root / "content" / "gazetteer.yml"
    text = gazetteer.read_text(encoding="utf-8")
    # Bare «حفتر» stops naming Khalifa Haftar; only his full names still do.
    edited = text.replace("variants_ar: [حفتر, خليفة بلقاسم حفتر]", "variants_ar: [خليفة بلقاسم حفتر]")
    assert edited != text
    gazetteer.write_text(edited, encoding="utf-8")
    split_calls = count_calls(briefgen.pipeline.split, "split")
    summarize_calls = count_calls(briefgen.pipeline.summarize, "choose_sentences")
    entity_calls = count_calls(briefgen.pipeline.entities, "find_entities")

    loaded = load(root)

    assert loaded.reprocessed == [] and loaded.cached == 0
    assert sorted(loaded.relinked) == sorted(a.slug for a in before.articles)
    assert split_calls == [] and summarize_calls == []
    assert sorted(entity_calls) == sorted(loaded.relinked)

    def haftar_mentions(articles: tuple[Article, ...]) -> int:
        return sum(1 for a in articles for m in a.entities if m.entity_id == "khalifa-haftar")

    assert 0 < haftar_mentions(loaded.corpus.articles) < haftar_mentions(before.articles)
    # The re-linked articles are what a build without any cache makes of them.
    fresh = load_corpus(load_config(root / "site_config.yml"), engine=None)
    assert fresh.articles == loaded.corpus.articles
    assert fresh.chronology == loaded.corpus.chronology
    # And the next load takes everything from the cache again.
    assert load(root).cached == size


def test_changing_a_translation_memory_entry_reprocesses_that_article(project_1000: Path) -> None:
    path = memory_path(project_1000 / "content" / "translations", SEED)
    text = path.read_text(encoding="utf-8")
    entry = load_memory(path, SEED).entries[1]
    corrected = "Militants admit they have lost their stronghold west of Benghazi."
    path.write_text(text.replace(f"  en: {entry.en}\n", f"  en: {corrected}\n", 1), encoding="utf-8")

    loaded = load(project_1000)

    assert loaded.reprocessed == [SEED]
    article = next(a for a in loaded.corpus.articles if a.slug == SEED)
    assert article.translation is not None
    assert [t.en for t in article.translation.sentences if t.key == entry.key] == [corrected]
    assert load(project_1000).reprocessed == []


def test_a_corrupt_or_foreign_cache_entry_is_a_miss(project_1000: Path, caplog) -> None:
    entries = project_1000 / ".briefgen" / "cache" / "articles"
    truncated, garbage, empty = "2016-01-01-wire-0000", "2016-01-02-wire-0001", "2016-01-03-wire-0002"
    wrong_type = "2016-01-04-wire-0003"
    data = (entries / f"{truncated}.pickle").read_bytes()
    (entries / f"{truncated}.pickle").write_bytes(data[: len(data) // 2])
    (entries / f"{garbage}.pickle").write_bytes(b"\x00not a cache entry" * 100)
    (entries / f"{empty}.pickle").write_bytes(b"")
    # Entries with the right keys whose pickle names a class that no longer exists, or
    # holds something other than two articles.
    keys_end = len(MAGIC) + 2 * DIGEST_SIZE
    seed_keys = (entries / f"{SEED}.pickle").read_bytes()[:keys_end]
    (entries / f"{SEED}.pickle").write_bytes(seed_keys + b"cno_such_module\nNoSuchClass\n.")
    other_keys = (entries / f"{wrong_type}.pickle").read_bytes()[:keys_end]
    (entries / f"{wrong_type}.pickle").write_bytes(other_keys + pickle.dumps(("not", "articles")))

    with caplog.at_level("DEBUG", logger="briefgen"):
        loaded = load(project_1000)

    assert sorted(loaded.reprocessed) == sorted([truncated, garbage, empty, SEED, wrong_type])
    assert "cannot load" in caplog.text
    assert load(project_1000).reprocessed == []


def test_a_new_code_version_reprocesses_everything(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "seeds")
    directory = article_cache(load_config(root / "site_config.yml")).directory
    assert len(load(root, ArticleCache(directory, code="1.0 abc")).reprocessed) == 5
    assert load(root, ArticleCache(directory, code="1.0 abc")).reprocessed == []
    assert len(load(root, ArticleCache(directory, code="1.0 abd")).reprocessed) == 5


def test_the_code_version_follows_every_source_file(tmp_path: Path) -> None:
    package = Path(shutil.copytree(REPO / "briefgen", tmp_path / "briefgen"))
    before = source_fingerprint(package)
    assert source_fingerprint(package) == before
    summarize = package / "pipeline" / "summarize.py"
    summarize.write_text(summarize.read_text(encoding="utf-8") + "\n# a change\n", encoding="utf-8")
    assert source_fingerprint(package) != before


def test_a_removed_article_loses_its_cache_entry(project_1000: Path) -> None:
    entries = project_1000 / ".briefgen" / "cache" / "articles"
    # Temporary files: one a killed build left long ago, one another build is writing now.
    abandoned, in_progress = entries / ".x.pickle.old.tmp", entries / ".y.pickle.new.tmp"
    abandoned.write_bytes(b"half an entry")
    os.utime(abandoned, (0, 0))
    in_progress.write_bytes(b"half an entry")
    (project_1000 / "content" / "articles" / "2016-01-01-wire-0000.md").unlink()

    loaded = load(project_1000)

    assert loaded.reprocessed == [] and loaded.cached == CORPUS_SIZE - 1
    assert not (entries / "2016-01-01-wire-0000.pickle").exists()
    assert not abandoned.exists() and in_progress.exists()
    assert len(list(entries.glob("*.pickle"))) == CORPUS_SIZE - 1


class FakeEngine:
    engine_name = "fake"
    model_label = "fake 1"

    def __init__(self) -> None:
        self.calls = 0

    def translate(self, sentences: Sequence[str]) -> list[str]:
        self.calls += 1
        return [f"EN {len(s)}" for s in sentences]


def test_pending_translations_are_reprocessed_once_an_engine_is_installed(tmp_path: Path) -> None:
    root = make_corpus(tmp_path / "project", 7)  # the seeds (all reviewed) and two new reports
    new = sorted(p.stem for p in (root / "content" / "articles").glob("*-wire-*.md"))
    first = load(root)
    assert len(first.reprocessed) == 7
    assert load(root).reprocessed == []

    engine = FakeEngine()
    translated = load(root, engine=engine)
    assert sorted(translated.reprocessed) == new
    assert engine.calls == 2
    # Translated now, and remembered: the engine is not needed again.
    assert load(root, engine=FakeEngine()).reprocessed == []
    memory = load_memory(memory_path(root / "content" / "translations", new[0]), new[0])
    assert {e.origin for e in memory.entries} == {"machine"}


# --- the site: an incremental build is byte for byte a clean one --------------------------------


def synthetic_module() -> Any:
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("synthetic", REPO / "benchmarks" / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["synthetic"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def clean_build_of(project: Path, dest: Path) -> dict[str, bytes]:
    """Every file of a clean build of `project`'s sources, made in a folder of its own."""
    from tests.test_determinism import site_files

    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copytree(project / "content", dest / "content")
    shutil.copytree(project / "templates", dest / "templates")
    shutil.copy(project / "site_config.yml", dest / "site_config.yml")
    build(dest / "site_config.yml")
    return site_files(dest / "site")


def reused_pages(site: Path) -> int:
    """HTML files the build took from the last one: hard links into the site it replaced."""
    return sum(1 for path in site.rglob("index.html") if path.stat().st_nlink > 1)


def test_an_incremental_site_is_byte_identical_to_a_clean_build_after_every_kind_of_change(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_determinism import describe_differences, site_files

    # As on a large site: the Arabic pages rendered and the exports written in forked processes.
    monkeypatch.setattr(briefgen.site.render, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setattr(briefgen.commands.build, "EXPORTS_FORK_MIN_ARTICLES", 0)
    synthetic = synthetic_module()
    size = 12
    project = synthetic.make_project(tmp_path / "project", size)
    articles = sorted((project / "content" / "articles").glob("*.md"))
    config = project / "site_config.yml"
    build(config)  # cold: fills the docs state and the page cache
    # Its article pages are keyed already (by the cache keys the articles were just stored
    # under): the next build need not render them again to find them unchanged.
    state = json.loads((project / ".briefgen" / "docs-state.json").read_text(encoding="utf-8"))
    article_pages = [entry for name, entry in state["files"].items() if "/articles/" in name]
    assert len(article_pages) == 2 * (size + 1) and sum(1 for e in article_pages if e[0]) == 2 * size

    def touch_published_page() -> None:
        # The site is no longer the one recorded: a real build, that page rendered again.
        page = next((project / "site" / "articles").glob("*/index.html"))
        os.utime(page, ns=(0, 0))

    def add_article() -> None:
        synthetic.add_article(project, size)

    def edit_article() -> None:
        path = articles[3]
        path.write_text(
            path.read_text(encoding="utf-8") + "\nوأعلن الجيش سيطرته على منطقة قنفودة غرب بنغازي.\n",
            encoding="utf-8",
        )

    def delete_article() -> None:
        articles[5].unlink()
        (project / "content" / "translations" / f"{articles[5].stem}.yml").unlink()

    def edit_template() -> None:
        # The label of every article's summary, in English.
        path = project / "templates" / "strings.yml"
        text = path.read_text(encoding="utf-8")
        edited = text.replace("summary: {en: Summary,", "summary: {en: In short,", 1)
        assert edited != text
        path.write_text(edited, encoding="utf-8")

    def edit_chronology_entry_template() -> None:
        # A partial kept across builds: every entry's kept HTML must give way to the new one.
        path = project / "templates" / "partials" / "chronology_entry.html.j2"
        text = path.read_text(encoding="utf-8")
        edited = text.replace('class="bg-chron-entry"', 'class="bg-chron-entry bg-edited"', 1)
        assert edited != text
        path.write_text(edited, encoding="utf-8")

    def edit_theme_override() -> None:
        path = project / "templates" / "overrides" / "main.html"
        path.write_text(
            path.read_text(encoding="utf-8") + "\n{# edited #}<!-- frame, edited -->\n", encoding="utf-8"
        )

    def edit_site_config() -> None:
        text = config.read_text(encoding="utf-8")
        edited = text.replace("en: Libya war briefings", "en: Libya war briefings, edited", 1)
        assert edited != text
        config.write_text(edited, encoding="utf-8")

    # (change, whether most pages must come from the last build, None for some: an edit to
    # what every page shows must re-render them all, and still match). With a dozen articles, one
    # more changes many entity pages; at 5,000 it changes a few dozen of 10,000.
    changes: list[tuple[Callable[[], None], bool | None]] = [
        (lambda: None, True),
        (touch_published_page, True),
        (add_article, True),
        (edit_article, True),
        (delete_article, True),
        (edit_template, None),
        (edit_chronology_entry_template, None),
        (edit_theme_override, False),
        (edit_site_config, False),
        (lambda: None, None),
    ]
    for number, (change, mostly_reused) in enumerate(changes):
        change()
        with caplog.at_level("INFO", logger="briefgen"):
            caplog.clear()
            site = build(config).site_dir
        incremental = site_files(site)
        clean = clean_build_of(project, tmp_path / f"clean-{number}")
        assert len(incremental) > 100
        if incremental != clean:
            pytest.fail(f"after change {number}:\n{describe_differences(clean, incremental)}", pytrace=False)
        pages = len(list(site.rglob("index.html")))
        reused = reused_pages(site)
        taken = re.findall(r"page cache: (\d+) pages taken", caplog.text)
        if change is changes[0][0] or change is changes[-1][0]:
            # Nothing changed: the site in place is what the build would make.
            assert "nothing changed since the last build" in caplog.text and taken == []
            continue
        assert taken == [str(reused)], (number, taken, reused)
        # The chronology and entity pages an article changes are put together from the
        # partials earlier builds rendered, all but the entries the change touched.
        partials = [
            (int(kept), int(rendered))
            for kept, rendered in re.findall(
                r"partials \(en\): (\d+) taken from the last build, (\d+) rendered", caplog.text
            )
        ]
        assert len(partials) == 1, (number, partials)
        kept, rendered = partials[0]
        # (With a dozen articles, adding or deleting one changes which entities have pages,
        # which every partial's links show: then none can be kept.)
        if change is edit_article:
            assert kept > 10 * rendered, (number, kept, rendered)
        elif change in (edit_chronology_entry_template, edit_theme_override):
            assert kept == 0 and rendered > 0, (number, kept, rendered)
        if mostly_reused:
            assert reused > pages // 2, (number, reused, pages)
        elif mostly_reused is None:  # the English pages that show a summary changed, no others
            assert 0 < reused < pages - size, (number, reused, pages)
        else:
            assert reused < pages // 4, (number, reused, pages)
