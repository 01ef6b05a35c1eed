"""The corpus: every processed article, and what is derived across them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from briefgen.chronology import Chronology, build_chronology, in_theatre
from briefgen.config import Campaign, SiteConfig
from briefgen.gazetteer import Gazetteer
from briefgen.memory import ArticleMemory
from briefgen.structure.article import Article


def assign_campaign(article: Article, campaigns: Sequence[Campaign], gazetteer: Gazetteer) -> str | None:
    """The article's campaign: the editor's `campaign:` if set; else, among the campaigns
    whose dates cover its publication, the one whose theatre it mentions most; else none.
    (A campaign with no `places` takes every article in its dates.)"""
    if article.meta.campaign:
        return article.meta.campaign
    best: tuple[int, str] | None = None
    for campaign in campaigns:
        if not campaign.covers(article.meta.published):
            continue
        if not campaign.places:
            return campaign.id
        hits = sum(
            1 for m in article.entities if m.kind == "place" and in_theatre(m.entity_id, campaign, gazetteer)
        )
        if hits and (best is None or hits > best[0]):
            best = (hits, campaign.id)
    return best[1] if best else None


@dataclass(frozen=True)
class Corpus:
    config: SiteConfig
    # Newest first; ties broken by slug so every build orders them the same.
    articles: tuple[Article, ...]
    gazetteer: Gazetteer
    chronology: Chronology
    # The translation memories as they were read, before this build added to them.
    memories: Mapping[str, ArticleMemory] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        config: SiteConfig,
        articles: Sequence[Article],
        memories: Mapping[str, ArticleMemory],
        gazetteer: Gazetteer,
    ) -> Corpus:
        placed = [replace(a, campaign=assign_campaign(a, config.campaigns, gazetteer)) for a in articles]
        placed.sort(key=lambda a: (-a.meta.published.toordinal(), a.slug))
        chronology = build_chronology(placed, config.campaigns, gazetteer)
        return cls(config, tuple(placed), gazetteer, chronology, memories)

    def mentions_by_entity(self) -> dict[str, list[tuple[Article, int]]]:
        """Every (article, sentence index) naming each entity, newest article first."""
        found: dict[str, list[tuple[Article, int]]] = {}
        seen: set[tuple[str, str, int]] = set()
        for article in self.articles:
            for mention in article.entities:
                key = (mention.entity_id, article.slug, mention.sentence)
                if key not in seen:
                    seen.add(key)
                    found.setdefault(mention.entity_id, []).append((article, mention.sentence))
        return found

    def newly_translated(self) -> int:
        """How many units the engine translated in this build: those the memory had no English
        for before (no entry, or a pending one), and those another engine or model had translated."""
        count = 0
        for article in self.articles:
            before = self.memories.get(article.slug)
            known = {k: e for k, e in before.lookup().items() if e.origin != "pending"} if before else {}
            if article.translation:
                count += sum(
                    1
                    for u in article.translation.units
                    if u.origin == "machine"
                    and (
                        (entry := known.get(u.key)) is None
                        or (entry.origin, entry.engine, entry.model) != ("machine", u.engine, u.model)
                    )
                )
        return count

    def in_campaign(self, campaign_id: str) -> list[Article]:
        return [a for a in self.articles if a.campaign == campaign_id]
