"""Search on a large site: the size of each language's index, and the time from a keystroke
to results in Debian's Chromium.

Given a built site (--site), or else building a synthetic project of --articles articles
(benchmarks/synthetic.py) first, it reports:

  - each language's index (site/search/, site/ar/search/): documents, pages, bytes on
    disk and gzipped (what a server that compresses sends);
  - for each query, on the language's home page, served on 127.0.0.1: the time from the
    last keystroke (CDP Input.dispatchKeyEvent, as the browser tests type) to the final
    query's results in the DOM,
      cold: the first query after the page loads in a fresh browser context (so it
            includes fetching the index and building the lunr index in the worker);
            `page` is the same results' time after navigation start;
      warm: the same query again on that page, the box cleared first, and typed as a
            person types: all but the last letter, then, once their results are in,
            the last letter (typed all at once, the worker would first answer every
            prefix: "ا" alone finds nearly every Arabic page);
    the median and the worst of --runs runs. `index` is when the index had arrived,
    in ms after navigation start (loopback: no network time).

Timings are taken in the page (performance.now() at the last keyup, and when a
MutationObserver sees the results of the final query), not by polling from Python.

`--full-text N` builds the synthetic project with `search: {full_text_articles: N}` (the
newest N articles indexed in full text; default: site_config.yml's default).

Usage: python benchmarks/search_latency.py [--site DIR | --articles N [--full-text N]] [--runs R] [--json OUT]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser import CHROMIUM, CHROMIUM_ARGS, served, type_with_cdp  # noqa: E402

QUERIES = {
    "ar": ["حفتر", "بنغازي", "الانابيب", "طرابلس"],  # الانابيب: written الأنابيب, found by its keywords
    "en": ["Haftar", "Benghazi", "Gwarsha", "Tripoli"],  # Gwarsha: a gazetteer variant of Qawarsha
}
SEARCH_INPUT = "input.md-search__input"

# Records the last keyup in the search box and when the final query's results are in the DOM:
# the search worker has answered every query sent to it, the last one being the expected
# query (not a prefix of it still being answered), and the summary says how many results
# ("21 matching documents", "لا توجد نتائج"). Material's messages: QUERY = 2, RESULT = 3.
RECORDER_JS = """
window.__bench = { expect: null, lastKey: 0, done: 0, meta: "", items: 0, sent: 0, answered: 0, last: null };
const NativeWorker = window.Worker;
window.Worker = class extends NativeWorker {
  constructor(...args) {
    super(...args);
    // Registered before material's own listener: counts the answer before it is rendered.
    this.addEventListener("message", (event) => {
      if (event.data && event.data.type === 3) window.__bench.answered += 1;
    });
  }
  postMessage(message, ...rest) {
    if (message && message.type === 2) {
      window.__bench.sent += 1;
      window.__bench.last = message.data;
    }
    return super.postMessage(message, ...rest);
  }
};
const check = () => {
  const bench = window.__bench;
  if (!bench.expect || bench.done || bench.last !== bench.expect || bench.answered !== bench.sent) return;
  const text = document.querySelector(".md-search-result__meta")?.textContent || "";
  if (/لا توجد|No matching/.test(text) || (/[0-9]|واحد/.test(text) && !text.includes("…"))) {
    bench.done = performance.now();
    bench.meta = text.trim();
    bench.items = document.querySelectorAll(".md-search-result__item").length;
  }
};
document.addEventListener("keyup", (event) => {
  if (event.target.matches && event.target.matches("input.md-search__input")) {
    window.__bench.lastKey = performance.now();
  }
}, true);
document.addEventListener("DOMContentLoaded", () => {
  new MutationObserver(check).observe(document.body, { childList: true, subtree: true, characterData: true });
});
"""


@dataclass
class IndexSize:
    language: str
    docs: int
    pages: int
    bytes: int
    gzip_bytes: int


@dataclass
class QueryTiming:
    language: str
    query: str
    cold_ms: list[float] = field(default_factory=list)
    cold_page_ms: list[float] = field(default_factory=list)  # results, after navigation start
    warm_ms: list[float] = field(default_factory=list)
    index_ms: list[float] = field(default_factory=list)  # index fetched, after navigation start
    summary: str = ""  # material's result summary, e.g. "1.2k matching documents"


def index_sizes(site: Path) -> list[IndexSize]:
    sizes = []
    for language, folder in (("en", site), ("ar", site / "ar")):
        path = folder / "search" / "search_index.json"
        data = path.read_bytes()
        docs = json.loads(data)["docs"]
        pages = {d["location"].split("#")[0] for d in docs}
        sizes.append(IndexSize(language, len(docs), len(pages), len(data), len(gzip.compress(data, 6))))
    return sizes


def wait_for(page: Any, expression: str, timeout: float = 120.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = page.evaluate(expression)
        if value:
            return value
        time.sleep(0.01)
    state = page.evaluate(
        "[JSON.stringify(window.__bench), document.querySelector('.md-search-result__meta')?.textContent,"
        " document.querySelector('.md-search-result__link')?.href]"
    )
    raise TimeoutError(f"timed out waiting for {expression} on {page.url}: {state}")


def timed_query(page: Any, query: str, typed: str | None = None) -> tuple[float, float]:
    """Type `typed` (default: `query`) into the search box, whose text then is `query`; return
    ms from the last keyup to the results of `query`, and those results' time after navigation."""
    page.evaluate("q => Object.assign(window.__bench, { expect: q, lastKey: 0, done: 0 })", query)
    type_with_cdp(page, query if typed is None else typed)
    wait_for(page, "window.__bench.done > 0")
    return page.evaluate("[window.__bench.done - window.__bench.lastKey, window.__bench.done]")


