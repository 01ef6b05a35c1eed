"""Take a screenshot of a built briefgen site with Debian's headless Chromium.

    python scripts/screenshot.py                      # docs/screenshot.png: the README's picture
    python scripts/screenshot.py --page ar/ --out /tmp/ar-home.png --height 1600

The site (default: site/, run `briefgen build` first) is served on 127.0.0.1 only, for as
long as the screenshot takes; Chromium runs with networking off for everything else, so
the picture is of what the site itself ships. Needs /usr/bin/chromium
(`apt-get install chromium`); nothing is downloaded.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# The flags the browser tests use (tests/browser.py): no sandbox in containers, no GPU, and
# nothing that would reach the network on its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(root: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def screenshot(site: Path, page: str, out: Path, width: int, height: int) -> Path:
    """Save `page` (a path inside the site, e.g. "ar/articles/x/") as a PNG of width × height."""
    if not (site / "index.html").is_file():
        raise SystemExit(f"{site} holds no built site: run `briefgen build` first")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} not found: apt-get install chromium")
    out.parent.mkdir(parents=True, exist_ok=True)
    with served(site) as base, tempfile.TemporaryDirectory(prefix="briefgen-shot-") as profile:
        command = [
            CHROMIUM,
            *CHROMIUM_ARGS,
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            # Fonts and the search index load after the page: give them time.
            "--virtual-time-budget=5000",
            f"--screenshot={out.resolve()}",
            base + page.lstrip("/"),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=120)
    if not out.is_file():
        raise SystemExit(f"Chromium wrote no screenshot to {out}")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=REPO / "site", help="the built site (default: site/)")
    parser.add_argument("--page", default="", help="the page's path in the site (default: the home page)")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshot.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args(argv)
    path = screenshot(args.site, args.page, args.out, args.width, args.height)
    print(f"Saved {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
