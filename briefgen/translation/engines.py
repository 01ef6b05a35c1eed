"""The translation engines: CTranslate2 runners for Argos packages and for CTranslate2 models.

Both run a CTranslate2 model with its sentencepiece tokenizer(s) on sentences we have
already split, many per call, offline; `choose_engine` picks one from `site_config.yml`.

argostranslate.translate.translate() is not usable here: it splits sentences with MiniSBD
or stanza, which download their models on first use, and importing it loads torch, stanza
and spacy (~3 s). ArgosEngine runs the package's own CTranslate2 model and sentencepiece
tokenizer directly, with the decoding options of argostranslate 1.11's
apply_packaged_translation(), on sentences we have already split, many per call.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from briefgen.config import DEFAULT_BATCH_TOKENS, TranslationSettings
from briefgen.errors import BriefgenError, Problem
from briefgen.translation.argos import ModelInfo
from briefgen.translation.ct2 import Ct2Model

if TYPE_CHECKING:
    import ctranslate2
    import sentencepiece

# What memory entries record as `engine`, and how pages name it.
ENGINE_NAME = "argos-ctranslate2"
CT2_ENGINE_NAME = "ct2"
ENGINE_LABELS = {ENGINE_NAME: "Argos Translate", CT2_ENGINE_NAME: "CTranslate2"}
# Fixed in argostranslate's apply_packaged_translation(); not settings.
ARGOS_LENGTH_PENALTY = 0.2
SENTENCEPIECE_SPACE = "\u2581"  # ▁
# The CTranslate2 engine's compute type, measured with benchmarks/translation_throughput.py
# (docs/translation.md has the table): int8 is what an int8-converted model runs at anyway
# ("auto" picks int8_float32, the same kernels) and makes a float32 one about 4x faster.
# Its batch size is the config's (DEFAULT_BATCH_TOKENS).
DEFAULT_COMPUTE_TYPE = "int8"


def _available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # honours CPU pinning in containers
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class ArgosEngine:
    """Offline Argos Translate package runner: CTranslate2 + sentencepiece, no sentence splitter."""

    def __init__(
        self, model: ModelInfo, beam_size: int = 4, batch_size: int = 32, threads: int | None = None
    ) -> None:
        """threads: batches translated in parallel (CTranslate2 inter_threads, one core each);
        None uses every core this process may run on."""
        if beam_size < 1 or batch_size < 1 or (threads is not None and threads < 1):
            raise ValueError("beam_size, batch_size and threads must be at least 1")
        self.model = model
        self.beam_size = beam_size
        self.batch_size = batch_size
        self.threads = threads or _available_cores()
        self._translator: ctranslate2.Translator | None = None
        self._tokenizer: sentencepiece.SentencePieceProcessor | None = None
        self._load_lock = threading.Lock()

    @property
    def engine_name(self) -> str:
        return ENGINE_NAME

    @property
    def model_label(self) -> str:
        return self.model.label

    def _load(self) -> tuple[ctranslate2.Translator, sentencepiece.SentencePieceProcessor]:
        with self._load_lock:
            if self._translator is None or self._tokenizer is None:
                # Imported lazily so that importing briefgen stays fast when nothing is translated.
                import ctranslate2
                import sentencepiece

                model_dir = self.model.path / "model"
                tokenizer_file = self.model.path / "sentencepiece.model"
                try:
                    self._tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(tokenizer_file))
                    # Measured on 2 cores: whole batches in parallel, one core each, beat
                    # splitting each batch's matrix work across cores (benchmarks/).
                    self._translator = ctranslate2.Translator(
                        str(model_dir),
                        device="cpu",
                        compute_type="auto",
                        inter_threads=self.threads,
                        intra_threads=1,
                    )
                except (OSError, RuntimeError, ValueError) as error:
                    raise BriefgenError(
                        Problem(
                            f"cannot load the Argos Translate model {self.model.label}: {error}",
                            path=self.model.path,
                            hint="reinstall the model package",
                        )
                    ) from error
            return self._translator, self._tokenizer

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translate each sentence; returns one string per input, in order."""
        if not sentences:
            return []
        translator, tokenizer = self._load()
        # Argos translates each line of a text separately and joins them with "\n".
        lines_per_sentence = [sentence.split("\n") for sentence in sentences]
        lines = [line for sentence_lines in lines_per_sentence for line in sentence_lines]
        tokenized = [tokenizer.encode(line, out_type=str) for line in lines]
        prefix = self.model.target_prefix
        results = translator.translate_iterable(
            iter(tokenized),
            # Argos passes the prefix as one token per sentence.
            target_prefix=[[prefix]] * len(tokenized) if prefix else None,
            # CTranslate2 sorts by length and splits into batches of this many sentences.
            max_batch_size=self.batch_size,
            batch_type="examples",
            beam_size=self.beam_size,
            num_hypotheses=1,
            length_penalty=ARGOS_LENGTH_PENALTY,
            replace_unknowns=True,
        )
        translated_lines = iter(self._detokenize(result.hypotheses[0], tokenizer) for result in results)
        return [
            # Same as Argos: joined lines with the leading blank ones dropped.
            "\n".join(next(translated_lines) for _ in sentence_lines).lstrip("\n")
            for sentence_lines in lines_per_sentence
        ]

    def _detokenize(self, tokens: list[str], tokenizer: sentencepiece.SentencePieceProcessor) -> str:
        """Turn output pieces into text exactly as argostranslate 1.11 does."""
        if self.model.target_prefix:
            # CTranslate2 echoes the forced prefix as the first output token. Argos instead
            # strips it from the decoded text, which fails when the prefix contains "_"
            # (underscores become spaces first); dropping the token gives Argos's intended
            # result in every case, and the same text whenever Argos's own stripping works.
            tokens = tokens[1:]
        # SentencePieceTokenizer.decode: pieces unknown to sentencepiece come back verbatim,
        # so Argos also turns their ▁ into spaces; it turns underscores into spaces too.
        text = tokenizer.decode_pieces(tokens).replace(SENTENCEPIECE_SPACE, " ").replace("_", " ")
        # apply_packaged_translation removes one space left at the start by the tokenizer.
        return text[1:] if text.startswith(" ") else text


