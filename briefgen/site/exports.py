"""Machine-readable exports written beside the site (`site/data/`). Schemas: docs/data.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from briefgen.structure.article import Article, ArticleTranslation, TranslatedText
from briefgen.structure.corpus import Corpus


def text_record(unit: TranslatedText) -> dict[str, Any]:
    return {"ar": unit.ar, "en": unit.en, "origin": unit.origin, "engine": unit.engine, "model": unit.model}


def translation_record(translation: ArticleTranslation | None) -> dict[str, Any] | None:
    if translation is None:
        return None
    return {
        "status": translation.status,
        "models": translation.models,
        "title": text_record(translation.title) if translation.title else None,
        "headings": [text_record(h) for h in translation.headings],
        "sentences": [{"index": i, **text_record(s)} for i, s in enumerate(translation.sentences)],
    }


def article_record(article: Article) -> dict[str, Any]:
    headings = []
    paragraphs: list[list[str]] = []
    for block in article.blocks:
        if hasattr(block, "sentences"):
            paragraphs.append([s.text for s in block.sentences])
        else:
            headings.append({"before_paragraph": len(paragraphs), "text": block.text})
    meta = article.meta
    return {
        "slug": article.slug,
        "title": meta.title,
        "title_en": article.title_en,
        "source": meta.source,
        "source_ar": meta.source_ar,
        "url": meta.url,
        "published": meta.published.isoformat(),
        "date_note": meta.date_note,
        "tags": list(meta.tags),
        "campaign": article.campaign,
        "paragraphs": paragraphs,
        "headings": headings,
        # Filled in by later pipeline stages; null until then.
        "translation": translation_record(article.translation),
        "summary": None,
        "entities": None,
        "events": None,
    }


def articles_json(corpus: Corpus) -> list[dict[str, Any]]:
    return [article_record(a) for a in corpus.articles]


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n", encoding="utf-8")


def write_exports(corpus: Corpus, site_dir: Path) -> None:
    write_json(site_dir / "data" / "articles.json", articles_json(corpus))
