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
import hashlib
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
from briefgen.site.search_index import (
    merge_spellings,
    name_words,
    readings_keywords,
    search_terms,
    spelling_pairs,
    text_readings,
)

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

# The shards of a bundle (see `shard_of`): the main one is the bundle's folder itself.
MAIN_SHARD = "main"
SHARD_PREFIX = "articles-"
ARTICLE_SHARDS = 8
SHARD_LIST = "shards.json"  # the article shards' folders, which the page script merges
# What an article shard needs none of: the main index's script and wasm search it.
SHARD_UNUSED = (*UNUSED_FILES, "pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")
MEMO_FORMAT = 1

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


def language_files(site_dir: Path, folder: str, folders: Sequence[str]) -> list[Path]:
    """Every page file of one language (`folder` "" is the default language's, at the root)."""
    root = site_dir / folder if folder else site_dir
    others = {site_dir / f for f in folders}
    return [
        path
        for path in sorted(root.rglob("*.html"))
        if path.name not in SKIPPED
        and not any(path.is_relative_to(o) for o in others if not folder)
        and BUNDLE not in path.relative_to(root).parts[:1]
    ]


def search_page(site_dir: Path, path: Path) -> SearchPage | None:
    """What search sees of the published page `path`; None for a page without content."""
    body = searchable_html(path.read_text(encoding="utf-8"))
    if body is None:
        return None
    title = _H1.search(body)
    url = page_url(site_dir, path)
    return SearchPage(
        url,
        plain(title.group(1)) if title else "",
        body,
        plain(body),
        article_meta(body) if is_article(url) else {},
    )


def language_pages(site_dir: Path, folder: str, folders: Sequence[str]) -> Iterator[SearchPage]:
    """Every page of one language (`folder` "" is the default language's, at the root)."""
    for path in language_files(site_dir, folder, folders):
        page = search_page(site_dir, path)
        if page is not None:
            yield page


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


def index_documents(documents: Sequence[tuple[str, str]], language: str, output: Path) -> None:
    """Write the Pagefind index of `documents` ((url, document) each) to `output`.

    The documents go to Pagefind as files in a scratch folder, each where its page is in the
    site (the folder gives each its URL); the binary reads them on every core.
    """
    with tempfile.TemporaryDirectory(prefix="briefgen-pagefind-", dir=scratch_root()) as scratch:
        for url, document in documents:
            path = Path(scratch, url.lstrip("/"))
            if url.endswith("/"):
                path = path / "index.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(document, encoding="utf-8")
        run_pagefind(Path(scratch), language, output)
    entry = output / "pagefind-entry.json"
    if not entry.is_file() or not entry.stat().st_size:
        raise RuntimeError(f"Pagefind wrote no index to {output}")


def index_language(pages: Sequence[SearchPage], language: str, keywords: Sequence[str], output: Path) -> None:
    """Write one Pagefind bundle of `pages` to `output` (no shards: for measuring against them)."""
    if output.exists():
        shutil.rmtree(output)
    documents = [(p.url, pagefind_document(p, language, k)) for p, k in zip(pages, keywords, strict=True)]
    index_documents(documents, language, output)
    for unused in UNUSED_FILES:
        (output / unused).unlink(missing_ok=True)


