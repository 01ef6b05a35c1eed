"""Argos Translate model packages: find the installed ones, check and install new ones.

Reading installed packages never imports argostranslate: its settings module fixes the
packages directory once, at import time, and creates directories under $HOME as a side
effect. We recompute the same directory on every call (same environment variables, same
settings.json, same defaults), so ARGOS_PACKAGES_DIR is honoured whenever it is set.
argostranslate.package is imported only to install, and it is then pointed at the
directory computed here.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from packaging.version import InvalidVersion, Version

from briefgen.errors import BriefgenError, Problem

# argostranslate.settings' default index; ARGOS_PACKAGE_INDEX overrides it (with a trailing slash).
DEFAULT_PACKAGE_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
DOWNLOAD_CHUNK_BYTES = 256 * 1024
NETWORK_TIMEOUT_SECONDS = 60
INSTALL_HINT = (
    "on a machine with network access, download the translate-ar_en .argosmodel linked from "
    "the Argos package index, copy it here and install it with --file PATH"
)

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class ModelInfo:
    """An installed Argos Translate translation package."""

    name: str  # argospm name, e.g. "translate-ar_en"
    version: str  # metadata package_version
    from_code: str
    to_code: str
    path: Path  # the installed package directory
    target_prefix: str | None = None

    @property
    def label(self) -> str:
        """Short human-readable identity for site labels, e.g. "translate-ar_en 1.9"."""
        return f"{self.name} {self.version}".strip()


# --- where Argos keeps packages (mirrors argostranslate/settings.py, evaluated per call) ---


def _home_dir() -> Path:
    if "SNAP" in os.environ:
        return Path(os.environ["SNAP_USER_DATA"])
    return Path.home()


def argos_data_dir() -> Path:
    """argostranslate.settings.data_dir."""
    return Path(os.getenv("XDG_DATA_HOME", default=_home_dir() / ".local" / "share")) / "argos-translate"


def _argos_settings_file() -> Path:
    config_dir = Path(os.getenv("XDG_CONFIG_HOME", default=_home_dir() / ".config")) / "argos-translate"
    return config_dir / "settings.json"


def _argos_setting(key: str, default: Any = None) -> Any:
    """argostranslate.settings.get_setting: environment first, then settings.json, then default."""
    from_environment = os.getenv(key)
    if from_environment is not None:
        return from_environment
    try:
        from_file = json.loads(_argos_settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        from_file = {}
    if isinstance(from_file, dict) and from_file.get(key) is not None:
        return from_file[key]
    return default


def argos_packages_dir() -> Path:
    """Where packages are installed: argostranslate.settings.package_data_dir, computed now."""
    return Path(_argos_setting("ARGOS_PACKAGES_DIR", default=argos_data_dir() / "packages"))


def argos_package_dirs() -> list[Path]:
    """Every directory Argos searches for installed packages (settings.package_dirs)."""
    dirs = [argos_packages_dir()]
    if "SNAP" in os.environ:
        snap_custom = Path(os.environ["SNAP"]) / "snap_custom"
        if (snap_custom / "packages").is_dir():
            dirs.append(snap_custom / "packages")
        content_snap = snap_custom / "content_snap_packages"
        if content_snap.is_dir():
            dirs.extend(p for p in content_snap.iterdir() if p.is_dir())
    return dirs


def _package_index_url() -> str:
    # Argos appends "index.json" to ARGOS_PACKAGE_INDEX without adding a slash; so do we.
    return str(_argos_setting("ARGOS_PACKAGE_INDEX", default=DEFAULT_PACKAGE_INDEX)) + "index.json"


# --- installed packages ---


def _argospm_name(metadata: dict[str, Any]) -> str:
    """The name argospm gives a package: type-from_to, e.g. translate-ar_en."""
    name = str(metadata.get("type", "translate"))
    if metadata.get("from_code") and metadata.get("to_code"):
        name += f"-{metadata['from_code']}_{metadata['to_code']}"
    return name


def _model_info(package_dir: Path, metadata: dict[str, Any]) -> ModelInfo:
    return ModelInfo(
        name=_argospm_name(metadata),
        version=str(metadata.get("package_version", "")),
        from_code=str(metadata["from_code"]),
        to_code=str(metadata["to_code"]),
        path=package_dir,
        # Argos treats "" and a missing key alike: no prefix.
        target_prefix=metadata.get("target_prefix") or None,
    )


def _read_installed(package_dir: Path) -> ModelInfo | None:
    try:
        metadata = json.loads((package_dir / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # not a package (or a broken one): Argos would fail on it too
    if not isinstance(metadata, dict) or metadata.get("type", "translate") != "translate":
        return None
    if not metadata.get("from_code") or not metadata.get("to_code"):
        return None
    return _model_info(package_dir, metadata)


def _version_key(version: str) -> tuple[int, Version | str]:
    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def list_models() -> list[ModelInfo]:
    """Installed translation packages, by language pair then newest version first."""
    models: list[ModelInfo] = []
    for packages_dir in argos_package_dirs():
        if not packages_dir.is_dir():
            continue
        for package_dir in sorted(p for p in packages_dir.iterdir() if p.is_dir()):
            info = _read_installed(package_dir)
            if info is not None:
                models.append(info)
    models.sort(key=lambda m: _version_key(m.version), reverse=True)
    models.sort(key=lambda m: (m.from_code, m.to_code))  # stable: keeps newest first per pair
    return models


def _is_runnable(model: ModelInfo) -> bool:
    # ArgosEngine needs a CTranslate2 model and a sentencepiece tokenizer (not bpe.model).
    return (model.path / "model" / "model.bin").is_file() and (model.path / "sentencepiece.model").is_file()


def find_model(from_code: str = "ar", to_code: str = "en", name: str | None = None) -> ModelInfo | None:
    """The newest installed package for this pair that ArgosEngine can run, if any; with a
    name, only a package of that name (argospm's, e.g. translate-ar_en, or its folder's)."""
    for model in list_models():
        if name is not None and name not in (model.name, model.path.name):
            continue
        if model.from_code == from_code and model.to_code == to_code and _is_runnable(model):
            return model
    return None


# --- checking a .argosmodel file ---


def _problem(path: Path, message: str, hint: str | None = None) -> Problem:
    return Problem(message, path=path, hint=hint)


def _is_vocabulary_present(names: set[str], model_dir: str) -> bool:
    def has(stem: str) -> bool:
        return f"{model_dir}/{stem}.txt" in names or f"{model_dir}/{stem}.json" in names

    return has("shared_vocabulary") or (has("source_vocabulary") and has("target_vocabulary"))


def _inspect_package_file(path: Path, expect: tuple[str, str] | None) -> tuple[str, dict[str, Any]]:
    """Check a .argosmodel thoroughly; return its top-level folder and its metadata."""
    redownload = "the file is damaged or incomplete; download it again"
    if not path.is_file():
        raise BriefgenError(_problem(path, "package file not found"))
    if not zipfile.is_zipfile(path):
        raise BriefgenError(_problem(path, "not a valid Argos package: it is not a zip archive", redownload))
    try:
        with zipfile.ZipFile(path) as archive:
            names = [info.filename for info in archive.infolist()]
            bad_member = archive.testzip()  # reads everything: catches truncation and CRC errors
            if bad_member is not None:
                raise BriefgenError(
                    _problem(path, f"corrupt Argos package: {bad_member} fails its checksum", redownload)
                )
            top_levels = {PurePosixPath(name).parts[0] for name in names if PurePosixPath(name).parts}
            unsafe = [n for n in names if n.startswith("/") or ".." in PurePosixPath(n).parts]
            if unsafe:
                raise BriefgenError(
                    _problem(path, f"not a valid Argos package: unsafe path {unsafe[0]!r} in archive")
                )
            top_level_files = [name for name in names if "/" not in name]
            if len(top_levels) != 1 or top_level_files:
                found = ", ".join(sorted(top_levels)) or "nothing"
                raise BriefgenError(
                    _problem(
                        path,
                        f"not a valid Argos package: expected exactly one top-level folder, found {found}",
                    )
                )
            folder = top_levels.pop()
            member_names = {name.rstrip("/") for name in names}
            metadata_name = f"{folder}/metadata.json"
            metadata_text = archive.read(metadata_name) if metadata_name in member_names else None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        raise BriefgenError(_problem(path, f"corrupt Argos package: {error}", redownload)) from error

    problems: list[Problem] = []
    metadata: dict[str, Any] = {}
    if metadata_text is None:
        problems.append(_problem(path, f"not a valid Argos package: {folder}/metadata.json is missing"))
    else:
        try:
            parsed = json.loads(metadata_text.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            parsed = None
            problems.append(_problem(path, f"{folder}/metadata.json is not valid JSON: {error}"))
        if parsed is not None and not isinstance(parsed, dict):
            problems.append(_problem(path, f"{folder}/metadata.json must hold a JSON object"))
        elif isinstance(parsed, dict):
            metadata = parsed
    if metadata:
        package_type = metadata.get("type", "translate")
        if package_type != "translate":
            problems.append(
                _problem(path, f"this is an Argos {package_type!r} package, not a translation package")
            )
        for key in ("from_code", "to_code"):
            if not isinstance(metadata.get(key), str) or not metadata[key]:
                problems.append(_problem(path, f"{folder}/metadata.json has no {key}"))
        pair = (metadata.get("from_code"), metadata.get("to_code"))
        if (
            expect is not None
            and all(isinstance(code, str) and code for code in pair)
            and pair != tuple(expect)
        ):
            problems.append(
                _problem(
                    path,
                    f"wrong language pair: this package translates {pair[0]}→{pair[1]}, "
                    f"but {expect[0]}→{expect[1]} is needed",
                    f"use the translate-{expect[0]}_{expect[1]} package",
                )
            )
    if f"{folder}/model/model.bin" not in member_names:
        problems.append(
            _problem(
                path,
                f"not a valid Argos package: {folder}/model/model.bin (the CTranslate2 model) is missing",
            )
        )
    elif not _is_vocabulary_present(member_names, f"{folder}/model"):
        problems.append(
            _problem(path, f"not a valid Argos package: {folder}/model/ has no CTranslate2 vocabulary file")
        )
    if f"{folder}/sentencepiece.model" not in member_names:
        hint = None
        if f"{folder}/bpe.model" in member_names:
            hint = "packages tokenized with BPE (bpe.model) are not supported; use a sentencepiece one"
        problems.append(
            _problem(path, f"not a valid Argos package: {folder}/sentencepiece.model is missing", hint)
        )
    if problems:
        raise BriefgenError(problems)
    return folder, metadata


def validate_package_file(path: Path | str, expect: tuple[str, str] | None = ("ar", "en")) -> dict[str, Any]:
    """Check a .argosmodel before installing it and return its metadata.

    expect is the (from_code, to_code) pair the package must translate; None accepts any pair.
    Raises BriefgenError listing everything wrong with the file.
    """
    _folder, metadata = _inspect_package_file(Path(path), expect)
    return metadata


# --- installing ---


@contextmanager
def _argos_installing_into(packages_dir: Path) -> Iterator[Any]:
    """Import argostranslate.package with its install directory set to packages_dir.

    settings.package_data_dir was fixed when argostranslate.settings was first imported,
    possibly before ARGOS_PACKAGES_DIR was set; point it at today's value while installing.
    """
    # Imported here: install_from_path imports argostranslate.translate (torch, stanza: ~3 s).
    from argostranslate import package as argos_package
    from argostranslate import settings as argos_settings

    saved = argos_settings.package_data_dir
    argos_settings.package_data_dir = packages_dir
    try:
        yield argos_package
    finally:
        argos_settings.package_data_dir = saved


def install_from_file(path: Path | str, expect: tuple[str, str] | None = ("ar", "en")) -> ModelInfo:
    """Check a .argosmodel and install it with argostranslate.package.install_from_path."""
    path = Path(path)
    folder, _metadata = _inspect_package_file(path, expect)
    packages_dir = argos_packages_dir()
    installed_dir = packages_dir / folder
    if installed_dir.exists():
        # Argos unzips over an existing folder; files of the old version must not mix with the new.
        shutil.rmtree(installed_dir)
    packages_dir.mkdir(parents=True, exist_ok=True)
    with _argos_installing_into(packages_dir) as argos_package:
        try:
            argos_package.install_from_path(path)
        except Exception as error:  # argostranslate raises bare Exception
            raise BriefgenError(
                _problem(path, f"Argos Translate could not install the package: {error}")
            ) from error
    info = _read_installed(installed_dir)
    if info is None:
        raise BriefgenError(_problem(path, f"installed package not found in {installed_dir}"))
    return info


def _network_error(url: str, error: BaseException) -> BriefgenError:
    reason = getattr(error, "reason", None) or error
    return BriefgenError(
        Problem(
            f"downloading the Argos Translate model needs network access, and {url} "
            f"could not be reached ({reason})",
            hint=INSTALL_HINT,
        )
    )


def _fetch_package_index() -> list[dict[str, Any]]:
    url = _package_index_url()
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "briefgen"})
        with urllib.request.urlopen(request, timeout=NETWORK_TIMEOUT_SECONDS) as response:
            data = response.read()
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        raise _network_error(url, error) from error
    try:
        index = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise BriefgenError(
            Problem(f"the Argos package index at {url} is not valid JSON: {error}")
        ) from error
    if not isinstance(index, list):
        raise BriefgenError(Problem(f"the Argos package index at {url} is not a list of packages"))
    # Keep argostranslate's local copy of the index current, as update_package_index() would.
    local_index = argos_data_dir() / "index.json"
    try:
        local_index.parent.mkdir(parents=True, exist_ok=True)
        local_index.write_bytes(data)
    except OSError:
        pass  # only a cache for argospm; installing does not need it
    return [entry for entry in index if isinstance(entry, dict)]


def _download(url: str, destination: Path, progress: ProgressCallback | None) -> None:
    """Stream url to destination, reporting (bytes done, total bytes; 0 when unknown)."""
    request = urllib.request.Request(url, headers={"User-Agent": "briefgen"})
    with (
        urllib.request.urlopen(request, timeout=NETWORK_TIMEOUT_SECONDS) as response,
        destination.open("wb") as out,
    ):
        total = int(response.headers.get("Content-Length") or 0)
        done = 0
        if progress is not None:
            progress(done, total)
        while chunk := response.read(DOWNLOAD_CHUNK_BYTES):
            out.write(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    if total and done != total:
        raise OSError(f"download stopped after {done} of {total} bytes")


def install_from_index(
    progress: ProgressCallback | None = None, *, from_code: str = "ar", to_code: str = "en"
) -> ModelInfo:
    """Download the newest from_code→to_code package listed in the Argos index and install it.

    progress, if given, is called as the download goes with (bytes done, total bytes);
    total is 0 when the server does not say. Needs network access.
    """
    entries = [
        entry
        for entry in _fetch_package_index()
        if entry.get("type", "translate") == "translate"
        and entry.get("from_code") == from_code
        and entry.get("to_code") == to_code
    ]
    if not entries:
        raise BriefgenError(
            Problem(f"the Argos package index lists no {from_code}→{to_code} translation package")
        )
    entry = max(entries, key=lambda e: _version_key(str(e.get("package_version", ""))))
    links = [link for link in entry.get("links", []) if isinstance(link, str)]
    if not links:
        raise BriefgenError(
            Problem(f"the Argos package index gives no download link for {_argospm_name(entry)}")
        )
    with tempfile.TemporaryDirectory(prefix="briefgen-argos-") as work:
        download_path = Path(work) / f"{_argospm_name(entry)}.argosmodel"
        last_error: BaseException | None = None
        for link in links:  # mirrors: try each until one works
            try:
                _download(link, download_path, progress)
                break
            except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
                last_error = error
        else:
            assert last_error is not None
            raise _network_error(links[-1], last_error)
        return install_from_file(download_path, expect=(from_code, to_code))
