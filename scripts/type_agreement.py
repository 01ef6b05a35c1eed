"""How far two annotators agree on the event type of the real-reporting gold (issue 12).

    python scripts/type_agreement.py blind tests/fixtures/real_reporting --out /tmp/blind-dev.yml
    python scripts/type_agreement.py adopt tests/fixtures/real_reporting /tmp/answers-dev.yml
    python scripts/type_agreement.py report          # the dev and held-out sets, as Markdown

`blind` lists each gold event's cited sentences, with the sentence before each for context, its
dates, places and actors, but neither its type, its id nor its summary (the ids and summaries name
the type: «benina-shelled»). Items are numbered in the gold file's order. A second annotator
writes one type per item number, under the gold header's conventions, in an answers file
(`7: capture`, or `7: [capture, "note where I hesitated"]`); `adopt` turns it into the set's
`second_annotator.yml`, keyed by gold id. `report` prints raw agreement, Cohen's kappa and the
pairs of types the two annotators split on, per set and pooled.

Sentences are resolved the way `briefgen eval-chronology --explain` resolves them: by briefgen's
own split of the set's articles (load_corpus), so the text is the one the gold's indices cite.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
# The test set is kept blind to the engineers (docs/chronology.md): it is never read here.
SETS = ("real_reporting", "real_reporting_heldout")
SECOND = "second_annotator.yml"


def _gold_raw(set_dir: Path) -> list[dict[str, Any]]:
    from briefgen.yamlio import load_yaml, read_text_utf8

    path = set_dir / "gold.yml"
    data: list[dict[str, Any]] = load_yaml(read_text_utf8(path), path).data
    return data


def _sentences(set_dir: Path) -> dict[str, dict[int, str]]:
    from briefgen.commands.build import load_corpus
    from briefgen.config import load_config

    corpus = load_corpus(load_config(set_dir / "site_config.yml"), engine=None)
    return {a.slug: {s.index: s.text for s in a.sentences} for a in corpus.articles}


def _ids(set_dir: Path) -> list[str]:
    return [str(event["id"]) for event in _gold_raw(set_dir)]


def blind_items(set_dir: Path) -> list[dict[str, Any]]:
    """One item per gold event, in the gold's order, with nothing that names its type."""
    sentences = _sentences(set_dir)
    items: list[dict[str, Any]] = []
    for number, event in enumerate(_gold_raw(set_dir), start=1):
        reports = []
        for report in event["reported_by"]:
            slug, index = str(report["article"]), int(report["sentence"])
            text = sentences[slug]
            reports.append(
                {
                    "article": slug,
                    "sentence": index,
                    "before": text.get(index - 1, ""),
                    "text": text[index],
                }
            )
        items.append(
            {
                "item": number,
                "date": f"{event['date_start']}..{event['date_end']}",
                "places": list(event.get("places") or []),
                "actors": list(event.get("actors") or []),
                "reports": reports,
            }
        )
    return items


def adopt(set_dir: Path, answers: dict[int, Any]) -> dict[str, Any]:
    """The answers by item number, keyed by the gold id of each item."""
    ids = _ids(set_dir)
    missing = sorted(set(range(1, len(ids) + 1)) - set(answers))
    if missing:
        raise SystemExit(f"no answer for items {missing}")
    adopted: dict[str, Any] = {}
    for number, gold_id in enumerate(ids, start=1):
        answer = answers[number]
        if isinstance(answer, list):
            adopted[gold_id] = {"type": answer[0], "note": answer[1]}
        else:
            adopted[gold_id] = answer
    return adopted


def load_second(set_dir: Path) -> dict[str, str]:
    """The second annotator's type for each gold id (a value is a type, or {type, note})."""
    data = yaml.safe_load((set_dir / SECOND).read_text(encoding="utf-8"))
    return {str(k): str(v["type"] if isinstance(v, dict) else v) for k, v in data.items()}


def noted_ids(set_dir: Path) -> set[str]:
    """The gold ids where the second annotator wrote a note: where they hesitated."""
    data = yaml.safe_load((set_dir / SECOND).read_text(encoding="utf-8"))
    return {str(k) for k, v in data.items() if isinstance(v, dict) and v.get("note")}


