"""The `briefgen` command line: parse arguments, call the library, report.

Heavy modules (mkdocs, argostranslate) are imported inside the commands so that
`briefgen --help` stays instant.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from briefgen import __version__
from briefgen.errors import BriefgenError
from briefgen.fileio import os_error_problem

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

config_option = click.option(
    "--config",
    "-f",
    "config_path",
    default="site_config.yml",
    show_default=True,
    # Not readable=True: briefgen itself says why it cannot read the file, and exits 1.
    type=click.Path(dir_okay=False, readable=False),
    help="The site configuration file.",
)


def fixture_file_option(flag: str, param: str, default: str, help_text: str) -> Callable[[F], F]:
    """An eval command's option naming an existing file of hand-made answers (default: the test fixture)."""
    return click.option(
        flag,
        param,
        default=default,
        show_default=True,
        type=click.Path(exists=True, dir_okay=False),
        help=help_text,
    )


# The build's own options, shared by `build` and `serve` (which builds before serving).
out_option = click.option(
    "--out",
    "-d",
    type=click.Path(readable=False),
    help="Output folder (default: from the config).",
)
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")

force_option = click.option(
    "--force",
    is_flag=True,
    help="Replace an existing output folder that briefgen did not build (what it holds is deleted).",
)


def _say_waiting(message: str) -> None:
    click.echo(f"{message}…", err=True)


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    for name in ("briefgen", "mkdocs"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO if verbose else logging.WARNING)
        logger.propagate = False


def _run(call: Callable[[], T], verbose: bool = False) -> T:
    """Call the library with logging set up; report its problems and exit 1 on failure.

    A file system failure the library did not report itself (a folder that cannot be
    written, a full disk) is reported the same way, naming the file: never a traceback."""
    _setup_logging(verbose)
    try:
        return call()
    except BriefgenError as exc:
        _fail(exc)
    except OSError as exc:
        _fail(BriefgenError(os_error_problem(exc)))


