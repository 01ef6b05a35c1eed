"""Every I/O failure is a message (issue 11 §4), through the real command line.

Files and folders briefgen may not read or write, and names too long for the file system:
`briefgen check` and `briefgen build` name the file or folder at fault and what to do,
exit 1, never print a traceback, and a failed build leaves the site and the content as
they were. The permission cases run the CLI in a subprocess without root's power over
permission bits (`tests/unprivileged.py`), so that they mean the same under CI as root.

Case → test:
  unreadable article, memory, gazetteer, templates, site_config.yml . test_unreadable_input_is_named
  unreadable content/translations/, content/articles/, a sub-folder .. test_unreadable_input_is_named
  a file where content/translations/ should be ...................... ...[translations-folder-is-a-file]
  a sub-folder's articles are not silently dropped ................... ...[articles-sub-folder]
  read-only project (.briefgen/ cannot be made) ...................... test_unwritable_folder_is_named
  read-only content/translations/ (a memory cannot be saved) ......... test_unwritable_folder_is_named
  read-only .briefgen/ and its cache ................................. test_unwritable_folder_is_named
  any other OSError (EROFS, ENOSPC, ENAMETOOLONG, EMFILE, …) ......... test_any_os_error_is_a_message
  slugs too long (240, 252 characters) ......... test_bad_input_matrix BAD_INPUTS slug-too-long-*
  a slug as long as the file system allows builds .................... test_the_longest_slug_builds
  briefgen new --slug too long ................. test_bad_input_matrix test_new_refuses_a_bad_slug
  briefgen new into a read-only articles folder ...... test_new_into_a_read_only_articles_folder_is_named
  briefgen new --body-file that is not UTF-8 ......... test_new_with_a_body_that_is_not_utf8_is_named
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.commands import build as build_command
from briefgen.config import SiteConfig, load_config
from briefgen.readers import SLUG_NAME_EXTRA, max_slug_length, slug_file_names
from tests.conftest import REPO, copy_project
from tests.unprivileged import denied, run_unprivileged, unprivileged

SEED = "2016-11-19-alhayat-qawarsha"
ARTICLE = f"content/articles/{SEED}.md"
MEMORY = f"content/translations/{SEED}.yml"


def briefgen(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m briefgen ARGS` in `project`, as a user without root's permission override."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return run_unprivileged([sys.executable, "-m", "briefgen", *args], cwd=project, env=env)


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_message(result: subprocess.CompletedProcess[str], where: str, message: str, hint: str) -> None:
    """Exit 1, no traceback, and a problem line `where: message…` followed by a hint with `hint`."""
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output, output
    lines = output.splitlines()
    found = [i for i, line in enumerate(lines) if line.strip().startswith(f"{where}: {message}")]
    assert found, f"no problem {where}: {message}…\n{output}"
    following = lines[found[0] + 1] if found[0] + 1 < len(lines) else ""
    assert following.strip().startswith("hint:") and hint in following, output


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed project, built once; every case breaks a copy of it."""
    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    result = CliRunner().invoke(cli, ["build", "--config", str(project / "site_config.yml")])
    assert result.exit_code == 0, result.output
    return project


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built, tmp_path / "project", symlinks=True))


def test_the_helper_really_takes_away_roots_override(tmp_path: Path) -> None:
    """Without this, every permission test below could pass as root without testing anything."""
    closed = tmp_path / "closed"
    closed.write_text("secret")
    with denied(closed, 0o000):
        for use_setpriv in (True, False):
            command = unprivileged([sys.executable, "-c", f"open({str(closed)!r}).read()"], use_setpriv)
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            assert result.returncode != 0 and "PermissionError" in result.stderr, (use_setpriv, result)


# --- files and folders that cannot be read: check and build both say which, and why -----------


def sub_folder(project: Path) -> Path:
    """Move the seed article into a sub-folder of its own (the one to close)."""
    folder = project / "content" / "articles" / "older"
    folder.mkdir()
    (project / ARTICLE).rename(folder / f"{SEED}.md")
    return folder


def file_for_folder(project: Path) -> Path:
    """Put a file where the translation memories' folder belongs."""
    folder = project / "content" / "translations"
    shutil.rmtree(folder)
    folder.write_text("not a folder\n")
    return folder


@dataclass(frozen=True)
class Unreadable:
    id: str
    target: Callable[[Path], Path]  # what to close, in a copy of the project
    mode: int
    where: str  # the path the problem names
    message: str
    hint: str


def at(relative: str) -> Callable[[Path], Path]:
    return lambda project: project / relative


