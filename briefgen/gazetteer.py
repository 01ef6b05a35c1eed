"""The gazetteer: places, people and organisations, and the matcher that finds them in text.

`content/gazetteer.yml` lists each entity once, with its English and Arabic names and the
spelling variants the press uses. `load_gazetteer` validates the whole file and reports
every problem at once; `Gazetteer.find_mentions` (Arabic) and `Gazetteer.find_mentions_en`
(English) find the entities named in a text. The matchers do no I/O: the name index is
built once, when the `Gazetteer` is made, and matching is linear in the length of the text.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from briefgen.arabic import clitic_candidates, has_arabic, normalize
from briefgen.errors import BriefgenError, Problem
from briefgen.schema import SLUG_RE, Invalid, Option, Schema, list_of, localized_text, slug, text
from briefgen.yamlio import LocatedData, YamlPath, load_yaml, read_text_utf8

DEFAULT_GAZETTEER = Path("content") / "gazetteer.yml"
# Today 45 KB for a few hundred entries; a file beyond this is a mistake, checked before reading.
MAX_GAZETTEER_BYTES = 16 * 2**20

PLACE_KINDS: tuple[str, ...] = (
    "country",
    "region",
    "sea",
    "city",
    "town",
    "district",
    "port",
    "airport",
    "base",
    "road",
    "landmark",
)
ORGANISATION_KINDS: tuple[str, ...] = (
    "army",
    "force",
    "command",
    "operation",
    "armed-group",
    "terrorist-group",
    "government",
    "parliament",
    "ministry",
    "international-body",
    "media",
    "company",
)

# Kinds that may lie anywhere on Earth; every other place must be in REGION, the part of
# the world these briefings cover (Libya, the Mediterranean, the Middle East).
GLOBAL_PLACE_KINDS = frozenset({"country", "city"})
REGION = {"south": 5.0, "north": 50.0, "west": -20.0, "east": 65.0}
# A place inside a city, town, district… must be within this distance of it: catches
# swapped or mistyped coordinates. Countries, regions and seas are too big for a radius;
# give them a `bbox` instead.
MAX_KM_FROM_PARENT = 60.0
_AREA_KINDS = frozenset({"country", "region", "sea"})
# Libya's first-level districts (shabiyat, the 22 of 2007), spelt as the UN's administrative
# boundaries (OCHA COD-AB) spell them: a place's `admin1`, the CSV's ACLED column of that name.
LIBYA_ADMIN1: tuple[str, ...] = (
    "Al Butnan",
    "Al Jabal al Akhdar",
    "Al Jabal al Gharbi",
    "Al Jifarah",
    "Al Jufrah",
    "Al Kufrah",
    "Al Marj",
    "Al Marqab",
    "Al Wahat",
    "An Nuqat al Khams",
    "Az Zawiyah",
    "Benghazi",
    "Darnah",
    "Ghat",
    "Misratah",
    "Murzuq",
    "Nalut",
    "Sabha",
    "Surt",
    "Tripoli",
    "Wadi al Hayat",
    "Wadi ash Shati'",
)
_BBOX_MARGIN = 0.1  # degrees; a coastal place may sit just outside a rough box


# --- Entities ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Entity:
    """What every gazetteer entry has: an id, names in both languages, and variants."""

    category: ClassVar[str] = "entity"

    id: str
    en: str
    ar: str
    variants_ar: tuple[str, ...] = ()
    variants_en: tuple[str, ...] = ()

    @property
    def names_ar(self) -> tuple[str, ...]:
        return (self.ar, *self.variants_ar)

    @property
    def names_en(self) -> tuple[str, ...]:
        return (self.en, *self.variants_en)


@dataclass(frozen=True, kw_only=True)
class Place(Entity):
    category: ClassVar[str] = "place"

    kind: str
    lat: float
    lon: float
    part_of: str | None = None
    # True when the coordinates only place it in its neighbourhood (a map should show an
    # area, not a pin).
    approximate: bool = False
    # (south, west, north, east): every place inside this one must lie within it.
    bbox: tuple[float, float, float, float] | None = None
    # The first-level district it lies in (one of LIBYA_ADMIN1); a place without one takes
    # its nearest `part_of` ancestor's (see `Gazetteer.admin1`).
    admin1: str | None = None


@dataclass(frozen=True, kw_only=True)
class Person(Entity):
    category: ClassVar[str] = "person"

    role: dict[str, str]
    affiliation: str | None = None  # an organisation id
    country: str | None = None  # a place id of kind country: the state they serve


@dataclass(frozen=True, kw_only=True)
class Organisation(Entity):
    category: ClassVar[str] = "organisation"

    kind: str
    short: str | None = None  # English abbreviation (LNA, GNA, UN); matched in English text
    part_of: str | None = None  # the organisation this is a unit, wing or office of
    affiliation: str | None = None  # the organisation it fights for, reports to or belongs with
    country: str | None = None  # a place id of kind country

    @property
    def names_en(self) -> tuple[str, ...]:
        return (self.en, *self.variants_en, *((self.short,) if self.short else ()))


@dataclass(frozen=True)
class Mention:
    """One entity named in a text. `text[start:end] == mention.text`.

    `kind` is the entity's category: "place", "person" or "organisation". The span
    leaves out a clitic prefix (و، ب، ل، ال…) that was stripped to find the name.
    """

    entity_id: str
    kind: str
    start: int
    end: int
    text: str


# --- Tokens and normalization -----------------------------------------------------------

# A word: letters and digits of any script, with the combining marks (Arabic harakat,
# Latin accents) that sit on them. Tatweel is a letter to Python, so it stays inside.
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
_WORD_AR = re.compile(rf"(?:[^\W_]|[{_MARKS}])+")
# English words keep inner apostrophes (d'Orsay, Qa'ida); a possessive 's is cut off below.
_WORD_EN = re.compile(rf"(?:[^\W_]|[{_MARKS}])+(?:['’ʼ](?:[^\W_]|[{_MARKS}])+)*")
_APOSTROPHES = str.maketrans("", "", "'’ʼ")
_POSSESSIVE = re.compile(r"['’ʼ][sS]$")
# What may stand between the words of one name: spaces, hyphens, and the invisible
# joiners and direction marks that editors paste in. Anything else (a full stop, a comma,
# a quotation mark) ends the name, so a name never runs across two sentences.
_GAP_AR = re.compile(r"[\s\-\u2010\u2011\u00ad\u200c\u200d\u200e\u200f\u061c]+")
# English also lets a possessive 's (cut off the word before) or a plural ' through.
_GAP_EN = re.compile(r"(?:['’ʼ][sS])?[\s\-\u2010\u2011\u00ad\u200c\u200d\u200e\u200f'’ʼ]+")


class _Token(NamedTuple):
    start: int
    end: int
    norm: str  # what names are compared with
    plain: str  # English: accents removed but case kept (for acronyms); Arabic: norm


def _clusters(word: str) -> Iterator[tuple[int, str]]:
    """Base characters with the combining marks on them, and where each starts."""
    start = 0
    for i in range(1, len(word) + 1):
        if i == len(word) or not unicodedata.combining(word[i]):
            yield start, word[start:i]
            start = i


# Words recur endlessly across articles, pages and search documents: fold each one once.
@lru_cache(maxsize=1 << 17)
def _fold_ar(word: str) -> tuple[str, tuple[int, ...] | None]:
    """`normalize(word)`, and where in `word` each normalized letter comes from.

    The offsets are None when they are the identity (no diacritic, tatweel or composed
    letter was removed), which is nearly every word. Otherwise the word is normalized
    cluster by cluster so every letter can be traced back: a mention's span must leave
    out a stripped clitic, diacritics and all.
    """
    if unicodedata.is_normalized("NFC", word):
        folded = normalize(word)
        if len(folded) == len(word):
            return folded, None
    norm: list[str] = []
    offsets: list[int] = []
    for start, cluster in _clusters(word):
        folded = normalize(cluster)
        norm.append(folded)
        offsets += [start] * len(folded)
    return "".join(norm), tuple(offsets)


def _offset_of(word: str, letters: int) -> int:
    """Where in `word` its normalized form's letter number `letters` starts."""
    offsets = _fold_ar(word)[1]
    return letters if offsets is None else offsets[letters]


