"""data/timeline.json against TimelineJS's documented JSON format (issue 14 §2).

The rules are written from TimelineJS3's documentation (website/templates/docs/json-format.html,
"TimelineJS JSON data format"), not from our own output: a top-level object with `events`
(required: slides), `title` (a slide), `eras` and `scale`; slides with a `start_date` (required,
except for the title), `end_date`, `text`, `media`, `group`, `display_date`, `background`,
`autolink` and `unique_id` (unique among the slides); eras with a required `start_date` and
`end_date` and a `text`; dates with a required `year` and optional `month` (1–12), `day`,
`hour` (0–23), `minute` and `second` (0–59), `millisecond` and `display_date`; texts with a
`headline` and a `text`. The docs call a date's parts numbers; TimelineJS's own examples give
them as strings of digits, which it parses, so both are accepted — anything else is not.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

TOP_LEVEL = {"events", "title", "eras", "scale"}
SLIDE = {
    "start_date",
    "end_date",
    "text",
    "media",
    "group",
    "display_date",
    "background",
    "autolink",
    "unique_id",
}
ERA = {"start_date", "end_date", "text"}
DATE_PARTS = {"year", "month", "day", "hour", "minute", "second", "millisecond"}
DATE = DATE_PARTS | {"display_date"}
TEXT = {"headline", "text"}
MEDIA = {"url", "caption", "credit", "thumbnail", "alt", "title", "link", "link_target"}
BACKGROUND = {"url", "alt", "color"}
# The documented range of each part; `None`: any whole number.
PART_RANGES: dict[str, tuple[int, int] | None] = {
    "year": None,
    "month": (1, 12),
    "day": (1, 31),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
    "millisecond": None,
}


def _number(value: Any) -> int | None:
    """A date part as TimelineJS reads it: a whole number, or a string of one (no commas)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None


def date_problems(date: Any, where: str) -> list[str]:
    if not isinstance(date, dict):
        return [f"{where}: a date must be an object"]
    problems = [f"{where}: unknown date property {key!r}" for key in sorted(set(date) - DATE)]
    if "year" not in date:
        problems.append(f"{where}: a date needs a year")
    for part, bounds in PART_RANGES.items():
        if part not in date:
            continue
        n = _number(date[part])
        if n is None:
            problems.append(f"{where}.{part}: {date[part]!r} is not a number")
        elif bounds and not bounds[0] <= n <= bounds[1]:
            problems.append(f"{where}.{part}: {n} is outside {bounds[0]}–{bounds[1]}")
    if "day" in date and "month" not in date:
        problems.append(f"{where}: a day without a month")
    if "display_date" in date and not isinstance(date["display_date"], str):
        problems.append(f"{where}.display_date: must be a string")
    if not problems and "day" in date:
        try:
            dt.date(_number(date["year"]) or 0, _number(date["month"]) or 0, _number(date["day"]) or 0)
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
    return problems


def _as_tuple(date: dict[str, Any]) -> tuple[int, ...]:
    return tuple(_number(date.get(part, 0)) or 0 for part in ("year", "month", "day", "hour", "minute"))


def text_problems(text: Any, where: str) -> list[str]:
    if not isinstance(text, dict):
        return [f"{where}: text must be an object"]
    problems = [f"{where}: unknown text property {key!r}" for key in sorted(set(text) - TEXT)]
    problems += [
        f"{where}.{key}: must be a string" for key in TEXT & set(text) if not isinstance(text[key], str)
    ]
    return problems


def slide_problems(slide: Any, where: str, title: bool = False) -> list[str]:
    if not isinstance(slide, dict):
        return [f"{where}: a slide must be an object"]
    problems = [f"{where}: unknown slide property {key!r}" for key in sorted(set(slide) - SLIDE)]
    if "start_date" in slide:
        problems += date_problems(slide["start_date"], f"{where}.start_date")
    elif not title:
        problems.append(f"{where}: an event needs a start_date")
    if "end_date" in slide:
        problems += date_problems(slide["end_date"], f"{where}.end_date")
        if (
            "start_date" in slide
            and not problems
            and _as_tuple(slide["end_date"]) < _as_tuple(slide["start_date"])
        ):
            problems.append(f"{where}: ends before it starts")
    if "text" in slide:
        problems += text_problems(slide["text"], f"{where}.text")
    if "media" in slide:
        media = slide["media"]
        if not isinstance(media, dict) or "url" not in media or set(media) - MEDIA:
            problems.append(f"{where}.media: needs a url and documented properties only")
    if "background" in slide and (
        not isinstance(slide["background"], dict) or set(slide["background"]) - BACKGROUND
    ):
        problems.append(f"{where}.background: url, alt and color only")
    for key in ("group", "display_date", "unique_id"):
        if key in slide and not isinstance(slide[key], str):
            problems.append(f"{where}.{key}: must be a string")
    if "autolink" in slide and not isinstance(slide["autolink"], bool):
        problems.append(f"{where}.autolink: must be true or false")
    return problems


