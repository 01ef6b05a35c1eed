"""Argos package management against a tiny but genuine .argosmodel, installed for real."""

from __future__ import annotations

import functools
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.errors import BriefgenError
from briefgen.translation import argos as models
from tests.tiny_argos import (
    build_argosmodel_without,
    build_corrupt_argosmodel,
    build_wrong_language_argosmodel,
    cached_tiny_argosmodel,
)

PROXY_VARIABLES = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")


@pytest.fixture(scope="module")
def tiny_package() -> Path:
    return cached_tiny_argosmodel()


def message_of(error: pytest.ExceptionInfo[BriefgenError]) -> str:
    return str(error.value)


# --- where packages live ---


def argos_own_packages_dir(env: dict[str, str]) -> str:
    """argostranslate.settings.package_data_dir, computed by argostranslate itself in a fresh process."""
    script = "import argostranslate.settings as s; print(s.package_data_dir)"
    completed = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return completed.stdout.strip()


def test_packages_dir_is_computed_exactly_as_argostranslate_does(tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ARGOS_", "XDG_", "SNAP"))}
    base["HOME"] = str(tmp_path / "home")
    settings_file = tmp_path / "config" / "argos-translate" / "settings.json"
    settings_file.parent.mkdir(parents=True)
    scenarios = {
        "default": {},
        "xdg data home": {"XDG_DATA_HOME": str(tmp_path / "data")},
        "environment variable": {"ARGOS_PACKAGES_DIR": str(tmp_path / "from-env")},
        "settings.json": {"XDG_CONFIG_HOME": str(tmp_path / "config")},
        "environment beats settings.json": {
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "ARGOS_PACKAGES_DIR": str(tmp_path / "from-env"),
        },
    }
    settings_file.write_text(json.dumps({"ARGOS_PACKAGES_DIR": str(tmp_path / "from-json")}))
    saved = dict(os.environ)
    try:
        for scenario, extra in scenarios.items():
            env = {**base, **extra}
            os.environ.clear()
            os.environ.update(env)
            ours = str(models.argos_packages_dir())
            assert ours == argos_own_packages_dir(env), scenario
    finally:
        os.environ.clear()
        os.environ.update(saved)


# --- installing, listing, finding ---


def test_validate_accepts_a_genuine_package(tiny_package: Path) -> None:
    metadata = models.validate_package_file(tiny_package)
    assert (metadata["from_code"], metadata["to_code"]) == ("ar", "en")
    assert metadata["type"] == "translate"
    assert metadata["package_version"] == "0.1"


def test_install_then_list_and_find(argos_home: Path, tiny_package: Path) -> None:
    assert models.list_models() == []
    assert models.find_model() is None

    info = models.install_from_file(tiny_package)

    assert info.path == argos_home / "tiny-ar-en"
    assert (info.path / "model" / "model.bin").is_file()
    assert (info.name, info.version, info.from_code, info.to_code) == ("translate-ar_en", "0.1", "ar", "en")
    assert info.target_prefix is None
    assert info.label == "translate-ar_en 0.1"
    assert models.list_models() == [info]
    assert models.find_model("ar", "en") == info
    assert models.find_model("en", "ar") is None


def test_argos_packages_dir_is_honoured_after_argostranslate_settings_was_imported(
    argos_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_package: Path
) -> None:
    # Whatever directory argostranslate fixed at import time, it is not one of the two below.
    import argostranslate.settings

    fixed_at_import = Path(argostranslate.settings.package_data_dir)
    already_there = (fixed_at_import / "tiny-ar-en").exists()
    first, second = tmp_path / "first", tmp_path / "second"
    assert fixed_at_import not in (first, second)

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(first))
    assert models.install_from_file(tiny_package).path == first / "tiny-ar-en"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(second))
    assert models.list_models() == []
    assert models.install_from_file(tiny_package).path == second / "tiny-ar-en"
    assert [m.path for m in models.list_models()] == [second / "tiny-ar-en"]

    # Nothing leaked into argostranslate's own directory, and its setting is left as it was.
    assert Path(argostranslate.settings.package_data_dir) == fixed_at_import
    assert (fixed_at_import / "tiny-ar-en").exists() == already_there


