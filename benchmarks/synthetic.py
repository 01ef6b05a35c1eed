"""Synthetic briefgen projects of any size, for the scale benchmark and tests.

Each synthetic article recombines sentences and cross-heads of the seed articles in
content/articles/ (Benghazi 2016 or Tripoli 2019–2020, so both campaigns fill), under a
title taken from a seed title or cross-head, published on a random day inside its
campaign, with the districts it names swapped for other districts of the same city
(consistently in the Arabic and the English, using content/gazetteer.yml's names).
The reviewed English of the seed translation memories is carried over, place swaps
included, so the site is fully translated without a model. Deterministic: article i
depends only on (seed, i), so the first N articles of a bigger project are the N of a
smaller one, and `--articles N+1` adds exactly one article to `--articles N`.

Usage: python benchmarks/synthetic.py DEST --articles N [--seed S]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]

# Districts that can stand in for one another, per campaign theme (gazetteer ids).
# Only districts: their names are distinctive and no person or organisation contains them.
DISTRICTS: dict[str, tuple[str, ...]] = {
    "benghazi": ("qawarsha", "ganfouda", "bu-snaib", "sabri", "laithi", "bu-atni", "souq-al-hout"),
    "tripoli": ("ain-zara", "wadi-al-rabi", "al-khallatat", "salah-al-din"),
}
# Which campaign each theme's articles are published in (site_config.yml ids).
THEME_CAMPAIGNS = {"benghazi": "benghazi-2016", "tripoli": "tripoli-2019-2020"}
SOURCES: tuple[tuple[str, str], ...] = (
    ("Al-Hayat", "الحياة"),
    ("Akher Saa", "آخر ساعة"),
    ("Al-Raed", "الرائد"),
    ("Al Jazeera", "الجزيرة"),
    ("Al-Wasat", "بوابة الوسط"),
    ("Libya Observer", "ليبيا أوبزرفر"),
)
# Sentences per article: the seeds have 8–25; this keeps the average near theirs.
MIN_SENTENCES, MAX_SENTENCES = 6, 20
HEADING_PROBABILITY = 0.2


@dataclass(frozen=True)
class Unit:
    """A seed title, cross-head or sentence with its reviewed English."""

    ar: str
    en: str


@dataclass(frozen=True)
class SeedPool:
    titles: tuple[Unit, ...]
    headings: tuple[Unit, ...]
    sentences: tuple[Unit, ...]


def _splits_alone(text: str) -> bool:
    """Whether the splitter keeps `text` as exactly one sentence, so recombining can't merge or cut it."""
    from briefgen.pipeline.split import split
    from briefgen.structure.article import Article, FrontMatter

    probe = split(
        Article("probe", Path("probe.md"), FrontMatter("probe", "probe", dt.date(2016, 1, 1)), text, 1)
    )
    sentences = list(probe.sentences)
    return len(sentences) == 1 and sentences[0].text == text and not probe.headings


def seed_pools(repo: Path = REPO) -> dict[str, SeedPool]:
    """The seed articles' units with their reviewed English, by theme (benghazi, tripoli)."""
    from briefgen.config import load_config
    from briefgen.pipeline.split import split
    from briefgen.pipeline.translate import make_translate_stage
    from briefgen.readers import read_articles, read_memories

    config = load_config(repo / "site_config.yml")
    articles = read_articles(config)
    translate = make_translate_stage(read_memories(config, [a.slug for a in articles]), None)
    units: dict[str, dict[str, list[Unit]]] = {
        theme: {"titles": [], "headings": [], "sentences": []} for theme in DISTRICTS
    }
    for article in articles:
        theme = "benghazi" if article.meta.published.year == 2016 else "tripoli"
        translation = translate(split(article)).translation
        assert translation is not None
        title_en = article.meta.title_en or (translation.title.en if translation.title else None)
        if title_en:
            units[theme]["titles"].append(Unit(article.meta.title, title_en))
        for heading in translation.headings:
            if heading.en:
                units[theme]["headings"].append(Unit(heading.ar, heading.en))
                units[theme]["titles"].append(Unit(heading.ar, heading.en))
        for sentence in translation.sentences:
            if sentence.en and _splits_alone(sentence.ar):
                units[theme]["sentences"].append(Unit(sentence.ar, sentence.en))
    return {
        theme: SeedPool(tuple(found["titles"]), tuple(found["headings"]), tuple(found["sentences"]))
        for theme, found in units.items()
    }


