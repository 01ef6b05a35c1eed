"""CAT-tool exchange (issue 13, item 2): `briefgen translations export|import` in XLIFF 1.2,
PO and TMX, through the real command line on a built project.

The project: the seed articles (every entry reviewed), one of whose entries is made machine,
plus an article with no translation (every entry pending) in which one sentence is written
twice (two occurrences of one key). Files are edited as a CAT tool would: through
translate-toolkit, or by editing their text.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from translate.storage import po, tmx, xliff

from briefgen.cli import cli
from briefgen.memory import load_memory, sentence_key
from briefgen.memory.exchange import ExchangeUnit, plan_import, read_exchange
from briefgen.memory.translations import ArticleMemory, MemoryEntry
from tests.conftest import REPO, copy_project
from tests.tiny_argos import untranslated_article

SLUG = "2016-12-02-ganfouda-push"
FIRST = "أعلن الجيش الليبي تقدمه في منطقة قنفودة غرب بنغازي."
SECOND = "وقالت مصادر عسكرية إن الاشتباكات استمرت حتى المساء."
TWICE = "وأكد المسماري أن العمليات ستتواصل."
SEED = "2016-11-19-alhayat-qawarsha"
SEED_TITLE = "المتشددون يقرّون بخسارة القوارشة غرب بنغازي"
SEED_TITLE_EN = "Militants concede the loss of Qawarsha, west of Benghazi"
MACHINE_AR = "اعترف المتشددون الذين يقاتلون الجيش في بنغازي"  # the start of the seed's first sentence
SCHEMA = REPO / "tests" / "fixtures" / "xliff" / "xliff-core-1.2-strict.xsd"
XLF = "{urn:oasis:names:tc:xliff:document:1.2}"


def run(project: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, [*args, "--config", str(project / "site_config.yml")])
    assert result.exit_code == code, result.output
    return result.output


def memory_file(project: Path, slug: str = SLUG) -> Path:
    return project / "content" / "translations" / f"{slug}.yml"


def entries(project: Path, slug: str = SLUG) -> list[MemoryEntry]:
    return list(load_memory(memory_file(project, slug), slug).entries)


def unit_id(ar: str, occurrence: int = 0, slug: str = SLUG) -> str:
    return f"{slug}#{sentence_key(ar)}#{occurrence}"


def filled(text: str, ar: str, en: str, occurrence: int = 0) -> str:
    """The memory's text with the `occurrence`-th pending entry of `ar` filled as import fills it."""
    entry = f"  ar: {ar}\n  en: ''\n  origin: pending\n"
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(entry, at + 1)
    return text[:at] + f"  ar: {ar}\n  en: {en}\n  origin: reviewed\n" + text[at + len(entry) :]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project, built once without a model: never change it, copy it (`project_copy`)."""
    root = copy_project(tmp_path_factory.mktemp("exchange") / "project")
    (root / "content" / "articles" / f"{SLUG}.md").write_text(
        untranslated_article(TWICE, TWICE), encoding="utf-8"
    )
    seed = memory_file(root, SEED)
    text = seed.read_text(encoding="utf-8")
    first = text.index(f"  ar: {MACHINE_AR}")
    reviewed = text.index("  origin: reviewed\n", first)
    seed.write_text(
        text[:reviewed]
        + "  origin: machine\n  engine: argos\n  model: translate-ar_en 1.9\n"
        + text[reviewed + len("  origin: reviewed\n") :],
        encoding="utf-8",
    )
    run(root, "build")
    return root


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built, tmp_path / "project"))


def test_the_built_memory_has_the_units_the_tests_rely_on(built: Path) -> None:
    assert [(e.ar, e.origin) for e in entries(built)][1:] == [
        (FIRST, "pending"),
        (SECOND, "pending"),
        (TWICE, "pending"),
        (TWICE, "pending"),
    ]
    assert [e.origin for e in entries(built, SEED) if e.ar.startswith(MACHINE_AR)] == ["machine"]


# --- XLIFF -------------------------------------------------------------------------------


def test_xliff_export_is_valid_xliff_1_2_with_a_file_per_article_and_each_units_state(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "all.xlf"
    output = run(project, "translations", "export", "--format", "xliff", "--out", str(out))
    assert "to " in output and "(xliff)" in output
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    document = etree.parse(str(out))
    assert schema.validate(document), schema.error_log
    # The schema is not a formality: the same file with a state XLIFF lacks is refused.
    broken = etree.fromstring(out.read_bytes().replace(b'state="final"', b'state="done"', 1))
    assert not schema.validate(broken)

    articles = sorted(p.stem for p in (project / "content" / "articles").glob("*.md"))
    assert [f.get("original") for f in document.iter(f"{XLF}file")] == articles
    assert {(f.get("source-language"), f.get("target-language")) for f in document.iter(f"{XLF}file")} == {
        ("ar", "en")
    }
    units = {u.get("id"): u for u in document.iter(f"{XLF}trans-unit")}
    total = sum(len(entries(project, slug)) for slug in articles)
    assert len(units) == total

    reviewed = units[unit_id(SEED_TITLE, slug=SEED)]
    assert reviewed.findtext(f"{XLF}source") == SEED_TITLE
    assert reviewed.findtext(f"{XLF}target") == SEED_TITLE_EN
    assert (reviewed.get("approved"), reviewed.find(f"{XLF}target").get("state")) == ("yes", "final")
    assert reviewed.findtext(f"{XLF}note") == "title"

    pending = units[unit_id(FIRST)]
    assert pending.find(f"{XLF}target") is None and pending.get("approved") != "yes"
    assert (units[unit_id(TWICE, 0)] is not None, units[unit_id(TWICE, 1)] is not None) == (True, True)

    machine_entry = next(e for e in entries(project, SEED) if e.origin == "machine")
    machine = units[f"{SEED}#{machine_entry.key}#0"]
    target = machine.find(f"{XLF}target")
    assert (target.get("state"), target.get("state-qualifier")) == ("translated", "mt-suggestion")
    assert machine.get("approved") == "no", "machine English is not signed off"


def test_pending_only_and_one_article(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "pending.xlf"
    run(project, "translations", "export", "--format", "xliff", "--pending-only", "--out", str(out))
    ids = [u.get("id") for u in etree.parse(str(out)).iter(f"{XLF}trans-unit")]
    assert ids == [e for e in ids if e.startswith(f"{SLUG}#")] and len(ids) == 5

    run(
        project,
        "translations",
        "export",
        "--format",
        "po",
        "--article",
        SEED,
        "--out",
        str(tmp_path / "one.po"),
    )
    store = po.pofile.parsefile(str(tmp_path / "one.po"))
    assert {u.getcontext().split("#")[0] for u in store.units if not u.isheader()} == {SEED}


def test_xliff_round_trip_edited_with_translate_toolkit(project: Path, tmp_path: Path) -> None:
    """Export, translate two pending units (one the second copy of a sentence) and leave one
    unfinished in a CAT tool, import: exactly those entries change, byte for byte, the
    comments stay, and a rebuild keeps them."""
    path = memory_file(project)
    text = path.read_text(encoding="utf-8")
    commented = text.replace("- key: ", "# checked with the desk\n- key: ", 1)
    path.write_text(commented, encoding="utf-8")
    out = tmp_path / "work.xlf"
    run(project, "translations", "export", "--format", "xliff", "--article", SLUG, "--out", str(out))

    store = xliff.xlifffile.parsefile(str(out))
    by_id = {u.xmlelement.get("id"): u for u in store.units}
    for uid, english in (
        (unit_id(FIRST), "The Libyan army announced its advance in Ganfouda."),
        (unit_id(TWICE, 1), "Al-Mismari stressed, again, that the operations would continue."),
    ):
        by_id[uid].target = english
        by_id[uid].markapproved(True)
        by_id[uid].getlanguageNode(lang=None, index=1).set("state", "final")
    by_id[unit_id(SECOND)].target = "Work in progress"  # not signed off
    by_id[unit_id(SECOND)].markapproved(False)
    out.write_bytes(bytes(store))

    output = run(project, "translations", "import", str(out))
    assert "2 imported, 0 skipped, 0 conflict(s), 3 not translated" in output, output
    assert f"imported  {unit_id(FIRST)}" in output and f"imported  {unit_id(TWICE, 1)}" in output
    expected = filled(commented, FIRST, "The Libyan army announced its advance in Ganfouda.")
    expected = filled(expected, TWICE, "Al-Mismari stressed, again, that the operations would continue.", 1)
    assert path.read_text(encoding="utf-8") == expected

    run(project, "build")
    assert path.read_text(encoding="utf-8") == expected, "a rebuild keeps the imported entries"
    page = (project / "site" / "articles" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "The Libyan army announced its advance in Ganfouda." in page
    assert "Work in progress" not in page

    again = run(project, "translations", "import", str(out))
    assert "0 imported" in again and "2 unchanged" in again
    assert path.read_text(encoding="utf-8") == expected


# --- PO ----------------------------------------------------------------------------------


def test_po_round_trip_edited_as_text(project: Path, tmp_path: Path) -> None:
    """A translator in Poedit fills a pending msgstr and accepts one machine translation
    (clears its fuzzy flag); another stays fuzzy. Import takes the two, not the fuzzy one."""
    out = tmp_path / "all.po"
    run(project, "translations", "export", "--format", "po", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    machine = next(e for e in entries(project, SEED) if e.origin == "machine")
    pending_block = f'msgctxt "{unit_id(FIRST)}"\nmsgid "{FIRST}"\nmsgstr ""\n'
    assert pending_block in text, text
    text = text.replace(pending_block, pending_block.replace('msgstr ""', 'msgstr "Filled in Poedit."'))
    fuzzy = f'#, fuzzy\nmsgctxt "{SEED}#{machine.key}#0"'
    assert fuzzy in text
    text = text.replace(fuzzy, f'msgctxt "{SEED}#{machine.key}#0"')
    out.write_text(text, encoding="utf-8")

    seed_before = memory_file(project, SEED).read_text(encoding="utf-8")
    output = run(project, "translations", "import", str(out))
    assert "Imported 2 unit(s) into 2 memory file(s)" in output, output
    assert [e.en for e in entries(project) if e.ar == FIRST] == ["Filled in Poedit."]
    accepted = next(e for e in entries(project, SEED) if e.key == machine.key)
    assert (accepted.en, accepted.origin, accepted.engine, accepted.model) == (
        machine.en,
        "reviewed",
        None,
        None,
    )
    seed_after = memory_file(project, SEED).read_text(encoding="utf-8")
    assert seed_after == seed_before.replace(
        "  origin: machine\n  engine: argos\n  model: translate-ar_en 1.9\n", "  origin: reviewed\n"
    )
    run(project, "build")
    assert memory_file(project, SEED).read_text(encoding="utf-8") == seed_after, "a rebuild keeps them"
    assert [e.en for e in entries(project) if e.ar == FIRST] == ["Filled in Poedit."]


def test_po_export_marks_machine_fuzzy_and_pending_empty(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.po"
    run(project, "translations", "export", "--format", "po", "--out", str(out))
    store = po.pofile.parsefile(str(out))
    units = {u.getcontext(): u for u in store.units if not u.isheader()}
    machine = next(e for e in entries(project, SEED) if e.origin == "machine")
    assert units[f"{SEED}#{machine.key}#0"].isfuzzy()
    assert units[unit_id(FIRST)].target == "" and not units[unit_id(FIRST)].isfuzzy()
    title = units[unit_id(SEED_TITLE, slug=SEED)]
    assert (title.target, title.isfuzzy(), title.getnotes("developer")) == (SEED_TITLE_EN, False, "title")


# --- TMX ---------------------------------------------------------------------------------


def test_tmx_export_is_the_whole_reviewed_memory(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "newsroom.tmx"
    run(project, "translations", "export", "--format", "tmx", "--out", str(out))
    store = tmx.tmxfile.parsefile(str(out))
    reviewed = [
        (slug, e)
        for slug in sorted(p.stem for p in (project / "content" / "articles").glob("*.md"))
        for e in entries(project, slug)
        if e.origin == "reviewed"
    ]
    assert len(store.units) == len(reviewed) > 50
    assert {u.getid().split("#")[0] for u in store.units} == {slug for slug, _ in reviewed}
    assert all(u.gettarget("en") for u in store.units)
    header = store.document.getroot().find("header")
    assert (header.get("srclang"), header.get("creationtool")) == ("ar", "briefgen")

    run(project, "translations", "export", "--format", "tmx", "--all", "--out", str(tmp_path / "all.tmx"))
    everything = tmx.tmxfile.parsefile(str(tmp_path / "all.tmx"))
    assert len(everything.units) == len(reviewed) + 1  # the machine one; pending ones have no English


def test_tmx_round_trip_conflict_is_kept_without_force_and_taken_with_it(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "seed.tmx"
    run(project, "translations", "export", "--format", "tmx", "--article", SEED, "--out", str(out))
    text = out.read_text(encoding="utf-8")
    assert f"<seg>{SEED_TITLE_EN}</seg>" in text
    out.write_text(
        text.replace(f"<seg>{SEED_TITLE_EN}</seg>", "<seg>A better headline</seg>"), encoding="utf-8"
    )
    before = memory_file(project, SEED).read_bytes()

    output = run(project, "translations", "import", str(out))
    assert f"conflict  {unit_id(SEED_TITLE, slug=SEED)}" in output, output
    assert repr(SEED_TITLE_EN) in output and "'A better headline'" in output and "--force" in output
    assert memory_file(project, SEED).read_bytes() == before

    output = run(project, "translations", "import", str(out), "--force")
    assert f"replaced  {unit_id(SEED_TITLE, slug=SEED)}" in output, output
    assert memory_file(project, SEED).read_text(encoding="utf-8") == before.decode().replace(
        f"en: {SEED_TITLE_EN}\n", "en: A better headline\n", 1
    )
    run(project, "build")
    assert memory_file(project, SEED).read_text(encoding="utf-8") == before.decode().replace(
        f"en: {SEED_TITLE_EN}\n", "en: A better headline\n", 1
    ), "a rebuild keeps it"


# --- the acceptance test ---------------------------------------------------------------


def test_acceptance_export_three_formats_import_an_edited_xliff(project: Path, tmp_path: Path) -> None:
    """Issue 13's acceptance, through the CLI: export XLIFF, PO and TMX; edit the XLIFF; import.
    Reviewed entries land by key; a unit whose Arabic changed in the article since the export
    is reported and not imported; a conflict is reported and kept without --force, taken with it."""
    for fmt, name in (("xliff", "all.xlf"), ("po", "all.po"), ("tmx", "all.tmx")):
        run(project, "translations", "export", "--format", fmt, "--out", str(tmp_path / name))
        assert (tmp_path / name).stat().st_size > 1000
    out = tmp_path / "all.xlf"
    text = out.read_text(encoding="utf-8")

    def translate(uid: str, english: str, text: str) -> str:
        block = re.search(
            rf'<trans-unit xml:space="preserve" id="{re.escape(uid)}">\n.*?</source>\n', text, re.S
        )
        assert block, uid
        done = (
            block.group().replace(">\n", ' approved="yes">\n', 1)
            + f'        <target state="final">{english}</target>\n'
        )
        return text.replace(block.group(), done)

    text = translate(unit_id(FIRST), "The army announced its advance.", text)
    text = translate(unit_id(SECOND), "Military sources said the clashes went on.", text)
    text = translate(unit_id(TWICE, 0), "Al-Mismari said operations would go on.", text)
    text = text.replace(
        f'<target state="final">{SEED_TITLE_EN}</target>', '<target state="final">Another headline</target>'
    )
    out.write_text(text, encoding="utf-8")
    # The article changes after the export: its second sentence is rewritten.
    article = project / "content" / "articles" / f"{SLUG}.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace(SECOND, "وقالت مصادر إن الاشتباكات توقفت."),
        encoding="utf-8",
    )
    seed_before = memory_file(project, SEED).read_bytes()

    output = run(project, "translations", "import", str(out))
    assert f"imported  {unit_id(FIRST)}" in output and f"imported  {unit_id(TWICE, 0)}" in output
    assert re.search(
        rf"skipped   {re.escape(unit_id(SECOND))} \(sentence, .*all\.xlf:\d+\)\n +{SECOND}\n +its Arabic is no longer in the article",
        output,
    ), output
    assert f"conflict  {unit_id(SEED_TITLE, slug=SEED)}" in output
    assert "Imported 2 unit(s) into 1 memory file(s)" in output and "1 skipped, 1 conflict(s) kept" in output
    landed = {(e.ar, e.origin, e.en) for e in entries(project)}
    assert (FIRST, "reviewed", "The army announced its advance.") in landed
    assert (TWICE, "reviewed", "Al-Mismari said operations would go on.") in landed
    assert (TWICE, "pending", "") in landed, "the second copy keeps its own entry"
    assert (SECOND, "pending", "") in landed, "a changed sentence is not imported"
    assert memory_file(project, SEED).read_bytes() == seed_before, "a conflict is kept"

    output = run(project, "translations", "import", str(out), "--force")
    assert f"replaced  {unit_id(SEED_TITLE, slug=SEED)}" in output
    assert [e.en for e in entries(project, SEED) if e.kind == "title"] == ["Another headline"]
    assert f"skipped   {unit_id(SECOND)}" in output, "--force takes conflicts, never a changed sentence"


# --- what import refuses or skips ----------------------------------------------------------


def test_exports_are_deterministic(project: Path, tmp_path: Path) -> None:
    """The same memories give the same bytes: no dates in any of them."""
    for fmt in ("xliff", "po", "tmx"):
        first, second = tmp_path / f"1.{fmt}", tmp_path / f"2.{fmt}"
        run(project, "translations", "export", "--format", fmt, "--out", str(first))
        run(project, "translations", "export", "--format", fmt, "--out", str(second))
        assert first.read_bytes() == second.read_bytes(), fmt


def test_import_keeps_the_memorys_mode_and_export_writes_an_ordinary_one(
    project: Path, tmp_path: Path
) -> None:
    """Written atomically through a temporary file (mode 600), yet a memory keeps its mode
    and a new file gets the umask's: translators and editors share these files."""
    import os

    memory = memory_file(project, SEED)
    memory.chmod(0o664)
    out = tmp_path / "seed.tmx"
    old = os.umask(0o022)
    try:
        run(project, "translations", "export", "--format", "tmx", "--article", SEED, "--out", str(out))
        assert out.stat().st_mode & 0o777 == 0o644
        out.write_text(out.read_text(encoding="utf-8").replace(SEED_TITLE_EN, "Edited"), encoding="utf-8")
        assert "replaced" in run(project, "translations", "import", str(out), "--force")
    finally:
        os.umask(old)
    assert "en: Edited" in memory.read_text(encoding="utf-8")
    assert memory.stat().st_mode & 0o777 == 0o664


