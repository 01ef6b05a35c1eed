"""Scale benchmark: how briefgen's build time, memory and output grow with the archive.

For each size N (default 1000, 5000, 10000) it generates a synthetic project
(benchmarks/synthetic.py) and measures, each in a fresh Python process so that peak
memory (ru_maxrss) belongs to that run alone:

  cold      `briefgen build` with no .briefgen/ cache and no site/: a clean build
  warm      the same build again, nothing changed (it finds the site up to date)
  warm-rebuilt  the same without the record of the last build: every page from the caches
  add-one   one more article (with its reviewed translation memory) added, then a build
  mkdocs    plain `mkdocs build` of the docs tree the build generated (.briefgen/mkdocs.yml),
            into a scratch folder, as configured but without briefgen's page cache: the
            i18n plugin builds both languages and briefgen's own mkdocs plugin rewrites the
            search indexes (they are part of what `briefgen build` runs inside mkdocs)
  mkdocs-no-plugin  the same without briefgen's mkdocs plugin, to show that plugin's share
            (slow: 4 minutes at 5,000 articles; --no-plugin-row to include it)

The targets of issue 15 are checked and printed: adding one article to 5,000 ≤ 15 s and
≤ 0.3 × the clean build, a warm rebuild ≤ 5 s, peak memory at 10,000 ≤ 4 GB, and linear
growth (the cold build's time per article may not grow by more than a quarter).

It prints a Markdown table (per-stage ms per article, totals, peak RSS, site and search
index sizes, briefgen/mkdocs ratios, time per article for the linear-growth check) and,
with --write-docs, puts it into docs/performance.md between the scale-table markers.

Usage: python benchmarks/scale.py [--sizes 1000 5000 10000] [--work DIR] [--write-docs] [--no-plugin-row]
       python benchmarks/scale.py --profile 1000 [--work DIR]   (cProfile of a cold and a warm build)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DOCS_PAGE = REPO / "docs" / "performance.md"
BEGIN, END = "<!-- scale-table:begin -->", "<!-- scale-table:end -->"


def _peak_rss_mb() -> float:
    """The largest resident set of this process or any child it waited for (the render may
    fork one per extra language). Linux reports ru_maxrss in KiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children (a forked render):
    steadier than wall time on a shared machine."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    )


def _search_bytes(folder: Path) -> int:
    """A language's search index on disk: its Pagefind bundle (every file of it, though a query
    fetches a few), or lunr's one index file in a site built before Pagefind."""
    bundle = folder / "pagefind"
    if bundle.is_dir():
        return _tree_bytes(bundle)
    return (folder / "search" / "search_index.json").stat().st_size


def _tree_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


# --- the measurements, each run in its own process -------------------------------------------------


def _count(value: Any) -> int | None:
    return len(value) if isinstance(value, list | tuple | set | frozenset) else value


def measure_build(project: Path) -> dict[str, Any]:
    from briefgen.commands.build import build

    started, cpu = time.perf_counter(), _cpu_seconds()
    result = build(project / "site_config.yml")
    total, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    site = result.site_dir
    return {
        "total": total,
        "cpu": cpu,
        "stages": dict(result.stage_seconds),
        "articles": result.articles,
        "pages": result.pages,
        # Set by the per-article cache when there is one: how many articles went through the pipeline.
        "reprocessed": _count(getattr(result, "reprocessed", None)),
        "warnings": len(result.warnings),
        "pending": sum("not translated" in w for w in result.warnings),
        "site_bytes": _tree_bytes(site),
        # HTML files taken from the last build by briefgen's page cache: hard links.
        "reused": sum(1 for p in site.rglob("index.html") if p.stat().st_nlink > 1),
        "search_en_bytes": _search_bytes(site),
        "search_ar_bytes": _search_bytes(site / "ar"),
        "peak_rss_mb": _peak_rss_mb(),
    }


def measure_mkdocs(project: Path, scratch: Path, with_plugin: bool) -> dict[str, Any]:
    import yaml
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    data = yaml.safe_load((project / ".briefgen" / "mkdocs.yml").read_text(encoding="utf-8"))
    if with_plugin:
        # Plain mkdocs renders every page: the page cache's state belongs to `briefgen build`.
        for plugin in data["plugins"]:
            if isinstance(plugin, dict) and "briefgen" in plugin:
                for option in ("page_cache", "previous_site", "docs_state"):
                    plugin["briefgen"].pop(option, None)
    else:
        data["plugins"] = [p for p in data["plugins"] if not (p == "briefgen" or "briefgen" in p)]
    config_file = project / ".briefgen" / ("mkdocs-plain.yml" if with_plugin else "mkdocs-no-plugin.yml")
    config_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if scratch.exists():
        shutil.rmtree(scratch)
    started, cpu = time.perf_counter(), _cpu_seconds()
    config = load_config(config_file=str(config_file), site_dir=str(scratch))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    total, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    return {"total": total, "cpu": cpu, "site_bytes": _tree_bytes(scratch), "peak_rss_mb": _peak_rss_mb()}


