"""The translation memory file: format, validation, atomic writes, and merging on rebuild."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.commands.build import build, load_corpus
from briefgen.config import load_config
from briefgen.errors import BriefgenError
from briefgen.memory import (
    HEADER,
    ArticleMemory,
    MemoryEntry,
    dump_memory,
    load_memory,
    save_memory,
    sentence_key,
    write_atomically,
)
from tests.conftest import REPO

SLUG = "2016-11-19-alhayat-qawarsha"


def test_key_ignores_spelling_variants_and_spacing() -> None:
    assert sentence_key("أعلن أحمد المسماري") == sentence_key("اعلن  احمد المسماري ")
    assert sentence_key("قواتٌ") == sentence_key("قوات")
    assert sentence_key("قوات الجيش") != sentence_key("قوات الوفاق")


def test_dump_and_load_round_trip(tmp_path: Path) -> None:
    memory = ArticleMemory(
        "x",
        (
            MemoryEntry(sentence_key("جملة."), "sentence", "جملة.", "A sentence.", "reviewed"),
            MemoryEntry(
                sentence_key("أخرى: «نص»"),
                "sentence",
                "أخرى: «نص»",
                'Other: "text"',
                "machine",
                "argos-ctranslate2",
                "m 1.0",
            ),
        ),
    )
    path = tmp_path / "x.yml"
    assert save_memory(path, memory)
    assert load_memory(path, "x") == memory
    assert not save_memory(path, memory), "an unchanged memory is not rewritten"
    assert path.read_text(encoding="utf-8").startswith("# Translation memory")
    assert "\\u" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "article: x\nentries:\n  - key: k\n    ar: a\n    en: b\n    origin: guessed\n",
            [":6:", "origin", "not one of"],
        ),
        (
            "article: x\nentries:\n  - key: k\n    ar: a\n    origin: reviewed\n",
            [":3:", "entries[0].en", "missing"],
        ),
        (
            "article: x\nentries:\n  - key: k\n    ar: a\n    en: b\n    origin: reviewed\n    note: hi\n",
            [":7:", "unknown field"],
        ),
        ("article: y\nentries: []\n", [":1:", "belongs to article 'y'"]),
        ("article: x\nentries: [\n", ["invalid YAML"]),
        ("- just\n- a list\n", ["expected `article:`"]),
        ("article: !!python/object/apply:os.system ['true']\n", ["tag not allowed"]),
    ],
)
def test_corrupt_memory_is_a_clear_error(tmp_path: Path, text: str, expected: list[str]) -> None:
    path = tmp_path / "x.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BriefgenError) as info:
        load_memory(path, "x")
    message = str(info.value)
    assert "x.yml" in message
    for part in expected:
        assert part in message, message


def test_corrupt_memory_fails_the_build_and_is_not_overwritten(project: Path) -> None:
    build(project / "site_config.yml")
    before_site = (project / "site" / "index.html").read_bytes()
    path = project / "content" / "translations" / f"{SLUG}.yml"
    broken = path.read_text(encoding="utf-8").replace("\n  origin: reviewed\n", "\n  origin: [oops\n", 1)
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(BriefgenError) as info:
        build(project / "site_config.yml")
    assert f"content/translations/{SLUG}.yml" in str(info.value)
    assert path.read_text(encoding="utf-8") == broken
    assert (project / "site" / "index.html").read_bytes() == before_site


def test_interrupted_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.yml"
    path.write_text("old", encoding="utf-8")

    def crash(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("os.replace", crash)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(path, "new content")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["m.yml"]


def test_seed_memories_are_reviewed_and_complete() -> None:
    corpus = load_corpus(load_config(Path(__file__).resolve().parents[1] / "site_config.yml"), engine=None)
    for article in corpus.articles:
        assert article.translation is not None
        assert article.translation.status == "reviewed", article.slug
        assert article.title_en
        assert len(article.translation.sentences) == sum(len(p.sentences) for p in article.paragraphs)


def test_without_engine_new_sentences_are_pending_and_memory_keeps_the_rest(project: Path) -> None:
    article_path = project / "content" / "articles" / f"{SLUG}.md"
    text = article_path.read_text(encoding="utf-8")
    first_sentence_end = text.index("بالكامل.") + len("بالكامل.")
    added = " وأضاف المتحدث أن العمليات ستتواصل حتى تحرير كامل المدينة."
    vanished = "وتعذر التأكد من هذه الأرقام من مصادر مستقلة."
    assert vanished in text
    text = text[:first_sentence_end] + added + text[first_sentence_end:]
    article_path.write_text(text.replace(" " + vanished, ""), encoding="utf-8")

    memory_file = project / "content" / "translations" / f"{SLUG}.yml"
    before = load_memory(memory_file, SLUG)
    result = build(project / "site_config.yml")
    after = load_memory(memory_file, SLUG)

    assert any("1 sentence(s) in 1 article(s) are not translated" in w for w in result.warnings)
    # The new sentence gets an entry to fill, in its place; the vanished one's is dropped.
    added_key = sentence_key(added.strip())
    assert [(e.kind, e.en, e.origin) for e in after.entries if e.key == added_key] == [
        ("sentence", "", "pending")
    ]
    assert [e.key for e in after.entries].index(added_key) == 2  # after the title and the first sentence
    assert all(e.origin == "reviewed" for e in after.entries if e.key != added_key)
    assert {e.key for e in after.entries} == {e.key for e in before.entries} - {sentence_key(vanished)} | {
        added_key
    }
    unchanged = {e.key: e for e in before.entries}
    assert all(unchanged[e.key] == e for e in after.entries if e.key != added_key)
    english = (project / "site" / "articles" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "Partly pending" in english
    assert 'class="bg-s bg-pending" id="en-s1"' in english


def test_strict_fails_on_pending_translation(project: Path, write_article) -> None:
    write_article(
        "2016-12-01-new.md",
        "---\ntitle: خبر جديد\nsource: Wire\npublished: 2016-12-01\n---\n\nقالت مصادر إن القتال مستمر في قنفودة.\n",
    )
    build(project / "site_config.yml")
    with pytest.raises(BriefgenError) as info:
        build(project / "site_config.yml", strict=True)
    assert "not translated" in str(info.value) and "--strict" in str(info.value)


def test_dump_is_plain_yaml_editors_can_read() -> None:
    text = dump_memory(ArticleMemory("x", (MemoryEntry("k", "title", "عنوان", "Title", "reviewed"),)))
    assert "ar: عنوان" in text and "en: Title" in text and "origin: reviewed" in text


# --- memories keep what editors wrote (issue 11 §3) -------------------------------------------

REPEATED = "قالت مصادر عسكرية إن القوات تقدمت في المحور الغربي لمدينة بنغازي."
OTHER = "وأضافت أن الاشتباكات استمرت حتى المساء."
GONE = "وتحدث شهود عن قصف مدفعي كثيف."
TWICE_SLUG = "2016-12-02-twice"
TWICE_TITLE = "تقدم في بنغازي"


def twice_article(*sentences: str) -> str:
    body = "\n\n".join(sentences)
    return f"---\ntitle: {TWICE_TITLE}\nsource: Wire\npublished: 2016-12-02\n---\n\n{body}\n"


def reviewed(ar: str, en: str, kind: str = "sentence") -> str:
    return f"- key: {sentence_key(ar)}\n  kind: {kind}\n  ar: {ar}\n  en: {en}\n  origin: reviewed\n"


def cli_build(project: Path) -> str:
    from click.testing import CliRunner

    from briefgen.cli import cli

    result = CliRunner().invoke(cli, ["build", "--config", str(project / "site_config.yml")])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_sentence_written_twice_keeps_each_reviewed_entry_across_rebuilds(
    project: Path, write_article
) -> None:
    article = write_article(f"{TWICE_SLUG}.md", twice_article(REPEATED, OTHER, REPEATED))
    memory_file = project / "content" / "translations" / f"{TWICE_SLUG}.yml"
    memory_file.write_text(
        f"article: {TWICE_SLUG}\nentries:\n"
        + reviewed(TWICE_TITLE, "Advance in Benghazi", "title")
        + reviewed(REPEATED, "Military sources said the forces advanced (first report).")
        + reviewed(OTHER, "It added that the clashes went on until the evening.")
        + reviewed(REPEATED, "Military sources said the forces advanced (repeated later).")
        + reviewed(OTHER, "A second entry for a sentence written once, dropped."),
        encoding="utf-8",
    )
    cli_build(project)
    # A rebuild after an edit elsewhere in the article: it is processed again.
    article.write_text(twice_article(REPEATED, OTHER, REPEATED, GONE), encoding="utf-8")
    cli_build(project)
    english = [e.en for e in load_memory(memory_file, TWICE_SLUG).entries if e.key == sentence_key(REPEATED)]
    assert english == [
        "Military sources said the forces advanced (first report).",
        "Military sources said the forces advanced (repeated later).",
    ]
    page = (project / "site" / "articles" / TWICE_SLUG / "index.html").read_text(encoding="utf-8")
    first, later = page.index("(first report)."), page.index("(repeated later).")
    assert first < later
    assert "A second entry for a sentence written once" not in memory_file.read_text(encoding="utf-8")


def test_a_sentence_newly_repeated_starts_from_the_first_entry(project: Path, write_article) -> None:
    write_article(f"{TWICE_SLUG}.md", twice_article(REPEATED, OTHER, REPEATED))
    memory_file = project / "content" / "translations" / f"{TWICE_SLUG}.yml"
    memory_file.write_text(
        f"article: {TWICE_SLUG}\nentries:\n" + reviewed(REPEATED, "The one reviewed English."),
        encoding="utf-8",
    )
    cli_build(project)
    entries = [e for e in load_memory(memory_file, TWICE_SLUG).entries if e.key == sentence_key(REPEATED)]
    assert [(e.en, e.origin) for e in entries] == [("The one reviewed English.", "reviewed")] * 2


COMMENTED_MEMORY = (
    HEADER.format(slug=TWICE_SLUG) + "# An editor's own note at the top of the file.\n"
    f"article: {TWICE_SLUG}\n"
    "entries:\n"
    + reviewed(TWICE_TITLE, "Advance in Benghazi", "title")
    + "# checked with the desk\n"
    + reviewed(REPEATED, "Military sources said the forces advanced.").replace(
        "origin: reviewed\n", "origin: reviewed  # the desk agreed on 'advanced'\n"
    )
    + "# this sentence will be deleted from the article\n"
    + reviewed(GONE, "Witnesses spoke of heavy shelling.")
    + reviewed(OTHER, "It added that the clashes went on until the evening.").replace(
        "  en:", "  # keep 'clashes', not 'fighting'\n  en:"
    )
)


def entry_block(text: str, ar: str) -> str:
    """The lines from the comment lines just above the entry for `ar` to the end of that entry."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line == f"- key: {sentence_key(ar)}")
    top = start
    while top > 0 and lines[top - 1].startswith("#"):
        top -= 1
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith(("- ", "#"))), len(lines))
    return "\n".join(lines[top:end])


