"""Run a command as an ordinary user would meet permission bits, even when the tests run as root.

Root ignores permission bits (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so a test that makes
a file unreadable with chmod proves nothing under CI, which runs as root. `unprivileged`
prefixes a command so that it runs without those two capabilities: with util-linux'
`setpriv` when it is installed, else through a small Python shim that drops them from the
bounding set (prctl PR_CAPBSET_DROP) and then execs the command, which leaves it unable
to regain them. Not root: the command runs as it is, and chmod works as it always does.

    subprocess.run(unprivileged([sys.executable, "-m", "briefgen", "check"]), ...)

`denied(path, mode)` sets a mode for the length of a `with` block and restores it, so
that pytest can delete the temporary folder afterwards even when not root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

# The two capabilities that let root read, write and search whatever the mode bits say.
CAPABILITIES = {"dac_override": 1, "dac_read_search": 2}

_SHIM = """\
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
PR_CAPBSET_DROP = 24
for capability in map(int, sys.argv[1].split(",")):
    if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
        raise SystemExit(f"prctl(PR_CAPBSET_DROP, {capability}): {os.strerror(ctypes.get_errno())}")
os.execvp(sys.argv[2], sys.argv[2:])
"""


def unprivileged(command: Sequence[str], use_setpriv: bool = True) -> list[str]:
    """`command`, prefixed so that it runs without root's power over permission bits
    (`use_setpriv=False`: through the prctl shim even where setpriv is installed)."""
    if os.geteuid() != 0:
        return list(command)
    setpriv = shutil.which("setpriv") if use_setpriv else None
    if setpriv:
        drop = ",".join(f"-{name}" for name in CAPABILITIES)
        return [setpriv, f"--bounding-set={drop}", "--", *command]
    numbers = ",".join(str(number) for number in CAPABILITIES.values())
    return [sys.executable, "-c", _SHIM, numbers, *command]


def run_unprivileged(
    command: Sequence[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run `command` (see `unprivileged`) in `cwd`, capturing its output as text."""
    return subprocess.run(
        unprivileged(command),
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@contextmanager
def denied(path: Path, mode: int) -> Iterator[Path]:
    """`path` with `mode` (e.g. 0o000, 0o555) inside the block, its own mode again after it."""
    before = path.stat().st_mode & 0o7777
    path.chmod(mode)
    try:
        yield path
    finally:
        path.chmod(before)
