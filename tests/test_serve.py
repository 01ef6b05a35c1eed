"""`briefgen serve`: serves the built site, rebuilds on change, keeps the last good site on failure."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import watchfiles

from briefgen.commands.serve import STATUS_PATH, BuildOutcome, Preview, source_filter
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

ARTICLE = "2019-10-17-alraed-ain-zara"
OLD_TITLE = "قوات بركان الغضب تتقدم في عين زارة"
NEW_TITLE = "عنوان تجريبي جديد للمقال"


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_until(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


class Lines:
    """A subprocess stream read line by line in the background."""

    def __init__(self, stream) -> None:
        self.lines: list[str] = []
        threading.Thread(target=lambda: self.lines.extend(iter(stream.readline, "")), daemon=True).start()

    @property
    def text(self) -> str:
        return "".join(self.lines)


def start_serving(project: Path, *args: str) -> tuple[subprocess.Popen[str], Lines, Lines]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "briefgen", "serve", "--port", "0", *args]
    command += ["-f", str(project / "site_config.yml")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    return process, Lines(process.stdout), Lines(process.stderr)


@pytest.fixture
def serving(project: Path) -> Iterator[tuple[subprocess.Popen[str], Lines, Lines]]:
    process, out, err = start_serving(project)
    try:
        yield process, out, err
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_rebuilds_on_change_and_keeps_the_last_good_site(project: Path, serving) -> None:
    process, out, err = serving
    wait_until(lambda: "Built " in out.text or process.poll() is not None, 120, "the first build")
    assert process.poll() is None, err.text
    url = next(line.split()[2] for line in out.lines if line.startswith("Serving on "))
    assert url.startswith("http://127.0.0.1:")
    page = f"{url}ar/articles/{ARTICLE}/"
    status, html = fetch(page)
    assert status == 200 and OLD_TITLE in html and NEW_TITLE not in html
    # The live-reload script is served, never built into the site.
    assert STATUS_PATH in html
    assert STATUS_PATH not in (project / "site" / "ar" / "articles" / ARTICLE / "index.html").read_text()

    article = project / "content" / "articles" / f"{ARTICLE}.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace(f"title: {OLD_TITLE}", f"title: {NEW_TITLE}"), encoding="utf-8")
    wait_until(lambda: json.loads(fetch(url + STATUS_PATH[1:])[1])["build"] == 2, 120, "the rebuild")
    assert NEW_TITLE in fetch(page)[1]

    # A broken article: the problem is reported with its file and line, the last good site stays.
    article.write_text(text.replace("published: 2019-10-17", "published: 2019-10-47"), encoding="utf-8")
    wait_until(lambda: json.loads(fetch(url + STATUS_PATH[1:])[1])["problems"], 120, "the failed rebuild")
    status = json.loads(fetch(url + STATUS_PATH[1:])[1])
    assert status["build"] == 2
    assert f"{ARTICLE}.md:5: published: '2019-10-47' is not an ISO date" in status["problems"][0]
    wait_until(lambda: "Still serving the last good site" in err.text, 10, "the report")
    assert f"{ARTICLE}.md:5: published" in err.text
    code, html = fetch(page)
    assert code == 200 and NEW_TITLE in html

    process.send_signal(signal.SIGINT)  # Ctrl-C
    assert process.wait(timeout=20) == 0
    wait_until(lambda: "Stopped." in out.text, 5, "the goodbye")
    assert "Traceback" not in err.text


def test_a_port_in_use_is_reported(project: Path) -> None:
    first = Preview(project / "site_config.yml", port=0)
    first.start()
    try:
        port = int(first.url.rsplit(":", 1)[1].strip("/"))
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "briefgen",
                "serve",
                "--port",
                str(port),
                "-f",
                str(project / "site_config.yml"),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        first.close()
    assert result.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr


class FakePreview(Preview):
    """A preview whose 'build' writes a one-page site (and the memories, as builds do)."""

    def __init__(self, project: Path, **kwargs) -> None:
        super().__init__(project / "site_config.yml", out=project / "site", **kwargs)
        self.project = project
        self.rebuilds = 0

    def rebuild(self) -> BuildOutcome:
        self.rebuilds += 1
        for folder in ("translations", "events"):
            memory = self.project / "content" / folder / f"{ARTICLE}.yml"
            memory.write_text(
                memory.read_text(encoding="utf-8") + f"\n# build {self.rebuilds}\n", encoding="utf-8"
            )
        self.site_dir.mkdir(exist_ok=True)
        (self.site_dir / "index.html").write_text(
            f"<!doctype html><html><body><h1>build {self.rebuilds}</h1></body></html>", encoding="utf-8"
        )
        self.builds += 1
        self.last = BuildOutcome(self.builds, True, 0.0)
        return self.last


def test_watch_debounces_and_ignores_its_own_writes(project: Path) -> None:
    preview = FakePreview(project, debounce=0.3)
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(stop,), daemon=True)
    watcher.start()
    try:
        time.sleep(0.3)
        article = project / "content" / "articles" / f"{ARTICLE}.md"
        for _ in range(3):  # an editor saving in quick succession
            article.write_text(article.read_text(encoding="utf-8") + "\n", encoding="utf-8")
            time.sleep(0.05)
        wait_until(lambda: preview.rebuilds == 1, 5, "the rebuild")
        # Its own memory writes (translations, events), an editor's swap file, the output: no rebuild.
        (project / "content" / "articles" / f".{ARTICLE}.md.swp").write_text("x")
        time.sleep(1.0)
        assert preview.rebuilds == 1
        (project / "templates" / "strings.yml").touch()
        wait_until(lambda: preview.rebuilds == 2, 5, "the rebuild after a template change")
        (project / "site_config.yml").write_text((project / "site_config.yml").read_text() + "\n")
        wait_until(lambda: preview.rebuilds == 3, 5, "the rebuild after a config change")
    finally:
        stop.set()
        watcher.join(5)
    assert not watcher.is_alive()


def test_the_watch_skips_editor_files_below_its_roots_only(tmp_path: Path) -> None:
    root = tmp_path / ".work" / "content"  # a hidden folder above the project is no reason to skip
    root.mkdir(parents=True)
    config = tmp_path / ".work" / "site_config.yml"
    config.write_text("x")
    keep = source_filter([config, root])
    change = watchfiles.Change.modified
    assert keep(change, str(root / "a.md")) and keep(change, str(root / "articles" / "b.md"))
    assert keep(change, str(config))
    for name in ("a.md~", ".#a.md", ".a.md.swp", "#a.md#", ".a.yml.x1.tmp", ".git/index"):
        assert not keep(change, str(root / name)), name
    assert not keep(change, str(root / ".hidden" / "a.md"))


def test_open_pages_reload_after_a_rebuild_and_show_a_failure(project: Path) -> None:
    require_chromium()
    from playwright.sync_api import sync_playwright

    preview = FakePreview(project, port=0)
    preview.rebuild()
    url = preview.start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url)
            assert page.inner_text("h1") == "build 1"
            page.wait_for_timeout(1500)  # the script has polled once and knows build 1
            preview.rebuild()
            page.wait_for_function("document.querySelector('h1').innerText === 'build 2'", timeout=10_000)
            # A failed rebuild: the page stays, with the problems shown over it.
            preview.last = BuildOutcome(preview.builds, False, 0.0, ["content/articles/x.md:5: bad date"])
            banner = page.locator("#briefgen-serve-problems")
            banner.wait_for(timeout=10_000)
            assert "x.md:5: bad date" in banner.inner_text() and page.inner_text("h1") == "build 2"
            browser.close()
    finally:
        preview.close()


# --- stopping ----------------------------------------------------------------------------------


def forked_children(pid: int) -> list[int]:
    """The processes `pid` forked (same command line): the build's render child."""
    command = Path(f"/proc/{pid}/cmdline").read_bytes()
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if (
                f"\nPPid:\t{pid}\n" in status.read_text()
                and (status.parent / "cmdline").read_bytes() == command
            ):
                found.append(int(status.parent.name))
        except OSError:
            continue  # gone meanwhile
    return found


