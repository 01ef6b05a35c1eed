"""The per-article pipeline: named stages, each taking an `Article` and returning it enriched.

Stages are pure functions of the article (plus whatever resources they were built
with); the build reads files before the pipeline and writes them after it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from briefgen.structure.article import Article

if TYPE_CHECKING:
    from briefgen.gazetteer import Gazetteer
    from briefgen.memory import ArticleMemory
    from briefgen.memory.events import EventMemory
    from briefgen.pipeline.translate import TranslationEngine

Stage = Callable[[Article], Article]

# The first stage that reads the gazetteer. The stages before it depend only on the article
# and its translation memory, so the build's cache re-runs only this one and those after it
# when the gazetteer changes. Keep it so when adding or reordering stages.
FIRST_GAZETTEER_STAGE = "entities"


@dataclass
class Pipeline:
    stages: list[tuple[str, Stage]]
    seconds: dict[str, float] = field(default_factory=dict)

    def __call__(self, article: Article) -> Article:
        for name, stage in self.stages:
            started = time.perf_counter()
            article = stage(article)
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
        return article

    def run(self, articles: Iterable[Article]) -> list[Article]:
        return [self(article) for article in articles]

    def split_at(self, name: str) -> tuple[Pipeline, Pipeline]:
        """The stages before stage `name` and those from it on; both time into `seconds`."""
        names = [stage_name for stage_name, _ in self.stages]
        if name not in names:
            raise ValueError(f"no stage named {name!r} in {names}")
        at = names.index(name)
        return Pipeline(self.stages[:at], self.seconds), Pipeline(self.stages[at:], self.seconds)


def default_pipeline(
    memories: Mapping[str, ArticleMemory],
    engine: TranslationEngine | None,
    gazetteer: Gazetteer,
    event_memories: Mapping[str, EventMemory] | None = None,
) -> Pipeline:
    """split → translate → summarize → entities → events, each a named stage over one article."""
    from briefgen.pipeline.entities import make_entities_stage
    from briefgen.pipeline.events import make_events_stage
    from briefgen.pipeline.split import split
    from briefgen.pipeline.summarize import summarize
    from briefgen.pipeline.translate import make_translate_stage

    return Pipeline(
        [
            ("split", split),
            ("translate", make_translate_stage(memories, engine)),
            ("summarize", summarize),
            ("entities", make_entities_stage(gazetteer)),
            ("events", make_events_stage(gazetteer, event_memories or {})),
        ]
    )
