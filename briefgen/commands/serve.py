"""`briefgen serve`: build, serve the site on this machine, rebuild when the sources change.

The site is served from its output folder by path, so each request sees whatever site
`build` last swapped in (it renames the new site into place). A failed rebuild leaves
the last good site in place and served; its problems are reported, and shown on the
served pages by a small script that polls `STATUS_PATH` and reloads the page after a
successful rebuild. That script is added to HTML as it is served: it is never written
into the output folder, so `briefgen build` output never has it.

Changes are found by polling (standard library only): a few thousand `stat` calls every
half second even for a large archive.
"""

from __future__ import annotations

import functools
import html
import http.server
import io
import json
import logging
import os
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from briefgen.config import DEFAULT_CONFIG_NAME, load_config
from briefgen.errors import BriefgenError, Problem

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

Snapshot = dict[str, tuple[int, int]]


def is_ignored(name: str) -> bool:
    return name.startswith(IGNORED_PREFIXES) or name.endswith(IGNORED_SUFFIXES)


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """(mtime, size) of every file under `paths` (files or folders; missing ones are skipped)."""
    found: Snapshot = {}
    for root in paths:
        if root.is_file():
            stat = root.stat()
            found[str(root)] = (stat.st_mtime_ns, stat.st_size)
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not is_ignored(d)]
            for name in files:
                if is_ignored(name):
                    continue
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except FileNotFoundError:
                    continue  # deleted while we looked
                found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def watched_paths(config_path: Path) -> tuple[list[Path], Path | None]:
    """What to watch, and the folder the build itself writes to (translation memories).

    With a configuration that does not load, the default folders beside it."""
    try:
        config = load_config(config_path)
    except BriefgenError:
        root = config_path.parent
        return [config_path, root / "content", root / "templates"], None
    return [config.path, config.content_dir, config.templates_dir], config.translations_dir


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
        poll_interval: float = 0.5,
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
        self.poll_interval, self.debounce = poll_interval, debounce
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
        threading.Thread(target=self._server.serve_forever, name="briefgen-serve", daemon=True).start()
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
        paths, self_written = watched_paths(self.config_path)
        known = snapshot(paths)
        while not stop.wait(self.poll_interval):
            current = snapshot(paths)
            if current == known:
                continue
            # Debounce: an editor or `git checkout` writes several files; wait for quiet.
            while not stop.wait(self.debounce):
                settled = snapshot(paths)
                if settled == current:
                    break
                current = settled
            if stop.is_set():
                return
            log.info("changed: %s", ", ".join(changed_files(known, current)[:5]))
            self.rebuild()
            paths, self_written = watched_paths(self.config_path)
            after = snapshot(paths)
            # The build writes translation memories; those writes alone are not a change to
            # rebuild for. Anything else that changed during the build is.
            written = changed_files(current, after)
            if self_written is not None and all(Path(p).is_relative_to(self_written) for p in written):
                known = after
            else:
                known = current


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
    # Serve first: a port in use is reported at once, and open pages reload when the build is done.
    url = preview.start()
    try:
        if on_ready is not None:
            on_ready(url)
        preview.rebuild()
        preview.watch(stop)
    except KeyboardInterrupt:
        pass
    finally:
        preview.close()
