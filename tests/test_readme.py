"""The README's commands are the ones CI runs."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(python3 -m venv .*)\n```", readme)
    assert len(commands) == 2, "the README gives one setup+build and one setup+test command"
    build_command, test_command = commands
    assert build_command.endswith("briefgen build")
    ci_lines = [
        line
        for line in (REPO / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.startswith(("#", "set ", "cd ", " ", "if ", "fi"))
    ]
    # Besides installing Debian's chromium for the browser tests, CI runs the README's command.
    assert ci_lines == [test_command]
