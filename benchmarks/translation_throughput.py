"""Throughput of ArgosEngine (batched CTranslate2) against argostranslate's own translation path.

Builds a test model (tests/tiny_argos.py) into a temporary ARGOS_PACKAGES_DIR, makes Arabic
sentences by recombining sentences from content/articles, and times on the same model and
sentences:

  (a) ArgosEngine, all sentences in one call (batches of --batch-size);
  (b) ArgosEngine, one sentence per call (batching's share of the gain);
  (c) argostranslate's PackageTranslation.translate(), sentence by sentence, with only its
      sentence splitter bypassed (its own ones download models) and its own settings.

Each is run with CTranslate2 using every core (ArgosEngine's default; for Argos, its default
intra_threads=0) and with one thread, since threading gains vary a lot between machines.

--shape tiny is the test model (random 2-layer d=32: measures overheads only);
--shape base is Transformer-base like the argospm ar→en model (6+6 layers, d=512, 32k
vocabulary, int8), with outputs of about 36 tokens: random weights, real amount of work.

Usage: python benchmarks/translation_throughput.py [--shape tiny|base] [--sentences N]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ARTICLES_DIR = REPO / "content" / "articles"


def article_sentences() -> list[str]:
    """Arabic sentences of the seed articles, split naively on full stops."""
    sentences: list[str] = []
    for article in sorted(ARTICLES_DIR.glob("*.md")):
        text = article.read_text(encoding="utf-8")
        body = text.split("---", 2)[2] if text.startswith("---") else text
        for piece in re.split(r"[.\n]", body):
            piece = piece.strip()
            if len(piece.split()) >= 3 and re.search("[\u0600-\u06ff]", piece):
                sentences.append(piece + ".")
    return sentences


def recombined_sentences(count: int, seed: int = 0) -> list[str]:
    """count sentences, each the start of one article sentence joined to the end of another."""
    sources = article_sentences()
    rng = random.Random(seed)
    made: list[str] = []
    while len(made) < count:
        first, second = rng.sample(sources, 2)
        head, tail = first.split(), second.split()
        made.append(" ".join(head[: max(2, len(head) // 2)] + tail[len(tail) // 2 :]))
    return made


def timed(run: Callable[[], list[str]]) -> tuple[float, list[str]]:
    start = time.perf_counter()
    out = run()
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shape", choices=("tiny", "base"), default="tiny")
    parser.add_argument("--sentences", type=int, default=None, help="default: 300 (tiny), 64 (base)")
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    count = args.sentences or (300 if args.shape == "tiny" else 64)

    with tempfile.TemporaryDirectory(prefix="briefgen-bench-") as work:
        work_dir = Path(work)
        # Before anything imports argostranslate: its settings read these once, at import.
        os.environ["ARGOS_PACKAGES_DIR"] = str(work_dir / "packages")
        os.environ["HOME"] = str(work_dir / "home")
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            os.environ[name] = str(work_dir / "home" / name.lower())
        sys.path.insert(0, str(REPO))

        import argostranslate.settings

        from briefgen.translation.argos import install_from_file
        from briefgen.translation.engines import ArgosEngine
        from tests.tiny_argos import BASE, TINY, argos_reference_translation, build_tiny_argosmodel

        shape = BASE if args.shape == "base" else TINY
        model = install_from_file(build_tiny_argosmodel(work_dir / "build", shape=shape))
        sentences = recombined_sentences(count)
        words = sum(len(s.split()) for s in sentences)
        print(
            f"{args.shape} model ({model.label}), {len(sentences)} sentences, {words} words, {os.cpu_count()} cores"
        )

        results: dict[str, tuple[float, list[str]]] = {}
        for threads_label, threads in (("all cores", None), ("1 thread", 1)):
            engine = ArgosEngine(model, batch_size=args.batch_size, threads=threads)
            engine.translate(sentences[:2])  # load the model outside the timings
            results[f"(a) ArgosEngine batched, {threads_label}"] = timed(
                lambda engine=engine: engine.translate(sentences)
            )
            results[f"(b) ArgosEngine one per call, {threads_label}"] = timed(
                lambda engine=engine: [engine.translate([s])[0] for s in sentences]
            )
            # Argos makes its Translator from these settings on first use.
            argostranslate.settings.intra_threads = 0 if threads is None else threads
            argos = argos_reference_translation(model.path)
            argos.translate(sentences[0])
            results[f"(c) argostranslate one by one, {threads_label}"] = timed(
                lambda argos=argos: [argos.translate(s) for s in sentences]
            )

        for label, (seconds, _out) in results.items():
            print(f"{label:<40} {len(sentences) / seconds:9.2f} sentences/s")
        seconds = {label.split(",")[0][:3] + label.split(",")[1]: s for label, (s, _o) in results.items()}
        for threads_label in (" all cores", " 1 thread"):
            print(
                f"ratio (a)/(c),{threads_label}: {seconds['(c)' + threads_label] / seconds['(a)' + threads_label]:.1f}x"
                f"   (b)/(c): {seconds['(c)' + threads_label] / seconds['(b)' + threads_label]:.1f}x"
            )
        best_ours = min(seconds["(a) all cores"], seconds["(a) 1 thread"])
        print(
            f"ratio best (a) / Argos as installed ((c), all cores): {seconds['(c) all cores'] / best_ours:.1f}x"
        )
        # Padding in a batch changes the arithmetic slightly; near-ties (common with random
        # weights) can then decode differently. Report how often, rather than hide it.
        reference_label, (_seconds, reference) = next(iter(results.items()))
        for label, (_seconds, out) in results.items():
            differing = sum(ours != theirs for ours, theirs in zip(reference, out, strict=True))
            print(f"{label:<40} differs from {reference_label[:3]} all cores in {differing}/{len(sentences)}")


if __name__ == "__main__":
    main()