class Ct2Engine:
    """A CTranslate2 model directory (OPUS-MT/Marian or NLLB style, see `translation.ct2`)."""

    def __init__(
        self,
        model: Ct2Model,
        beam_size: int = 4,
        batch_tokens: int = DEFAULT_BATCH_TOKENS,
        threads: int | None = None,
        compute_type: str = DEFAULT_COMPUTE_TYPE,
        intra_threads: int = 1,
    ) -> None:
        """batch_tokens: source tokens per batch (CTranslate2 max_batch_size, batch_type="tokens");
        threads: batches translated in parallel (inter_threads); None uses every core;
        intra_threads: cores each batch's matrix work is spread over."""
        if beam_size < 1 or batch_tokens < 1 or (threads is not None and threads < 1) or intra_threads < 1:
            raise ValueError("beam_size, batch_tokens and threads must be at least 1")
        self.model = model
        self.beam_size = beam_size
        self.batch_tokens = batch_tokens
        self.threads = threads or _available_cores()
        self.intra_threads = intra_threads
        self.compute_type = compute_type
        self._loaded: (
            tuple[
                ctranslate2.Translator,
                sentencepiece.SentencePieceProcessor,
                sentencepiece.SentencePieceProcessor,
            ]
            | None
        ) = None
        self._load_lock = threading.Lock()

    @property
    def engine_name(self) -> str:
        return CT2_ENGINE_NAME

    @property
    def model_label(self) -> str:
        return self.model.label

    def _load(
        self,
    ) -> tuple[
        ctranslate2.Translator, sentencepiece.SentencePieceProcessor, sentencepiece.SentencePieceProcessor
    ]:
        with self._load_lock:
            if self._loaded is None:
                import ctranslate2
                import sentencepiece

                try:
                    source = sentencepiece.SentencePieceProcessor(
                        model_file=str(self.model.path / self.model.source_spm)
                    )
                    target = (
                        source
                        if self.model.target_spm == self.model.source_spm
                        else sentencepiece.SentencePieceProcessor(
                            model_file=str(self.model.path / self.model.target_spm)
                        )
                    )
                    translator = ctranslate2.Translator(
                        str(self.model.path),
                        device="cpu",
                        compute_type=self.compute_type,
                        inter_threads=self.threads,
                        intra_threads=self.intra_threads,
                    )
                except (OSError, RuntimeError, ValueError) as error:
                    raise BriefgenError(
                        Problem(
                            f"cannot load the CTranslate2 model {self.model.label}: {error}",
                            path=self.model.path,
                            hint="install it again with `briefgen models install --ct2 DIR`",
                        )
                    ) from error
                self._loaded = (translator, source, target)
            return self._loaded

    def tokenize(self, line: str, source: sentencepiece.SentencePieceProcessor) -> list[str]:
        """The source pieces as the model was trained on them: Marian ends with </s>;
        NLLB also starts with the source language's token."""
        pieces = source.encode(line, out_type=str)
        prefix = [self.model.source_prefix] if self.model.source_prefix else []
        return [*prefix, *pieces, "</s>"]

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """Translate each sentence; returns one string per input, in order."""
        if not sentences:
            return []
        translator, source, target = self._load()
        # Each line of a sentence is translated on its own, as the Argos engine does.
        lines_per_sentence = [sentence.split("\n") for sentence in sentences]
        lines = [line for sentence_lines in lines_per_sentence for line in sentence_lines]
        prefix = self.model.target_prefix
        results = translator.translate_iterable(
            (self.tokenize(line, source) for line in lines),
            target_prefix=([prefix] for _ in lines) if prefix else None,
            # CTranslate2 reads ahead, sorts by length and cuts batches of this many tokens.
            max_batch_size=self.batch_tokens,
            batch_type="tokens",
            beam_size=self.beam_size,
            num_hypotheses=1,
        )
        translated = iter(self._detokenize(result.hypotheses[0], target) for result in results)
        return [
            "\n".join(next(translated) for _ in sentence_lines).strip()
            for sentence_lines in lines_per_sentence
        ]

    def _detokenize(self, tokens: list[str], target: sentencepiece.SentencePieceProcessor) -> str:
        if self.model.target_prefix and tokens[:1] == [self.model.target_prefix]:
            tokens = tokens[1:]  # CTranslate2 echoes the forced language token
        return target.decode_pieces([t for t in tokens if t != "<unk>"]).strip()


def choose_engine(settings: TranslationSettings) -> ArgosEngine | Ct2Engine | None:
    """The engine `site_config.yml` asks for, if its model is installed; None otherwise.
    Nothing is loaded until the engine first translates."""
    from briefgen.translation.argos import find_model
    from briefgen.translation.ct2 import find_ct2_model

    if settings.engine == "ct2":
        model = find_ct2_model(settings.model)
        if model is None:
            return None
        return Ct2Engine(model, beam_size=settings.beam_size, batch_tokens=settings.batch_tokens)
    argos = find_model("ar", "en", name=settings.model)
    if argos is None:
        return None
    return ArgosEngine(argos, beam_size=settings.beam_size, batch_size=settings.batch_size)
