"""Render the corpus into an mkdocs docs tree (one folder per language) from `templates/`."""

from __future__ import annotations

import ctypes
import datetime as dt
import hashlib
import html
import logging
import multiprocessing
import multiprocessing.context
import os
import pickle
import posixpath
import re
import shutil
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import babel
import jinja2
from markupsafe import Markup, escape

from briefgen.arabic import has_arabic
from briefgen.cache import code_version
from briefgen.chronology import Chronology, ChronologyEntry, campaign_overview, in_theatre
from briefgen.config import Campaign, SiteConfig
from briefgen.dates import MONTH_NAMES_AR
from briefgen.errors import BriefgenError, Problem
from briefgen.event_types import EVENT_TYPE_LABELS
from briefgen.fileio import is_dir, read_optional, unreadable_files
from briefgen.gazetteer import Entity, Gazetteer, Place
from briefgen.site.docs_state import (
    DocFile,
    Fingerprints,
    Unkeyable,
    ensure_writable,
    keyed_templates,
    load_state,
    save_state,
    templates_fingerprint,
    write_doc,
)
from briefgen.site.maps import MapPoint, MapTexts, campaign_map_svg
from briefgen.site.timeline_strip import (
    KeyDate,
    StripEntry,
    Week,
    strip_layout,
    strip_svg,
    swatch,
    type_totals,
)
from briefgen.structure.article import Article, ArticleTranslation, Paragraph, TranslatedText
from briefgen.structure.corpus import Corpus
from briefgen.translation.engines import ENGINE_LABELS
from briefgen.yamlio import load_yaml, read_text_utf8

log = logging.getLogger("briefgen")

LANGUAGES = ("en", "ar")
LATEST_ON_HOME = 10

MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "ar": list(MONTH_NAMES_AR),
}
# On the events-per-week strip's axis: Arabic month names are short enough as they are.
MONTHS_SHORT = {"en": [m[:3] for m in MONTHS["en"]], "ar": MONTHS["ar"]}

# Python-Markdown's escapable characters, minus '>' which html.escape already handles.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


_LATIN_LETTER = re.compile("[A-Za-z]")


