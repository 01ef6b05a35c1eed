"""Full-text search of every page with Pagefind: one chunked index per language.

Pagefind splits its index into chunks and the reader's browser fetches only those a query
needs, so every article is indexed by its full text however large the archive.

Each language gets its own bundle: `pagefind/` for the English pages at the root, `ar/pagefind/`
for the Arabic ones. A bundle holds one language, so the browser loads it whatever the page's
`<html lang>` says, and neither language loads the other's chunks.

Arabic is indexed without Pagefind's Snowball stemmer, under the private language tag `x-ar`:
the stemmer strips a leading ب from بنغازي, so that نغازي would find Benghazi, and it does not
strip و+ال (العمارات would miss والعمارات). Pagefind already folds the hamza forms of alef (it
strips combining marks, query and text alike) and matches every word as a prefix; what it lacks
comes from briefgen's own keywords (`briefgen.site.search_index.document_keywords`): each word
normalized (ta marbuta, alef maqsura), its readings without clitic prefixes, never cutting a
gazetteer name, the other spellings the archive uses for it, and the English names of the
entities a page names (with their variants, Gwarsha → Qawarsha, on English pages).

Pagefind is given, for each page, the text search should see rather than the page as published:
what the templates mark `data-search-exclude` (a heading so marked leaves out its whole section,
as in mkdocs-material's own search) is cut out, the keywords follow the text behind a marker
(`KEYWORDS_MARK`, which tells the browser where the page's own text ends), then the list under
an article's title (searched, but never a result's passage); the article's source and date go in
as metadata for the results. The published pages stay as they are.

Pagefind runs as its command line on a scratch folder of these documents (see `run_pagefind`
for why not its Python API), in the build, after mkdocs has written the site and before it is
published: a failed index fails the build and leaves the published site as it was.
"""

from __future__ import annotations

import gzip
import html
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from briefgen.gazetteer import Gazetteer
from briefgen.site.search_index import archive_spellings, document_keywords, name_words, search_terms

log = logging.getLogger("briefgen")

BUNDLE = "pagefind"
# The language Arabic pages are indexed as: a tag Pagefind has no stemmer for (see above).
UNSTEMMED_ARABIC = "x-ar"
# Ends a page's own text and begins its keywords in what Pagefind stores for the page.
KEYWORDS_MARK = "⁂"
# Splits a text into the terms briefgen's keywords leave out when the text has them already.
SEPARATOR = re.compile(r"[\s\-–—.,;:!?()\[\]{}\"'«»“”‘’،؛؟…]+")
# Pages no reader searches for.
SKIPPED = frozenset({"404.html"})
FRAGMENT_SIGNATURE = b"pagefind_dcd"  # what a decompressed fragment begins with
UNUSED_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)

_ROOT_OPEN = re.compile(r'<article class="md-content__inner md-typeset">')
_MAIN_CLOSE = "</main>"
# A heading search leaves out: its section runs to the next heading of its level or above
# (the listings under it have headings of their own).
_EXCLUDED_HEADING = re.compile(r"<h([1-6])\b[^>]*\sdata-search-exclude\b[^>]*>", re.I)
# An element search leaves out. As in material's parser, it ends at the first closing tag of its
# name: the templates never nest an element of the same name in an excluded one.
_EXCLUDED_ELEMENT = re.compile(r"<([a-z][a-z0-9]*)\b[^>]*\sdata-search-exclude\b[^>]*>.*?</\1>", re.S | re.I)
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
_TAG = re.compile(r"<[^>]+>")
# Tags inside a word, as in و<a>العمارات</a>: Pagefind reads the word whole, so must the keywords.
_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|bdi|bdo|cite|code|em|i|mark|q|s|small|span|strong|sub|sup|time|u)\b[^>]*>", re.I
)
_META_LIST = re.compile(r'<dl class="bg-meta">(.*?)</dl>', re.S)
_DD = re.compile(r"<dd\b[^>]*>(.*?)</dd>", re.S)
_ARTICLE_URL = re.compile(r"/articles/[^/]+/$")
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)


@dataclass(frozen=True)
class SearchPage:
    url: str  # site-absolute, as results link to it: "/ar/articles/x/"
    title: str
    body: str  # the HTML search sees
    text: str  # its plain text
    meta: dict[str, str]


@dataclass(frozen=True)
class LanguageBundle:
    folder: str  # "" for the default language
    path: Path
    pages: int
    files: int
    size: int  # bytes on disk


def plain(fragment: str) -> str:
    """The text of an HTML fragment as Pagefind reads it: inline elements are part of their words."""
    return " ".join(html.unescape(_TAG.sub(" ", _INLINE_TAG.sub("", fragment))).split())


