"""`briefgen models`: list and install the translation models that builds translate with:
Argos Translate packages, and CTranslate2 model directories (`--ct2`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefgen.config import TranslationSettings, load_config
from briefgen.translation.argos import (
    ModelInfo,
    ProgressCallback,
    argos_packages_dir,
    install_from_file,
    install_from_index,
    list_models,
)
from briefgen.translation.ct2 import Ct2Model, install_model_dir, list_ct2_models, models_dir
from briefgen.translation.engines import choose_engine

STYLE_NAMES = {"marian": "OPUS-MT/Marian", "nllb": "NLLB"}


@dataclass(frozen=True)
class InstalledModel:
    engine: str  # "argos" or "ct2", as site_config.yml's translation: engine names it
    model: ModelInfo | Ct2Model
    used_for_builds: bool  # the one `briefgen build` picks with this configuration

    @property
    def kind(self) -> str:
        """ar→en for an Argos package; the style for a CTranslate2 model."""
        if isinstance(self.model, Ct2Model):
            return STYLE_NAMES[self.model.style]
        return f"{self.model.from_code}→{self.model.to_code}"


def build_settings(config_path: Path | str | None) -> TranslationSettings:
    """The configuration's translation settings; the defaults when there is no such file."""
    if config_path is None or not Path(config_path).is_file():
        return TranslationSettings()
    return load_config(config_path).translation


def installed_models(config_path: Path | str | None = None) -> list[InstalledModel]:
    engine = choose_engine(build_settings(config_path))
    chosen = engine.model.path if engine is not None else None
    return [
        *(InstalledModel("argos", m, m.path == chosen) for m in list_models()),
        *(InstalledModel("ct2", m, m.path == chosen) for m in list_ct2_models()),
    ]


def install(file: Path | None = None, progress: ProgressCallback | None = None) -> ModelInfo:
    """Install the ar→en model from a local `.argosmodel` file, or else from the Argos index."""
    if file is not None:
        return install_from_file(file, expect=("ar", "en"))
    return install_from_index(progress)


def install_ct2(directory: Path, name: str | None = None) -> Ct2Model:
    """Check a CTranslate2 model directory and copy it into briefgen's models folder."""
    return install_model_dir(directory, name)


__all__ = [
    "STYLE_NAMES",
    "InstalledModel",
    "argos_packages_dir",
    "install",
    "install_ct2",
    "installed_models",
    "models_dir",
]