def clear_query(page: Any) -> None:
    page.evaluate("window.__bench.expect = null")
    page.fill(SEARCH_INPUT, "")
    page.keyboard.press("End")  # material reads the box on keyup
    wait_for(page, "window.__bench.last === '' && window.__bench.answered === window.__bench.sent")


def measure(site: Path, runs: int) -> list[QueryTiming]:
    from playwright.sync_api import sync_playwright

    timings = []
    with served(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for language, queries in QUERIES.items():
            url = base + ("ar/" if language == "ar" else "")
            for query in queries:
                timing = QueryTiming(language, query)
                for _ in range(runs):
                    context = browser.new_context()  # an empty cache: a first visit
                    context.add_init_script(RECORDER_JS)
                    page = context.new_page()
                    page.goto(url, wait_until="domcontentloaded")
                    page.focus(SEARCH_INPUT)
                    cold, cold_page = timed_query(page, query)
                    timing.cold_ms.append(cold)
                    timing.cold_page_ms.append(cold_page)
                    timing.index_ms.append(
                        page.evaluate(
                            "performance.getEntriesByType('resource')"
                            ".find(e => e.name.endsWith('search_index.json'))?.responseEnd ?? -1"
                        )
                    )
                    clear_query(page)
                    timed_query(page, query[:-1])
                    timing.warm_ms.append(timed_query(page, query, typed=query[-1])[0])
                    timing.summary = page.evaluate("window.__bench.meta")
                    context.close()
                timings.append(timing)
        browser.close()
    return timings


def build_synthetic(articles: int, seed: int, work: Path, full_text: int | None = None) -> tuple[Path, float]:
    from benchmarks.synthetic import make_project
    from briefgen.commands.build import build

    project = make_project(work / "project", articles, seed)
    if full_text is not None:
        config = project / "site_config.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(f"{text.rstrip()}\nsearch:\n  full_text_articles: {full_text}\n", encoding="utf-8")
    started = time.perf_counter()
    result = build(project / "site_config.yml")
    return result.site_dir, time.perf_counter() - started


def median_max(values: list[float]) -> str:
    return f"{statistics.median(values):7.0f} {max(values):7.0f}"


def report(sizes: list[IndexSize], timings: list[QueryTiming]) -> str:
    lines = [
        f"{'index':<6} {'docs':>7} {'pages':>7} {'bytes':>12} {'gzip':>12}",
        *(f"{s.language:<6} {s.docs:7d} {s.pages:7d} {s.bytes:12,d} {s.gzip_bytes:12,d}" for s in sizes),
        "",
        "ms, median and max of the runs:",
        f"{'lang':<5} {'query':<10} {'cold key→results':>18} {'cold page→results':>18} "
        f"{'warm key→results':>18} {'index':>7}  results",
    ]
    for t in timings:
        lines.append(
            f"{t.language:<5} {t.query:<10} {median_max(t.cold_ms):>18} {median_max(t.cold_page_ms):>18} "
            f"{median_max(t.warm_ms):>18} {statistics.median(t.index_ms):7.0f}  {t.summary}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site folder (default: build a synthetic one)")
    parser.add_argument("--articles", type=int, default=5000, help="synthetic articles (without --site)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--full-text", type=int, help="articles indexed in full text (default: the config's default)"
    )
    parser.add_argument(
        "--work", type=Path, help="where to write the synthetic project (default: a temp dir)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per query")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        parser.error(f"{CHROMIUM} is missing (apt-get install chromium)")

    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    built_seconds = None
    if args.site:
        site = args.site.resolve()
    else:
        work = args.work or Path(tempfile.mkdtemp(prefix="briefgen-search-latency-"))
        print(f"building {args.articles} synthetic articles in {work} …", flush=True)
        site, built_seconds = build_synthetic(args.articles, args.seed, work, args.full_text)
        print(f"built in {built_seconds:.0f} s", flush=True)
    sizes = index_sizes(site)
    timings = measure(site, args.runs)
    print(report(sizes, timings))
    if args.json:
        figures = {
            "site": str(site),
            "articles": None if args.site else args.articles,
            "full_text_articles": None if args.site else args.full_text,
            "build_seconds": built_seconds,
            "indexes": [asdict(s) for s in sizes],
            "queries": [asdict(t) for t in timings],
        }
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
