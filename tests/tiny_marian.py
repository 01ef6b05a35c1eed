"""Tiny but genuine CTranslate2 translation models, made at test time, offline.

- OPUS-MT/Marian style: a Hugging Face `MarianMTModel` with random (seeded) weights and
  SentencePiece models trained here on the seed project's Arabic and English, converted
  with CTranslate2's own `TransformersConverter`, exactly as a real opus-mt-ar-en would be.
- NLLB style: one SentencePiece model and a CTranslate2 Transformer whose vocabulary holds
  the `arb_Arab`/`eng_Latn` language tokens (`tests/tiny_argos.py`'s writer).

Building imports torch and transformers (~5 s), so models are cached on disk, shared by the
xdist workers through a file lock and keyed by this file and the library versions: the
suite pays for them once, not once per test or per worker.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from importlib.metadata import version
from pathlib import Path

import yaml
from filelock import FileLock

from tests.tiny_argos import (
    TRAINING_LINES_AR,
    TRAINING_LINES_EN,
    save_ctranslate2_model,
    train_sentencepiece,
    vocabulary_from_sentencepiece,
)

REPO = Path(__file__).resolve().parents[1]
# On random weights a higher bias on </s> ends every output within a few tokens.
EOS_BIAS = 3.0


def training_lines() -> tuple[list[str], list[str]]:
    """A few hundred lines: the seed project's reviewed translations and tiny_argos's lines."""
    arabic, english = list(TRAINING_LINES_AR), list(TRAINING_LINES_EN)
    for path in sorted((REPO / "content" / "translations").glob("*.yml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]:
            arabic.append(entry["ar"])
            english.append(entry["en"])
    return arabic, english


def _marian_vocabulary(source_spm: bytes, target_spm: bytes) -> dict[str, int]:
    """What OPUS-MT's vocab.json holds: </s>, <unk>, both sides' pieces, <pad> last."""
    import sentencepiece

    vocabulary = {"</s>": 0, "<unk>": 1}
    for model in (source_spm, target_spm):
        processor = sentencepiece.SentencePieceProcessor(model_proto=model)
        for piece_id in range(processor.get_piece_size()):
            if not (processor.is_control(piece_id) or processor.is_unknown(piece_id)):
                vocabulary.setdefault(processor.id_to_piece(piece_id), len(vocabulary))
    vocabulary["<pad>"] = len(vocabulary)
    return vocabulary


def build_marian(dest: Path, *, seed: int = 0, d_model: int = 32, layers: int = 1) -> Path:
    """A converted OPUS-MT-style model directory at dest (model.bin, vocabulary, *.spm)."""
    import torch
    from ctranslate2.converters import TransformersConverter
    from transformers import MarianConfig, MarianMTModel

    arabic, english = training_lines()
    source_spm, target_spm = train_sentencepiece(arabic), train_sentencepiece(english)
    with tempfile.TemporaryDirectory(prefix="tiny-marian-hf-") as work:
        hf_dir = Path(work)
        (hf_dir / "source.spm").write_bytes(source_spm)
        (hf_dir / "target.spm").write_bytes(target_spm)
        vocabulary = _marian_vocabulary(source_spm, target_spm)
        (hf_dir / "vocab.json").write_text(json.dumps(vocabulary, ensure_ascii=False), encoding="utf-8")
        (hf_dir / "tokenizer_config.json").write_text(
            json.dumps({"source_lang": "ar", "target_lang": "en", "tokenizer_class": "MarianTokenizer"}),
            encoding="utf-8",
        )
        torch.manual_seed(seed)
        config = MarianConfig(
            vocab_size=len(vocabulary),
            d_model=d_model,
            encoder_layers=layers,
            decoder_layers=layers,
            encoder_attention_heads=2,
            decoder_attention_heads=2,
            encoder_ffn_dim=2 * d_model,
            decoder_ffn_dim=2 * d_model,
            max_position_embeddings=256,
            pad_token_id=vocabulary["<pad>"],
            eos_token_id=vocabulary["</s>"],
            decoder_start_token_id=vocabulary["<pad>"],
            forced_eos_token_id=vocabulary["</s>"],
            init_std=0.2,
        )
        model = MarianMTModel(config).eval()
        with torch.no_grad():
            model.final_logits_bias[0, vocabulary["</s>"]] = EOS_BIAS
        model.save_pretrained(hf_dir)
        TransformersConverter(str(hf_dir), copy_files=["source.spm", "target.spm"]).convert(str(dest))
    return dest


NLLB_SPM = "sentencepiece.bpe.model"


def build_nllb_style(dest: Path, *, seed: int = 0) -> Path:
    """An NLLB-style CTranslate2 directory: one SentencePiece model, language tokens."""
    arabic, english = training_lines()
    spm = train_sentencepiece(arabic + english)
    vocabulary = [*vocabulary_from_sentencepiece(spm), "arb_Arab", "eng_Latn"]
    save_ctranslate2_model(dest, vocabulary, target_prefix="eng_Latn", seed=seed)
    (dest / NLLB_SPM).write_bytes(spm)
    return dest


BUILDERS = {"marian": build_marian, "nllb": build_nllb_style}


def _cache_root() -> Path:
    versions = [version(name) for name in ("ctranslate2", "transformers", "torch", "sentencepiece")]
    key = hashlib.sha256(Path(__file__).read_bytes() + Path(REPO / "tests" / "tiny_argos.py").read_bytes())
    key.update(" ".join(versions).encode())
    return Path(tempfile.gettempdir()) / f"briefgen-tiny-ct2-{key.hexdigest()[:12]}"


def cached_model(style: str = "marian", seed: int = 0) -> Path:
    """The model directory for (style, seed), built once for every test process on this machine.
    Never change it: copy it first."""
    root = _cache_root()
    root.mkdir(parents=True, exist_ok=True)
    final = root / f"{style}-{seed}"
    with FileLock(str(root / f"{style}-{seed}.lock")):
        if not (final / "model.bin").is_file():
            shutil.rmtree(final, ignore_errors=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{style}-{seed}-", dir=root))
            BUILDERS[style](staging / "model", seed=seed)
            (staging / "model").rename(final)
            shutil.rmtree(staging)
    return final


def model_copy(dest: Path, style: str = "marian", seed: int = 0) -> Path:
    """A private copy of the cached model, to install or break."""
    shutil.copytree(cached_model(style, seed), dest)
    return dest
