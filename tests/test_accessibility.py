"""Static accessibility checks over every page of the built seed site and its variant (issue 6 §4).

Mixed-language text carries the right lang and dir, headings never skip a level, and every
image and map has a text alternative. The page's own content is checked (mkdocs-material's
<article class="md-content__inner">); of the theme's chrome, the language switcher. axe-core in
a real browser is tests/test_browser_a11y.py.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.variant_site import variant_site

# Letters only: digits (Western or Arabic-Indic), punctuation and symbols are neutral in either language.
ARABIC_BLOCKS = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
LATIN_BLOCKS = re.compile("[A-Za-z\u00c0-\u024f]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Attributes a screen reader speaks in the element's language.
SPOKEN_ATTRIBUTES = ("title", "aria-label", "alt")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None
    children: list[Element | str] = field(default_factory=list)

    def ancestors_and_self(self) -> Iterator[Element]:
        node: Element | None = self
        while node is not None:
            yield node
            node = node.parent

    def inherited(self, *names: str) -> str | None:
        """The value of the nearest of `names` on this element or an ancestor (like lang or dir)."""
        for node in self.ancestors_and_self():
            for name in names:
                if name in node.attrs:
                    return node.attrs[name]
        return None

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def texts(self) -> Iterator[tuple[Element, str]]:
        """Every text node with the element that holds it."""
        for child in self.children:
            if isinstance(child, Element):
                if child.tag not in ("script", "style"):
                    yield from child.texts()
            else:
                yield self, child

    def text(self) -> str:
        return "".join(text for _, text in self.texts())

    def has_class(self, name: str) -> bool:
        return name in self.attrs.get("class", "").split()

    def describe(self) -> str:
        attrs = " ".join(f'{k}="{v}"' for k, v in self.attrs.items() if k in ("id", "class", "lang", "dir"))
        return f"<{self.tag}{' ' + attrs if attrs else ''}>"


class TreeBuilder(HTMLParser):
    """Just enough of a DOM for these checks: mkdocs-material writes well-formed HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.open: list[Element] = [self.root]

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> Element:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.open[-1])
        self.open[-1].children.append(element)
        return element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = self._element(tag, attrs)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


def parse(path: Path) -> Element:
    builder = TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    builder.close()
    return builder.root


def content_of(document: Element) -> Element:
    """The page's own content: mkdocs-material's <article class="md-content__inner">."""
    return next(e for e in document.iter() if e.tag == "article" and e.has_class("md-content__inner"))


def direction_of(element: Element) -> str | None:
    # Inside SVG, text direction is the `direction` attribute; `dir` is HTML's.
    return element.inherited("dir", "direction")


def language_of(element: Element) -> str | None:
    return element.inherited("lang", "xml:lang")


def script_of(text: str) -> str | None:
    """'ar' or 'en' for text in one script, 'mixed' for both, None for neither (digits, punctuation)."""
    arabic = any(ch.isalpha() and ARABIC_BLOCKS.match(ch) for ch in text)
    latin = any(ch.isalpha() and LATIN_BLOCKS.match(ch) for ch in text)
    if arabic and latin:
        return "mixed"
    return "ar" if arabic else "en" if latin else None


EXPECTED = {"ar": ("ar", "rtl"), "en": ("en", "ltr")}
REPO = Path(__file__).resolve().parents[1]


def language_problems(document: Element) -> list[str]:
    """Text (and spoken attributes) whose script does not match its element's lang and dir."""
    problems: list[str] = []

    def check(element: Element, text: str, what: str) -> None:
        script = script_of(text)
        if script is None:
            return
        shown = " ".join(text.split())[:80]
        if script == "mixed":
            problems.append(f"{what} mixes Arabic and Latin letters in {element.describe()}: {shown!r}")
            return
        found = (language_of(element), direction_of(element))
        if found != EXPECTED[script]:
            lang, direction = EXPECTED[script]
            problems.append(
                f'{what} needs lang="{lang}" dir="{direction}" but has lang={found[0]!r} dir={found[1]!r}'
                f" in {element.describe()}: {shown!r}"
            )

    content = content_of(document)
    for element, text in content.texts():
        check(element, text, "text")
    for element in content.iter():
        for name in SPOKEN_ATTRIBUTES:
            if element.attrs.get(name):
                check(element, element.attrs[name], f"{name}=")
    return problems