def test_comments_an_editor_writes_survive_rebuilds_with_their_entries(project: Path, write_article) -> None:
    article = write_article(f"{TWICE_SLUG}.md", twice_article(REPEATED, GONE, OTHER))
    memory_file = project / "content" / "translations" / f"{TWICE_SLUG}.yml"
    memory_file.write_text(COMMENTED_MEMORY, encoding="utf-8")
    cli_build(project)
    assert memory_file.read_text(encoding="utf-8").count("#") == COMMENTED_MEMORY.count("#")

    # The article changes: a sentence before them all, one deleted, one moved ahead.
    added = "وأعلن المتحدث العسكري أن العمليات ستتواصل."
    article.write_text(twice_article(added, OTHER, REPEATED), encoding="utf-8")
    output = cli_build(project)
    text = memory_file.read_text(encoding="utf-8")
    assert text.startswith(f"# Translation memory for content/articles/{TWICE_SLUG}.md")
    assert "# An editor's own note at the top of the file.\narticle:" in text
    block = entry_block(text, REPEATED)
    assert block.startswith("# checked with the desk\n- key:"), block
    assert "origin: reviewed  # the desk agreed on 'advanced'" in block
    assert "  # keep 'clashes', not 'fighting'\n  en: It added" in entry_block(text, OTHER)
    assert "this sentence will be deleted" not in text
    # The deleted sentence's comment is not lost silently.
    assert f"{TWICE_SLUG}.yml" in output and "# this sentence will be deleted from the article" in output
    assert load_memory(memory_file, TWICE_SLUG).entries[-1].en == "Military sources said the forces advanced."

    # And a rebuild with nothing changed leaves the file as it is.
    (project / "content" / "articles" / f"{TWICE_SLUG}.md").touch()
    cli_build(project)
    assert memory_file.read_text(encoding="utf-8") == text