def without_excluded_sections(fragment: str) -> str:
    kept, at = [], 0
    for heading in _EXCLUDED_HEADING.finditer(fragment):
        if heading.start() < at:
            continue  # inside a section already left out
        kept.append(fragment[at : heading.start()])
        level = int(heading.group(1))
        end = re.compile(rf"<h[1-{level}][\s>]", re.I).search(fragment, heading.end())
        at = end.start() if end else len(fragment)
    kept.append(fragment[at:])
    return "".join(kept)


def searchable_html(page_html: str) -> str | None:
    """The part of a published page search sees: its content, without what is marked excluded.
    None for a page without material's content element."""
    start = _ROOT_OPEN.search(page_html)
    if start is None:
        return None
    end = page_html.rfind("</article>", start.end(), page_html.find(_MAIN_CLOSE, start.end()))
    inner = page_html[start.end() : end if end != -1 else None]
    inner = without_excluded_sections(inner)
    inner = _EXCLUDED_ELEMENT.sub("", inner)
    return _HEADERLINK.sub("", inner)


def article_meta(body: str) -> dict[str, str]:
    """An article's source and date, from the list under its title (labels already cut out)."""
    found = _META_LIST.search(body)
    if found is None:
        return {}
    values = [plain(dd) for dd in _DD.findall(found.group(1))]
    meta = {}
    if values:
        meta["source"] = values[0].rstrip(" ·")
    if len(values) > 1:
        meta["date"] = values[1]
    return meta


def is_article(url: str) -> bool:
    """Whether `url` is an article's page ("/ar/articles/x/"); entity pages list their names in
    the same kind of list as an article's source and date."""
    return _ARTICLE_URL.search(url) is not None


def page_url(site_dir: Path, path: Path) -> str:
    relative = path.relative_to(site_dir).as_posix()
    if relative == "index.html" or relative.endswith("/index.html"):
        relative = relative[: -len("index.html")]
    return "/" + relative


def language_pages(site_dir: Path, folder: str, folders: Sequence[str]) -> Iterator[SearchPage]:
    """Every page of one language (`folder` "" is the default language's, at the root)."""
    root = site_dir / folder if folder else site_dir
    others = {site_dir / f for f in folders}
    for path in sorted(root.rglob("*.html")):
        if path.name in SKIPPED or any(path.is_relative_to(o) for o in others if not folder):
            continue
        if BUNDLE in path.relative_to(root).parts[:1]:
            continue
        body = searchable_html(path.read_text(encoding="utf-8"))
        if body is None:
            continue
        title = _H1.search(body)
        url = page_url(site_dir, path)
        yield SearchPage(
            url,
            plain(title.group(1)) if title else "",
            body,
            plain(body),
            article_meta(body) if is_article(url) else {},
        )


def pagefind_document(page: SearchPage, language: str, keywords: str) -> str:
    """The HTML Pagefind indexes for `page`: its text, its metadata, then its keywords. The list
    under an article's title (source, date, campaign, tags) follows the keywords: still searched,
    never the passage a result shows."""
    meta = "".join(
        f'<span data-pagefind-meta="{key}">{html.escape(value)}</span>' for key, value in page.meta.items()
    )
    details = _META_LIST.search(page.body) if is_article(page.url) else None
    body = page.body
    tail = ""
    if details is not None:
        body = body[: details.start()] + body[details.end() :]
        tail = details.group(0)
    return (
        f'<html lang="{language}"><head><title>{html.escape(page.title)}</title></head><body>'
        f"<main>{body}<div data-pagefind-ignore>{meta}</div>"
        f"<p>{KEYWORDS_MARK} {html.escape(keywords)}</p>{tail}</main></body></html>"
    )


def pagefind_binary() -> Path:
    """The Pagefind binary of the `pagefind[bin]` wheel (ImportError without it)."""
    from pagefind_bin import get_executable

    return Path(get_executable())


