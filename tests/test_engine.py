"""ArgosEngine on a tiny but genuine Argos package: structure, determinism, Argos parity, isolation.

The tiny model's weights are random, so its output is gibberish: these tests check
structure and equality between runs and with argostranslate, never words.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from briefgen.errors import BriefgenError
from briefgen.translation import argos as models
from briefgen.translation.engines import ArgosEngine
from tests.tiny_argos import argos_reference_translation, cached_tiny_argosmodel

ARABIC_SENTENCES = [
    "أعلن الجيش الليبي السيطرة على مواقع جديدة غرب بنغازي.",
    "دارت اشتباكات عنيفة في محور القوارشة.",
    "قال المتحدث باسم القوات المسلحة إن المعارك مستمرة حتى الآن.",
    "طالبت الأمم المتحدة بوقف فوري لإطلاق النار.",
    "نزح آلاف المدنيين",
    "تقدمت القوات نحو عين زارة جنوب العاصمة طرابلس، وسط قصف متبادل.",
    "سطر أول\nسطر ثان",
    "",
    "Tripoli 2019",
    "وصل وفد إلى القاهرة لإجراء محادثات مع مسؤولين مصريين حول الأزمة الليبية.",
] * 4


@pytest.fixture(scope="module")
def packages_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("argos-packages")


def install(packages_dir: Path, **options: str) -> models.ModelInfo:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARGOS_PACKAGES_DIR", str(packages_dir))
        # Installing imports argostranslate, which (on first import) makes directories in HOME.
        home = packages_dir.parent / f"{packages_dir.name}-home"
        patch.setenv("HOME", str(home))
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            patch.setenv(name, str(home / name.lower()))
        return models.install_from_file(cached_tiny_argosmodel(**options))


@pytest.fixture(scope="module")
def tiny_model(packages_dir: Path) -> models.ModelInfo:
    return install(packages_dir)


@pytest.fixture(scope="module")
def prefixed_model(tmp_path_factory: pytest.TempPathFactory) -> models.ModelInfo:
    # A prefix without underscores: argostranslate's own stripping works for it.
    return install(tmp_path_factory.mktemp("prefixed"), name="tiny-prefix", target_prefix="<2en>")


@pytest.fixture(scope="module")
def underscore_prefixed_model(tmp_path_factory: pytest.TempPathFactory) -> models.ModelInfo:
    # The "__xx__" style: argostranslate turns its underscores into spaces before stripping it.
    return install(
        tmp_path_factory.mktemp("underscore-prefixed"), name="tiny-underscore-prefix", target_prefix="__en__"
    )


def argos_translations(model: models.ModelInfo, sentences: list[str]) -> list[str]:
    """argostranslate's own translation path, one sentence at a time (see tiny_argos)."""
    translation = argos_reference_translation(model.path)
    return [translation.translate(sentence) for sentence in sentences]


def test_labels(tiny_model: models.ModelInfo) -> None:
    engine = ArgosEngine(tiny_model)
    assert engine.engine_name == "argos-ctranslate2"
    assert engine.model_label == "translate-ar_en 0.1"