def read_fragments(bundle: Path) -> list[dict[str, Any]]:
    """What a bundle holds for each page (url, content, meta), as the browser reads it: its
    main index's and its article shards'."""
    listed = bundle / SHARD_LIST
    shards = json.loads(listed.read_text(encoding="utf-8")) if listed.is_file() else []
    fragments = []
    folders = [bundle, *(bundle / shard for shard in shards)]
    for path in sorted(p for folder in folders for p in (folder / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        fragments.append(json.loads(data.removeprefix(FRAGMENT_SIGNATURE)))
    return fragments


def shard_of(url: str) -> str:
    """The shard a page is indexed in: the pages that are not articles in the bundle's main
    index, each article in one of `ARTICLE_SHARDS` by a hash of its URL. A hash, not the date:
    every shard is then a like sample of the archive, so Pagefind's per-index scores (term
    rarity, page length) are alike across shards, and results merged by score rank as they
    would in one index."""
    if not is_article(url):
        return MAIN_SHARD
    number = int.from_bytes(hashlib.sha256(url.encode()).digest()[:4], "big") % ARTICLE_SHARDS
    return f"{SHARD_PREFIX}{number}"


def shard_folder(output: Path, shard: str) -> Path:
    return output if shard == MAIN_SHARD else output / shard


def _shard_files(folder: Path, shard: str) -> dict[str, list[int]]:
    """Every file of a shard's index (relative path: size, mtime, inode); the main shard's
    without the article shards and the list of them."""
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if shard == MAIN_SHARD and (relative.startswith(SHARD_PREFIX) or relative == SHARD_LIST):
            continue
        if path.is_file():
            stat = path.stat()
            files[relative] = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
    return files


def _keep_shard(previous: Path, target: Path, files: dict[str, list[int]]) -> dict[str, list[int]] | None:
    """Hard-link a shard's files from the published site (as the page cache does its pages), if
    they are all still as recorded; returns what is now in the new site, or None (index it)."""
    for relative, (size, mtime, inode) in files.items():
        try:
            stat = (previous / relative).stat()
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns, stat.st_ino) != (size, mtime, inode):
            return None
    kept = {}
    for relative, recorded in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(previous / relative, path)
            kept[relative] = recorded
        except OSError:
            shutil.copyfile(previous / relative, path)
            stat = path.stat()
            kept[relative] = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
    return kept


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def _spelled(forms: Sequence[str], spellings: dict[str, tuple[str, ...]]) -> str:
    """A digest of the archive's spellings of a page's forms: all its keywords take from them."""
    return _digest([[form, spellings[form]] for form in forms if form in spellings])


@dataclass
class SearchMemo:
    """What the last build indexed for one language (`.briefgen/cache/search-<language>.json`):
    per page, keyed by its file's identity (size, mtime, inode: a page the page cache took
    from the last build is a hard link to the same file), its spelling pairs, the forms its
    keywords take spellings for, its keywords and a digest of its document; per shard, a
    digest of its documents and its files. `key` is everything else the documents are made
    from: briefgen's code, the gazetteer, Pagefind's version, the language."""

    path: Path | None
    key: str
    pages: dict[str, dict[str, Any]]
    shards: dict[str, dict[str, Any]]

    @classmethod
    def load(cls, path: Path | None, key: str) -> SearchMemo:
        if path is not None:
            try:
                data = json.loads(path.read_bytes())
                if data.get("format") == MEMO_FORMAT and data.get("key") == key:
                    return cls(path, key, dict(data["pages"]), dict(data["shards"]))
            except FileNotFoundError:
                pass
            except Exception as error:  # corrupt or foreign: index as in a first build
                log.debug("search memo %s ignored: %s", path, error)
        return cls(path, key, {}, {})

    def save(self) -> None:
        if self.path is None:
            return
        payload = {"format": MEMO_FORMAT, "key": self.key, "pages": self.pages, "shards": self.shards}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise


def memo_key(gazetteer_digest: str, language: str) -> str:
    from importlib.metadata import version

    from briefgen.cache import code_version

    return _digest([MEMO_FORMAT, code_version(), gazetteer_digest, version("pagefind_bin"), language])


def write_language_bundle(
    site_dir: Path,
    gazetteer: Gazetteer,
    language: str,
    folder: str,
    folders: Sequence[str],
    memo_path: Path | None = None,
    gazetteer_digest: str = "",
    previous_site: Path | None = None,
) -> LanguageBundle:
    """Index one language's pages into its bundle: the main index and the article shards.

    With `memo_path`, a page whose file is the one the last build indexed costs no parsing
    and no keywords, unless the archive's spellings of its words changed; a shard whose
    documents are all as they were is hard-linked from `previous_site` instead of indexed."""
    memo = SearchMemo.load(memo_path, memo_key(gazetteer_digest, language))
    protected = name_words(gazetteer)
    root = site_dir / folder if folder else site_dir
    output = root / BUNDLE
    previous_output = (
        (previous_site / folder if folder else previous_site) / BUNDLE if previous_site else None
    )
    indexed_as = UNSTEMMED_ARABIC if language == "ar" else language

    # Each page: its file's identity, and its last record if that is the same file.
    parsed: dict[str, SearchPage] = {}
    found: list[tuple[str, Path, list[int], dict[str, Any] | None]] = []
    for path in language_files(site_dir, folder, folders):
        stat = path.stat()
        identity = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        url = page_url(site_dir, path)
        record = memo.pages.get(url)
        if record is None or record["stat"] != identity:
            page = search_page(site_dir, path)
            if page is None:
                continue
            parsed[url] = page
            record = None
        found.append((url, path, identity, record))
    # The other spellings of each word across this language's pages (see archive_spellings).
    pairs = {
        url: record["pairs"] if record else spelling_pairs(f"{parsed[url].title} {parsed[url].text}")
        for url, _, _, record in found
    }
    spellings = merge_spellings(pairs.values())

    pages: dict[str, dict[str, Any]] = {}
    for url, path, identity, record in found:
        if record is not None and record["spelled"] == _spelled(record["forms"], spellings):
            pages[url] = record
            continue
        page = parsed.get(url) or search_page(site_dir, path)
        if page is None:
            continue
        parsed[url] = page
        readings = text_readings(page.text, gazetteer, protected, english_variants=not folder)
        forms = list(dict.fromkeys(form for form, _ in readings[0]))
        keywords = readings_keywords(
            readings, page.text, SEPARATOR, frozenset(search_terms(page.text, SEPARATOR)), spellings
        )
        pages[url] = {
            "stat": identity,
            "pairs": pairs[url],
            "forms": forms,
            "spelled": _spelled(forms, spellings),
            "keywords": keywords,
            "document": _digest(pagefind_document(page, indexed_as, keywords)),
            "path": path.relative_to(site_dir).as_posix(),
        }

    members: dict[str, list[str]] = {}
    for url in pages:
        members.setdefault(shard_of(url), []).append(url)
    if MAIN_SHARD not in members:
        members[MAIN_SHARD] = []
    if output.exists():
        shutil.rmtree(output)
    shards: dict[str, dict[str, Any]] = {}
    indexed = 0
    # The main shard first: Pagefind writes its index into the bundle's folder, the others
    # go into folders of their own inside it.
    for shard in sorted(members, key=lambda name: (name != MAIN_SHARD, name)):
        urls = members[shard]
        digest = _digest([[url, pages[url]["document"]] for url in urls])
        target = shard_folder(output, shard)
        last = memo.shards.get(shard)
        kept = None
        if previous_output is not None and last is not None and last["digest"] == digest:
            kept = _keep_shard(shard_folder(previous_output, shard), target, last["files"])
        if kept is None:
            documents = []
            for url in urls:
                page = parsed.get(url) or search_page(site_dir, site_dir / pages[url]["path"])
                assert page is not None, url  # it had content when its record was made
                documents.append((url, pagefind_document(page, indexed_as, pages[url]["keywords"])))
            index_documents(documents, indexed_as, target)
            # Pagefind's own UIs and highlighter: briefgen's page script uses its search API
            # only, and an article shard is searched with the main index's script and wasm.
            unused = UNUSED_FILES if shard == MAIN_SHARD else SHARD_UNUSED
            for name in unused:
                for path in target.glob(name):
                    path.unlink()
            kept = _shard_files(target, shard)
            indexed += 1
        shards[shard] = {"digest": digest, "files": kept}
    article_shards = sorted(name for name in shards if name != MAIN_SHARD)
    (output / SHARD_LIST).write_text(json.dumps(article_shards), encoding="utf-8")
    memo.pages, memo.shards = pages, shards
    memo.save()
    log.info(
        "search %s: %d pages, %d parsed, %d of %d shards indexed",
        language,
        len(pages),
        len(parsed),
        indexed,
        len(shards),
    )
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
    site_dir: Path,
    gazetteer: Gazetteer,
    default: str | None,
    folders: Sequence[str],
    memo_dir: Path | None = None,
    gazetteer_digest: str = "",
    previous_site: Path | None = None,
) -> list[LanguageBundle]:
    """Index every page of `site_dir`, one Pagefind bundle per language; returns what was written.
    With `memo_dir` (`.briefgen/cache`) and `previous_site` (the published site), a rebuild
    indexes what changed (see `write_language_bundle`).

    On a multi-core Linux machine the other languages are indexed in forked processes while
    this one indexes the default language (the work is mostly briefgen's keywords, in Python)."""
    from briefgen.site.render import _fork_context

    def arguments(folder: str, language: str) -> tuple[Any, ...]:
        memo = memo_dir / f"search-{language}.json" if memo_dir is not None else None
        return (site_dir, gazetteer, language, folder, folders, memo, gazetteer_digest, previous_site)

    fork = _fork_context()
    languages = [("", default or "en"), *((folder, folder) for folder in folders)]
    children = []
    for folder, language in languages[1:] if fork else []:
        receive, send = fork.Pipe(duplex=False)  # type: ignore[union-attr]
        args = (send, os.getpid(), *arguments(folder, language))
        child = fork.Process(target=_bundle_child, args=args)  # type: ignore[union-attr]
        child.start()
        send.close()
        children.append((folder, child, receive))
    written: list[LanguageBundle] = []
    errors: list[str] = []
    try:
        for folder, language in languages if not fork else languages[:1]:
            written.append(write_language_bundle(*arguments(folder, language)))
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
