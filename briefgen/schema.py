"""A small declarative schema for briefgen's YAML files (site config, front matter).

Each option validates one value and says what is wrong in the user's terms;
`Schema.validate` collects every problem with its line, so one run reports all.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.errors import Problem
from briefgen.yamlio import LocatedData, YamlPath

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Device names Windows reserves in every folder: a site with a page `articles/con/` could
# be neither checked out nor served on Windows.
WINDOWS_RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}
)
# C0 and C1 control characters other than tab and newlines, and the two noncharacters:
# invisible, and not allowed in XML (the Atom feed) at all.
CONTROL_CHARACTER_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

# Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069):
# invisible, and able to reorder the text after them (a date shown reversed after a
# source). Pages isolate every value, so they carry no meaning there: text fields drop them.
BIDI_CONTROL_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_bidi_controls(value: str) -> str:
    return BIDI_CONTROL_RE.sub("", value)


def is_reserved_name(value: str) -> bool:
    return value.lower() in WINDOWS_RESERVED_NAMES


def control_character_problem(value: str) -> str | None:
    """A description of the first control character in `value`, if there is one."""
    found = CONTROL_CHARACTER_RE.search(value)
    return f"contains the invisible control character U+{ord(found.group()):04X}" if found else None


class Invalid(Exception):
    """A value failed validation; `hint` says how to fix it."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


Validator = Callable[[Any], Any]


@dataclass(frozen=True)
class Option:
    validate: Validator
    required: bool = False
    default: Any = None
    help: str = ""