UNREADABLE = [
    Unreadable(
        "article", at(ARTICLE), 0o000, ARTICLE, "permission denied: cannot read this file", "chmod u+r"
    ),
    Unreadable("memory", at(MEMORY), 0o000, MEMORY, "permission denied: cannot read this file", "chmod u+r"),
    Unreadable(
        "gazetteer",
        at("content/gazetteer.yml"),
        0o000,
        "content/gazetteer.yml",
        "permission denied: cannot read this file",
        "chmod u+r",
    ),
    Unreadable(
        "translations-folder",
        at("content/translations"),
        0o000,
        "content/translations",
        "permission denied: cannot open this folder",
        "chmod u+rx",
    ),
    Unreadable(
        # Readable but not searchable: its list of names, but none of its files.
        "translations-folder-not-searchable",
        at("content/translations"),
        0o600,
        "content/translations",
        "permission denied: cannot open this folder",
        "chmod u+rx",
    ),
    Unreadable(
        "translations-folder-is-a-file",
        file_for_folder,
        0o644,
        "content/translations",
        "a file is where a folder should be",
        "move the file away",
    ),
    Unreadable(
        "articles-folder",
        at("content/articles"),
        0o000,
        "content/articles",
        "permission denied: cannot read this folder",
        "chmod u+rx",
    ),
    Unreadable(
        "articles-sub-folder",
        sub_folder,
        0o000,
        "content/articles/older",
        "permission denied: cannot read this folder",
        "chmod u+rx",
    ),
    Unreadable(
        "template",
        at("templates/pages/article.md.j2"),
        0o000,
        "templates/pages/article.md.j2",
        "permission denied: cannot read this file",
        "chmod u+r",
    ),
    Unreadable(
        "templates-sub-folder",
        at("templates/overrides"),
        0o000,
        "templates/overrides",
        "permission denied: cannot read this folder",
        "chmod u+rx",
    ),
    Unreadable(
        "strings",
        at("templates/strings.yml"),
        0o000,
        "templates/strings.yml",
        "permission denied: cannot read this file",
        "chmod u+r",
    ),
    Unreadable(
        "site-config",
        at("site_config.yml"),
        0o000,
        "site_config.yml",
        "permission denied: cannot read this file",
        "chmod u+r",
    ),
]


@pytest.mark.parametrize("case", UNREADABLE, ids=[c.id for c in UNREADABLE])
def test_unreadable_input_is_named(project: Path, case: Unreadable) -> None:
    target = case.target(project)
    site_before, content_before = tree(project / "site"), tree(project / "content")
    with denied(target, case.mode):
        checked = briefgen(project, "check")
        built = briefgen(project, "build")
    assert_message(checked, case.where, case.message, case.hint)
    assert_message(built, case.where, case.message, case.hint)
    # Not silently left out: no article goes missing and its memory is no "orphan".
    assert "does not exist" not in built.stderr, built.stderr
    assert tree(project / "site") == site_before
    assert tree(project / "content") == content_before, "a failed build must not rewrite any content"
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site")], "staging left behind"


# --- folders that cannot be written: the build names the folder and writes nothing half ---------


@dataclass(frozen=True)
class Unwritable:
    id: str
    prepare: Callable[[Path], None]  # make the build need to write there
    target: str  # the folder made read-only ("" for the project)
    where: str  # the path the problem names ("{project}" for the project's own path)
    message: str


def remove(*relatives: str) -> Callable[[Path], None]:
    def prepare(project: Path) -> None:
        for relative in relatives:
            path = project / relative
            shutil.rmtree(path) if path.is_dir() else path.unlink()

    return prepare


UNWRITABLE = [
    Unwritable(
        "read-only-project",
        remove(".briefgen"),
        "",
        "{project}",
        "permission denied: cannot create '.briefgen' in this folder",
    ),
    Unwritable(
        # The article is new to the memory: its entries must be saved, and cannot be.
        "read-only-translations",
        remove(MEMORY, ".briefgen"),
        "content/translations",
        "content/translations",
        "permission denied: cannot create files in this folder",
    ),
    Unwritable(
        "read-only-cache",
        remove(f".briefgen/cache/articles/{SEED}.pickle"),
        ".briefgen/cache/articles",
        ".briefgen/cache/articles",
        "permission denied: cannot create files in this folder",
    ),
    Unwritable(
        "read-only-work-folder",
        lambda project: None,
        ".briefgen",
        ".briefgen",
        # The docs tree is kept between builds (only changed pages are written): the first
        # write into the folder itself is the docs tree's state.
        "permission denied: cannot create files in this folder",
    ),
]


@pytest.mark.parametrize("case", UNWRITABLE, ids=[c.id for c in UNWRITABLE])
def test_unwritable_folder_is_named(project: Path, case: Unwritable) -> None:
    case.prepare(project)
    site_before, content_before = tree(project / "site"), tree(project / "content")
    cache = project / ".briefgen" / "cache"
    cache_before = tree(cache) if cache.exists() else None
    with denied(project / case.target, 0o555):
        checked = briefgen(project, "check")
        built = briefgen(project, "build")
    assert checked.returncode == 0, checked.stderr  # check writes nothing: it has nothing to say
    where = case.where.format(project=project.resolve())
    assert_message(built, where, case.message, "chmod u+w")
    assert tree(project / "site") == site_before
    assert tree(project / "content") == content_before, "nothing half-written in the content"
    if cache_before is None:
        # The build lock is taken first; nothing else may be left in briefgen's working folder.
        work = project / ".briefgen"
        assert not work.exists() or {p.name for p in work.iterdir()} <= {"build.lock", "build.lock.pid"}
    else:
        assert tree(cache) == cache_before
    assert not [p.name for p in project.rglob("*.tmp")], "temporary files left behind"
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site")], "staging left behind"


