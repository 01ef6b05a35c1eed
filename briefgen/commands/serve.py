"""`briefgen serve`: build, serve the site on this machine, rebuild when the sources change.

The site is served from its output folder by path, so each request sees whatever site
`build` last swapped in (it renames the new site into place). A failed rebuild leaves
the last good site in place and served; its problems are reported, and shown on the
served pages by a small script that polls `STATUS_PATH` and reloads the page after a
successful rebuild. That script is added to HTML as it is served: it is never written
into the output folder, so `briefgen build` output never has it.

Changes are found by `watchfiles` (the operating system's file events, e.g. inotify), not by
polling: nothing runs between changes, however large the archive. mkdocs' own livereload
server was the other candidate; it would replace the server and the reload script too, but it
is not part of mkdocs' public API, rebuilds through mkdocs' own build and cannot show a failed
rebuild's problems on the page, which is the point of this preview.

Ctrl-C or SIGTERM stops `serve` within a fraction of a second, even in the middle of a
rebuild: the rebuild is interrupted as Ctrl-C interrupts `briefgen build` (its render child
is killed with it), and a site being built is never served, so nothing half-built is seen.
"""

from __future__ import annotations

import contextlib
import functools
import html
import http.server
import io
import json
import logging
import multiprocessing
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

import watchfiles

from briefgen.config import DEFAULT_CONFIG_NAME, load_config
from briefgen.errors import BriefgenError, Problem
from briefgen.fileio import os_error_problem

if TYPE_CHECKING:
    from briefgen.commands.build import BuildResult

log = logging.getLogger("briefgen")

STATUS_PATH = "/__briefgen__/status"
# Editors' swap, backup and lock files: saving a file must not rebuild twice.
IGNORED_PREFIXES = (".", "#")
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp")

LIVE_RELOAD_SCRIPT = """<script>
/* briefgen serve: reload after a rebuild, show a failed rebuild's problems (not in built sites). */
(() => {
  let shown = null;
  let banner = null;
  async function poll() {
    try {
      const status = await (await fetch("%(status)s", { cache: "no-store" })).json();
      if (shown === null) shown = status.build;
      if (status.build !== shown) { location.reload(); return; }
      if (status.problems.length && !banner) {
        banner = document.createElement("pre");
        banner.id = "briefgen-serve-problems";
        banner.dir = "ltr";
        banner.style.cssText = "position:fixed;z-index:1000;left:0;right:0;bottom:0;margin:0;"
          + "max-height:40vh;overflow:auto;padding:1em;background:#b71c1c;color:#fff;"
          + "font:13px/1.4 monospace;white-space:pre-wrap";
        document.body.append(banner);
      }
      if (banner) {
        banner.textContent = "Rebuild failed; this is the last good site.\\n" + status.problems.join("\\n");
        banner.hidden = !status.problems.length;
      }
    } catch (error) { /* the server is restarting or gone: keep trying */ }
    setTimeout(poll, 1000);
  }
  poll();
})();
</script>
"""


@dataclass
class BuildOutcome:
    """One build: its number among successful builds, and what went wrong if it failed."""

    build: int  # the number of successful builds so far: changes when the served site does
    ok: bool
    seconds: float
    problems: list[str] = field(default_factory=list)
    result: BuildResult | None = None  # a successful build's


# --- watching -------------------------------------------------------------------------------

# (mtime, size) of files, None for a missing one.
Stats = dict[str, tuple[int, int] | None]


def is_ignored(name: str) -> bool:
    return name.startswith(IGNORED_PREFIXES) or name.endswith(IGNORED_SUFFIXES)


def source_filter(roots: list[Path]) -> Callable[[watchfiles.Change, str], bool]:
    """Keep a change unless a file or folder on its way down from a watched root is an editor's
    (or a hidden) one. Only the part below the root counts: the project may live in `~/.work/`."""

    def keep(change: watchfiles.Change, path: str) -> bool:
        for root in roots:
            if root.is_file() or not Path(path).is_relative_to(root):
                continue
            return not any(is_ignored(part) for part in Path(path).relative_to(root).parts)
        return True  # a watched file itself

    return keep


def stats(paths: Iterator[str] | list[str]) -> Stats:
    found: Stats = {}
    for path in paths:
        try:
            stat = os.stat(path)
        except OSError:
            found[path] = None
        else:
            found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def files_under(folders: list[Path]) -> list[str]:
    return [
        os.path.join(parent, name)
        for folder in folders
        if folder.is_dir()
        for parent, _, names in os.walk(folder)
        for name in names
    ]