def _fail(exc: BriefgenError) -> NoReturn:
    count = len(exc.problems)
    click.secho(f"Error: {count} problem{'s' if count != 1 else ''} found:", fg="red", err=True)
    for problem in exc.problems:
        click.echo(f"  {problem}", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
def cli() -> None:
    """Build bilingual (Arabic/English) briefing sites from Arabic news articles.

    \b
    Typical use, from the project folder:
      briefgen check     validate content and configuration
      briefgen build     build the site into site/
    """


@cli.command()
@config_option
@out_option
@strict_option
@click.option(
    "--clean", is_flag=True, help="Empty the article cache first, so that every article is processed again."
)
@force_option
@click.option("--verbose", "-v", is_flag=True, help="Show mkdocs' progress messages.")
def build(config_path: str, out: str | None, strict: bool, clean: bool, force: bool, verbose: bool) -> None:
    """Build the site. A failed build leaves the previous site in place.

    Only articles that changed since the last build are processed again (the cache is in
    .briefgen/cache/). One build of a project runs at a time; another waits for it."""
    from briefgen.commands.build import build as build_site

    result = _run(
        lambda: build_site(
            config_path, out=out, strict=strict, clean=clean, force=force, on_wait=_say_waiting
        ),
        verbose=verbose,
    )
    click.echo(
        f"Built {result.articles} articles ({len(result.reprocessed)} reprocessed"
        + (f", {len(result.relinked)} re-linked to the gazetteer" if result.relinked else "")
        + f"; {result.pages} pages) into {result.site_dir}"
        + (
            f", machine-translated {result.translated} new sentence(s) and heading(s)"
            if result.translated
            else ""
        )
        + (f" with {len(result.warnings)} warning(s)" if result.warnings else "")
    )
    if result.replaced_foreign:
        click.echo(f"Deleted what {result.site_dir} held before (not a briefgen site; --force).")


@cli.command()
@config_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option("--port", "-p", default=8000, show_default=True, type=int, help="Port (0 picks a free one).")
@out_option
@strict_option
@click.option("--no-reload", is_flag=True, help="Don't reload open pages after a rebuild.")
@force_option
@click.option("--verbose", "-v", is_flag=True, help="Show mkdocs' progress messages.")
def serve(
    config_path: str,
    host: str,
    port: int,
    out: str | None,
    strict: bool,
    no_reload: bool,
    force: bool,
    verbose: bool,
) -> None:
    """Build, serve the site locally and rebuild when content, templates or config change.

    A failed rebuild reports its problems and keeps serving the last good site."""
    from briefgen.commands.serve import BuildOutcome
    from briefgen.commands.serve import serve as serve_site

    def report(outcome: BuildOutcome) -> None:
        if outcome.result is not None:
            click.echo(f"Built {outcome.result.articles} articles in {outcome.seconds:.1f} s")
            return
        count = len(outcome.problems)
        click.secho(f"Error: {count} problem{'s' if count != 1 else ''} found:", fg="red", err=True)
        for problem in outcome.problems:
            click.echo(f"  {problem}", err=True)
        click.echo("Still serving the last good site; fix the problem and save to rebuild.", err=True)

    _run(
        lambda: serve_site(
            config_path,
            host=host,
            port=port,
            out=out,
            strict=strict,
            force=force,
            live_reload=not no_reload,
            on_build=report,
            on_ready=lambda url: click.echo(f"Serving on {url} (Ctrl-C to stop)"),
        ),
        verbose=verbose,
    )
    click.echo("Stopped.")


@cli.command()
@config_option
def check(config_path: str) -> None:
    """Validate configuration, articles and templates; build nothing."""
    from briefgen.commands.check import check as check_project

    result = _run(lambda: check_project(config_path))
    click.echo(f"OK: {result.articles} articles, {result.sentences} sentences, no problems found.")


@cli.command()
@config_option
def events(config_path: str) -> None:
    """List the machine's events no editor has reviewed yet, newest first (see docs/events.md)."""
    from briefgen.commands.events import unreviewed_events

    found = _run(lambda: unreviewed_events(config_path))
    for item in found:
        date = item.date.isoformat() if item.date else "?"
        places = ", ".join(item.places) or "-"
        click.echo(f"{date}  {item.precision}  {item.type}  {places}  {item.reference}  ({item.where})")
        click.echo(f"    {item.ar}")
    click.echo(f"{len(found)} event(s) to review.")


@cli.command()
@config_option
@click.option("--title", required=True, help="The Arabic headline.")
@click.option("--title-en", default=None, help="The English headline, if the editor has one.")
@click.option(
    "--date",
    "published",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Publication date, YYYY-MM-DD.",
)
@click.option("--source", required=True, help="The outlet, as English readers know it.")
@click.option("--url", default=None, help="The original article's address.")
@click.option("--source-ar", default=None, help="The outlet's Arabic name.")
@click.option(
    "--slug",
    default=None,
    help="File name without .md (default: <date>-<headline words>, from --title-en or the Arabic "
    "title transliterated, known places and actors in English).",
)
@click.option(
    "--body-file",
    type=click.File("rb"),
    default=None,
    help="The Arabic text ('-' for standard input); otherwise a placeholder to replace.",
)
def new(
    config_path: str,
    title: str,
    title_en: str | None,
    published: Any,
    source: str,
    url: str | None,
    source_ar: str | None,
    slug: str | None,
    body_file: Any,
) -> None:
    """Create content/articles/<slug>.md with its front matter filled in."""
    from briefgen.commands.new import new_article
    from briefgen.yamlio import decode_utf8

    body = None
    if body_file:
        shown = Path(str(getattr(body_file, "name", "<stdin>")))
        body = _run(lambda: decode_utf8(body_file.read(), shown))
    path = _run(
        lambda: new_article(
            config_path,
            title=title,
            published=published.date(),
            source=source,
            url=url,
            slug=slug,
            source_ar=source_ar,
            body=body,
            title_en=title_en,
        )
    )
    click.echo(f"Created {path}")
    if body is None:
        click.echo(
            "Replace the placeholder text with the article's Arabic text, then run `briefgen build` "
            "(check and build refuse the article until then)."
        )


@cli.group()
def models() -> None:
    """Manage the offline Arabic→English translation models (Argos Translate, CTranslate2)."""


@models.command("list")
@config_option
def models_list(config_path: str) -> None:
    """List installed translation models, marking the one builds use."""
    from briefgen.commands.models import argos_packages_dir, installed_models, models_dir

    found = _run(lambda: installed_models(config_path))
    if not found:
        click.echo(f"No translation models installed in {argos_packages_dir()} or {models_dir()}.")
        click.echo("Install one with `briefgen models install` (or --file PATH.argosmodel, or --ct2 DIR).")
        return
    for engine, heading, folder in (
        ("argos", "Argos Translate packages", argos_packages_dir()),
        ("ct2", "CTranslate2 models", models_dir()),
    ):
        items = [item for item in found if item.engine == engine]
        if not items:
            continue
        click.echo(f"{heading} (engine: {engine}, in {folder}):")
        for item in items:
            mark = "*" if item.used_for_builds else " "
            click.echo(f"{mark} {item.kind}  {item.model.label}  {item.model.path}")
    click.echo(f"(* = used by `briefgen build` with {config_path})")


@models.command("install")
@click.option(
    "--file",
    "file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Install from a downloaded .argosmodel file instead of the network.",
)
@click.option(
    "--ct2",
    "ct2_dir",
    # Not exists=True: briefgen itself says what is wrong with the directory.
    type=click.Path(path_type=Path),
    help="Install a CTranslate2 model directory (OPUS-MT/Marian or NLLB, with its SentencePiece files).",
)
@click.option("--name", help="With --ct2: the name to install it under (default: the directory's).")
def models_install(file: Path | None, ct2_dir: Path | None, name: str | None) -> None:
    """Install the Arabic→English model (from the Argos package index, --file or --ct2)."""
    from briefgen.commands.models import STYLE_NAMES, install, install_ct2

    if file is not None and ct2_dir is not None:
        raise click.UsageError("give either --file or --ct2, not both")
    if name is not None and ct2_dir is None:
        raise click.UsageError("--name goes with --ct2")
    if ct2_dir is not None:
        installed = _run(lambda: install_ct2(ct2_dir, name))
        click.echo(
            f"Installed {installed.label} ({STYLE_NAMES[installed.style]}) in {installed.path}\n"
            f"Builds use it with `translation: {{engine: ct2, model: {installed.name}}}` in site_config.yml."
        )
        return

    bar: Any = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total or None, label="Downloading", file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        model = _run(lambda: install(file, progress=progress))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    click.echo(f"Installed {model.label} ({model.from_code}→{model.to_code}) in {model.path}")


@cli.group()
def translations() -> None:
    """Exchange the translation memories with CAT tools (XLIFF, PO, TMX), or prune those of deleted articles."""


@translations.command("export")
@config_option
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["xliff", "po", "tmx"]),
    help="xliff (OmegaT, Trados, memoQ), po (Poedit, Weblate) or tmx (a memory to reuse).",
)
@click.option(
    "--out", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The file to write."
)
@click.option("--article", "slugs", multiple=True, metavar="SLUG", help="Only this article (repeatable).")
@click.option("--pending-only", is_flag=True, help="Only the units with no English yet (xliff, po).")
@click.option(
    "--all", "everything", is_flag=True, help="TMX: machine English and drafts too, not only reviewed."
)
def translations_export(
    config_path: str, fmt: str, out: Path, slugs: tuple[str, ...], pending_only: bool, everything: bool
) -> None:
    """Write the translation memories' units to an XLIFF 1.2, PO or TMX file."""
    from briefgen.commands.translations import export_translations

    result = _run(
        lambda: export_translations(config_path, fmt, out, slugs, pending_only, everything)  # type: ignore[arg-type]
    )
    click.echo(f"Exported {result.units} unit(s) of {result.articles} article(s) to {result.path} ({fmt}).")


