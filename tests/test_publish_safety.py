"""Publishing safety (issue 11): the output folder is briefgen's alone, one build at a time,
a site that is never missing or half-built, ordinary modes, and read-only targets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_project

PYTHON = sys.executable


def run(
    project: Path,
    *args: str,
    env: dict[str, str] | None = None,
    umask: int | None = None,
    unprivileged: bool = False,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """The real CLI in another process, from the project folder. `unprivileged`: without the
    capabilities that let root ignore permission bits, so that a read-only folder is one."""
    command = [PYTHON, "-m", "briefgen", *args]
    if unprivileged and os.geteuid() == 0:
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]
    return subprocess.run(
        command,
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        preexec_fn=None if umask is None else (lambda: os.umask(umask)),
    )


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site."))


def trashed(project: Path) -> list[Path]:
    trash = project / ".briefgen" / "trash"
    return sorted(trash.iterdir()) if trash.is_dir() else []


def set_output_dir(project: Path, value: str) -> int:
    """Point `output_dir` in the project's config at `value`; returns its line."""
    config = project / "site_config.yml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(i for i, text in enumerate(lines) if text.startswith("output_dir:"))
    lines[line] = f"output_dir: {value}\n"
    config.write_text("".join(lines), encoding="utf-8")
    return line + 1


def built_project(tmp_path: Path) -> Path:
    """A copy of the seed project, built once (in another process)."""
    project = copy_project(tmp_path / "project")
    result = run(project, "build")
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def built(tmp_path: Path) -> Path:
    return built_project(tmp_path)


# --- The output folder is briefgen's alone ----------------------------------------------


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("content", "is the content folder"),
        ("content/articles", "is inside the content folder"),
        (".", "is the project folder"),
        ("templates", "is the templates folder"),
        ("templates/site", "is inside the templates folder"),
        (".briefgen", "is briefgen's working folder"),
        (".briefgen/site", "is inside briefgen's working folder"),
    ],
)
def test_an_output_dir_of_the_users_files_is_refused_by_check_and_build(
    tmp_path: Path, value: str, says: str
) -> None:
    project = copy_project(tmp_path / "project")
    (project / ".briefgen").mkdir()
    line = set_output_dir(project, value)
    before = files(project)
    for command in ("check", "build"):
        result = run(project, command)
        assert result.returncode == 1, result.stdout
        assert f"site_config.yml:{line}: output_dir: " in result.stderr, result.stderr
        assert says in result.stderr and "hint: set output_dir to a folder of its own" in result.stderr
        assert "Traceback" not in result.stderr
    assert files(project) == before and leftovers(project) == []


@pytest.mark.parametrize(
    ("out", "says"),
    [
        ("content", "is the content folder"),
        (".", "is the project folder"),
        ("..", "holds the project folder"),
        ("templates", "is the templates folder"),
        (".briefgen/out", "is inside briefgen's working folder"),
        ("/", "is the root of the file system"),
        ("~", "is your home folder"),
    ],
)
def test_an_out_option_of_the_users_files_is_refused(tmp_path: Path, out: str, says: str) -> None:
    project = copy_project(tmp_path / "project")
    home = tmp_path / "home"
    home.mkdir()
    (project / ".briefgen").mkdir()
    before = files(project)
    target = str(home) if out == "~" else out
    result = run(project, "build", "--out", target, env={"HOME": str(home)})
    assert result.returncode == 1, result.stdout
    assert "--out: " in result.stderr and says in result.stderr, result.stderr
    assert "hint: choose a folder of its own" in result.stderr and "Traceback" not in result.stderr
    assert files(project) == before


def foreign_folder(path: Path) -> dict[str, bytes]:
    (path / "notes").mkdir(parents=True)
    (path / "notes" / "draft.md").write_text("My own notes.\n", encoding="utf-8")
    (path / "index.html").write_text("<p>another site</p>\n", encoding="utf-8")
    return files(path)


def test_an_existing_foreign_out_folder_is_refused_and_survives_byte_for_byte(built: Path) -> None:
    other = built.parent / "mine"
    before = foreign_folder(other)
    result = run(built, "build", "--out", str(other))
    assert result.returncode == 1
    assert f"--out: {other} already exists and is not a site briefgen built" in result.stderr, result.stderr
    assert "pass --force to replace it" in result.stderr
    assert files(other) == before
    assert trashed(built) == []  # nothing of it went there
    assert sorted(p.name for p in built.parent.iterdir() if p.name.startswith(".mine")) == []


def test_an_out_option_naming_a_file_is_briefgens_message_even_under_force(built: Path) -> None:
    other = built.parent / "notes.txt"
    other.write_text("mine\n", encoding="utf-8")
    for extra in ((), ("--force",)):
        result = run(built, "build", "--out", str(other), *extra)
        assert result.returncode == 1, result.stderr
        assert f"--out: {other} is a file, not a folder" in result.stderr, result.stderr
    assert other.read_text(encoding="utf-8") == "mine\n"


def test_force_replaces_a_foreign_folder_and_deletes_it_outright(built: Path) -> None:
    other = built.parent / "mine"
    foreign_folder(other)
    result = run(built, "build", "--out", str(other), "--force")
    assert result.returncode == 0, result.stderr
    assert f"Deleted what {other} held before (not a briefgen site; --force)." in result.stdout
    assert files(other) == files(built / "site")  # the site, and nothing of the old folder
    # The trash only ever receives a site briefgen built: nothing of the foreign folder is kept.
    assert not [p for folder in trashed(built) for p in folder.rglob("draft.md")] and not list(
        built.parent.glob(".mine.*")
    )
    # Now the folder is briefgen's: the next build needs no --force and says nothing of deleting.
    again = run(built, "build", "--out", str(other))
    assert again.returncode == 0 and "Deleted" not in again.stdout, again.stderr