def _strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_APOSTROPHES)


def _tokens_ar(text: str) -> list[_Token]:
    tokens = []
    for match in _WORD_AR.finditer(text):
        norm = _fold_ar(match.group())[0]
        if norm:  # a lone tatweel or mark is not a word
            tokens.append(_Token(match.start(), match.end(), norm, norm))
    return tokens


@lru_cache(maxsize=1 << 17)
def _fold_en(word: str) -> tuple[int, str, str]:
    """(letters cut off the end for a possessive 's, compared form, plain form) of an English word."""
    cut = 2 if _POSSESSIVE.search(word) and len(word) > 2 else 0
    plain = _strip_accents(word[: len(word) - cut])
    return cut, plain.casefold(), plain


def _tokens_en(text: str) -> list[_Token]:
    tokens = []
    for match in _WORD_EN.finditer(text):
        cut, norm, plain = _fold_en(match.group())
        if plain:
            tokens.append(_Token(match.start(), match.end() - cut, norm, plain))
    return tokens


def _name_tokens_ar(name: str) -> tuple[str, ...]:
    return tuple(t.norm for t in _tokens_ar(name))


def _name_tokens_en(name: str) -> tuple[str, ...]:
    return tuple(t.norm for t in _tokens_en(name))


def _is_acronym(name: str) -> bool:
    # LNA, UN, IS: written in capitals, matched only in capitals ("is" is not Islamic State).
    letters = [ch for ch in name if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


@lru_cache(maxsize=65536)
def _clitic_readings(norm: str) -> tuple[tuple[str, int], ...]:
    """Each reading of a word with a clitic prefix stripped, as (stem, letters cut).

    The whole word is not among them: it is always tried first, so a name is never
    split (بنغازي is read as بنغازي, never as ب + نغازي).
    """
    readings = []
    for stem in clitic_candidates(norm)[1:]:
        if norm.endswith(stem):
            readings.append((stem, len(norm) - len(stem)))
        elif stem.startswith("ال") and norm.endswith(stem[2:]):
            # لل = the preposition ل + ال with its alef dropped: only the first lam is the
            # clitic, so the mention starts at the article's lam (للجامعة → لجامعة).
            readings.append((stem, len(norm) - len(stem) + 1))
    return tuple(readings)


# --- The name index and the matcher ---------------------------------------------------


@dataclass(frozen=True)
class _Name:
    tokens: tuple[str, ...]
    entity_id: str | None  # None: an ignored phrase, matched only to be skipped
    exact: tuple[str, ...] | None = None  # acronyms: the tokens as written, case and all


class _Index:
    """Names by their first normalized token, longest first, so the first fit is the longest."""

    def __init__(self, names: Sequence[_Name]) -> None:
        by_first: dict[str, list[_Name]] = {}
        seen: set[tuple[tuple[str, ...], tuple[str, ...] | None]] = set()
        for name in names:
            key = (name.tokens, name.exact)
            if not name.tokens or key in seen:
                continue  # the first claim wins; load_gazetteer reports the others
            seen.add(key)
            by_first.setdefault(name.tokens[0], []).append(name)
        for candidates in by_first.values():
            candidates.sort(key=lambda n: -len(n.tokens))
        self.by_first = by_first
        # Per word: the readings of it (whole, then clitic-stripped) that start a name.
        # Most words start none, so a scan costs one dict look-up per word.
        self._starts: dict[str, tuple[tuple[str, int], ...]] = {}

    def starts(
        self, norm: str, readings: Callable[[str], tuple[tuple[str, int], ...]]
    ) -> tuple[tuple[str, int], ...]:
        found = self._starts.get(norm)
        if found is None:
            found = tuple((stem, cut) for stem, cut in ((norm, 0), *readings(norm)) if stem in self.by_first)
            self._starts[norm] = found
        return found

    def __contains__(self, first: str) -> bool:
        return first in self.by_first

    def longest(self, words: _Words, i: int, first: str, text: str, gap: re.Pattern[str]) -> _Name | None:
        """The longest name whose first token is `first` (word i, maybe clitic-stripped)."""
        matches, folded = words
        for name in self.by_first.get(first, ()):
            size = len(name.tokens)
            if i + size > len(matches):
                continue
            if all(
                folded[i + j][0] == name.tokens[j]
                and gap.fullmatch(
                    text[matches[i + j - 1].end() - folded[i + j - 1][2] : matches[i + j].start()]
                )
                for j in range(1, size)
            ) and (name.exact is None or all(folded[i + j][1] == name.exact[j] for j in range(size))):
                return name
        return None


# A text's words as the matcher sees them: the regex matches, and for each its folded form
# (norm, plain, letters cut off its end), words that fold to nothing left out. Two parallel
# lists rather than a token object per word: search documents run to millions of words.
_Folded = tuple[str, str, int]
_Words = tuple[list[re.Match[str]], list[_Folded]]
_FOLD_CACHE_SIZE = 1 << 18


def _fold_word_ar(word: str) -> _Folded:
    norm = _fold_ar(word)[0]
    return norm, norm, 0


def _fold_word_en(word: str) -> _Folded:
    cut, norm, plain = _fold_en(word)
    return norm, plain, cut


def _words(
    text: str, word_re: re.Pattern[str], fold: Callable[[str], _Folded], cache: dict[str, _Folded]
) -> _Words:
    if len(cache) > _FOLD_CACHE_SIZE:
        cache.clear()
    matches: list[re.Match[str]] = []
    folded: list[_Folded] = []
    for match in word_re.finditer(text):
        word = match.group()
        form = cache.get(word)
        if form is None:
            form = cache[word] = fold(word)
        if form[0]:  # a lone tatweel or mark is not a word
            matches.append(match)
            folded.append(form)
    return matches, folded


_FOLDED_AR: dict[str, _Folded] = {}
_FOLDED_EN: dict[str, _Folded] = {}


def _scan(
    text: str,
    words: _Words,
    index: _Index,
    gap: re.Pattern[str],
    readings: Callable[[str], tuple[tuple[str, int], ...]],
    categories: Mapping[str, str],
) -> list[Mention]:
    matches, folded = words
    known_starts = index._starts
    mentions: list[Mention] = []
    i = 0
    while i < len(matches):
        norm = folded[i][0]
        starts = known_starts.get(norm)
        if starts is None:
            starts = index.starts(norm, readings)
        if not starts:  # nearly every word: no name begins with it
            i += 1
            continue
        found: _Name | None = None
        cut = 0
        for stem, stem_cut in starts:
            found = index.longest(words, i, stem, text, gap)
            if found is not None:
                cut = stem_cut
                break
        if found is None:
            i += 1
            continue
        last = i + len(found.tokens) - 1
        if found.entity_id is not None:
            first_start, first_end = matches[i].start(), matches[i].end() - folded[i][2]
            start = first_start + (_offset_of(text[first_start:first_end], cut) if cut else 0)
            end = matches[last].end() - folded[last][2]
            mentions.append(
                Mention(found.entity_id, categories[found.entity_id], start, end, text[start:end])
            )
        i += len(found.tokens)
    return mentions


def _no_readings(norm: str) -> tuple[tuple[str, int], ...]:
    return ()


# --- The gazetteer ----------------------------------------------------------------------


@dataclass(frozen=True)
class Gazetteer:
    """Every known place, person and organisation, and the matchers over their names.

    Build it with `load_gazetteer`, which validates; made directly, conflicting names are
    resolved silently in favour of the first entity that claims them.
    """

    places: tuple[Place, ...] = ()
    people: tuple[Person, ...] = ()
    organisations: tuple[Organisation, ...] = ()
    # Phrases that are never mentions: they stop a shorter name inside them from matching
    # (القاعدة الجوية is "the air base", not al-Qaeda).
    ignore_ar: tuple[str, ...] = ()
    ignore_en: tuple[str, ...] = ()
    path: Path | None = None
    by_id: Mapping[str, Entity] = field(init=False, repr=False, compare=False)
    _index_ar: _Index = field(init=False, repr=False, compare=False)
    _index_en: _Index = field(init=False, repr=False, compare=False)
    _categories: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, Entity] = {}
        for entity in self.entities:
            by_id.setdefault(entity.id, entity)
        names_ar = [_Name(_name_tokens_ar(p), None) for p in self.ignore_ar]
        names_en = [_Name(_name_tokens_en(p), None) for p in self.ignore_en]
        for entity in self.entities:
            names_ar += [_Name(_name_tokens_ar(n), entity.id) for n in entity.names_ar]
            for name in entity.names_en:
                exact = tuple(t.plain for t in _tokens_en(name)) if _is_acronym(name) else None
                names_en.append(_Name(_name_tokens_en(name), entity.id, exact))
        object.__setattr__(self, "by_id", by_id)
        object.__setattr__(self, "_categories", {k: e.category for k, e in by_id.items()})
        object.__setattr__(self, "_index_ar", _Index(names_ar))
        object.__setattr__(self, "_index_en", _Index(names_en))

    @property
    def entities(self) -> Iterator[Entity]:
        yield from self.places
        yield from self.people
        yield from self.organisations

    def get(self, entity_id: str) -> Entity | None:
        return self.by_id.get(entity_id)

    def ancestors(self, entity_id: str) -> list[Entity]:
        """The `part_of` chain above a place or organisation, nearest first."""
        chain: list[Entity] = []
        seen = {entity_id}
        parent = getattr(self.by_id.get(entity_id), "part_of", None)
        while parent is not None and parent not in seen and parent in self.by_id:
            seen.add(parent)
            chain.append(self.by_id[parent])
            parent = getattr(self.by_id[parent], "part_of", None)
        return chain

    def admin1(self, place_id: str) -> str | None:
        """The first-level district a place lies in: its own `admin1`, else its nearest
        ancestor's; None for a place outside every district (a country, a region, abroad)."""
        for entity in (self.by_id.get(place_id), *self.ancestors(place_id)):
            district = getattr(entity, "admin1", None)
            if district is not None:
                return district
        return None

    def find_mentions(self, text: str) -> list[Mention]:
        """Entities named in Arabic `text`, in text order, never overlapping.

        The longest name wins (مجلس شورى ثوار بنغازي over بنغازي). Names are compared
        after `normalize`; the first word may carry a clitic prefix (وبنغازي، بالقوارشة،
        للجيش), but a word that is itself a name is never split. Only whole words match.
        """
        words = _words(text, _WORD_AR, _fold_word_ar, _FOLDED_AR)
        return _scan(text, words, self._index_ar, _GAP_AR, _clitic_readings, self._categories)

    def find_mentions_en(self, text: str) -> list[Mention]:
        """Entities named in English `text`: `en`, `variants_en` and `short`, on word
        boundaries, ignoring case and accents, except that a name in capitals (UN, IS)
        matches only in capitals. A possessive 's is left out of the span."""
        words = _words(text, _WORD_EN, _fold_word_en, _FOLDED_EN)
        return _scan(text, words, self._index_en, _GAP_EN, _no_readings, self._categories)


