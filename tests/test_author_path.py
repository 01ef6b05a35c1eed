"""An author's path (issue 14, item 4): honest warning counts, and pruning the memories of
deleted articles, through the real command line on a copy of the sample project."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from briefgen.cli import cli
from tests.tiny_argos import untranslated_article

SEED = "2016-11-19-alhayat-qawarsha"  # a sample article whose memory holds reviewed entries
GONE = "2016-01-01-deleted-story"


def run(project: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*args, "--config", str(project / "site_config.yml")])
    return result.exit_code, result.output


def orphan(project: Path, folder: str, *, reviewed: bool) -> Path:
    """A memory left behind by a deleted article: a copy of the seed's, under another slug."""
    source = project / "content" / folder / f"{SEED}.yml"
    text = source.read_text(encoding="utf-8").replace(f"article: {SEED}", f"article: {GONE}")
    if not reviewed:
        text = text.replace("origin: reviewed", "origin: machine")
    path = project / "content" / folder / f"{GONE}.yml"
    path.write_text(text, encoding="utf-8")
    return path


def warning_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("WARNING")]


def test_the_build_counts_every_warning_it_prints(project: Path) -> None:
    # Three kinds, from three places: orphan memories (read step), a translator's draft
    # left pending (corpus step) and untranslated sentences (the build itself).
    orphan(project, "translations", reviewed=True)
    orphan(project, "events", reviewed=False)
    (project / "content" / "articles" / "2016-12-02-ganfouda-push.md").write_text(
        untranslated_article(), encoding="utf-8"
    )
    code, output = run(project, "build")
    assert code == 0, output
    memory = project / "content" / "translations" / "2016-12-02-ganfouda-push.yml"
    text = memory.read_text(encoding="utf-8")
    assert "  en: ''\n  origin: pending\n" in text, text
    memory.write_text(text.replace("  en: ''\n", "  en: A draft.\n", 1), encoding="utf-8")

    code, output = run(project, "build")
    assert code == 0, output
    printed = warning_lines(output)
    assert any("has English but `origin: pending`" in line for line in printed), output
    assert any("not translated yet" in line for line in printed), output
    assert sum("for an article that does not exist" in line for line in printed) == 2, output
    assert len(printed) == 4, output
    assert f"with {len(printed)} warning(s)" in output, output


def test_an_orphan_memory_warning_names_the_command_that_removes_it(project: Path) -> None:
    orphan(project, "events", reviewed=False)
    code, output = run(project, "build")
    assert code == 0, output
    (line,) = warning_lines(output)
    assert f"content/events/{GONE}.yml: event memory" in line and "briefgen translations prune" in line
    assert "with 1 warning(s)" in output


def test_prune_dry_run_lists_and_removes_nothing(project: Path) -> None:
    translations = orphan(project, "translations", reviewed=False)
    events = orphan(project, "events", reviewed=False)
    before = sorted(p.name for p in (project / "content").rglob("*"))
    code, output = run(project, "translations", "prune", "--dry-run")
    assert code == 0, output
    assert f"Would remove content/translations/{GONE}.yml (translation memory:" in output
    assert f"Would remove content/events/{GONE}.yml (event memory:" in output
    assert "2 file(s) would be removed, 0 kept." in output
    assert translations.exists() and events.exists()
    assert sorted(p.name for p in (project / "content").rglob("*")) == before


def test_prune_removes_orphans_keeps_reviewed_work_unless_forced(project: Path) -> None:
    reviewed = orphan(project, "translations", reviewed=True)
    unreviewed = orphan(project, "events", reviewed=False)
    kept_memories = sorted(
        p for p in (project / "content").rglob("*.yml") if p.parent.name in ("translations", "events")
    )
    kept_memories.remove(reviewed)
    kept_memories.remove(unreviewed)
    count = reviewed.read_text(encoding="utf-8").count("\n  origin: reviewed")
    assert count > 1

    code, output = run(project, "translations", "prune")
    assert code == 0, output
    assert f"Removed content/events/{GONE}.yml (event memory:" in output and ", 0 reviewed)" in output
    assert f"Kept content/translations/{GONE}.yml (translation memory): it holds {count} reviewed" in output
    assert "--force deletes it" in output and "1 file(s) removed, 1 kept." in output
    assert reviewed.exists() and not unreviewed.exists()

    code, output = run(project, "translations", "prune", "--force")
    assert code == 0, output
    assert f"Removed content/translations/{GONE}.yml (translation memory: " in output
    assert f"{count} reviewed)" in output
    assert not reviewed.exists()
    # Every live article's memories are left alone, and a second run has nothing to do.
    assert all(p.exists() for p in kept_memories)
    code, output = run(project, "translations", "prune")
    assert code == 0 and "nothing to remove" in output, output
    code, output = run(project, "build")
    assert code == 0 and "WARNING" not in output, output


def test_prune_keeps_an_unreadable_orphan_unless_forced(project: Path) -> None:
    broken = project / "content" / "translations" / f"{GONE}.yml"
    broken.write_text("entries: [unclosed\n", encoding="utf-8")
    code, output = run(project, "translations", "prune")
    assert code == 0, output
    assert f"Kept content/translations/{GONE}.yml (translation memory): it cannot be read" in output
    assert broken.exists()
    code, output = run(project, "translations", "prune", "--force")
    assert code == 0 and "(translation memory: unreadable)" in output, output
    assert not broken.exists()
    shutil.rmtree(project / "content" / "events")
    code, output = run(project, "translations", "prune")
    assert code == 0 and "nothing to remove" in output, output