def test_a_foreign_output_dir_from_the_config_is_refused_without_force(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    line = set_output_dir(project, "public")
    before = foreign_folder(project / "public")
    for command in ("check", "build"):
        result = run(project, command)
        assert result.returncode == 1, command
        assert f"site_config.yml:{line}: output_dir: {project / 'public'} already exists" in result.stderr
    assert files(project / "public") == before


def test_an_empty_output_folder_and_an_older_briefgens_site_are_replaced(built: Path) -> None:
    site = built / "site"
    # A site an older briefgen built has no marker: its exports say whose it is.
    (site / ".briefgen-site").unlink()
    result = run(built, "build")
    assert result.returncode == 0, result.stderr
    assert "Deleted" not in result.stdout and (site / ".briefgen-site").is_file()
    [old] = trashed(built)
    assert not (old / ".briefgen-site").exists() and (old / "data" / "articles.json").is_file()
    empty = built.parent / "empty"
    empty.mkdir()
    result = run(built, "build", "--out", str(empty))
    assert result.returncode == 0 and "Deleted" not in result.stdout, result.stderr


def test_every_site_carries_the_same_marker(seed_site: Path, built: Path) -> None:
    from briefgen.publish.target import MARKER_TEXT

    assert (seed_site / ".briefgen-site").read_bytes() == MARKER_TEXT
    assert (built / "site" / ".briefgen-site").read_bytes() == MARKER_TEXT


def test_the_output_rules_are_one_pure_function(tmp_path: Path) -> None:
    from briefgen.config import load_config
    from briefgen.publish.target import OutputSetting, output_problems

    project = copy_project(tmp_path / "project", with_content=False)
    config = load_config(project / "site_config.yml")
    option = OutputSetting(config.path, None, option=True)
    assert output_problems(project / "site", config, option, home=tmp_path / "home") == []
    assert output_problems(project.parent / "elsewhere", config, option, home=tmp_path / "home") == []
    assert output_problems(tmp_path, config, option, home=tmp_path) != []  # home, and holds the project


# --- Modes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("umask", "folder", "page"), [(0o022, "755", "644"), (0o027, "750", "640")], ids=["022", "027"]
)
def test_the_site_gets_ordinary_modes_under_the_umask(
    tmp_path: Path, umask: int, folder: str, page: str
) -> None:
    project = copy_project(tmp_path / "project")
    for _ in range(2):  # the first build renames the staging folder in, the second swaps it
        result = run(project, "build", umask=umask)
        assert result.returncode == 0, result.stderr
        site = project / "site"
        modes = [f"{path.stat().st_mode & 0o777:o}" for path in (site, site / "index.html", site / "ar")]
        assert modes == [folder, page, folder]


# --- Read-only targets -------------------------------------------------------------------------


def assert_refused_cleanly(result: subprocess.CompletedProcess[str], folder: Path, project: Path) -> None:
    assert result.returncode == 1, result.stdout
    assert f"{folder}: " in result.stderr and "read-only" in result.stderr, result.stderr
    assert "chmod u+w" in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert leftovers(project) == []


def test_a_read_only_folder_holding_the_output_is_a_message(built: Path) -> None:
    parent = built.parent / "readonly"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        result = run(built, "build", "--out", str(parent / "site"), unprivileged=True)
        assert_refused_cleanly(result, parent, built)
        assert list(parent.iterdir()) == []
    finally:
        parent.chmod(0o755)


def test_a_read_only_site_is_a_message_and_stays_as_it_was(built: Path) -> None:
    site = built / "site"
    before = files(site)
    site.chmod(0o555)
    try:
        result = run(built, "build", unprivileged=True)
        assert_refused_cleanly(result, site, built)
        assert files(site) == before and trashed(built) == []
    finally:
        site.chmod(0o755)


def test_a_read_only_project_is_a_message(built: Path) -> None:
    before = files(built / "site")
    modes = {}
    for path in [built, *built.rglob("*")]:
        if not path.is_symlink():
            modes[path] = path.stat().st_mode
            path.chmod(path.stat().st_mode & ~0o222)
    try:
        result = run(built, "build", unprivileged=True)
        assert result.returncode == 1, result.stdout
        # The lock is the first thing a build writes: its file is named, with what to do.
        assert ".briefgen/build.lock: permission denied: cannot write this file" in result.stderr, (
            result.stderr
        )
        assert "chmod u+w" in result.stderr and "Traceback" not in result.stderr
        assert leftovers(built) == [] and files(built / "site") == before
    finally:
        for path, mode in reversed(modes.items()):
            path.chmod(mode)


def test_the_next_build_cleans_only_what_briefgen_left(tmp_path: Path) -> None:
    from briefgen.publish.swap import repair
    from briefgen.publish.target import MARKER

    site, trash = tmp_path / "site", tmp_path / ".briefgen" / "trash"
    for name in (".site.tmp-1-marked", ".site.old-2"):
        (tmp_path / name).mkdir()
        (tmp_path / name / MARKER).touch()
    (tmp_path / ".site.tmp-3-empty").mkdir()
    before = foreign_folder(tmp_path / ".site.tmp-4-not-ours")
    repair(site, trash)
    # site/ was missing: the old one renamed aside is put back; the rest of ours goes to the trash.
    assert (site / MARKER).is_file()
    assert leftovers(tmp_path) == [".site.tmp-4-not-ours"] and len(trashed(tmp_path)) == 2
    assert files(tmp_path / ".site.tmp-4-not-ours") == before
