"""scripts/type_agreement.py: a second annotator's event types for the dev and held-out gold, and
the agreement between the two (docs/chronology.md). The figures themselves are not pinned: what is
tested is that every gold event has a second type, that the blind list hides the type, and that the
statistics are computed right."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from briefgen.commands.build import load_corpus
from briefgen.config import load_config
from briefgen.event_types import EVENT_TYPE_LABELS

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "type_agreement.py"
SETS = ("real_reporting", "real_reporting_heldout")


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("type_agreement", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, env=env, check=False
    )


@pytest.mark.parametrize("name", SETS)
def test_every_gold_event_has_a_known_second_type(script: ModuleType, name: str) -> None:
    set_dir = REPO / "tests" / "fixtures" / name
    gold_ids = [str(e["id"]) for e in script._gold_raw(set_dir)]
    second = script.load_second(set_dir)
    assert sorted(second) == sorted(gold_ids), set(second) ^ set(gold_ids)
    unknown = {t for t in second.values() if t not in EVENT_TYPE_LABELS}
    assert not unknown, unknown


def test_kappa_against_hand_computed_tables(script: ModuleType) -> None:
    # Two types, 10 items: agree on 7 (p_o = 0.7); first says a 6 times, second 5 times, so
    # p_e = 0.6 * 0.5 + 0.4 * 0.5 = 0.5 and kappa = (0.7 - 0.5) / 0.5 = 0.4.
    two = [("a", "a")] * 4 + [("b", "b")] * 3 + [("a", "b")] * 2 + [("b", "a")]
    assert script.cohen_kappa(two) == pytest.approx(0.4)
    # Three types, 14 items: p_o = 10/14; marginals a 7/6, b 4/5, c 3/3, so p_e = 71/196 and
    # kappa = (140 - 71) / (196 - 71) = 69/125.
    three = (
        [("a", "a")] * 5 + [("b", "b")] * 3 + [("c", "c")] * 2 + [("a", "b")] * 2 + [("b", "c"), ("c", "a")]
    )
    assert script.cohen_kappa(three) == pytest.approx(69 / 125)
    # Agreement no better than chance is 0; one type used by both throughout is full agreement.
    assert script.cohen_kappa([("a", "a"), ("a", "b"), ("b", "a"), ("b", "b")]) == pytest.approx(0.0)
    assert script.cohen_kappa([("a", "a")] * 3) == 1.0
    assert script.confusions(three) == [("a", "b", 2), ("b", "c", 1), ("c", "a", 1)]


def test_report_runs_on_both_sets_and_prints_what_the_pairs_give(script: ModuleType) -> None:
    result = _run("report")
    assert result.returncode == 0, result.stderr
    pairs = {name: script.pairs_of(REPO / "tests" / "fixtures" / name) for name in SETS}
    pooled = [p for ps in pairs.values() for p in ps]
    for name, ps in [*pairs.items(), ("pooled", pooled)]:
        agree = sum(a == b for a, b in ps)
        row = f"| {name} | {len(ps)} | {agree} | {agree / len(ps):.2f} | {script.cohen_kappa(ps):.2f} |"
        assert row in result.stdout
    for gold_type, second_type, times in script.confusions(pooled):
        assert f"| {gold_type} | {second_type} | {times} |" in result.stdout
    noted = 0
    for name in SETS:
        data = yaml.safe_load(
            (REPO / "tests" / "fixtures" / name / "second_annotator.yml").read_text("utf-8")
        )
        noted += sum(isinstance(v, dict) and bool(v.get("note")) for v in data.values())
    assert f"noted a hesitation on {noted} events" in result.stdout


def test_the_blind_list_cites_briefgens_sentences_and_hides_the_type(tmp_path: Path) -> None:
    set_dir = REPO / "tests" / "fixtures" / "real_reporting"
    out = tmp_path / "blind.yml"
    result = _run("blind", str(set_dir), "--out", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    items = yaml.safe_load(text)
    gold = yaml.safe_load((set_dir / "gold.yml").read_text(encoding="utf-8"))
    assert [i["item"] for i in items] == list(range(1, len(gold) + 1))
    # Neither the type nor what names it (the id, the summary) reaches the annotator.
    assert all(set(i) == {"item", "date", "places", "actors", "reports"} for i in items)
    assert not [e["id"] for e in gold if e["id"] in text]
    corpus = load_corpus(load_config(set_dir / "site_config.yml"), engine=None)
    sentences = {(a.slug, s.index): s.text for a in corpus.articles for s in a.sentences}
    for item, event in zip(items, gold, strict=True):
        cited = [(r["article"], r["sentence"]) for r in event["reported_by"]]
        assert [(r["article"], r["sentence"]) for r in item["reports"]] == cited
        for report in item["reports"]:
            key = (report["article"], report["sentence"])
            assert report["text"] == sentences[key]
            assert report["before"] == sentences.get((key[0], key[1] - 1), "")


def test_adopt_keys_answers_by_gold_id_and_refuses_a_gap(script: ModuleType) -> None:
    set_dir = REPO / "tests" / "fixtures" / "real_reporting_heldout"
    ids = [str(e["id"]) for e in script._gold_raw(set_dir)]
    answers = {n: "capture" for n in range(1, len(ids) + 1)}
    answers[2] = ["statement", "why"]
    adopted = script.adopt(set_dir, answers)
    assert list(adopted) == ids
    assert adopted[ids[1]] == {"type": "statement", "note": "why"}
    del answers[3]
    with pytest.raises(SystemExit, match=r"\[3\]"):
        script.adopt(set_dir, answers)


def test_the_docs_give_the_figures_the_script_computes(script: ModuleType) -> None:
    # If the gold or the second annotation changes, docs/chronology.md must follow.
    docs = (REPO / "docs" / "chronology.md").read_text(encoding="utf-8")
    pairs = {
        label: script.pairs_of(REPO / "tests" / "fixtures" / name)
        for label, name in (("dev", "real_reporting"), ("held-out", "real_reporting_heldout"))
    }
    pairs["pooled"] = [p for ps in pairs.values() for p in ps]
    for label, ps in pairs.items():
        agree = sum(a == b for a, b in ps)
        start = f"| {label} | {len(ps)} | {agree} | {agree / len(ps):.2f}"
        rows = [line for line in docs.splitlines() if line.startswith(start)]
        assert len(rows) == 1 and rows[0].endswith(f"| {script.cohen_kappa(ps):.2f} |"), (start, rows)
