"""Search on a large site: the size of each language's index, the bytes the first query
downloads, and the time from a keystroke to results in Debian's Chromium.

Given built sites (--site, repeatable: e.g. a Pagefind site of this checkout and a lunr site
built with an older checkout, measured in the same run), or else building a synthetic project
of --articles articles (benchmarks/synthetic.py) first, it reports for each site:

  - its search engine: Pagefind (pagefind/, ar/pagefind/: briefgen's search now) or
    mkdocs-material's lunr (search/search_index.json, ar/search/: before);
  - each language's index: pages, files, bytes on disk, and for lunr gzipped too (what a
    server that compresses sends; Pagefind's index files are compressed already);
  - bytes downloaded for the first query, from the page's load to the first results: every
    search file the browser fetched (CDP Network.loadingFinished, encodedDataLength: what
    came over the wire from the test server, which does not compress), and what a server
    that gzips (GitHub Pages) would send of the same files;
  - for each query, on the language's home page, served on 127.0.0.1: the time from the
    last keystroke (CDP Input.dispatchKeyEvent, as the browser tests type) to the final
    query's results in the DOM,
      cold: the first query after the page loads in a fresh browser context (so it
            includes fetching the index, and for lunr building it in the worker), typed
            --key-interval ms a key (default 100: a fast typist; the search box starts
            loading the search when it gets the focus, as a reader's does);
            `page` is the same results' time after navigation start;
      warm: the same query again on that page, the box cleared first, and typed as a
            person types: all but the last letter, then, once their results are in,
            the last letter (typed all at once, the worker would first answer every
            prefix: "ا" alone finds nearly every Arabic page);
    the median and the worst of --runs runs. `index` is when the index had arrived (lunr)
    or the first index chunk (Pagefind), in ms after navigation start (loopback: no network
    time).

Timings are taken in the page (performance.now() at the last keydown, and when the final
query's results are in the DOM: a MutationObserver for lunr, the search script's
`bg-search-done` event for Pagefind), not by polling from Python. With more than one site,
the report ends with each figure's ratio to the first site's.

Usage: python benchmarks/search_latency.py [--site DIR ... | --articles N] [--runs R] [--json OUT]
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
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser import CHROMIUM, CHROMIUM_ARGS, served, type_with_cdp  # noqa: E402

QUERIES = {
    "ar": ["حفتر", "بنغازي", "الانابيب", "طرابلس"],  # الانابيب: written الأنابيب, found by its keywords
    "en": ["Haftar", "Benghazi", "Gwarsha", "Tripoli"],  # Gwarsha: a gazetteer variant of Qawarsha
}
SEARCH_INPUT = "input.md-search__input"

# Pagefind (templates/assets/search.js): the last keydown, and the search script's event for the
# final query's results.
PAGEFIND_RECORDER_JS = """
window.__bench = { expect: null, lastKey: 0, done: 0, meta: "", items: 0 };
document.addEventListener("bg-search-done", (event) => {
  const bench = window.__bench;
  if (!bench.expect || bench.done || event.detail.query !== bench.expect) return;
  bench.done = performance.now();
  bench.meta = document.querySelector(".md-search-result__meta")?.textContent.trim() || "";
  bench.items = document.querySelectorAll(".md-search-result__item").length;
});
document.addEventListener("keydown", (event) => {
  if (event.target.matches && event.target.matches("input.md-search__input")) {
    window.__bench.lastKey = performance.now();
  }
}, true);
"""
# The files of a site's search, as the browser fetches them.
SEARCH_FILES = ("/pagefind/", "search_index.json", "/workers/search")

# lunr: records the last keydown in the search box and when the final query's results are in the DOM:
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
document.addEventListener("keydown", (event) => {
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
    pages: int
    files: int
    bytes: int
    gzip_bytes: int | None  # lunr's index gzipped; Pagefind's files are compressed already
    docs: int | None = None  # lunr's documents (a page's sections)


@dataclass
class QueryTiming:
    language: str
    query: str
    cold_ms: list[float] = field(default_factory=list)
    cold_page_ms: list[float] = field(default_factory=list)  # results, after navigation start
    warm_ms: list[float] = field(default_factory=list)
    index_ms: list[float] = field(default_factory=list)  # index fetched, after navigation start
    first_query_bytes: list[int] = field(default_factory=list)  # search files, page load → results
    first_query_gzip_bytes: list[int] = field(default_factory=list)  # the same, from a gzipping server
    summary: str = ""  # the result summary, e.g. "1.2k matching documents"


def engine_of(site: Path) -> str:
    if (site / "pagefind" / "pagefind-entry.json").is_file():
        return "pagefind"
    if (site / "search" / "search_index.json").is_file():
        return "lunr"
    raise SystemExit(f"{site}: neither pagefind/ nor search/search_index.json")


def index_sizes(site: Path) -> list[IndexSize]:
    sizes = []
    for language, folder in (("en", site), ("ar", site / "ar")):
        if engine_of(site) == "pagefind":
            files = [p for p in (folder / "pagefind").rglob("*") if p.is_file()]
            pages = len(list((folder / "pagefind" / "fragment").iterdir()))
            sizes.append(IndexSize(language, pages, len(files), sum(p.stat().st_size for p in files), None))
            continue
        data = (folder / "search" / "search_index.json").read_bytes()
        docs = json.loads(data)["docs"]
        pages = len({d["location"].split("#")[0] for d in docs})
        sizes.append(IndexSize(language, pages, 1, len(data), len(gzip.compress(data, 6)), len(docs)))
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


def type_slowly(page: Any, text: str, interval_ms: float) -> None:
    for ch in text:
        type_with_cdp(page, ch)
        if interval_ms:
            time.sleep(interval_ms / 1000)


def timed_query(
    page: Any, query: str, typed: str | None = None, interval_ms: float = 0
) -> tuple[float, float]:
    """Type `typed` (default: `query`) into the search box, `interval_ms` between keys, whose
    text then is `query`; return ms from the last keydown to the results of `query`, and those
    results' time after navigation."""
    page.evaluate("q => Object.assign(window.__bench, { expect: q, lastKey: 0, done: 0 })", query)
    type_slowly(page, query if typed is None else typed, interval_ms)
    wait_for(page, "window.__bench.done > 0")
    return page.evaluate("[window.__bench.done - window.__bench.lastKey, window.__bench.done]")