def run_pagefind(documents: Path, language: str, output: Path) -> None:
    """Index the folder `documents` into the bundle `output` with Pagefind's command line.

    Not the Python API: its `add_html_file` takes a tenth of a second a page (its reader polls
    the binary's answers every 0.1 s), 20 minutes at 10,000 articles; its context manager
    writes the bundle a second time on closing, and at a few hundred pages the binary was
    stopped mid-write, leaving empty files; and `get_files` cannot pass more than 2 MiB.
    """
    command = [
        str(pagefind_binary()),
        "--site",
        str(documents),
        "--output-path",
        str(output),
        "--root-selector",
        "main",
        "--force-language",
        language,
        "--quiet",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(
            f"Pagefind exited with {done.returncode}: {(done.stderr or done.stdout).strip()[-2000:]}"
        )


def scratch_root() -> str | None:
    """Where the documents are written: memory (/dev/shm) where there is one, as removing a
    folder per page from a disk took 3 ms each (30 s at 10,000 articles); else the temp folder."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def index_language(pages: Sequence[SearchPage], language: str, keywords: Sequence[str], output: Path) -> None:
    """Write the Pagefind bundle of `pages` to `output`.

    The documents go to Pagefind as files in a scratch folder, each where its page is in the
    site (the folder gives each its URL); the binary reads them on every core.
    """
    with tempfile.TemporaryDirectory(prefix="briefgen-pagefind-", dir=scratch_root()) as scratch:
        for page, page_keywords in zip(pages, keywords, strict=True):
            path = Path(scratch, page.url.lstrip("/"))
            if page.url.endswith("/"):
                path = path / "index.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(pagefind_document(page, language, page_keywords), encoding="utf-8")
        if output.exists():
            shutil.rmtree(output)
        run_pagefind(Path(scratch), language, output)
    # Pagefind's own UIs and highlighter: briefgen's page script uses its search API only.
    for unused in UNUSED_FILES:
        (output / unused).unlink(missing_ok=True)
    entry = output / "pagefind-entry.json"
    if not entry.is_file() or not entry.stat().st_size:
        raise RuntimeError(f"Pagefind wrote no index to {output}")


def read_fragments(bundle: Path) -> list[dict[str, Any]]:
    """What a bundle holds for each page (url, content, meta), as the browser reads it."""
    fragments = []
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        fragments.append(json.loads(data.removeprefix(FRAGMENT_SIGNATURE)))
    return fragments


def write_language_bundle(
    site_dir: Path, gazetteer: Gazetteer, language: str, folder: str, folders: Sequence[str]
) -> LanguageBundle:
    """Index one language's pages into its bundle."""
    protected = name_words(gazetteer)
    pages = list(language_pages(site_dir, folder, folders))
    # The other spellings of each word across this language's pages (see archive_spellings).
    spellings = archive_spellings({"docs": [{"title": p.title, "text": p.text} for p in pages]})
    keywords = [
        document_keywords(
            p.text,
            gazetteer,
            protected,
            SEPARATOR,
            english_variants=not folder,
            spellings=spellings,
            known=frozenset(search_terms(p.text, SEPARATOR)),
        )
        for p in pages
    ]
    indexed_as = UNSTEMMED_ARABIC if language == "ar" else language
    output = (site_dir / folder if folder else site_dir) / BUNDLE
    index_language(pages, indexed_as, keywords, output)
    files = [p for p in output.rglob("*") if p.is_file()]
    return LanguageBundle(folder, output, len(pages), len(files), sum(p.stat().st_size for p in files))


def _bundle_child(send: Connection, parent: int, *args: Any) -> None:
    """Runs in a forked process: one language's bundle, sent back, or the error's text."""
    from briefgen.site.render import _die_with_parent

    _die_with_parent(parent)
    try:
        send.send(write_language_bundle(*args))
    except BaseException as exc:
        send.send(f"{type(exc).__name__}: {exc}")
    finally:
        send.close()


def write_bundles(
    site_dir: Path, gazetteer: Gazetteer, default: str | None, folders: Sequence[str]
) -> list[LanguageBundle]:
    """Index every page of `site_dir`, one Pagefind bundle per language; returns what was written.

    On a multi-core Linux machine the other languages are indexed in forked processes while
    this one indexes the default language (the work is mostly briefgen's keywords, in Python)."""
    from briefgen.site.render import _fork_context

    fork = _fork_context()
    languages = [("", default or "en"), *((folder, folder) for folder in folders)]
    children = []
    for folder, language in languages[1:] if fork else []:
        receive, send = fork.Pipe(duplex=False)  # type: ignore[union-attr]
        args = (send, os.getpid(), site_dir, gazetteer, language, folder, folders)
        child = fork.Process(target=_bundle_child, args=args)  # type: ignore[union-attr]
        child.start()
        send.close()
        children.append((folder, child, receive))
    written: list[LanguageBundle] = []
    errors: list[str] = []
    try:
        for folder, language in languages if not fork else languages[:1]:
            written.append(write_language_bundle(site_dir, gazetteer, language, folder, folders))
    finally:
        # Even when this language failed, wait for the others: no child may go on writing.
        for folder, child, receive in children:
            try:
                answer = receive.recv()
            except EOFError:
                answer = f"indexing the {folder} pages stopped unexpectedly"
            child.join()
            receive.close()
            if isinstance(answer, LanguageBundle):
                written.append(answer)
            else:
                errors.append(answer)
    if errors:
        raise RuntimeError("; ".join(errors))
    return written
