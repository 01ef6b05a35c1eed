"""Small helpers shared by the inline SVG drawings (campaign maps, the events-per-week strip):
numbers written deterministically, attributes escaped."""

from __future__ import annotations

from markupsafe import Markup


def number(value: float) -> str:
    """A coordinate rounded to one decimal, without a trailing .0 or a negative zero."""
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def attrs(**attributes: str | float | None) -> Markup:
    """` name="value"` pairs, escaped; numbers rounded; None left out; `_` in names → `-`."""
    parts = []
    for name, value in attributes.items():
        if value is None:
            continue
        shown = number(value) if isinstance(value, float | int) and not isinstance(value, bool) else value
        parts.append(Markup(' {}="{}"').format(Markup(name.rstrip("_").replace("_", "-")), shown))
    return Markup("").join(parts)
