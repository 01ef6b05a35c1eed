"""The corpus: every processed article, and what is derived across them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from briefgen.config import Campaign, SiteConfig
from briefgen.memory import ArticleMemory
from briefgen.structure.article import Article


def assign_campaign(article: Article, campaigns: Sequence[Campaign]) -> str | None:
    """The article's campaign: the editor's `campaign:` if set, else the one whose dates cover it."""
    if article.meta.campaign:
        return article.meta.campaign
    return next((c.id for c in campaigns if c.covers(article.meta.published)), None)


@dataclass(frozen=True)
class Corpus:
    config: SiteConfig
    # Newest first; ties broken by slug so every build orders them the same.
    articles: tuple[Article, ...]
    # The translation memories as they were read, before this build added to them.
    memories: Mapping[str, ArticleMemory] = field(default_factory=dict)

    @classmethod
    def build(
        cls, config: SiteConfig, articles: Sequence[Article], memories: Mapping[str, ArticleMemory]
    ) -> Corpus:
        placed = [replace(a, campaign=assign_campaign(a, config.campaigns)) for a in articles]
        placed.sort(key=lambda a: (-a.meta.published.toordinal(), a.slug))
        return cls(config=config, articles=tuple(placed), memories=memories)

    def newly_translated(self) -> int:
        """How many units the engine translated in this build (those not in the memory before)."""
        count = 0
        for article in self.articles:
            before = self.memories.get(article.slug)
            known = before.lookup() if before else {}
            if article.translation:
                count += sum(
                    1 for u in article.translation.units if u.origin == "machine" and u.key not in known
                )
        return count

    def in_campaign(self, campaign_id: str) -> list[Article]:
        return [a for a in self.articles if a.campaign == campaign_id]
