"""A build killed at any point leaves a complete site, no render child alive, and nothing the
next build does not clean; builds at once take turns. Real build processes, killed for real
(the kill points come from tests/fixtures/kill_build/sitecustomize.py, not from briefgen)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import pytest

from tests.conftest import REPO, copy_project
from tests.test_publish_safety import files, foreign_folder, leftovers, run, trashed

KILL_HELPERS = Path(__file__).parent / "fixtures" / "kill_build"
MODES = {"exchange": {}, "two renames": {"BRIEFGEN_NO_EXCHANGE": "1"}}


def kill_env(children: Path, mode: str, kill_at: int = 0, slow_child: float = 0) -> dict[str, str]:
    env = {
        "PYTHONPATH": f"{KILL_HELPERS}{os.pathsep}{REPO}",
        "BRIEFGEN_FORK_RENDER": "1",
        "BRIEFGEN_CHILDREN": str(children),
        **MODES[mode],
    }
    if kill_at:
        env["BRIEFGEN_KILL_AT"] = str(kill_at)
    if slow_child:
        env["BRIEFGEN_SLOW_CHILD"] = str(slow_child)
    return env


def start_build(project: Path, env: dict[str, str], output: int = subprocess.PIPE) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "briefgen", "build"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
        stdout=output,
        stderr=output,
        text=True,
    )


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie is dead, only not yet reaped


def orphans(children: Path) -> list[int]:
    """The forked children of a killed build still alive a moment after it died."""
    pids = [int(line) for line in children.read_text(encoding="ascii").split()] if children.exists() else []
    deadline = time.monotonic() + 1.0
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.02)
    return [pid for pid in pids if alive(pid)]


def assert_complete_after_kill(project: Path, reference: dict[str, bytes], mode: str) -> None:
    site = project / "site"
    if mode == "two renames" and not site.exists():
        # Killed between its two renames: the old site waits beside, and the next build puts it back.
        [aside] = [project / name for name in leftovers(project) if name.startswith(".site.old-")]
        assert files(aside) == reference
        return
    assert files(site) == reference


def assert_next_build_repairs(project: Path, reference: dict[str, bytes], env: dict[str, str]) -> None:
    result = run(project, "build", env=env)
    assert result.returncode == 0, result.stderr
    assert files(project / "site") == reference
    assert leftovers(project) == []
    assert len(trashed(project)) <= 1  # the site it replaced


# Two of the seed articles, one of each campaign: these tests build many times over.
KEPT = ("2016-07-30-qawarsha-pipes-factory", "2020-06-04-aljazeera-tripoli-borders")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "project")
    for folder in ("articles", "translations"):
        for path in (project / "content" / folder).iterdir():
            if path.stem not in KEPT:
                path.unlink()
    result = run(project, "build")
    assert result.returncode == 0 and "Built 2 articles" in result.stdout, result.stderr
    # A rebuild with nothing changed would publish nothing: these tests need the next build
    # to build and publish (briefgen/last_build.py).
    (project / ".briefgen" / "cache" / "last-build.json").unlink()
    return project


@pytest.mark.parametrize("mode", list(MODES))
def test_a_build_killed_before_each_publish_step_leaves_a_complete_site(
    project: Path, tmp_path: Path, mode: str
) -> None:
    reference = files(project / "site")
    points = 0
    for kill_at in range(1, 100):
        children = tmp_path / f"children-{kill_at}"
        # The repairing build below left a record of its site: this one must build.
        (project / ".briefgen" / "cache" / "last-build.json").unlink(missing_ok=True)
        killed = run(project, "build", env=kill_env(children, mode, kill_at))
        if killed.returncode == 0:
            break  # fewer steps than kill_at: every one has been tried
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        points += 1
        assert_complete_after_kill(project, reference, mode)
        assert orphans(children) == []
        assert_next_build_repairs(project, reference, kill_env(tmp_path / "ignored", mode))
    else:
        pytest.fail("the build never got past its kill points")
    print(f"{mode}: killed before each of {points} rename/exchange/rmtree steps")
    # The docs tree's state, the kept partials of the default language (the Arabic ones are
    # saved by the forked child that renders them) and the page cache's, each written then
    # renamed into place; the
    # exchange (or the rename aside and the rename in); the move to the trash; the record of
    # the published site; and the removal of Pagefind's scratch folder of the default language
    # (the Arabic bundle is indexed in a forked child). (The docs folder is no longer emptied: it
    # is kept between builds.)
    assert points == (7 if mode == "exchange" else 8)


def test_a_build_killed_at_any_moment_leaves_a_complete_site_and_no_render_child(
    project: Path, tmp_path: Path
) -> None:
    reference = files(project / "site")
    started = time.monotonic()
    # The render child waits 2 s first: the kill moments fall in its life, and without
    # PR_SET_PDEATHSIG it would outlive the killed build by that much.
    slow = 2.0
    assert_next_build_repairs(project, reference, kill_env(tmp_path / "timing", "exchange", slow_child=slow))
    duration = time.monotonic() - started
    moments = 5
    for moment in range(1, moments + 1):
        children = tmp_path / f"children-{moment}"
        build = start_build(project, kill_env(children, "exchange", slow_child=slow), subprocess.DEVNULL)
        time.sleep(duration * moment / (moments + 1))
        build.send_signal(signal.SIGKILL)
        build.wait()  # not communicate(): that would wait for a child holding the pipes too
        assert files(project / "site") == reference, f"killed at {moment}/{moments + 1} of its run"
        assert orphans(children) == [], f"killed at {moment}/{moments + 1} of its run"
        assert_next_build_repairs(project, reference, {})
    print(f"killed at {moments} moments spread over a {duration:.1f} s build")


def test_two_builds_at_once_take_turns_and_both_succeed(project: Path) -> None:
    reference = files(project / "site")
    first = start_build(project, {})
    # The second starts once the first holds the lock, so that they do overlap.
    holder = project / ".briefgen" / "build.lock.pid"
    deadline = time.monotonic() + 60
    while holder.read_text(encoding="ascii").strip() != str(first.pid) and first.poll() is None:
        assert time.monotonic() < deadline, "the first build never took the lock"
        time.sleep(0.01)
    builds = [first, start_build(project, {})]
    outputs = [build.communicate(timeout=120) for build in builds]
    assert [build.returncode for build in builds] == [0, 0], outputs
    assert f"waiting for build pid {first.pid} to finish" in outputs[1][1], outputs
    assert files(project / "site") == reference and leftovers(project) == []


def hold_lock(project: Path) -> subprocess.Popen[str]:
    """Another process holding the project's build lock until it is killed."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from briefgen.publish.lock import build_lock\n"
            "with build_lock(Path(sys.argv[1]), print):\n    print('held', flush=True); time.sleep(600)",
            str(project / ".briefgen"),
        ],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    return holder