@dataclass(frozen=True)
class PlaceNames:
    ar: tuple[str, ...]  # canonical first, then variants
    en: tuple[str, ...]


def district_names(gazetteer_path: Path) -> dict[str, PlaceNames]:
    data = yaml.safe_load(gazetteer_path.read_text(encoding="utf-8"))
    wanted = {place for places in DISTRICTS.values() for place in places}
    names = {
        place["id"]: PlaceNames(
            (place["ar"], *(place.get("variants_ar") or ())), (place["en"], *(place.get("variants_en") or ()))
        )
        for place in data["places"]
        if place["id"] in wanted
    }
    missing = wanted - names.keys()
    if missing:
        raise SystemExit(f"content/gazetteer.yml lacks the districts {sorted(missing)}")
    return names


def place_swapper(mapping: dict[str, str], names: dict[str, PlaceNames]) -> Callable[[Unit], Unit]:
    """Replace every district in `mapping` by its image, all at once (so a↔b swaps work), in both
    languages: any spelling of the source becomes the target's canonical name."""

    def pattern(spellings: dict[str, str], word_bounded: bool) -> re.Pattern[str]:
        # Longest first, so "al-Qawarsha" wins over "Qawarsha" at the same position.
        alternatives = "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))
        # Arabic names take clitic prefixes (وبالقوارشة), so only English is word-bounded.
        return re.compile(rf"\b(?:{alternatives})\b" if word_bounded else f"(?:{alternatives})")

    arabic = {s: names[target].ar[0] for source, target in mapping.items() for s in names[source].ar}
    english = {s: names[target].en[0] for source, target in mapping.items() for s in names[source].en}
    arabic_re, english_re = pattern(arabic, False), pattern(english, True)

    def swap(unit: Unit) -> Unit:
        return Unit(
            arabic_re.sub(lambda m: arabic[m.group(0)], unit.ar),
            english_re.sub(lambda m: english[m.group(0)], unit.en),
        )

    return swap


def _campaign_days(repo: Path) -> dict[str, tuple[dt.date, dt.date]]:
    config = yaml.safe_load((repo / "site_config.yml").read_text(encoding="utf-8"))
    return {c["id"]: (c["start"], c["end"]) for c in config["campaigns"]}


@dataclass(frozen=True)
class SyntheticArticle:
    slug: str
    text: str  # the Markdown file
    units: dict[str, str]  # Arabic → English of every title, cross-head and sentence


