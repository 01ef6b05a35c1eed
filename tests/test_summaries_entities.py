"""Summaries, entity pages, campaign overviews and maps, on the seed site and on hard cases."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.commands.build import load_corpus
from briefgen.commands.eval_summaries import rouge_n, tokens
from briefgen.config import load_config
from briefgen.pipeline.summarize import choose_sentences, is_candidate
from briefgen.structure.corpus import Corpus
from tests.htmlcheck import page_file

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(load_config(REPO / "site_config.yml"), engine=None)


def test_every_seed_has_a_two_to_four_sentence_summary_in_both_languages(seed_site: Path) -> None:
    records = json.loads((seed_site / "data" / "articles.json").read_text(encoding="utf-8"))
    for record in records:
        summary = record["summary"]
        assert 2 <= len(summary["sentences"]) <= 4, record["slug"]
        sentences = [s for p in record["paragraphs"] for s in p]
        assert summary["ar"] == [sentences[i] for i in summary["sentences"]]
        assert all(summary["en"]), "the seeds are translated, so is their summary"
        for prefix, texts in (("", summary["en"]), ("ar/", summary["ar"])):
            page = page_file(seed_site, f"{prefix}articles/{record['slug']}/").read_text(encoding="utf-8")
            block = page[page.index('<div class="bg-summary"') :]
            block = block[: block.index("</div>")]
            assert len(re.findall("<li", block)) == len(texts)
    home = page_file(seed_site, "").read_text(encoding="utf-8")
    assert home.count('class="bg-list-summary"') == len(records)


def test_summary_skips_cross_heads_and_quote_fragments(corpus: Corpus) -> None:
    for article in corpus.articles:
        assert article.summary is not None
        texts = {s.index: s.text for s in article.sentences}
        headings = {h.text for h in article.headings}
        for index in article.summary.sentences:
            assert texts[index] not in headings
            assert is_candidate(texts[index])


def test_summary_prefers_the_lead_and_drops_repeats() -> None:
    lead = "أعلن الجيش الليبي السيطرة الكاملة على منطقة القوارشة غرب مدينة بنغازي بعد معارك عنيفة."
    repeat = "وأعلن الجيش الليبي السيطرة الكاملة على منطقة القوارشة غرب مدينة بنغازي بعد معارك عنيفة جدا."
    others = [
        "وقال المتحدث العسكري إن قوات الهندسة بدأت تمشيط الأحياء من الألغام والمفخخات.",
        "ودعت السلطات المحلية الأهالي إلى عدم العودة إلى منازلهم قبل انتهاء التمشيط.",
        "وأشاد مبعوثون غربيون بتضحيات الجيش في المعارك ضد المتشددين في المدينة.",
        "قال: «نعم».",
    ]
    chosen = choose_sentences([lead, repeat, *others])
    assert chosen[0] == 0 and 1 not in chosen
    assert 5 not in chosen  # a bare quotation is never a summary
    assert 2 <= len(chosen) <= 4


def test_rouge_is_standard() -> None:
    assert rouge_n(tokens("أ ب ج"), tokens("أ ب ج"), 1) == 1.0
    assert rouge_n(tokens("أ ب"), tokens("ج د"), 1) == 0.0
    assert rouge_n(tokens("قوات الجيش تقدمت"), tokens("قوات الجيش انسحبت"), 2) == pytest.approx(0.5)
    assert tokens("الأنابيب") == tokens("الانابيب")


def test_eval_summaries_reports_rouge_beside_lead3() -> None:
    result = CliRunner().invoke(
        cli,
        [
            "eval-summaries",
            "--config",
            str(REPO / "site_config.yml"),
            "--references",
            str(REPO / "tests" / "fixtures" / "reference_summaries.yml"),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: [float(x) for x in line.split()[1:]] for line in result.output.splitlines()[1:]}
    assert set(rows) == {"briefgen", "Lead-3"}
    print("\n" + result.output)
    briefgen_r1, _briefgen_r2, _ = rows["briefgen"]
    assert briefgen_r1 >= rows["Lead-3"][0] - 0.02  # at least as good as the baseline, within noise


def test_entity_pages_for_everything_mentioned(corpus: Corpus, seed_site: Path) -> None:
    mentioned = corpus.mentions_by_entity()
    assert len(mentioned) > 80
    for entity_id in mentioned:
        assert corpus.gazetteer.get(entity_id) is not None
        for prefix in ("", "ar/"):
            assert page_file(seed_site, f"{prefix}entities/{entity_id}/").is_file(), entity_id
    haftar = page_file(seed_site, "entities/khalifa-haftar/").read_text(encoding="utf-8")
    assert "حفتر" in haftar and "Hifter" in haftar  # variants in both scripts
    assert "2020-06-04-aljazeera-tripoli-borders" in haftar and "#p0" in haftar
    qawarsha = page_file(seed_site, "entities/qawarsha/").read_text(encoding="utf-8")
    assert 'href="../benghazi/"' in qawarsha  # part_of Benghazi, linked
    assert "chronology/benghazi-2016/#2016-11-17-capture-qawarsha" in qawarsha
    index = page_file(seed_site, "entities/places/").read_text(encoding="utf-8")
    assert 'href="../qawarsha/"' in index
    unmentioned = next(e.id for e in corpus.gazetteer.entities if e.id not in mentioned)
    assert not page_file(seed_site, f"entities/{unmentioned}/").exists()


def test_mentions_link_to_entity_pages(seed_site: Path) -> None:
    article = page_file(seed_site, "ar/articles/2016-11-19-alhayat-qawarsha/").read_text(encoding="utf-8")
    assert '<a class="bg-entity" href="../../entities/qawarsha/">القوارشة</a>' in article


def test_campaign_overview_and_map(seed_site: Path) -> None:
    for prefix, campaign in (("", "benghazi-2016"), ("ar/", "tripoli-2019-2020"), ("", "tripoli-2019-2020")):
        html = page_file(seed_site, f"{prefix}campaigns/{campaign}/").read_text(encoding="utf-8")
        overview = html[html.index('<ol class="bg-overview">') :]
        overview = overview[: overview.index("</ol>")]
        anchors = re.findall(rf'href="\.\./\.\./chronology/{campaign}/#([^"]+)"', overview)
        assert 3 <= len(anchors) <= 6 and len(set(anchors)) == len(anchors)
        dates = re.findall(r'<time datetime="([\d-]+)">', overview)
        assert dates == sorted(dates)
        chronology = page_file(seed_site, f"{prefix}chronology/{campaign}/").read_text(encoding="utf-8")
        assert all(f'id="{anchor}"' in chronology for anchor in anchors)
        figure = html[html.index('<figure class="bg-map-figure">') :]
        svg_text = figure[figure.index("<svg") : figure.index("</svg>") + len("</svg>")]
        svg = ET.fromstring(svg_text)
        assert svg.get("role") == "group" and svg.find("{http://www.w3.org/2000/svg}title") is not None
        assert "http" not in svg_text.replace("http://www.w3.org/2000/svg", "")
        links = [a.get("href") for a in svg.iter("{http://www.w3.org/2000/svg}a")]
        assert links and all(link.startswith("../../entities/") for link in links)
    benghazi = page_file(seed_site, "campaigns/benghazi-2016/").read_text(encoding="utf-8")
    benghazi_map = benghazi[benghazi.index('<figure class="bg-map-figure">') :]
    benghazi_map = benghazi_map[: benghazi_map.index("</figure>")]
    assert "../../entities/qawarsha/" in benghazi_map
    assert "entities/derna/" not in benghazi_map, "Derna is outside the Benghazi theatre"