def md_escape(text: str) -> Markup:
    """Text safe to place in Markdown: no HTML, no Markdown syntax."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False)))


def html_text(text: str) -> Markup:
    """Text safe to place in raw HTML, escaped as Markdown escapes text (quotes kept)."""
    return Markup(html.escape(str(text), quote=False))


def front_matter(text: str) -> Markup:
    """A front-matter value (JSON is YAML) that mkdocs-material can print safely.

    Material prints `page.meta.title` and `description` as HTML, unescaped (in <title>,
    the header and a <meta> attribute), so the text is HTML-escaped first.
    """
    return Markup(jinja2.utils.htmlsafe_json_dumps(html.escape(str(text))))


@dataclass(frozen=True)
class DocPage:
    """One page of the docs tree: where it goes and how it is rendered."""

    path: str  # posix path inside the language folder, e.g. "articles/x.md"
    template: str
    context: dict[str, Any]


def doc_url(doc_path: str) -> str:
    """The directory URL mkdocs gives a docs file (use_directory_urls)."""
    stem = doc_path.removesuffix(".md")
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


@lru_cache(maxsize=256)
def relative_path(target: str, start: str) -> str:
    """`posixpath.relpath(target, start)` for the docs tree's relative paths, without its
    abspath and getcwd calls: a large site makes millions of links."""
    to = [part for part in target.split("/") if part not in ("", ".")]
    base = [part for part in start.split("/") if part not in ("", ".")]
    common = 0
    while common < min(len(to), len(base)) and to[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + to[common:]) or "."


# The strings file is read by the renderer and by the mkdocs configuration: parse it once
# per version of the file.
# Per key and language: the text, or for a count, its text per CLDR plural category.
Strings = dict[str, dict[str, str | dict[str, str]]]
_strings_cache: dict[Path, tuple[tuple[int, int], Strings]] = {}
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


@cache
def plural_category(lang: str, n: int) -> str:
    """CLDR's plural category of the whole number `n` (Arabic has six, English two), from babel.

    Cached: babel evaluates the CLDR rule in about 3 µs, a render asks about 15 times per
    article, nearly always for small counts it has seen."""
    return babel.Locale.parse(lang).plural_form(n)


def localized(text: str | dict[str, str], lang: str, n: int | None = None) -> str:
    """`text` for the count `n` when it has plural forms (a missing category falls back to "other")."""
    if isinstance(text, str):
        return text
    return text.get(plural_category(lang, n if n is not None else 0), text["other"])


def load_strings(templates_dir: Path) -> Strings:
    path = templates_dir / "strings.yml"
    stat = path.stat()
    version = (stat.st_mtime_ns, stat.st_size)
    cached = _strings_cache.get(path)
    if cached is not None and cached[0] == version:
        return cached[1]
    strings = _read_strings(path)
    _strings_cache[path] = (version, strings)
    return strings


def _is_text(value: Any) -> bool:
    """Text, or plural forms: {one: …, other: …} with "other" and CLDR categories only."""
    if isinstance(value, str):
        return True
    return (
        isinstance(value, dict)
        and "other" in value
        and set(value) <= set(PLURAL_CATEGORIES)
        and all(isinstance(form, str) for form in value.values())
    )


def _read_strings(path: Path) -> Strings:
    located = load_yaml(read_text_utf8(path), path)
    problems = []
    if not isinstance(located.data, dict):
        raise BriefgenError(Problem("expected key: {en: ..., ar: ...} pairs", path=path))
    for key, value in located.data.items():
        if (
            not isinstance(value, dict)
            or set(value) != set(LANGUAGES)
            or any(not _is_text(value[lang]) for lang in LANGUAGES)
        ):
            problems.append(
                Problem(
                    "needs text for 'en' and 'ar' and nothing else",
                    path=path,
                    line=located.line_of(key),
                    field=str(key),
                    hint='quote text that contains a comma: {en: "a, b", ar: …}; a count may give '
                    "plural forms: {one: …, other: …} (CLDR's zero, one, two, few, many, other)",
                )
            )
    if problems:
        raise BriefgenError(problems)
    return located.data


@dataclass(frozen=True)
class AlignedSentence:
    index: int
    unit: TranslatedText

    @property
    def ar(self) -> str:
        return self.unit.ar

    @property
    def en(self) -> str | None:
        return self.unit.en


@dataclass(frozen=True)
class AlignedBlock:
    """A cross-head or paragraph with the English for each of its parts, for the templates."""

    kind: str  # "heading" or "paragraph"
    unit: TranslatedText | None = None
    sentences: tuple[AlignedSentence, ...] = ()


def aligned_blocks(article: Article) -> list[AlignedBlock]:
    translation = article.translation
    if translation is None:
        return []
    result: list[AlignedBlock] = []
    headings = iter(translation.headings)
    for block in article.blocks:
        if isinstance(block, Paragraph):
            pairs = tuple(AlignedSentence(s.index, translation.sentences[s.index]) for s in block.sentences)
            result.append(AlignedBlock("paragraph", sentences=pairs))
        else:
            result.append(AlignedBlock("heading", unit=next(headings)))
    return result


@dataclass(frozen=True)
class CampaignMap:
    svg: Markup
    points: list[MapPoint]


@dataclass(frozen=True)
class StripKeyDate:
    number: int
    date: dt.date
    label: str
    href: str | None


@dataclass(frozen=True)
class CampaignStrip:
    """The events-per-week strip and what its figure caption lists: each type with its
    count and swatch (the legend) and the key dates its numbered markers stand for."""

    svg: Markup
    legend: list[tuple[str, str, int, Markup]]  # type, label, entries, swatch
    key_dates: list[StripKeyDate]


@dataclass(frozen=True)
class FilterOption:
    value: str
    label: str
    count: int


# Key dates on a strip: the campaign's start and at most this many weeks of captures.
STRIP_CAPTURE_WEEKS = 5
# Captures dated this well are key dates; one dated to a stretch of weeks is not.
KEY_DATE_PRECISIONS = frozenset({"day", "reported"})
HEADLINE_LIMIT = 140  # characters: the row shows one line of it; the entry has the rest


# A report's connectives that say how it follows the sentence before: a row read on its own
# starts better without them («وفي سياق متصل، أعلن…» → «أعلن…»).
_LEAD_IN = re.compile(
    r"^(?:(?:in a related development|in the same vein|for (?:his|her|its|their) part|meanwhile"
    r"|on the ground(?:, meanwhile)?|politically|in addition|moreover),\s+)+"
    r"|^(?:(?:و?في سياق متصل|و?من جانبه|و?من جهته|و?من جهتها|و?في الأثناء|و?على الأرض)،\s*)+",
    re.IGNORECASE,
)


def headline_text(sentence: str, limit: int = HEADLINE_LIMIT) -> str:
    """A row's headline from its lead sentence: without a leading connective, shortened."""
    text = " ".join(sentence.split())
    trimmed = _LEAD_IN.sub("", text)
    if trimmed and trimmed != text:
        text = trimmed[0].upper() + trimmed[1:]
    return shorten(text, limit)


def shorten(text: str, limit: int = HEADLINE_LIMIT) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,،;؛:") + "…"


@dataclass(frozen=True)
class Era:
    """A campaign's stretch of the overall chronology, or (campaign None) everything outside them."""

    campaign: Campaign | None
    entries: list[ChronologyEntry]

    def title_in(self, lang: str, strings: Strings) -> str:
        return (
            self.campaign.name[lang] if self.campaign else localized(strings["outside_campaigns"][lang], lang)
        )


def template_problem(exc: Exception, templates_dir: Path, name: str) -> Problem:
    """Locate a template error at the template file and line where it happened."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.lineno:
        return Problem(
            f"template error: {exc.message}",
            path=templates_dir / (exc.name or name),
            line=exc.lineno,
            hint="templates are Jinja2: check the {{ }} and {% %} tags on this line",
        )
    # Runtime errors (e.g. an undefined variable): the innermost template frame of the traceback.
    line = None
    path = templates_dir / name
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if filename.endswith(".j2"):
            path, line = Path(filename), lineno
    hint = (
        "a name the template uses is not defined: check its spelling, or guard it with `is defined`"
        if isinstance(exc, jinja2.UndefinedError)
        else "fix the template expression on this line"
    )
    return Problem(f"template error: {exc}", path=path, line=line, hint=hint)


def by_article(mentions: list[tuple[Article, int]]) -> list[tuple[Article, list[int]]]:
    """Group (article, sentence) pairs by article, keeping the articles' order."""
    grouped: dict[str, tuple[Article, list[int]]] = {}
    for article, index in mentions:
        grouped.setdefault(article.slug, (article, []))[1].append(index)
    return list(grouped.values())