# --- whatever else the system refuses: the CLI's backstop --------------------------------------


@pytest.mark.parametrize(
    ("code", "message", "hint"),
    [
        pytest.param(*case, id=errno.errorcode[case[0]])
        for case in [
            (errno.EROFS, "the file system is read-only: cannot write here", "remount the disk read-write"),
            (errno.ENOSPC, "no space left on the disk", "free some space"),
            (errno.EDQUOT, "disk quota exceeded", "free some space"),
            (errno.ENAMETOOLONG, "file name too long for the file system", "shorten the file name (at most"),
            (errno.EMFILE, "too many open files", "ulimit -n"),
            (errno.EIO, "input/output error", "check it (dmesg)"),
        ]
    ],
)
def test_any_os_error_is_a_message(
    project: Path, monkeypatch: pytest.MonkeyPatch, code: int, message: str, hint: str
) -> None:
    name = "x" * 300 if code == errno.ENAMETOOLONG else "index.md"
    failing = project / ".briefgen" / "docs" / name

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code), str(failing))

    monkeypatch.setattr(build_command, "save_memories", fail)
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, OSError) and "Traceback" not in result.output
    shown = ".briefgen/docs" if code in (errno.EROFS, errno.ENAMETOOLONG) else f".briefgen/docs/{name}"
    assert f"  {shown}: {message}" in result.output, result.output
    assert "hint:" in result.output and hint in result.output, result.output


def test_an_os_error_without_a_file_is_a_message(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EMFILE, os.strerror(errno.EMFILE))

    monkeypatch.setattr(build_command, "save_memories", fail)
    result = CliRunner().invoke(cli, ["build", "--config", str(project / "site_config.yml")])
    assert result.exit_code == 1 and not isinstance(result.exception, OSError), result.output
    assert "  too many open files\n    hint: raise the limit of open files (ulimit -n" in result.output


# --- names too long for the file system ----------------------------------------------------------


def test_the_slug_limit_counts_the_longest_derived_name(project: Path) -> None:
    assert len(".x.pickle.XXXXXXXX.tmp") - 1 == SLUG_NAME_EXTRA  # the cache entry's temporary file
    assert max(slug_file_names("s"), key=len) == ".s.pickle.XXXXXXXX.tmp"
    assert max_slug_length(config_of(project)) == os.pathconf(project, "PC_NAME_MAX") - SLUG_NAME_EXTRA


def config_of(project: Path) -> SiteConfig:
    return load_config(project / "site_config.yml")


def test_the_longest_slug_builds(project: Path) -> None:
    """At the limit every name briefgen derives fits: the build succeeds and writes them all."""
    slug = "a" * max_slug_length(config_of(project))
    shutil.copy(project / ARTICLE, project / "content" / "articles" / f"{slug}.md")
    text = (project / ARTICLE).read_text(encoding="utf-8").replace("title:", "title: نسخة", 1)
    (project / "content" / "articles" / f"{slug}.md").write_text(text, encoding="utf-8")
    result = briefgen(project, "check")
    assert result.returncode == 0, result.stderr
    result = briefgen(project, "build")
    assert result.returncode == 0, result.stderr
    assert (project / "content" / "translations" / f"{slug}.yml").is_file()
    assert (project / ".briefgen" / "cache" / "articles" / f"{slug}.pickle").is_file()
    assert (project / "site" / "articles" / slug / "index.html").is_file()
    assert (project / "site" / "ar" / "articles" / slug / "index.html").is_file()


def test_new_into_a_read_only_articles_folder_is_named(project: Path) -> None:
    before = sorted(p.name for p in (project / "content" / "articles").iterdir())
    with denied(project / "content" / "articles", 0o555):
        result = briefgen(project, "new", "--title", "عنوان", "--date", "2019-04-05", "--source", "Wire")
    assert_message(
        result,
        "content/articles",
        "permission denied: cannot create '2019-04-05-anwan.md' in this folder",
        "chmod u+w",
    )
    assert sorted(p.name for p in (project / "content" / "articles").iterdir()) == before


def test_new_with_a_body_that_is_not_utf8_is_named(project: Path, tmp_path: Path) -> None:
    """It was a UnicodeDecodeError traceback (click decoded the file outside briefgen)."""
    body = tmp_path / "body.txt"
    body.write_bytes("نص المقال.".encode("cp1256"))
    before = sorted(p.name for p in (project / "content" / "articles").iterdir())
    args = ["new", "--title", "عنوان", "--date", "2019-04-05", "--source", "Wire"]
    for source, given in ((str(body), None), ("-", body.read_bytes())):
        result = CliRunner().invoke(
            cli, [*args, "--body-file", source, "--config", str(project / "site_config.yml")], input=given
        )
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
        shown = str(body) if given is None else "<stdin>"
        assert (
            f"  {shown}:1: not valid UTF-8" in result.output
            and "hint: re-save the file as UTF-8" in result.output
        )
    assert sorted(p.name for p in (project / "content" / "articles").iterdir()) == before
