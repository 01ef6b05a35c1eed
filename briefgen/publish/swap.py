"""Putting a staged site where the old one is, so that every state on the way, even one a
`kill -9` leaves, still has a complete site in the output folder.

On Linux the staged folder and the site are exchanged in one system call
(`renameat2(RENAME_EXCHANGE)`); the old site, now under the staged folder's name, then goes
to the trash. Elsewhere, or on a file system that cannot exchange, the old site is renamed
aside and the new one renamed in: killed between the two, the site is missing until the next
build, which puts the old one back (`repair`) before it does anything else.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from briefgen.publish.target import MARKER, MARKER_TEXT, is_briefgen_site, is_empty_folder

AT_FDCWD = -100
RENAME_EXCHANGE = 1 << 1


def _load_renameat2() -> Callable[..., int] | None:
    if sys.platform != "linux":
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28 and later
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _load_renameat2()


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths atomically; False where this system or file system cannot."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def staging_name(site_dir: Path) -> str:
    return f".{site_dir.name}.tmp-"


def aside_name(site_dir: Path) -> str:
    return f".{site_dir.name}.old-"


def make_staging(site_dir: Path) -> Path:
    """A new folder beside `site_dir` to build the site in, marked as briefgen's. Made with
    mkdir's ordinary mode under the umask (not mkdtemp's 0700), so the published site is
    readable by a web server running as another user."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    while True:
        path = site_dir.with_name(f"{staging_name(site_dir)}{os.getpid()}-{secrets.token_hex(4)}")
        try:
            path.mkdir()
        except FileExistsError:
            continue
        # mkdocs keeps dot files when it cleans its site_dir, so the marker survives the build.
        (path / MARKER).write_bytes(MARKER_TEXT)
        return path


def discard(folder: Path, trash: Path | None, site_dir: Path) -> None:
    """Move a site briefgen built for `site_dir` to the trash for the next build to delete
    (`empty_trash`); without a trash, or where the move fails (another file system), delete it now."""
    if trash is not None:
        try:
            trash.mkdir(parents=True, exist_ok=True)
            folder.rename(trash / f"{site_dir.name}-{os.getpid()}-{time.time_ns()}")
            return
        except OSError:
            pass
    shutil.rmtree(folder)


def publish(staging: Path, site_dir: Path, trash: Path | None) -> bool:
    """Put `staging` where `site_dir` is. The old site goes to the trash if briefgen built it;
    anything else there (replaced under --force) is deleted outright once the new site is in
    place. Returns whether such a foreign folder was deleted."""
    if not os.path.lexists(site_dir):
        staging.rename(site_dir)  # the first build: nothing to keep complete
        return False
    ours = is_briefgen_site(site_dir) or is_empty_folder(site_dir)
    if exchange(staging, site_dir):
        old = staging
    else:
        old = site_dir.with_name(f"{aside_name(site_dir)}{os.getpid()}")
        site_dir.rename(old)
        staging.rename(site_dir)
    if ours:
        discard(old, trash, site_dir)
    else:
        shutil.rmtree(old)
    return not ours


def repair(site_dir: Path, trash: Path | None) -> None:
    """Undo what a killed build left beside `site_dir`: put back an old site renamed aside
    whose replacement never arrived, and discard leftover staging and old folders, but only
    those briefgen made (marked, or empty)."""
    parent = site_dir.parent
    if not parent.is_dir():
        return
    aside = sorted(
        (p for p in parent.iterdir() if p.name.startswith(aside_name(site_dir)) and p.is_dir()),
        key=lambda p: p.stat().st_mtime_ns,
    )
    if aside and not os.path.lexists(site_dir):
        aside.pop().rename(site_dir)
    staged = [p for p in parent.iterdir() if p.name.startswith(staging_name(site_dir)) and p.is_dir()]
    for leftover in [*aside, *staged]:
        if is_briefgen_site(leftover) or is_empty_folder(leftover):
            discard(leftover, trash, site_dir)


# Run as a separate process: deleting uses no CPU worth having, and a thread would have to
# wait for the GIL between each of its thousands of system calls.
_EMPTY_TRASH = "import shutil, sys\nfor path in sys.argv[1:]:\n    shutil.rmtree(path, ignore_errors=True)"


def empty_trash(trash: Path) -> subprocess.Popen[bytes] | None:
    """Start deleting the old sites earlier builds left in `trash`; returns the process to wait for.

    Deleting a site of a few thousand pages waits on the disk for seconds (mounts with
    `discard` most), which a build would otherwise spend doing nothing at its very end; this
    way it overlaps the next build's work instead."""
    leftovers = sorted(str(p) for p in trash.iterdir()) if trash.is_dir() else []
    if not leftovers:
        return None
    return subprocess.Popen(
        [sys.executable, "-c", _EMPTY_TRASH, *leftovers],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
