"""CTranslate2 translation models: check a converted model directory and install it.

A CTranslate2 model directory (what `ct2-transformers-converter` writes) holds `model.bin`,
`config.json` and the vocabulary, and, copied beside them, the SentencePiece model(s) that
cut text into the vocabulary's pieces. Two styles are understood:

- OPUS-MT / Marian (e.g. Helsinki-NLP/opus-mt-ar-en): `source.spm` and `target.spm`, a
  shared vocabulary or a source and a target one; the source ends with `</s>`.
- NLLB (e.g. facebook/nllb-200-distilled-600M): one SentencePiece model
  (`sentencepiece.bpe.model`) for both sides, and language tokens in the vocabulary: the
  source starts with `arb_Arab`, the target is forced to start with `eng_Latn`.

Installed models are copies, in briefgen's own models folder (`models_dir`): one folder per
model, named after it, with `briefgen-model.json` recording its style and a fingerprint of
its weights, so that the translation memory can tell which model an entry came from.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from briefgen.errors import BriefgenError, Problem
from briefgen.fileio import reporting_os_errors

MODELS_DIR_ENV = "BRIEFGEN_MODELS_DIR"
METADATA_FILE = "briefgen-model.json"
METADATA_VERSION = 1

Style = Literal["marian", "nllb"]
MARIAN_SOURCE_SPM = "source.spm"
MARIAN_TARGET_SPM = "target.spm"
# What the NLLB checkpoints on the Hugging Face hub call their SentencePiece model.
NLLB_SPM = "sentencepiece.bpe.model"
NLLB_SOURCE_LANGUAGE = "arb_Arab"  # FLORES-200 code of Modern Standard Arabic
NLLB_TARGET_LANGUAGE = "eng_Latn"
SPM_SUFFIXES = (".spm", ".model")
VOCABULARY_STEMS = ("shared_vocabulary", "source_vocabulary", "target_vocabulary")
MODEL_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
FINGERPRINT_CHARS = 12

CONVERT_HINT = (
    "convert the model on a machine with a network: ct2-transformers-converter --model "
    "Helsinki-NLP/opus-mt-ar-en --output_dir DIR --quantization int8 "
    "--copy_files source.spm target.spm (see docs/translation.md)"
)


@dataclass(frozen=True)
class Ct2Model:
    """A CTranslate2 model directory, checked: its style and how to tokenize for it."""

    name: str
    path: Path
    style: Style
    source_spm: str  # file names inside path
    target_spm: str
    source_prefix: str | None  # a token put before every source sentence (NLLB's language)
    target_prefix: str | None  # the token every translation is forced to start with
    fingerprint: str  # the start of model.bin's SHA-256: tells two models of one name apart

    @property
    def label(self) -> str:
        """How memory entries and pages name the model, e.g. "opus-mt-ar-en 3f2a9c1b07d4"."""
        return f"{self.name} {self.fingerprint}"


def models_dir() -> Path:
    """Where `briefgen models install --ct2` puts models: $BRIEFGEN_MODELS_DIR if set, else
    briefgen/models under the user data folder ($XDG_DATA_HOME, default ~/.local/share)."""
    if os.environ.get(MODELS_DIR_ENV):
        return Path(os.environ[MODELS_DIR_ENV])
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "briefgen" / "models"


# --- checking a directory ---


def _read_vocabulary(path: Path) -> list[str]:
    if path.suffix == ".json":
        tokens = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(tokens, list):
            raise ValueError("not a JSON list of tokens")
        return [str(token) for token in tokens]
    return path.read_text(encoding="utf-8").splitlines()


def _vocabularies(directory: Path, problems: list[Problem]) -> tuple[list[str], list[str]] | None:
    """(source tokens, target tokens), or None with the problem recorded."""
    found = {
        stem: next(
            (
                directory / f"{stem}{ext}"
                for ext in (".json", ".txt")
                if (directory / f"{stem}{ext}").is_file()
            ),
            None,
        )
        for stem in VOCABULARY_STEMS
    }
    if found["shared_vocabulary"] is not None:
        files = (found["shared_vocabulary"], found["shared_vocabulary"])
    elif found["source_vocabulary"] is not None and found["target_vocabulary"] is not None:
        files = (found["source_vocabulary"], found["target_vocabulary"])
    else:
        problems.append(
            Problem(
                "no CTranslate2 vocabulary: expected shared_vocabulary.json, or source_vocabulary.json "
                "and target_vocabulary.json (or .txt)",
                path=directory,
                hint=CONVERT_HINT,
            )
        )
        return None
    try:
        return _read_vocabulary(files[0]), _read_vocabulary(files[1])
    except (OSError, UnicodeDecodeError, ValueError) as error:
        problems.append(Problem(f"the vocabulary cannot be read: {error}", path=files[0], hint=CONVERT_HINT))
        return None


def _check_spm(path: Path, problems: list[Problem]) -> None:
    import sentencepiece

    try:
        sentencepiece.SentencePieceProcessor(model_file=str(path))
    except (OSError, RuntimeError, ValueError):
        problems.append(
            Problem(
                "not a SentencePiece model (it cannot be loaded)",
                path=path,
                hint="copy it again from the model's original files (the converter's --copy_files does)",
            )
        )


def _style(
    directory: Path, vocabularies: tuple[list[str], list[str]] | None, problems: list[Problem]
) -> tuple[Style, str, str, str | None, str | None] | None:
    """(style, source spm, target spm, source prefix, target prefix) from the files present."""
    has_source = (directory / MARIAN_SOURCE_SPM).is_file()
    has_target = (directory / MARIAN_TARGET_SPM).is_file()
    if has_source or has_target:
        if not (has_source and has_target):
            missing = MARIAN_TARGET_SPM if has_source else MARIAN_SOURCE_SPM
            problems.append(
                Problem(
                    f"{missing} is missing: an OPUS-MT/Marian model needs both {MARIAN_SOURCE_SPM} "
                    f"and {MARIAN_TARGET_SPM}",
                    path=directory,
                    hint=f"copy {missing} from the original model (the converter's --copy_files does)",
                )
            )
            return None
        for name in (MARIAN_SOURCE_SPM, MARIAN_TARGET_SPM):
            _check_spm(directory / name, problems)
        return ("marian", MARIAN_SOURCE_SPM, MARIAN_TARGET_SPM, None, None)
    candidates = sorted(p.name for p in directory.iterdir() if p.is_file() and p.suffix in SPM_SUFFIXES)
    if not candidates:
        problems.append(
            Problem(
                f"no SentencePiece model: expected {MARIAN_SOURCE_SPM} and {MARIAN_TARGET_SPM} "
                f"(OPUS-MT/Marian) or one {NLLB_SPM} (NLLB)",
                path=directory,
                hint="copy them from the original model: --copy_files source.spm target.spm, "
                f"or --copy_files {NLLB_SPM}, when converting",
            )
        )
        return None
    if len(candidates) > 1:
        chosen = NLLB_SPM if NLLB_SPM in candidates else None
        if chosen is None:
            problems.append(
                Problem(
                    f"several SentencePiece models ({', '.join(candidates)}) and none is {NLLB_SPM} "
                    f"or {MARIAN_SOURCE_SPM}/{MARIAN_TARGET_SPM}: which one to use is unclear",
                    path=directory,
                    hint="keep only the model's own SentencePiece file(s)",
                )
            )
            return None
    else:
        chosen = candidates[0]
    _check_spm(directory / chosen, problems)
    if vocabularies is not None:
        source, target = vocabularies
        absent = [
            token
            for token, tokens in ((NLLB_SOURCE_LANGUAGE, source), (NLLB_TARGET_LANGUAGE, target))
            if token not in tokens
        ]
        if absent:
            problems.append(
                Problem(
                    f"one SentencePiece model ({chosen}) makes this an NLLB-style model, but its "
                    f"vocabulary has no {' or '.join(absent)} language token",
                    path=directory,
                    hint=f"an NLLB model needs {NLLB_SOURCE_LANGUAGE} and {NLLB_TARGET_LANGUAGE}; "
                    f"an OPUS-MT model needs {MARIAN_SOURCE_SPM} and {MARIAN_TARGET_SPM}",
                )
            )
            return None
    return ("nllb", chosen, chosen, NLLB_SOURCE_LANGUAGE, NLLB_TARGET_LANGUAGE)


def fingerprint_of(model_bin: Path) -> str:
    digest = hashlib.sha256()
    with model_bin.open("rb") as weights:
        while chunk := weights.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()[:FINGERPRINT_CHARS]


def inspect_model_dir(path: Path | str, name: str | None = None) -> Ct2Model:
    """Check a CTranslate2 model directory; raise BriefgenError listing everything wrong with it."""
    directory = Path(path)
    if not directory.exists():
        raise BriefgenError(Problem("model directory not found", path=directory))
    if not directory.is_dir():
        raise BriefgenError(
            Problem(
                "not a directory: --ct2 takes the folder a CTranslate2 conversion wrote",
                path=directory,
                hint="for an Argos .argosmodel file use --file",
            )
        )
    name = name or directory.resolve().name
    problems: list[Problem] = []
    if not MODEL_NAME.match(name):
        problems.append(
            Problem(
                f"{name!r} cannot name a model: use letters, digits, '.', '_' and '-' (at most 100)",
                path=directory,
                hint="give another name with --name",
            )
        )
    with reporting_os_errors():
        if not (directory / "model.bin").is_file():
            hint = CONVERT_HINT
            if any((directory / f).is_file() for f in ("model.safetensors", "pytorch_model.bin")):
                hint = "this is a Hugging Face Transformers model, not a CTranslate2 one: " + CONVERT_HINT
            problems.append(
                Problem("model.bin (the CTranslate2 model) is missing", path=directory, hint=hint)
            )
        config_file = directory / "config.json"
        if not config_file.is_file():
            problems.append(
                Problem(
                    "config.json (the CTranslate2 model's settings) is missing",
                    path=directory,
                    hint=CONVERT_HINT,
                )
            )
        else:
            try:
                config = json.loads(config_file.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, ValueError) as error:
                config = None
                problems.append(Problem(f"not valid JSON: {error}", path=config_file, hint=CONVERT_HINT))
            if config is not None and not isinstance(config, dict):
                problems.append(Problem("must hold a JSON object", path=config_file, hint=CONVERT_HINT))
        vocabularies = _vocabularies(directory, problems)
        style = _style(directory, vocabularies, problems)
        if problems:
            raise BriefgenError(problems)
        assert style is not None
        return Ct2Model(name, directory, *style, fingerprint=fingerprint_of(directory / "model.bin"))


# --- installed models ---


def _metadata(model: Ct2Model) -> str:
    fields = asdict(model)
    del fields["path"]
    return json.dumps({"briefgen_model": METADATA_VERSION, **fields}, indent=2) + "\n"


def _read_installed(directory: Path) -> Ct2Model | None:
    try:
        fields = json.loads((directory / METADATA_FILE).read_text(encoding="utf-8"))
        fields.pop("briefgen_model")
        model = Ct2Model(path=directory, **fields)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # not a model briefgen installed, or a damaged one
    if model.style not in ("marian", "nllb") or not (directory / "model.bin").is_file():
        return None
    return model


def list_ct2_models() -> list[Ct2Model]:
    """The installed CTranslate2 models, by name."""
    root = models_dir()
    if not root.is_dir():
        return []
    found = (_read_installed(p) for p in sorted(root.iterdir()) if p.is_dir() and not p.name.startswith("."))
    return [model for model in found if model is not None]


def find_ct2_model(name: str | None = None) -> Ct2Model | None:
    """The installed model of this name; without a name, the first by name."""
    models = list_ct2_models()
    if name is None:
        return models[0] if models else None
    return next((model for model in models if model.name == name), None)


def install_model_dir(path: Path | str, name: str | None = None) -> Ct2Model:
    """Check a CTranslate2 model directory and copy it into `models_dir()`, replacing a model
    of the same name only once the copy is complete."""
    checked = inspect_model_dir(path, name)
    root = models_dir()
    destination = root / checked.name
    with reporting_os_errors():
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{checked.name}.", dir=root))
        try:
            copied = staging / "model"
            shutil.copytree(checked.path, copied, symlinks=False)
            (copied / METADATA_FILE).write_text(_metadata(checked), encoding="utf-8")
            if destination.exists():
                destination.rename(staging / "old")
            copied.rename(destination)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    installed = _read_installed(destination)
    assert installed is not None, "just written"
    return installed
