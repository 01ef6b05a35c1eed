"""`briefgen new`: scaffold an article file with valid front matter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from briefgen.config import SiteConfig, load_config
from briefgen.errors import BriefgenError, Problem
from briefgen.gazetteer import Gazetteer
from briefgen.readers import PLACEHOLDER_BODY, max_slug_length, parse_article, read_gazetteer, suggest_slug
from briefgen.schema import SLUG_RE
from briefgen.slugs import MAX_SLUG_CHARS, arabic_title_words, english_title_words, title_slug

__all__ = ["PLACEHOLDER_BODY", "new_article"]


def default_slug(
    published: dt.date,
    title: str,
    title_en: str | None,
    source: str,
    articles_dir: Path,
    max_slug: int,
    gazetteer: Gazetteer | None = None,
) -> str:
    """<date>-<what the story is about>: the English title's words if given, else the Arabic
    title's transliterated (known names in English), else the outlet; a suffix if taken."""
    words = english_title_words(title_en) if title_en else arabic_title_words(title, gazetteer)
    if not words:
        words = suggest_slug(source).split("-")
    # Room for a "-99" to tell it from an earlier article with the same headline.
    base = title_slug(published.isoformat(), words, min(MAX_SLUG_CHARS, max_slug - 3))
    slug, n = base, 2
    while any(articles_dir.rglob(f"{slug}.md")):
        slug, n = f"{base}-{n}", n + 1
    return slug


def project_gazetteer(config: SiteConfig) -> Gazetteer | None:
    """The gazetteer, for the English names in a slug; a missing or broken one is for check
    and build to report, not `new`."""
    if not config.gazetteer_path.is_file():
        return None
    try:
        return read_gazetteer(config)
    except BriefgenError:
        return None


def article_text(
    *,
    title: str,
    published: dt.date,
    source: str,
    url: str | None,
    source_ar: str | None,
    body: str,
    title_en: str | None = None,
) -> str:
    def field(name: str, value: str) -> str:
        # safe_dump quotes whatever YAML could misread; dates are written bare, as editors do.
        return yaml.safe_dump({name: value}, allow_unicode=True, width=4096)

    lines = field("title", title)
    if title_en:
        lines += field("title_en", title_en)
    lines += field("source", source)
    if source_ar:
        lines += field("source_ar", source_ar)
    lines += f"published: {published.isoformat()}\n"
    if url:
        lines += field("url", url)
    return f"---\n{lines}---\n\n{body.strip()}\n"


def new_article(
    config_path: Path | str,
    *,
    title: str,
    published: dt.date,
    source: str,
    url: str | None = None,
    slug: str | None = None,
    source_ar: str | None = None,
    body: str | None = None,
    title_en: str | None = None,
) -> Path:
    """Write content/articles/<slug>.md and return its path; nothing is written if it would be invalid."""
    config = load_config(config_path)
    articles_dir = config.articles_dir
    max_slug = max_slug_length(config)
    if not slug:
        gazetteer = None if title_en else project_gazetteer(config)
        slug = default_slug(published, title, title_en, source, articles_dir, max_slug, gazetteer)
    if not SLUG_RE.match(slug):
        raise BriefgenError(
            Problem(f"{slug!r} is not a valid slug", field="--slug", hint=f"try {suggest_slug(slug)}")
        )
    if len(slug) > max_slug:
        raise BriefgenError(
            Problem(
                f"the slug is too long ({len(slug)} characters): the file names briefgen makes from it "
                "would not fit the file system",
                field="--slug",
                hint=f"shorten the file name (at most {max_slug} characters)",
            )
        )
    path = articles_dir / f"{slug}.md"
    if path.exists() or any(articles_dir.rglob(f"{slug}.md")):
        raise BriefgenError(
            Problem("an article with this slug already exists", path=path, hint="choose another --slug")
        )
    text = article_text(
        title=title,
        published=published,
        source=source,
        url=url,
        source_ar=source_ar,
        body=body or PLACEHOLDER_BODY,
        title_en=title_en,
    )
    campaign_ids = frozenset(c.id for c in config.campaigns)
    # The checks a build makes, but for the placeholder the author is about to replace.
    parse_article(path.relative_to(config.root), text, campaign_ids, max_slug, allow_placeholder=True)
    articles_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
