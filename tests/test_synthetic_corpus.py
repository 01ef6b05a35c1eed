"""The synthetic corpus generator behind the scale benchmark (benchmarks/synthetic.py)."""

from __future__ import annotations

import html
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from briefgen.commands.build import build, load_corpus
from briefgen.commands.check import check
from briefgen.config import load_config
from briefgen.errors import BriefgenError
from briefgen.site.render import _fork_context, render_docs

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def synthetic() -> ModuleType:
    spec = importlib.util.spec_from_file_location("synthetic", REPO / "benchmarks" / "synthetic.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["synthetic"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): p.read_text(encoding="utf-8")
        for p in sorted((root / "content").rglob("*"))
        if p.is_file()
    }


def test_deterministic_and_growing_by_one(synthetic: ModuleType, tmp_path: Path) -> None:
    first = tree(synthetic.make_project(tmp_path / "a", 6, seed=3))
    again = tree(synthetic.make_project(tmp_path / "b", 6, seed=3))
    other = tree(synthetic.make_project(tmp_path / "c", 6, seed=4))
    bigger = tree(synthetic.make_project(tmp_path / "d", 7, seed=3))
    assert first == again
    assert first != other
    # Article i depends only on (seed, i): one more article adds one article and its memory.
    added = set(bigger) - set(first)
    assert len(added) == 2 and {Path(p).parent.name for p in added} == {"articles", "translations"}
    assert all(bigger[p] == text for p, text in first.items())


def test_fully_translated_and_fills_both_campaigns(synthetic: ModuleType, tmp_path: Path) -> None:
    project = synthetic.make_project(tmp_path / "p", 24)
    assert check(project / "site_config.yml").articles == 24
    corpus = load_corpus(load_config(project / "site_config.yml"), engine=None)
    slugs = [a.slug for a in corpus.articles]
    assert len(set(slugs)) == 24
    for article in corpus.articles:
        assert article.translation is not None
        assert article.translation.status == "reviewed", article.slug
    campaigns = {a.campaign for a in corpus.articles}
    assert {"benghazi-2016", "tripoli-2019-2020"} <= campaigns
    assert {a.meta.published.year for a in corpus.articles} >= {2016, 2019, 2020}
    # Swapped districts are still places the gazetteer knows, in the article's own theatre.
    named = {m.entity_id for a in corpus.articles for m in a.entities}
    assert len(named & set(synthetic.DISTRICTS["benghazi"])) >= 3
    assert len(named & set(synthetic.DISTRICTS["tripoli"])) >= 2


def test_place_swap_is_simultaneous_and_bilingual(synthetic: ModuleType) -> None:
    names = synthetic.district_names(REPO / "content" / "gazetteer.yml")
    swap = synthetic.place_swapper({"qawarsha": "ganfouda", "ganfouda": "qawarsha"}, names)
    unit = synthetic.Unit(
        "الفصل بين القنفودة والقوارشة جغرافياً أسقط القوارشة",
        "Separating Ganfouda from al-Qawarsha brought down Qawarsha",
    )
    swapped = swap(unit)
    assert swapped.ar == "الفصل بين القوارشة وقنفودة جغرافياً أسقط قنفودة"
    assert swapped.en == "Separating Qawarsha from Ganfouda brought down Ganfouda"


def test_builds_with_no_pending_translation(synthetic: ModuleType, tmp_path: Path) -> None:
    project = synthetic.make_project(tmp_path / "p", 8, seed=1)
    result = build(project / "site_config.yml")
    assert result.articles == 8
    assert not [w for w in result.warnings if "not translated" in w]
    slug = sorted(p.stem for p in (project / "content" / "articles").glob("*.md"))[0]
    memory = yaml.safe_load(
        (project / "content" / "translations" / f"{slug}.yml").read_text(encoding="utf-8")
    )
    title = next(e for e in memory["entries"] if e["kind"] == "title")
    english = html.unescape((result.site_dir / "articles" / slug / "index.html").read_text(encoding="utf-8"))
    arabic = html.unescape(
        (result.site_dir / "ar" / "articles" / slug / "index.html").read_text(encoding="utf-8")
    )
    assert title["en"] in english
    assert title["ar"] in arabic


def test_parallel_render_writes_the_same_tree(synthetic: ModuleType, tmp_path: Path) -> None:
    if _fork_context() is None:
        pytest.skip("the parallel render needs fork (Linux, 2+ cores)")
    project = synthetic.make_project(tmp_path / "p", 6, seed=2)
    corpus = load_corpus(load_config(project / "site_config.yml"), engine=None)
    render_docs(corpus, tmp_path / "sequential", parallel=False)
    render_docs(corpus, tmp_path / "parallel", parallel=True)
    sequential, parallel = (
        {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
        for root in (tmp_path / "sequential", tmp_path / "parallel")
    )
    assert len(sequential) > 40 and sequential == parallel


def test_parallel_render_reports_a_template_error_in_the_forked_language(
    synthetic: ModuleType, tmp_path: Path
) -> None:
    if _fork_context() is None:
        pytest.skip("the parallel render needs fork (Linux, 2+ cores)")
    project = synthetic.make_project(tmp_path / "p", 3, seed=2)
    about = project / "templates" / "pages" / "about.md.j2"
    # Fails on the Arabic pages only, which the forked process renders.
    about.write_text(
        about.read_text(encoding="utf-8") + '{% if lang == "ar" %}{{ no_such_name }}{% endif %}\n',
        encoding="utf-8",
    )
    corpus = load_corpus(load_config(project / "site_config.yml"), engine=None)
    with pytest.raises(BriefgenError) as raised:
        render_docs(corpus, tmp_path / "docs", parallel=True)
    [problem] = raised.value.problems
    assert problem.path == about and "no_such_name" in problem.message
    assert (tmp_path / "docs" / "en" / "about.md").exists()