def test_import_of_a_missing_file_is_briefgens_message(project: Path, tmp_path: Path) -> None:
    output = run(project, "translations", "import", str(tmp_path / "nowhere.xlf"), code=1)
    assert "nowhere.xlf" in output and "Error: 1 problem found" in output


def test_export_refuses_an_unknown_article_and_tmx_pending_only(project: Path, tmp_path: Path) -> None:
    output = run(
        project,
        "translations",
        "export",
        "--format",
        "xliff",
        "--article",
        "no-such",
        "--out",
        str(tmp_path / "x"),
        code=1,
    )
    assert "--article no-such: there is no article with this slug" in output and "hint:" in output
    output = run(
        project,
        "translations",
        "export",
        "--format",
        "tmx",
        "--pending-only",
        "--out",
        str(tmp_path / "x"),
        code=1,
    )
    assert "--pending-only: a TMX file holds translations" in output
    output = run(
        project, "translations", "export", "--format", "po", "--all", "--out", str(tmp_path / "x"), code=1
    )
    assert "--all is for TMX" in output
    assert not (tmp_path / "x").exists()


def _unit(ar: str, en: str = "English", occurrence: int = 0, origin: str = "reviewed") -> ExchangeUnit:
    return ExchangeUnit(SLUG, sentence_key(ar), occurrence, "sentence", ar, en, origin)  # type: ignore[arg-type]