def alive(pid: int) -> bool:
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


@pytest.fixture(scope="module")
def big_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic project large enough that a build renders its Arabic pages in a forked
    child, built once (cache included) so each serve's first build is a warm one."""
    from briefgen.commands.build import build
    from briefgen.site.render import _fork_context

    if _fork_context() is None:
        pytest.skip("the forked render needs Linux and 2+ cores")
    spec = importlib.util.spec_from_file_location(
        "synthetic", Path(__file__).parents[1] / "benchmarks" / "synthetic.py"
    )
    assert spec and spec.loader
    synthetic = importlib.util.module_from_spec(spec)
    sys.modules["synthetic"] = synthetic  # dataclasses look their module up by name
    spec.loader.exec_module(synthetic)
    project = synthetic.make_project(tmp_path_factory.mktemp("big") / "project", 100, seed=5)
    build(project / "site_config.yml")
    return project


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_serve_stops_within_2_s_of_a_signal_in_the_middle_of_a_rebuild(
    big_project: Path, tmp_path: Path, number: signal.Signals
) -> None:
    project = tmp_path / "project"
    shutil.copytree(big_project, project, symlinks=True)
    process, out, err = start_serving(project, "-v")
    stopped: list[int] = []
    try:
        wait_until(lambda: "Built " in out.text or process.poll() is not None, 120, "the first build")
        assert process.poll() is None, err.text
        article = sorted((project / "content" / "articles").rglob("*.md"))[0]
        article.write_text(article.read_text(encoding="utf-8") + "\nسطر جديد.\n", encoding="utf-8")
        wait_until(lambda: forked_children(process.pid), 120, "the rebuild's render child")
        # Stopped, the child stands for one starved of CPU on a loaded machine: the signal must
        # not wait for it (it took over 20 s under load).
        stopped = forked_children(process.pid)
        for child in stopped:
            os.kill(child, signal.SIGSTOP)
        started = time.monotonic()
        process.send_signal(number)
        code = process.wait(timeout=30)
        seconds = time.monotonic() - started
    finally:
        for child in stopped:
            if alive(child):
                os.kill(child, signal.SIGKILL)
        if process.poll() is None:
            process.kill()
            process.wait()
    assert seconds <= 2.0, f"serve took {seconds:.1f} s to stop"
    assert code == 0, err.text
    wait_until(lambda: "Stopped." in out.text, 5, "the goodbye")
    assert out.text.count("Built ") == 1, "the signal came after the rebuild, not during it"
    assert "Traceback" not in err.text, err.text
    wait_until(lambda: not any(alive(child) for child in stopped), 2, "the render child's end")


def test_a_rebuild_that_the_file_system_refuses_is_named_not_a_traceback(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stands in for any OSError a build does not name itself: the preview reports it as `build` does.
    import briefgen.commands.build

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(project / "content" / "articles"))

    monkeypatch.setattr(briefgen.commands.build, "build", refused)
    outcome = Preview(project / "site_config.yml", out=project / "site", on_build=lambda o: None).rebuild()
    assert not outcome.ok
    [problem] = outcome.problems
    assert problem.startswith("content/articles: permission denied"), problem
    assert "PermissionError" not in problem and "hint:" in problem