def test_a_memory_without_comments_is_written_by_the_fast_writer(project: Path) -> None:
    memory_file = project / "content" / "translations" / f"{SLUG}.yml"
    before = memory_file.read_text(encoding="utf-8")
    memory = load_memory(memory_file, SLUG)
    assert dump_memory(memory, before) == dump_memory(memory) == before


def test_the_comment_keeping_writer_is_generic(caplog: pytest.LogCaptureFixture) -> None:
    """The events memory will share it: any list field, any identity, nothing translation-specific."""
    from briefgen.commented_yaml import by_occurrence, dump_with_comments, read_comments

    def ids(events: object) -> list[object]:
        return list(by_occurrence(e["id"] for e in events))  # type: ignore[attr-defined]

    header = "# Events memory.\n"
    before = (
        header
        + "events:\n# a note on e2\n- id: e2\n  type: clash  # checked\n- id: e1\n  type: airstrike\n# gone\n- id: e3\n  type: x\n"
    )
    comments = read_comments(before, header, "events", ids, Path("events.yml"))
    data = {"events": [{"id": "e1", "type": "airstrike"}, {"id": "e2", "type": "clash"}]}
    after = dump_with_comments(header, data, "events", comments, ids, Path("events.yml"))
    assert after == (
        header + "events:\n- id: e1\n  type: airstrike\n# a note on e2\n- id: e2\n  type: clash  # checked\n"
    )
    assert "events.yml:9:" in caplog.text and "# gone" in caplog.text


