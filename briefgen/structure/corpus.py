"""The corpus: every processed article, and what is derived across them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from briefgen.config import Campaign, SiteConfig
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

    @classmethod
    def build(cls, config: SiteConfig, articles: Sequence[Article]) -> Corpus:
        placed = [replace(a, campaign=assign_campaign(a, config.campaigns)) for a in articles]
        placed.sort(key=lambda a: (-a.meta.published.toordinal(), a.slug))
        return cls(config=config, articles=tuple(placed))

    def in_campaign(self, campaign_id: str) -> list[Article]:
        return [a for a in self.articles if a.campaign == campaign_id]
