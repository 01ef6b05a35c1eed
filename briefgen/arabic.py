"""Arabic text core: normalization for matching and search, and clitic prefixes.

Standard library only: the NLP packages that know Arabic download data at run time.
"""

from __future__ import annotations

import re
import unicodedata

# Harakat, shadda, sukun, dagger alef, Quranic marks: invisible to matching.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")
TATWEEL = "\u0640"

_LETTER_MAP = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        # Arabic-Indic and Eastern Arabic-Indic (Persian) digits.
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
        TATWEEL: None,
    }
)

# Conjunctions, prepositions and the article that attach to the front of a word,
# longest first so `وبال` is tried before `و`.
CLITIC_PREFIXES: tuple[str, ...] = tuple(
    sorted(
        {
            "و",
            "ف",
            "ب",
            "ل",
            "ك",
            "ال",
            "وال",
            "فال",
            "بال",
            "كال",
            "لل",
            "وب",
            "ول",
            "وك",
            "فب",
            "فل",
            "فك",
            "وبال",
            "وكال",
            "فبال",
            "فكال",
            "ولل",
            "فلل",
        },
        key=lambda p: (-len(p), p),
    )
)

ARABIC_LETTER_RE = re.compile("[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff]")


def normalize(text: str) -> str:
    """Fold the spelling variation that carries no meaning for matching or search.

    Strips diacritics and tatweel, unifies alef forms, alef maqsura and ta marbuta,
    and turns Arabic-Indic digits into ASCII. The result is NFC.
    """
    text = unicodedata.normalize("NFC", text)
    # NFC composes آ/أ/إ from alef + maddah/hamza; strip the combining marks
    # that NFC did not fold, then map the letters.
    folded = _DIACRITICS.sub("", text).translate(_LETTER_MAP)
    # A tatweel or diacritic removed from between a letter and a combining mark lets them
    # compose (e + tatweel + U+0301 → é): compose again, or a second pass would change it.
    return folded if unicodedata.is_normalized("NFC", folded) else unicodedata.normalize("NFC", folded)


def has_arabic(text: str) -> bool:
    return ARABIC_LETTER_RE.search(text) is not None


def clitic_candidates(word: str, *, min_stem: int = 2) -> list[str]:
    """The word and every reading of it with a clitic prefix removed, longest stem first.

    `min_stem` keeps fragments too short to be words out of the candidates;
    callers matching names look each candidate up, so بنغازي is found whole
    before ب + نغازي is ever considered.
    """
    word = normalize(word)
    stems: set[str] = set()
    for prefix in CLITIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= min_stem:
            stem = word[len(prefix) :]
            stems.add(stem)
            # "لل" stands for ل + ال: the stem keeps its article.
            if prefix.endswith("لل"):
                stems.add("ال" + stem)
    stems.discard(word)
    return [word, *sorted(stems, key=lambda s: (-len(s), s))]
