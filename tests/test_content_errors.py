"""Bad input: every problem names the file and the line or field, and `check`/`build` exit non-zero."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.commands.check import check
from briefgen.errors import BriefgenError

GOOD_FRONT = "---\ntitle: عنوان تجريبي\nsource: Test Wire\npublished: 2016-11-20\n---\n\n"
BODY = "قالت مصادر عسكرية إن القوات تقدمت في المحور الغربي للمدينة.\n"


def problems_for(project: Path) -> str:
    with pytest.raises(BriefgenError) as info:
        check(project / "site_config.yml")
    return str(info.value)


def run_cli(project: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*args, "--config", str(project / "site_config.yml")])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("no-front.md", BODY, ["no-front.md:1:", "missing front matter"]),
        ("unclosed.md", "---\ntitle: x\nsource: y\n" + BODY, ["unclosed.md:1:", "never closed"]),
        (
            "bad-yaml.md",
            "---\ntitle: [unclosed\nsource: y\npublished: 2016-01-01\n---\n" + BODY,
            ["bad-yaml.md:", "invalid YAML"],
        ),
        (
            "not-mapping.md",
            "---\n- a list\n- not fields\n---\n" + BODY,
            ["not-mapping.md:", "expected a front matter"],
        ),
        (
            "no-source.md",
            "---\ntitle: عنوان\npublished: 2016-11-20\n---\n" + BODY,
            ["no-source.md:", "source: required field is missing"],
        ),
        (
            "no-title.md",
            "---\nsource: Wire\npublished: 2016-11-20\n---\n" + BODY,
            ["no-title.md:", "title: required field is missing"],
        ),
        (
            "bad-date.md",
            "---\ntitle: عنوان\nsource: Wire\npublished: 2016-13-45\n---\n" + BODY,
            ["bad-date.md:4:", "published:", "not an ISO date", "YYYY-MM-DD"],
        ),
        (
            "word-date.md",
            "---\ntitle: عنوان\nsource: Wire\npublished: yesterday\n---\n" + BODY,
            ["word-date.md:4:", "published:"],
        ),
        ("empty-body.md", GOOD_FRONT + "\n\n  \n", ["empty-body.md:", "no body text"]),
        ("Bad_Slug.md", GOOD_FRONT + BODY, ["Bad_Slug.md", "not a valid slug", "bad-slug.md"]),
        ("مقال.md", GOOD_FRONT + BODY, ["not a valid slug"]),
        (
            "unknown-field.md",
            "---\ntitle: عنوان\nsource: Wire\npublished: 2016-11-20\npublised: 2016-11-20\n---\n" + BODY,
            ["unknown-field.md:5:", "publised: unknown field", "did you mean 'published'"],
        ),
        (
            "bad-url.md",
            "---\ntitle: عنوان\nsource: Wire\npublished: 2016-11-20\nurl: ftp://example.org/x\n---\n" + BODY,
            ["bad-url.md:5:", "url:", "not an http or https URL"],
        ),
        (
            "bad-campaign.md",
            "---\ntitle: عنوان\nsource: Wire\npublished: 2016-11-20\ncampaign: sirte-2016\n---\n" + BODY,
            ["bad-campaign.md:5:", "unknown campaign 'sirte-2016'", "benghazi-2016"],
        ),
    ],
)
def test_bad_article_is_reported_with_location(
    project: Path, write_article, name: str, text: str, expected: list[str]
) -> None:
    write_article(name, text)
    message = problems_for(project)
    for part in expected:
        assert part in message, message
    code, output = run_cli(project, "check")
    assert code == 1
    assert name in output


def test_not_utf8_names_the_line(project: Path, write_article) -> None:
    text = (GOOD_FRONT + "سطر أول.\n").encode("utf-8") + "سطر ثان بترميز آخر.".encode("cp1256")
    write_article("cp1256.md", text)
    message = problems_for(project)
    assert "cp1256.md:8:" in message
    assert "not valid UTF-8" in message


def test_duplicate_slugs_in_subfolders(project: Path, write_article) -> None:
    write_article("2016/same-slug.md", GOOD_FRONT + BODY)
    write_article("2017/same-slug.md", GOOD_FRONT + BODY)
    message = problems_for(project)
    assert "duplicate slug 'same-slug'" in message
    assert "2016/same-slug.md" in message and "2017/same-slug.md" in message


def test_every_problem_is_reported_at_once(project: Path, write_article) -> None:
    write_article("a.md", BODY)
    write_article("b.md", "---\ntitle: x\nsource: y\npublished: nope\n---\n" + BODY)
    message = problems_for(project)
    assert "a.md:1:" in message and "b.md:4:" in message
    assert "2 problems" in run_cli(project, "check")[1]


def test_yaml_object_tags_are_refused(project: Path, write_article, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    write_article(
        "evil.md",
        "---\ntitle: !!python/object/apply:os.system ['touch "
        + str(marker)
        + "']\nsource: y\npublished: 2016-11-20\n---\n"
        + BODY,
    )
    message = problems_for(project)
    assert "evil.md:2:" in message and "tag not allowed" in message
    assert not marker.exists()


def test_bom_and_crlf_are_accepted(project: Path, write_article) -> None:
    write_article("windows.md", "\ufeff" + (GOOD_FRONT + BODY).replace("\n", "\r\n"))
    result = check(project / "site_config.yml")
    assert result.articles == 6


@pytest.mark.parametrize(
    ("config_text", "expected"),
    [
        (
            "title: {en: A}\nsite_url: https://x.github.io/r/\n",
            ["site_config.yml:1:", "title:", "missing language(s): ar"],
        ),
        ("title: {en: A, ar: ب}\n", ["site_url: required field is missing"]),
        (
            "title: {en: A, ar: ب}\nsite_url: example.org\n",
            ["site_config.yml:2:", "site_url:", "not an http"],
        ),
        (
            "title: {en: A, ar: ب}\nsite_url: https://x.github.io/r/\ncampaigns:\n"
            "  - id: Bad Id\n    name: {en: A, ar: ب}\n    start: 2016-01-01\n    end: 2015-01-01\n",
            ["site_config.yml:4:", "campaigns[0].id:", "not a valid id"],
        ),
        (
            "title: {en: A, ar: ب}\nsite_url: https://x.github.io/r/\ncampaigns:\n"
            "  - id: a\n    name: {en: A, ar: ب}\n    start: 2016-01-01\n    end: 2015-01-01\n",
            ["site_config.yml:7:", "campaigns[0]", "after it ends"],
        ),
        (
            "title: {en: A, ar: ب}\nsite_url: https://x.github.io/r/\ntranslation: {beam_size: 0}\n",
            ["site_config.yml:3:", "translation.beam_size:", "out of range"],
        ),
        (
            "title: {en: A, ar: ب}\nsite_url: https://x.github.io/r/\noutput_dir: ../elsewhere\n",
            ["output_dir:"],
        ),
        (
            "title: {en: A, ar: ب}\nsite_url: https://x.github.io/r/\nsite_ur: x\n",
            ["did you mean 'site_url'"],
        ),
    ],
)
def test_bad_config_is_reported_with_location(project: Path, config_text: str, expected: list[str]) -> None:
    (project / "site_config.yml").write_text(config_text, encoding="utf-8")
    message = problems_for(project)
    for part in expected:
        assert part in message, message
    assert run_cli(project, "build")[0] == 1


def test_missing_config_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--config", str(tmp_path / "nope.yml")])
    assert result.exit_code == 1
    assert "configuration file not found" in result.output