@translations.command("import")
@config_option
# Not exists=True: briefgen itself says why it cannot read the file, and exits 1.
@click.argument("path", type=click.Path(dir_okay=False, readable=False, path_type=Path))
@click.option(
    "--force", is_flag=True, help="Replace reviewed English that differs (a conflict) with the file's."
)
def translations_import(config_path: str, path: Path, force: bool) -> None:
    """Write the signed-off units of an edited XLIFF, PO or TMX file into the memories (as reviewed)."""
    from briefgen.commands.translations import format_import, import_translations

    report = _run(lambda: import_translations(config_path, path, force=force, on_wait=_say_waiting))
    click.echo(format_import(report, path))


@translations.command("prune")
@config_option
@click.option("--dry-run", is_flag=True, help="List the files that would be removed; remove nothing.")
@click.option(
    "--force", is_flag=True, help="Remove memories holding reviewed entries (or unreadable ones) too."
)
def translations_prune(config_path: str, dry_run: bool, force: bool) -> None:
    """Remove the translation and event memories of articles that no longer exist."""
    from briefgen.commands.translations import format_prune, prune_memories

    report = _run(lambda: prune_memories(config_path, dry_run=dry_run, force=force, on_wait=_say_waiting))
    click.echo(format_prune(report))


@cli.command("eval-translation")
@config_option
def eval_translation(config_path: str) -> None:
    """Score the installed model against the reviewed translations (chrF, sacrebleu)."""
    from briefgen.commands.eval_translation import eval_translation as evaluate

    result = _run(lambda: evaluate(config_path))
    for score in result.articles:
        click.echo(f"{score.chrf:6.2f}  {score.sentences:4d} sentences  {score.slug}")
    if result.model is not None:
        click.echo(f"chrF {result.chrf:.2f} over {result.sentences} reviewed sentences ({result.model})")
    else:
        click.echo(f"no fresh scores: {result.missing_model}")
    if result.post_edits:
        click.echo("post-editing, from the memories' history:")
        for edits in result.post_edits:
            click.echo(
                f"  {edits.model}: {edits.reviewed} machine units reviewed, {edits.changed} changed "
                f"(edit rate {edits.edit_rate:.2f}), chrF {edits.chrf:.2f} against the reviewed English"
            )
    else:
        click.echo(f"post-editing: not measured ({result.history_note})")


