"""CTranslate2 models beside Argos packages, on tiny but genuine models made here (tests/tiny_marian.py):
an OPUS-MT/Marian one converted from transformers with random weights, and an NLLB-style one."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.commands.build import build
from briefgen.errors import BriefgenError
from briefgen.memory import ArticleMemory, MemoryEntry, load_memory, save_memory, sentence_key
from briefgen.pipeline.split import split
from briefgen.pipeline.translate import is_stale, translate_article
from briefgen.readers import parse_article
from briefgen.translation.ct2 import METADATA_FILE, Ct2Model, inspect_model_dir, list_ct2_models
from briefgen.translation.engines import Ct2Engine
from tests.htmlcheck import page_file
from tests.test_no_network import NetworkGuard, no_network  # noqa: F401 (a fixture)
from tests.tiny_argos import untranslated_article
from tests.tiny_marian import cached_model, model_copy

ARABIC = [
    "أعلن الجيش الليبي السيطرة على مواقع جديدة غرب بنغازي.",
    "قال المتحدث باسم القوات المسلحة إن المعارك مستمرة.",
    "دارت اشتباكات عنيفة في محور القوارشة مساء أمس",
    "سطر أول\nسطر ثان",
    "نزح آلاف المدنيين.",
]
NEW_SLUG = "2016-12-02-ganfouda-push"
NEW_ARTICLE = untranslated_article("تقدم في قنفودة", "وأكد المسماري أن العمليات ستتواصل.")


@pytest.fixture(scope="module")
def marian() -> Ct2Model:
    return inspect_model_dir(cached_model("marian"))


@pytest.fixture(scope="module")
def nllb() -> Ct2Model:
    return inspect_model_dir(cached_model("nllb"))


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


# --- the engine ---


def test_marian_directory_is_recognised(marian: Ct2Model) -> None:
    assert (marian.style, marian.source_spm, marian.target_spm) == ("marian", "source.spm", "target.spm")
    assert marian.source_prefix is None and marian.target_prefix is None
    assert len(marian.fingerprint) == 12 and marian.label == f"{marian.name} {marian.fingerprint}"


def test_marian_engine_translates_each_sentence_deterministically(marian: Ct2Model) -> None:
    first = Ct2Engine(marian).translate(ARABIC)
    assert len(first) == len(ARABIC) and all(isinstance(text, str) and text for text in first)
    assert Ct2Engine(marian).translate(ARABIC) == first  # a fresh engine, the same English
    assert Ct2Engine(marian, threads=1).translate(ARABIC) == Ct2Engine(marian, threads=2).translate(ARABIC)
    assert "\n" in first[3]  # each line translated on its own, as the Argos engine does
    assert Ct2Engine(marian).translate([]) == []


def test_batching_gives_the_same_output_as_one_sentence_at_a_time(marian: Ct2Model) -> None:
    engine = Ct2Engine(marian)
    batched = engine.translate(ARABIC * 4)
    assert batched == [engine.translate([sentence])[0] for sentence in ARABIC * 4]
    assert Ct2Engine(marian, batch_tokens=16).translate(ARABIC * 4) == batched


def test_a_different_model_translates_differently(marian: Ct2Model) -> None:
    other = inspect_model_dir(cached_model("marian", seed=1))
    assert other.fingerprint != marian.fingerprint
    assert Ct2Engine(other).translate(ARABIC) != Ct2Engine(marian).translate(ARABIC)


def test_nllb_directory_gets_language_tokens(nllb: Ct2Model) -> None:
    assert (nllb.style, nllb.source_spm, nllb.target_spm) == (
        "nllb",
        "sentencepiece.bpe.model",
        "sentencepiece.bpe.model",
    )
    assert (nllb.source_prefix, nllb.target_prefix) == ("arb_Arab", "eng_Latn")
    engine = Ct2Engine(nllb)
    _translator, source, _target = engine._load()
    tokens = engine.tokenize("أعلن الجيش", source)
    assert tokens[0] == "arb_Arab" and tokens[-1] == "</s>" and len(tokens) > 3
    english = engine.translate(ARABIC)
    assert len(english) == len(ARABIC)
    # CTranslate2 echoes the forced eng_Latn: it never reaches the English.
    assert not any("eng_Latn" in text or "eng Latn" in text for text in english)


def test_separate_source_and_target_vocabularies_work_like_a_shared_one(
    marian: Ct2Model, tmp_path: Path
) -> None:
    separate = model_copy(tmp_path / "separate")
    shared = separate / "shared_vocabulary.json"
    shutil.copy(shared, separate / "target_vocabulary.json")
    shared.rename(separate / "source_vocabulary.json")
    model = inspect_model_dir(separate)
    assert model.style == "marian"
    assert Ct2Engine(model).translate(ARABIC) == Ct2Engine(marian).translate(ARABIC)


def test_a_model_that_cannot_load_fails_on_first_use_with_a_clear_error(
    marian: Ct2Model, tmp_path: Path
) -> None:
    engine = Ct2Engine(replace(marian, path=tmp_path / "gone"))  # loading is lazy: no error yet
    with pytest.raises(BriefgenError) as error:
        engine.translate(["نص"])
    assert f"cannot load the CTranslate2 model {marian.label}" in str(error.value)
    assert "models install --ct2" in str(error.value)


def test_bad_engine_settings_are_refused(marian: Ct2Model) -> None:
    for bad in ({"beam_size": 0}, {"batch_tokens": 0}, {"threads": 0}):
        with pytest.raises(ValueError):
            Ct2Engine(marian, **bad)  # type: ignore[arg-type]


# --- the stage: which entries another engine or model wrote ---


class FakeEngine:
    def __init__(self, engine_name: str, model_label: str) -> None:
        self.engine_name, self.model_label = engine_name, model_label
        self.asked: list[str] = []

    def translate(self, sentences: list[str]) -> list[str]:
        self.asked += sentences
        return [f"{self.model_label}: {s}" for s in sentences]


def test_switching_model_retranslates_machine_entries_and_never_reviewed_ones(tmp_path: Path) -> None:
    path = tmp_path / f"{NEW_SLUG}.md"
    path.write_text(NEW_ARTICLE, encoding="utf-8")
    article = split(parse_article(path, NEW_ARTICLE, frozenset()))
    translated = translate_article(article, None, FakeEngine("ct2", "one 111")).translation
    assert translated is not None
    units = list(translated.units)
    entries = [MemoryEntry(u.key, "sentence", u.ar, u.en or "", "machine", u.engine, u.model) for u in units]
    reviewed = entries[1] = MemoryEntry(units[1].key, "sentence", units[1].ar, "Edited.", "reviewed")
    memory = ArticleMemory(article.slug, tuple(entries))

    same = FakeEngine("ct2", "one 111")
    kept = translate_article(article, memory, same).translation
    assert same.asked == []  # nothing to do: every entry is this model's or reviewed
    assert kept is not None and [u.en for u in kept.units] == [e.en for e in entries]

    for other in (FakeEngine("ct2", "two 222"), FakeEngine("argos-ctranslate2", "one 111")):
        again = translate_article(article, memory, other).translation
        assert again is not None
        assert other.asked == [u.ar for u in units if u.key != reviewed.key]
        assert [u.en for u in again.units if u.origin == "reviewed"] == ["Edited."]
        assert {(u.engine, u.model) for u in again.units if u.origin == "machine"} == {
            (other.engine_name, other.model_label)
        }
    assert all(u.key == sentence_key(u.ar) for u in units)


def test_is_stale_never_for_reviewed_entries() -> None:
    engine = FakeEngine("ct2", "m 1")
    entry = MemoryEntry("k", "sentence", "نص", "Text.", "machine", "ct2", "m 1")
    assert not is_stale(entry, engine)
    assert is_stale(replace(entry, model="m 2"), engine)
    assert is_stale(replace(entry, engine=None, model=None), engine)  # machine, from who knows where
    assert not is_stale(replace(entry, origin="reviewed", model="m 2"), engine)


# --- installing and choosing, through the command line ---


def test_install_copies_the_directory_and_list_shows_both_kinds(
    argos_home: Path, ct2_home: Path, project: Path, tmp_path: Path
) -> None:
    from tests.tiny_argos import cached_tiny_argosmodel

    source = model_copy(tmp_path / "tiny-marian")
    code, output = invoke("models", "install", "--ct2", str(source))
    assert code == 0, output
    installed = ct2_home / "tiny-marian"
    model = inspect_model_dir(source)
    assert f"Installed tiny-marian {model.fingerprint} (OPUS-MT/Marian) in {installed}" in output
    assert "engine: ct2, model: tiny-marian" in output
    assert (installed / "model.bin").read_bytes() == (source / "model.bin").read_bytes()
    assert json.loads((installed / METADATA_FILE).read_text())["style"] == "marian"
    shutil.rmtree(source)  # a copy: the original may go
    assert [m.label for m in list_ct2_models()] == [model.label]
    assert invoke("models", "install", "--file", str(cached_tiny_argosmodel()))[0] == 0

    config = project / "site_config.yml"
    code, listing = invoke("models", "list", "--config", str(config))
    assert code == 0, listing
    assert f"CTranslate2 models (engine: ct2, in {ct2_home}):" in listing
    assert "* ar→en  translate-ar_en 0.1" in listing  # the project's engine is argos
    assert f"  OPUS-MT/Marian  {model.label}  {installed}" in listing

    config.write_text(
        config.read_text(encoding="utf-8").replace("  engine: argos\n", "  engine: ct2\n"), encoding="utf-8"
    )
    listing = invoke("models", "list", "--config", str(config))[1]
    assert f"* OPUS-MT/Marian  {model.label}" in listing and "  ar→en  translate-ar_en 0.1" in listing

    # Installing another model under the same name replaces it whole.
    code, output = invoke(
        "models", "install", "--ct2", str(cached_model("marian", seed=1)), "--name", "tiny-marian"
    )
    assert code == 0, output
    (replaced,) = list_ct2_models()
    assert replaced.fingerprint == inspect_model_dir(cached_model("marian", seed=1)).fingerprint
    assert sorted(p.name for p in ct2_home.iterdir()) == ["tiny-marian"]  # no staging left


def test_an_nllb_directory_installs_through_the_cli(ct2_home: Path, tmp_path: Path) -> None:
    code, output = invoke("models", "install", "--ct2", str(cached_model("nllb")), "--name", "tiny-nllb")
    assert code == 0, output
    assert "(NLLB)" in output
    (model,) = list_ct2_models()
    assert (model.name, model.style, model.target_prefix) == ("tiny-nllb", "nllb", "eng_Latn")


def test_install_options_that_do_not_go_together_are_refused(tmp_path: Path) -> None:
    code, output = invoke("models", "install", "--name", "x")
    assert code == 2 and "--name goes with --ct2" in output
    argosmodel = tmp_path / "x.argosmodel"
    argosmodel.write_bytes(b"")
    code, output = invoke("models", "install", "--file", str(argosmodel), "--ct2", str(tmp_path))
    assert code == 2 and "either --file or --ct2" in output


def test_a_configured_ct2_model_that_is_not_installed_leaves_english_pending(
    ct2_home: Path, project: Path, write_article
) -> None:
    config = project / "site_config.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  engine: argos\n", "  engine: ct2\n  model: opus-mt-ar-en\n"
        ),
        encoding="utf-8",
    )
    write_article(f"{NEW_SLUG}.md", NEW_ARTICLE)
    result = CliRunner().invoke(cli, ["build", "--strict", "--config", str(config)])
    assert result.exit_code == 1
    assert "the CTranslate2 model 'opus-mt-ar-en' is not installed" in result.output
    assert "briefgen models install --ct2 DIR" in result.output


# --- acceptance: offline, through the CLI, under the network-refusing audit hook ---


def _configure(config: Path, model: str) -> None:
    text = config.read_text(encoding="utf-8")
    start = text.index("translation:\n")
    config.write_text(text[:start] + f"translation:\n  engine: ct2\n  model: {model}\n", encoding="utf-8")


def test_a_tiny_marian_installed_with_ct2_translates_a_new_article_offline(
    argos_home: Path,
    ct2_home: Path,
    project: Path,
    write_article,
    tmp_path: Path,
    no_network: NetworkGuard,  # noqa: F811 (the fixture imported above)
) -> None:
    for name, seed in (("tiny-marian", 0), ("tiny-marian-2", 1)):
        code, output = invoke("models", "install", "--ct2", str(model_copy(tmp_path / name, seed=seed)))
        assert code == 0, output
    first, second = (inspect_model_dir(ct2_home / name) for name in ("tiny-marian", "tiny-marian-2"))
    config = project / "site_config.yml"
    _configure(config, "tiny-marian")
    translations = project / "content" / "translations"
    seeds_before = {p.name: p.read_bytes() for p in translations.glob("*.yml")}
    write_article(f"{NEW_SLUG}.md", NEW_ARTICLE)

    result = build(config)
    assert no_network.attempts == []
    assert result.translated == 5  # the title, three sentences and the cross-head
    memory_file = translations / f"{NEW_SLUG}.yml"
    memory = load_memory(memory_file, NEW_SLUG)
    assert [e.origin for e in memory.entries] == ["machine"] * 5
    assert {(e.engine, e.model) for e in memory.entries} == {("ct2", first.label)}
    assert f"engine: ct2\n  model: {first.label}\n" in memory_file.read_text(encoding="utf-8")
    english = page_file(result.site_dir, f"articles/{NEW_SLUG}/").read_text(encoding="utf-8")
    assert f"Machine translation (CTranslate2, {first.label})" in english

    # An editor reviews one sentence; the site switches to the other model.
    entries = list(memory.entries)
    entries[1] = replace(
        entries[1], en="The army advanced in Ganfouda.", origin="reviewed", engine=None, model=None
    )
    save_memory(memory_file, replace(memory, entries=tuple(entries)))
    _configure(config, "tiny-marian-2")
    result = build(config)
    assert result.translated == 4  # every machine entry, not the reviewed one
    after = load_memory(memory_file, NEW_SLUG)
    assert after.entries[1] == entries[1]
    machine = [e for e in after.entries if e.origin == "machine"]
    assert len(machine) == 4 and {(e.engine, e.model) for e in machine} == {("ct2", second.label)}
    assert [e.en for e in machine] == Ct2Engine(second).translate([e.ar for e in machine])

    # Back to the first model with nothing else changed: the cached article is translated again.
    _configure(config, "tiny-marian")
    result = build(config)
    assert result.translated == 4 and NEW_SLUG in result.reprocessed
    assert {
        (e.engine, e.model) for e in load_memory(memory_file, NEW_SLUG).entries if e.origin == "machine"
    } == {("ct2", first.label)}
    assert load_memory(memory_file, NEW_SLUG).entries[1] == entries[1]
    # The seed articles' memories (all reviewed) are never touched.
    assert {
        p.name: p.read_bytes() for p in translations.glob("*.yml") if p.name in seeds_before
    } == seeds_before
    assert no_network.attempts == []