def _memory(*pairs: tuple[str, str, str]) -> ArticleMemory:
    return ArticleMemory(
        SLUG, tuple(MemoryEntry(sentence_key(ar), "sentence", ar, en, o) for ar, en, o in pairs)
    )  # type: ignore[arg-type]


def test_plan_import_compares_the_normalized_arabic() -> None:
    memory = _memory((FIRST, "", "pending"), (SECOND, "", "pending"))
    keys = [sentence_key(FIRST), sentence_key(SECOND)]
    # The same Arabic with a diacritic and extra spaces: the same text, imported.
    same = _unit(FIRST.replace("الجيش", "الجَيش  "))
    # The source edited in the CAT tool (the key is the old one): not the memory's Arabic.
    edited = ExchangeUnit(SLUG, sentence_key(SECOND), 0, "sentence", "نص آخر تماما.", "Other", "reviewed")
    gone = _unit(SECOND, occurrence=1)
    changed, results = plan_import([same, edited, gone], {SLUG: memory}, {SLUG: keys})
    assert [(r.verdict, r.reason.split(" (")[0]) for r in results] == [
        ("changed", "was ''"),
        ("skipped", "its Arabic in the file is not the memory's"),
        ("skipped", "its Arabic is no longer in the article"),
    ]
    assert [e.en for e in changed[SLUG].entries] == ["English", ""]