def heading_problems(document: Element) -> list[str]:
    headings = [e for e in content_of(document).iter() if re.fullmatch(r"h[1-6]", e.tag)]
    problems = []
    previous = 0
    for heading in headings:
        level = int(heading.tag[1])
        if level > previous + 1:
            problems.append(
                f"h{previous or '-'} → {heading.describe()} {' '.join(heading.text().split())[:60]!r}"
            )
        previous = level
    if headings and headings[0].tag != "h1":
        problems.append(f"the content does not open with an h1 but {headings[0].describe()}")
    if sum(1 for h in headings if h.tag == "h1") != 1:
        problems.append("the content needs exactly one h1")
    return problems


def accessible_name(svg: Element) -> str:
    ids = svg.attrs.get("aria-labelledby", "").split()
    by_id = {e.attrs["id"]: e for e in svg.iter() if "id" in e.attrs}
    return " ".join(by_id[i].text().strip() for i in ids if i in by_id).strip() or svg.attrs.get(
        "aria-label", ""
    )


def map_problems(document: Element) -> list[str]:
    """Every map: named, its links named, and its places listed as text beside it."""
    problems: list[str] = []
    content = content_of(document)
    elements = list(content.iter())
    for index, svg in enumerate(elements):
        if svg.tag != "svg" or not svg.has_class("bg-map"):
            continue
        role = svg.attrs.get("role")
        if role not in ("img", "group"):
            problems.append(f"map role={role!r}: it needs role img (or group, if it holds links)")
        if not accessible_name(svg):
            problems.append("map without an accessible name (aria-labelledby → <title>)")
        links = [a for a in svg.iter() if a.tag == "a" and "href" in a.attrs]
        spoken = [
            a for a in links if not any(n.attrs.get("aria-hidden") == "true" for n in a.ancestors_and_self())
        ]
        if role == "img" and links:
            # An image's children are presentational: focusable links inside it are lost to screen readers.
            problems.append(f'map role="img" holds {len(links)} links (axe: nested-interactive)')
        for a in spoken:
            titles = [t.text().strip() for t in a.iter() if t.tag == "title"]
            if not any(titles):
                problems.append(f"map link {a.attrs['href']} has no <title> to name it")
        # The text alternative: the list of places after the map, with a link per place.
        listing = next(
            (e for e in elements[index:] if e.tag == "details" and e.has_class("bg-map-places")), None
        )
        if listing is None:
            problems.append("map without a list of its places")
            continue
        listed = {a.attrs.get("href") for a in listing.iter() if a.tag == "a"}
        missing = {a.attrs["href"] for a in links} - listed
        if missing:
            problems.append(f"places on the map but not in its list: {sorted(missing)}")
    return problems


def image_problems(document: Element) -> list[str]:
    return [
        f"<img src={e.attrs.get('src')!r}> without alt"
        for e in document.iter()
        if e.tag == "img" and "alt" not in e.attrs
    ]


def site_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("index.html"))


@pytest.fixture(scope="module")
def documents(seed_site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Element]:
    """Every page of the seed site and of its variant (pending and partial translations, …)."""
    sites = {"seed": seed_site, "variant": variant_site(tmp_path_factory)}
    return {
        f"{name}:{page.parent.relative_to(site).as_posix()}": parse(page)
        for name, site in sites.items()
        for page in site_pages(site)
    }


def report(found: dict[str, list[str]], limit: int = 40) -> str:
    lines = [f"{page}: {problem}" for page, problems in sorted(found.items()) for problem in problems]
    return f"{len(lines)} problems:\n" + "\n".join(lines[:limit]) + ("\n…" if len(lines) > limit else "")


