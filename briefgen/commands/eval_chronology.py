"""`briefgen eval-chronology`: precision and recall of the chronology against a hand-made gold set.

A chronology entry is correct when a gold event of the same type is reported by one of
the same sentences and the two date ranges overlap. Precision is the share of entries
that are correct; recall, the share of gold events some correct entry finds. The same
figures are also given ignoring the event type, to separate dating from classification.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefgen.chronology import Chronology, ChronologyEntry
from briefgen.errors import BriefgenError, Problem
from briefgen.gazetteer import Gazetteer
from briefgen.schema import Option, Schema, iso_date, list_of, text
from briefgen.yamlio import load_yaml, read_text_utf8


@dataclass(frozen=True)
class GoldEvent:
    id: str
    type: str
    date_start: dt.date
    date_end: dt.date
    campaign: str | None
    sentences: frozenset[tuple[str, int]]
    places: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    correct_entries: int
    entries: int
    found_gold: int
    gold: int


@dataclass(frozen=True)
class CampaignScore:
    """Typed figures inside one campaign (None: outside every campaign).

    A gold event of the campaign is found when an entry *of the same campaign* matches it;
    an entry of the campaign is correct when it matches a gold event of the same campaign.
    """

    campaign: str | None
    found_gold: int
    gold: int
    correct_entries: int
    entries: int


@dataclass(frozen=True)
class WrongCampaign:
    entry: str
    entry_campaign: str | None
    gold: str
    gold_campaign: str | None


@dataclass(frozen=True)
class ChronologyEvaluation:
    typed: Score
    untyped: Score
    campaign_agreement: float  # of the correct typed matches, how many agree on the campaign
    missed: tuple[str, ...]  # gold ids not found
    spurious: tuple[str, ...]  # entry ids matching no gold event
    campaigns: tuple[CampaignScore, ...] = ()
    wrong_campaign: tuple[WrongCampaign, ...] = ()  # typed matches that disagree on the campaign
    # The typed figures when each entry may stand for one gold event only and each gold event
    # be found by one entry only (a maximum matching): an entry that swallowed two events
    # counts once. Reported beside the rule above, not instead of it.
    one_to_one: Score | None = None
    # Everything an analyst reads off an entry: type, date, place and campaign all right
    # (a gold event with no place accepts any), one-to-one.
    strict: Score | None = None


GOLD_SCHEMA = Schema(
    {
        "id": Option(text(), required=True),
        "type": Option(text(), required=True),
        "date_start": Option(iso_date(), required=True),
        "date_end": Option(iso_date(), required=True),
        "precision": Option(text()),
        "campaign": Option(text()),
        "places": Option(list_of(text()), default=()),
        "actors": Option(list_of(text()), default=()),
        "summary": Option(text()),
        "reported_by": Option(lambda v: v, required=True),
        "date_reasoning": Option(text()),
    },
    name="gold event",
)


def load_gold(path: Path) -> list[GoldEvent]:
    located = load_yaml(read_text_utf8(path), path)
    if not isinstance(located.data, list):
        raise BriefgenError(Problem("expected a list of events", path=path, line=1))
    events: list[GoldEvent] = []
    problems: list[Problem] = []
    for index, item in enumerate(located.data):
        values, item_problems = GOLD_SCHEMA.validate(item, located, path, at=(index,), prefix=f"[{index}].")
        problems += item_problems
        if item_problems:
            continue
        sentences = frozenset((str(r["article"]), int(r["sentence"])) for r in values["reported_by"])
        events.append(
            GoldEvent(
                values["id"],
                values["type"],
                values["date_start"],
                values["date_end"],
                values["campaign"],
                sentences,
                frozenset(values["places"]),
            )
        )
    if problems:
        raise BriefgenError(problems)
    return events


def _matches(entry: ChronologyEntry, gold: GoldEvent, typed: bool) -> bool:
    sentences = {(r.article.slug, r.event.sentence) for r in entry.reports}
    dates_overlap = entry.date_start <= gold.date_end and gold.date_start <= entry.date_end
    return bool(sentences & gold.sentences) and dates_overlap and (not typed or entry.type == gold.type)


def matches_strictly(entry: ChronologyEntry, gold: GoldEvent, gazetteer: Gazetteer | None = None) -> bool:
    """Type, date, place and campaign all right. The gold names a place the gazetteer lacks by
    the smallest place containing it (Tajoura as Tripoli), so a place inside a gold place agrees."""

    def inside(place_id: str) -> set[str]:
        return {place_id} | ({a.id for a in gazetteer.ancestors(place_id)} if gazetteer else set())

    place_agrees = not gold.places or any(gold.places & inside(p) for p in entry.places)
    return _matches(entry, gold, typed=True) and place_agrees and entry.campaign == gold.campaign


def _score(
    chronology: Chronology, gold: list[GoldEvent], typed: bool
) -> tuple[Score, list[tuple[ChronologyEntry, GoldEvent]]]:
    pairs = [(e, g) for e in chronology.entries for g in gold if _matches(e, g, typed)]
    correct = {id(e) for e, _ in pairs}
    found = {g.id for _, g in pairs}
    entries = len(chronology.entries)
    score = Score(
        precision=len(correct) / entries if entries else 0.0,
        recall=len(found) / len(gold) if gold else 0.0,
        correct_entries=len(correct),
        entries=entries,
        found_gold=len(found),
        gold=len(gold),
    )
    return score, pairs


def _one_to_one(entries: int, gold: int, pairs: list[tuple[int, int]]) -> Score:
    """Precision and recall under a maximum one-to-one matching of the matching pairs."""
    options: dict[int, list[int]] = {}
    for e, g in pairs:
        options.setdefault(e, []).append(g)
    owner: dict[int, int] = {}  # gold index → entry index

    def assign(e: int, seen: set[int]) -> bool:
        for g in options.get(e, ()):
            if g in seen:
                continue
            seen.add(g)
            if g not in owner or assign(owner[g], seen):
                owner[g] = e
                return True
        return False

    matched = sum(1 for e in options if assign(e, set()))
    return Score(
        precision=matched / entries if entries else 0.0,
        recall=matched / gold if gold else 0.0,
        correct_entries=matched,
        entries=entries,
        found_gold=matched,
        gold=gold,
    )


def evaluate(
    chronology: Chronology, gold: list[GoldEvent], gazetteer: Gazetteer | None = None
) -> ChronologyEvaluation:
    typed, pairs = _score(chronology, gold, typed=True)
    untyped, _ = _score(chronology, gold, typed=False)
    agree = sum(1 for e, g in pairs if e.campaign == g.campaign)
    matched_entries = {id(e) for e, _ in pairs}
    campaign_ids = sorted(
        {g.campaign for g in gold} | {e.campaign for e in chronology.entries},
        key=lambda c: (c is None, c or ""),
    )
    same = [(e, g) for e, g in pairs if e.campaign == g.campaign]
    campaigns = tuple(
        CampaignScore(
            campaign=c,
            found_gold=len({g.id for _, g in same if g.campaign == c}),
            gold=sum(1 for g in gold if g.campaign == c),
            correct_entries=len({id(e) for e, _ in same if e.campaign == c}),
            entries=sum(1 for e in chronology.entries if e.campaign == c),
        )
        for c in campaign_ids
    )
    wrong = tuple(
        sorted(
            {WrongCampaign(e.id, e.campaign, g.id, g.campaign) for e, g in pairs if e.campaign != g.campaign},
            key=lambda w: (w.entry, w.gold),
        )
    )
    return ChronologyEvaluation(
        typed=typed,
        untyped=untyped,
        campaign_agreement=agree / len(pairs) if pairs else 0.0,
        missed=tuple(sorted({g.id for g in gold} - {g.id for _, g in pairs})),
        spurious=tuple(e.id for e in chronology.entries if id(e) not in matched_entries),
        campaigns=campaigns,
        wrong_campaign=wrong,
        one_to_one=_one_to_one_by(chronology, gold, lambda e, g: _matches(e, g, typed=True)),
        strict=_one_to_one_by(chronology, gold, lambda e, g: matches_strictly(e, g, gazetteer)),
    )


def _one_to_one_by(
    chronology: Chronology, gold: list[GoldEvent], match: Callable[[ChronologyEntry, GoldEvent], bool]
) -> Score:
    pairs = [(i, j) for i, e in enumerate(chronology.entries) for j, g in enumerate(gold) if match(e, g)]
    return _one_to_one(len(chronology.entries), len(gold), pairs)


def _ratio(n: int, d: int) -> str:
    return f"{n / d:.2f} ({n}/{d})" if d else "- (0/0)"


def format_evaluation(result: ChronologyEvaluation) -> str:
    """The report `briefgen eval-chronology` prints: overall figures, then per campaign, then
    the entries in the wrong campaign, the gold events missed and the entries not in gold."""
    lines = [
        f"{label:>24}: precision {score.precision:.2f} ({score.correct_entries}/{score.entries} entries), "
        f"recall {score.recall:.2f} ({score.found_gold}/{score.gold} gold events)"
        for label, score in (("type, sentence and date", result.typed), ("sentence and date", result.untyped))
    ]
    for label, extra in (("typed, one-to-one", result.one_to_one), ("all right, one-to-one", result.strict)):
        if extra is not None:
            lines.append(
                f"{label:>24}: precision {extra.precision:.2f} ({extra.correct_entries}/{extra.entries} "
                f"entries), recall {extra.recall:.2f} ({extra.found_gold}/{extra.gold} gold events)"
            )
    lines.append(f"{'campaign agreement':>24}: {result.campaign_agreement:.2f} of matched entries")
    if result.campaigns:
        lines.append("per campaign (typed, entry and gold event in the same campaign):")
        for c in result.campaigns:
            lines.append(
                f"{c.campaign or '(no campaign)':>24}: precision {_ratio(c.correct_entries, c.entries)}, "
                f"recall {_ratio(c.found_gold, c.gold)}"
            )
    lines.append(f"in the wrong campaign: {len(result.wrong_campaign)}")
    for w in result.wrong_campaign:
        lines.append(
            f"  {w.entry} is in {w.entry_campaign or '(none)'}; {w.gold} is in {w.gold_campaign or '(none)'}"
        )
    if result.missed:
        lines.append(f"missed: {', '.join(result.missed)}")
    if result.spurious:
        lines.append(f"not in gold: {', '.join(result.spurious)}")
    return "\n".join(lines)


def _describe(entry: ChronologyEntry) -> str:
    dates = f"{entry.date_start}" + (f"..{entry.date_end}" if entry.date_end != entry.date_start else "")
    return (
        f"{entry.type} {dates} ({entry.precision}) at {','.join(entry.places) or '-'}"
        f" in {entry.campaign or '(none)'}"
    )


def explain(
    chronology: Chronology,
    gold: list[GoldEvent],
    articles: dict[str, dict[int, str]],
    gazetteer: Gazetteer | None = None,
) -> str:
    """For the developer tuning the rules: each gold event not found with everything right,
    its sentences and what the chronology made of them; then each entry matching no gold event."""
    lines: list[str] = []
    by_sentence: dict[tuple[str, int], list[ChronologyEntry]] = {}
    for entry in chronology.entries:
        for report in entry.reports:
            by_sentence.setdefault((report.article.slug, report.event.sentence), []).append(entry)
    for g in gold:
        if any(matches_strictly(e, g, gazetteer) for e in chronology.entries):
            continue
        dates = f"{g.date_start}" + (f"..{g.date_end}" if g.date_end != g.date_start else "")
        lines.append(
            f"MISSED {g.id}: {g.type} {dates} at {','.join(sorted(g.places)) or '-'} in {g.campaign or '(none)'}"
        )
        for slug, index in sorted(g.sentences):
            lines.append(f"  {slug}#{index}: {articles.get(slug, {}).get(index, '?')}")
            for entry in by_sentence.get((slug, index), []):
                lines.append(f"    -> {entry.id}: {_describe(entry)}")
    for entry in chronology.entries:
        if any(_matches(entry, g, typed=False) for g in gold):
            continue
        lines.append(f"NOT IN GOLD {entry.id}: {_describe(entry)}")
        for report in entry.reports:
            lines.append(f"  {report.article.slug}#{report.event.sentence}: {report.text_ar}")
    return "\n".join(lines)


def eval_chronology(config_path: Path | str, gold_path: Path | str) -> ChronologyEvaluation:
    from briefgen.commands.build import load_corpus
    from briefgen.config import load_config

    corpus = load_corpus(load_config(config_path), engine=None)
    return evaluate(corpus.chronology, load_gold(Path(gold_path)), corpus.gazetteer)


def explain_chronology(config_path: Path | str, gold_path: Path | str) -> str:
    from briefgen.commands.build import load_corpus
    from briefgen.config import load_config

    corpus = load_corpus(load_config(config_path), engine=None)
    articles = {a.slug: {s.index: s.text for s in a.sentences} for a in corpus.articles}
    return explain(corpus.chronology, load_gold(Path(gold_path)), articles, corpus.gazetteer)