def watched_paths(config_path: Path) -> tuple[list[Path], list[Path]]:
    """What to watch, and the folders the build itself writes to (translation and event memories).

    With a configuration that does not load, the default folders beside it."""
    try:
        config = load_config(config_path)
    except BriefgenError:
        root = config_path.parent
        return [config_path, root / "content", root / "templates"], []
    return [config.path, config.content_dir, config.templates_dir], [
        config.translations_dir,
        config.events_dir,
    ]


# --- serving --------------------------------------------------------------------------------


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the output folder by path, adds the live-reload script to HTML, never caches."""

    preview: Preview

    def __init__(self, *args: Any, preview: Preview, **kwargs: Any) -> None:
        self.preview = preview
        super().__init__(*args, directory=str(preview.site_dir), **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("serve: " + format, *args)

    def end_headers(self) -> None:
        # Every rebuild changes files under the same names.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_head(self) -> Any:
        route = self.path.split("?", 1)[0].split("#", 1)[0]
        if route == STATUS_PATH:
            return self._send_bytes(json.dumps(self.preview.status()).encode(), "application/json")
        self.preview.wait_for_site()
        if not self.preview.site_dir.is_dir():
            return self._send_bytes(self.preview.error_page(), "text/html; charset=utf-8", status=503)
        path = self.translate_path(self.path)
        if os.path.isdir(path) and route.endswith("/"):
            path = os.path.join(path, "index.html")
        if self.preview.live_reload and path.endswith(".html") and os.path.isfile(path):
            with open(path, "rb") as file:
                return self._send_bytes(self.preview.with_script(file.read()), "text/html; charset=utf-8")
        return super().send_head()

    def _send_bytes(self, body: bytes, content_type: str, status: int = 200) -> io.BytesIO:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class Preview:
    """A site being served and rebuilt: build once, `start()` serving, `watch()` until stopped."""

    def __init__(
        self,
        config_path: Path | str = DEFAULT_CONFIG_NAME,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        out: Path | str | None = None,
        strict: bool = False,
        force: bool = False,
        live_reload: bool = True,
        debounce: float = 0.3,
        on_build: Callable[[BuildOutcome], None] | None = None,
    ) -> None:
        self.config_path = Path(config_path).resolve()
        self.out = Path(out).resolve() if out else None
        self.site_dir = self.out or self._output_dir()
        self.host, self.port = host, port
        self.strict = strict
        self.force = force  # may replace an output folder briefgen did not build
        self.live_reload = live_reload
        self.debounce = debounce  # seconds of quiet after a change before rebuilding
        self.on_build = on_build or (lambda outcome: None)
        self.builds = 0
        self.last: BuildOutcome | None = None
        self._server: http.server.ThreadingHTTPServer | None = None
        self._script = (LIVE_RELOAD_SCRIPT % {"status": STATUS_PATH}).encode()

    def _output_dir(self) -> Path:
        try:
            return load_config(self.config_path).output_dir
        except BriefgenError:
            return self.config_path.parent / "site"  # the default; the first build reports the problem

    # The build --------------------------------------------------------------------------------

    def rebuild(self) -> BuildOutcome:
        """Build the site; on failure keep the last good one and report why."""
        from briefgen.commands.build import build

        started = time.perf_counter()
        try:
            result = build(self.config_path, out=self.out, strict=self.strict, force=self.force)
        except BriefgenError as exc:
            outcome = BuildOutcome(
                self.builds, False, time.perf_counter() - started, [str(p) for p in exc.problems]
            )
        except OSError as exc:  # named as `briefgen build` names it (see briefgen.fileio)
            problem = os_error_problem(exc, self.config_path.resolve().parent)
            outcome = BuildOutcome(self.builds, False, time.perf_counter() - started, [str(problem)])
        except Exception as exc:  # a bug or a library failure must not stop the preview
            where = traceback.extract_tb(exc.__traceback__)[-1]
            problem = Problem(f"{type(exc).__name__}: {exc}", path=Path(where.filename), line=where.lineno)
            outcome = BuildOutcome(self.builds, False, time.perf_counter() - started, [str(problem)])
        else:
            self.builds += 1
            self.site_dir = result.site_dir
            outcome = BuildOutcome(self.builds, True, time.perf_counter() - started, result=result)
        self.last = outcome
        self.on_build(outcome)
        return outcome

    def status(self) -> dict[str, Any]:
        return {"build": self.builds, "problems": self.last.problems if self.last else []}

    # Serving ----------------------------------------------------------------------------------

    def start(self) -> str:
        """Start serving in a background thread; returns the site's address."""
        handler = functools.partial(PreviewHandler, preview=self)
        try:
            self._server = http.server.ThreadingHTTPServer((self.host, self.port), handler)
        except OSError as exc:
            raise BriefgenError(
                Problem(
                    f"cannot serve on {self.host}:{self.port}: {exc.strerror}",
                    hint="choose another port with --port (0 picks a free one)",
                )
            ) from None
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="briefgen-serve",
            daemon=True,
        ).start()
        return self.url

    @property
    def url(self) -> str:
        if self._server is None:
            return f"http://{self.host}:{self.port}/"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def wait_for_site(self, timeout: float = 2.0) -> None:
        # `build` swaps the site in with two renames; a request between them waits for the second.
        deadline = time.monotonic() + timeout
        while self.builds and not self.site_dir.is_dir() and time.monotonic() < deadline:
            time.sleep(0.02)

    def with_script(self, page: bytes) -> bytes:
        index = page.rfind(b"</body>")
        return page + self._script if index < 0 else page[:index] + self._script + page[index:]

    def error_page(self) -> bytes:
        """What is served while there is no site: the first build is running, or it failed."""
        if self.last is None:
            heading, text = "Building the site…", "This page reloads when the build is done."
        else:
            heading, text = "The site could not be built", "\n".join(self.last.problems)
        page = (
            f"<!doctype html><html lang='en'><meta charset='utf-8'><title>briefgen: {heading}</title>"
            f"<body><h1>{heading}</h1><pre>{html.escape(text)}</pre></body></html>"
        )
        return page.encode() + (self._script if self.live_reload else b"")

    # Watching ---------------------------------------------------------------------------------

    def watch(self, stop: threading.Event | None = None) -> None:
        """Rebuild after each change to the sources, until `stop` is set (or Ctrl-C)."""
        stop = stop or threading.Event()
        # The folders the build writes to (translation and event memories) and their files as
        # the last build left them: the build's own writes are no change to rebuild for.
        own: list[Path] = []
        written: Stats = {}
        while not stop.is_set():
            paths, self_written = watched_paths(self.config_path)
            roots = [path for path in paths if path.exists()]
            if not roots:  # nothing to watch yet: look again shortly
                stop.wait(0.5)
                continue
            # Watching a file follows its inode, which an editor's save-by-rename replaces:
            # after a change to the config (which may also move the folders), watch anew.
            for changes in watchfiles.watch(
                *roots,
                watch_filter=source_filter(roots),
                step=max(1, round(self.debounce * 1000)),  # the quiet that ends a burst of saves
                debounce=max(1600, round(self.debounce * 4000)),  # the longest burst
                stop_event=stop,
            ):
                changed = sorted({path for _, path in changes})
                if own:
                    mine = [path for path in changed if any(Path(path).is_relative_to(o) for o in own)]
                    now = stats(mine)
                    left = {path for path in mine if now[path] == written.get(path)}
                    changed = [path for path in changed if path not in left]
                if not changed:
                    continue
                log.info("changed: %s", ", ".join(changed[:5]))
                before = files_under(self_written)
                self.rebuild()
                own = self_written
                written = stats(files_under(self_written))
                written.update({path: None for path in before if path not in written})
                if str(self.config_path) in changed:
                    break