def clear_query(page: Any, engine: str) -> None:
    page.evaluate("window.__bench.expect = null")
    page.fill(SEARCH_INPUT, "")
    page.keyboard.press("End")  # material reads the box on keyup
    if engine == "lunr":
        wait_for(page, "window.__bench.last === '' && window.__bench.answered === window.__bench.sent")
    else:
        wait_for(page, "document.querySelector('[data-bg-search]').dataset.shownQuery === undefined")


class SearchBytes:
    """Bytes over the wire for the site's search files, and when the first index file arrived.

    From Playwright's request events, which carry CDP's Network figures (`request.sizes()`:
    headers and encoded body, what Network.loadingFinished's encodedDataLength counts) for the
    page and for its workers (lunr's, or Pagefind's if it runs in one), which a page-level CDP
    session and the page's performance entries do not see.
    """

    def __init__(self, page: Any, site: Path, first_file: str) -> None:
        self.site = site
        self.sizes: list[int] = []
        self.paths: list[str] = []  # URL paths of the search files fetched
        self.first_file = first_file
        self.first_end: float | None = None  # epoch ms
        page.on("requestfinished", self.finished)

    def finished(self, request: Any) -> None:
        if not any(part in request.url for part in SEARCH_FILES):
            return
        sizes = request.sizes()
        # A worker's script is reported with a body of 0 bytes: the test server sends each file
        # as it is on disk, so its size is the body's.
        path = urlsplit(request.url).path
        on_disk = self.site / path.lstrip("/")
        body = on_disk.stat().st_size if on_disk.is_file() else sizes["responseBodySize"]
        self.sizes.append(sizes["responseHeadersSize"] + body)
        self.paths.append(path)
        if self.first_file in request.url and self.first_end is None:
            self.first_end = request.timing["startTime"] + request.timing["responseEnd"]

    def total(self) -> int:
        return sum(self.sizes)

    def compressed(self) -> int:
        """What a server that gzips (as GitHub Pages does) would send of the same files: the
        test server sends them as they are on disk. Pagefind's index files are gzipped already."""
        total = 0
        for path in self.paths:
            data = (self.site / path.lstrip("/")).read_bytes()
            total += min(len(data), len(gzip.compress(data, 6)))
        return total


