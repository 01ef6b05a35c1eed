"""One build of a project at a time: a lock file in `.briefgen/`.

The lock is `flock`ed (filelock), so the kernel releases it when its holder dies however it
dies: a killed build's lock is simply taken by the next one. The holder writes its process id
beside it, for the message of a build that has to wait.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import filelock

from briefgen.errors import BriefgenError
from briefgen.fileio import os_error_problem

LOCK_NAME = "build.lock"
HOLDER_NAME = "build.lock.pid"


def lock_holder(cache_dir: Path) -> int | None:
    """The process id the holder of the lock wrote, if that process is alive."""
    try:
        pid = int((cache_dir / HOLDER_NAME).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)  # an earlier holder's pid, left there by one that has just taken the lock?
    except PermissionError:
        return pid  # alive, another user's
    except (OSError, OverflowError):
        return None
    return pid


@contextmanager
def build_lock(cache_dir: Path, on_wait: Callable[[str], None]) -> Iterator[None]:
    """Hold the project's build lock for the body; if another build holds it, say so once
    (through `on_wait`) and wait for it."""
    lock = filelock.FileLock(cache_dir / LOCK_NAME, mode=0o666)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        try:
            lock.acquire(timeout=0)
        except filelock.Timeout:
            holder = lock_holder(cache_dir)
            on_wait(
                f"waiting for build pid {holder} to finish"
                if holder
                else "waiting for another build to finish"
            )
            lock.acquire()
        (cache_dir / HOLDER_NAME).write_text(f"{os.getpid()}\n", encoding="ascii")
    except OSError as exc:
        if lock.is_locked:
            lock.release()
        # Named as every other file system failure is (the folder at fault, what to do).
        raise BriefgenError(os_error_problem(exc, cache_dir.parent)) from None
    try:
        yield
    finally:
        lock.release()
