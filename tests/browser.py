"""Drive Debian's Chromium with Playwright against a site served on 127.0.0.1 only."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def require_chromium() -> None:
    """Skip where Chromium is missing, except in CI, where its absence is a failure."""
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        pytest.fail("Chromium is missing: .ci/run installs it with apt-get install chromium")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(root: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def type_with_cdp(page: Page, text: str) -> None:
    """Type through CDP key events: Playwright's own typing fires no keyup for Arabic."""
    cdp = page.context.new_cdp_session(page)
    for ch in text:
        cdp.send("Input.dispatchKeyEvent", {"type": "keyDown", "text": ch, "key": ch, "unmodifiedText": ch})
        cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": ch})


def search(page: Page, base: str, query: str, lang: str, path: str | None = None) -> tuple[int, list[str]]:
    """Run a query in the search box of `path` (default: the language's home page);
    return the result count and the result links."""
    page.goto(base + (path if path is not None else "ar/" if lang == "ar" else ""))
    page.focus("input.md-search__input")
    type_with_cdp(page, query)
    return wait_for_results(page, query=query)


# Material's result summary once results are rendered: "21 matching documents",
# "1 matching document", "No matching documents", "نتائج البحث مستند واحد", "لا توجد نتائج".
RESULTS_DONE_JS = """() => {
  const text = document.querySelector(".md-search-result__meta")?.innerText || "";
  return (text !== "" && !text.includes("…") && /[0-9]/.test(text))
    || /لا توجد|واحد|No matching/.test(text);
}"""


# The query the results shown are for (templates/assets/search.js): while a query is typed, every
# prefix of it is searched, and a prefix's results can be on screen for a moment.
SHOWN_QUERY_JS = "() => document.querySelector('[data-bg-search]')?.dataset.shownQuery ?? null"


def wait_for_results(page: Page, timeout: float = 15, query: str | None = None) -> tuple[int, list[str]]:
    """Wait until the typed query's (`query`'s, if given) results are rendered; return their
    count and links."""
    meta = page.locator(".md-search-result__meta")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not (
        page.evaluate(RESULTS_DONE_JS) and (query is None or page.evaluate(SHOWN_QUERY_JS) == query.strip())
    ):
        time.sleep(0.1)
    text = meta.inner_text()
    digits = "".join(ch for ch in text if ch.isdigit())
    count = int(digits) if digits else (1 if "واحد" in text else 0)
    links = [a.get_attribute("href") or "" for a in page.locator(".md-search-result__link").all()]
    return count, links