# --- Validation -------------------------------------------------------------------------


def _number(*, minimum: float, maximum: float, what: str, hint: str) -> Callable[[Any], float]:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise Invalid(f"expected a number in decimal degrees, got {value!r}", hint=hint)
        if not minimum <= value <= maximum:
            raise Invalid(f"{what} {value} is impossible: it must be from {minimum} to {maximum}", hint=hint)
        return float(value)

    return check


_LAT = _number(
    minimum=-90,
    maximum=90,
    what="latitude",
    hint="write decimal degrees, north positive (Benghazi is lat: 32.12); did you swap lat and lon?",
)
_LON = _number(
    minimum=-180,
    maximum=180,
    what="longitude",
    hint="write decimal degrees, east positive (Benghazi is lon: 20.07); did you swap lat and lon?",
)


def _one_of(choices: Sequence[str], what: str = "kind") -> Callable[[Any], str]:
    def check(value: Any) -> str:
        value = text()(value)
        if value not in choices:
            close = difflib.get_close_matches(value, choices, n=1)
            raise Invalid(
                f"unknown {what} {value!r}",
                hint=f"did you mean {close[0]!r}?" if close else f"use one of: {', '.join(choices)}",
            )
        return value

    return check


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {value!r}")
    return value


def _bbox(value: Any) -> tuple[float, float, float, float]:
    hint = "write [south, west, north, east] in decimal degrees, e.g. [19.5, 9.3, 33.2, 25.2]"
    if not isinstance(value, list) or len(value) != 4:
        raise Invalid("expected a list of four numbers", hint=hint)
    south, west, north, east = (_LAT(value[0]), _LON(value[1]), _LAT(value[2]), _LON(value[3]))
    if south >= north or west >= east:
        raise Invalid("south must be less than north, and west less than east", hint=hint)
    return south, west, north, east


