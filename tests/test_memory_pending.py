"""The memory lists every unit, pending ones included (issue 13, item 1): translating by hand
with no model, entries typed without a key, drafts, and every earlier guarantee kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.memory import (
    ArticleMemory,
    MemoryEntry,
    dump_memory,
    load_memory,
    place_typed_entries,
    sentence_key,
)
from tests.htmlcheck import page_file
from tests.tiny_argos import untranslated_article

SLUG = "2016-12-02-ganfouda-push"
TITLE = "الجيش يتقدم في قنفودة"
FIRST = "أعلن الجيش الليبي تقدمه في منطقة قنفودة غرب بنغازي."
SECOND = "وقالت مصادر عسكرية إن الاشتباكات استمرت حتى المساء."
HEADING = "تقدم في قنفودة"
LAST = "وأكد المسماري أن العمليات ستتواصل."
ARTICLE = untranslated_article(HEADING, LAST)
FIRST_EN = "The Libyan army announced its advance in Ganfouda, west of Benghazi."
LAST_EN = "Al-Mismari stressed that the operations would continue."


def run(project: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--config", str(project / "site_config.yml")])
    assert result.exit_code == 0, result.output
    return result.output


def memory_file(project: Path) -> Path:
    return project / "content" / "translations" / f"{SLUG}.yml"


def fill(text: str, ar: str, en: str) -> str:
    """The memory's text with the entry briefgen wrote for `ar` filled as a translator does."""
    entry = f"  ar: {ar}\n  en: ''\n  origin: pending\n"
    assert entry in text, text
    return text.replace(entry, f"  ar: {ar}\n  en: {en}\n  origin: reviewed\n", 1)


def sentence_span(page: str, index: int) -> str:
    found = re.search(rf'<span class="bg-s[^"]*" id="en-s{index}"[^>]*>', page)
    assert found, f"no sentence {index}"
    return found.group()


@pytest.fixture
def pending_project(project: Path) -> Path:
    (project / "content" / "articles" / f"{SLUG}.md").write_text(ARTICLE, encoding="utf-8")
    run(project, "build")
    return project


def test_without_a_model_translators_fill_the_memory_and_the_pages_show_it(pending_project: Path) -> None:
    """Issue 13's acceptance: add an article, build, fill two entries by hand (one typed
    with only `ar` and `en`), rebuild; reviewed and pending show; a third build is a no-op."""
    project = pending_project
    path = memory_file(project)
    written = load_memory(path, SLUG)
    assert [(e.kind, e.ar, e.en, e.origin) for e in written.entries] == [
        ("title", TITLE, "", "pending"),
        ("sentence", FIRST, "", "pending"),
        ("sentence", SECOND, "", "pending"),
        ("heading", HEADING, "", "pending"),
        ("sentence", LAST, "", "pending"),
    ]
    assert all(e.key == sentence_key(e.ar) for e in written.entries)

    # One entry filled where briefgen wrote it; one typed at the end, with no key and no origin.
    text = fill(path.read_text(encoding="utf-8"), FIRST, FIRST_EN)
    path.write_text(text + f"- ar: {LAST}\n  en: {LAST_EN}\n", encoding="utf-8")
    output = run(project, "build")
    assert "3 sentence(s) in 1 article(s) are not translated yet" in output  # title, SECOND, heading

    after = load_memory(path, SLUG)
    assert [(e.kind, e.ar, e.en, e.origin) for e in after.entries] == [
        ("title", TITLE, "", "pending"),
        ("sentence", FIRST, FIRST_EN, "reviewed"),
        ("sentence", SECOND, "", "pending"),
        ("heading", HEADING, "", "pending"),
        ("sentence", LAST, LAST_EN, "reviewed"),
    ]
    saved = path.read_text(encoding="utf-8")
    assert f"- key: {sentence_key(LAST)}\n  kind: sentence\n  ar: {LAST}\n  en: {LAST_EN}\n" in saved
    assert saved.count(f"ar: {LAST}\n") == 1, "the typed entry took the place of the one briefgen wrote"

    english = page_file(project / "site", f"articles/{SLUG}/").read_text(encoding="utf-8")
    assert (
        sentence_span(english, 0).endswith('data-origin="reviewed">') and "its advance in Ganfouda" in english
    )
    assert (
        sentence_span(english, 2).endswith('data-origin="reviewed">')
        and "stressed that the operations" in english
    )
    assert 'class="bg-s bg-pending" id="en-s1" data-origin="pending"' in sentence_span(english, 1)
    assert "2 of 3 sentences reviewed" in english and "Partly pending" in english
    assert 'id="p0" data-origin="reviewed"' in english and 'id="p1" data-origin="pending"' in english
    assert "briefgen models install" not in english, "readers are not told to run commands"
    arabic = page_file(project / "site", f"ar/articles/{SLUG}/").read_text(encoding="utf-8")
    assert "رُوجعت 2 من 3 جمل" in arabic

    # A third build, and one that reprocesses everything, change no byte of the memory.
    run(project, "build")
    assert path.read_text(encoding="utf-8") == saved
    run(project, "build", "--clean")
    assert path.read_text(encoding="utf-8") == saved