def plan_pages(corpus: Corpus) -> list[DocPage]:
    pages = [
        DocPage("index.md", "pages/home.md.j2", {}),
        DocPage("about.md", "pages/about.md.j2", {}),
        DocPage("articles/index.md", "pages/archive.md.j2", {}),
    ]
    pages += [
        DocPage(
            f"campaigns/{c.id}.md",
            "pages/campaign.md.j2",
            {
                "campaign": c,
                "items": corpus.in_campaign(c.id),
                "overview": campaign_overview(corpus.chronology, c.id),
            },
        )
        for c in corpus.config.campaigns
    ]
    # Every article is searchable by every word (Pagefind loads only the index chunks a query
    # needs); `full_text` stays for the templates' search marks, always on.
    pages += [
        DocPage(f"articles/{a.slug}.md", "pages/article.md.j2", {"article": a, "full_text": True})
        for a in corpus.articles
    ]
    chronology = corpus.chronology
    eras = [Era(c, chronology.in_campaign(c.id)) for c in corpus.config.campaigns]
    eras.append(Era(None, chronology.in_campaign(None)))
    pages.append(DocPage("chronology/index.md", "pages/chronology.md.j2", {"campaign": None, "eras": eras}))
    pages += [
        DocPage(
            f"chronology/{era.campaign.id}.md",
            "pages/chronology.md.j2",
            {"campaign": era.campaign, "entries": era.entries},
        )
        for era in eras
        if era.campaign
    ]
    mentions = corpus.mentions_by_entity()
    mentioned = [e for e in corpus.gazetteer.entities if e.id in mentions]
    groups = {
        category: sorted(
            ((e, len(mentions[e.id])) for e in mentioned if e.category == category),
            key=lambda item: (-item[1], item[0].en),
        )
        for category in ("place", "person", "organisation")
    }
    pages.append(
        DocPage(
            "entities/index.md",
            "pages/entities.md.j2",
            {"kind": None, "groups": groups, "index_title": "entities"},
        )
    )
    pages += [
        DocPage(
            f"entities/{label}.md",
            "pages/entities.md.j2",
            {"kind": kind, "groups": groups, "index_title": label},
        )
        for kind, label in (("place", "places"), ("person", "people"), ("organisation", "organisations"))
    ]
    quoted = corpus.config.entities.quoted_articles
    for e in mentioned:
        articles = by_article(mentions[e.id])  # newest first
        context = {
            "entity": e,
            "mentions": articles[:quoted],
            "older": articles[quoted:],
            "entries": chronology.involving(e.id),
        }
        pages.append(DocPage(f"entities/{e.id}.md", "pages/entity.md.j2", context))
    return pages


def _render_language(
    renderer: SiteRenderer, corpus: Corpus, pages: list[DocPage], docs_dir: Path, lang: str, plan: RenderPlan
) -> dict[str, DocFile]:
    """Render one language's pages, skipping those whose key says they are what the last
    build wrote; returns each docs file's entry (see `docs_state`)."""
    written: dict[str, DocFile] = {}
    store = None
    if plan.partials_dir is not None and plan.fingerprints is not None:
        store = PartialStore.load(
            plan.partials_dir / f"partials-{lang}.pickle", plan.shared, lang, plan.fingerprints
        )
        renderer.stored_partials = store
    for page in pages:
        name = f"{lang}/{page.path}"
        target = docs_dir / name
        key = plan.key(page, lang)
        before = plan.before.get(name)
        if key is not None and before is not None and before.key == key and before.is_on_disk(target):
            written[name] = before
            continue
        written[name] = write_doc(target, renderer.render(corpus, page, lang), before, key)
    if store is not None:
        renderer.stored_partials = None
        store.save()
    return written


def _fork_context() -> multiprocessing.context.BaseContext | None:
    """Forking shares the corpus with the child without pickling it; only Linux forks safely."""
    if sys.platform != "linux" or (os.cpu_count() or 1) < 2:
        return None
    return multiprocessing.get_context("fork")


PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Have the kernel SIGKILL this process when its parent dies, even by SIGKILL: a killed
    build must not leave a child writing pages (Linux; elsewhere nothing forks)."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)


def _render_child(
    send: Connection,
    renderer: SiteRenderer,
    corpus: Corpus,
    pages: list[DocPage],
    docs_dir: Path,
    lang: str,
    plan: RenderPlan,
    parent: int,
) -> None:
    """Runs in the forked process: render one language, send back its files or its problems."""
    _die_with_parent(parent)
    try:
        send.send(([], _render_language(renderer, corpus, pages, docs_dir, lang, plan)))
    except BriefgenError as exc:
        send.send((exc.problems, {}))
    except BaseException as exc:
        send.send(([Problem(f"rendering the {lang} pages failed: {exc!r}")], {}))
    finally:
        send.close()


def _render_in_parallel(
    fork: multiprocessing.context.BaseContext,
    renderer: SiteRenderer,
    corpus: Corpus,
    pages: list[DocPage],
    docs_dir: Path,
    plan: RenderPlan,
) -> dict[str, DocFile]:
    """The first language here, each other one in a forked child."""
    children = []
    written: dict[str, DocFile] = {}
    for lang in LANGUAGES[1:]:
        receive, send = fork.Pipe(duplex=False)
        args = (send, renderer, corpus, pages, docs_dir, lang, plan, os.getpid())
        child = fork.Process(target=_render_child, args=args)  # type: ignore[attr-defined]
        child.start()
        send.close()
        children.append((lang, child, receive))
    problems: list[Problem] = []
    try:
        written.update(_render_language(renderer, corpus, pages, docs_dir, LANGUAGES[0], plan))
    finally:
        # Even when this language failed, wait for the others: no child may go on writing.
        for lang, child, receive in children:
            try:
                child_problems, child_written = receive.recv()
                problems += child_problems
                written.update(child_written)
            except EOFError:
                problems.append(Problem(f"rendering the {lang} pages stopped unexpectedly"))
            child.join()
            receive.close()
    if problems:
        raise BriefgenError(problems)
    return written