def _arabic(value: Any) -> str:
    value = text()(value)
    if not has_arabic(value):
        raise Invalid(f"{value!r} has no Arabic letters", hint="put Latin spellings in 'en' or 'variants_en'")
    return value


def _latin(value: Any) -> str:
    value = text()(value)
    if has_arabic(value):
        raise Invalid(f"{value!r} is in Arabic", hint="put Arabic spellings in 'ar' or 'variants_ar'")
    return value


_COMMON = {
    "id": Option(
        slug(), required=True, help="a short id: lowercase ASCII, digits and hyphens, e.g. ain-zara"
    ),
    "en": Option(_latin, required=True, help="the English name, spelled as Western outlets write it"),
    "ar": Option(_arabic, required=True, help="the Arabic name"),
    "variants_ar": Option(list_of(text()), default=()),
    "variants_en": Option(list_of(text()), default=()),
}
PLACE_SCHEMA = Schema(
    {
        **_COMMON,
        "kind": Option(_one_of(PLACE_KINDS), required=True, help=f"one of: {', '.join(PLACE_KINDS)}"),
        "lat": Option(_LAT, required=True, help="latitude in decimal degrees, e.g. 32.12"),
        "lon": Option(_LON, required=True, help="longitude in decimal degrees, e.g. 20.07"),
        "part_of": Option(slug()),
        "approximate": Option(_boolean, default=False),
        "bbox": Option(_bbox),
        "admin1": Option(
            _one_of(LIBYA_ADMIN1, "district"),
            help="Libya's first-level district (shabiya) it lies in, e.g. Benghazi, Misratah, Surt",
        ),
    },
    name="place",
)
PERSON_SCHEMA = Schema(
    {
        **_COMMON,
        "role": Option(
            localized_text(), required=True, help="what they are, e.g. {en: LNA spokesman, ar: …}"
        ),
        "affiliation": Option(slug()),
        "country": Option(slug()),
    },
    name="person",
)
ORGANISATION_SCHEMA = Schema(
    {
        **_COMMON,
        "kind": Option(
            _one_of(ORGANISATION_KINDS), required=True, help=f"one of: {', '.join(ORGANISATION_KINDS)}"
        ),
        "short": Option(_latin),
        "part_of": Option(slug()),
        "affiliation": Option(slug()),
        "country": Option(slug()),
    },
    name="organisation",
)
GAZETTEER_SCHEMA = Schema(
    {
        "places": Option(lambda v: v, default=[]),
        "people": Option(lambda v: v, default=[]),
        "organisations": Option(lambda v: v, default=[]),
        "ignore_ar": Option(lambda v: v, default=[]),
        "ignore_en": Option(lambda v: v, default=[]),
    },
    name="gazetteer",
)
_SECTIONS: tuple[tuple[str, Schema, type[Entity]], ...] = (
    ("places", PLACE_SCHEMA, Place),
    ("people", PERSON_SCHEMA, Person),
    ("organisations", ORGANISATION_SCHEMA, Organisation),
)
_SECTION_ORDER = {name: i for i, (name, _, _) in enumerate(_SECTIONS)}