def make_article(
    index: int,
    seed: int,
    pools: dict[str, SeedPool],
    names: dict[str, PlaceNames],
    days: dict[str, tuple[dt.date, dt.date]],
) -> SyntheticArticle:
    rng = random.Random(f"briefgen-synthetic:{seed}:{index}")
    theme = rng.choice(sorted(pools))
    pool = pools[theme]
    start, end = days[THEME_CAMPAIGNS[theme]]
    published = start + dt.timedelta(days=rng.randrange((end - start).days + 1))
    districts = list(DISTRICTS[theme])
    images = districts[:]
    rng.shuffle(images)
    swap = place_swapper(dict(zip(districts, images, strict=True)), names)

    title = swap(rng.choice(pool.titles))
    count = min(rng.randint(MIN_SENTENCES, MAX_SENTENCES), len(pool.sentences))
    sentences = [swap(u) for u in rng.sample(pool.sentences, count)]
    units = {title.ar: title.en, **{u.ar: u.en for u in sentences}}
    blocks: list[str] = []
    while sentences:
        if blocks and pool.headings and rng.random() < HEADING_PROBABILITY:
            heading = swap(rng.choice(pool.headings))
            units[heading.ar] = heading.en
            blocks.append(heading.ar)
        size = rng.randint(1, 3)
        blocks.append(" ".join(u.ar for u in sentences[:size]))
        sentences = sentences[size:]

    source, source_ar = rng.choice(SOURCES)
    # The first district named gives the slug a readable place; the index makes it unique.
    place = images[0]
    slug = f"{published.isoformat()}-synthetic-{place}-{index:05d}"
    front_matter = {
        "title": title.ar,
        "source": source,
        "source_ar": source_ar,
        "published": published,
        "tags": ["synthetic", theme],
    }
    header = yaml.safe_dump(front_matter, allow_unicode=True, sort_keys=False, width=4096)
    return SyntheticArticle(slug, f"---\n{header}---\n\n" + "\n\n".join(blocks) + "\n", units)


def _memory_for(article: SyntheticArticle, path: Path) -> str:
    """The article's translation memory, in reading order as briefgen writes it (so a build
    finds nothing to change), built from what the splitter really makes of the file."""
    from briefgen.memory import ArticleMemory, MemoryEntry, dump_memory, sentence_key
    from briefgen.pipeline.split import split
    from briefgen.pipeline.translate import translation_units
    from briefgen.readers import parse_article

    parsed = split(parse_article(path, article.text, frozenset(THEME_CAMPAIGNS.values())))
    entries: list[MemoryEntry] = []
    seen: set[str] = set()
    for kind, ar in translation_units(parsed):
        key = sentence_key(ar)
        if key in seen:
            continue
        if ar not in article.units:
            raise RuntimeError(
                f"{article.slug}: the splitter made a unit the generator did not write: {ar!r}"
            )
        seen.add(key)
        entries.append(MemoryEntry(key, kind, ar, article.units[ar], "reviewed"))
    return dump_memory(ArticleMemory(article.slug, tuple(entries)))


def make_project(dest: Path, articles: int, seed: int = 0, repo: Path = REPO) -> Path:
    """Write a complete project of `articles` synthetic articles into `dest`; returns `dest`."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(repo / "site_config.yml", dest / "site_config.yml")
    shutil.copytree(repo / "templates", dest / "templates", dirs_exist_ok=True)
    content = dest / "content"
    articles_dir, translations_dir = content / "articles", content / "translations"
    for folder in (articles_dir, translations_dir):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    shutil.copy(repo / "content" / "gazetteer.yml", content / "gazetteer.yml")

    pools = seed_pools(repo)
    names = district_names(repo / "content" / "gazetteer.yml")
    days = _campaign_days(repo)
    for index in range(articles):
        write_article(dest, make_article(index, seed, pools, names, days))
    return dest


def write_article(project: Path, article: SyntheticArticle) -> Path:
    path = project / "content" / "articles" / f"{article.slug}.md"
    path.write_text(article.text, encoding="utf-8")
    memory = project / "content" / "translations" / f"{article.slug}.yml"
    memory.write_text(_memory_for(article, path), encoding="utf-8")
    return path


def add_article(project: Path, index: int, seed: int = 0, repo: Path = REPO) -> Path:
    """Add synthetic article number `index` (with its memory) to an existing project."""
    pools = seed_pools(repo)
    names = district_names(repo / "content" / "gazetteer.yml")
    return write_article(project, make_article(index, seed, pools, names, _campaign_days(repo)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path, help="the project folder to write (articles are replaced)")
    parser.add_argument("--articles", type=int, required=True, help="how many articles")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    make_project(args.dest, args.articles, args.seed)
    print(f"wrote {args.articles} articles to {args.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