ODD_ENGLISH = [
    "",
    "123",
    "yes",
    "null",
    "- a dash",
    ": a colon",
    "#hashtag",
    "it's",
    "'quoted'",
    'say "x"',
    "a: b",
]


@pytest.mark.parametrize("slug", sorted(p.stem for p in (REPO / "content" / "translations").glob("*.yml")))
def test_a_comment_changes_no_other_line_of_the_file(slug: str) -> None:
    """The comment-keeping writer quotes every value as the plain writer does (ruamel.yaml
    alone double-quotes text with an apostrophe): adding a comment leaves the rest alone."""
    memory = load_memory(REPO / "content" / "translations" / f"{slug}.yml", slug)
    odd = tuple(
        MemoryEntry(sentence_key(f"جملة {i}"), "sentence", f"جملة {i}", en, "machine")
        for i, en in enumerate(ODD_ENGLISH)
    )
    memory = ArticleMemory(slug, memory.entries + odd)
    plain = dump_memory(memory)
    lines = plain.split("\n")
    at = [n for n, line in enumerate(lines) if line.startswith("- key:")][2]
    commented = "\n".join([*lines[:at], "# checked with the desk", *lines[at:]])
    assert dump_memory(memory, commented) == commented


def test_a_commented_memory_keeps_a_key_that_yaml_1_2_would_read_as_a_number(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A key such as 54e7768506084603 is text to briefgen (PyYAML, YAML 1.1) but a float to
    ruamel.yaml's resolvers: the comment on its entry was dropped, and the key rewritten
    `!!str 54e7768506084603`, when a memory with comments was written back."""
    memory = ArticleMemory(
        "a",
        (
            MemoryEntry("54e7768506084603", "sentence", "ع", "", "pending"),
            MemoryEntry("1234567890abcdef", "sentence", "yes", "1.5", "reviewed"),
        ),
    )
    commented = dump_memory(memory).replace("- key: ", "# checked with the desk\n- key: ", 1)
    with caplog.at_level("WARNING", logger="briefgen"):
        assert dump_memory(memory, commented) == commented
    assert not caplog.records