def test_every_fragment_carries_the_lang_and_dir_of_its_script(documents: dict[str, Element]) -> None:
    assert len(documents) > 400, "every page of both languages, of both sites"
    found = {page: problems for page, doc in documents.items() if (problems := language_problems(doc))}
    assert not found, report(found)


def test_language_switcher_names_each_language_in_that_language(documents: dict[str, Element]) -> None:
    for page, doc in documents.items():
        links = [e for e in doc.iter() if e.tag == "a" and e.has_class("md-select__link")]
        assert links, page
        for a in links:
            lang = a.attrs["hreflang"]
            assert (language_of(a), direction_of(a)) == EXPECTED[lang], (page, a.describe())
            assert script_of(a.text()) == lang, (page, a.text())


def test_headings_never_skip_a_level(documents: dict[str, Element]) -> None:
    found = {page: problems for page, doc in documents.items() if (problems := heading_problems(doc))}
    assert not found, report(found)


def test_every_image_and_map_has_a_text_alternative(documents: dict[str, Element]) -> None:
    maps = sum(1 for doc in documents.values() for e in content_of(doc).iter() if e.has_class("bg-map"))
    assert maps == 8, "a map per campaign page, in both languages, of both sites"
    found = {
        page: problems
        for page, doc in documents.items()
        if (problems := image_problems(doc) + map_problems(doc))
    }
    assert not found, report(found)


# The checks must be able to fail: each one against a fragment that breaks it.
def fragment(html: str, page_lang: str = "en") -> Element:
    direction = "rtl" if page_lang == "ar" else "ltr"
    builder = TreeBuilder()
    builder.feed(
        f'<html lang="{page_lang}" dir="{direction}"><body dir="{direction}">'
        f'<article class="md-content__inner md-typeset">{html}</article></body></html>'
    )
    return builder.root


def test_language_check_catches_unmarked_fragments() -> None:
    assert language_problems(fragment('<h1>Title</h1><p lang="ar" dir="rtl">قال <a>حفتر</a></p>')) == []
    assert language_problems(fragment("<h1>Title</h1><p>Haftar (2019) — ١٢</p>")) == []
    assert len(language_problems(fragment("<p>قال حفتر</p>"))) == 1
    assert len(language_problems(fragment('<p lang="ar">قال حفتر</p>'))) == 1, "lang without dir"
    assert len(language_problems(fragment("<p>Al-Wasat · 4 يونيو</p>", "ar"))) == 1, "mixed in one node"
    assert len(language_problems(fragment("<p>المصدر: <span>Al-Wasat</span></p>", "ar"))) == 1
    assert (
        language_problems(fragment('<p>المصدر: <span lang="en" dir="ltr">Al-Wasat</span> 2019</p>', "ar"))
        == []
    )
    assert len(language_problems(fragment('<p><span lang="ar" dir="rtl" title="Pending">نص</span></p>'))) == 1
    svg = '<svg lang="ar" xml:lang="ar" direction="rtl"><text>طرابلس</text></svg>'
    assert language_problems(fragment(svg)) == []


def test_heading_check_catches_skipped_levels() -> None:
    assert heading_problems(fragment("<h1>a</h1><h2>b</h2><h3>c</h3><h2>d</h2>")) == []
    assert len(heading_problems(fragment("<h1>a</h1><h3>c</h3>"))) == 1
    assert len(heading_problems(fragment("<h2>b</h2>"))) == 3  # skips h1, opens without it, has none


def test_map_check_catches_unnamed_and_unlisted_maps() -> None:
    good = (
        '<svg class="bg-map" role="group" aria-labelledby="t"><title id="t">Map</title>'
        '<a href="../x/"><g><title>X</title><circle/></g></a>'
        '<g aria-hidden="true"><a href="../x/" tabindex="-1"><text>X</text></a></g></svg>'
        '<details class="bg-map-places"><ul><li><a href="../x/">X</a></li></ul></details>'
    )
    assert map_problems(fragment(good)) == []
    assert len(map_problems(fragment(good.replace('<title id="t">Map</title>', "")))) == 1
    assert len(map_problems(fragment(good.replace('role="group"', 'role="img"')))) == 1
    assert len(map_problems(fragment(good.replace("<title>X</title>", "")))) == 1
    assert len(map_problems(fragment(good.replace('<li><a href="../x/">X</a></li>', "")))) == 1
    assert image_problems(fragment('<img src="a.png" alt="">')) == []
    assert len(image_problems(fragment('<img src="a.png">'))) == 1


