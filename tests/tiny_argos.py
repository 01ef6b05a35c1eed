"""Build a tiny but genuine Argos Translate package (.argosmodel) for tests and benchmarks.

The real ar→en model cannot be downloaded here, so the test suite builds a stand-in that
has every part of a real package: a trained sentencepiece model, a CTranslate2 Transformer
(random but seeded weights, so its output is deterministic gibberish) and metadata.json,
zipped under one top-level folder exactly as argospm publishes them.
"""

from __future__ import annotations

import atexit
import io
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sentencepiece

# Special tokens OpenNMT puts first in a vocabulary; real Argos models use the same four.
SPECIAL_TOKENS = ["<blank>", "<unk>", "<s>", "</s>"]

# A few dozen news-like lines in both languages, enough for sentencepiece to learn pieces.
TRAINING_LINES_AR = [
    "أعلن الجيش الليبي السيطرة على مواقع جديدة غرب بنغازي.",
    "دارت اشتباكات عنيفة في محور القوارشة مساء أمس.",
    "قال المتحدث باسم القوات المسلحة إن المعارك مستمرة.",
    "استقبل الأمين العام للجامعة العربية رئيس مجلس النواب.",
    "أكدت مصادر محلية مقتل عدد من المسلحين في الاشتباكات.",
    "شنت الطائرات غارات جوية على مواقع التنظيم في درنة.",
    "طالبت الأمم المتحدة بوقف فوري لإطلاق النار في طرابلس.",
    "تقدمت القوات نحو عين زارة جنوب العاصمة طرابلس.",
    "أعلنت حكومة الوفاق الوطني حالة الطوارئ في المدينة.",
    "نزح آلاف المدنيين من الأحياء القريبة من خطوط القتال.",
    "قالت وزارة الصحة إن المستشفيات تعاني نقصا في الأدوية.",
    "وصل وفد من مجلس النواب إلى القاهرة لإجراء محادثات.",
    "أغلقت السلطات المعبر الحدودي مع تونس لأسباب أمنية.",
    "سقطت قذائف عشوائية على منازل المواطنين في حي السلماني.",
    "أكد المكتب الإعلامي للقيادة العامة استمرار العمليات العسكرية.",
    "تم تبادل الأسرى بين الطرفين بوساطة من أعيان المنطقة.",
    "دعا المجلس الرئاسي إلى الحوار وحل الأزمة بالطرق السلمية.",
    "ارتفعت أسعار الوقود والخبز في أسواق بنغازي هذا الأسبوع.",
    "أفاد شهود عيان بسماع دوي انفجارات قرب المطار.",
    "قتل قائد ميداني في اشتباكات مع عناصر تنظيم داعش.",
    "تسيطر قوات الجيش على الطريق الساحلي بين سرت ومصراتة.",
    "أعلنت شركة النفط الوطنية استئناف التصدير من ميناء رأس لانوف.",
    "تعهدت الدول المجاورة بدعم الاستقرار في ليبيا.",
    "ناقش المجتمعون الوضع الإنساني في مدينة درنة المحاصرة.",
]
TRAINING_LINES_EN = [
    "The Libyan army announced control of new positions west of Benghazi.",
    "Heavy clashes took place on the Qawarsha front last night.",
    "The armed forces spokesman said the battles were continuing.",
    "The Arab League secretary general received the speaker of parliament.",
    "Local sources confirmed that several gunmen were killed in the clashes.",
    "Aircraft carried out air strikes on the group's positions in Derna.",
    "The United Nations called for an immediate ceasefire in Tripoli.",
    "Forces advanced towards Ain Zara south of the capital Tripoli.",
    "The Government of National Accord declared a state of emergency.",
    "Thousands of civilians fled neighbourhoods close to the front lines.",
    "The health ministry said hospitals were short of medicines.",
    "A parliamentary delegation arrived in Cairo for talks.",
    "The authorities closed the border crossing with Tunisia for security reasons.",
    "Random shells fell on homes in the Salmani district.",
    "The general command's media office confirmed operations were continuing.",
    "Prisoners were exchanged between the two sides through local mediation.",
    "The Presidential Council called for dialogue and a peaceful solution.",
    "Fuel and bread prices rose in Benghazi markets this week.",
    "Witnesses reported hearing explosions near the airport.",
    "A field commander was killed in clashes with Islamic State fighters.",
    "Army forces control the coastal road between Sirte and Misrata.",
    "The National Oil Corporation announced exports would resume from Ras Lanuf.",
    "Neighbouring states pledged to support stability in Libya.",
    "The meeting discussed the humanitarian situation in besieged Derna.",
]