def text(*, allow_empty: bool = False) -> Validator:
    def check(value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise Invalid(f"expected text, got {type(value).__name__}")
        value = strip_bidi_controls(str(value)).strip()
        if problem := control_character_problem(value):
            raise Invalid(problem, hint="delete it (it often comes with text copied from a web page or PDF)")
        if not value and not allow_empty:
            raise Invalid("must not be empty")
        return value

    return check


def localized_text() -> Validator:
    """A mapping with an English and an Arabic version: {en: ..., ar: ...}."""
    check_text = text()

    def check(value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            raise Invalid("expected a mapping with 'en' and 'ar'", hint="write e.g. {en: Title, ar: عنوان}")
        missing = [lang for lang in ("en", "ar") if lang not in value]
        if missing:
            raise Invalid(f"missing language(s): {', '.join(missing)}", hint="give both 'en' and 'ar'")
        extra = sorted(set(value) - {"en", "ar"})
        if extra:
            raise Invalid(
                f"unknown language(s): {', '.join(map(str, extra))}",
                hint="only 'en' and 'ar' are used",
            )
        return {lang: check_text(value[lang]) for lang in ("en", "ar")}

    return check


LANGUAGE_NAMES = {"en": "English", "ar": "Arabic"}


def bilingual_text(base: str) -> Validator:
    """Text in the field's own language `base`, or both: {en: ..., ar: ...} (either may be
    left out, the caller decides which one is required). Always returns {lang: text}."""
    check_text = text()

    def check(value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            return {base: check_text(value)}
        other = "ar" if base == "en" else "en"
        extra = sorted(map(str, set(value) - {"en", "ar"}))
        if extra:
            raise Invalid(
                f"unknown language(s): {', '.join(extra)}",
                hint=f"write the {LANGUAGE_NAMES[base]} text alone, or both: {{{base}: ..., {other}: ...}}",
            )
        if not value:
            raise Invalid("must not be empty", hint=f"write e.g. {{{base}: ..., {other}: ...}}")
        found: dict[str, str] = {}
        for lang in ("en", "ar"):
            if lang in value:
                try:
                    found[lang] = check_text(value[lang])
                except Invalid as exc:
                    hint = exc.hint or f"write the {LANGUAGE_NAMES[lang]} text, or leave out '{lang}'"
                    raise Invalid(f"{lang}: {exc}", hint=hint) from None
        return found

    return check


def bilingual_list(item: Validator, base: str) -> Validator:
    """A list in the field's own language `base`, or both: {en: [...], ar: [...]}. Always
    returns {lang: tuple}."""
    check_list = list_of(item)

    def check(value: Any) -> dict[str, tuple[Any, ...]]:
        if not isinstance(value, dict):
            return {base: check_list(value)}
        other = "ar" if base == "en" else "en"
        extra = sorted(map(str, set(value) - {"en", "ar"}))
        if extra:
            raise Invalid(
                f"unknown language(s): {', '.join(extra)}",
                hint=f"write the {LANGUAGE_NAMES[base]} list alone, or both: {{{base}: [...], {other}: [...]}}",
            )
        found: dict[str, tuple[Any, ...]] = {}
        for lang in ("en", "ar"):
            if lang in value:
                try:
                    found[lang] = check_list(value[lang])
                except Invalid as exc:
                    raise Invalid(f"{lang}: {exc}", hint=exc.hint) from None
        return found

    return check


def iso_date() -> Validator:
    def check(value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise Invalid(f"{value!r} is not an ISO date", hint="write dates as YYYY-MM-DD, e.g. 2016-11-19")

    return check


def url(*, schemes: tuple[str, ...] = ("http", "https")) -> Validator:
    def check(value: Any) -> str:
        value = text()(value)
        scheme, sep, rest = value.partition(":")
        if not sep or scheme.lower() not in schemes or not rest.startswith("//") or len(rest) <= 2:
            raise Invalid(
                f"{value!r} is not an {' or '.join(schemes)} URL",
                hint=f"use a full address starting with {schemes[-1]}://",
            )
        if any(ch.isspace() or ch in "<>\"'`" for ch in value):
            raise Invalid(f"{value!r} contains characters not allowed in a URL", hint="percent-encode them")
        return value

    return check


# Campaign and gazetteer ids name pages (`<id>.md`) and site folders: 255 bytes a name.
MAX_ID_LENGTH = 255 - len(".md")


def slug() -> Validator:
    def check(value: Any) -> str:
        value = text()(value)
        if not SLUG_RE.match(value):
            raise Invalid(
                f"{value!r} is not a valid id",
                hint="use lowercase ASCII letters, digits and single hyphens, e.g. benghazi-2016",
            )
        if is_reserved_name(value):
            raise Invalid(
                f"{value!r} is a device name Windows reserves: its page could not be saved there",
                hint=f"add a word, e.g. {value}-1",
            )
        if len(value) > MAX_ID_LENGTH:
            raise Invalid(
                f"id is too long ({len(value)} characters): its page, <id>.md, would not fit the file system",
                hint=f"shorten it (at most {MAX_ID_LENGTH} characters)",
            )
        return value

    return check


def integer(*, minimum: int, maximum: int) -> Validator:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"expected a whole number, got {value!r}")
        if not minimum <= value <= maximum:
            raise Invalid(f"{value} is out of range", hint=f"use a number from {minimum} to {maximum}")
        return value

    return check


def list_of(item: Validator, *, allow_empty: bool = True) -> Validator:
    def check(value: Any) -> tuple[Any, ...]:
        if value is None:
            value = []
        if not isinstance(value, list):
            raise Invalid(f"expected a list, got {type(value).__name__}", hint="write a YAML list: [a, b]")
        if not value and not allow_empty:
            raise Invalid("must not be empty")
        return tuple(item(v) for v in value)

    return check


def relative_path() -> Validator:
    def check(value: Any) -> Path:
        value = text()(value)
        path = Path(value)
        if path.is_absolute() or ".." in path.parts:
            raise Invalid(
                f"{value!r} must be a path inside the project",
                hint="use a relative path such as 'site'",
            )
        return path

    return check


@dataclass(frozen=True)
class Schema:
    """Named options of one YAML mapping."""

    options: Mapping[str, Option]
    name: str = "mapping"

    def validate(
        self, data: Any, located: LocatedData, path: Path, at: YamlPath = (), prefix: str = ""
    ) -> tuple[dict[str, Any], list[Problem]]:
        problems: list[Problem] = []
        if data is None:
            data = {}
        if not isinstance(data, dict):
            return {}, [
                Problem(
                    f"expected a {self.name} (key: value pairs), got {type(data).__name__}",
                    path=path,
                    line=located.line_of(*at),
                    field=prefix.rstrip(".") or None,
                    hint=f"write one 'name: value' per line; the fields are {', '.join(self.options)}",
                )
            ]
        values: dict[str, Any] = {}
        for key in data:
            if key not in self.options:
                close = difflib.get_close_matches(str(key), list(self.options), n=1)
                problems.append(
                    Problem(
                        "unknown field",
                        path=path,
                        line=located.line_of(*at, key),
                        field=f"{prefix}{key}",
                        hint=f"did you mean '{close[0]}'?"
                        if close
                        else f"known fields: {', '.join(self.options)}",
                    )
                )
        for name, option in self.options.items():
            if name not in data or data[name] is None:
                if option.required:
                    problems.append(
                        Problem(
                            "required field is missing",
                            path=path,
                            line=located.line_of(*at),
                            field=f"{prefix}{name}",
                            hint=f"add '{name}: …'" + (f", {option.help}" if option.help else ""),
                        )
                    )
                values[name] = option.default
                continue
            try:
                values[name] = option.validate(data[name])
            except Invalid as exc:
                problems.append(
                    Problem(
                        str(exc),
                        path=path,
                        line=located.line_of(*at, name),
                        field=f"{prefix}{name}",
                        hint=exc.hint or option.help or None,
                    )
                )
        return values, problems