@dataclass
class _Entry:
    """One entity and where it was written; `entity` is None if the entry is broken."""

    id: str
    category: str
    entity: Any  # the Place, Person or Organisation; Any so checks can read kind-specific fields
    at: YamlPath  # ("places", 3)
    label: str  # "places[3]"


class _Checker:
    """Collects every problem in one gazetteer file."""

    def __init__(self, located: LocatedData, path: Path) -> None:
        self.located = located
        self.path = path
        self.problems: list[Problem] = []

    def add(self, message: str, at: Sequence[Hashable], label: str, hint: str | None = None) -> None:
        self.problems.append(
            Problem(message, path=self.path, line=self.located.line_of(*at), field=label, hint=hint)
        )


def _entries(checker: _Checker, values: dict[str, Any]) -> tuple[list[_Entry], list[_Entry]]:
    """The valid entries, and the broken ones whose id is still readable.

    A broken entry's problems are already reported; keeping its id lets the later checks
    catch a duplicate of it and stops references to it from being called unknown.
    """
    entries: list[_Entry] = []
    broken: list[_Entry] = []
    for section, schema, cls in _SECTIONS:
        raw = values[section]
        if raw is None:
            continue
        if not isinstance(raw, list):
            checker.add(
                f"expected a list of {section}",
                (section,),
                section,
                hint=f"write '{section}:' then '- id: …' items",
            )
            continue
        for index, item in enumerate(raw):
            at = (section, index)
            label = f"{section}[{index}]"
            fields, problems = schema.validate(item, checker.located, checker.path, at=at, prefix=f"{label}.")
            checker.problems += problems
            if problems:
                if isinstance(item, dict) and isinstance(item.get("id"), str) and SLUG_RE.match(item["id"]):
                    broken.append(_Entry(item["id"], cls.category, None, at, label))
                continue
            for lang, check in (("ar", _arabic), ("en", _latin)):
                for j, variant in enumerate(fields[f"variants_{lang}"]):
                    try:
                        check(variant)
                    except Invalid as exc:
                        checker.add(
                            str(exc), (*at, f"variants_{lang}", j), f"{label}.variants_{lang}[{j}]", exc.hint
                        )
            entries.append(_Entry(fields["id"], cls.category, cls(**fields), at, label))
    return entries, broken


