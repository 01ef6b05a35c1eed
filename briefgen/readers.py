"""Readers: turn the files in `content/articles/` into validated `Article`s.

Every problem in every file is collected, so `briefgen check` reports them all at once.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from briefgen.cache import SUFFIX as CACHE_SUFFIX
from briefgen.config import SiteConfig
from briefgen.errors import BriefgenError, Problem
from briefgen.fileio import exists, is_dir, name_max, walk_files
from briefgen.gazetteer import Gazetteer, Place, load_gazetteer
from briefgen.memory import ArticleMemory, load_memory, memory_path
from briefgen.schema import (
    LANGUAGE_NAMES,
    SLUG_RE,
    Option,
    Schema,
    bilingual_list,
    bilingual_text,
    control_character_problem,
    is_reserved_name,
    iso_date,
    list_of,
    slug,
    text,
    url,
)
from briefgen.structure.article import Article, FrontMatter
from briefgen.yamlio import LocatedData, load_yaml, read_text_utf8

FRONT_MATTER_SCHEMA = Schema(
    {
        "title": Option(bilingual_text("ar"), required=True, help="the Arabic headline"),
        "source": Option(bilingual_text("en"), required=True, help="the outlet that published the article"),
        "published": Option(iso_date(), required=True, help="the publication date, YYYY-MM-DD"),
        "url": Option(url()),
        "title_en": Option(text()),
        "source_ar": Option(text()),
        "campaign": Option(slug()),
        "tags": Option(bilingual_list(text(), "en"), default=()),
        "tags_ar": Option(list_of(text()), default=()),
        "date_note": Option(bilingual_text("en")),
        "date_note_ar": Option(text()),
    },
    name="front matter",
)

# The fields a reader sees in their own language: (field, its language, the field that may
# give the other language beside it). Each may also be written {en: ..., ar: ...}.
BILINGUAL_FIELDS = (
    ("title", "ar", "title_en"),
    ("source", "en", "source_ar"),
    ("date_note", "en", "date_note_ar"),
    ("tags", "en", "tags_ar"),
)


def merge_bilingual_fields(values: dict[str, Any], located: LocatedData, path: Path) -> list[Problem]:
    """Turn each bilingual field's {lang: text} into the field and its companion (title and
    title_en, …), in place; a language given both ways, or a required one missing, is a problem."""
    problems: list[Problem] = []
    for name, lang, companion in BILINGUAL_FIELDS:
        given = values.get(name)
        if not isinstance(given, dict):
            continue
        other = "ar" if lang == "en" else "en"
        if other in given and values.get(companion):
            problems.append(
                Problem(
                    f"the {LANGUAGE_NAMES[other]} {name} is given twice: here and in {name}: {{{other}: …}}",
                    path=path,
                    line=located.line_of(companion),
                    field=companion,
                    hint=f"keep one of them: {companion}: …, or {name}: {{{lang}: …, {other}: …}}",
                )
            )
        if lang not in given and FRONT_MATTER_SCHEMA.options[name].required:
            problems.append(
                Problem(
                    f"the {LANGUAGE_NAMES[lang]} version is missing",
                    path=path,
                    line=located.line_of(name),
                    field=f"{name}.{lang}",
                    hint=f"write {name}: {{{lang}: …, {other}: …}}",
                )
            )
        empty = FRONT_MATTER_SCHEMA.options[name].default  # () for a list, None for text
        values[name] = given.get(lang, empty)
        values[companion] = values.get(companion) or given.get(other, empty)
    return problems


log = logging.getLogger("briefgen")

# The body `briefgen new` writes when given no text: an article still holding it was never
# written, and check and build refuse it rather than publish the instruction to readers.
PLACEHOLDER_BODY = "اكتب نص المقال هنا، والفقرات مفصولة بسطر فارغ."

# Checked before an article is read: the longest real briefing is tens of KB (README, Limits).
MAX_ARTICLE_BYTES = 2 * 2**20

_FENCE = re.compile(r"^---[ \t]*$")


def suggest_slug(stem: str) -> str:
    # NFKD first, so that accented letters keep their base letter (café → cafe).
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode().lower()
    suggestion = re.sub(r"[^a-z0-9]+", "-", ascii_stem).strip("-") or "article"
    return f"{suggestion}-1" if is_reserved_name(suggestion) else suggestion


# The random part `tempfile.mkstemp` puts in a name.
_TEMP_RANDOM = "X" * 8


def slug_file_names(slug: str) -> tuple[str, ...]:
    """Every file and folder name briefgen derives from an article's slug: the article, its
    translation memory and the temporary file that writes it (`memory.write_atomically`),
    its cache entry and that one's temporary file (`ArticleCache.store`), its docs page
    (`articles/<slug>.md`) and its site folder (`articles/<slug>/`)."""
    memory = memory_path(Path(), slug).name
    cache = f"{slug}{CACHE_SUFFIX}"
    return (
        f"{slug}.md",
        memory,
        f".{memory}.{_TEMP_RANDOM}.tmp",
        cache,
        f".{cache}.{_TEMP_RANDOM}.tmp",
        slug,
    )


# How many characters the longest of those names adds to the slug.
SLUG_NAME_EXTRA = max(len(name) for name in slug_file_names(""))
# The longest slug where names may have 255 bytes (most file systems).
DEFAULT_MAX_SLUG = 255 - SLUG_NAME_EXTRA


def max_slug_length(config: SiteConfig) -> int:
    """The longest slug whose every derived name fits the file systems the project's files
    go on (slugs are ASCII: a character is a byte)."""
    folders = (config.articles_dir, config.translations_dir, config.cache_dir, config.output_dir)
    return min(name_max(folder) for folder in folders) - SLUG_NAME_EXTRA


def slug_problem(path: Path, max_slug: int = DEFAULT_MAX_SLUG) -> Problem | None:
    """What is wrong with the slug the file name gives, if anything."""
    stem = path.stem
    if path.suffix != ".md":
        return Problem(
            f"file name {path.name!r} does not end in '.md'",
            path=path,
            hint=f"rename it to {suggest_slug(stem)}.md",
        )
    if not SLUG_RE.match(stem):
        return Problem(
            f"file name {path.name!r} is not a valid slug",
            path=path,
            hint=f"use lowercase ASCII letters, digits and hyphens, e.g. {suggest_slug(stem)}.md",
        )
    if is_reserved_name(stem):
        return Problem(
            f"file name {path.name!r} is a device name Windows reserves: its page could not be saved there",
            path=path,
            hint=f"add a word or the date, e.g. {suggest_slug(stem)}.md",
        )
    if len(stem) > max_slug:
        return Problem(
            f"file name is too long ({len(stem)} characters before .md): the translation memory, "
            "cache entry and pages named after it would not fit the file system",
            path=path,
            hint=f"shorten the file name (at most {max_slug} characters before .md)",
        )
    return None


def control_character_problems(path: Path, lines: list[str], first_line: int) -> list[Problem]:
    return [
        Problem(
            f"{message} in the text",
            path=path,
            line=first_line + number,
            hint="delete it (it often comes with text copied from a web page or PDF)",
        )
        for number, line in enumerate(lines)
        if (message := control_character_problem(line))
    ]


def parse_article(
    path: Path,
    text: str,
    campaign_ids: frozenset[str],
    max_slug: int = DEFAULT_MAX_SLUG,
    allow_placeholder: bool = False,
) -> Article:
    """Parse one article file's text; raise `BriefgenError` with every problem in it.

    `max_slug` is the longest slug the file system allows (see `max_slug_length`);
    `allow_placeholder` lets `briefgen new` check the file it is about to write."""
    problems: list[Problem] = []
    slug_value = path.stem
    if bad_slug := slug_problem(path, max_slug):
        problems.append(bad_slug)
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        problems.append(
            Problem(
                "missing front matter",
                path=path,
                line=1,
                hint="start the file with a '---' line, the YAML fields, then another '---' line",
            )
        )
        raise BriefgenError(problems)
    closing = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if closing is None:
        problems.append(
            Problem(
                "front matter is never closed",
                path=path,
                line=1,
                hint="end the YAML fields with a line containing only '---'",
            )
        )
        raise BriefgenError(problems)
    try:
        located = load_yaml("\n".join(lines[1:closing]), path, line_offset=1)
    except BriefgenError as exc:
        raise BriefgenError(problems + exc.problems) from None
    values, field_problems = FRONT_MATTER_SCHEMA.validate(located.data, located, path)
    problems += field_problems
    problems += merge_bilingual_fields(values, located, path)
    if values.get("campaign") and values["campaign"] not in campaign_ids:
        problems.append(
            Problem(
                f"unknown campaign {values['campaign']!r}",
                path=path,
                line=located.line_of("campaign"),
                field="campaign",
                hint=f"use one of the ids in site_config.yml: {', '.join(sorted(campaign_ids)) or '(none)'}",
            )
        )
    body_lines = lines[closing + 1 :]
    problems += control_character_problems(path, body_lines, closing + 2)
    leading_blank = next((i for i, line in enumerate(body_lines) if line.strip()), 0)
    body = "\n".join(body_lines).strip("\n")
    if not body.strip():
        problems.append(
            Problem(
                "the article has no body text",
                path=path,
                line=closing + 2,
                hint="add the Arabic text after the closing '---', paragraphs separated by blank lines",
            )
        )
    if not allow_placeholder:
        problems += [
            Problem(
                "the article still holds the placeholder text `briefgen new` wrote",
                path=path,
                line=closing + 2 + number,
                hint="replace it with the article's Arabic text, paragraphs separated by blank lines",
            )
            for number, line in enumerate(body_lines)
            if PLACEHOLDER_BODY in line
        ]
    if problems:
        raise BriefgenError(problems)
    return Article(
        slug=slug_value,
        path=path,
        meta=FrontMatter(**values),
        body=body,
        body_line=closing + 2 + leading_blank,
    )


def article_paths(articles_dir: Path, root: Path | None = None) -> list[Path]:
    """The article files under `articles_dir`, sorted; raise naming any folder that cannot be
    listed, rather than leave out the articles in it. `root`: see `fileio.shown_path`."""
    # `.MD` too, so that the reader refuses it rather than silently skipping an article.
    return [p for p in walk_files(articles_dir, root) if p.suffix.lower() == ".md"]


def read_articles(config: SiteConfig) -> list[Article]:
    """Read every article under the content folder, or raise listing every problem found."""
    if not is_dir(config.articles_dir, config.root):
        raise BriefgenError(
            Problem(
                "articles folder not found",
                path=config.articles_dir,
                hint="create it and put one Markdown file per article in it",
            )
        )
    return read_article_files(config, article_paths(config.articles_dir, config.root))


def read_article_files(config: SiteConfig, paths: Iterable[Path]) -> list[Article]:
    """Read the article files `paths`, in order, or raise listing every problem found."""
    campaign_ids = frozenset(c.id for c in config.campaigns)
    max_slug = max_slug_length(config)
    articles: list[Article] = []
    problems: list[Problem] = []
    first_path: dict[str, Path] = {}
    for path in paths:
        shown = path.relative_to(config.root) if path.is_relative_to(config.root) else path
        if path.stem in first_path:
            problems.append(
                Problem(
                    f"duplicate slug {path.stem!r}: also used by {first_path[path.stem]}",
                    path=shown,
                    hint="rename one of the files; the slug is the file name and must be unique",
                )
            )
            continue
        first_path[path.stem] = shown
        try:
            text = read_text_utf8(path, shown, MAX_ARTICLE_BYTES, "the article")
            articles.append(parse_article(shown, text, campaign_ids, max_slug))
        except BriefgenError as exc:
            problems += exc.problems
    if problems:
        raise BriefgenError(problems)
    return articles


def read_memories(config: SiteConfig, slugs: list[str]) -> dict[str, ArticleMemory]:
    """Every article's translation memory, or raise listing every broken one.

    A memory file whose article no longer exists is kept (it is an editor's work) and
    reported as a warning.
    """
    memories: dict[str, ArticleMemory] = {}
    problems: list[Problem] = []
    for article_slug in slugs:
        path = memory_path(config.translations_dir, article_slug)
        shown = path.relative_to(config.root) if path.is_relative_to(config.root) else path
        try:
            memories[article_slug] = load_memory(path, article_slug, shown)
        except BriefgenError as exc:
            problems += exc.problems
    if problems:
        raise BriefgenError(problems)
    if config.translations_dir.is_dir():
        known = set(slugs)
        for path in sorted(config.translations_dir.glob("*.yml")):
            if path.stem not in known:
                log.warning(
                    "%s: translation memory for an article that does not exist (renamed? rename the "
                    "file to the new slug; deleted? `briefgen translations prune` removes it)",
                    path.relative_to(config.root) if path.is_relative_to(config.root) else path,
                )
    return memories


def read_gazetteer(config: SiteConfig) -> Gazetteer:
    """The project's gazetteer, checked against the campaigns that name its places."""
    path = config.gazetteer_path
    shown = path.relative_to(config.root) if path.is_relative_to(config.root) else path
    if not exists(path, config.root):
        log.warning("%s not found: no places, people or organisations will be recognised", shown)
        return Gazetteer()
    gazetteer = load_gazetteer(path, shown)
    problems = [
        Problem(
            f"campaign {campaign.id!r} names place {place!r}, which is not in {shown}",
            path=config.path,
            field=f"campaigns[{index}].places",
            hint="use a place id from the gazetteer, or add the place to it",
        )
        for index, campaign in enumerate(config.campaigns)
        for place in campaign.places
        if not isinstance(gazetteer.get(place), Place)
    ]
    if problems:
        raise BriefgenError(problems)
    return gazetteer
