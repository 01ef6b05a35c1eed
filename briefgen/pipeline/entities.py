"""Stage 4, entities: the places, people and organisations each sentence names."""

from __future__ import annotations

from dataclasses import replace

from briefgen.gazetteer import Gazetteer
from briefgen.pipeline import Stage
from briefgen.structure.article import Article, EntityMention


def find_entities(article: Article, gazetteer: Gazetteer) -> Article:
    mentions = tuple(
        EntityMention(m.entity_id, m.kind, sentence.index, m.start, m.end, m.text)
        for sentence in article.sentences
        for m in gazetteer.find_mentions(sentence.text)
    )
    return replace(article, entities=mentions)


def make_entities_stage(gazetteer: Gazetteer) -> Stage:
    def entities(article: Article) -> Article:
        return find_entities(article, gazetteer)

    return entities