def test_a_draft_left_pending_is_kept_not_published_and_reported_with_its_line(pending_project: Path) -> None:
    """English a translator wrote but left `origin: pending`: briefgen cannot tell a finished
    translation from a draft, so it keeps it, publishes nothing, and says where it is."""
    project = pending_project
    path = memory_file(project)
    text = path.read_text(encoding="utf-8")
    draft = "  ar: " + SECOND + "\n  en: A draft of the second sentence.\n  origin: pending\n"
    text = text.replace(f"  ar: {SECOND}\n  en: ''\n  origin: pending\n", draft, 1)
    path.write_text(text, encoding="utf-8")
    line = text.split("\n").index(f"- key: {sentence_key(SECOND)}") + 1

    for command in ("check", "build"):
        result = CliRunner().invoke(cli, [command, "--config", str(project / "site_config.yml")])
        assert result.exit_code == 0, result.output
        assert f"content/translations/{SLUG}.yml:{line}: entries[2]: has English but `origin: pending`" in (
            result.output
        ), (command, result.output)
        assert "set `origin: reviewed` when the translation is done" in result.output
    assert path.read_text(encoding="utf-8") == text, "the draft is the translator's: left as it is"
    english = page_file(project / "site", f"articles/{SLUG}/").read_text(encoding="utf-8")
    assert "A draft of the second sentence." not in english
    assert "Translation pending" in english and "0 of 3 sentences reviewed" in english
    strict = CliRunner().invoke(cli, ["build", "--strict", "--config", str(project / "site_config.yml")])
    assert strict.exit_code == 1


def test_check_validates_pending_entries_and_accepts_them(pending_project: Path) -> None:
    project = pending_project
    run(project, "check")
    path = memory_file(project)
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    line = lines.index("  origin: pending", lines.index(f"  ar: {SECOND}")) + 1
    path.write_text(
        text.replace(
            f"  ar: {SECOND}\n  en: ''\n  origin: pending\n", f"  ar: {SECOND}\n  en: ''\n  origin: pendng\n"
        )
    )
    result = CliRunner().invoke(cli, ["check", "--config", str(project / "site_config.yml")])
    assert result.exit_code == 1
    assert (
        f"content/translations/{SLUG}.yml:{line}: entries[2].origin: 'pendng' is not one of" in result.output
    )
    assert "pending (no English yet)" in result.output


def test_a_comment_on_a_typed_entry_follows_it_when_it_is_keyed(pending_project: Path) -> None:
    project = pending_project
    path = memory_file(project)
    typed = f"# from the desk's glossary\n- ar: {LAST}\n  en: {LAST_EN}  # checked\n"
    path.write_text(path.read_text(encoding="utf-8") + typed, encoding="utf-8")
    output = run(project, "build")
    assert "comment is dropped" not in output
    saved = path.read_text(encoding="utf-8")
    assert (
        f"# from the desk's glossary\n- key: {sentence_key(LAST)}\n  kind: sentence\n  ar: {LAST}\n"
        f"  en: {LAST_EN}  # checked\n  origin: reviewed\n"
    ) in saved
    run(project, "build", "--clean")
    assert path.read_text(encoding="utf-8") == saved


