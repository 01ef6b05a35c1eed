"""File system failures as briefgen problems: which file or folder, what went wrong, what to do.

Every `OSError` briefgen can meet (a file it may not read, a folder it may not write, a
full disk, a name too long) becomes a `Problem` here, worded by briefgen, never Python's
traceback. The readers use it where they read, so that `check` reports every unreadable
file in one pass; the command line uses it as a backstop for whatever else fails.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from briefgen.errors import BriefgenError, Problem

# Most Linux and macOS file systems allow 255 bytes in a name; used when the system won't say.
DEFAULT_NAME_MAX = 255

# What each errno means, in briefgen's words, and what to do about it.
_MEANING = {
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "no space left on the disk",
    errno.EDQUOT: "disk quota exceeded",
    errno.ENAMETOOLONG: "file name too long for the file system",
    errno.EMFILE: "too many open files",
    errno.ENFILE: "too many open files on the system",
    errno.ENOENT: "not found",
    errno.ENOTDIR: "a file is where a folder should be",
    errno.EISDIR: "a folder is where a file should be",
    errno.ELOOP: "too many levels of symbolic links",
    errno.EIO: "input/output error",
    errno.EBUSY: "busy",
    errno.ETXTBSY: "busy",
    errno.EXDEV: "on another file system",
    errno.ENOTEMPTY: "the folder is not empty",
    errno.EEXIST: "already exists",
}

_HINT = {
    errno.EROFS: "remount the disk read-write, or work on a copy of the project on a writable disk",
    errno.ENOSPC: "free some space (df -h .) and try again; a failed build leaves the previous site in place",
    errno.EDQUOT: "free some space or ask for a larger quota, then try again",
    errno.EMFILE: "raise the limit of open files (ulimit -n 4096) and try again",
    errno.ENFILE: "close other programs, or raise the system's limit of open files, and try again",
    errno.ENOENT: "was it moved or deleted while briefgen ran? check the path and try again",
    errno.ENOTDIR: "move the file away or rename it: briefgen keeps a folder there",
    errno.EISDIR: "move the folder away or rename it",
    errno.EEXIST: "something else is in the way (a file where a folder belongs?): move it away",
    errno.ELOOP: "a symbolic link points back at itself: fix or remove it (ls -l)",
    errno.EIO: "the disk reported an error: check it (dmesg), and copy the project to another disk",
    errno.EBUSY: "close the program that holds it and try again",
    errno.ETXTBSY: "close the program that holds it and try again",
}

_PERMISSION = (errno.EACCES, errno.EPERM)


def _meaning(error: OSError) -> str:
    if error.errno in _MEANING:
        return _MEANING[error.errno]
    return (error.strerror or str(error)).lower()


def shown_path(path: Path | str, root: Path | None = None) -> Path:
    """`path` as messages name it: relative to `root` (default: the working folder) when inside it."""
    base, absolute = Path(os.path.abspath(root or ".")), Path(os.path.abspath(path))
    for inside, folder in ((absolute, base), (absolute.resolve(), base.resolve())):
        if inside.is_relative_to(folder):
            relative = inside.relative_to(folder)
            return relative if relative.parts else folder  # "." names no folder a reader knows
    return Path(path)


def root_of(path: Path, shown: Path | None) -> Path | None:
    """The folder that `shown`, the name messages give `path`, is relative to (None: not known)."""
    if shown is None or shown.is_absolute():
        return None
    count = len(shown.parts)
    if count > len(path.parts) or path.parts[len(path.parts) - count :] != shown.parts:
        return None
    return Path(*path.parts[: len(path.parts) - count])


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _exists(path: Path) -> bool:
    try:
        path.lstat()
    except OSError:
        return False
    return True


_WRITE_HINT = "check its permissions (ls -ld; chmod u+w), or work on a copy you can write to"


def _permission_problem(path: Path, meaning: str, root: Path | None) -> Problem:
    """Which file or folder refuses, found by asking the system for each along the path."""
    absolute = Path(os.path.abspath(path))
    for folder in reversed(absolute.parents):  # "/" first: the highest closed folder is the cause
        if _is_dir(folder) and not os.access(folder, os.X_OK):
            return Problem(
                "permission denied: cannot open this folder",
                path=shown_path(folder, root),
                hint="check its permissions (ls -ld; chmod u+rx)",
            )
    shown = shown_path(absolute, root)
    if _is_dir(absolute) and not os.access(absolute, os.R_OK | os.X_OK):
        return Problem(
            "permission denied: cannot read this folder",
            path=shown,
            hint="check its permissions (ls -ld; chmod u+rx)",
        )
    if _is_dir(absolute) and not os.access(absolute, os.W_OK):
        return Problem("permission denied: cannot write in this folder", path=shown, hint=_WRITE_HINT)
    if _exists(absolute) and not os.access(absolute, os.R_OK):
        return Problem(
            "permission denied: cannot read this file",
            path=shown,
            hint="check its permissions (ls -l; chmod u+r)",
        )
    if _exists(absolute) and not _is_dir(absolute) and not os.access(absolute, os.W_OK):
        return Problem(
            "permission denied: cannot write this file",
            path=shown,
            hint="check its permissions (ls -l; chmod u+w), or work on a copy you can write to",
        )
    if not os.access(absolute.parent, os.W_OK):
        # Making, deleting or renaming an entry takes its folder's permission, not its own.
        return _entry_problem(absolute, "permission denied", root)
    # The mode bits allow it: an attribute (chattr +i), a sticky folder, a security module.
    return Problem(meaning, path=shown, hint="check its permissions and its folder's (ls -ld; lsattr)")


def _entry_problem(absolute: Path, meaning: str, root: Path | None, hint: str | None = None) -> Problem:
    """A file or folder that could not be made, deleted or renamed: name the folder it is in."""
    name = absolute.name
    # A temporary file's random name says nothing to the user.
    if name.startswith(".") and name.endswith(".tmp"):
        what = "create files"
    elif _exists(absolute):
        what = f"delete or rename {name!r}"
    else:
        what = f"create {name!r}"
    return Problem(
        f"{meaning}: cannot {what} in this folder",
        path=shown_path(absolute.parent, root),
        hint=hint or _WRITE_HINT,
    )


def os_error_problem(error: OSError, root: Path | None = None) -> Problem:
    """`error` as a problem naming the file or folder at fault, with what to do about it.

    `root` is the folder paths are shown relative to (default: the working folder).
    """
    if error.errno is None and error.args and isinstance(error.args[0], list) and error.args[0]:
        # shutil.Error: (source, destination, why) for every file a copy failed on
        source, _, why = error.args[0][0]
        return Problem(f"cannot copy: {why}", path=shown_path(source, root))
    filename = error.filename
    if isinstance(filename, bytes):
        filename = os.fsdecode(filename)
    if not isinstance(filename, str) or not filename:
        hint = _HINT.get(error.errno or 0)
        return Problem(_meaning(error), hint=hint)
    path = Path(filename)
    if error.errno in _PERMISSION:
        return _permission_problem(path, _meaning(error), root)
    if error.errno == errno.ENAMETOOLONG:
        limit = name_max(path.parent)
        length = len(os.fsencode(path.name))
        if length <= limit:  # the whole path is too long, not its last name
            return Problem(
                f"path too long for the file system ({len(os.fsencode(filename))} bytes)",
                path=shown_path(path, root),
                hint="move the project to a folder with a shorter path, or shorten its folder names",
            )
        return Problem(
            f"file name too long for the file system ({length} bytes)",
            path=shown_path(path.parent, root),
            hint=f"shorten the file name (at most {limit} bytes on this file system)",
        )
    absolute = Path(os.path.abspath(path))
    if error.errno == errno.ENOTDIR:
        # Name the file that stands where a folder on the path should be.
        blocking = next((f for f in reversed(absolute.parents) if _exists(f) and not _is_dir(f)), absolute)
        return Problem(_meaning(error), path=shown_path(blocking, root), hint=_HINT[errno.ENOTDIR])
    if error.errno == errno.EROFS:
        where = absolute if _exists(absolute) else absolute.parent
        return Problem(
            f"{_meaning(error)}: cannot write here", path=shown_path(where, root), hint=_HINT[errno.EROFS]
        )
    return Problem(_meaning(error), path=shown_path(path, root), hint=_HINT.get(error.errno or 0))


@contextmanager
def reporting_os_errors(root: Path | None = None) -> Iterator[None]:
    """Raise any `OSError` in the block as a `BriefgenError` (see `os_error_problem`)."""
    try:
        yield
    except OSError as error:
        raise BriefgenError(os_error_problem(error, root)) from None


def read_bytes(path: Path, root: Path | None = None) -> bytes:
    with reporting_os_errors(root):
        return path.read_bytes()


def read_optional(path: Path, root: Path | None = None) -> bytes | None:
    """The file's bytes, or None when there is no such file; any other failure is a problem."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise BriefgenError(os_error_problem(error, root)) from None