# Our copies of mkdocs-material's partials: (partial, [(the theme's text, ours), ...]). The rest is
# the theme's.
OVERRIDES = [
    (
        "search.html",
        [
            # Named (axe: aria-dialog-name); searched with Pagefind (templates/assets/search.js), so
            # without the data-md-component that would start material's own search.
            (
                '<div class="md-search" data-md-component="search" role="dialog">',
                "<div class=\"md-search\" data-bg-search=\"{{ base_url.rstrip('/') }}/{{ 'ar/' if "
                'config.theme.language == \'ar\' }}pagefind/" role="dialog" aria-label="{{ lang.t(\'search\') }}">',
            ),
            (
                '<form class="md-search__form" name="search">',
                '<form class="md-search__form" name="bg-search">',
            ),
            (' data-md-component="search-query" required>', ' aria-controls="bg-search-results" required>'),
            (
                '<div class="md-search-result" data-md-component="search-result">',
                '<div class="md-search-result" id="bg-search-results">',
            ),
            ('<div class="md-search-result__meta">', '<div class="md-search-result__meta" role="status">'),
            ('{{ lang.t("search.result.initializer") }}', '{{ lang.t("search.result.placeholder") }}'),
        ],
    ),
    (
        "header.html",
        [
            # The search box whatever the plugins: material shows it only with its own search.
            (
                """    {% if "material/search" in config.plugins %}
      {% set search = config.plugins["material/search"] | attr("config") %}
      {% if search.enabled %}
        <label class="md-header__button md-icon" for="__search">
          {% set icon = config.theme.icon.search or "material/magnify" %}
          {% include ".icons/" ~ icon ~ ".svg" %}
        </label>
        {% include "partials/search.html" %}
      {% endif %}
    {% endif %}
""",
                """    <label class="md-header__button md-icon" for="__search">
      {% set icon = config.theme.icon.search or "material/magnify" %}
      {% include ".icons/" ~ icon ~ ".svg" %}
    </label>
    {% include "partials/search.html" %}
""",
            )
        ],
    ),
    (
        "alternate.html",
        [
            (
                '<a href="{{ alt.link | url }}" hreflang="{{ alt.lang }}" class="md-select__link">',
                '<a href="{{ alt.link | url }}" hreflang="{{ alt.lang }}" lang="{{ alt.lang }}"'
                " dir=\"{{ 'rtl' if alt.lang == 'ar' else 'ltr' }}\" class=\"md-select__link\">",
            )
        ],
    ),
]


@pytest.mark.parametrize(("name", "changes"), OVERRIDES, ids=[name for name, _ in OVERRIDES])
def test_overridden_partials_match_the_installed_theme(name: str, changes: list[tuple[str, str]]) -> None:
    import material

    theme = (Path(material.__file__).parent / "templates" / "partials" / name).read_text(encoding="utf-8")
    override = (REPO / "templates" / "overrides" / "partials" / name).read_text(encoding="utf-8")
    leading_comment = re.compile(r"\A\{#-.*?-#\}\n", re.S)
    ours_plain = leading_comment.sub("", override)
    for theirs, ours in changes:
        assert ours_plain.count(ours) == 1, f"{name}: the override lost its change {ours!r}"
        ours_plain = ours_plain.replace(ours, theirs)
    theirs_plain = leading_comment.sub("", theme)
    assert ours_plain == theirs_plain, f"mkdocs-material's {name} changed: update the override\n" + "".join(
        difflib.unified_diff(theirs_plain.splitlines(True), ours_plain.splitlines(True), "theme", "ours")
    )