@cli.command("eval-chronology")
@config_option
@fixture_file_option(
    "--gold", "gold_path", "tests/fixtures/gold_chronology.yml", "A hand-made chronology to compare against."
)
@click.option(
    "--explain", is_flag=True, help="Also show each gold event not found with everything right, and why."
)
def eval_chronology(config_path: str, gold_path: str, explain: bool) -> None:
    """Precision and recall of the chronology's dated events against a gold set."""
    from briefgen.commands.eval_chronology import eval_chronology as evaluate
    from briefgen.commands.eval_chronology import explain_chronology, format_evaluation

    result = _run(lambda: evaluate(config_path, gold_path))
    click.echo(format_evaluation(result))
    if explain:
        click.echo(_run(lambda: explain_chronology(config_path, gold_path)))


@cli.command("eval-summaries")
@config_option
@fixture_file_option(
    "--references",
    "references_path",
    "tests/fixtures/reference_summaries.yml",
    "Hand-written reference summaries.",
)
def eval_summaries(config_path: str, references_path: str) -> None:
    """ROUGE-1/ROUGE-2 of the summaries and of Lead-3 against reference summaries."""
    from briefgen.commands.eval_summaries import eval_summaries as evaluate

    result = _run(lambda: evaluate(config_path, references_path))
    click.echo(f"{result.articles} articles          ROUGE-1  ROUGE-2  sentence F1")
    for name, score in (("briefgen", result.briefgen), ("Lead-3", result.lead3)):
        click.echo(f"{name:<22} {score.rouge1:7.3f}  {score.rouge2:7.3f}  {score.sentence_f1:11.3f}")


def main() -> None:
    cli(prog_name="briefgen")