def _check_ids(checker: _Checker, entries: list[_Entry], broken: list[_Entry]) -> dict[str, _Entry]:
    """The valid entries by id; a duplicate of any id, valid or broken, is reported."""
    by_id: dict[str, _Entry] = {}
    first_of: dict[str, _Entry] = {}
    for entry in sorted([*entries, *broken], key=lambda e: (_SECTION_ORDER[e.at[0]], e.at[1])):
        first = first_of.setdefault(entry.id, entry)
        if first is entry:
            if entry.entity is not None:
                by_id[entry.id] = entry
            continue
        if first is not None:
            checker.add(
                f"duplicate id {entry.id!r}, already used by {first.label} "
                f"(line {checker.located.line_of(*first.at, 'id')})",
                (*entry.at, "id"),
                f"{entry.label}.id",
                hint="ids are shared by places, people and organisations: give each a different one",
            )
    return by_id


def _check_references(checker: _Checker, by_id: dict[str, _Entry], broken_ids: set[str]) -> None:
    # (field, category the target must have, extra condition on the target)
    rules: dict[type[Entity], tuple[tuple[str, str], ...]] = {
        Place: (("part_of", "place"),),
        Person: (("affiliation", "organisation"), ("country", "country")),
        Organisation: (("part_of", "organisation"), ("affiliation", "organisation"), ("country", "country")),
    }
    for entry in by_id.values():
        for name, wanted in rules[type(entry.entity)]:
            target_id = getattr(entry.entity, name)
            if target_id is None or target_id in broken_ids:
                continue  # a broken target is reported where it is written
            target = by_id.get(target_id)
            at, label = (*entry.at, name), f"{entry.label}.{name}"
            if target is None:
                pool = [
                    e.entity.id
                    for e in by_id.values()
                    if (e.entity.category == wanted)
                    or (wanted == "country" and getattr(e.entity, "kind", None) == "country")
                ]
                close = difflib.get_close_matches(target_id, pool, n=1)
                checker.add(
                    f"{target_id!r} is not the id of any entry",
                    at,
                    label,
                    hint=f"did you mean {close[0]!r}?"
                    if close
                    else f"add an entry with id {target_id!r}, or fix the id",
                )
            elif wanted == "country":
                if getattr(target.entity, "kind", None) != "country":
                    checker.add(
                        f"{target_id!r} is not a place of kind country",
                        at,
                        label,
                        hint="'country' names the state, e.g. libya, russia",
                    )
            elif target.entity.category != wanted:
                checker.add(
                    f"{target_id!r} is a {target.entity.category}, not a {wanted}",
                    at,
                    label,
                    hint=f"'{name}' of a {entry.entity.category} must be the id of a {wanted}",
                )