def pairs_of(set_dir: Path) -> list[tuple[str, str]]:
    """(gold type, second type) for every gold event; fails on an event left unannotated."""
    second = load_second(set_dir)
    gold = [(str(e["id"]), str(e["type"])) for e in _gold_raw(set_dir)]
    missing = [gold_id for gold_id, _ in gold if gold_id not in second]
    if missing:
        raise SystemExit(f"{set_dir.name}: no second annotation for {missing}")
    return [(gold_type, second[gold_id]) for gold_id, gold_type in gold]


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float:
    """Cohen's kappa: (p_o - p_e) / (1 - p_e), p_e from each annotator's own type frequencies."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[t] * second[t] for t in first) / (n * n)
    if expected == 1:  # both used one and the same type throughout: agreement is total, not chance
        return 1.0
    return (observed - expected) / (1 - expected)


def confusions(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str, int]]:
    """(gold type, second type, times) for each split, most frequent first."""
    counts = Counter((a, b) for a, b in pairs if a != b)
    return [(a, b, n) for (a, b), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def report(set_dirs: Sequence[Path]) -> str:
    by_set = {d.name: pairs_of(d) for d in set_dirs}
    pooled = [p for pairs in by_set.values() for p in pairs]
    lines = [
        "| set | events | agree | raw agreement | Cohen's kappa |",
        "|---|---|---|---|---|",
    ]
    for name, pairs in [*by_set.items(), *([("pooled", pooled)] if len(by_set) > 1 else [])]:
        agree = sum(a == b for a, b in pairs)
        lines.append(
            f"| {name} | {len(pairs)} | {agree} | {agree / len(pairs):.2f} | {cohen_kappa(pairs):.2f} |"
        )
    noted = {(d.name, i) for d in set_dirs for i in noted_ids(d)}
    splits = {(d.name, i) for d in set_dirs for i, (a, b) in zip(_ids(d), pairs_of(d), strict=True) if a != b}
    lines += [
        "",
        f"The second annotator noted a hesitation on {len(noted)} events; {len(splits & noted)} of the"
        f" {len(splits)} splits are among them.",
    ]
    lines += ["", "| type | gold | second annotator | both |", "|---|---|---|---|"]
    gold_counts, second_counts = Counter(a for a, _ in pooled), Counter(b for _, b in pooled)
    both = Counter(a for a, b in pooled if a == b)
    for t in sorted(gold_counts | second_counts, key=lambda t: (-gold_counts[t], t)):
        lines.append(f"| {t} | {gold_counts[t]} | {second_counts[t]} | {both[t]} |")
    lines += ["", "| gold type | second annotator's type | times |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {n} |" for a, b, n in confusions(pooled)]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    blind = commands.add_parser("blind", help="write the blind list of a set's gold events")
    blind.add_argument("set_dir", type=Path)
    blind.add_argument("--out", type=Path, required=True)
    adopt_cmd = commands.add_parser("adopt", help="key an answers file by gold id into second_annotator.yml")
    adopt_cmd.add_argument("set_dir", type=Path)
    adopt_cmd.add_argument("answers", type=Path)
    report_cmd = commands.add_parser("report", help="print the agreement figures as Markdown")
    report_cmd.add_argument("set_dirs", type=Path, nargs="*", default=[FIXTURES / s for s in SETS])
    args = parser.parse_args(argv)
    if args.command == "blind":
        text = yaml.safe_dump(blind_items(args.set_dir), allow_unicode=True, sort_keys=False, width=200)
        args.out.write_text(text, encoding="utf-8")
    elif args.command == "adopt":
        answers = yaml.safe_load(args.answers.read_text(encoding="utf-8"))
        adopted = adopt(args.set_dir, {int(k): v for k, v in answers.items()})
        header = (args.answers.read_text(encoding="utf-8").split("\n\n", 1)[0]) + "\n\n"
        body = yaml.safe_dump(adopted, allow_unicode=True, sort_keys=False, width=200)
        (args.set_dir / SECOND).write_text(header + body, encoding="utf-8")
    else:
        print(report(args.set_dirs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
