"""The bad-input matrix (issue 7 §1), in one place, through the real command line.

Each row of `BAD_INPUTS` is one kind of bad content or configuration, its id named after
the issue's bullet. For every row `briefgen check` exits non-zero and names the file, the
line or field, and a hint; `briefgen build` fails the same way and leaves the previous
`site/` byte for byte, and the content (translation memories included) untouched.

The bullets that are not errors follow: an article at the 2 MB limit, text without sentence punctuation,
text that mixes directions, BOM and CRLF files, and HTML or script in every field an
editor writes, which must render as text everywhere in the site (pages, search results,
feeds and data exports), checked by parsing every file and in Chromium.

Bullet → test:
  YAML that constructs objects ............ BAD_INPUTS yaml-python-*
  url: javascript:… ........................ BAD_INPUTS url-*
  a field in both languages, badly ......... BAD_INPUTS bilingual-* (issue 14, item 3)
  new's placeholder text left in ........... BAD_INPUTS placeholder-body (issue 14, item 4)
  slugs with path separators or `..` ....... BAD_INPUTS slug-*, test_new_refuses_a_bad_slug
  slugs too long for the file system ....... BAD_INPUTS slug-too-long-*, test_new_refuses_a_bad_slug
  a 2 MB article (the limit) ............... test_a_2_mb_article_builds_in_linear_time
  no sentence punctuation .................. test_text_without_punctuation_is_cut_into_bounded_sentences
  mixed directions ......................... test_mixed_direction_text_keeps_its_characters_and_direction
  BOM or CRLF .............................. test_bom_and_crlf_files_build_the_same_site
  corrupt translation memory ............... BAD_INPUTS memory-*
  a typed memory entry fitting no unit ..... BAD_INPUTS memory-typed-* (issue 13, item 1)
  bad event memory (issue 12, item 3) ...... BAD_INPUTS events-*, test_event_memory.py (keys)
  corrupt or wrong-language .argosmodel .... test_bad_argosmodel_is_refused_and_nothing_installed
  a CAT-tool file import cannot take ....... BAD_IMPORTS import-*, test_import_into_a_corrupt_memory_* (issue 13, item 2)
  a bad CTranslate2 model directory ........ test_bad_ct2_directory_is_refused_and_nothing_installed
  a bad translation: engine/model .......... BAD_INPUTS config-translation-*
  unknown campaign id ...................... BAD_INPUTS campaign-*
  gazetteer without / impossible coordinates BAD_INPUTS gazetteer-*-coordinates, -latitude, -longitude
  two gazetteer entries with the same name . BAD_INPUTS gazetteer-same-name*
  HTML or script in titles and bodies ...... test_no_executable_markup_in_any_file, test_search_*
"""

from __future__ import annotations

import csv
import gc
import io
import json
import re
import shutil
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.commands import build as build_command
from briefgen.commands.build import article_cache, build_stamp
from briefgen.config import load_config
from briefgen.memory import ArticleMemory, MemoryEntry, dump_memory, sentence_key
from briefgen.pipeline.split import MAX_SENTENCE_CHARS, segment
from briefgen.site import exports as site_exports
from briefgen.site import render as site_render
from tests.conftest import REPO, copy_project
from tests.tiny_argos import build_corrupt_argosmodel, build_wrong_language_argosmodel

BODY = "قالت مصادر عسكرية إن القوات تقدمت في المحور الغربي لمدينة بنغازي أمس.\n"
SEED_SLUG = "2016-11-19-alhayat-qawarsha"
MARKER = "pwned"  # a file the YAML payloads try to create in the project


def front(**fields: object) -> str:
    fields = {"title": "عنوان تجريبي", "source": "Test Wire", "published": "2016-11-20", **fields}
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\n\n"


def run(project: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*args, "--config", str(project / "site_config.yml")])
    return result.exit_code, result.output


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- ways to break a copy of the good project ---------------------------------------------

Breakage = Callable[[Path], None]


def article(name: str, text: str | bytes) -> Breakage:
    def write(project: Path) -> None:
        path = project / "content" / "articles" / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text.replace("MARKER", str(project / MARKER)), encoding="utf-8")

    return write


def edit(relative: str, old: str, new: str) -> Breakage:
    """Replace the first `old` in the file with `new`."""

    def change(project: Path) -> None:
        path = project / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new.replace("MARKER", str(project / MARKER)), 1), encoding="utf-8")

    return change


def edits(*changes: tuple[str, str, str]) -> Breakage:
    """Several `edit`s, in order."""

    def change(project: Path) -> None:
        for relative, old, new in changes:
            edit(relative, old, new)(project)

    return change


def replace_file(relative: str, content: Callable[[bytes], bytes]) -> Breakage:
    def change(project: Path) -> None:
        path = project / relative
        path.write_bytes(content(path.read_bytes()))

    return change


MEMORY = f"content/translations/{SEED_SLUG}.yml"
EVENTS = f"content/events/{SEED_SLUG}.yml"
_MEMORY_TEXT = (REPO / MEMORY).read_text(encoding="utf-8")
MEMORY_LINES = len(_MEMORY_TEXT.splitlines())
MEMORY_ENTRIES = _MEMORY_TEXT.count("\n- key: ")
SEED_TITLE = yaml.safe_load(_MEMORY_TEXT)["entries"][0]["ar"]
FIRST_EVENT_PLACES = "  places:\n  - qawarsha\n  actors:\n  - ahmed-al-mismari\n"
GAZETTEER = "content/gazetteer.yml"
_GAZETTEER_TEXT = (REPO / GAZETTEER).read_text(encoding="utf-8").splitlines()
GAZETTEER_LINES = len(_GAZETTEER_TEXT)
GAZETTEER_PLACES_LINE = _GAZETTEER_TEXT.index("places:") + 1
BENGHAZI_COORDINATES = "    lat: 32.12\n    lon: 20.07\n"
BENGHAZI_LAT_LINE = _GAZETTEER_TEXT.index("    lat: 32.12") + 1
MARISA_PORT_LINE = _GAZETTEER_TEXT.index("  - id: marisa-port") + 1
BENGHAZI_LINE = _GAZETTEER_TEXT.index("  - id: benghazi") + 1
# The gazetteer padded to just over 16 MB, as the size limit's message rounds it.
GAZETTEER_PADDED_MB = f"{((REPO / GAZETTEER).stat().st_size + 16 * 2**20 + 1) / 2**20:.1f}"
ANOTHER_PLACE = (
    "  - id: benghazi-2\n    en: Greater Benghazi\n    ar: {ar}\n    kind: city\n"
    "    part_of: libya\n    lat: 32.1\n    lon: 20.1\n"
)


ENGINE_LINE = (REPO / "site_config.yml").read_text(encoding="utf-8").splitlines().index("  engine: argos") + 1

# Nine aliases of nine aliases of ...: 9**9 values from a few lines.
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


@dataclass(frozen=True)
class BadInput:
    id: str
    breaks: Breakage
    where: str  # "file:line:" (or "file:" where a line makes no sense)
    field: str  # what the message names after the location ("" for a file-level problem)
    hint: str  # part of the hint that must follow it


