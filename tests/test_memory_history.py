"""Post-editing from the translation memories' git history (briefgen.memory.history)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from briefgen.errors import BriefgenError
from briefgen.memory.history import post_edits


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
    )


def memory(entries: list[tuple[str, str, str]]) -> str:
    lines = ["article: a", "entries:"]
    for key, en, origin in entries:
        lines += [f"- key: {key}", "  kind: sentence", "  ar: نص", f"  en: {en}", f"  origin: {origin}"]
        if origin == "machine":
            lines += ["  engine: argos-ctranslate2", "  model: translate-ar_en 1.9"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q")
    (tmp_path / "content" / "translations").mkdir(parents=True)
    return tmp_path


def commit(repo: Path, slug: str, text: str) -> None:
    (repo / "content" / "translations" / f"{slug}.yml").write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "m")


def test_each_reviewed_entry_finds_the_machine_english_it_replaced(repo: Path) -> None:
    folder = repo / "content" / "translations"
    commit(
        repo,
        "a",
        memory(
            [("k1", "The army took it.", "machine"), ("k2", "Clashes.", "machine"), ("k3", "x", "reviewed")]
        ),
    )
    commit(
        repo,
        "a",
        memory(
            [
                ("k1", "The army took the town.", "machine"),
                ("k2", "Clashes.", "machine"),
                ("k3", "x", "reviewed"),
            ]
        ),
    )
    # the editor corrects k1 and approves k2 as it stands; k3 was never machine
    commit(
        repo,
        "a",
        memory(
            [
                ("k1", "The army took the town of Gharyan.", "reviewed"),
                ("k2", "Clashes.", "reviewed"),
                ("k3", "x", "reviewed"),
            ]
        ),
    )
    reviewed = {"a": [("k1", "The army took the town of Gharyan."), ("k2", "Clashes."), ("k3", "x")]}
    edits = {e.key: e for e in post_edits(folder, reviewed)}
    assert set(edits) == {"k1", "k2"}
    assert edits["k1"].machine_en == "The army took the town."  # the newest machine version
    assert edits["k1"].changed and not edits["k2"].changed
    assert edits["k1"].model == "argos-ctranslate2 translate-ar_en 1.9"


def test_a_deleted_memory_and_a_broken_past_version_are_passed_over(repo: Path) -> None:
    folder = repo / "content" / "translations"
    commit(repo, "gone", memory([("k1", "Old.", "machine")]))
    (folder / "gone.yml").unlink()
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "rm")
    commit(repo, "b", "entries: [unclosed\n")
    commit(repo, "b", memory([("k9", "Fine.", "machine")]))
    commit(repo, "b", memory([("k9", "Fine, edited.", "reviewed")]))
    (edit,) = post_edits(folder, {"b": [("k9", "Fine, edited.")]})
    assert edit.machine_en == "Fine." and edit.changed


def test_outside_a_git_repository_it_says_so(tmp_path: Path) -> None:
    with pytest.raises(BriefgenError, match="not in a git repository"):
        post_edits(tmp_path, {"a": [("k", "x")]})