def test_the_lock_of_a_killed_build_is_taken_over(project: Path) -> None:
    reference = files(project / "site")
    holder = hold_lock(project)
    try:
        build = start_build(project, {})
        guard = threading.Timer(60, build.kill)  # never hang the suite on a build that waits silently
        guard.start()
        try:
            assert build.stderr is not None
            assert build.stderr.readline() == f"waiting for build pid {holder.pid} to finish…\n"
            time.sleep(0.5)
            assert build.poll() is None, "it waits while the holder lives"
            holder.send_signal(signal.SIGKILL)
            _, err = build.communicate(timeout=60)
        finally:
            guard.cancel()
        assert build.returncode == 0, err
    finally:
        holder.kill()
        holder.wait()
    assert files(project / "site") == reference and leftovers(project) == []


class Output:
    """A process's stream, read as it comes (a thread), so tests can wait for a line."""

    def __init__(self, stream: IO[str]) -> None:
        self.text = ""
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.text += line

    def wait_for(self, words: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while words not in self.text:
            assert time.monotonic() < deadline, f"no {words!r} in {self.text!r}"
            time.sleep(0.05)


def start_serve(project: Path, *options: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "briefgen", "serve", "--port", "0", *options],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_serve_rebuild_waits_for_the_build_holding_the_lock(project: Path) -> None:
    reference = files(project / "site")
    holder = hold_lock(project)
    serve = start_serve(project)
    try:
        assert serve.stdout is not None and serve.stderr is not None
        out, err = Output(serve.stdout), Output(serve.stderr)
        err.wait_for(f"waiting for build pid {holder.pid} to finish")
        time.sleep(0.5)
        assert "Built " not in out.text
        holder.send_signal(signal.SIGKILL)
        out.wait_for("Built 2 articles")
        assert files(project / "site") == reference and leftovers(project) == []
        serve.send_signal(signal.SIGINT)
        assert serve.wait(timeout=20) == 0
    finally:
        for process in (holder, serve):
            process.kill()
            process.wait()


def test_serve_takes_force_too(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    foreign_folder(project / "site")
    serve = start_serve(project, "--force")
    try:
        assert serve.stdout is not None and serve.stderr is not None
        out, err = Output(serve.stdout), Output(serve.stderr)
        out.wait_for("Built 5 articles")
        assert (project / "site" / ".briefgen-site").is_file() and not (project / "site" / "notes").exists()
        serve.send_signal(signal.SIGINT)
        assert serve.wait(timeout=20) == 0, err.text
    finally:
        serve.kill()
        serve.wait()