def _check_cycles(checker: _Checker, by_id: dict[str, _Entry]) -> set[str]:
    """Report each part_of cycle once; return the ids on cycles."""
    on_cycle: set[str] = set()
    done: set[str] = set()
    for start in by_id:
        path: list[str] = []
        current: str | None = start
        while current is not None and current in by_id and current not in done:
            if current in path:
                cycle = path[path.index(current) :]
                on_cycle.update(cycle)
                entry = by_id[cycle[0]]
                checker.add(
                    f"part_of goes round in a circle: {' → '.join([*cycle, cycle[0]])}",
                    (*entry.at, "part_of"),
                    f"{entry.label}.part_of",
                    hint="a place or organisation cannot be part of itself; remove one of these part_of",
                )
                break
            path.append(current)
            current = getattr(by_id[current].entity, "part_of", None)
        done.update(path)
    return on_cycle


def _km(a: Place, b: Place) -> float:
    # Haversine on a 6371 km sphere: plenty for "is this within 60 km".
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _check_geography(checker: _Checker, by_id: dict[str, _Entry], on_cycle: set[str]) -> None:
    places = {k: e for k, e in by_id.items() if isinstance(e.entity, Place)}
    for place_id, entry in places.items():
        place = entry.entity
        assert isinstance(place, Place)
        at, label = (*entry.at, "lat"), f"{entry.label}.lat"
        if place.kind not in GLOBAL_PLACE_KINDS and not (
            REGION["south"] <= place.lat <= REGION["north"] and REGION["west"] <= place.lon <= REGION["east"]
        ):
            checker.add(
                f"({place.lat}, {place.lon}) is far outside Libya, the Mediterranean and the Middle East",
                at,
                label,
                hint="check the signs and that lat and lon are not swapped; only a country or a city may lie elsewhere",
            )
            continue
        if place_id in on_cycle:
            continue
        parent = places.get(place.part_of) if place.part_of else None
        if parent is not None:
            assert isinstance(parent.entity, Place)
            if parent.entity.kind not in _AREA_KINDS:
                distance = _km(place, parent.entity)
                if distance > MAX_KM_FROM_PARENT:
                    checker.add(
                        f"is {distance:.0f} km from {parent.entity.id!r}, which it is part_of "
                        f"(at most {MAX_KM_FROM_PARENT:.0f} km allowed)",
                        at,
                        label,
                        hint="check the coordinates of both, or make it part_of a larger place",
                    )
        for ancestor in _place_ancestors(place, places):
            if ancestor.bbox is None:
                continue
            south, west, north, east = ancestor.bbox
            m = _BBOX_MARGIN
            if not (south - m <= place.lat <= north + m and west - m <= place.lon <= east + m):
                checker.add(
                    f"({place.lat}, {place.lon}) lies outside {ancestor.id!r}, which contains it (bbox {list(ancestor.bbox)})",
                    at,
                    label,
                    hint="check the signs and that lat and lon are not swapped",
                )
            break  # the nearest box is the tightest one that was given


def _place_ancestors(place: Place, places: dict[str, _Entry]) -> Iterator[Place]:
    seen = {place.id}
    current = place.part_of
    while current is not None and current in places and current not in seen:
        seen.add(current)
        parent = places[current].entity
        assert isinstance(parent, Place)
        yield parent
        current = parent.part_of


