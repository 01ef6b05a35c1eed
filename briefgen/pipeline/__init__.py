"""The per-article pipeline: named stages, each taking an `Article` and returning it enriched.

Stages are pure functions of the article (plus whatever resources they were built
with); the build reads files before the pipeline and writes them after it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from briefgen.structure.article import Article

Stage = Callable[[Article], Article]


@dataclass
class Pipeline:
    stages: list[tuple[str, Stage]]
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.stages]

    def __call__(self, article: Article) -> Article:
        for name, stage in self.stages:
            started = time.perf_counter()
            article = stage(article)
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
        return article

    def run(self, articles: Iterable[Article]) -> list[Article]:
        return [self(article) for article in articles]


def default_pipeline() -> Pipeline:
    from briefgen.pipeline.split import split

    return Pipeline([("split", split)])