def test_reinstalling_replaces_the_old_files(argos_home: Path, tiny_package: Path) -> None:
    info = models.install_from_file(tiny_package)
    stale = info.path / "model" / "stale_vocabulary.txt"
    stale.write_text("left over from an older version")
    assert models.install_from_file(tiny_package) == info
    assert not stale.exists()


def test_newest_installed_version_is_found(argos_home: Path, tiny_package: Path) -> None:
    newer = cached_tiny_argosmodel(name="tiny-ar-en-0.10", package_version="0.10")
    models.install_from_file(newer)
    models.install_from_file(tiny_package)
    # 0.10 > 0.1 as versions, though not as strings.
    assert [m.version for m in models.list_models()] == ["0.10", "0.1"]
    found = models.find_model()
    assert found is not None and found.version == "0.10" and found.label == "translate-ar_en 0.10"


def test_find_skips_packages_the_engine_cannot_run(argos_home: Path, tiny_package: Path) -> None:
    info = models.install_from_file(tiny_package)
    (info.path / "sentencepiece.model").rename(info.path / "bpe.model")
    assert models.list_models() == [info]
    assert models.find_model() is None


def test_non_packages_in_the_packages_dir_are_ignored(argos_home: Path, tiny_package: Path) -> None:
    (argos_home / "not-a-package").mkdir(parents=True)
    (argos_home / "broken").mkdir()
    (argos_home / "broken" / "metadata.json").write_text("{not json")
    (argos_home / "stray-file.txt").write_text("x")
    info = models.install_from_file(tiny_package)
    assert models.list_models() == [info]


def test_target_prefix_is_read_from_metadata(argos_home: Path) -> None:
    prefixed = cached_tiny_argosmodel(name="tiny-prefix", target_prefix="<2en>")
    assert models.install_from_file(prefixed).target_prefix == "<2en>"


# --- refusing bad packages ---


def test_corrupt_package_is_refused(argos_home: Path, tmp_path: Path) -> None:
    corrupt = build_corrupt_argosmodel(tmp_path / "bad")
    with pytest.raises(BriefgenError) as error:
        models.install_from_file(corrupt)
    assert "not a zip archive" in message_of(error)
    assert "download it again" in message_of(error)
    assert str(corrupt) in message_of(error)
    assert not argos_home.exists() or not any(argos_home.iterdir())


def test_damaged_member_is_refused(tmp_path: Path, tiny_package: Path) -> None:
    # A zip whose directory is intact but whose data is not: only the checksums tell.
    data = bytearray(tiny_package.read_bytes())
    with zipfile.ZipFile(tiny_package) as archive:
        model_bin = archive.getinfo("tiny-ar-en/model/model.bin")
    middle = model_bin.header_offset + 100 + model_bin.compress_size // 2
    data[middle : middle + 16] = bytes(16)
    damaged = tmp_path / "damaged.argosmodel"
    damaged.write_bytes(bytes(data))
    with pytest.raises(BriefgenError) as error:
        models.validate_package_file(damaged)
    assert "corrupt Argos package" in message_of(error)


def test_wrong_language_pair_is_refused(argos_home: Path, tmp_path: Path) -> None:
    wrong = build_wrong_language_argosmodel(tmp_path / "wrong")
    with pytest.raises(BriefgenError) as error:
        models.install_from_file(wrong)
    assert "wrong language pair" in message_of(error)
    assert "en→fr" in message_of(error) and "ar→en" in message_of(error)
    assert not argos_home.exists() or not any(argos_home.iterdir())


def test_other_pairs_install_when_asked_for(argos_home: Path, tmp_path: Path) -> None:
    wrong = build_wrong_language_argosmodel(tmp_path / "wrong")
    assert models.validate_package_file(wrong, expect=None)["to_code"] == "fr"
    info = models.install_from_file(wrong, expect=("en", "fr"))
    assert models.find_model("en", "fr") == info
    assert models.find_model() is None


@pytest.mark.parametrize(
    ("missing", "expected_message"),
    [
        ("sentencepiece.model", "sentencepiece.model is missing"),
        ("model/model.bin", "model/model.bin (the CTranslate2 model) is missing"),
        ("model/shared_vocabulary.json", "no CTranslate2 vocabulary"),
        ("metadata.json", "metadata.json is missing"),
    ],
)
def test_incomplete_package_is_refused(tmp_path: Path, missing: str, expected_message: str) -> None:
    incomplete = build_argosmodel_without(tmp_path, missing)
    with pytest.raises(BriefgenError) as error:
        models.validate_package_file(incomplete)
    assert expected_message in message_of(error)


