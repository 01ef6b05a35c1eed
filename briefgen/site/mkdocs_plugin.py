"""The `briefgen` mkdocs plugin: what mkdocs-material and the i18n plugin leave undone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config import config_options
from mkdocs.plugins import BasePlugin, event_priority

_HTML_OPEN_TAG = re.compile(r"<html\b([^>]*)>", re.IGNORECASE)
RTL_LANGUAGES = frozenset({"ar"})


class BriefgenPlugin(BasePlugin):  # type: ignore[type-arg]
    config_scheme = (("gazetteer", config_options.Optional(config_options.Type(str))),)

    # After the i18n plugin (-100) has merged both languages' entries and written the index.
    @event_priority(-200)
    def on_post_build(self, config: Any) -> None:
        from briefgen.gazetteer import Gazetteer, load_gazetteer
        from briefgen.site.search_index import rewrite_search_index

        index = Path(config.site_dir) / "search" / "search_index.json"
        if not index.exists():
            return
        path = self.config.get("gazetteer")
        gazetteer = load_gazetteer(Path(path)) if path and Path(path).exists() else Gazetteer()
        rewrite_search_index(index, gazetteer)

    @event_priority(-50)
    def on_page_context(self, context: dict[str, Any], page: Any, config: Any, nav: Any) -> dict[str, Any]:
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
    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        # Material puts `dir` on <body> only; screen readers and the browser's
        # own UI (scrollbars, form controls) read it from <html>.
        language = config.theme.get("language", "en")
        direction = "rtl" if language in RTL_LANGUAGES else "ltr"

        def add_dir(match: re.Match[str]) -> str:
            attrs = match.group(1)
            if re.search(r"\sdir=", attrs):
                return match.group(0)
            return f'<html{attrs} dir="{direction}">'

        return _HTML_OPEN_TAG.sub(add_dir, output, count=1)