def exists(path: Path, root: Path | None = None) -> bool:
    """Whether `path` exists; a folder on its way that may not be opened is a problem, not a no."""
    try:
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as error:
        raise BriefgenError(os_error_problem(error, root)) from None
    return True


def is_dir(path: Path, root: Path | None = None) -> bool:
    """Whether `path` is a folder, as `exists` says whether it exists."""
    try:
        return path.is_dir()
    except OSError as error:
        raise BriefgenError(os_error_problem(error, root)) from None


def is_file(path: Path, root: Path | None = None) -> bool:
    """Whether `path` is a file, as `exists` says whether it exists."""
    try:
        return path.is_file()
    except OSError as error:
        raise BriefgenError(os_error_problem(error, root)) from None


def _dangling(path: Path) -> bool:
    """A symbolic link to nothing (which `rglob` and `is_file` pass over too)."""
    try:
        path.stat()
    except FileNotFoundError:
        return True
    except OSError:
        return False  # there, but closed to us: reading it reports why
    return False


def walk_files(directory: Path, root: Path | None = None) -> list[Path]:
    """Every file under `directory`, sorted; raise naming every folder that cannot be listed.

    (`Path.rglob` and `os.walk` skip such a folder silently, and with it what it holds.)
    Symbolic links to folders are not followed, as `rglob` does not."""
    problems: list[Problem] = []
    found: list[Path] = []

    def refuse(error: OSError) -> None:
        problems.append(os_error_problem(error, root))

    for folder, _, files in os.walk(directory, onerror=refuse):
        found += (path for name in files if not _dangling(path := Path(folder) / name))
    if problems:
        raise BriefgenError(list(dict.fromkeys(problems)))
    return sorted(found)


def unreadable_files(directory: Path, root: Path | None = None) -> list[Problem]:
    """A problem for every file or folder under `directory` that cannot be read."""
    try:
        files = walk_files(directory, root)
    except BriefgenError as exc:
        return exc.problems
    problems = []
    for path in files:
        try:
            with path.open("rb"):
                pass
        except OSError as error:
            problems.append(os_error_problem(error, root))
    return problems


def name_max(directory: Path) -> int:
    """The longest file name, in bytes, the file system holding `directory` allows."""
    folder = Path(os.path.abspath(directory))
    while not _is_dir(folder) and folder != folder.parent:
        folder = folder.parent  # not made yet: its file system is its nearest existing parent's
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError):
        return DEFAULT_NAME_MAX