# Where a frozen copy of the briefgen package is, if the measurements should use one.
_frozen_code: Path | None = None


def freeze_code(work: Path) -> Path:
    """Copy the briefgen package into `work` and run every measurement against that copy:
    the article cache is keyed by a hash of briefgen's source, so an edit made in the
    checkout during a long run would otherwise make a warm build look cold."""
    global _frozen_code
    target = work / "code"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(REPO / "briefgen", target / "briefgen", ignore=shutil.ignore_patterns("__pycache__"))
    _frozen_code = target
    return target


def _run_measurement(args: list[str]) -> dict[str, Any]:
    """One measurement in a fresh interpreter; its JSON result is the last line it prints."""
    env = dict(os.environ)
    if _frozen_code is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_frozen_code), env.get("PYTHONPATH")]))
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--measure", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr[-5000:])
        raise SystemExit(f"measurement {args} failed with exit code {completed.returncode}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --- one size ------------------------------------------------------------------------------------


@dataclass
class SizeResult:
    articles: int
    runs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def ms_per_article(self, run: str, stage: str) -> float:
        return 1000 * self.runs[run]["stages"].get(stage, 0.0) / self.articles

    def own_seconds(self, run: str) -> float:
        """briefgen's own share of a build: everything but mkdocs."""
        return self.runs[run]["total"] - self.runs[run]["stages"].get("mkdocs", 0.0)


def measure_size(
    articles: int, work: Path, seed: int, no_plugin_row: bool = False, skip: list[str] | None = None
) -> SizeResult:
    sys.path.insert(0, str(HERE))
    from synthetic import add_article, make_project

    project = work / f"n{articles}"
    if project.exists():
        shutil.rmtree(project)
    started = time.perf_counter()
    make_project(project, articles, seed)
    print(f"[{articles}] generated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    result = SizeResult(articles)
    steps: list[tuple[str, list[str]]] = [
        ("cold", ["build", str(project)]),
        ("warm", ["build", str(project)]),
        ("warm-rebuilt", ["build", str(project)]),
        ("mkdocs", ["mkdocs", str(project), str(work / "mkdocs-site")]),
        ("mkdocs-no-plugin", ["mkdocs-no-plugin", str(project), str(work / "mkdocs-site")]),
        ("add-one", ["build", str(project)]),
    ]
    if not no_plugin_row:
        steps = [step for step in steps if step[0] != "mkdocs-no-plugin"]
    steps = [step for step in steps if step[0] not in (skip or [])]
    for name, args in steps:
        if name == "add-one":
            add_article(project, articles, seed)
        if name == "warm-rebuilt":
            # Without the record of the last build: the caches' work when nothing changed.
            (project / ".briefgen" / "cache" / "last-build.json").unlink()
        result.runs[name] = _run_measurement(args)
        print(f"[{articles}] {name}: {result.runs[name]['total']:.1f} s", file=sys.stderr)
    shutil.rmtree(work / "mkdocs-site", ignore_errors=True)
    return result


# --- the report ----------------------------------------------------------------------------------


def _mb(size: float) -> str:
    return f"{size / 1e6:.1f} MB"


def report(results: list[SizeResult]) -> str:
    sizes = [r.articles for r in results]
    head = "| | " + " | ".join(f"{n:,} articles" for n in sizes) + " |\n|---|" + "---:|" * len(sizes) + "\n"

    def row(label: str, cells: list[str]) -> str:
        return f"| {label} | " + " | ".join(cells) + " |\n"

    def has(r: SizeResult, run: str) -> bool:
        return run in r.runs

    # The stages as the build reports them (BuildResult.stage_seconds), in build order.
    stages = list(dict.fromkeys(s for r in results for run in r.runs.values() for s in run.get("stages", {})))
    lines: list[str] = ["**Per-stage time, cold build (ms per article, wall clock)**\n\n", head]
    for stage in stages:
        lines.append(row(stage, [f"{r.ms_per_article('cold', stage):.2f}" for r in results]))
    lines.append(row("whole build", [f"{1000 * r.runs['cold']['total'] / r.articles:.2f}" for r in results]))
    lines.append("\n")
    for run, title in (
        ("warm-rebuilt", "rebuild from the caches, nothing changed"),
        ("add-one", "one article added"),
    ):
        lines += [f"**Per-stage time, {title} (seconds, wall clock)**\n\n", head]
        for stage in stages:
            lines.append(
                row(
                    stage,
                    [f"{r.runs[run]['stages'].get(stage, 0.0):.2f}" if has(r, run) else "—" for r in results],
                )
            )
        lines.append(
            row("whole build", [f"{r.runs[run]['total']:.2f}" if has(r, run) else "—" for r in results])
        )
        lines.append("\n")

    def seconds(r: SizeResult, run: str) -> str:
        if not has(r, run):
            return "—"
        return f"{r.runs[run]['total']:.1f} s ({r.runs[run]['cpu']:.1f} s CPU)"

    def ratio(r: SizeResult, run: str, base: str) -> str:
        if not (has(r, run) and has(r, base)):
            return "—"
        wall = r.runs[run]["total"] / r.runs[base]["total"]
        return f"{wall:.2f} (CPU {r.runs[run]['cpu'] / r.runs[base]['cpu']:.2f})"

    def per_article(r: SizeResult, run: str) -> str:
        if not has(r, run):
            return "—"
        return f"{1000 * r.runs[run]['total'] / r.articles:.1f} ms (CPU {1000 * r.runs[run]['cpu'] / r.articles:.1f})"

    lines += ["**Totals**\n\n", head]
    for run, label in (
        ("cold", "cold (clean) build"),
        ("warm", "warm rebuild, nothing changed (target ≤ 5 s)"),
        ("warm-rebuilt", "… the same, rebuilt from the caches (no record of the last build)"),
        ("add-one", "add one article, rebuild (target ≤ 15 s at 5,000)"),
        ("mkdocs", "plain `mkdocs build` of the same docs, every page"),
        ("mkdocs-no-plugin", "… without briefgen's mkdocs plugin"),
    ):
        if any(has(r, run) for r in results):
            lines.append(row(label, [seconds(r, run) for r in results]))
    lines.append(
        row("ratio add-one / cold build (target ≤ 0.3)", [ratio(r, "add-one", "cold") for r in results])
    )
    lines.append(row("ratio warm / cold build", [ratio(r, "warm", "cold") for r in results]))
    lines.append(row("ratio add-one / plain mkdocs", [ratio(r, "add-one", "mkdocs") for r in results]))
    lines.append(row("ratio cold build / plain mkdocs", [ratio(r, "cold", "mkdocs") for r in results]))
    lines.append(row("cold build per article", [per_article(r, "cold") for r in results]))
    lines.append(row("plain mkdocs per article", [per_article(r, "mkdocs") for r in results]))
    lines.append(
        row(
            "articles reprocessed, warm / add-one",
            [f"{r.runs['warm']['reprocessed']} / {r.runs['add-one']['reprocessed']}" for r in results],
        )
    )
    lines.append(
        row(
            "pages taken from the last build, rebuilt from the caches / add-one",
            [
                f"{r.runs.get('warm-rebuilt', {}).get('reused', '—')} / {r.runs['add-one'].get('reused', 0)}"
                for r in results
            ],
        )
    )
    for run, label in (("cold", "cold build"), ("add-one", "add-one rebuild"), ("mkdocs", "plain mkdocs")):
        lines.append(
            row(
                f"peak RSS, {label}",
                [f"{r.runs[run]['peak_rss_mb']:.0f} MB" if has(r, run) else "—" for r in results],
            )
        )
    lines.append(row("pages (both languages)", [f"{r.runs['cold']['pages']:,}" for r in results]))
    lines.append(row("site size", [_mb(r.runs["cold"]["site_bytes"]) for r in results]))
    lines.append(
        row(
            "search index EN + AR",
            [
                f"{_mb(r.runs['cold']['search_en_bytes'])} + {_mb(r.runs['cold']['search_ar_bytes'])}"
                for r in results
            ],
        )
    )
    lines.append(row("untranslated warnings", [str(r.runs["cold"]["pending"]) for r in results]))
    lines.append("\n" + "".join(f"- {line}\n" for line in target_checks(results)))
    machine = f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores"
    lines.append(f"\nMeasured {time.strftime('%Y-%m-%d')} on {machine}.\n")
    return "".join(lines)


def target_checks(results: list[SizeResult]) -> list[str]:
    """Issue 15's targets, each met or not, with the numbers."""
    checks = []

    def verdict(ok: bool) -> str:
        return "**met**" if ok else "**not met**"

    by_size = {r.articles: r for r in results}
    if 5000 in by_size:
        r = by_size[5000]
        add, cold = r.runs["add-one"]["total"], r.runs["cold"]["total"]
        checks.append(f"add one article to 5,000 ≤ 15 s: {verdict(add <= 15)} ({add:.1f} s)")
        checks.append(
            f"… and ≤ 0.3 × the clean build: {verdict(add <= 0.3 * cold)} ({add / cold:.2f} × {cold:.0f} s)"
        )
    for r in results:
        warm = r.runs["warm"]["total"]
        checks.append(f"warm rebuild of {r.articles:,} ≤ 5 s: {verdict(warm <= 5)} ({warm:.1f} s)")
    if 10000 in by_size:
        peak = max(run["peak_rss_mb"] for run in by_size[10000].runs.values())
        checks.append(
            f"peak memory at 10,000 ≤ 4 GB: {verdict(peak <= 4096)} ({peak:.0f} MB, the largest of its runs)"
        )
    if len(results) > 1:
        per = [r.runs["cold"]["total"] / r.articles for r in results]
        growth = max(per) / per[0]
        checks.append(
            "linear growth, cold build time per article ("
            + " → ".join(f"{1000 * p:.1f} ms" for p in per)
            + f"): {verdict(growth <= 1.25)} (the largest / the smallest size's: {growth:.2f})"
        )
        sites = [r.runs["cold"]["site_bytes"] / r.articles for r in results]
        checks.append("site size per article: " + " → ".join(f"{s / 1e3:.0f} KB" for s in sites))
    return checks


def write_docs(table: str, page: Path = DOCS_PAGE) -> None:
    text = page.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{page} has no {BEGIN} … {END} markers to put the table between")
    before, rest = text.split(BEGIN, 1)
    after = rest.split(END, 1)[1]
    page.write_text(f"{before}{BEGIN}\n{table}{END}{after}", encoding="utf-8")


def profile(articles: int, work: Path, seed: int, top: int = 40) -> None:
    """cProfile a cold and a warm build of `articles` articles; prints the top functions."""
    import cProfile
    import pstats

    sys.path.insert(0, str(HERE))
    from synthetic import make_project

    from briefgen.commands.build import build

    project = make_project(work / f"profile-{articles}", articles, seed)
    shutil.rmtree(project / ".briefgen", ignore_errors=True)
    for run in ("cold", "warm"):
        out = work / f"profile-{articles}-{run}.pstats"
        cProfile.runctx(
            "build(project / 'site_config.yml')", globals(), {"build": build, "project": project}, str(out)
        )
        print(f"\n### {run} build, {articles} articles ({out})\n")
        stats = pstats.Stats(str(out))
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument(
        "--no-plugin-row", action="store_true", help="also time mkdocs without briefgen's plugin (slow)"
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/briefgen-scale"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip", nargs="+", default=[], help="runs to leave out (e.g. mkdocs warm-rebuilt)")
    parser.add_argument("--write-docs", action="store_true", help="put the table into docs/performance.md")
    parser.add_argument("--profile", type=int, metavar="N", help="profile builds of N articles instead")
    parser.add_argument(
        "--live-code", action="store_true", help="measure the checkout as it is, not a frozen copy"
    )
    parser.add_argument(
        "--report-only", action="store_true", help="print (and --write-docs) the table of WORK/results.json"
    )
    parser.add_argument("--measure", nargs="+", help=argparse.SUPPRESS)  # internal: one measurement
    args = parser.parse_args(argv)

    if args.measure:
        kind, project, *rest = args.measure
        if kind == "build":
            outcome = measure_build(Path(project))
        else:
            outcome = measure_mkdocs(Path(project), Path(rest[0]), with_plugin=kind == "mkdocs")
        print(json.dumps(outcome))
        return 0

    args.work.mkdir(parents=True, exist_ok=True)
    if args.profile:
        profile(args.profile, args.work, args.seed)
        return 0
    saved = args.work / "results.json"
    if args.report_only:
        results = [
            SizeResult(r["articles"], r["runs"]) for r in json.loads(saved.read_text(encoding="utf-8"))
        ]
    else:
        if not args.live_code:
            freeze_code(args.work)
        results = []
        for n in args.sizes:
            results.append(measure_size(n, args.work, args.seed, args.no_plugin_row, args.skip))
            # After each size: a long run stopped later keeps what it measured.
            saved.write_text(
                json.dumps([{"articles": r.articles, "runs": r.runs} for r in results], indent=1),
                encoding="utf-8",
            )
    table = report(results)
    print(table)
    if args.write_docs:
        write_docs(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
