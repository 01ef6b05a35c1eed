"""The translation memory's exchange with CAT tools: XLIFF 1.2, PO and TMX 1.4.

Translators work in OmegaT, Poedit, Weblate, Trados or memoQ, which speak these formats and
not briefgen's YAML. Export writes the memories' units into one of them; import reads a file
the tool edited back into units, and `plan_import` decides what each does to the memories.
The files are written and read by translate-toolkit (`translate.storage`), never by hand.

Each unit carries what import needs to land it exactly: its id `slug#key#occurrence` (the
XLIFF trans-unit id, the PO msgctxt, the TMX tuid), its kind, the Arabic as the memory had it
(the source) and the English (the target), with a state from its origin:

| origin   | XLIFF                                            | PO              | TMX              |
|----------|--------------------------------------------------|-----------------|------------------|
| reviewed | `state="final"`, `approved="yes"`                | translated      | exported         |
| machine  | `state="translated"` (`mt-suggestion`), not approved | fuzzy       | only with `--all` |
| pending  | no target (a draft: `needs-review-translation`)  | empty (a draft: fuzzy) | only a draft with `--all` |

On import a unit counts as translated only when the translator signed it off: XLIFF approved
or `final`/`signed-off`, PO non-empty and not fuzzy, TMX non-empty and not marked machine or
pending. This module is pure: bytes in, bytes out; the command does the files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from briefgen import __version__
from briefgen.arabic import normalize
from briefgen.commented_yaml import by_occurrence
from briefgen.errors import BriefgenError, Problem
from briefgen.memory.translations import (
    UNIT_KINDS,
    ArticleMemory,
    EntryOrigin,
    MemoryEntry,
    UnitKind,
)

Format = Literal["xliff", "po", "tmx"]
FORMATS: tuple[Format, ...] = ("xliff", "po", "tmx")
SOURCE_LANGUAGE, TARGET_LANGUAGE = "ar", "en"

XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"
_XLIFF_SKELETON = f"""<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="{XLIFF_12}">
<file original="NoName" source-language="{SOURCE_LANGUAGE}" target-language="{TARGET_LANGUAGE}" datatype="plaintext">
<body>
</body>
</file>
</xliff>
"""
# TMX has no states: briefgen's own properties say where a unit's English came from.
KIND_PROP, ORIGIN_PROP = "x-briefgen-kind", "x-briefgen-origin"
_UNIT_ID = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)#(?P<key>[0-9a-f]{16})#(?P<n>[0-9]{1,9})$")
NOT_TRANSLATED = "not translated (empty, or not approved/final in the CAT tool)"
_ID_HINT = (
    "import takes files written by `briefgen translations export`, with their unit ids "
    "(slug#key#occurrence) as exported: export again and translate that file"
)


@dataclass(frozen=True)
class ExchangeUnit:
    """One unit of an exchange file: a memory entry, with the article it belongs to."""

    slug: str
    key: str
    occurrence: int
    kind: UnitKind
    ar: str
    en: str
    origin: EntryOrigin
    line: int | None = field(default=None, compare=False)  # where it was read

    @property
    def unit_id(self) -> str:
        return f"{self.slug}#{self.key}#{self.occurrence}"

    @property
    def translated(self) -> bool:
        """Signed off by a translator in the file (see the module's table)."""
        return self.origin == "reviewed" and bool(self.en.strip())


def exchange_units(
    memories: Iterable[ArticleMemory], origins: Sequence[EntryOrigin] | None = None
) -> list[ExchangeUnit]:
    """The memories' entries as exchange units, in reading order, optionally only those
    whose origin is one of `origins`."""
    units = []
    for memory in memories:
        for (key, occurrence), entry in zip(
            by_occurrence(e.key for e in memory.entries), memory.entries, strict=True
        ):
            if origins is None or entry.origin in origins:
                units.append(
                    ExchangeUnit(memory.slug, key, occurrence, entry.kind, entry.ar, entry.en, entry.origin)
                )
    return units


# --- writing -----------------------------------------------------------------------------


def _xliff_store() -> Any:
    """An empty XLIFF 1.2 store whose units are in the 1.2 namespace (translate-toolkit's own
    default is 1.1, which the 1.2 schema refuses)."""
    from translate.storage import xliff

    class Unit12(xliff.Xliff1Unit):  # type: ignore[misc]
        namespace = XLIFF_12

    class File12(xliff.Xliff1File):  # type: ignore[misc]
        UnitClass = Unit12
        XMLskeleton = _XLIFF_SKELETON

    return File12.parsestring(_XLIFF_SKELETON.encode("utf-8"))


def write_xliff(units: Sequence[ExchangeUnit]) -> bytes:
    """An XLIFF 1.2 document: one `<file>` per article (`original` its slug)."""
    store = _xliff_store()
    for unit in units:
        item = store.addsourceunit(unit.ar, unit.slug, createifmissing=True)
        item.setid(unit.unit_id)
        item.addnote(unit.kind, origin="briefgen")
        if unit.en:
            item.target = unit.en
        target = item.getlanguageNode(lang=None, index=1)
        if unit.origin == "reviewed" and unit.en:
            item.set_state_n(item.statemap["final"])
        elif unit.origin == "machine":
            item.set_state_n(item.statemap["translated"])
            item.markapproved(False)  # machine English is not signed off
            if target is not None:
                target.set("state-qualifier", "mt-suggestion")
        elif unit.en:  # a translator's draft, left pending
            item.set_state_n(item.statemap["needs-review-translation"])
        else:
            item.markapproved(False)
    store.removedefaultfile()
    return bytes(store)


def write_po(units: Sequence[ExchangeUnit]) -> bytes:
    """A PO file (Arabic msgid, English msgstr), each unit's id its msgctxt."""
    from translate.storage import po

    store = po.pofile()
    store.updateheader(
        add=True,
        Project_Id_Version="briefgen translation memory",
        POT_Creation_Date="",
        PO_Revision_Date="",
        Last_Translator="",
        Language_Team="",
        Language=TARGET_LANGUAGE,
        X_Source_Language=SOURCE_LANGUAGE,
    )
    for unit in units:
        item = store.addsourceunit(unit.ar)
        item.setcontext(unit.unit_id)
        item.addnote(unit.kind, origin="developer")
        item.addlocation(f"{unit.slug}.md")
        if unit.en:
            item.target = unit.en
            item.markfuzzy(unit.origin != "reviewed")
    return bytes(store)


def write_tmx(units: Sequence[ExchangeUnit]) -> bytes:
    """A TMX 1.4 memory: units with English only (what another tool can reuse)."""
    from lxml import etree
    from translate.storage import tmx

    store = tmx.tmxfile(sourcelanguage=SOURCE_LANGUAGE, targetlanguage=TARGET_LANGUAGE)
    header = store.document.getroot().find(store.namespaced("header"))
    header.set("creationtool", "briefgen")
    header.set("creationtoolversion", __version__)
    for unit in units:
        if not unit.en:
            continue
        item = store.addsourceunit(unit.ar, SOURCE_LANGUAGE)
        item.settarget(unit.en, TARGET_LANGUAGE)
        item.xmlelement.set("tuid", unit.unit_id)
        for kind, value in ((KIND_PROP, unit.kind), (ORIGIN_PROP, unit.origin)):
            prop = etree.Element(store.namespaced("prop"), type=kind)
            prop.text = value
            item._insert_element_before(prop, store.namespaced(item.languageNode))
    return bytes(store)


WRITERS = {"xliff": write_xliff, "po": write_po, "tmx": write_tmx}


# --- reading -----------------------------------------------------------------------------


def read_exchange(data: bytes, shown: Path) -> tuple[Format, list[ExchangeUnit]]:
    """The format and units of an exchange file; raises naming the file (and line where there
    is one) when it is not XLIFF 1.x, PO or TMX, is malformed, or has a unit that is not
    briefgen's. A unit not signed off comes back `pending` (see the module's table)."""
    text = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):
        return _read_xml(data, shown)
    if shown.suffix.lower() in (".po", ".pot") or re.search(rb"(?m)^\s*msgid\s", data):
        return "po", _read_po(data, shown)
    raise BriefgenError(
        Problem(
            "is not an XLIFF, PO or TMX file",
            path=shown,
            line=1,
            hint="import a file written by `briefgen translations export` (.xlf, .po or .tmx), "
            "as the CAT tool saved it",
        )
    )