def timeline_problems(data: Any) -> list[str]:
    """Every way `data` departs from TimelineJS's documented JSON format."""
    if not isinstance(data, dict):
        return ["the timeline must be a JSON object"]
    problems = [f"unknown top-level property {key!r}" for key in sorted(set(data) - TOP_LEVEL)]
    events = data.get("events")
    if not isinstance(events, list):
        return [*problems, "events is required and must be a list"]
    for i, event in enumerate(events):
        problems += slide_problems(event, f"events[{i}]")
    ids = [e["unique_id"] for e in events if isinstance(e, dict) and "unique_id" in e]
    problems += [f"unique_id {i!r} is not unique" for i in sorted({i for i in ids if ids.count(i) > 1})]
    if "title" in data:
        problems += slide_problems(data["title"], "title", title=True)
    if "eras" in data:
        if not isinstance(data["eras"], list):
            problems.append("eras must be a list")
        else:
            for i, era in enumerate(data["eras"]):
                where = f"eras[{i}]"
                if not isinstance(era, dict):
                    problems.append(f"{where}: an era must be an object")
                    continue
                problems += [f"{where}: unknown era property {key!r}" for key in sorted(set(era) - ERA)]
                for key in ("start_date", "end_date"):
                    if key not in era:
                        problems.append(f"{where}: an era needs a {key}")
                    else:
                        problems += date_problems(era[key], f"{where}.{key}")
                if "text" in era:
                    problems += text_problems(era["text"], f"{where}.text")
    if "scale" in data and data["scale"] not in ("human", "cosmological"):
        problems.append("scale must be human or cosmological")
    return problems


def test_the_built_timeline_follows_the_documented_format(seed_site: Path) -> None:
    timeline = json.loads((seed_site / "data" / "timeline.json").read_text(encoding="utf-8"))
    assert timeline_problems(timeline) == []
    chronology = json.loads((seed_site / "data" / "chronology.json").read_text(encoding="utf-8"))
    # Every chronology entry is a slide, and the campaigns are its eras.
    assert len(timeline["events"]) == len(chronology) > 0
    assert len(timeline["eras"]) == 2
    assert all(e["text"]["headline"] for e in timeline["events"])


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (lambda t: t.pop("events"), "events is required"),
        (lambda t: t["events"][0].pop("start_date"), "needs a start_date"),
        (lambda t: t["events"][0]["start_date"].pop("year"), "needs a year"),
        (lambda t: t["events"][0]["start_date"].update(month="13"), "outside 1–12"),
        (lambda t: t["events"][0]["start_date"].update(month=0), "outside 1–12"),
        (lambda t: t["events"][0]["start_date"].update(day="31", month="2"), "day is out of range"),
        (lambda t: t["events"][0]["start_date"].update(year="2,019"), "is not a number"),
        (lambda t: t["events"][0]["start_date"].update(date="2019-04-04"), "unknown date property"),
        (lambda t: t["events"][0].update(end_date={"year": "1900"}), "ends before it starts"),
        (lambda t: t["events"][0]["text"].update(headline=["x"]), "must be a string"),
        (lambda t: t["events"][0].update(headline="x"), "unknown slide property"),
        (lambda t: t["events"][1].update(unique_id=t["events"][0]["unique_id"]), "is not unique"),
        (lambda t: t["eras"][0].pop("end_date"), "an era needs a end_date"),
        (lambda t: t["eras"][0].update(group="x"), "unknown era property"),
        (lambda t: t.update(scale="geological"), "scale must be"),
        (lambda t: t["events"][0].update(autolink="yes"), "true or false"),
    ],
)
def test_the_check_finds_what_the_format_forbids(seed_site: Path, broken, expected: str) -> None:
    """The check can fail: each departure from the documented format, made in the real file, is found."""
    timeline = json.loads((seed_site / "data" / "timeline.json").read_text(encoding="utf-8"))
    broken(timeline)
    problems = timeline_problems(timeline)
    assert any(expected in p for p in problems), problems