def _check_names(
    checker: _Checker, by_id: dict[str, _Entry], values: dict[str, Any]
) -> tuple[list[str], list[str]]:
    """Every name must be matchable and belong to one entity only; returns the ignore lists."""
    claims: dict[tuple[str, tuple[str, ...]], tuple[str, str, int | None]] = {}

    def claim(lang: str, name: str, owner: str, at: tuple[Hashable, ...], label: str) -> None:
        tokens = (_tokens_ar if lang == "ar" else _tokens_en)(name)
        if not tokens:
            checker.add(f"{name!r} has no letters or digits to match", at, label)
            return
        gap = _GAP_AR if lang == "ar" else _GAP_EN
        for a, b in pairwise(tokens):
            between = name[a.end : b.start]
            if not gap.fullmatch(between):
                checker.add(
                    f"{name!r} can never match: {between.strip()!r} between its words ends a name in the text",
                    at,
                    label,
                    hint="write words separated by spaces or hyphens only; add each spelling as its own variant",
                )
                return
        key = (lang, tuple(t.norm for t in tokens))
        first = claims.get(key)
        if first is None:
            claims[key] = (owner, label, checker.located.line_of(*at))
        elif first[0] != owner:  # the same entity may list ة/ه or ي/ى spellings twice
            if not first[0]:
                checker.add(
                    f"{name!r} is an ignored phrase ({first[1]}, line {first[2]}), so it can never match",
                    at,
                    label,
                    hint="remove it from the ignore list or from this entry",
                )
            else:
                checker.add(
                    f"{name!r} is also a name of {first[0]!r} ({first[1]}, line {first[2]})",
                    at,
                    label,
                    hint="a name can point at one entity only (names are compared after normalization: "
                    "أ/إ/آ=ا, ة=ه, ى=ي, no diacritics); keep it on one entry or make it longer",
                )

    ignored: dict[str, list[str]] = {"ar": [], "en": []}
    for lang in ("ar", "en"):
        section = f"ignore_{lang}"
        raw = values[section]
        if raw is None:
            continue
        if not isinstance(raw, list):
            checker.add("expected a list of phrases", (section,), section)
            continue
        for j, phrase in enumerate(raw):
            try:
                phrase = (_arabic if lang == "ar" else _latin)(phrase)
            except Invalid as exc:
                checker.add(str(exc), (section, j), f"{section}[{j}]", exc.hint)
                continue
            ignored[lang].append(phrase)
            claim(lang, phrase, "", (section, j), f"{section}[{j}]")

    for entry in by_id.values():
        entity = entry.entity
        claim("ar", entity.ar, entity.id, (*entry.at, "ar"), f"{entry.label}.ar")
        claim("en", entity.en, entity.id, (*entry.at, "en"), f"{entry.label}.en")
        for lang in ("ar", "en"):
            for j, variant in enumerate(getattr(entity, f"variants_{lang}")):
                claim(
                    lang,
                    variant,
                    entity.id,
                    (*entry.at, f"variants_{lang}", j),
                    f"{entry.label}.variants_{lang}[{j}]",
                )
        if isinstance(entity, Organisation) and entity.short:
            claim("en", entity.short, entity.id, (*entry.at, "short"), f"{entry.label}.short")
    return ignored["ar"], ignored["en"]


def load_gazetteer(path: Path | str = DEFAULT_GAZETTEER, shown: Path | None = None) -> Gazetteer:
    """Read and validate a gazetteer file; raise `BriefgenError` listing every problem.

    `shown` is the path to name in messages (e.g. relative to the project).
    """
    path = Path(path)
    shown = shown or path
    if not path.is_file():
        raise BriefgenError(
            Problem(
                "gazetteer file not found",
                path=shown,
                hint="create content/gazetteer.yml (see docs/gazetteer.md)",
            )
        )
    source = read_text_utf8(path, shown, MAX_GAZETTEER_BYTES, "the gazetteer")
    located = load_yaml(source, shown)  # refuses every tag, with its field
    values, problems = GAZETTEER_SCHEMA.validate(located.data, located, shown)
    checker = _Checker(located, shown)
    checker.problems += problems
    if located.data is not None and not isinstance(located.data, dict):
        raise BriefgenError(checker.problems)
    entries, broken = _entries(checker, values)
    by_id = _check_ids(checker, entries, broken)
    _check_references(checker, by_id, {e.id for e in broken} - set(by_id))
    on_cycle = _check_cycles(checker, by_id)
    _check_geography(checker, by_id, on_cycle)
    ignore_ar, ignore_en = _check_names(checker, by_id, values)
    if checker.problems:
        raise BriefgenError(checker.problems)
    kept = list(by_id.values())
    return Gazetteer(
        places=tuple(e.entity for e in kept if isinstance(e.entity, Place)),
        people=tuple(e.entity for e in kept if isinstance(e.entity, Person)),
        organisations=tuple(e.entity for e in kept if isinstance(e.entity, Organisation)),
        ignore_ar=tuple(ignore_ar),
        ignore_en=tuple(ignore_en),
        path=path,
    )
