"""Shared fixtures: throwaway copies of the real project, built for real with mkdocs."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
_NO_MODELS = pytest.StashKey[list[Path]]()


def pytest_configure(config: pytest.Config) -> None:
    # Hermetic by default: no translation model a developer installed may change what
    # builds do in tests. Tests that need one install it (see `argos_home`). Under xdist the
    # controller and each worker make and remove their own.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    # BRIEFGEN_MODELS_DIR likewise for CTranslate2 models (see `ct2_home`).
    empty = [Path(tempfile.mkdtemp(prefix=f"briefgen-no-models-{worker}-")) for _ in range(2)]
    os.environ["ARGOS_PACKAGES_DIR"] = str(empty[0])
    os.environ["BRIEFGEN_MODELS_DIR"] = str(empty[1])
    config.stash[_NO_MODELS] = empty


def pytest_unconfigure(config: pytest.Config) -> None:
    # Each run made its own: without this, every run leaves them behind in /tmp.
    for empty in config.stash.get(_NO_MODELS, []):
        shutil.rmtree(empty, ignore_errors=True)


def copy_project(dest: Path, *, with_content: bool = True) -> Path:
    """A copy of this repository's site: config, templates and (optionally) the seed content."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "site_config.yml", dest / "site_config.yml")
    shutil.copytree(REPO / "templates", dest / "templates")
    if with_content:
        shutil.copytree(REPO / "content", dest / "content")
    else:
        (dest / "content" / "articles").mkdir(parents=True)
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture
def empty_project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", with_content=False)


ArticleWriter = Callable[..., Path]


@pytest.fixture
def write_article(project: Path) -> ArticleWriter:
    def write(name: str, text: str | bytes) -> Path:
        path = project / "content" / "articles" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def seed_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the seed project, built once per session (per xdist worker): never change
    it; copy it (site/ and cache included) to try something on a built project."""
    from briefgen.commands.build import build

    root = copy_project(tmp_path_factory.mktemp("seed") / "project")
    build(root / "site_config.yml")
    return root


@pytest.fixture(scope="session")
def seed_site(seed_project: Path) -> Path:
    """The built seed project's site/ folder."""
    return seed_project / "site"


@pytest.fixture
def argos_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An isolated Argos data/config directory and an empty ARGOS_PACKAGES_DIR."""
    # HOME too: the first import of argostranslate (and onnxruntime under it) writes there.
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.delenv("SNAP", raising=False)
    packages_dir = tmp_path / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages_dir))
    return packages_dir


@pytest.fixture
def ct2_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty BRIEFGEN_MODELS_DIR, where `briefgen models install --ct2` installs."""
    models_dir = tmp_path / "ct2-models"
    monkeypatch.setenv("BRIEFGEN_MODELS_DIR", str(models_dir))
    return models_dir


def assert_config_problem(tmp_path: Path, setting: str, message: str) -> None:
    """A site_config.yml whose third line is `setting` fails to load, naming that line and `message`."""
    from briefgen.config import load_config
    from briefgen.errors import BriefgenError

    config = tmp_path / "site_config.yml"
    config.write_text(f"title: {{en: A, ar: ب}}\nsite_url: https://x.github.io/r/\n{setting}\n")
    with pytest.raises(BriefgenError) as error:
        load_config(config)
    assert "site_config.yml:3:" in str(error.value) and message in str(error.value)