BAD_INPUTS = [
    # --- the event memory (content/events/): what an editor may get wrong
    BadInput(
        "events-unknown-place",
        edit(EVENTS, FIRST_EVENT_PLACES, FIRST_EVENT_PLACES.replace("qawarsha", "atlantis")),
        f"{EVENTS}:13:",
        "entries[0].places: 'atlantis' is not in the gazetteer",
        "content/gazetteer.yml",
    ),
    BadInput(
        "events-unknown-actor",
        edit(EVENTS, FIRST_EVENT_PLACES, FIRST_EVENT_PLACES.replace("ahmed-al-mismari", "nobody")),
        f"{EVENTS}:15:",
        "entries[0].actors: 'nobody' is not in the gazetteer",
        "content/gazetteer.yml",
    ),
    BadInput(
        "events-unknown-campaign",
        edit(EVENTS, "  campaign: benghazi-2016\n", "  campaign: sirte-2016\n"),
        f"{EVENTS}:17:",
        "entries[0].campaign: 'sirte-2016' is not a campaign",
        "benghazi-2016",
    ),
    BadInput(
        "events-unknown-type",
        edit(EVENTS, "  type: capture\n", "  type: kidnapping\n"),
        f"{EVENTS}:12:",
        "entries[0].type: 'kidnapping' is not an event type",
        "armed_clash",
    ),
    BadInput(
        "events-bad-date",
        edit(EVENTS, "  date_start: '2016-11-17'\n", "  date_start: '2016-11-31'\n"),
        f"{EVENTS}:9:",
        "entries[0].date_start: '2016-11-31' is not an ISO date",
        "YYYY-MM-DD",
    ),
    BadInput(
        "events-dates-reversed",
        edit(EVENTS, "  date_end: '2016-11-18'\n", "  date_end: '2016-11-01'\n"),
        f"{EVENTS}:10:",
        "entries[0].date_end: is before date_start",
        "on or after",
    ),
    BadInput(
        "events-bad-origin",
        edit(EVENTS, "  origin: machine\n", "  origin: editor\n"),
        f"{EVENTS}:18:",
        "entries[0].origin: 'editor' is not one of reviewed, machine",
        "machine or reviewed",
    ),
    BadInput(
        "events-bad-same-as",
        edit(
            EVENTS,
            "  origin: machine\n",
            "  origin: reviewed\n  same_as: 2016-11-19-nowhere#0123456789abcdef\n",
        ),
        f"{EVENTS}:19:",
        "entries[0].same_as: '2016-11-19-nowhere#0123456789abcdef' names no sentence of any article",
        "<slug>#<key>",
    ),
    BadInput(
        "events-reviewed-without-a-type",
        edits((EVENTS, "  type: capture\n", ""), (EVENTS, "  origin: machine\n", "  origin: reviewed\n")),
        f"{EVENTS}:7:",
        "entries[0].type: a reviewed event needs this field",
        "rejected: true",
    ),
    # --- YAML that tries to construct objects: refused before anything runs
    BadInput(
        "yaml-python-object-in-front-matter",
        article("evil.md", "---\ntitle: !!python/object/apply:os.system ['touch MARKER']\n---\n\n" + BODY),
        "content/articles/evil.md:2:",
        "YAML tag not allowed",
        "plain YAML",
    ),
    BadInput(
        "yaml-python-name-in-front-matter",
        article("evil.md", front(source="x").replace("source: x", "source: !!python/name:os.system") + BODY),
        "content/articles/evil.md:3:",
        "YAML tag not allowed",
        "plain YAML",
    ),
    BadInput(
        "yaml-python-object-in-translation-memory",
        edit(
            MEMORY, f"article: {SEED_SLUG}\n", "article: !!python/object/apply:os.system ['touch MARKER']\n"
        ),
        f"{MEMORY}:5:",
        "YAML tag not allowed",
        "plain YAML",
    ),
    BadInput(
        "yaml-python-object-in-gazetteer",
        edit(GAZETTEER, "    lat: 32.12\n", "    lat: !!python/object/apply:os.system ['touch MARKER']\n"),
        f"{GAZETTEER}:{BENGHAZI_LAT_LINE}:",
        "places[3].lat: YAML tag not allowed",
        "plain YAML",
    ),
    BadInput(
        "yaml-python-object-in-site-config",
        edit(
            "site_config.yml",
            "output_dir: site\n",
            "output_dir: !!python/object/apply:os.system ['touch MARKER']\n",
        ),
        "site_config.yml:12:",
        "YAML tag not allowed",
        "plain YAML",
    ),
    BadInput(
        # A tag the value does not fit failed inside PyYAML's constructor, with a traceback.
        "yaml-int-tag-on-text-in-front-matter",
        article("evil.md", front(source="x").replace("source: x", "source: !!int Reuters") + BODY),
        "content/articles/evil.md:3:",
        "source: YAML tag not allowed: !!int",
        "plain YAML",
    ),
    # ... and YAML that expands without end: "billion laughs", a value inside itself, nesting
    BadInput(
        "yaml-alias-bomb-in-front-matter",
        article("lol.md", front(source="x").replace("source: x\n", ALIAS_BOMB) + BODY),
        "content/articles/lol.md:4:",
        "YAML refused: alias *a",
        "anchors (&name) and aliases (*name)",
    ),
    BadInput(
        "yaml-recursive-alias-in-translation-memory",
        edit(MEMORY, "entries:\n", "loop: &loop [*loop]\nentries:\n"),
        f"{MEMORY}:6:",
        "YAML refused: alias *loop",
        "anchors (&name) and aliases (*name)",
    ),
    # Aliases under any expansion count: 2,000 of a 100 KB string made a 108 KB article a 964 MB site.
    BadInput(
        "yaml-aliases-of-a-long-string-in-front-matter",
        article(
            "tags.md",
            front().replace("---\n\n", f'tags: [&x "{"x" * 100_000}", {", ".join(["*x"] * 2000)}]\n---\n\n')
            + BODY,
        ),
        "content/articles/tags.md:5:",
        "YAML refused: alias *x",
        "anchors (&name) and aliases (*name)",
    ),
    BadInput(
        "yaml-alias-in-gazetteer",
        replace_file(GAZETTEER, lambda data: b"note: &n x\nnote_again: *n\n" + data),
        f"{GAZETTEER}:2:",
        "YAML refused: alias *n",
        "anchors (&name) and aliases (*name)",
    ),
    BadInput(
        "yaml-alias-in-site-config",
        edits(
            ("site_config.yml", "title:\n", "title: &t\n"),
            (
                "site_config.yml",
                "description:\n  en: Arabic press",
                "description: *t\nx:\n  en: Arabic press",
            ),
        ),
        "site_config.yml:5:",
        "YAML refused: alias *t",
        "anchors (&name) and aliases (*name)",
    ),
    BadInput(
        "yaml-alias-in-strings",
        edit(
            "templates/strings.yml",
            "home: {en: Home, ar: الرئيسية}\n",
            "home: &h {en: Home, ar: الرئيسية}\nhomepage: *h\n",
        ),
        "templates/strings.yml:4:",
        "YAML refused: alias *h",
        "anchors (&name) and aliases (*name)",
    ),
    # --- a key written twice: YAML keeps the last value and loses the first, silently
    BadInput(
        "yaml-duplicate-key-in-front-matter",
        article("dup.md", front().replace("title:", "title: العنوان الأول\ntitle:", 1) + BODY),
        "content/articles/dup.md:3:",
        "title: duplicate key (first at line 2)",
        "keep one of the two",
    ),
    BadInput(
        "yaml-duplicate-key-in-translation-memory",
        edit(MEMORY, "\n  origin: reviewed\n", "\n  origin: reviewed\n  origin: machine\n"),
        f"{MEMORY}:12:",
        "entries[0].origin: duplicate key (first at line 11)",
        "keep one of the two",
    ),
    BadInput(
        "yaml-duplicate-key-in-gazetteer",
        replace_file(GAZETTEER, lambda data: data + b"places: []\n"),
        f"{GAZETTEER}:{GAZETTEER_LINES + 1}:",
        f"places: duplicate key (first at line {GAZETTEER_PLACES_LINE})",
        "keep one of the two",
    ),
    BadInput(
        "yaml-duplicate-key-in-site-config",
        edit("site_config.yml", "output_dir: site\n", "output_dir: site\noutput_dir: elsewhere\n"),
        "site_config.yml:13:",
        "output_dir: duplicate key (first at line 12)",
        "keep one of the two",
    ),
    # --- site_config.yml's translation: section (issue 13, item 3)
    BadInput(
        "config-translation-engine",
        edit("site_config.yml", "  engine: argos\n", "  engine: marian\n"),
        f"site_config.yml:{ENGINE_LINE}:",
        "translation.engine: 'marian' is not one of argos, ct2",
        "models install --ct2 DIR",
    ),
    BadInput(
        "config-translation-model",
        edit("site_config.yml", "  engine: argos\n", "  engine: ct2\n  model: [opus-mt-ar-en]\n"),
        f"site_config.yml:{ENGINE_LINE + 1}:",
        "translation.model: expected text, got list",
        "the name `briefgen models list` gives the model",
    ),
    BadInput(
        "config-translation-batch-tokens",
        edit("site_config.yml", "  engine: argos\n", "  engine: ct2\n  batch_tokens: 1\n"),
        f"site_config.yml:{ENGINE_LINE + 1}:",
        "translation.batch_tokens:",
        "",
    ),
    BadInput(
        "yaml-duplicate-key-in-strings",
        edit(
            "templates/strings.yml",
            "home: {en: Home, ar: الرئيسية}\n",
            "home: {en: Home, ar: الرئيسية}\nhome: {en: Start, ar: البداية}\n",
        ),
        "templates/strings.yml:4:",
        "home: duplicate key (first at line 3)",
        "keep one of the two",
    ),
    # --- files too large to be what they claim: refused before they are read
    BadInput(
        "article-over-2-mb",
        article("big.md", front() + "ب" * (1024 * 1024 + 1) + "\n"),
        "content/articles/big.md:",
        "the article is 2.0 MB, over briefgen's limit of 2 MB",
        "split it",
    ),
    BadInput(
        "gazetteer-over-16-mb",
        replace_file(GAZETTEER, lambda data: data + b"#" * (16 * 2**20) + b"\n"),
        f"{GAZETTEER}:",
        f"the gazetteer is {GAZETTEER_PADDED_MB} MB, over briefgen's limit of 16 MB",
        "split it",
    ),
    BadInput(
        "memory-over-16-mb",
        replace_file(MEMORY, lambda data: data + b"#" * (16 * 2**20) + b"\n"),
        f"{MEMORY}:",
        "the translation memory is 16.0 MB, over briefgen's limit of 16 MB",
        "split it",
    ),
    BadInput(
        "yaml-nested-too-deeply-in-gazetteer",
        replace_file(GAZETTEER, lambda data: b"places: " + b"[" * 5000 + b"]" * 5000 + b"\n"),
        f"{GAZETTEER}:1:",
        "YAML refused: values are nested too deeply",
        "check the brackets",
    ),
    BadInput(
        # Under libyaml's own limit: refused by briefgen's walk of the nodes.
        "yaml-nested-150-deep-in-front-matter",
        article("deep.md", front(source="x").replace("source: x", "source: " + "[" * 150 + "]" * 150) + BODY),
        "content/articles/deep.md:",
        "YAML refused: values are nested too deeply",
        "check the brackets",
    ),
    # --- fields given in both languages (issue 14, item 3): {en: …, ar: …} or <field>_ar / title_en
    BadInput(
        "bilingual-title-without-arabic",
        article("t.md", front(title={"en": "A headline"}) + BODY),
        "content/articles/t.md:2:",
        "title.ar: the Arabic version is missing",
        "title: {ar: …, en: …}",
    ),
    BadInput(
        "bilingual-date-note-given-twice",
        article("t.md", front(date_note={"en": "Late", "ar": "متأخر"}, date_note_ar="متأخر") + BODY),
        "content/articles/t.md:8:",
        "date_note_ar: the Arabic date_note is given twice",
        "keep one of them",
    ),
    BadInput(
        "bilingual-unknown-language",
        article("t.md", front(source={"en": "Wire", "fr": "Agence"}) + BODY),
        "content/articles/t.md:3:",
        "source: unknown language(s): fr",
        "{en: ..., ar: ...}",
    ),
    BadInput(
        "bilingual-empty-arabic",
        article("t.md", front(date_note={"en": "Late", "ar": ""}) + BODY),
        "content/articles/t.md:5:",
        "date_note: ar: must not be empty",
        "write the Arabic text, or leave out 'ar'",
    ),
    BadInput(
        "bilingual-tags-unknown-language",
        article("t.md", front(tags={"en": ["offensive"], "fr": ["offensive"]}) + BODY),
        "content/articles/t.md:5:",
        "tags: unknown language(s): fr",
        "{en: [...], ar: [...]}",
    ),
    # --- an article `briefgen new` made whose placeholder was never replaced (issue 14, item 4)
    BadInput(
        "placeholder-body",
        article("draft.md", front() + "اكتب نص المقال هنا، والفقرات مفصولة بسطر فارغ.\n\n" + BODY),
        "content/articles/draft.md:7:",
        "the article still holds the placeholder text",
        "replace it with the article's Arabic text",
    ),
    # --- url: javascript:… and other addresses that are not web pages
    BadInput(
        "url-javascript",
        article("js.md", front(url="javascript:alert(1)") + BODY),
        "content/articles/js.md:5:",
        "url: 'javascript:alert(1)' is not an http or https URL",
        "https://",
    ),
    BadInput(
        "url-javascript-disguised",
        article("js.md", front(url=" JaVaScRiPt://%0aalert(1)") + BODY),
        "content/articles/js.md:5:",
        "url:",
        "https://",
    ),
    BadInput(
        "url-data",
        article("js.md", front(url="data:text/html,<script>alert(1)</script>") + BODY),
        "content/articles/js.md:5:",
        "url:",
        "https://",
    ),
    BadInput(
        "url-breaking-out-of-the-attribute",
        article("js.md", front(url='https://example.org/" onmouseover="alert(1)') + BODY),
        "content/articles/js.md:5:",
        "url:",
        "percent-encode",
    ),
    # --- slugs: the file name is the page's address
    BadInput(
        "slug-dot-dot", article("..md", front() + BODY), "content/articles/..md:", "", "e.g. article.md"
    ),
    # Too long for the names briefgen derives from it: it passed check, then the build
    # crashed (ENAMETOOLONG from memory.py at 240, and at 252 from check too).
    BadInput(
        "slug-too-long-240",
        article("a" * 240 + ".md", front() + BODY),
        f"content/articles/{'a' * 240}.md:",
        "file name is too long (240 characters before .md)",
        "shorten the file name (at most",
    ),
    BadInput(
        "slug-too-long-in-gazetteer-id",
        edit(GAZETTEER, "  - id: marisa-port\n", "  - id: " + "m" * 253 + "\n"),
        f"{GAZETTEER}:{MARISA_PORT_LINE}:",
        "id: id is too long (253 characters)",
        "shorten it (at most 252 characters)",
    ),
    BadInput(
        "slug-too-long-252",
        article("a" * 252 + ".md", front() + BODY),
        f"content/articles/{'a' * 252}.md:",
        "file name is too long (252 characters before .md)",
        "shorten the file name (at most",
    ),
    BadInput(
        "slug-dots-inside", article("a..b.md", front() + BODY), "content/articles/a..b.md:", "", "e.g. a-b.md"
    ),
    BadInput(
        "slug-backslash",
        article("..\\..\\evil.md", front() + BODY),
        "content/articles/..\\..\\evil.md:",
        "",
        "e.g. evil.md",
    ),
    BadInput(
        "slug-windows-reserved",
        article("con.md", front() + BODY),
        "content/articles/con.md:",
        "",
        "e.g. con-1.md",
    ),
    BadInput(
        "slug-windows-reserved-port",
        article("lpt1.md", front() + BODY),
        "content/articles/lpt1.md:",
        "",
        "e.g. lpt1-1.md",
    ),
    BadInput(
        "slug-uppercase",
        article("Gharyan.md", front() + BODY),
        "content/articles/Gharyan.md:",
        "",
        "gharyan.md",
    ),
    BadInput(
        "slug-unicode-latin",
        article("café-attack.md", front() + BODY),
        "content/articles/café-attack.md:",
        "",
        "cafe-attack.md",
    ),
    BadInput(
        "slug-arabic",
        article("غريان.md", front() + BODY),
        "content/articles/غريان.md:",
        "",
        "e.g. article.md",
    ),
    BadInput(
        "slug-space-and-dot",
        article("gharyan 2019.04.md", front() + BODY),
        "content/articles/gharyan 2019.04.md:",
        "",
        "gharyan-2019-04.md",
    ),
    BadInput(
        "slug-uppercase-extension-is-not-skipped",
        article("gharyan.MD", front() + BODY),
        "content/articles/gharyan.MD:",
        "",
        "rename it to gharyan.md",
    ),
    BadInput(
        "slug-campaign-with-path",
        article("x.md", front(campaign="../benghazi-2016") + BODY),
        "content/articles/x.md:5:",
        "campaign:",
        "lowercase ASCII",
    ),
    BadInput(
        "slug-campaign-id-windows-reserved",
        edit("site_config.yml", "  - id: benghazi-2016\n", "  - id: aux\n"),
        "site_config.yml:",
        "campaigns[0].id:",
        "aux-1",
    ),
    # --- a corrupt translation memory: a clear error, and the file is left as it is
    BadInput(
        "memory-invalid-yaml",
        edit(MEMORY, "\n  origin: reviewed\n", "\n  origin: [reviewed\n"),
        f"{MEMORY}:",
        "invalid YAML",
        "quote values",
    ),
    BadInput(
        "memory-truncated",
        # An editor's save cut short: half the characters, ending inside an entry.
        replace_file(MEMORY, lambda data: data.decode()[: len(data.decode()) // 2].encode()),
        f"{MEMORY}:",
        "entries[",
        "",
    ),
    BadInput(
        "memory-not-utf8",
        replace_file(MEMORY, lambda data: data[:300] + bytes(range(0x80, 0xA0)) + data[300:]),
        f"{MEMORY}:",
        "not valid UTF-8",
        "UTF-8",
    ),
    BadInput(
        "memory-not-a-mapping",
        replace_file(MEMORY, lambda data: b"- one\n- two\n"),
        f"{MEMORY}:1:",
        "expected `article:`",
        "delete it to translate the article afresh",
    ),
    BadInput(
        "memory-bad-origin",
        edit(MEMORY, "\n  origin: reviewed\n", "\n  origin: robot\n"),
        f"{MEMORY}:11:",
        "entries[0].origin: 'robot' is not one of reviewed, machine, pending",
        "reviewed (a translator's), machine, or pending",
    ),
    BadInput(
        "memory-of-another-article",
        edit(MEMORY, f"article: {SEED_SLUG}\n", "article: someone-else\n"),
        f"{MEMORY}:5:",
        "article: belongs to article 'someone-else'",
        "the file name must be the article's slug",
    ),
    BadInput(
        "memory-control-character",
        edit(
            MEMORY,
            "  en: Militants concede the loss of Qawarsha, west of Benghazi\n",
            '  en: "Militants concede the loss of Qawarsha,\\x1b west of Benghazi"\n',
        ),
        f"{MEMORY}:10:",
        "entries[0].en: contains the invisible control character U+001B",
        "delete it",
    ),
    # --- a translation memory entry typed by hand (issue 13, item 1): no key, so it is matched by
    # its Arabic; one that matches no unit, or a unit already reviewed, would be lost silently
    BadInput(
        "memory-typed-entry-matches-no-unit",
        replace_file(
            MEMORY,
            lambda data: data + "- ar: جملة ليست في المقال.\n  en: A sentence not in the article.\n".encode(),
        ),
        f"{MEMORY}:{MEMORY_LINES + 1}:",
        f"entries[{MEMORY_ENTRIES}]: has no `key`, and its `ar` is not the Arabic of the article's title",
        "copy `ar` exactly from the article",
    ),
    BadInput(
        "memory-typed-entry-for-a-reviewed-unit",
        replace_file(
            MEMORY,
            lambda data: data + f"- ar: {SEED_TITLE}\n  en: Another English title.\n".encode(),
        ),
        f"{MEMORY}:{MEMORY_LINES + 1}:",
        f"entries[{MEMORY_ENTRIES}]: has no `key`, and its unit already has a reviewed entry (line 7)",
        "correct that entry instead, and delete this one",
    ),
    BadInput(
        "memory-keyed-entry-without-origin",
        edit(MEMORY, "\n  origin: reviewed\n", "\n"),
        f"{MEMORY}:7:",
        "entries[0].origin: required field is missing",
        "pending (no English yet)",
    ),
    # --- an unknown campaign id
    BadInput(
        "campaign-unknown-in-front-matter",
        article("sirte.md", front(campaign="sirte-2016") + BODY),
        "content/articles/sirte.md:5:",
        "campaign: unknown campaign 'sirte-2016'",
        "benghazi-2016, tripoli-2019-2020",
    ),
    BadInput(
        "campaign-names-an-unknown-place",
        edit("site_config.yml", "    places: [benghazi]\n", "    places: [benghazi, sirte-port]\n"),
        "site_config.yml:",
        "campaigns[0].places: campaign 'benghazi-2016' names place 'sirte-port'",
        "add the place",
    ),
    # --- gazetteer coordinates: missing or impossible (Benghazi is places[3])
    BadInput(
        "gazetteer-without-coordinates",
        edit(GAZETTEER, "    admin1: Benghazi\n" + BENGHAZI_COORDINATES, "    admin1: Benghazi\n"),
        f"{GAZETTEER}:{BENGHAZI_LINE}:",
        "places[3].lat: required field is missing",
        "latitude in decimal degrees",
    ),
    BadInput(
        "gazetteer-impossible-latitude",
        edit(GAZETTEER, "    lat: 32.12\n", "    lat: 132.12\n"),
        f"{GAZETTEER}:{BENGHAZI_LAT_LINE}:",
        "places[3].lat: latitude 132.12 is impossible",
        "did you swap lat and lon?",
    ),
    BadInput(
        "gazetteer-impossible-longitude",
        edit(GAZETTEER, "    lon: 20.07\n", "    lon: -200\n"),
        f"{GAZETTEER}:{BENGHAZI_LAT_LINE + 1}:",
        "places[3].lon: longitude -200 is impossible",
        "did you swap lat and lon?",
    ),
    BadInput(
        "gazetteer-coordinates-not-numbers",
        edit(GAZETTEER, "    lat: 32.12\n", "    lat: .nan\n"),
        f"{GAZETTEER}:{BENGHAZI_LAT_LINE}:",
        "places[3].lat: expected a number in decimal degrees",
        "decimal degrees",
    ),
    BadInput(
        "gazetteer-latitude-and-longitude-swapped",
        edit(GAZETTEER, BENGHAZI_COORDINATES, "    lat: 20.07\n    lon: 32.12\n"),
        f"{GAZETTEER}:{BENGHAZI_LAT_LINE}:",
        "places[3].lat: (20.07, 32.12) lies outside 'libya'",
        "not swapped",
    ),
    # --- two gazetteer entries claiming the same name (the new entry's `ar` is 4 lines below Benghazi's lat)
    BadInput(
        "gazetteer-same-name",
        edit(GAZETTEER, BENGHAZI_COORDINATES, BENGHAZI_COORDINATES + ANOTHER_PLACE.format(ar="بنغازي")),
        f"{GAZETTEER}:{BENGHAZI_LAT_LINE + 4}:",
        "places[4].ar: 'بنغازي' is also a name of 'benghazi'",
        "a name can point at one entity only",
    ),
    BadInput(
        "gazetteer-same-name-after-normalization",
        edit(GAZETTEER, BENGHAZI_COORDINATES, BENGHAZI_COORDINATES + ANOTHER_PLACE.format(ar="بِنغازى")),
        f"{GAZETTEER}:{BENGHAZI_LAT_LINE + 4}:",
        "places[4].ar: 'بِنغازى' is also a name of 'benghazi'",
        "compared after normalization",
    ),
    # --- and a few more that every editor meets sooner or later
    BadInput(
        "control-character-in-body",
        article("bell.md", front() + "سطر أول.\nسطر فيه \x07 جرس.\n"),
        "content/articles/bell.md:8:",
        "contains the invisible control character U+0007",
        "delete it",
    ),
    BadInput(
        "not-utf8",
        article("cp1256.md", (front() + "سطر أول.\n").encode() + "سطر ثان.".encode("cp1256")),
        "content/articles/cp1256.md:8:",
        "not valid UTF-8",
        "iconv",
    ),
    BadInput(
        "template-syntax-error",
        edit("templates/pages/entity.md.j2", '## {{ t("chronology") }}', '## {{ t("chronology") }'),
        "templates/pages/entity.md.j2:",
        "template error: unexpected '}'",
        "check the {{ }} and {% %} tags",
    ),
    BadInput(
        # Fails only when rendered: `check` renders every page, as the build does.
        "template-undefined-name",
        edit("templates/pages/entity.md.j2", '## {{ t("chronology") }}', "## {{ undefined_thing.oops }}"),
        "templates/pages/entity.md.j2:",
        "template error: 'undefined_thing' is undefined",
        "check its spelling",
    ),
    BadInput(
        "missing-title",
        article("untitled.md", "---\nsource: Wire\npublished: 2016-11-20\n---\n\n" + BODY),
        "content/articles/untitled.md:2:",
        "title: required field is missing",
        "the Arabic headline",
    ),
]


@pytest.fixture(scope="module")
def good_project(seed_project: Path) -> Path:
    """The seed project, built once for the session: every bad input is tried on a copy of it."""
    return seed_project


def reported(output: str) -> Iterator[tuple[str, str]]:
    """(problem line, its hint) for each problem `briefgen` printed."""
    lines = output.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("  ") and not line.startswith("    hint:"):
            following = lines[number + 1] if number + 1 < len(lines) else ""
            yield line.strip(), following.strip() if following.startswith("    hint:") else ""


def assert_reported(output: str, case: BadInput) -> None:
    matches = [(line, hint) for line, hint in reported(output) if case.where in line and case.field in line]
    assert matches, f"no problem at {case.where!r} naming {case.field!r}:\n{output}"
    assert any(hint.startswith("hint:") and case.hint in hint for _, hint in matches), output
    location = matches[0][0].split(case.where, 1)[0] + case.where
    assert re.search(r"(\.md|\.yml|\.j2):(\d+:)?$", location, re.IGNORECASE), location


@pytest.mark.parametrize("case", BAD_INPUTS, ids=[c.id for c in BAD_INPUTS])
def test_bad_input_is_located_and_leaves_the_site_and_content_alone(
    good_project: Path, tmp_path: Path, case: BadInput
) -> None:
    project = Path(shutil.copytree(good_project, tmp_path / "project"))
    case.breaks(project)
    site_before, content_before = tree(project / "site"), tree(project / "content")

    code, output = run(project, "check")
    assert code == 1, output
    assert_reported(output, case)

    code, output = run(project, "build")
    assert code == 1, output
    assert_reported(output, case)
    assert tree(project / "site") == site_before
    assert tree(project / "content") == content_before, "a failed build must not rewrite any content"
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site")], "staging left behind"
    assert not (project / MARKER).exists(), "YAML ran code"


@pytest.mark.parametrize(
    ("slug", "hint"),
    [
        ("../../evil", "try evil"),
        ("a/b", "try a-b"),
        ("a\\b", "try a-b"),
        ("a\x00b", "try a-b"),
        ("..", "try article"),
        ("con", ""),
        ("Gharyan", "try gharyan"),
        ("مقال", "try article"),
        pytest.param("a" * 240, "shorten the file name (at most", id="240-characters"),
    ],
)
def test_new_refuses_a_bad_slug(good_project: Path, tmp_path: Path, slug: str, hint: str) -> None:
    project = Path(shutil.copytree(good_project, tmp_path / "project", ignore=shutil.ignore_patterns("site")))
    before = sorted(p for p in tmp_path.rglob("*"))
    args = ["new", "--title", "عنوان", "--date", "2019-04-05", "--source", "Wire", "--slug", slug]
    code, output = run(project, *args)
    assert code == 1, output
    assert "hint:" in output and hint in output, output
    assert sorted(p for p in tmp_path.rglob("*")) == before, "nothing may be written anywhere"


@dataclass(frozen=True)
class BadImport:
    """A file given to `briefgen translations import` that it must refuse, writing nothing."""

    id: str
    name: str  # the file's name
    exported: str | None  # the format exported first and then damaged, or None: `damage(b"")`
    damage: Callable[[bytes], bytes]
    line: int | None  # the line the problem names (None: the last line of the file)
    message: str
    hint: str


def _first(pattern: str, replacement: str) -> Callable[[bytes], bytes]:
    return lambda data: re.sub(pattern.encode(), replacement.encode(), data, count=1)


BAD_IMPORTS = [
    BadImport(
        "import-not-an-exchange-file",
        "notes.txt",
        None,
        lambda _: "ترجمة\nnot a CAT file\n".encode(),
        1,
        "is not an XLIFF, PO or TMX file",
        "import a file written by `briefgen translations export`",
    ),
    BadImport(
        "import-malformed-xml",
        "cut.xlf",
        "xliff",
        lambda data: data[: len(data) // 2],
        None,
        "is not well-formed XML",
        "save it again from the CAT tool, or export afresh",
    ),
    BadImport(
        "import-xml-not-xliff-nor-tmx",
        "page.xlf",
        None,
        lambda _: b"<html>\n<body>not XLIFF</body>\n</html>\n",
        1,
        "is XML but neither XLIFF nor TMX (its root element is <html>)",
        "import a file written by `briefgen translations export`",
    ),
    BadImport(
        "import-xliff-2",
        "v2.xlf",
        None,
        lambda _: (
            b'<?xml version="1.0"?>\n<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="ar"/>\n'
        ),
        2,
        "is XLIFF 2.0, and briefgen reads XLIFF 1.2",
        "have the CAT tool save XLIFF 1.2",
    ),
    BadImport(
        "import-xliff-unit-id-not-briefgens",
        "ids.xlf",
        "xliff",
        _first(r'id="[^"]+"', 'id="tu-1"'),
        5,
        "trans-unit id: 'tu-1' is not a briefgen unit id",
        "export again and translate that file",
    ),
    BadImport(
        "import-xliff-unit-twice",
        "twice.xlf",
        "xliff",
        lambda data: re.sub(rb"(\s*<trans-unit .*?</trans-unit>)", rb"\1\1", data, count=1, flags=re.S),
        10,
        "trans-unit id: unit '2016-07-30-qawarsha-pipes-factory#8e52bcbdbdb80880#0' is in the file twice "
        "(first at line 5)",
        "keep one of the two, or export afresh",
    ),
    BadImport(
        "import-po-msgctxt-not-briefgens",
        "ids.po",
        "po",
        _first(r'msgctxt "[^"]+"', 'msgctxt "greeting"'),
        18,
        "msgctxt: 'greeting' is not a briefgen unit id",
        "export again and translate that file",
    ),
    BadImport(
        "import-tmx-tuid-not-briefgens",
        "ids.tmx",
        "tmx",
        _first(r'tuid="[^"]+"', 'tuid="42"'),
        6,
        "tu tuid: '42' is not a briefgen unit id",
        "export again and translate that file",
    ),
]


@pytest.mark.parametrize("case", BAD_IMPORTS, ids=[c.id for c in BAD_IMPORTS])
def test_bad_import_file_is_located_and_nothing_is_written(
    good_project: Path, tmp_path: Path, case: BadImport
) -> None:
    project = Path(shutil.copytree(good_project, tmp_path / "project", ignore=shutil.ignore_patterns("site")))
    path = tmp_path / case.name
    data = b""
    if case.exported:
        code, output = run(project, "translations", "export", "--format", case.exported, "--out", str(path))
        assert code == 0, output
        data = path.read_bytes()
    path.write_bytes(case.damage(data))
    line = case.line or len(path.read_bytes().splitlines())
    content_before = tree(project / "content")

    code, output = run(project, "translations", "import", str(path))
    assert code == 1, output
    assert f"{path}:{line}: {case.message}" in output, output
    assert any(case.hint in hint for _, hint in reported(output)), output
    assert "Traceback" not in output
    assert tree(project / "content") == content_before, "a refused import writes nothing"


def test_import_into_a_corrupt_memory_is_refused_and_writes_nothing(
    good_project: Path, tmp_path: Path
) -> None:
    """The file is good, but a memory it would write into is not: import names the memory's
    line, as `check` does, and writes no memory at all (not even the good ones)."""
    project = Path(shutil.copytree(good_project, tmp_path / "project", ignore=shutil.ignore_patterns("site")))
    out = tmp_path / "all.xlf"
    code, output = run(project, "translations", "export", "--format", "xliff", "--out", str(out))
    assert code == 0, output
    out.write_bytes(out.read_bytes().replace(b'state="final">', b'state="final">Edited: ', 3))
    path = project / MEMORY
    text = path.read_text(encoding="utf-8")
    line = text[: text.index("  origin: reviewed")].count("\n") + 1
    path.write_text(text.replace("  origin: reviewed", "  origin: approved", 1), encoding="utf-8")
    content_before = tree(project / "content")

    code, output = run(project, "translations", "import", str(out), "--force")
    assert code == 1, output
    assert f"{MEMORY}:{line}: entries[0].origin: 'approved' is not one of" in output, output
    assert tree(project / "content") == content_before


@pytest.mark.parametrize("kind", ["corrupt", "wrong-language"])
def test_bad_argosmodel_is_refused_and_nothing_installed(argos_home: Path, tmp_path: Path, kind: str) -> None:
    package = (
        build_corrupt_argosmodel(tmp_path / "bad")
        if kind == "corrupt"
        else build_wrong_language_argosmodel(tmp_path / "wrong")
    )
    result = CliRunner().invoke(cli, ["models", "install", "--file", str(package)])
    assert result.exit_code == 1, result.output
    assert str(package) in result.output
    assert "hint:" in result.output
    assert ("not a zip archive" if kind == "corrupt" else "wrong language pair") in result.output
    assert not argos_home.exists() or not any(argos_home.iterdir())
    listed = CliRunner().invoke(cli, ["models", "list"])
    assert "No translation models installed" in listed.output


def _without(*names: str) -> Callable[[Path], None]:
    def damage(directory: Path) -> None:
        for name in names:
            (directory / name).unlink()

    return damage


def _hugging_face_model(directory: Path) -> None:
    (directory / "model.bin").rename(directory / "model.safetensors")


def _garbage_source_spm(directory: Path) -> None:
    (directory / "source.spm").write_bytes(b"not a sentencepiece model")


def _no_language_tokens(directory: Path) -> None:
    vocabulary = directory / "shared_vocabulary.json"
    tokens = json.loads(vocabulary.read_text(encoding="utf-8"))
    vocabulary.write_text(json.dumps([t for t in tokens if t != "arb_Arab"]), encoding="utf-8")


def _two_unknown_spms(directory: Path) -> None:
    shutil.copy(directory / "sentencepiece.bpe.model", directory / "other.model")
    (directory / "sentencepiece.bpe.model").rename(directory / "mine.model")


# (id, model style, damage, what the message says, what the hint says); "" names no argument.
BAD_CT2_DIRECTORIES = [
    ("missing", "marian", None, "model directory not found", ""),
    ("a-file", "marian", None, "not a directory", "use --file"),
    (
        "no-model-bin",
        "marian",
        _without("model.bin"),
        "model.bin (the CTranslate2 model) is missing",
        "ct2-transformers-converter",
    ),
    (
        "hugging-face-model",
        "marian",
        _hugging_face_model,
        "model.bin (the CTranslate2 model) is missing",
        "this is a Hugging Face Transformers model",
    ),
    (
        "no-config",
        "marian",
        _without("config.json"),
        "config.json (the CTranslate2 model's settings) is missing",
        "ct2-transformers-converter",
    ),
    (
        "no-vocabulary",
        "marian",
        _without("shared_vocabulary.json"),
        "no CTranslate2 vocabulary",
        "ct2-transformers-converter",
    ),
    (
        "no-target-spm",
        "marian",
        _without("target.spm"),
        "target.spm is missing: an OPUS-MT/Marian model needs both",
        "copy target.spm",
    ),
    ("no-spm", "marian", _without("source.spm", "target.spm"), "no SentencePiece model", "--copy_files"),
    ("garbage-spm", "marian", _garbage_source_spm, "not a SentencePiece model", "copy it again"),
    ("nllb-without-language", "nllb", _no_language_tokens, "has no arb_Arab language token", "eng_Latn"),
    ("nllb-two-spms", "nllb", _two_unknown_spms, "several SentencePiece models", "keep only"),
]


@pytest.mark.parametrize(
    ("style", "damage", "message", "hint"),
    [case[1:] for case in BAD_CT2_DIRECTORIES],
    ids=[case[0] for case in BAD_CT2_DIRECTORIES],
)
def test_bad_ct2_directory_is_refused_and_nothing_installed(
    ct2_home: Path, tmp_path: Path, style: str, damage: Callable[[Path], None] | None, message: str, hint: str
) -> None:
    from tests.tiny_marian import model_copy

    directory = tmp_path / "model"
    if message == "not a directory":
        directory.write_bytes(b"")
    elif message != "model directory not found":
        model_copy(directory, style)
        assert damage is not None
        damage(directory)
    result = CliRunner().invoke(cli, ["models", "install", "--ct2", str(directory)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), "no traceback"
    problems = list(reported(result.output)) or [(result.output.splitlines()[0], "")]
    matching = [(line, h) for line, h in problems if message in line]
    assert matching, result.output
    line, found_hint = matching[0]
    assert str(directory) in line, result.output
    assert hint in found_hint, result.output
    assert not ct2_home.exists() or not any(ct2_home.iterdir()), "nothing installed, nothing left behind"


def test_a_ct2_model_name_that_cannot_name_a_folder_is_refused(ct2_home: Path, tmp_path: Path) -> None:
    from tests.tiny_marian import cached_model

    result = CliRunner().invoke(cli, ["models", "install", "--ct2", str(cached_model()), "--name", "../up"])
    assert result.exit_code == 1
    assert (
        "'../up' cannot name a model" in result.output
        and "hint: give another name with --name" in result.output
    )
    assert not ct2_home.exists()


@pytest.mark.parametrize("damage", ["model.bin truncated", "sentencepiece.model garbage"])
def test_corrupt_installed_model_fails_the_build_clearly(
    argos_home: Path, good_project: Path, tmp_path: Path, damage: str
) -> None:
    from briefgen.translation.argos import install_from_file
    from tests.tiny_argos import cached_tiny_argosmodel

    model = install_from_file(cached_tiny_argosmodel())
    target, how = damage.split(" ")
    path = model.path / ("model" if target == "model.bin" else "") / target
    path.write_bytes(path.read_bytes()[:1000] if how == "truncated" else b"garbage")
    project = Path(shutil.copytree(good_project, tmp_path / "project"))
    article("2016-11-30-new.md", front(published="2016-11-30") + BODY)(project)  # needs translating
    site_before, content_before = tree(project / "site"), tree(project / "content")
    code, output = run(project, "build")
    assert code == 1, output
    assert f"{model.path}: cannot load the Argos Translate model" in output
    assert "hint: reinstall the model package" in output
    assert tree(project / "site") == site_before
    assert tree(project / "content") == content_before


# --- not errors: the build succeeds and the output is right ---------------------------------


def test_bom_and_crlf_files_build_the_same_site(good_project: Path, tmp_path: Path) -> None:
    project = Path(
        shutil.copytree(
            good_project, tmp_path / "project", ignore=shutil.ignore_patterns("site", ".briefgen")
        )
    )
    converted = [
        *sorted((project / "content").rglob("*.md")),
        *sorted((project / "content").rglob("*.yml")),
        project / "site_config.yml",
        project / "templates" / "strings.yml",
    ]
    for number, path in enumerate(converted):
        text = path.read_text(encoding="utf-8")
        # Windows (BOM + CRLF), and every other file old Mac line ends, or a mix.
        if number % 2:
            path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
        else:
            path.write_bytes(text.replace("\n", "\r", 3).encode())
    code, output = run(project, "build")
    assert code == 0, output
    built, expected = tree(project / "site"), tree(good_project / "site")
    assert sorted(built) == sorted(expected)
    different = [name for name in expected if built[name] != expected[name]]
    assert not different, different[:10]


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Texts(HTMLParser):
    """The text of every element with an id, and the lang and dir it inherits."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, str | None, str | None]] = []  # tag, id, lang, dir
        self.by_id: dict[str, tuple[str, str | None, str | None]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        a = dict(attrs)
        lang = a.get("lang") or (self.stack[-1][2] if self.stack else None)
        direction = a.get("dir") or (self.stack[-1][3] if self.stack else None)
        self.stack.append((tag, a.get("id"), lang, direction))
        if a.get("id"):
            self.by_id[a["id"] or ""] = ("", lang, direction)

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, element_id, _, _ in self.stack:
            if element_id:
                text, lang, direction = self.by_id[element_id]
                self.by_id[element_id] = (text + data, lang, direction)


def texts_by_id(path: Path) -> dict[str, tuple[str, str | None, str | None]]:
    parser = Texts()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.by_id


NO_PUNCTUATION_SLUG = "2016-11-25-no-punctuation"
_RUN_ON = "قوات الجيش تتقدم في المحور الغربي لمدينة بنغازي وسط اشتباكات عنيفة مع المسلحين منذ الصباح "
# A transcript or a scraped page: 50,000 characters and not one full stop.
NO_PUNCTUATION_TEXT = (_RUN_ON * (50_000 // len(_RUN_ON) + 1))[:50_000].strip()
MIXED_SLUG = "2016-11-26-mixed-directions"
# Arabic, Latin names and acronyms, ASCII and Arabic-Indic digits, LRM/RLM/ALM marks and an
# embedded English quotation.
MIXED_SENTENCES = [
    "قال المتحدث باسم Libyan National Army أحمد المسماري إن قوات LNA تقدمت 12 كيلومترا أمس.",
    "ونقلت وكالة Reuters عن مصدر قوله \u200e“the front line moved south”\u200e خلال ٣ أيام.",
    "وأضاف أن الطريق رقم\u200f 7\u200f مغلق قرب كوبري 17 فبراير في بنغازي\u061c.",
]


@pytest.fixture(scope="module")
def odd_text_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with a 50,000-character article without punctuation and a mixed-direction one."""
    project = copy_project(tmp_path_factory.mktemp("odd") / "project")
    articles = project / "content" / "articles"
    (articles / f"{NO_PUNCTUATION_SLUG}.md").write_text(
        front(published="2016-11-25") + NO_PUNCTUATION_TEXT + "\n", "utf-8"
    )
    (articles / f"{MIXED_SLUG}.md").write_text(
        front(title="قوات LNA تتقدم \u200eSouth\u200e of بنغازي", published="2016-11-26")
        + " ".join(MIXED_SENTENCES)
        + "\n",
        "utf-8",
    )
    code, output = run(project, "build")
    assert code == 0, output
    return project / "site"


def article_record(site: Path, slug: str) -> dict[str, Any]:
    records = json.loads((site / "data" / "articles.json").read_text(encoding="utf-8"))
    return next(r for r in records if r["slug"] == slug)


def sentences_of(record: dict[str, Any]) -> list[str]:
    return [sentence for paragraph in record["paragraphs"] for sentence in paragraph]


def test_text_without_punctuation_is_cut_into_bounded_sentences(odd_text_site: Path) -> None:
    record = article_record(odd_text_site, NO_PUNCTUATION_SLUG)
    sentences = sentences_of(record)
    # Cut at spaces into pieces the translation model and the summary can take.
    assert len(sentences) >= 50_000 // MAX_SENTENCE_CHARS
    assert max(len(s) for s in sentences) <= MAX_SENTENCE_CHARS
    assert min(len(s) for s in sentences[:-1]) >= MAX_SENTENCE_CHARS // 2
    assert " ".join(sentences) == NO_PUNCTUATION_TEXT
    summary = record["summary"]["ar"]
    assert 2 <= len(summary) <= 4 and all(len(s) <= MAX_SENTENCE_CHARS for s in summary)
    for lang in ("", "ar/"):
        by_id = texts_by_id(odd_text_site / lang / "articles" / NO_PUNCTUATION_SLUG / "index.html")
        assert [by_id[f"s{i}"][0] for i in range(len(sentences))] == sentences


def test_splitter_cuts_a_run_without_punctuation_at_spaces() -> None:
    run_on = " ".join(["كلمة"] * 20_000)
    segments = segment(run_on)
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in segments)
    assert all(not s.text.startswith(" ") and s.text.endswith("كلمة") for s in segments)
    assert " ".join(s.text for s in segments) == run_on


def test_mixed_direction_text_keeps_its_characters_and_direction(odd_text_site: Path) -> None:
    record = article_record(odd_text_site, MIXED_SLUG)
    assert sentences_of(record) == MIXED_SENTENCES
    for lang in ("", "ar/"):
        page = odd_text_site / lang / "articles" / MIXED_SLUG / "index.html"
        by_id = texts_by_id(page)
        for index, sentence in enumerate(MIXED_SENTENCES):
            text, element_lang, direction = by_id[f"s{index}"]
            assert text == sentence, "every character kept, the direction marks included"
            assert (element_lang, direction) == ("ar", "rtl")
    # On English pages an Arabic title without title_en is marked as Arabic.
    home = (odd_text_site / "index.html").read_text(encoding="utf-8")
    assert '<span lang="ar" dir="rtl">قوات LNA تتقدم \u200eSouth\u200e of بنغازي</span>' in home


# --- a 2 MB article, the limit ------------------------------------------------------------------

BIG_SLUG = "2016-11-30-big"


def big_body(size: int) -> str:
    """Real paragraphs of every seed article, taken in turn until `size` bytes of UTF-8."""
    paragraphs = [
        p
        for path in sorted((REPO / "content" / "articles").glob("*.md"))
        for p in path.read_text("utf-8").split("---\n", 2)[2].strip().split("\n\n")
        if p.strip()
    ]
    chosen: list[str] = []
    total = 0
    while total < size:
        chosen.append(paragraphs[len(chosen) % len(paragraphs)])
        total += len(chosen[-1].encode()) + 2
    return "\n\n".join(chosen)


def write_big_article(project: Path, body: str) -> None:
    path = project / "content" / "articles" / f"{BIG_SLUG}.md"
    path.write_text(front(published="2016-11-30") + body + "\n", encoding="utf-8")


# The build's work that grows with an article's length: the pipeline, as the build runs it
# (reading the articles, the article cache, saving memories), the docs tree for both
# languages, and the data exports. What is left is mkdocs and its plugins.
ARTICLE_WORK = (
    (build_command, "load_incremental"),
    (site_render, "render_docs"),
    (site_exports, "write_exports"),
)


def timed(function: Callable[..., Any], seconds: dict[str, float]) -> Callable[..., Any]:
    """`function`, adding the CPU seconds each call takes to `seconds[its name]`."""

    def call(*args: Any, **kwargs: Any) -> Any:
        cpu = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[function.__name__] = seconds.get(function.__name__, 0.0) + time.process_time() - cpu

    return call


def time_article_work(monkeypatch: pytest.MonkeyPatch) -> dict[str, float]:
    """CPU seconds spent in each of `ARTICLE_WORK`'s functions from now on, by name.

    CPU time of this process leaves out whatever else the machine is doing, so the ratio
    of two sizes is a fair test of linearity."""
    seconds: dict[str, float] = {}
    for module, name in ARTICLE_WORK:
        monkeypatch.setattr(module, name, timed(getattr(module, name), seconds))
    return seconds


def test_a_2_mb_article_builds_in_linear_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "project")
    # 0.4 MB: the article's work alone, called as the build calls it (mkdocs left out).
    work = time_article_work(monkeypatch)
    write_big_article(project, big_body(400_000))
    config = load_config(project / "site_config.yml")
    corpus = build_command.load_incremental(config, article_cache(config)).corpus
    site_render.render_docs(corpus, tmp_path / "docs")
    (tmp_path / "site" / "ar").mkdir(parents=True)  # as mkdocs leaves it for the exports
    site_exports.write_exports(corpus, tmp_path / "site", updated=build_stamp(corpus))
    one = dict(work)
    work.clear()
    del corpus
    gc.collect()
    # 2 MB, just under the limit: a real `briefgen build`, mkdocs and all.
    body = big_body(2_000_000)
    write_big_article(project, body)
    cpu, wall = time.process_time(), time.perf_counter()
    code, output = run(project, "build")
    build_cpu, build_wall = time.process_time() - cpu, time.perf_counter() - wall
    five = dict(work)
    assert code == 0, output
    assert one.keys() == five.keys() == {name for _, name in ARTICLE_WORK}, "the build no longer calls them"
    print(
        "CPU seconds, 0.4 MB → 2 MB: "
        + ", ".join(f"{name} {one[name]:.1f} → {five[name]:.1f}" for _, name in ARTICLE_WORK)
        + f"; the whole build of the 2 MB article: {build_cpu:.0f} s CPU, {build_wall:.0f} s wall"
    )
    # Linear: five times the text, about five times the time (quadratic would be 25).
    assert sum(five.values()) < 8 * sum(one.values())
    assert build_cpu < 240
    # Every sentence, to the last, is in the data export and on the page in both languages.
    sentences = sentences_of(article_record(project / "site", BIG_SLUG))
    assert sentences == [s.text for s in segment(body) if s.kind == "sentence"]
    assert len(sentences) > 5_000
    for lang in ("", "ar/"):
        by_id = texts_by_id(project / "site" / lang / "articles" / BIG_SLUG / "index.html")
        assert by_id[f"s{len(sentences) - 1}"][0] == sentences[-1]


# --- HTML or script in titles and bodies: rendered as text, everywhere -----------------------

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</title><script>alert(1)</script>",
    "javascript:alert(1)",
    "[x](javascript:alert(1))",
    "![y](javascript:alert(1))",
    "<javascript:alert(1)>",
    '<a href="javascript:alert(1)">z</a>',
    "<iframe src=javascript:alert(1)></iframe>",
    "{{ 7*7 }} {% if true %}jinja{% endif %}",
    "]]>",
    "</script><script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<!-- x -->",
    "*bold* `code` <b>&amp;</b>",
    # Last, so that it ends every title and heading: Markdown's attr_list would make it attributes.
    "{ onclick=alert(1) }",
]
ALL_PAYLOADS = " ".join(PAYLOADS)
XSS_SLUGS = ("2016-11-20-xss-title-en", "2016-11-21-xss-translated-title")
HEADING = "تقدم نحو <b>المدينة</b> و<script>"
XSS_META: dict[str, dict[str, Any]] = {
    XSS_SLUGS[0]: {
        "title": "عنوان " + ALL_PAYLOADS,
        "source": "Wire " + ALL_PAYLOADS,
        "source_ar": "وكالة " + ALL_PAYLOADS,
        "published": "2016-11-20",
        "title_en": "Title " + ALL_PAYLOADS,
        "tags": PAYLOADS,
        "date_note": "Note " + ALL_PAYLOADS,
        "url": "https://example.org/a?x=1&y=<2>".replace("<2>", "%3C2%3E"),
    },
    XSS_SLUGS[1]: {
        "title": "عنوان آخر " + ALL_PAYLOADS,
        "source": "Wire2 " + ALL_PAYLOADS,
        "published": "2016-11-21",
    },
}
XSS_BODY = (
    "\n\n".join(f"قالت مصادر عسكرية إن القوات تقدمت في بنغازي {p} أمس." for p in PAYLOADS[:8])
    + f"\n\n{HEADING}\n"
    + "\n".join(f"وقصفت الطائرات مواقع في القوارشة {p} اليوم." for p in PAYLOADS[8:])
    + "\n"
)


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two articles with the payloads in every field an editor writes, and in their English;
    the site's and a campaign's names and descriptions too."""
    project = copy_project(tmp_path_factory.mktemp("xss") / "project")
    config = yaml.safe_load((project / "site_config.yml").read_text(encoding="utf-8"))
    for named in (config, config["campaigns"][0]):
        for key in ("title", "name", "description"):
            for lang in named.get(key, {}):
                named[key][lang] += " " + ALL_PAYLOADS
    (project / "site_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    for slug, meta in XSS_META.items():
        (project / "content" / "articles" / f"{slug}.md").write_text(
            "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" + XSS_BODY,
            encoding="utf-8",
        )
        entries = []
        if "title_en" not in meta:
            entries.append(
                MemoryEntry(
                    sentence_key(meta["title"]), "title", meta["title"], "English " + ALL_PAYLOADS, "reviewed"
                )
            )
        for seg in segment(XSS_BODY):
            kind = "heading" if seg.kind == "heading" else "sentence"
            english = f"Forces advanced in Benghazi {ALL_PAYLOADS}"
            entries.append(MemoryEntry(sentence_key(seg.text), kind, seg.text, english, "reviewed"))
        memory = ArticleMemory(slug, tuple(entries))
        (project / "content" / "translations" / f"{slug}.yml").write_text(
            dump_memory(memory), encoding="utf-8"
        )
    code, output = run(project, "build", "--strict")
    assert code == 0, output
    return project / "site"


class MarkupScanner(HTMLParser):
    """Everything in a page that could run code."""

    URL_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
    DANGEROUS_TAGS = frozenset(
        {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "animate", "set"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self.scripts: list[str] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            self._script = [f"src={a.get('src')} id={a.get('id')} type={a.get('type')}:"]
        if tag in self.DANGEROUS_TAGS:
            self.findings.append(f"<{tag}>")
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.findings.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}={value!r}>")
            compact = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            if compact.startswith(self.URL_SCHEMES):
                self.findings.append(f"<{tag} {name}={value!r}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)


def scan(html_text: str) -> MarkupScanner:
    scanner = MarkupScanner()
    scanner.feed(html_text)
    scanner.close()
    return scanner


def theme_scripts(site: Path) -> set[str]:
    return {script for page in site.rglob("*.html") for script in scan(page.read_text("utf-8")).scripts}


def json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def test_no_executable_markup_in_any_file(xss_site: Path, good_project: Path) -> None:
    known_scripts = theme_scripts(good_project / "site")
    problems: list[str] = []
    checked: set[Path] = set()
    for page in sorted(xss_site.rglob("*.html")):
        scanner = scan(page.read_text(encoding="utf-8"))
        problems += [f"{page.relative_to(xss_site)}: {f}" for f in scanner.findings]
        problems += [
            f"{page.relative_to(xss_site)}: unknown script {s[:120]!r}"
            for s in scanner.scripts
            if s not in known_scripts
        ]
        checked.add(page)
    # TimelineJS and Atom readers render these strings as HTML. Pagefind's bundles hold plain
    # text, which the search script escapes (test_search_results_show_payloads_as_text_and_nothing_runs).
    from briefgen.site.pagefind_index import read_fragments

    for bundle in (xss_site / "pagefind", xss_site / "ar" / "pagefind"):
        assert any("<script>alert(1)</script>" in f["content"] for f in read_fragments(bundle)), bundle
        checked.update((bundle / "fragment").iterdir())
    timeline = xss_site / "data" / "timeline.json"
    for text in json_strings(json.loads(timeline.read_text(encoding="utf-8"))):
        scanner = scan(text)
        problems += [
            f"timeline.json: {f}" for f in [*scanner.findings, *("<script>" for _ in scanner.scripts)]
        ]
    checked.add(timeline)
    for feed in (xss_site / "feed.xml", xss_site / "ar" / "feed.xml"):
        root = ET.parse(feed).getroot()  # well-formed, "]]>" and all
        for element in root.iter():
            if element.get("type") in ("html", "xhtml"):
                scanner = scan(element.text or "")
                problems += [
                    f"{feed.name}: {f}" for f in [*scanner.findings, *("<script>" for _ in scanner.scripts)]
                ]
        checked.add(feed)
    sitemap = ET.parse(xss_site / "sitemap.xml").getroot()
    for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
        assert (loc.text or "").startswith("https://briefgen.github.io/briefgen/"), loc.text
    checked.add(xss_site / "sitemap.xml")
    for data in ("articles.json", "chronology.json"):
        json.loads((xss_site / "data" / data).read_text(encoding="utf-8"))  # plain data, valid JSON
        checked.add(xss_site / "data" / data)
    list(csv.reader(io.StringIO((xss_site / "data" / "chronology.csv").read_text(encoding="utf-8"))))
    checked.add(xss_site / "data" / "chronology.csv")
    assert not problems, "\n".join(problems[:30])
    # Every file that carries a payload is one of the kinds checked above.
    unchecked = [
        p.relative_to(xss_site)
        for p in xss_site.rglob("*")
        if p.is_file() and b"alert(1)" in p.read_bytes() and p not in checked
    ]
    assert not unchecked, unchecked


def visible_text(page: Path, tag: str) -> list[str]:
    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.depth = 0
            self.found: list[str] = []

        def handle_starttag(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
            if name == tag:
                self.depth += 1
                self.found.append("")
            elif self.depth and name == "a" and ("class", "headerlink") in attrs:
                self.depth += 100  # the ¶ permalink is not the title's text

        def handle_endtag(self, name: str) -> None:
            if name == tag and self.depth:
                self.depth -= 1
            elif name == "a" and self.depth >= 100:
                self.depth -= 100

        def handle_data(self, data: str) -> None:
            if 0 < self.depth < 100:
                self.found[-1] += data

    parser = Text()
    parser.feed(page.read_text(encoding="utf-8"))
    return [" ".join(t.split()) for t in parser.found]


def test_payloads_render_as_their_own_text(xss_site: Path) -> None:
    """Escaped, not stripped: a reader sees exactly what the editor wrote."""
    page = xss_site / "articles" / XSS_SLUGS[0] / "index.html"
    expected_title = " ".join(XSS_META[XSS_SLUGS[0]]["title_en"].split())
    assert visible_text(page, "h1") == [expected_title]
    assert visible_text(page, "title")[0].startswith(expected_title)
    ar_page = xss_site / "ar" / "articles" / XSS_SLUGS[0] / "index.html"
    assert visible_text(ar_page, "h1") == [" ".join(XSS_META[XSS_SLUGS[0]]["title"].split())]
    translated = xss_site / "articles" / XSS_SLUGS[1] / "index.html"
    assert visible_text(translated, "h1") == [" ".join(("English " + ALL_PAYLOADS).split())]
    body = " ".join(visible_text(page, "dd"))
    for field in ("source", "date_note"):
        assert " ".join(XSS_META[XSS_SLUGS[0]][field].split()) in body, field
    record = article_record(xss_site, XSS_SLUGS[0])
    assert (record["title"], record["title_en"], record["tags"]) == (
        XSS_META[XSS_SLUGS[0]]["title"],
        XSS_META[XSS_SLUGS[0]]["title_en"],
        PAYLOADS,
    )
    feed = ET.parse(xss_site / "feed.xml").getroot()
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert XSS_META[XSS_SLUGS[0]]["title_en"] in titles


def test_search_results_show_payloads_as_text_and_nothing_runs(xss_site: Path) -> None:
    from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium, search, served

    require_chromium()
    from playwright.sync_api import sync_playwright

    dialogs: list[str] = []
    with served(xss_site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        injected = "img[src='x'], iframe, svg[onload], a[href^='javascript']"
        for path in [
            "",
            "articles/",
            "campaigns/benghazi-2016/",
            "chronology/",
            *(f"{lang}articles/{slug}/" for lang in ("", "ar/") for slug in XSS_SLUGS),
        ]:
            page.goto(base + path)
            page.wait_for_load_state("load")
            assert page.locator(injected).count() == 0, path
        for lang in ("en", "ar"):
            count, _ = search(page, base, "alert", lang)
            assert count >= 1, lang
            results = page.locator(".md-search-result")
            text = results.inner_text()
            assert "<script>alert(1)</script>" in text or "onerror=alert(1)" in text, text[:500]
            assert results.locator(f"script, {injected}").count() == 0
        browser.close()
    assert dialogs == []
