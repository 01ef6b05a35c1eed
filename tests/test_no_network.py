"""No network, ever, during a build: full builds in this process with every way out refused.

Two layers, so that nothing slips through: the socket module's connecting functions are
replaced by ones that refuse, and an audit hook (which also sees connections made from C,
or through references taken before the test) refuses the same events. Every attempt is
recorded as well as refused, so a library that swallows the error still fails the test.
(tests/test_translation_build.py's sandboxed builds check the same in a subprocess.)
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.commands.build import build
from tests.htmlcheck import page_file
from tests.tiny_argos import cached_tiny_argosmodel, untranslated_article

NETWORK_EVENTS = frozenset(
    {
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.sendto",
        "socket.sendmsg",
        "urllib.Request",
    }
)


class NetworkGuard:
    """Refuses and records network use while `active`; audit hooks cannot be removed, so
    one hook is installed for the whole test session and switched on and off."""

    def __init__(self) -> None:
        self.active = False
        self.attempts: list[str] = []

    def refuse(self, what: str) -> None:
        self.attempts.append(what)
        raise ConnectionRefusedError(f"network use during a build: {what}")

    def audit(self, event: str, args: tuple[Any, ...]) -> None:
        if self.active and event in NETWORK_EVENTS:
            self.refuse(f"{event} {args!r}")


GUARD = NetworkGuard()
sys.addaudithook(GUARD.audit)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[NetworkGuard]:
    def refusing(name: str) -> Any:
        def refused(*args: Any, **kwargs: Any) -> Any:
            GUARD.refuse(f"{name}{args!r}")

        return refused

    monkeypatch.setattr(socket.socket, "connect", refusing("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refusing("socket.connect_ex"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        monkeypatch.setattr(socket, name, refusing(f"socket.{name}"))
    GUARD.attempts.clear()
    GUARD.active = True
    try:
        yield GUARD
    finally:
        GUARD.active = False


def test_the_guard_refuses_and_records_every_way_out(no_network: NetworkGuard) -> None:
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    with pytest.raises(ConnectionRefusedError):
        socket.getaddrinfo("example.org", 443)
    # A raw socket's connect, even through the C method the patch does not cover.
    with socket.socket() as raw, pytest.raises(ConnectionRefusedError):
        socket._socket.socket.connect(raw, ("127.0.0.1", 9))  # type: ignore[attr-defined]
    assert len(no_network.attempts) == 3
    no_network.attempts.clear()


def test_a_full_seed_build_needs_no_network(project: Path, no_network: NetworkGuard) -> None:
    result = build(project / "site_config.yml")
    assert no_network.attempts == []
    assert result.articles == 5 and result.pages > 200
    assert (result.site_dir / "index.html").is_file() and (result.site_dir / "ar" / "index.html").is_file()
    # Pagefind indexed it offline (its binary is a local subprocess).
    assert (result.site_dir / "pagefind" / "pagefind-entry.json").is_file()
    assert (result.site_dir / "ar" / "pagefind" / "pagefind-entry.json").is_file()


NEW_ARTICLE = untranslated_article()


def test_installing_a_model_and_translating_need_no_network(
    argos_home: Path, project: Path, write_article, no_network: NetworkGuard
) -> None:
    installed = CliRunner().invoke(cli, ["models", "install", "--file", str(cached_tiny_argosmodel())])
    assert installed.exit_code == 0, installed.output
    write_article("2016-12-02-ganfouda-push.md", NEW_ARTICLE)

    result = build(project / "site_config.yml")

    assert no_network.attempts == []
    assert result.translated == 3  # the title and both sentences, by the installed model
    english = page_file(result.site_dir, "articles/2016-12-02-ganfouda-push/").read_text(encoding="utf-8")
    assert "Machine translation (Argos Translate, translate-ar_en 0.1)" in english