SENTENCEPIECE_VOCAB_SIZE = 300


@dataclass(frozen=True)
class ModelShape:
    """Size of the random Transformer. TINY is for tests; BASE approximates a real Argos model."""

    model_dim: int = 32
    ffn_dim: int = 64
    num_layers: int = 2
    num_heads: int = 2
    # Unused tokens appended to the vocabulary so the output layer costs what a real one does.
    extra_vocabulary: int = 0
    # Positive bias on </s> in the output projection so random weights still stop early.
    eos_bias: float = 5.5
    quantization: str | None = None  # e.g. "int8", as real Argos models are stored
    # Random weights give either one token or 256; with this set, </s> becomes likely from
    # about this position on, so every output is roughly this long, as in real translations.
    output_length: int | None = None


TINY = ModelShape()
# Transformer-base like the argospm ar→en model: 6+6 layers, d=512, ~32k vocabulary, int8.
BASE = ModelShape(
    model_dim=512,
    ffn_dim=2048,
    num_layers=6,
    num_heads=8,
    extra_vocabulary=32000,
    eos_bias=0.0,
    quantization="int8",
    output_length=36,
)
# Positions the decoder position table covers (CTranslate2 decodes at most 256 by default).
MAX_POSITIONS = 1024


def train_sentencepiece(lines: list[str], *, user_symbols: list[str] | None = None) -> bytes:
    """Train a small sentencepiece model in memory and return its serialized bytes."""
    model_bytes = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model_bytes,
        vocab_size=SENTENCEPIECE_VOCAB_SIZE,
        character_coverage=1.0,
        model_type="unigram",
        # The corpus is tiny: let sentencepiece stop below the vocab size instead of failing.
        hard_vocab_limit=False,
        user_defined_symbols=user_symbols or [],
        num_threads=1,
        minloglevel=2,
    )
    return model_bytes.getvalue()


def vocabulary_from_sentencepiece(model_bytes: bytes) -> list[str]:
    """OpenNMT-style vocabulary: the four special tokens, then every ordinary sentencepiece piece."""
    processor = sentencepiece.SentencePieceProcessor(model_proto=model_bytes)
    pieces = [
        processor.id_to_piece(piece_id)
        for piece_id in range(processor.get_piece_size())
        # sentencepiece's own <unk>/<s>/</s> are already covered by SPECIAL_TOKENS.
        if not (processor.is_control(piece_id) or processor.is_unknown(piece_id))
    ]
    return SPECIAL_TOKENS + pieces


def _random_weights(rng: np.random.Generator, out_dim: int, in_dim: int) -> np.ndarray:
    # Standard deviation 1.7/sqrt(in_dim) keeps activations (and logits) alike at every size.
    scale = 0.3 * np.sqrt(32 / in_dim)
    return (rng.standard_normal((out_dim, in_dim)) * scale).astype(np.float32)


def _sinusoidal_positions(length: int, dim: int) -> np.ndarray:
    """The Transformer's usual sine/cosine position table."""
    half = dim // 2
    rates = np.exp(-np.log(10000.0) * np.arange(half) / max(half - 1, 1))
    angles = np.arange(length)[:, None] * rates[None, :]
    return np.concatenate([np.sin(angles), np.cos(angles)], axis=1).astype(np.float32)


def _fill_layer_norm(layer_norm: Any, dim: int) -> None:
    layer_norm.gamma = np.ones(dim, dtype=np.float32)
    layer_norm.beta = np.zeros(dim, dtype=np.float32)


def _fill_linear(rng: np.random.Generator, linear: Any, out_dim: int, in_dim: int) -> None:
    linear.weight = _random_weights(rng, out_dim, in_dim)
    linear.bias = np.zeros(out_dim, dtype=np.float32)


def _fill_feed_forward(rng: np.random.Generator, ffn: Any, shape: ModelShape) -> None:
    _fill_layer_norm(ffn.layer_norm, shape.model_dim)
    _fill_linear(rng, ffn.linear_0, shape.ffn_dim, shape.model_dim)
    _fill_linear(rng, ffn.linear_1, shape.model_dim, shape.ffn_dim)


def _fill_self_attention(rng: np.random.Generator, attention: Any, dim: int) -> None:
    # CTranslate2 self-attention: one fused QKV projection, then the output projection.
    _fill_layer_norm(attention.layer_norm, dim)
    _fill_linear(rng, attention.linear[0], 3 * dim, dim)
    _fill_linear(rng, attention.linear[1], dim, dim)