def _read_xml(data: bytes, shown: Path) -> tuple[Format, list[ExchangeUnit]]:
    from lxml import etree
    from translate.misc.xml_helpers import parse_xml

    try:
        root = parse_xml(data)
    except etree.XMLSyntaxError as exc:
        raise BriefgenError(
            Problem(
                f"is not well-formed XML ({exc.msg})",
                path=shown,
                line=exc.lineno or None,
                hint="the file was cut short or edited by hand: save it again from the CAT tool, or export afresh",
            )
        ) from None
    name = etree.QName(root).localname
    if name == "xliff":
        if str(root.get("version", "1.2")).startswith("2"):
            raise BriefgenError(
                Problem(
                    f"is XLIFF {root.get('version')}, and briefgen reads XLIFF 1.2",
                    path=shown,
                    line=root.sourceline,
                    hint="have the CAT tool save XLIFF 1.2 (the format briefgen exported)",
                )
            )
        return "xliff", _read_xliff(data, shown)
    if name == "tmx":
        return "tmx", _read_tmx(data, shown)
    raise BriefgenError(
        Problem(
            f"is XML but neither XLIFF nor TMX (its root element is <{name}>)",
            path=shown,
            line=root.sourceline,
            hint="import a file written by `briefgen translations export` (.xlf or .tmx)",
        )
    )


