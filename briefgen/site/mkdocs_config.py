"""The mkdocs configuration for a briefgen site, as data."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from briefgen.config import SiteConfig
from briefgen.site.render import load_strings, localized


def mkdocs_config(
    config: SiteConfig, docs_dir: Path, site_dir: Path, page_cache: dict[str, str] | None = None
) -> dict[str, Any]:
    """mkdocs.yml for the generated docs tree; `page_cache` turns on briefgen's page cache
    (its plugin options: see briefgen.site.page_cache).

    The nav lists the few fixed pages only: a sidebar with every article would make
    each page's build walk the whole archive (quadratic), so articles are reached
    through the archive, campaign and home pages instead.
    """
    strings = load_strings(config.templates_dir)

    def label(key: str, lang: str = "en") -> str:
        return localized(strings[key][lang], lang)

    # mkdocs-material prints the site's name and description and the nav titles as HTML,
    # unescaped: the ones taken from site_config.yml are escaped here.
    nav_keys = ["home", "campaigns", "chronology", "articles", "entities", "about", "overall_chronology"]
    nav: list[Any] = [
        {label("home"): "index.md"},
        {label("campaigns"): [{escape(c.name["en"]): f"campaigns/{c.id}.md"} for c in config.campaigns]},
        {
            label("chronology"): [
                {label("overall_chronology"): "chronology/index.md"},
                *({escape(c.name["en"]): f"chronology/{c.id}.md"} for c in config.campaigns),
            ]
        },
        {label("articles"): "articles/index.md"},
        {label("entities"): "entities/index.md"},
        {label("about"): "about.md"},
    ]
    nav_translations = {label(k): label(k, "ar") for k in nav_keys}
    nav_translations.update({escape(c.name["en"]): escape(c.name["ar"]) for c in config.campaigns})
    theme: dict[str, Any] = {
        "name": "material",
        "language": "en",
        # Google Fonts are outside the site: use the reader's system fonts.
        "font": False,
        "features": [
            "navigation.top",
            "navigation.indexes",
            "content.tooltips",
        ],
        "palette": {"scheme": "default", "primary": "blue grey", "accent": "amber"},
    }
    overrides = config.templates_dir / "overrides"
    if overrides.is_dir():
        theme["custom_dir"] = str(overrides)
    result: dict[str, Any] = {
        "site_name": escape(config.title["en"]),
        "site_description": escape(config.description["en"]),
        "site_url": config.site_url,
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "use_directory_urls": True,
        "theme": theme,
        "nav": nav,
        "extra_css": ["assets/briefgen.css"],
        # The chronology's filters (they do nothing on pages without them) and the search box.
        "extra_javascript": ["assets/briefgen-chronology.js", "assets/search.js"],
        # Material's "Made with Material" footer links out; keep the site self-contained.
        "extra": {"generator": False},
        "markdown_extensions": [
            "admonition",
            "attr_list",
            "md_in_html",
            {"toc": {"permalink": True}},
        ],
        "plugins": [
            # No "search": material's lunr search loads one index of the whole language before
            # the first result. briefgen's plugin indexes the site with Pagefind instead
            # (briefgen/site/pagefind_index.py), and assets/search.js searches it.
            {
                "i18n": {
                    "docs_structure": "folder",
                    "reconfigure_material": True,
                    "reconfigure_search": False,
                    "languages": [
                        {"locale": "en", "name": "English", "default": True, "build": True},
                        {
                            "locale": "ar",
                            "name": "العربية",
                            "build": True,
                            "site_name": escape(config.title["ar"]),
                            "site_description": escape(config.description["ar"]),
                            "nav_translations": nav_translations,
                        },
                    ],
                }
            },
            {"briefgen": {"gazetteer": str(config.gazetteer_path), **(page_cache or {})}},
        ],
        "validation": {
            # Articles are deliberately left out of the nav (see above).
            "nav": {"omitted_files": "ignore", "not_found": "warn", "absolute_links": "warn"},
            "links": {"not_found": "warn", "anchors": "warn", "unrecognized_links": "warn"},
        },
    }
    if config.repo_url:
        result["repo_url"] = config.repo_url
    return result