def _fill_cross_attention(rng: np.random.Generator, attention: Any, dim: int) -> None:
    # Encoder-decoder attention: Q, fused KV, output.
    _fill_layer_norm(attention.layer_norm, dim)
    _fill_linear(rng, attention.linear[0], dim, dim)
    _fill_linear(rng, attention.linear[1], 2 * dim, dim)
    _fill_linear(rng, attention.linear[2], dim, dim)


def save_ctranslate2_model(
    model_dir: Path,
    vocabulary: list[str],
    *,
    target_prefix: str | None = None,
    shape: ModelShape = TINY,
    seed: int = 1234,
) -> None:
    """Write a pre-norm Transformer with seeded random weights to model_dir."""
    # Imported here: ctranslate2.specs imports torch when it is installed, which is slow.
    from ctranslate2.specs import TransformerSpec

    rng = np.random.default_rng(seed)
    spec = TransformerSpec.from_config(shape.num_layers, shape.num_heads)
    real_size = len(vocabulary)
    vocabulary = vocabulary + [f"<unused{i}>" for i in range(shape.extra_vocabulary)]
    dim = shape.model_dim

    encoder = spec.encoder
    encoder.embeddings[0].weight = _random_weights(rng, len(vocabulary), dim)
    _fill_layer_norm(encoder.layer_norm, dim)
    for layer in encoder.layer:
        _fill_self_attention(rng, layer.self_attention, dim)
        _fill_feed_forward(rng, layer.ffn, shape)

    decoder = spec.decoder
    decoder.embeddings.weight = _random_weights(rng, len(vocabulary), dim)
    if target_prefix:
        # Make the forced prefix look like a second start token, so that random weights do not
        # end every prefixed translation right after the prefix.
        decoder.embeddings.weight[vocabulary.index(target_prefix)] = decoder.embeddings.weight[
            vocabulary.index("<s>")
        ]
    _fill_layer_norm(decoder.layer_norm, dim)
    for layer in decoder.layer:
        _fill_self_attention(rng, layer.self_attention, dim)
        _fill_cross_attention(rng, layer.attention, dim)
        _fill_feed_forward(rng, layer.ffn, shape)
    _fill_linear(rng, decoder.projection, len(vocabulary), dim)
    eos = vocabulary.index("</s>")
    decoder.projection.bias[eos] = shape.eos_bias
    if shape.output_length:
        # Dimension 0 of the decoder's position encoding becomes a ramp crossing zero at
        # output_length, and </s> reads only that dimension.
        positions = _sinusoidal_positions(MAX_POSITIONS, dim)
        ramp = 20.0 * (np.arange(MAX_POSITIONS) - shape.output_length) / shape.output_length
        positions[:, 0] = np.clip(ramp, -20.0, 20.0)
        decoder.position_encodings.encodings = positions
        decoder.projection.weight[eos] = 0.0
        decoder.projection.weight[eos, 0] = 2.0
    decoder.projection.bias[real_size:] = -30.0  # never produce the padding tokens

    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    if shape.quantization:
        spec.optimize(quantization=shape.quantization)
    model_dir.mkdir(parents=True, exist_ok=True)  # spec.save needs an existing directory
    spec.save(str(model_dir))


def _zip_folder(folder: Path, archive: Path) -> None:
    """Zip folder so that the archive holds exactly one top-level folder, as argospm does."""
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for path in sorted(folder.rglob("*")):
            zipped.write(path, path.relative_to(folder.parent).as_posix())