def _identity(unit_id: str, shown: Path, line: int | None, where: str) -> tuple[str, str, int]:
    found = _UNIT_ID.match(unit_id or "")
    if not found:
        raise BriefgenError(
            Problem(
                f"{unit_id!r} is not a briefgen unit id", path=shown, line=line, field=where, hint=_ID_HINT
            )
        )
    return found["slug"], found["key"], int(found["n"])


def _kind(value: str) -> UnitKind:
    word = value.split(" ", 1)[0] if value else ""
    return word if word in UNIT_KINDS else "sentence"  # type: ignore[return-value]


def _checked(units: list[ExchangeUnit], shown: Path, where: str) -> list[ExchangeUnit]:
    """The units, refusing a file that gives one unit twice (which of the two to take?)."""
    seen: dict[str, int | None] = {}
    for unit in units:
        if unit.unit_id in seen:
            raise BriefgenError(
                Problem(
                    f"unit {unit.unit_id!r} is in the file twice (first at line {seen[unit.unit_id]})",
                    path=shown,
                    line=unit.line,
                    field=where,
                    hint="keep one of the two, or export afresh",
                )
            )
        seen[unit.unit_id] = unit.line
    return units


def _library_problem(exc: Exception, shown: Path, what: str) -> BriefgenError:
    why = str(exc) or "it has no <file> or <body> where the format needs one"
    return BriefgenError(
        Problem(
            f"cannot be read as {what} ({why})",
            path=shown,
            hint="save it again from the CAT tool, or export afresh",
        )
    )


def _read_xliff(data: bytes, shown: Path) -> list[ExchangeUnit]:
    from translate.storage import xliff

    try:
        store = xliff.xlifffile.parsestring(data)
    except (ValueError, AssertionError, StopIteration) as exc:
        raise _library_problem(exc, shown, "XLIFF 1.2") from None
    units = []
    for item in store.units:
        element = item.xmlelement
        line = element.sourceline
        slug, key, occurrence = _identity(str(element.get("id") or ""), shown, line, "trans-unit id")
        target = item.getlanguageNode(lang=None, index=1)
        state = target.get("state") if target is not None else None
        signed_off = item.isapproved() or state in ("final", "signed-off")
        en = item.target or ""
        notes = item.getnotes(origin="briefgen")
        units.append(
            ExchangeUnit(
                slug,
                key,
                occurrence,
                _kind(notes),
                item.source or "",
                en,
                "reviewed" if signed_off and en.strip() else "pending",
                line,
            )
        )
    return _checked(units, shown, "trans-unit id")


def _read_po(data: bytes, shown: Path) -> list[ExchangeUnit]:
    from translate.storage import po

    try:
        store = po.pofile.parsestring(data)
    except (ValueError, UnicodeDecodeError, LookupError) as exc:
        raise _library_problem(exc, shown, "PO") from None
    lines = _po_context_lines(data)
    units = []
    for item in store.units:
        if item.isheader() or item.isobsolete():
            continue
        context = item.getcontext() or ""
        line = lines.get(context)
        slug, key, occurrence = _identity(context, shown, line, "msgctxt")
        en = item.target or ""
        signed_off = bool(en.strip()) and not item.isfuzzy()
        kind = _kind(item.getnotes(origin="developer"))
        units.append(
            ExchangeUnit(
                slug,
                key,
                occurrence,
                kind,
                item.source or "",
                en,
                "reviewed" if signed_off else "pending",
                line,
            )
        )
    return _checked(units, shown, "msgctxt")


def _po_context_lines(data: bytes) -> dict[str, int]:
    """Each msgctxt's line in the PO text (the parser keeps none); a long one is wrapped over
    several lines (`msgctxt ""` then its pieces)."""
    found: dict[str, int] = {}
    lines = data.decode("utf-8", "replace").splitlines()
    for number, line in enumerate(lines, 1):
        match = re.match(r'\s*msgctxt\s+"(.*)"\s*$', line)
        if not match:
            continue
        pieces = [match[1]]
        for following in lines[number:]:
            piece = re.match(r'\s*"(.*)"\s*$', following)
            if not piece:
                break
            pieces.append(piece[1])
        found.setdefault("".join(pieces), number)
    return found


