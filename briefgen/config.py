"""`site_config.yml`: its declared schema and the validated `SiteConfig`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.errors import BriefgenError, Problem
from briefgen.fileio import is_file
from briefgen.memory.core import choice
from briefgen.schema import (
    Option,
    Schema,
    integer,
    iso_date,
    list_of,
    localized_text,
    relative_path,
    slug,
    text,
    url,
)
from briefgen.yamlio import load_yaml, read_text_utf8

DEFAULT_CONFIG_NAME = "site_config.yml"


@dataclass(frozen=True)
class Campaign:
    id: str
    name: dict[str, str]
    start: dt.date
    end: dt.date
    description: dict[str, str] | None = None
    places: tuple[str, ...] = ()

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


ENGINES = ("argos", "ct2")
# Source tokens per batch for the ct2 engine (CTranslate2 batch_type="tokens"): on --shape base,
# 2 cores, the fastest size whose output was still that of one sentence at a time; larger
# batches pad more, and padding shifts scores by ~1e-3, enough to flip a near-tie
# (benchmarks/translation_throughput.py, docs/translation.md).
DEFAULT_BATCH_TOKENS = 384


@dataclass(frozen=True)
class TranslationSettings:
    engine: str = "argos"  # an Argos package, or a CTranslate2 model (`models install --ct2`)
    model: str | None = None  # which installed model; None: the newest Argos ar→en / first ct2
    beam_size: int = 4
    batch_size: int = 32  # sentences per batch (argos)
    batch_tokens: int = DEFAULT_BATCH_TOKENS  # source tokens per batch (ct2)


# `search.full_text_articles` limited lunr's index to the newest articles. Pagefind indexes every
# article's full text, so the setting does nothing now: it is still read (a project that sets it
# still builds, and a bad value is still reported) and the build warns (FULL_TEXT_DEPRECATED).
FULL_TEXT_DEPRECATED = (
    "site_config.yml: search.full_text_articles no longer does anything: every article is "
    "searchable by its full text. Remove the setting."
)


@dataclass(frozen=True)
class SearchSettings:
    full_text_articles: int | None = None  # deprecated: set only if site_config.yml sets it


# An entity page quotes the sentences naming it from this many of the newest articles and
# lists the older ones by title: a place named in every article of a large archive would
# otherwise get a page of megabytes that no reader scrolls and every build renders.
DEFAULT_QUOTED_ARTICLES = 20


@dataclass(frozen=True)
class EntitySettings:
    quoted_articles: int = DEFAULT_QUOTED_ARTICLES


@dataclass(frozen=True)
class SiteConfig:
    """Everything a build needs to know about the site, with paths made absolute."""

    path: Path
    title: dict[str, str]
    description: dict[str, str]
    site_url: str
    repo_url: str | None
    content_dir: Path
    templates_dir: Path
    output_dir: Path
    campaigns: tuple[Campaign, ...]
    translation: TranslationSettings
    search: SearchSettings = SearchSettings()
    entities: EntitySettings = EntitySettings()
    output_dir_line: int | None = None  # where site_config.yml sets output_dir, for its problems

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def articles_dir(self) -> Path:
        return self.content_dir / "articles"

    @property
    def gazetteer_path(self) -> Path:
        return self.content_dir / "gazetteer.yml"

    @property
    def translations_dir(self) -> Path:
        return self.content_dir / "translations"

    @property
    def events_dir(self) -> Path:
        return self.content_dir / "events"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".briefgen"

    def campaign(self, campaign_id: str) -> Campaign | None:
        return next((c for c in self.campaigns if c.id == campaign_id), None)


CAMPAIGN_SCHEMA = Schema(
    {
        "id": Option(slug(), required=True, help="a short id such as benghazi-2016"),
        "name": Option(localized_text(), required=True),
        "start": Option(iso_date(), required=True),
        "end": Option(iso_date(), required=True),
        "description": Option(localized_text()),
        "places": Option(list_of(slug()), default=()),
    },
    name="campaign",
)

TRANSLATION_SCHEMA = Schema(
    {
        "engine": Option(
            choice(ENGINES),
            default="argos",
            help="argos (an Argos Translate package) or ct2 (a model installed with "
            "`briefgen models install --ct2 DIR`)",
        ),
        "model": Option(text(), help="the name `briefgen models list` gives the model"),
        "beam_size": Option(integer(minimum=1, maximum=16), default=4),
        "batch_size": Option(integer(minimum=1, maximum=1024), default=32),
        "batch_tokens": Option(integer(minimum=16, maximum=65536), default=DEFAULT_BATCH_TOKENS),
    },
    name="translation settings",
)

SEARCH_SCHEMA = Schema(
    {
        "full_text_articles": Option(
            integer(minimum=0, maximum=1_000_000),
            default=None,
            help="deprecated, does nothing: every article is searched by its full text",
        ),
    },
    name="search settings",
)

ENTITIES_SCHEMA = Schema(
    {
        "quoted_articles": Option(
            integer(minimum=0, maximum=1_000_000),
            default=DEFAULT_QUOTED_ARTICLES,
            help="from how many of the newest articles an entity page quotes the sentences naming it",
        ),
    },
    name="entity page settings",
)

SITE_SCHEMA = Schema(
    {
        "title": Option(localized_text(), required=True, help="the site title: {en: ..., ar: ...}"),
        "description": Option(localized_text()),
        "site_url": Option(
            url(),
            required=True,
            help="where the site is published, e.g. https://user.github.io/repo/",
        ),
        "repo_url": Option(url()),
        "content_dir": Option(relative_path(), default=Path("content")),
        "templates_dir": Option(relative_path(), default=Path("templates")),
        "output_dir": Option(relative_path(), default=Path("site")),
        "campaigns": Option(lambda v: v, default=[]),
        "translation": Option(lambda v: v, default={}),
        "search": Option(lambda v: v, default={}),
        "entities": Option(lambda v: v, default={}),
    },
    name="site configuration",
)


def _campaigns(raw: Any, located: Any, path: Path) -> tuple[tuple[Campaign, ...], list[Problem]]:
    if not isinstance(raw, list):
        return (), [
            Problem(
                "expected a list of campaigns",
                path=path,
                line=located.line_of("campaigns"),
                field="campaigns",
            )
        ]
    campaigns: list[Campaign] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        at = ("campaigns", index)
        values, item_problems = CAMPAIGN_SCHEMA.validate(
            item, located, path, at=at, prefix=f"campaigns[{index}]."
        )
        problems += item_problems
        if item_problems:
            continue
        if values["start"] > values["end"]:
            problems.append(
                Problem(
                    f"starts ({values['start']}) after it ends ({values['end']})",
                    path=path,
                    line=located.line_of(*at, "end"),
                    field=f"campaigns[{index}]",
                )
            )
            continue
        if values["id"] in seen:
            problems.append(
                Problem(
                    f"duplicate campaign id {values['id']!r}",
                    path=path,
                    line=located.line_of(*at, "id"),
                    field=f"campaigns[{index}].id",
                )
            )
            continue
        seen.add(values["id"])
        campaigns.append(Campaign(**values))
    return tuple(campaigns), problems


def load_config(path: Path | str = DEFAULT_CONFIG_NAME) -> SiteConfig:
    """Read and validate the site configuration; raise `BriefgenError` listing every problem."""
    path = Path(path).resolve()
    if not is_file(path):
        raise BriefgenError(
            Problem(
                "configuration file not found",
                path=path,
                hint="run briefgen from the project folder, or pass --config PATH",
            )
        )
    located = load_yaml(read_text_utf8(path), path)
    values, problems = SITE_SCHEMA.validate(located.data, located, path)
    if not isinstance(located.data, dict):
        raise BriefgenError(problems)
    campaigns, campaign_problems = _campaigns(values["campaigns"], located, path)
    problems += campaign_problems
    translation, translation_problems = TRANSLATION_SCHEMA.validate(
        values["translation"], located, path, at=("translation",), prefix="translation."
    )
    problems += translation_problems
    search, search_problems = SEARCH_SCHEMA.validate(
        values["search"], located, path, at=("search",), prefix="search."
    )
    problems += search_problems
    entities, entities_problems = ENTITIES_SCHEMA.validate(
        values["entities"], located, path, at=("entities",), prefix="entities."
    )
    problems += entities_problems
    if problems:
        raise BriefgenError(problems)
    root = path.parent
    site_url = values["site_url"]
    if not site_url.endswith("/"):
        site_url += "/"
    return SiteConfig(
        path=path,
        title=values["title"],
        description=values["description"] or values["title"],
        site_url=site_url,
        repo_url=values["repo_url"],
        content_dir=root / values["content_dir"],
        templates_dir=root / values["templates_dir"],
        output_dir=root / values["output_dir"],
        campaigns=campaigns,
        translation=TranslationSettings(**translation),
        search=SearchSettings(**search),
        entities=EntitySettings(**entities),
        output_dir_line=located.line_of("output_dir") if "output_dir" in located.data else None,
    )
