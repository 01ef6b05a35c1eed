"""Descriptive ASCII slugs for new articles: from an English title, or the Arabic one.

A slug is an article's permanent address, so it should say what the story is about. An
Arabic headline is transliterated with a small, deterministic consonantal scheme (no
dictionary, nothing downloaded); the places, people and organisations the gazetteer knows
are written with their English names instead (ترهونة → tarhuna, الوفاق → gna).
"""

from __future__ import annotations

import re
import unicodedata

from briefgen.arabic import normalize
from briefgen.gazetteer import Gazetteer, Organisation
from briefgen.readers import suggest_slug

# Words in a slug after the date: enough to tell stories apart, short enough to read.
MAX_SLUG_WORDS = 6
MAX_SLUG_CHARS = 60  # the date and the words; a suffix for a collision may follow

# One consonantal spelling per letter; و and ي are decided by their neighbours (below).
_LETTERS = {
    "ا": "a",
    "ب": "b",
    "ت": "t",
    "ث": "th",
    "ج": "j",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "dh",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "ع": "a",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "ء": "",
    "ئ": "",
    "ؤ": "",
    "پ": "p",
    "چ": "ch",
    "ڤ": "v",
    "گ": "g",
}
_VOWEL_LETTERS = frozenset("اوي")
# Small words a headline needs and a slug does not.
_STOP_AR = frozenset(normalize(w) for w in ("في", "من", "إلى", "عن", "مع", "و", "أن", "إن"))
_STOP_EN = frozenset({"a", "an", "the", "of", "in", "on", "to", "and", "at", "for", "by", "with"})
_WORD_AR = re.compile(r"[\u0621-\u064a\u0660-\u0669\u06f0-\u06f90-9\u067e\u0686\u06a4\u06af]+")


def transliterate_word(word: str) -> str:
    """One Arabic word in ASCII: ال → al-, long vowels as a/u/i, consonants as written."""
    # normalize folds أ/إ/آ to ا, ى to ي, ة to ه; keep ة and ى apart first: both are "a" at the end.
    word = unicodedata.normalize("NFC", word).replace("ة", "ا").replace("ى", "ا")
    word = normalize(word)
    prefix = ""
    for article, spelt in (("وال", "wal-"), ("بال", "bil-"), ("لل", "lil-"), ("ال", "al-")):
        if word.startswith(article) and len(word) > len(article) + 1:
            prefix, word = spelt, word[len(article) :]
            break
    out: list[str] = []
    for i, letter in enumerate(word):
        before = word[i - 1] if i else ""
        after = word[i + 1] if i + 1 < len(word) else ""
        if letter in "وي":
            consonant, vowel = ("w", "u") if letter == "و" else ("y", "i")
            # A consonant at the start or before a long vowel; a vowel between consonants.
            if not before or after in _VOWEL_LETTERS or before in _VOWEL_LETTERS:
                out.append(consonant)
            else:
                out.append(vowel)
        elif letter.isdigit():
            out.append(letter)
        else:
            out.append(_LETTERS.get(letter, ""))
    return prefix + "".join(out)


def _entity_words(gazetteer: Gazetteer, entity_id: str) -> str:
    entity = gazetteer.get(entity_id)
    if entity is None:
        return ""
    if isinstance(entity, Organisation) and entity.short:
        return entity.short  # GNA, LNA: what English readers know it by
    return entity.en


def arabic_title_words(title: str, gazetteer: Gazetteer | None = None) -> list[str]:
    """The headline's words in ASCII, a known name as its English words."""
    pieces: list[str] = []
    at = 0
    for mention in gazetteer.find_mentions(title) if gazetteer else ():
        pieces += _transliterated(title[at : mention.start])
        pieces += suggest_slug(_entity_words(gazetteer, mention.entity_id)).split("-")  # type: ignore[union-attr]
        at = mention.end
    pieces += _transliterated(title[at:])
    return [p for p in pieces if p and p != "article"]


def _transliterated(text: str) -> list[str]:
    # al-jaysh stays one word: the article is not a word of its own in a capped slug.
    words = [w for w in _WORD_AR.findall(text) if normalize(w) not in _STOP_AR]
    return [spelt.strip("-") for w in words if (spelt := transliterate_word(w)).strip("-")]


def english_title_words(title: str) -> list[str]:
    # The LNA's → lna, not lna-s; don't → dont.
    title = re.sub(r"['’]s\b", "", title).replace("'", "").replace("’", "")
    return [w for w in suggest_slug(title).split("-") if w not in _STOP_EN and w != "article"]


def title_slug(prefix: str, words: list[str], max_chars: int = MAX_SLUG_CHARS) -> str:
    """`prefix` and the first words, cut at a word so that the whole stays within `max_chars`."""
    slug = prefix
    for word in words[:MAX_SLUG_WORDS]:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > max_chars:
            break
        slug = longer
    return slug