# --- placing typed entries: the rule on its own -------------------------------------------------


def entry(ar: str, en: str = "", origin: str = "pending", typed: bool = False, line: int = 1) -> MemoryEntry:
    return MemoryEntry(sentence_key(ar), "sentence", ar, en, origin, line=line, typed=typed)  # type: ignore[arg-type]


def placed(units: list[str], *entries: MemoryEntry) -> tuple[list[tuple[str, str]], list[str]]:
    memory, problems = place_typed_entries(
        ArticleMemory("x", entries, Path("x.yml")), [sentence_key(u) for u in units]
    )
    return [(e.ar, e.en) for e in memory.entries], [str(p) for p in problems]


def test_a_typed_entry_takes_the_place_of_the_entry_not_reviewed() -> None:
    # In place of the pending entry briefgen wrote, wherever it was typed.
    assert placed(["أ.", "ب."], entry("أ."), entry("ب."), entry("أ.", "A.", "reviewed", typed=True)) == (
        [("أ.", "A."), ("ب.", "")],
        [],
    )
    # ... or of a machine one: a translator's English is worth more than the engine's.
    assert placed(["أ."], entry("أ.", "M.", "machine"), entry("أ.", "A.", "reviewed", typed=True)) == (
        [("أ.", "A.")],
        [],
    )
    # A sentence written twice: the typed entry fills the occurrence still pending.
    assert placed(
        ["أ.", "أ."],
        entry("أ.", "First.", "reviewed"),
        entry("أ."),
        entry("أ.", "Second.", "reviewed", typed=True),
    ) == ([("أ.", "First."), ("أ.", "Second.")], [])
    # With no entry for its unit yet, it is an occurrence of its own.
    assert placed(["أ."], entry("أ.", "A.", "reviewed", typed=True)) == ([("أ.", "A.")], [])
    # Matched by the key, so the Arabic's spelling variants and spacing do not matter.
    assert placed(["أعلن الجيش."], entry("اعلن  الجيش.", "X.", "reviewed", typed=True)) == (
        [("اعلن  الجيش.", "X.")],
        [],
    )


def test_a_typed_entry_that_fits_no_unit_is_refused_with_its_line() -> None:
    kept, problems = placed(
        ["أ."], entry("أ."), entry("ليست في المقال.", "No.", "reviewed", typed=True, line=9)
    )
    assert kept == [("أ.", "")]
    assert problems == [
        "x.yml:9: entries[1]: has no `key`, and its `ar` is not the Arabic of the article's title, "
        "of a cross-head or of a sentence\n    hint: copy `ar` exactly from the article, or write the "
        "English into the entry briefgen wrote for that unit (the one with its key)"
    ]
    kept, problems = placed(
        ["أ."], entry("أ.", "A.", "reviewed", line=3), entry("أ.", "B.", "reviewed", typed=True, line=9)
    )
    assert kept == [("أ.", "A.")], "a reviewed entry is never replaced"
    assert problems[0].startswith(
        "x.yml:9: entries[1]: has no `key`, and its unit already has a reviewed entry (line 3)"
    )


def test_a_typed_entry_without_origin_is_reviewed_and_an_empty_one_pending(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_text(
        f"article: x\nentries:\n- ar: {FIRST}\n  en: {FIRST_EN}\n- ar: {SECOND}\n  en: ''\n", encoding="utf-8"
    )
    memory = load_memory(path, "x")
    assert [(e.key, e.origin, e.typed, e.line) for e in memory.entries] == [
        (sentence_key(FIRST), "reviewed", True, 3),
        (sentence_key(SECOND), "pending", True, 5),
    ]
    # Written back keyed, with its origin: the next read is the same memory, and not typed.
    path.write_text(dump_memory(memory), encoding="utf-8")
    again = load_memory(path, "x")
    assert again == memory and not any(e.typed for e in again.entries)


def test_two_typed_entries_for_one_unit_keep_the_first_reviewed_one() -> None:
    # The second, a pending one typed for the same sentence, is the one the first replaces.
    assert placed(
        ["أ."], entry("أ.", "A.", "reviewed", typed=True), entry("أ.", "", "pending", typed=True)
    ) == (
        [("أ.", "A.")],
        [],
    )