def measure(site: Path, runs: int, interval_ms: float) -> list[QueryTiming]:
    from playwright.sync_api import sync_playwright

    engine = engine_of(site)
    recorder = PAGEFIND_RECORDER_JS if engine == "pagefind" else RECORDER_JS
    first_file = "pagefind/index/" if engine == "pagefind" else "search_index.json"
    timings = []
    with served(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for language, queries in QUERIES.items():
            url = base + ("ar/" if language == "ar" else "")
            for query in queries:
                timing = QueryTiming(language, query)
                for _ in range(runs):
                    context = browser.new_context()  # an empty cache: a first visit
                    context.add_init_script(recorder)
                    page = context.new_page()
                    transferred = SearchBytes(page, site, first_file)
                    page.goto(url, wait_until="domcontentloaded")
                    page.focus(SEARCH_INPUT)
                    cold, cold_page = timed_query(page, query, interval_ms=interval_ms)
                    timing.cold_ms.append(cold)
                    timing.cold_page_ms.append(cold_page)
                    timing.first_query_bytes.append(transferred.total())
                    timing.first_query_gzip_bytes.append(transferred.compressed())
                    origin = page.evaluate("performance.timeOrigin")
                    timing.index_ms.append(
                        -1 if transferred.first_end is None else transferred.first_end - origin
                    )
                    clear_query(page, engine)
                    timed_query(page, query[:-1])
                    timing.warm_ms.append(timed_query(page, query, typed=query[-1])[0])
                    timing.summary = page.evaluate("window.__bench.meta")
                    context.close()
                timings.append(timing)
        browser.close()
    return timings


def build_synthetic(articles: int, seed: int, work: Path) -> tuple[Path, float]:
    from benchmarks.synthetic import make_project
    from briefgen.commands.build import build

    project = make_project(work / "project", articles, seed)
    started = time.perf_counter()
    result = build(project / "site_config.yml")
    return result.site_dir, time.perf_counter() - started


def median_max(values: list[float]) -> str:
    return f"{statistics.median(values):7.0f} {max(values):7.0f}"


def kb(value: float) -> str:
    return f"{value / 1000:,.0f} KB"


def report(site: Path, sizes: list[IndexSize], timings: list[QueryTiming]) -> str:
    lines = [
        f"{site} ({engine_of(site)})",
        f"{'index':<6} {'pages':>7} {'files':>7} {'bytes':>13} {'gzip':>12}",
        *(
            f"{s.language:<6} {s.pages:7d} {s.files:7d} {s.bytes:13,d} "
            f"{'' if s.gzip_bytes is None else f'{s.gzip_bytes:,d}':>12}"
            for s in sizes
        ),
        "",
        "ms (bytes), median and max of the runs:",
        f"{'lang':<5} {'query':<10} {'cold key→results':>18} {'cold page→results':>18} "
        f"{'warm key→results':>18} {'index':>7} {'first query KB':>16} {'gzip KB':>8}  results",
    ]
    for t in timings:
        lines.append(
            f"{t.language:<5} {t.query:<10} {median_max(t.cold_ms):>18} {median_max(t.cold_page_ms):>18} "
            f"{median_max(t.warm_ms):>18} {statistics.median(t.index_ms):7.0f} "
            f"{statistics.median(t.first_query_bytes) / 1000:8.0f} {max(t.first_query_bytes) / 1000:7.0f} "
            f"{statistics.median(t.first_query_gzip_bytes) / 1000:8.0f}  {t.summary}"
        )
    return "\n".join(lines)


def ratios(baseline: list[QueryTiming], other: list[QueryTiming]) -> str:
    """Each query's median figures on `other` as a ratio to `baseline`'s (below 1: `other` is less)."""
    lines = [
        f"{'lang':<5} {'query':<10} {'first query bytes':>18} {'cold key→results':>18} {'warm key→results':>18}"
    ]
    by_query = {(t.language, t.query): t for t in baseline}
    for t in other:
        base = by_query.get((t.language, t.query))
        if base is None:
            continue
        cells = [
            statistics.median(t.first_query_bytes) / max(statistics.median(base.first_query_bytes), 1),
            statistics.median(t.cold_ms) / max(statistics.median(base.cold_ms), 1e-9),
            statistics.median(t.warm_ms) / max(statistics.median(base.warm_ms), 1e-9),
        ]
        lines.append(f"{t.language:<5} {t.query:<10} " + " ".join(f"{c:18.2f}" for c in cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--site",
        type=Path,
        action="append",
        help="a built site folder; repeat to compare (default: build one)",
    )
    parser.add_argument("--articles", type=int, default=5000, help="synthetic articles (without --site)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--work", type=Path, help="where to write the synthetic project (default: a temp dir)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per query")
    parser.add_argument(
        "--key-interval",
        type=float,
        default=100,
        help="ms between the keys of the first query (a fast typist; 0: all at once)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        parser.error(f"{CHROMIUM} is missing (apt-get install chromium)")

    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    built_seconds = None
    if args.site:
        sites = [site.resolve() for site in args.site]
    else:
        work = args.work or Path(tempfile.mkdtemp(prefix="briefgen-search-latency-"))
        print(f"building {args.articles} synthetic articles in {work} …", flush=True)
        site, built_seconds = build_synthetic(args.articles, args.seed, work)
        print(f"built in {built_seconds:.0f} s", flush=True)
        sites = [site]
    figures: list[dict[str, Any]] = []
    measured: list[list[QueryTiming]] = []
    for site in sites:
        sizes = index_sizes(site)
        timings = measure(site, args.runs, args.key_interval)
        measured.append(timings)
        print(report(site, sizes, timings), flush=True)
        print()
        figures.append(
            {
                "site": str(site),
                "engine": engine_of(site),
                "articles": None if args.site else args.articles,
                "build_seconds": built_seconds,
                "indexes": [asdict(s) for s in sizes],
                "queries": [asdict(t) for t in timings],
            }
        )
    for site, timings in zip(sites[1:], measured[1:], strict=True):
        print(f"{site} against {sites[0]} (ratio of medians):")
        print(ratios(measured[0], timings))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