def build_package_folder(
    folder: Path,
    *,
    from_code: str = "ar",
    to_code: str = "en",
    package_version: str = "0.1",
    target_prefix: str | None = None,
    name: str = "tiny-ar-en",
    shape: ModelShape = TINY,
) -> Path:
    """Build the unzipped package (metadata.json, sentencepiece.model, model/) in folder."""
    folder.mkdir(parents=True, exist_ok=True)
    # A target prefix must be a single token known to both sentencepiece and the model.
    user_symbols = [target_prefix] if target_prefix else []
    sp_model = train_sentencepiece(TRAINING_LINES_AR + TRAINING_LINES_EN, user_symbols=user_symbols)
    (folder / "sentencepiece.model").write_bytes(sp_model)
    save_ctranslate2_model(
        folder / "model", vocabulary_from_sentencepiece(sp_model), target_prefix=target_prefix, shape=shape
    )
    metadata: dict[str, str] = {
        "package_version": package_version,
        "argos_version": "1.11",
        "from_code": from_code,
        "from_name": {"ar": "Arabic", "en": "English"}.get(from_code, from_code),
        "to_code": to_code,
        "to_name": {"ar": "Arabic", "en": "English"}.get(to_code, to_code),
        "type": "translate",
        "name": name,
    }
    if target_prefix:
        metadata["target_prefix"] = target_prefix
    (folder / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    return folder


def build_tiny_argosmodel(
    dest_dir: Path,
    *,
    from_code: str = "ar",
    to_code: str = "en",
    package_version: str = "0.1",
    target_prefix: str | None = None,
    name: str = "tiny-ar-en",
    shape: ModelShape = TINY,
) -> Path:
    """Build <dest_dir>/<name>.argosmodel and return its path (a few tenths of a second for TINY)."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        folder = build_package_folder(
            Path(work) / name,
            from_code=from_code,
            to_code=to_code,
            package_version=package_version,
            target_prefix=target_prefix,
            name=name,
            shape=shape,
        )
        archive = dest_dir / f"{name}.argosmodel"
        _zip_folder(folder, archive)
    return archive


def build_corrupt_argosmodel(dest_dir: Path, name: str = "corrupt") -> Path:
    """A file with the right extension that is a truncated zip, like an interrupted download."""
    good = build_tiny_argosmodel(dest_dir / "_for_corrupt", name=name)
    data = good.read_bytes()
    corrupt = dest_dir / f"{name}.argosmodel"
    corrupt.write_bytes(data[: len(data) // 2])
    shutil.rmtree(dest_dir / "_for_corrupt")
    return corrupt


def build_wrong_language_argosmodel(dest_dir: Path, name: str = "tiny-en-fr") -> Path:
    """A valid package for the wrong language pair (en→fr)."""
    return build_tiny_argosmodel(dest_dir, from_code="en", to_code="fr", name=name)


def build_argosmodel_without(dest_dir: Path, missing: str, name: str = "incomplete") -> Path:
    """A package whose folder lacks one part ("sentencepiece.model", "model/model.bin", "metadata.json")."""
    with tempfile.TemporaryDirectory() as work:
        folder = build_package_folder(Path(work) / name, name=name)
        (folder / missing).unlink()
        archive = dest_dir / f"{name}.argosmodel"
        dest_dir.mkdir(parents=True, exist_ok=True)
        _zip_folder(folder, archive)
    return archive


_built: dict[tuple[object, ...], Path] = {}


def cached_tiny_argosmodel(**options: str | None) -> Path:
    """build_tiny_argosmodel, built once per process for each set of options.

    Lets several test modules share one build without a conftest fixture.
    """
    key = tuple(sorted(options.items()))
    if key not in _built:
        root = Path(tempfile.mkdtemp(prefix="tiny-argos-"))
        atexit.register(shutil.rmtree, root, True)
        _built[key] = build_tiny_argosmodel(root, **options)  # type: ignore[arg-type]
    return _built[key]


def untranslated_article(*more_paragraphs: str) -> str:
    """An article the seed project has no translation of: a title and two sentences, then `more_paragraphs`."""
    first = "أعلن الجيش الليبي تقدمه في منطقة قنفودة غرب بنغازي. وقالت مصادر عسكرية إن الاشتباكات استمرت حتى المساء."
    body = "\n\n".join([first, *more_paragraphs])
    return f"""\
---
title: الجيش يتقدم في قنفودة
source: Test Wire
published: 2016-12-02
---

{body}
"""


class _WholeParagraph:
    """A sentence splitter that does not split."""

    def split_sentences(self, text: str) -> list[str]:
        return [text]


def argos_reference_translation(package_dir: Path) -> Any:
    """argostranslate's own PackageTranslation for an installed package, usable offline.

    Only the sentence splitter is replaced: in argostranslate 1.11 the default (MiniSBD)
    and stanza download their models on first use, and ARGOS_CHUNK_TYPE=NONE raises
    NotImplementedError. Tokenizing, translate_batch and detokenizing are Argos's own.
    Importing argostranslate.translate loads torch, stanza and spacy (~3 s).
    """
    from argostranslate import package, translate

    class UnsplitPackageTranslation(translate.PackageTranslation):
        def __init__(self, pkg: package.Package) -> None:
            self.from_lang = translate.Language(pkg.from_code, pkg.from_name)
            self.to_lang = translate.Language(pkg.to_code, pkg.to_name)
            self.pkg = pkg
            self.translator = None  # created by hypotheses() from argostranslate.settings
            self.sentencizer = _WholeParagraph()

    return UnsplitPackageTranslation(package.Package(package_dir))
