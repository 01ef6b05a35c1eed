"""`briefgen models`: list and install the Argos Translate models that builds translate with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefgen.translation.argos import (
    ModelInfo,
    ProgressCallback,
    argos_packages_dir,
    find_model,
    install_from_file,
    install_from_index,
    list_models,
)


@dataclass(frozen=True)
class InstalledModel:
    model: ModelInfo
    used_for_builds: bool  # the one `briefgen build` picks for ar→en


def installed_models() -> list[InstalledModel]:
    chosen = find_model("ar", "en")
    return [InstalledModel(m, chosen is not None and m.path == chosen.path) for m in list_models()]


def install(file: Path | None = None, progress: ProgressCallback | None = None) -> ModelInfo:
    """Install the ar→en model from a local `.argosmodel` file, or else from the Argos index."""
    if file is not None:
        return install_from_file(file, expect=("ar", "en"))
    return install_from_index(progress)


__all__ = ["InstalledModel", "argos_packages_dir", "install", "installed_models"]
