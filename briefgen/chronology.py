"""The corpus-level step: one dated chronology of events across all articles.

Reports of the same event from different sentences or articles become one entry: same
type, the same main place, and dates that agree at the finer precision (issue 12, class 4).
Follow-ups in one article (`Event.follows`, class 7) travel together. The entry takes the
most precise date any report gives, and cites every report; figures that disagree (casualty
counts) stay visible with their sources.

Campaign rule: an entry belongs to a campaign when its dates fall inside the campaign's
dates (the whole range, for an approximate one) and one of its places is, or lies inside,
one of the campaign's `places` (site_config.yml; `part_of` in the gazetteer). An entry with
no place joins a campaign only if it is a military event (capture, clash, strike, shelling,
explosion, casualties, arrest) or a mine clearance reported in an article of that campaign
and dated inside it: protests and decisions without a place are not put in a theatre, and
statements and diplomacy never are (what they name is what they are about). A country or a
region («غربي ليبيا») counts as no place. An editor's reviewed `campaign:` overrides all this.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.config import Campaign
from briefgen.gazetteer import Gazetteer
from briefgen.pipeline.events import PRECISION_RANK, REPORTED_WINDOW
from briefgen.structure.article import Article, Event

MILITARY_TYPES = frozenset(
    {"capture", "armed_clash", "air_strike", "shelling", "explosion", "casualties", "arrest"}
)


@dataclass(frozen=True)
class Report:
    """One sentence in one article that reports an event."""

    article: Article
    event: Event

    @property
    def window(self) -> tuple[dt.date, dt.date]:
        if self.event.precision == "reported":
            return self.event.date_start - REPORTED_WINDOW, self.event.date_end
        return self.event.date_start, self.event.date_end

    @property
    def text_ar(self) -> str:
        return next(s.text for s in self.article.sentences if s.index == self.event.sentence)

    @property
    def text_en(self) -> str | None:
        translation = self.article.translation
        return translation.sentences[self.event.sentence].en if translation else None


@dataclass
class ChronologyEntry:
    id: str
    type: str
    reports: list[Report]
    campaign: str | None = None
    places: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()

    @property
    def lead(self) -> Report:
        """An editor's reviewed report, else the report with the most precise date (the
        earliest published among equals)."""
        return min(
            self.reports,
            key=lambda r: (
                r.event.origin != "reviewed",
                PRECISION_RANK[r.event.precision],
                r.article.meta.published,
                r.article.slug,
                r.event.sentence,
                r.event.in_sentence,
            ),
        )

    @property
    def date_start(self) -> dt.date:
        return self.lead.event.date_start

    @property
    def date_end(self) -> dt.date:
        return self.lead.event.date_end

    @property
    def precision(self) -> str:
        return self.lead.event.precision

    @property
    def lead_places(self) -> tuple[str, ...]:
        # Later reports match against the first report's places, so merges don't snowball.
        return self.reports[0].event.places

    @property
    def origin(self) -> str:
        """`reviewed` when an editor reviewed one of its reports (see briefgen/memory/events.py)."""
        return "reviewed" if any(r.event.origin == "reviewed" for r in self.reports) else "machine"

    @property
    def month_key(self) -> str:
        return self.date_start.strftime("%Y-%m")

    @property
    def figures(self) -> list[tuple[int, Report]]:
        return [(n, r) for r in self.reports for n in r.event.figures]

    @property
    def figures_disagree(self) -> bool:
        return len({n for n, _ in self.figures}) > 1

    @property
    def window(self) -> tuple[dt.date, dt.date]:
        starts, ends = zip(*(r.window for r in self.reports), strict=True)
        return max(starts), min(ends)


@dataclass(frozen=True)
class Chronology:
    entries: tuple[ChronologyEntry, ...]

    def in_campaign(self, campaign_id: str | None) -> list[ChronologyEntry]:
        return [e for e in self.entries if e.campaign == campaign_id]

    def involving(self, entity_id: str) -> list[ChronologyEntry]:
        return [e for e in self.entries if entity_id in e.places or entity_id in e.actors]


def _same_place(a: Sequence[str], b: Sequence[str]) -> bool:
    """Reports are of one event only if their main places agree: the main place (the first
    named) of one is among the other's places. Two captures in Tripoli's suburbs on the same
    day are two events, not one, and a clash in Ajdabiya is not one in Benghazi because both
    reports also name Benghazi."""
    return bool(a) and bool(b) and (a[0] in b or b[0] in a)


COARSE = frozenset({"week", "month", "approximate", "year"})
# A range of days (أمس واليوم، الأيام الماضية، هذا الأسبوع) can still name the day a precise
# report gives; a range of weeks or months (في الآونة الأخيرة، قبل نحو ثلاثة أشهر) cannot.
SHORT_RANGE = dt.timedelta(days=14)


def _dates_agree(entry: Report, report: Report) -> bool:
    """Dates agree at the finer precision (issue 12, class 4): a day-precise report and one
    dated only to weeks or months cannot be told to be the same event, so they are not
    merged. An undated report (`reported`) is of the days before its publication, so it joins
    a day or a short range, but not weeks or months («مؤخرا» in January is not the storming the
    next day's paper reports); overlap is checked by the caller."""
    a, b = entry.event, report.event
    if (a.precision in COARSE) == (b.precision in COARSE):
        return True
    coarse = a if a.precision in COARSE else b
    return coarse.date_end - coarse.date_start <= SHORT_RANGE


def _overlaps(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def in_theatre(place_id: str, campaign: Campaign, gazetteer: Gazetteer) -> bool:
    """Whether a place is one of the campaign's places or lies inside one (`part_of`)."""
    family = {place_id, *(a.id for a in gazetteer.ancestors(place_id))}
    return bool(family & set(campaign.places))


BROAD_KINDS = frozenset({"country", "region", "sea"})
# Words, not deeds: the places a statement or a diplomatic move names are what it is about,
# so it is filed in no campaign's theatre.
SPEECH_TYPES = frozenset({"statement", "diplomacy"})
# Besides MILITARY_TYPES, what a theatre's own article may place in it without a place.
THEATRE_TYPES = MILITARY_TYPES | {"mine_clearance"}


def _belongs(entry: ChronologyEntry, campaign: Campaign, gazetteer: Gazetteer) -> bool:
    if entry.type in SPEECH_TYPES:
        return False
    # The whole range: «مؤخرا» in January 2017 may be December 2016 or January 2017.
    if not (campaign.covers(entry.date_start) and campaign.covers(entry.date_end)):
        return False
    # «غربي ليبيا», «مراسل … في ليبيا»: a country or region does not say which theatre.
    local = [p for p in entry.places if getattr(gazetteer.get(p), "kind", None) not in BROAD_KINDS]
    if local:
        return any(in_theatre(p, campaign, gazetteer) for p in local)
    if entry.places and any(in_theatre(p, campaign, gazetteer) for p in entry.places):
        return True
    return entry.type in THEATRE_TYPES and any(r.article.campaign == campaign.id for r in entry.reports)


def _entry_id(entry: ChronologyEntry, taken: set[str]) -> str:
    place = entry.places[0] if entry.places else "libya"
    base = f"{entry.date_start.isoformat()}-{entry.type.replace('_', '-')}-{place}"
    if base not in taken:
        return base
    lead = entry.lead
    # A sentence's second event (`in_sentence` 1) is told apart; a first keeps the id it had.
    nth = f"/{lead.event.in_sentence}" if lead.event.in_sentence else ""
    digest = hashlib.sha256(f"{lead.article.slug}:{lead.event.sentence}{nth}".encode()).hexdigest()[:6]
    return f"{base}-{digest}"


# A toll reported apart from the violence it counts («قتل 20 مدنيا في قصف … مساء السبت»
# beside «غارة على قنفودة») is the same event when place and date agree.
TOLL_TYPES = frozenset({"air_strike", "shelling", "explosion"})


def _compatible_types(kind: str) -> tuple[str, ...]:
    if kind == "casualties":
        return (kind, *sorted(TOLL_TYPES))
    if kind in TOLL_TYPES:
        return (kind, "casualties")
    return (kind,)


def _same_kind(a: tuple[str, tuple[str, ...]], b: tuple[str, tuple[str, ...]]) -> bool:
    """Same type; or a toll and a strike, when the toll's own sentence blames a strike, a
    shelling or a blast and not clashes («قتلوا في قصف» yes, «جراء الاشتباكات» no)."""
    if a[0] == b[0]:
        return True
    toll, act = (a, b) if a[0] == "casualties" else (b, a)
    if toll[0] != "casualties" or act[0] not in TOLL_TYPES:
        return False
    return bool(set(toll[1]) & TOLL_TYPES) and "armed_clash" not in toll[1]


def _weeks(window: tuple[dt.date, dt.date]) -> range:
    """The week numbers (ordinal // 7) a window touches."""
    return range(window[0].toordinal() // 7, window[1].toordinal() // 7 + 1)


def build_chronology(
    articles: Sequence[Article], campaigns: Sequence[Campaign], gazetteer: Gazetteer
) -> Chronology:
    # Follow-ups in one article (class 7) travel with the event they continue: each bundle
    # is merged across articles by its best-dated report, and brings its other reports along.
    bundles: dict[tuple[str, int, int], list[Report]] = {}
    for article in articles:
        for event in article.events:
            root = (
                (event.follows, event.follows_event)
                if event.follows is not None
                else (event.sentence, event.in_sentence)
            )
            bundles.setdefault((article.slug, *root), []).append(Report(article, event))
    # A bundle is filed under its first report's type and places (what the article leads
    # with) and dated by its best report.
    keyed: list[tuple[Report, str, tuple[str, ...], list[Report]]] = []
    for bundle in bundles.values():
        best = min(
            bundle, key=lambda r: (PRECISION_RANK[r.event.precision], r.event.sentence, r.event.in_sentence)
        )
        first = bundle[0].event
        # Clashes whose toll a follow-up gives are filed as the toll, as one sentence telling
        # both is (event_types.PRIORITY): the toll is the news. A capture stays the capture.
        kind = first.type
        if kind == "armed_clash" and any(r.event.type == "casualties" for r in bundle):
            kind = "casualties"
        keyed.append((best, kind, first.places or best.event.places, bundle))
    # Most precise first, so each entry is seeded by its best-dated report.
    keyed.sort(
        key=lambda k: (
            PRECISION_RANK[k[0].event.precision],
            k[0].event.date_start,
            k[0].article.slug,
            k[0].event.sentence,
            k[0].event.in_sentence,
        )
    )
    entries: list[ChronologyEntry] = []
    # A report can only join an entry of a compatible type (its own; a toll and the violence
    # it counts) whose main place agrees with the entry's first report's and whose window
    # overlaps its own; an entry's window only shrinks from its first report's. So entries are
    # filed under (type, place, week) for every place of their first report and every week
    # their first window touches, and a report looks only at the entries filed under its own
    # keys: the same first match as scanning every entry, without the quadratic scan.
    filed: dict[tuple[str, str, int], list[int]] = {}
    windows: list[tuple[dt.date, dt.date]] = []
    sentences: list[set[tuple[str, int]]] = []
    first_places: list[tuple[str, ...]] = []
    kinds_of: list[tuple[str, tuple[str, ...]]] = []  # each entry's first type and its types
    closed: list[bool] = []  # an editor's `separate: true`: no other report joins it
    for report, kind, lead_places, bundle in keyed:
        types = bundle[0].event.types
        window = report.window
        weeks = _weeks(window)
        kinds = _compatible_types(kind)
        candidates = sorted(
            {
                i
                for other in kinds
                for place in set(lead_places)
                for week in weeks
                for i in filed.get((other, place, week), ())
            }
        )
        cited = {(r.article.slug, r.event.sentence) for r in bundle}
        places = tuple(dict.fromkeys((*lead_places, *(p for r in bundle for p in r.event.places))))
        actors = tuple(dict.fromkeys(a for r in bundle for a in r.event.actors))
        separate = any(r.event.separate for r in bundle)
        match = next(
            (
                i
                for i in candidates
                if not separate
                and not closed[i]
                and _overlaps(windows[i], window)
                and not cited & sentences[i]
                and _same_place(first_places[i], lead_places)
                and _same_kind(kinds_of[i], (kind, types))
                and _dates_agree(entries[i].reports[0], report)
            ),
            None,
        )
        if match is None:
            for place in set(lead_places):
                for week in weeks:
                    filed.setdefault((kind, place, week), []).append(len(entries))
            entries.append(ChronologyEntry("", kind, list(bundle), places=places, actors=actors))
            # The bundle's best report first: it dates the entry's window.
            entries[-1].reports.sort(key=lambda r: r is not report)
            windows.append(window)
            sentences.append(set(cited))
            first_places.append(lead_places)
            kinds_of.append((kind, types))
            closed.append(separate)
            continue
        entry = entries[match]
        if entry.type == "casualties" and kind != "casualties":
            entry.type = kind  # the strike, not its toll, is the event
            for place in set(first_places[match]):
                for week in _weeks(windows[match]):
                    filed.setdefault((kind, place, week), []).append(match)
        entry.reports.extend(bundle)
        entry.places = tuple(dict.fromkeys((*entry.places, *places)))
        entry.actors = tuple(dict.fromkeys((*entry.actors, *actors)))
        windows[match] = (max(windows[match][0], window[0]), min(windows[match][1], window[1]))
        sentences[match] |= cited
    entries = _join_same_as(entries)
    entries.sort(
        key=lambda e: (
            e.date_start,
            e.date_end,
            e.type,
            e.places,
            e.lead.article.slug,
            e.lead.event.sentence,
            e.lead.event.in_sentence,
        )
    )
    taken: set[str] = set()
    for entry in entries:
        entry.reports.sort(
            key=lambda r: (r.article.meta.published, r.article.slug, r.event.sentence, r.event.in_sentence)
        )
        entry.campaign = _reviewed_campaign(entry)
        if entry.campaign is None:
            entry.campaign = next((c.id for c in campaigns if _belongs(entry, c, gazetteer)), None)
        elif entry.campaign == NO_CAMPAIGN:
            entry.campaign = None
        entry.id = _entry_id(entry, taken)
        taken.add(entry.id)
    return Chronology(tuple(entries))


NO_CAMPAIGN = "none"  # a reviewed `campaign: none` (briefgen.memory.events.NO_CAMPAIGN)


def _reviewed_campaign(entry: ChronologyEntry) -> str | None:
    """The campaign an editor gave one of the entry's reports, the lead's first."""
    reviewed = sorted(entry.reports, key=lambda r: r is not entry.lead)
    return next(
        (r.event.campaign for r in reviewed if r.event.origin == "reviewed" and r.event.campaign), None
    )


def _join_same_as(entries: list[ChronologyEntry]) -> list[ChronologyEntry]:
    """Entries an editor said are one (`same_as: <slug>#<key>` on a report) become one."""
    # A report is named `<slug>#<key>/<N>` (its sentence's N-th event); `<slug>#<key>` is /1.
    where: dict[str, int] = {}
    for i, e in enumerate(entries):
        for r in e.reports:
            if r.event.key:
                name = f"{r.article.slug}#{r.event.key}"
                where[f"{name}/{r.event.in_sentence + 1}"] = i
                if not r.event.in_sentence:
                    where[name] = i
    parent = list(range(len(entries)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, entry in enumerate(entries):
        for report in entry.reports:
            target = where.get(report.event.same_as or "")
            if target is not None and root(target) != root(i):
                parent[root(i)] = root(target)
    if all(parent[i] == i for i in range(len(entries))):
        return entries
    joined: dict[int, ChronologyEntry] = {}
    for i, entry in enumerate(entries):
        into = joined.setdefault(root(i), entries[root(i)])
        if into is not entry:
            into.reports.extend(entry.reports)
            into.places = tuple(dict.fromkeys((*into.places, *entry.places)))
            into.actors = tuple(dict.fromkeys((*into.actors, *entry.actors)))
    return list(joined.values())


# How much each kind of event weighs in a campaign overview: what changes the map first.
OVERVIEW_TYPE_WEIGHT = {
    "capture": 5,
    "air_strike": 4,
    "casualties": 4,
    "explosion": 3,
    "armed_clash": 3,
    "shelling": 2,
    "arrest": 2,
    "diplomacy": 1,
    "statement": 0,
}
OVERVIEW_SIZE = 6


def importance(entry: ChronologyEntry) -> float:
    """Events reported by more sources, of weightier kinds and precisely dated rank first."""
    sources = len({r.article.slug for r in entry.reports})
    return (
        3 * sources
        + len(entry.reports) * 0.5
        + OVERVIEW_TYPE_WEIGHT.get(entry.type, 0)
        - PRECISION_RANK[entry.precision] * 0.5
    )


def campaign_overview(
    chronology: Chronology, campaign_id: str, size: int = OVERVIEW_SIZE
) -> list[ChronologyEntry]:
    """The campaign's most important events, in date order, never two of one kind at one place."""
    chosen: list[ChronologyEntry] = []
    seen: set[tuple[str, str]] = set()
    for entry in sorted(
        chronology.in_campaign(campaign_id), key=lambda e: (-importance(e), e.date_start, e.id)
    ):
        key = (entry.type, entry.places[0] if entry.places else "")
        if key in seen:
            continue
        seen.add(key)
        chosen.append(entry)
        if len(chosen) == size:
            break
    return sorted(chosen, key=lambda e: (e.date_start, e.id))