def _read_tmx(data: bytes, shown: Path) -> list[ExchangeUnit]:
    from translate.storage import tmx

    try:
        store = tmx.tmxfile.parsestring(data, sourcelanguage=SOURCE_LANGUAGE, targetlanguage=TARGET_LANGUAGE)
    except (ValueError, AssertionError, StopIteration) as exc:
        raise _library_problem(exc, shown, "TMX 1.4") from None
    units = []
    for item in store.units:
        element = item.xmlelement
        line = element.sourceline
        slug, key, occurrence = _identity(str(item.getid() or ""), shown, line, "tu tuid")
        props = {
            str(prop.get("type")): prop.text or "" for prop in element.iterchildren(store.namespaced("prop"))
        }
        en = item.gettarget(TARGET_LANGUAGE) or ""
        origin = props.get(ORIGIN_PROP, "reviewed")
        units.append(
            ExchangeUnit(
                slug,
                key,
                occurrence,
                _kind(props.get(KIND_PROP, "")),
                item.source or "",
                en,
                "reviewed" if origin == "reviewed" and en.strip() else "pending",
                line,
            )
        )
    return _checked(units, shown, "tu tuid")


# --- importing ---------------------------------------------------------------------------

Verdict = Literal["changed", "unchanged", "skipped", "conflict", "forced"]


@dataclass(frozen=True)
class ImportResult:
    """What import did (or did not do) with one unit of the file."""

    unit: ExchangeUnit
    verdict: Verdict
    reason: str = ""


def _folded(arabic: str) -> str:
    return " ".join(normalize(arabic).split())


def plan_import(
    units: Sequence[ExchangeUnit],
    memories: Mapping[str, ArticleMemory],
    article_units: Mapping[str, Sequence[str]],
    force: bool = False,
) -> tuple[dict[str, ArticleMemory], list[ImportResult]]:
    """The memories that import changes, as they will be written, and what became of each unit.

    `memories` and `article_units` (each article's unit keys in reading order, as the article
    is now) are by slug. A unit lands on the memory entry of its (key, occurrence) as
    `origin: reviewed`. It is skipped when it is not signed off, when its article is not
    there, when its Arabic is no longer the article's (the key, derived from the normalized
    Arabic, is gone), when the file's Arabic is not the memory's (compared normalized), or
    when the memory has no entry for it yet. An entry already reviewed with other English is
    a conflict: kept, unless `force`."""
    entries: dict[str, list[MemoryEntry]] = {}
    positions: dict[str, dict[tuple[str, int], int]] = {}
    in_article = {slug: set(by_occurrence(keys)) for slug, keys in article_units.items()}
    results: list[ImportResult] = []
    for unit in units:

        def skip(reason: str, unit: ExchangeUnit = unit) -> None:
            results.append(ImportResult(unit, "skipped", reason))

        if not unit.translated:
            skip(NOT_TRANSLATED)
            continue
        if unit.slug not in memories or unit.slug not in article_units:
            skip(f"there is no article {unit.slug!r} any more")
            continue
        if (unit.key, unit.occurrence) not in in_article[unit.slug]:
            skip("its Arabic is no longer in the article (changed or removed since the export)")
            continue
        memory = memories[unit.slug]
        if unit.slug not in positions:
            entries[unit.slug] = list(memory.entries)
            positions[unit.slug] = {
                identity: index for index, identity in enumerate(by_occurrence(e.key for e in memory.entries))
            }
        index = positions[unit.slug].get((unit.key, unit.occurrence))
        if index is None:
            skip("the memory has no entry for it yet: run `briefgen build`, then import again")
            continue
        entry = entries[unit.slug][index]
        if _folded(entry.ar) != _folded(unit.ar):
            skip("its Arabic in the file is not the memory's (edited since the export)")
            continue
        en = unit.en.strip()
        if entry.origin == "reviewed" and entry.en.strip() == en:
            results.append(ImportResult(unit, "unchanged"))
            continue
        verdict: Verdict = "changed"
        if entry.origin == "reviewed":
            if not force:
                results.append(
                    ImportResult(unit, "conflict", f"the memory's reviewed English is {entry.en!r}")
                )
                continue
            verdict = "forced"
        entries[unit.slug][index] = replace(entry, en=en, origin="reviewed", engine=None, model=None)
        results.append(ImportResult(unit, verdict, f"was {entry.en!r} ({entry.origin})"))
    changed = {
        slug: replace(memories[slug], entries=tuple(found))
        for slug, found in entries.items()
        if tuple(found) != memories[slug].entries
    }
    return changed, results
