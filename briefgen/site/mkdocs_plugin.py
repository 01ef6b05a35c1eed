"""The `briefgen` mkdocs plugin: what mkdocs-material and the i18n plugin leave undone."""

from __future__ import annotations

import hashlib
import logging
import posixpath
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config import config_options
from mkdocs.plugins import BasePlugin, event_priority

from briefgen.site.page_cache import PageCache

_HTML_OPEN_TAG = re.compile(r"<html\b([^>]*)>", re.IGNORECASE)
# material's page configuration: `"base"` is the first key but one (jinja's tojson sorts keys).
_CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">[^<]*?"base": ")([^"]*)(")')
# Raw HTML the templates mark for mkdocs to pass through untouched (see `on_page_markdown`):
# `unsearched` marks a block that lies in a section search leaves out.
_RAW_HTML = re.compile(r"^<!-- briefgen:html( unsearched)? -->\n(.*?)\n<!-- /briefgen:html -->$", re.M | re.S)
_STASHED = re.compile(r"<!-- briefgen:stash (\d+) -->")
_ANCHOR_ID = re.compile(r'<[a-z][a-z0-9]*\s[^>]*?\bid="([^"]*)"')
RTL_LANGUAGES = frozenset({"ar"})
NOT_FOUND = "404.html"
SITEMAP = "sitemap.xml"
_SITEMAP_NS = {"": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
# material's <link rel="alternate" hreflang> in the head; see on_post_page.
_HREFLANG_LINK = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')

log = logging.getLogger("briefgen")


def language_folders(config: Any) -> tuple[str | None, list[str]]:
    """The default language and the sub-folders ("ar") of the others, from the i18n plugin."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return None, []
    default = getattr(i18n, "default_language", None)
    return default, [lang for lang in getattr(i18n, "build_languages", []) if lang != default]


def rebase_config(html: str, base: str) -> str:
    """Set `base` in the page's material configuration: the root its search index is fetched
    from and its result links are resolved against."""
    return _CONFIG_BASE.sub(lambda m: f"{m.group(1)}{base}{m.group(3)}", html, count=1)


def add_html_dir(html: str, language: str) -> str:
    # Material puts `dir` on <body> only; screen readers and the browser's
    # own UI (scrollbars, form controls) read it from <html>.
    direction = "rtl" if language in RTL_LANGUAGES else "ltr"

    def add_dir(match: re.Match[str]) -> str:
        attrs = match.group(1)
        if re.search(r"\sdir=", attrs):
            return match.group(0)
        return f'<html{attrs} dir="{direction}">'

    return _HTML_OPEN_TAG.sub(add_dir, html, count=1)


class _RawHtml:
    """A page's marked raw-HTML blocks, taken out of its Markdown and put back into its HTML."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.unsearched: set[int] = set()

    def take_out(self, markdown: str) -> str:
        def stash(match: re.Match[str]) -> str:
            if match.group(1):
                self.unsearched.add(len(self.blocks))
            # Markdown drops a raw block's surrounding blank lines; so does this.
            self.blocks.append(match.group(2).strip("\n"))
            return f"<!-- briefgen:stash {len(self.blocks) - 1} -->"

        return _RAW_HTML.sub(stash, markdown)

    def put_back(self, html: str, *, unsearched: bool) -> str:
        def restore(match: re.Match[str]) -> str:
            number = int(match.group(1))
            if (number in self.unsearched) != unsearched or number >= len(self.blocks):
                return match.group(0)
            # Kept as written, `data-search-exclude` and all: Pagefind reads them from the site.
            return self.blocks[number]

        return _STASHED.sub(restore, html)

    def anchor_ids(self) -> set[str]:
        return {anchor for block in self.blocks for anchor in _ANCHOR_ID.findall(block)}


class BriefgenPlugin(BasePlugin):  # type: ignore[type-arg]
    config_scheme = (
        ("gazetteer", config_options.Optional(config_options.Type(str))),
        ("raw_html_passthrough", config_options.Type(bool, default=True)),
        # The page cache (briefgen.site.page_cache): where it keeps its state, the site the
        # last build published (unchanged pages are taken from it), and the docs tree's state.
        ("page_cache", config_options.Optional(config_options.Type(str))),
        ("previous_site", config_options.Optional(config_options.Type(str))),
        ("docs_state", config_options.Optional(config_options.Type(str))),
    )

    def on_config(self, config: Any) -> Any:
        self.raw_html: dict[int, _RawHtml] = {}
        return config

    # --- the page cache: each event hands over to it (see briefgen.site.page_cache) ---------------

    pages: PageCache | None = None

    @event_priority(-200)  # after the i18n plugin's files and nav
    def on_files(self, files: Any, config: Any) -> Any:
        if self.pages is None and self.config["page_cache"] and self.config["previous_site"]:
            self.pages = PageCache(
                Path(self.config["page_cache"]),
                Path(self.config["previous_site"]),
                Path(self.config["docs_state"]) if self.config["docs_state"] else None,
                config,
            )
        if self.pages is not None:
            self.pages.start_language(files, config)
        return files

    @event_priority(-200)
    def on_nav(self, nav: Any, config: Any, files: Any) -> Any:
        if self.pages is not None:
            self.pages.set_nav(nav, config)
        return nav

    def on_pre_page(self, page: Any, config: Any, files: Any) -> Any:
        if self.pages is not None:
            self.pages.before_populate(page)
        return page

    def on_page_read_source(self, page: Any, config: Any) -> str | None:
        return self.pages.read_source(page) if self.pages is not None else None

    def on_build_error(self, error: Exception) -> None:
        if self.pages is not None:
            self.pages.close()  # nothing is saved: the next build finds the last one's state

    def on_env(self, env: Any, config: Any, files: Any) -> Any:
        if self.pages is not None:
            self.pages.add_stub_template(env)
        return env

    # Markdown's HTML parser, mkdocs' anchor scan and material's search indexer each parse a
    # page's raw HTML: for listings of thousands of entries that is most of a build. The
    # templates mark the raw HTML that needs none of it; it skips Markdown, and a block in a
    # section search leaves out comes back only after search has indexed the page. The result
    # is byte for byte the same (tests/test_raw_html_passthrough.py).
    @event_priority(100)
    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        if self.pages is not None:
            if self.pages.is_hit(page):
                return ""
            self.pages.note_markdown(page, markdown)
        if not self.config["raw_html_passthrough"]:
            return _RAW_HTML.sub(lambda match: match.group(2), markdown)
        raw_html = _RawHtml()
        self.raw_html[id(page)] = raw_html
        return raw_html.take_out(markdown)

    @event_priority(100)
    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        if self.pages is not None:
            if self.pages.is_hit(page):
                self.pages.restore_populated(page)
                return ""
            self.pages.after_populate(page)
        raw_html = self.raw_html.get(id(page))
        if raw_html is None:
            return html
        # mkdocs validates links to anchors against the ids it saw while rendering.
        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= raw_html.anchor_ids()
        return raw_html.put_back(html, unsearched=False)

    def on_pre_build(self, config: Any) -> None:
        # Each language's build renders 404.html into the site root, the last one winning;
        # keep every language's (the i18n plugin runs the others' builds nested in this one).
        if not getattr(config.plugins.get("i18n"), "building", False):
            self.not_found_pages: dict[str, str] = {}
            self.pages = None  # a new build: on_files opens the page cache again

    # After the i18n plugin (-100) has built every language and written the merged index.
    @event_priority(-200)
    def on_post_build(self, config: Any) -> None:
        if getattr(config.plugins.get("i18n"), "building", False):
            return  # a language's nested build: the merged index is written after it
        default, folders = language_folders(config)
        if self.pages is not None:
            self.pages.save()
        self._write_not_found_pages(Path(config.site_dir), default)
        self._write_search_indexes(Path(config.site_dir), default, folders)
        write_language_sitemaps(Path(config.site_dir), config.site_url or "", folders)

    def _write_search_indexes(self, site_dir: Path, default: str | None, folders: list[str]) -> None:
        from mkdocs.exceptions import PluginError

        from briefgen.gazetteer import Gazetteer, load_gazetteer
        from briefgen.site.pagefind_index import write_bundles

        path = self.config.get("gazetteer")
        gazetteer = load_gazetteer(Path(path)) if path and Path(path).exists() else Gazetteer()
        # With the page cache, the search index is rebuilt for what changed: its memo lives
        # beside the page cache's state, unchanged shards come from the published site.
        memo_dir = Path(self.config["page_cache"]).parent if self.config["page_cache"] else None
        previous = self.config["previous_site"]
        gazetteer_digest = (
            hashlib.sha256(Path(path).read_bytes()).hexdigest() if path and Path(path).exists() else ""
        )
        started = time.perf_counter()
        try:
            bundles = write_bundles(
                site_dir,
                gazetteer,
                default,
                folders,
                memo_dir,
                gazetteer_digest,
                Path(previous) if previous else None,
            )
        except (ImportError, FileNotFoundError):
            raise PluginError(
                "the search index needs Pagefind's binary: pip install 'pagefind[bin]' (requirements.lock pins it)"
            ) from None
        except Exception as exc:  # the binary's errors: the build fails, the published site stays
            raise PluginError(f"Pagefind could not index the site: {exc}") from exc
        for bundle in bundles:
            log.info(
                "search index %s: %d pages, %d files, %d bytes",
                bundle.path,
                bundle.pages,
                bundle.files,
                bundle.size,
            )
        self.search_seconds = time.perf_counter() - started
        log.info("search indexes written in %.1f s", self.search_seconds)

    def _write_not_found_pages(self, site_dir: Path, default: str | None) -> None:
        # The default language's 404 page at the root (the one GitHub Pages serves), every
        # other language's in its folder.
        for language, html in getattr(self, "not_found_pages", {}).items():
            folder = site_dir if default is None or language == default else site_dir / language
            folder.mkdir(parents=True, exist_ok=True)
            (folder / NOT_FOUND).write_text(html, encoding="utf-8")

    @event_priority(-50)
    def on_page_context(self, context: dict[str, Any], page: Any, config: Any, nav: Any) -> dict[str, Any]:
        # After material's search (priority 0) has indexed the page.
        if self.pages is not None:
            self.pages.after_search(page, config)
        raw_html = self.raw_html.pop(id(page), None)
        if raw_html is not None:
            page.content = raw_html.put_back(page.content, unsearched=True)
        # The i18n plugin links the home pages' language switcher to absolute paths
        # under site_url ("/repo/", "/repo/ar/"): right on GitHub Pages, broken when
        # the site is served from anywhere else. Make them site-relative so mkdocs'
        # `url` filter renders them relative to the page.
        base = urlsplit(config.site_url or "/").path or "/"
        # i18n assigns `config.extra.alternate` as an attribute, which is what the
        # theme reads; the mapping item may hold an older list.
        for alternate in getattr(config.extra, "alternate", None) or []:
            link = alternate.get("link", "")
            if link.startswith(base):
                alternate["link"] = link[len(base) :]
        return context

    @event_priority(-50)
    def on_pre_template(self, template: Any, template_name: str, config: Any) -> Any:
        # The 404 page is not a page, so the i18n plugin leaves the language switcher
        # pointing at whatever page was built last; point it at the two home pages.
        if template_name == "404.html":
            for alternate in getattr(config.extra, "alternate", None) or []:
                alternate["link"] = "" if alternate.get("lang") == "en" else f"{alternate.get('lang')}/"
        return template

    @event_priority(-50)
    def on_post_template(self, output_content: str, template_name: str, config: Any) -> str:
        if template_name != NOT_FOUND:
            return output_content
        language = config.theme.get("language", "en")
        _, folders = language_folders(config)
        html = add_html_dir(output_content, language)
        if language in folders:
            # Its links are absolute ("/repo/"); its search is the language's own.
            match = _CONFIG_BASE.search(html)
            if match:
                html = rebase_config(html, posixpath.join(match.group(2), language) + "/")
        self.not_found_pages = {**getattr(self, "not_found_pages", {}), language: html}
        return html

    @event_priority(-50)
    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        if self.pages is not None:
            if self.pages.is_hit(page):
                # Its last build's HTML is put in place now; mkdocs writes no empty page.
                self.pages.place_cached(page)
                return ""
            output = self._finish_page(output, page, config)
            self.pages.note_built(page, config)
            return output
        return self._finish_page(output, page, config)

    def _finish_page(self, output: str, page: Any, config: Any) -> str:
        language = config.theme.get("language", "en")
        html = add_html_dir(output, language)
        # material fetches `sitemap.xml` beside every head `<link rel="alternate">`, taking them
        # for language roots; the i18n plugin's are this page's counterparts, so every page asked
        # for `<page>/sitemap.xml` and got a 404. The sitemap already pairs each page with its
        # counterpart (xhtml:link hreflang, which search engines read like the head links), and
        # the language switcher's own links go to the counterpart, so the head links can go.
        html = _HREFLANG_LINK.sub("", html)
        # A page in a language folder searches that language's index (`<folder>/search/`)
        # and resolves its results against the folder, not the site root.
        _, folders = language_folders(config)
        url = page.url or ""
        if language in folders and url.startswith(f"{language}/"):
            page_dir = url if url.endswith("/") else posixpath.dirname(url)
            html = rebase_config(html, posixpath.relpath(language, page_dir.rstrip("/") or "."))
        return html


def write_language_sitemaps(site_dir: Path, site_url: str, folders: list[str]) -> None:
    """`<folder>/sitemap.xml` for each language folder: the root sitemap's entries under it.

    material reads the sitemap of the language root a page links to (the Arabic pages' feed
    sits in `ar/`), and a sitemap may only list addresses under its own folder.
    """
    import xml.etree.ElementTree as ET

    root_sitemap = site_dir / SITEMAP
    if not root_sitemap.exists():
        return
    for prefix, uri in _SITEMAP_NS.items():
        ET.register_namespace(prefix, uri)
    tree = ET.parse(root_sitemap)
    base = urlsplit(site_url or "/").path.rstrip("/") + "/"
    loc_tag = f"{{{_SITEMAP_NS['']}}}loc"
    for folder in folders:
        under = f"{base}{folder}/"
        urlset = ET.Element(tree.getroot().tag)
        for url in tree.getroot():
            loc = url.findtext(loc_tag) or ""
            if urlsplit(loc).path.startswith(under):
                urlset.append(url)
        ET.indent(urlset, space="    ")
        body = ET.tostring(urlset, encoding="unicode")
        (site_dir / folder / SITEMAP).write_text(
            f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n', encoding="utf-8"
        )