class ServeOptions(TypedDict, total=False):
    """The `Preview` options `serve` passes on; their defaults are `Preview`'s."""

    host: str
    port: int
    out: Path | str | None
    strict: bool
    force: bool
    live_reload: bool
    on_build: Callable[[BuildOutcome], None] | None


def serve(
    config_path: Path | str = DEFAULT_CONFIG_NAME,
    *,
    on_ready: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
    **options: Unpack[ServeOptions],
) -> None:
    """Build, serve and rebuild on change until `stop` is set or Ctrl-C. The first build may fail:
    the preview then shows its problems until a rebuild succeeds."""
    preview = Preview(config_path, **options)
    stop = stop or threading.Event()
    # Serve first: a port in use is reported at once, and open pages reload when the build is done.
    url = preview.start()
    try:
        with stopping_on_signals(stop):
            if on_ready is not None:
                on_ready(url)
            preview.rebuild()
            preview.watch(stop)
    except KeyboardInterrupt:
        pass
    finally:
        preview.close()


@contextlib.contextmanager
def stopping_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM stop serving at once, interrupting a rebuild as Ctrl-C does.

    The render child a rebuild forks is killed first: the interrupted build would otherwise
    wait for it to finish its language, which under load took over 20 s. (Ctrl-C in a terminal
    reaches the child too; a `kill` of serve's process does not.) Elsewhere than in the main
    thread, signals cannot be caught; `stop` alone ends the watch there."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_signal(number: int, frame: object) -> None:
        stop.set()
        for child in multiprocessing.active_children():
            child.kill()
        raise KeyboardInterrupt

    previous = {number: signal.signal(number, on_signal) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