def rezip(source: Path, destination: Path, rename: dict[str, str]) -> Path:
    """Copy a zip, renaming or (with an empty new name) dropping members; then add the extras."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(destination, "w") as new:
        for info in old.infolist():
            name = rename.get(info.filename, info.filename)
            if name:
                new.writestr(name, old.read(info))
    return destination


def test_archive_must_hold_exactly_one_folder(tmp_path: Path, tiny_package: Path) -> None:
    two_folders = rezip(
        tiny_package,
        tmp_path / "two.argosmodel",
        {"tiny-ar-en/sentencepiece.model": "other/sentencepiece.model"},
    )
    with pytest.raises(BriefgenError) as error:
        models.validate_package_file(two_folders)
    assert "exactly one top-level folder, found other, tiny-ar-en" in message_of(error)

    flat = rezip(tiny_package, tmp_path / "flat.argosmodel", {"tiny-ar-en/metadata.json": "metadata.json"})
    with pytest.raises(BriefgenError) as error:
        models.validate_package_file(flat)
    assert "exactly one top-level folder" in message_of(error)


def test_bad_metadata_is_refused(tmp_path: Path, tiny_package: Path) -> None:
    with zipfile.ZipFile(tiny_package) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}

    def package_with_metadata(text: str) -> Path:
        path = tmp_path / "bad-metadata.argosmodel"
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in members.items():
                archive.writestr(name, text if name.endswith("metadata.json") else data)
        return path

    with pytest.raises(BriefgenError) as error:
        models.validate_package_file(package_with_metadata("{oops"))
    assert "metadata.json is not valid JSON" in message_of(error)

    with pytest.raises(BriefgenError) as error:
        models.validate_package_file(package_with_metadata(json.dumps({"type": "sbd", "from_code": "ar"})))
    assert "'sbd' package, not a translation package" in message_of(error)
    assert "has no to_code" in message_of(error)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BriefgenError) as error:
        models.install_from_file(tmp_path / "nowhere.argosmodel")
    assert "package file not found" in message_of(error)


# --- installing from the Argos package index ---


def unused_local_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_install_from_index_offline_says_network_is_needed(
    argos_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing listens on this port: the connection is refused at once, as when offline.
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", f"http://127.0.0.1:{unused_local_port()}/")
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(BriefgenError) as error:
        models.install_from_index()
    assert "needs network access" in message_of(error)
    assert "--file" in message_of(error)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def package_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path]]:
    """A local HTTP server standing in for the Argos index and its download mirror."""
    served = tmp_path / "served"
    served.mkdir()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(served))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", base_url)
    try:
        yield base_url, served
    finally:
        server.shutdown()
        server.server_close()


def test_install_from_index_downloads_with_progress(
    argos_home: Path, package_server: tuple[str, Path], tiny_package: Path
) -> None:
    base_url, served = package_server
    (served / "translate-ar_en-0_1.argosmodel").write_bytes(tiny_package.read_bytes())
    index = [
        {"type": "translate", "from_code": "en", "to_code": "ar", "package_version": "9.9", "links": []},
        {
            "from_code": "ar",
            "to_code": "en",
            "package_version": "0.1",
            "links": [f"{base_url}missing.argosmodel", f"{base_url}translate-ar_en-0_1.argosmodel"],
        },
    ]
    (served / "index.json").write_text(json.dumps(index))
    reports: list[tuple[int, int]] = []

    info = models.install_from_index(progress=lambda done, total: reports.append((done, total)))

    assert models.find_model() == info
    size = tiny_package.stat().st_size
    assert reports[-1] == (size, size)
    assert all(total == size for _done, total in reports)
    assert [done for done, _total in reports] == sorted(done for done, _total in reports)
    # argostranslate's local copy of the index is refreshed too.
    assert json.loads((models.argos_data_dir() / "index.json").read_text()) == index


def test_install_from_index_without_the_pair(argos_home: Path, package_server: tuple[str, Path]) -> None:
    _base_url, served = package_server
    (served / "index.json").write_text(json.dumps([{"from_code": "en", "to_code": "fr", "links": []}]))
    with pytest.raises(BriefgenError) as error:
        models.install_from_index()
    assert "lists no ar→en translation package" in message_of(error)