def test_plan_import_skips_what_has_no_entry_and_what_is_not_translated() -> None:
    memory = _memory((FIRST, "", "pending"))
    keys = [sentence_key(FIRST), sentence_key(SECOND)]  # the article gained a sentence since the build
    results = plan_import(
        [
            _unit(SECOND),
            _unit(FIRST, en="", origin="pending"),
            ExchangeUnit("gone", "0" * 16, 0, "sentence", "x", "y", "reviewed"),
        ],
        {SLUG: memory},
        {SLUG: keys},
    )[1]
    assert [r.reason.split(":")[0].split(" (")[0] for r in results] == [
        "the memory has no entry for it yet",
        "not translated",
        "there is no article 'gone' any more",
    ]


def test_read_exchange_states_of_each_format(tmp_path: Path) -> None:
    """What a CAT tool's states mean to import: XLIFF approved or final/signed-off; PO not fuzzy."""
    from briefgen.memory.exchange import write_po, write_xliff

    units = [_unit(FIRST, "Done", origin="reviewed"), _unit(SECOND, "Machine", origin="machine")]
    fmt, read = read_exchange(write_xliff(units), tmp_path / "x.xlf")
    assert fmt == "xliff" and [u.origin for u in read] == ["reviewed", "pending"]
    assert [u.line for u in read] == [5, 10]
    signed = (
        write_xliff(units)
        .replace(b'approved="no"', b"")
        .replace(b'state="translated"', b'state="signed-off"')
    )
    assert [u.origin for u in read_exchange(signed, tmp_path / "x.xlf")[1]] == ["reviewed", "reviewed"]
    fmt, read = read_exchange(write_po(units), tmp_path / "x.po")
    assert fmt == "po" and [(u.origin, u.en) for u in read] == [("reviewed", "Done"), ("pending", "Machine")]
    assert all(u.line for u in read)


def test_a_long_slugs_po_context_is_wrapped_and_still_located(tmp_path: Path) -> None:
    """PO writers wrap a msgctxt longer than a line; import still names its line."""
    from briefgen.memory.exchange import write_po

    slug = "-".join(["qawarsha"] * 12)
    data = write_po([ExchangeUnit(slug, sentence_key(FIRST), 0, "sentence", FIRST, "Done", "reviewed")])
    assert b'msgctxt ""\n"' in data
    [unit] = read_exchange(data, tmp_path / "x.po")[1]
    line = data.decode().splitlines().index('msgctxt ""') + 1
    assert (unit.slug, unit.origin, unit.line) == (slug, "reviewed", line)