def test_one_string_per_sentence_and_deterministic(tiny_model: models.ModelInfo) -> None:
    engine = ArgosEngine(tiny_model)
    first = engine.translate(ARABIC_SENTENCES)
    assert len(first) == len(ARABIC_SENTENCES)
    assert all(isinstance(text, str) for text in first)
    assert any(text for text in first)
    assert engine.translate(ARABIC_SENTENCES) == first
    assert ArgosEngine(tiny_model).translate(ARABIC_SENTENCES) == first
    # Same sentence, same translation, wherever it sits in the batch.
    assert first[: len(first) // 4] * 4 == first


def test_batch_size_does_not_change_output(tiny_model: models.ModelInfo) -> None:
    by_batch_size = {
        size: ArgosEngine(tiny_model, batch_size=size).translate(ARABIC_SENTENCES) for size in (1, 7, 32)
    }
    assert by_batch_size[1] == by_batch_size[7] == by_batch_size[32]


def test_lines_are_translated_separately(tiny_model: models.ModelInfo) -> None:
    engine = ArgosEngine(tiny_model)
    first, second = engine.translate(["سطر أول", "سطر ثان"])
    assert engine.translate(["سطر أول\nسطر ثان"]) == [f"{first}\n{second}".lstrip("\n")]


def test_empty_input(tiny_model: models.ModelInfo) -> None:
    engine = ArgosEngine(tiny_model)
    assert engine.translate([]) == []
    assert engine.translate([""]) == [""]


def test_no_leading_space(tiny_model: models.ModelInfo) -> None:
    assert not any(text.startswith(" ") for text in ArgosEngine(tiny_model).translate(ARABIC_SENTENCES))


def test_same_output_as_argostranslate(tiny_model: models.ModelInfo) -> None:
    sentences = sorted(set(ARABIC_SENTENCES))
    assert ArgosEngine(tiny_model).translate(sentences) == argos_translations(tiny_model, sentences)


def test_target_prefix_is_forced_and_stripped_as_argostranslate_does(
    tiny_model: models.ModelInfo, prefixed_model: models.ModelInfo
) -> None:
    sentences = sorted(set(ARABIC_SENTENCES))
    ours = ArgosEngine(prefixed_model).translate(sentences)
    assert any(ours)
    assert ours == argos_translations(prefixed_model, sentences)
    assert not any(text.startswith("<2en>") for text in ours)
    # Forcing the prefix changes what the decoder produces next.
    assert ours != ArgosEngine(tiny_model).translate(sentences)


def test_underscore_target_prefix_is_stripped_cleanly(underscore_prefixed_model: models.ModelInfo) -> None:
    sentences = [s for s in sorted(set(ARABIC_SENTENCES)) if s and "\n" not in s]
    ours = ArgosEngine(underscore_prefixed_model).translate(sentences)
    theirs = argos_translations(underscore_prefixed_model, sentences)
    assert any(ours)
    for our_text, argos_text in zip(ours, theirs, strict=True):
        # argostranslate leaves "  en  " in front; the rest of the text is the same.
        assert argos_text.split()[0] == "en"
        assert argos_text.split()[1:] == our_text.split()
        assert not our_text.startswith((" ", "en", "__en__"))


def test_missing_model_files_fail_on_first_use_with_a_clear_error(
    tiny_model: models.ModelInfo, tmp_path: Path
) -> None:
    engine = ArgosEngine(replace(tiny_model, path=tmp_path / "gone"))  # loading is lazy: no error yet
    with pytest.raises(BriefgenError) as error:
        engine.translate(["نص"])
    assert "cannot load the Argos Translate model translate-ar_en 0.1" in str(error.value)


def test_bad_settings_are_refused(tiny_model: models.ModelInfo) -> None:
    with pytest.raises(ValueError):
        ArgosEngine(tiny_model, batch_size=0)
    with pytest.raises(ValueError):
        ArgosEngine(tiny_model, beam_size=0)
    with pytest.raises(ValueError):
        ArgosEngine(tiny_model, threads=0)


def test_thread_count_does_not_change_output(tiny_model: models.ModelInfo) -> None:
    assert ArgosEngine(tiny_model, threads=1).translate(ARABIC_SENTENCES) == ArgosEngine(
        tiny_model, threads=2
    ).translate(ARABIC_SENTENCES)


ISOLATION_SCRIPT = textwrap.dedent(
    """
    import json, sys

    socket_events = []

    def audit(event, args):
        if event.startswith("socket."):
            socket_events.append(event)
            if event in ("socket.connect", "socket.getaddrinfo", "socket.sendto"):
                raise RuntimeError(f"network use: {event} {args!r}")

    sys.addaudithook(audit)

    from briefgen.translation.engines import ArgosEngine
    from briefgen.translation.argos import find_model

    model = find_model("ar", "en")
    translations = ArgosEngine(model).translate(json.loads(sys.stdin.read()))
    heavy = ["torch", "stanza", "spacy", "minisbd", "onnxruntime", "argostranslate"]
    print(json.dumps({
        "label": model.label,
        "translations": translations,
        "loaded": sorted(name for name in sys.modules if name.split(".")[0] in heavy),
        "socket_events": socket_events,
    }))
    """
)


def test_engine_run_loads_nothing_heavy_and_opens_no_socket(
    tiny_model: models.ModelInfo, packages_dir: Path
) -> None:
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(packages_dir)}
    completed = subprocess.run(
        [sys.executable, "-c", ISOLATION_SCRIPT],
        input=json.dumps(ARABIC_SENTENCES),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)
    assert report["label"] == "translate-ar_en 0.1"
    # Not even argostranslate.package: the build path reads metadata.json itself.
    assert report["loaded"] == []
    assert report["socket_events"] == []
    # And a fresh process gives the very same translations.
    assert report["translations"] == ArgosEngine(tiny_model).translate(ARABIC_SENTENCES)