class SiteRenderer:
    """Holds the template environment; `render` writes one language's page."""

    def __init__(
        self,
        config: SiteConfig,
        gazetteer: Gazetteer | None = None,
        entity_pages: frozenset[str] = frozenset(),
        chronology: Chronology | None = None,
    ) -> None:
        self.config = config
        self.gazetteer = gazetteer
        self.entity_pages = entity_pages
        self.chronology = chronology
        # Jinja skips a folder it cannot list (a missing template, later) and mkdocs reads
        # the overrides on its own: find every file that cannot be read now, by name.
        if is_dir(config.templates_dir, config.root) and (
            unreadable := unreadable_files(config.templates_dir, config.root)
        ):
            raise BriefgenError(unreadable)
        self.strings = load_strings(config.templates_dir)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(config.templates_dir),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=False,
            # Templates don't change during a build: don't stat them at every include.
            auto_reload=False,
        )
        self.env.filters["md"] = md_escape
        self.env.filters["html_text"] = html_text
        self.env.filters["front_matter"] = front_matter
        # Per article, found once: scanning the article for every sentence rendered is
        # quadratic, minutes for a long article. Keyed by slug, checked by identity.
        self._sentence_texts: dict[str, tuple[Article, dict[int, str]]] = {}
        self._mentions_by_sentence: dict[str, tuple[Article, dict[int, list[tuple[int, int, str]]]]] = {}
        # An English sentence is shown on several pages (article, parallel view, chronologies):
        # find its names once.
        self._mentions_en: dict[str, list[tuple[int, int, str]]] = {}
        # See `partial_once`: an event is listed on the page of every entity it involves, and
        # on the overall and its campaign's chronology.
        self._partials: dict[tuple[str, str, str, tuple[tuple[str, Any], ...]], tuple[Markup, int]] = {}
        # Across builds (see `PartialStore`): set by `_render_language` for an incremental build.
        self.stored_partials: PartialStore | None = None

    def sentence_texts(self, article: Article) -> dict[int, str]:
        cached = self._sentence_texts.get(article.slug)
        if cached is None or cached[0] is not article:
            cached = (article, {s.index: s.text for s in article.sentences})
            self._sentence_texts[article.slug] = cached
        return cached[1]

    def mentions_by_sentence(self, article: Article) -> dict[int, list[tuple[int, int, str]]]:
        cached = self._mentions_by_sentence.get(article.slug)
        if cached is None or cached[0] is not article:
            grouped: dict[int, list[tuple[int, int, str]]] = {}
            for m in article.entities:
                grouped.setdefault(m.sentence, []).append((m.start, m.end, m.entity_id))
            cached = (article, grouped)
            self._mentions_by_sentence[article.slug] = cached
        return cached[1]

    def helpers(self, lang: str, page_path: str) -> dict[str, Callable[..., Any]]:
        here = posixpath.dirname(page_path)
        page_url_dir = doc_url(page_path)
        depth = page_url_dir.count("/") + (1 if lang != "en" else 0)

        def t(key: str, **values: Any) -> str:
            return localized(self.strings[key][lang], lang, values.get("n")).format(**values)

        def link(target: str) -> str:
            # Markdown links to .md files: mkdocs resolves and checks them.
            return relative_path(target, here)

        def href(target: str) -> str:
            # Raw-HTML links: mkdocs leaves them alone, so give the final URL.
            return relative_path(doc_url(target), page_url_dir) + "/"

        def href_root(target: str) -> str:
            # A file at the site root (exports), shared by both languages.
            return "../" * depth + target

        def date(day: dt.date) -> str:
            return f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"

        def month_name(day: dt.date) -> str:
            return f"{MONTHS[lang][day.month - 1]} {day.year}"

        def date_range(start: dt.date, end: dt.date) -> str:
            if start == end:
                return date(start)
            if (start.year, start.month) == (end.year, end.month):
                return f"{start.day}–{end.day} {month_name(end)}"
            if start.year == end.year:
                return f"{start.day} {MONTHS[lang][start.month - 1]} – {date(end)}"
            return f"{date(start)} – {date(end)}"

        def date_span(start: dt.date, end: dt.date, precision: str) -> str:
            if precision == "year":
                return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
            if precision == "month" and (start.year, start.month) == (end.year, end.month):
                return month_name(start)
            text = date_range(start, end)
            if precision in ("reported", "approximate", "week"):
                return t(f"precision_{precision}", date=text)
            return text

        def event_type(type_id: str) -> str:
            return EVENT_TYPE_LABELS[type_id][lang]

        def entity_name(entity_id: str) -> str:
            entity = self.gazetteer.get(entity_id) if self.gazetteer else None
            if entity is None:
                return entity_id
            return entity.ar if lang == "ar" else entity.en

        def entity_link(entity_id: str) -> Markup:
            name = entity_name(entity_id)
            if entity_id not in self.entity_pages:
                return Markup("<bdi>{}</bdi>").format(name)
            return Markup('<a class="bg-entity" href="{}"><bdi>{}</bdi></a>').format(
                href(f"entities/{entity_id}.md"), name
            )

        def entity_kind(entity: Entity) -> str:
            kind = getattr(entity, "kind", "")
            return localized(self.strings.get(f"kind_{kind}", {}).get(lang, kind), lang)

        def relations(entity: Entity) -> list[tuple[str, list[str]]]:
            related = [
                (field, [value])
                for field in ("part_of", "affiliation", "country")
                if (value := getattr(entity, field, None)) and self.gazetteer and self.gazetteer.get(value)
            ]
            inside = (
                sorted(
                    e.id
                    for e in self.gazetteer.entities
                    if getattr(e, "part_of", None) == entity.id and e.id in self.entity_pages
                )
                if self.gazetteer
                else []
            )
            if inside:
                related.append(("contains", inside))
            return related

        def sentence_text(article: Article, index: int) -> str:
            return self.sentence_texts(article)[index]

        def sentence_en(article: Article, index: int) -> str | None:
            return article.translation.sentences[index].en if article.translation else None

        def linked(text: str, mentions: list[tuple[int, int, str]]) -> Markup:
            """`text` escaped, with each (start, end, entity) span linked to the entity's page."""
            # Plain concatenation of escaped parts: Markup.format is slow, and this runs for
            # every sentence on every page.
            parts: list[str] = []
            cursor = 0
            for start, end, entity_id in mentions:
                if start < cursor or entity_id not in self.entity_pages:
                    continue
                parts.append(escape(text[cursor:start]))
                url = escape(href(f"entities/{entity_id}.md"))
                parts.append(f'<a class="bg-entity" href="{url}">{escape(text[start:end])}</a>')
                cursor = end
            parts.append(escape(text[cursor:]))
            return Markup("".join(parts))

        def linked_ar(article: Article, index: int) -> Markup:
            return linked(sentence_text(article, index), self.mentions_by_sentence(article).get(index, []))

        def linked_en(text: str) -> Markup:
            if not self.gazetteer:
                return Markup.escape(text)
            spans = self._mentions_en.get(text)
            if spans is None:
                spans = [(m.start, m.end, m.entity_id) for m in self.gazetteer.find_mentions_en(text)]
                self._mentions_en[text] = spans
            return linked(text, spans)

        def summary_units(article: Article) -> list[AlignedSentence]:
            if article.summary is None or article.translation is None:
                return []
            return [AlignedSentence(i, article.translation.sentences[i]) for i in article.summary.sentences]

        def summary_is_english(article: Article) -> bool:
            units = summary_units(article)
            return bool(units) and all(u.unit.en for u in units)

        def summary_text(article: Article) -> str:
            units = summary_units(article)
            if lang == "en" and summary_is_english(article):
                return " ".join(u.unit.en or "" for u in units)
            return " ".join(u.unit.ar for u in units)

        def campaign_map(campaign: Campaign) -> CampaignMap:
            weights: dict[str, int] = {}
            for entry in self.chronology.in_campaign(campaign.id) if self.chronology else []:
                for place_id in entry.places:
                    weights[place_id] = weights.get(place_id, 0) + 1
            points = []
            for place_id, weight in sorted(weights.items(), key=lambda item: (-item[1], item[0])):
                place = self.gazetteer.get(place_id) if self.gazetteer else None
                # Only the theatre: an entry may also name a place beyond it (Derna, a capital abroad).
                if (
                    isinstance(place, Place)
                    and self.gazetteer
                    and in_theatre(place_id, campaign, self.gazetteer)
                ):
                    url = href(f"entities/{place_id}.md") if place_id in self.entity_pages else None
                    points.append(
                        MapPoint(
                            place_id,
                            entity_name(place_id),
                            place.lat,
                            place.lon,
                            url,
                            weight,
                            place.approximate,
                        )
                    )
            svg = campaign_map_svg(
                points,
                lang=lang,
                title=f"{t('map')}: {campaign.name[lang]}",
                description=t("map_caption"),
                texts=MapTexts(
                    events=lambda n: t("map_legend_events", n=n),
                    approximate=t("map_legend_approximate"),
                    libya=t("map_inset_libya"),
                ),
            )
            return CampaignMap(svg, points)

        def campaign_strip(campaign: Campaign, on_chronology: bool) -> CampaignStrip:
            """The campaign's events per week; its bars link to the campaign's chronology (the
            page itself when `on_chronology`) at each week's first entry."""
            entries = self.chronology.in_campaign(campaign.id) if self.chronology else []
            base = "" if on_chronology else href(f"chronology/{campaign.id}.md")
            keys = [KeyDate(campaign.start, t("strip_start"), None)]
            # Captures precisely dated (or reviewed by an editor), one key date per week: the
            # weeks with the most of them, reviewed ones first.
            captures: dict[int, list[ChronologyEntry]] = {}
            for entry in entries:
                if entry.type == "capture" and (
                    entry.precision in KEY_DATE_PRECISIONS or entry.origin == "reviewed"
                ):
                    captures.setdefault((entry.date_start - campaign.start).days // 7, []).append(entry)
            ranked = sorted(
                captures.values(),
                key=lambda week: (-any(e.origin == "reviewed" for e in week), -len(week), week[0].date_start),
            )[:STRIP_CAPTURE_WEEKS]
            comma = "، " if lang == "ar" else ", "
            for week in ranked:
                names = list(dict.fromkeys(entity_name(e.places[0]) for e in week if e.places))
                shown = comma.join(names[:3]) + ("…" if len(names) > 3 else "")
                label = f"{event_type('capture')}: {shown}" if shown else event_type("capture")
                keys.append(KeyDate(week[0].date_start, label, f"{base}#{week[0].id}"))
            layout = strip_layout(
                [StripEntry(e.id, e.date_start, e.type) for e in entries],
                campaign.start,
                campaign.end,
                rtl=lang == "ar",
                key_dates=keys,
            )

            def bar_label(week: Week) -> str:
                parts = comma.join(f"{event_type(kind)}: {n}" for kind, n in week.counts)
                return f"{t('strip_bar', date=date(week.start), n=week.total)} ({parts})"

            svg = strip_svg(
                layout,
                lang=lang,
                title=f"{t('strip_title')}: {campaign.name[lang]}",
                description=t("strip_description"),
                bar_href=lambda week: f"{base}#{week.first_entry}" if week.first_entry else None,
                bar_label=bar_label,
                month_label=lambda month: MONTHS_SHORT[lang][month - 1],
                count_label=str,
            )
            legend = [(kind, event_type(kind), n, swatch(kind)) for kind, n in type_totals(layout)]
            key_dates = [StripKeyDate(m.number, m.key.date, m.key.label, m.key.href) for m in layout.markers]
            return CampaignStrip(svg, legend, key_dates)

        def chronology_filters(entries: list[ChronologyEntry]) -> dict[str, list[FilterOption]]:
            """The choices of the chronology's filters, each with its number of entries: the
            types, places and actors the entries name, the commonest first."""
            found: dict[str, dict[str, int]] = {"type": {}, "place": {}, "actor": {}}
            for entry in entries:
                found["type"][entry.type] = found["type"].get(entry.type, 0) + 1
                for place in entry.places:
                    found["place"][place] = found["place"].get(place, 0) + 1
                for actor in entry.actors:
                    found["actor"][actor] = found["actor"].get(actor, 0) + 1
            label_of = {"type": event_type, "place": entity_name, "actor": entity_name}
            return {
                kind: sorted(
                    (FilterOption(value, label_of[kind](value), n) for value, n in counts.items()),
                    key=lambda o: (-o.count, o.label, o.value),
                )
                for kind, counts in found.items()
            }

        def headline(entry: ChronologyEntry) -> str | None:
            """The entry's one-line headline in the page's language: its lead sentence,
            shortened; None on an English page while the sentence has no English."""
            if lang == "en":
                return headline_text(entry.lead.text_en) if entry.lead.text_en else None
            return headline_text(entry.lead.text_ar)

        def count(n: int) -> str:
            return t("article_count_one") if n == 1 else t("article_count", n=n)

        def plain_title_of(article: Article) -> str:
            return (article.title_en or article.meta.title) if lang == "en" else article.meta.title

        def title_of(article: Article, md: bool = True) -> Markup:
            """The title marked with its language; escaped for Markdown too unless `md` is
            false (raw HTML, which Markdown does not unescape)."""
            escaped = md_escape if md else html_text
            if lang == "en" and not article.title_en:
                return Markup('<span lang="ar" dir="rtl">{}</span>').format(escaped(article.meta.title))
            return Markup("<bdi>{}</bdi>").format(escaped(plain_title_of(article)))

        def translation_label(translation: ArticleTranslation) -> str:
            comma = "، " if lang == "ar" else ", "
            models = [
                f"{ENGINE_LABELS[engine]}{comma}{model}" if engine in ENGINE_LABELS else model
                for engine, model in translation.engines_and_models
            ]
            return t(f"label_{translation.status}", models="; ".join(models))

        def source_of(article: Article) -> str:
            if article.meta.source.lower() == "unknown":
                return t("unknown_source")
            return article.meta.source_ar if lang == "ar" and article.meta.source_ar else article.meta.source

        def lang_span(text: str, md: bool = False) -> Markup:
            """`text` escaped (for Markdown too if `md`); marked with its own lang and dir when its
            script is not the page's (an outlet known only by its English name on an Arabic page).
            Either way isolated (`<bdi>`, or `dir`, which isolates too): no value can reorder the
            text beside it, such as the date after a source."""
            escaped = md_escape(text) if md else Markup.escape(text)
            own = "ar" if has_arabic(text) else "en" if _LATIN_LETTER.search(text) else lang
            if own == lang:
                return Markup("<bdi>{}</bdi>").format(escaped)
            return Markup('<span lang="{}" dir="{}">{}</span>').format(
                own, "rtl" if own == "ar" else "ltr", escaped
            )

        return {
            "t": t,
            "strings": self.strings,
            "link": link,
            "href": href,
            "href_root": href_root,
            "date": date,
            "count": count,
            "title_of": title_of,
            "plain_title_of": plain_title_of,
            "translation_label": translation_label,
            "summary_units": summary_units,
            "summary_is_english": summary_is_english,
            "summary_text": summary_text,
            "month_name": month_name,
            "date_span": date_span,
            "event_type": event_type,
            "entity_name": entity_name,
            "entity_link": entity_link,
            "campaign_map": campaign_map,
            "campaign_strip": campaign_strip,
            "chronology_filters": chronology_filters,
            "headline": headline,
            "entity_kind": entity_kind,
            "relations": relations,
            "sentence_text": sentence_text,
            "sentence_en": sentence_en,
            "linked_ar": linked_ar,
            "linked_en": linked_en,
            "blocks": aligned_blocks,
            "source_of": source_of,
            "lang_span": lang_span,
        }

    def render(self, corpus: Corpus, page: DocPage, lang: str) -> str:
        try:
            return self._render(corpus, page, lang)
        except BriefgenError:
            raise
        except Exception as exc:  # templates are the user's code: report where they failed
            raise BriefgenError(template_problem(exc, self.config.templates_dir, page.template)) from None

    def _render(self, corpus: Corpus, page: DocPage, lang: str) -> str:
        template = self.env.get_template(page.template)
        context: dict[str, Any] = {
            "lang": lang,
            "site": self.config,
            "corpus": corpus,
            "latest": LATEST_ON_HOME,
            **self.helpers(lang, page.path),
        }
        depth = doc_url(page.path).count("/")  # "" 0, "chronology/" 1, "entities/x/" 2

        def partial_once(name: str, item: Any, **values: Any) -> Markup:
            """Partial `name` rendered for `item` (anything with an `id`) once per language,
            then reused on every page that shows it. Its links must lead outside the page's
            folder (to entities/ from chronology/, say): those depend on the page's depth
            alone, and are re-rooted for a page at another depth."""
            key = (lang, name, item.id, tuple(sorted(values.items())))
            rendered = self._partials.get(key)
            if rendered is None:
                store = self.stored_partials
                stored_key = store.key(self.env, name, item, key[3]) if store is not None else None
                rendered = store.get(stored_key) if store is not None and stored_key else None
                if rendered is None:
                    html = self.env.get_template(name).render({**context, **values, "item": item})
                    rendered = (Markup(html), depth)
                self._partials[key] = rendered
                if store is not None and stored_key:
                    store.keep(stored_key, rendered)
            html, at_depth = rendered
            if at_depth == depth:
                return html
            if min(at_depth, depth) == 0:  # nothing to re-root a root page's links by
                return Markup(self.env.get_template(name).render({**context, **values, "item": item}))
            # str.replace: Markup's own would escape the quotes it is given.
            return Markup(str.replace(html, 'href="' + "../" * at_depth, 'href="' + "../" * depth))

        return template.render({**context, "partial_once": partial_once, **page.context})


# Below this many pages per language a second process costs more than it saves.
PARALLEL_MIN_PAGES = 200


class PartialStore:
    """The partials `partial_once` rendered in earlier builds, kept for the next (one file per
    language, `.briefgen/cache/partials-<lang>.pickle`).

    A partial's HTML is made from its item, its values, the page's language and depth (its
    links are re-rooted by depth) and what all pages share: the templates, the config, the
    gazetteer, which entities have pages, briefgen's code (`prefix`). Its key hashes the
    item's fingerprint (`Fingerprints`: a chronology entry is its reports' articles' cache
    keys and their events' places) with the rest. Adding an article changes a few entries;
    the chronology and entity pages that list thousands of others are then put together from
    this store instead of rendered. Only a partial whose template reads none of the values
    the render keys cannot vouch for (`keyed_templates`) is kept.

    A build renders only the pages that changed, so it uses only some partials: the others
    are kept too, until `KEEP_BUILDS` builds have gone by without one using them (an entry
    an edit replaced is never asked for again). A change to what all pages share makes every
    kept partial unreachable: the store then starts empty. A file that cannot be read is
    ignored (every partial is rendered, as in a first build)."""

    FORMAT = 2
    KEEP_BUILDS = 20

    def __init__(
        self,
        path: Path,
        prefix: bytes,
        lang: str,
        fingerprints: Fingerprints,
        generation: int,
        before: dict[bytes, tuple[str, int, int]],
    ) -> None:
        self.path = path
        self.prefix = prefix
        self.lang = lang
        self.fingerprints = fingerprints
        self.generation = generation  # this build's number, counted since the store began
        self.before = before  # key → (HTML, depth rendered at, generation last used)
        self.used: dict[bytes, tuple[str, int, int]] = {}
        self.taken = 0
        self._keyed: dict[str, bool] = {}

    @classmethod
    def load(cls, path: Path, shared: bytes, lang: str, fingerprints: Fingerprints) -> PartialStore:
        prefix = hashlib.sha256(shared + b"\0" + lang.encode()).digest()
        generation, before = 0, {}
        try:
            with open(path, "rb") as handle:
                data = pickle.load(handle)
            if (
                isinstance(data, dict)
                and data.get("format") == cls.FORMAT
                and data.get("prefix") == prefix
                and isinstance(data.get("generation"), int)
                and isinstance(data.get("partials"), dict)
            ):
                generation, before = data["generation"] + 1, data["partials"]
        except FileNotFoundError:
            pass
        except Exception as error:  # corrupt or foreign: render every partial
            log.debug("partials %s ignored: %s", path, error)
        return cls(path, prefix, lang, fingerprints, generation, before)

    def key(
        self, env: jinja2.Environment, name: str, item: Any, values: tuple[tuple[str, Any], ...]
    ) -> bytes | None:
        """The partial's key across builds; None when it cannot be kept."""
        keyed = self._keyed.get(name)
        if keyed is None:
            keyed = self._keyed[name] = name in keyed_templates(env, [name])
        if not keyed:
            return None
        try:
            return hashlib.sha256(
                self.prefix + name.encode() + b"\0" + self.fingerprints.of([list(values), item])
            ).digest()
        except Unkeyable:
            return None

    def get(self, key: bytes) -> tuple[Markup, int] | None:
        found = self.before.get(key)
        if found is None:
            return None
        self.taken += 1
        return Markup(found[0]), found[1]

    def keep(self, key: bytes, rendered: tuple[Markup, int]) -> None:
        self.used[key] = (str(rendered[0]), rendered[1], self.generation)

    def save(self) -> None:
        """Write the store atomically (a killed build leaves the last one, still valid)."""
        oldest = self.generation - self.KEEP_BUILDS
        partials = {key: entry for key, entry in self.before.items() if entry[2] > oldest}
        partials.update(self.used)
        payload = {
            "format": self.FORMAT,
            "prefix": self.prefix,
            "generation": self.generation,
            "partials": partials,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        log.info(
            "partials (%s): %d taken from the last build, %d rendered",
            self.lang,
            self.taken,
            len(self.used) - self.taken,
        )


@dataclass
class RenderPlan:
    """Which pages the last build's docs tree already holds: `before` is its files (see
    `docs_state`); a page has a render key when its template reads only what the key
    hashes (the page's context, the templates, the config, the gazetteer, which entities
    have pages, briefgen's code), else it is rendered on every build."""

    before: dict[str, DocFile]
    keys: dict[str, bytes]  # by page path, language-independent
    # For partials kept across builds (`PartialStore`): the key part all pages share, the
    # contexts' fingerprints (each entry hashed once, in planning) and where they are kept.
    shared: bytes = b""
    fingerprints: Fingerprints | None = None
    partials_dir: Path | None = None

    def key(self, page: DocPage, lang: str) -> str | None:
        key = self.keys.get(page.path)
        return None if key is None else hashlib.sha256(key + lang.encode()).hexdigest()


def plan_render(
    corpus: Corpus,
    pages: list[DocPage],
    renderer: SiteRenderer,
    before: dict[str, DocFile],
    article_keys: dict[str, bytes],
) -> RenderPlan:
    config = corpus.config
    shared = hashlib.sha256()
    for part in (
        code_version().encode(),
        templates_fingerprint(config.templates_dir),
        repr(config).encode(),
        read_optional(config.gazetteer_path, config.root) or b"-",
        "\0".join(sorted(renderer.entity_pages)).encode(),
    ):
        shared.update(hashlib.sha256(part).digest())
    keyed = keyed_templates(renderer.env, (p.template for p in pages))
    from briefgen.commands.build import event_campaigns

    fingerprints = Fingerprints(article_keys, event_campaigns(corpus))
    keys: dict[str, bytes] = {}
    for page in pages:
        if page.template not in keyed:
            continue
        try:
            context = fingerprints.of(page.context)
        except Unkeyable:
            continue
        keys[page.path] = hashlib.sha256(
            shared.digest() + page.path.encode() + b"\0" + page.template.encode() + b"\0" + context
        ).digest()
    return RenderPlan(before, keys, shared.digest(), fingerprints)


def _copy_assets(source: Path, target: Path) -> set[str]:
    """Copy the templates' assets into the docs tree, writing only files that changed;
    returns their names under the docs tree."""
    names = set()
    if source.is_dir():
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            name = f"assets/{path.relative_to(source).as_posix()}"
            names.add(name)
            data = path.read_bytes()
            copy = target / name
            try:
                if copy.read_bytes() == data:
                    continue
            except OSError:
                pass
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(data)
    return names


def _remove_stale(docs_dir: Path, keep: set[str]) -> None:
    """Delete the files of pages that are gone (a deleted article, an entity no longer
    named), and the folders they leave empty."""
    for path in sorted(docs_dir.rglob("*"), reverse=True):
        name = path.relative_to(docs_dir).as_posix()
        if path.is_dir():
            if not any(path.iterdir()):
                path.rmdir()
        elif name not in keep:
            path.unlink()


def render_docs(
    corpus: Corpus,
    docs_dir: Path,
    parallel: bool | None = None,
    *,
    state_file: Path | None = None,
    article_keys: dict[str, bytes] | None = None,
) -> list[DocPage]:
    """Write the whole docs tree for both languages into `docs_dir`.

    Without `state_file` the folder is emptied and every page rendered. With it, the
    pages the state shows to be unchanged are left as they are (see `docs_state`), and
    the state is written afterwards; `article_keys` are the per-article cache keys that
    let a page showing an article be keyed at all.

    The languages are independent, so on a multi-core Linux machine a large site renders
    its Arabic pages in a forked process while this one renders the English; `parallel`
    forces that on or off (None: decide by the site's size)."""
    pages = plan_pages(corpus)
    entity_pages = frozenset(p.context["entity"].id for p in pages if "entity" in p.context)
    renderer = SiteRenderer(corpus.config, corpus.gazetteer, entity_pages, corpus.chronology)
    code = code_version()
    if state_file is None:
        if docs_dir.exists():
            shutil.rmtree(docs_dir)
        plan = RenderPlan({}, {})
    else:
        ensure_writable(state_file.parent)
        before = load_state(state_file, code) if docs_dir.is_dir() else {}
        plan = plan_render(corpus, pages, renderer, before, article_keys or {})
        plan.partials_dir = state_file.parent / "cache"
    fork = _fork_context() if parallel or (parallel is None and len(pages) >= PARALLEL_MIN_PAGES) else None
    written: dict[str, DocFile] = {}
    if fork is None:
        for lang in LANGUAGES:
            written.update(_render_language(renderer, corpus, pages, docs_dir, lang, plan))
    else:
        written.update(_render_in_parallel(fork, renderer, corpus, pages, docs_dir, plan))
    assets = _copy_assets(corpus.config.templates_dir / "assets", docs_dir)
    if state_file is not None:
        _remove_stale(docs_dir, set(written) | assets)
        save_state(state_file, code, written)
    return pages
