"""The Help pages: the user guide in `docs/guide/<slug>.md`, rendered as NHS.UK pages at /help/ and /help/<slug>/.

The guide is written once, in Markdown, and read in two places: on GitHub and in the site. So links between its
pages are written as GitHub reads them (`[risks](risks.md)`) and rewritten here to /help/risks/. The files are
the project's own, but their HTML still passes through nh3 with a short allow-list: a page is shown to people who
have not signed in, and defence in depth costs nothing once a page is cached.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path

import nh3
from django.conf import settings
from django.urls import reverse
from markdown_it import MarkdownIt
from markupsafe import Markup

GUIDE_DIR = Path(settings.BASE_DIR) / "docs" / "guide"
INDEX = "index"
# On the index, the section under this heading lists the guide's pages in order: GitHub shows it as written; the
# site shows the NHS.UK contents list in its place.
CONTENTS_HEADING = "Pages in this guide"
SLUG = re.compile(r"[a-z0-9-]+")
# A link to another page of the guide, as written on GitHub: `risks.md`, `./risks.md#appetite`.
GUIDE_LINK = re.compile(r"^(?:\./)?(?P<slug>[a-z0-9-]+)\.md(?P<fragment>#[\w-]*)?$")

ALLOWED_TAGS = {
    *("h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "div", "span"),
    *("ul", "ol", "li", "dl", "dt", "dd", "a", "strong", "em", "b", "i", "del", "code", "pre", "kbd", "abbr"),
    *("table", "thead", "tbody", "tr", "th", "td"),
}
ALLOWED_ATTRIBUTES = {
    "*": {"class"},
    **dict.fromkeys(("h2", "h3", "h4", "h5", "h6"), {"id"}),
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "div": {"data-module"},
    "span": {"aria-hidden"},
    **dict.fromkeys(("table", "thead", "tbody", "tr", "td"), {"role"}),
    "th": {"role", "scope"},
}

# NHS.UK classes for the elements Markdown makes.
CLASSES = {
    "bullet_list_open": "nhsuk-list nhsuk-list--bullet",
    "ordered_list_open": "nhsuk-list nhsuk-list--number",
    "blockquote_open": "nhsuk-inset-text",
    "hr": "nhsuk-section-break nhsuk-section-break--m nhsuk-section-break--visible",
    "table_open": "nhsuk-table nhsuk-table--responsive",
    "thead_open": "nhsuk-table__head",
    "tbody_open": "nhsuk-table__body",
    "tr_open": "nhsuk-table__row",
    "th_open": "nhsuk-table__header",
    "td_open": "nhsuk-table__cell",
}
# A responsive table stacks its rows on a small screen, so CSS no longer gives it table semantics: roles do.
ROLES = {
    "table_open": "table",
    "thead_open": "rowgroup",
    "tbody_open": "rowgroup",
    "tr_open": "row",
    "th_open": "columnheader",
    "td_open": "cell",
}
ALIGNMENT = re.compile(r"text-align:(left|center|right)")
TEXT_ALIGN_CLASSES = {
    "left": "nhsuk-u-text-align-left",
    "center": "nhsuk-u-text-align-centre",
    "right": "nhsuk-u-text-align-right",
}


@dataclass(frozen=True)
class GuidePage:
    slug: str
    title: str
    html: Markup
    html_after_contents: Markup = Markup("")
    linked_slugs: tuple[str, ...] = field(default=())

    @property
    def url(self) -> str:
        return page_url(self.slug)


def page_url(slug: str) -> str:
    return reverse("core:help_index") if slug == INDEX else reverse("core:help_page", args=[slug])


def get_page(slug: str) -> GuidePage | None:
    """The guide page `slug`, or None if no such file: only a known slug ever becomes a path."""
    if not SLUG.fullmatch(slug) or slug not in _slugs_on_disk():
        return None
    path = GUIDE_DIR / f"{slug}.md"
    try:
        modified = path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    return _render(slug, str(path), modified)


def contents() -> list[GuidePage]:
    """Every page but the index: in the order of the index's list of pages, then any others by name."""
    index = get_page(INDEX)
    linked = index.linked_slugs if index else ()
    others = sorted(_slugs_on_disk() - {INDEX})
    ordered = [slug for slug in dict.fromkeys(linked) if slug in others]
    ordered += [slug for slug in others if slug not in ordered]
    return [page for page in map(get_page, ordered) if page is not None]


def _slugs_on_disk() -> set[str]:
    if not GUIDE_DIR.is_dir():
        return set()
    return {path.stem for path in GUIDE_DIR.glob("*.md") if SLUG.fullmatch(path.stem)}


@lru_cache(maxsize=64)
def _render(slug: str, path: str, modified: int) -> GuidePage:
    """Render one file; cached per modification time, so an edited file is read again and an unchanged one is not."""
    source = Path(path).read_text(encoding="utf-8")
    markdown = _markdown()
    tokens = markdown.parse(source)
    title, tokens = _take_title(tokens, default=slug.replace("-", " ").capitalize())
    links = _decorate(tokens)
    start, end = _contents_section(tokens) if slug == INDEX else (len(tokens), len(tokens))
    in_section = [page for position, page in links if start <= position < end]
    return GuidePage(
        slug=slug,
        title=title,
        html=_to_html(markdown, tokens[:start]),
        html_after_contents=_to_html(markdown, tokens[end:]),
        linked_slugs=tuple(in_section or [page for _, page in links]),
    )


def _to_html(markdown: MarkdownIt, tokens: list) -> Markup:
    html = markdown.renderer.render(tokens, markdown.options, {})
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    return Markup(clean)


def _markdown() -> MarkdownIt:
    markdown = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    markdown.add_render_rule("td_open", _render_cell_open)
    markdown.add_render_rule("td_close", lambda self, tokens, idx, options, env: "</span></td>")
    markdown.add_render_rule("fence", _render_code_block)
    markdown.add_render_rule("code_block", _render_code_block)
    return markdown


def _take_title(tokens: list, default: str) -> tuple[str, list]:
    """The first level-1 heading's text, and the tokens without it: the page template sets the <h1> itself."""
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1":
            return _plain(tokens[index + 1]), tokens[:index] + tokens[index + 3 :]
    return default, tokens


def _contents_section(tokens: list) -> tuple[int, int]:
    """Where the index's list of pages starts and ends (from its heading to the next heading of the same level)."""
    for start, token in enumerate(tokens):
        if token.type == "heading_open" and _plain(tokens[start + 1]) == CONTENTS_HEADING:
            level = int(token.tag[1])
            for end in range(start + 1, len(tokens)):
                if tokens[end].type == "heading_open" and int(tokens[end].tag[1]) <= level:
                    return start, end
            return start, len(tokens)
    return len(tokens), len(tokens)


def _decorate(tokens: list) -> list[tuple[int, str]]:
    """Add NHS.UK classes, heading ids and table headings; rewrite guide links. Returns where each links to a page."""
    linked: list[tuple[int, str]] = []
    heading_ids: set[str] = set()
    column_headings: list[str] = []
    column = 0
    for index, token in enumerate(tokens):
        if token.type in CLASSES:
            token.attrJoin("class", CLASSES[token.type])
        if token.type in ROLES:
            token.attrSet("role", ROLES[token.type])
        if token.type in ("th_open", "td_open"):
            _align(token)
        if token.type == "thead_open":
            column_headings = []
        elif token.type == "th_open":
            token.attrSet("scope", "col")
            column_headings.append(_plain(tokens[index + 1]))
        elif token.type == "tr_open":
            column = 0
        elif token.type == "td_open":
            token.meta["heading"] = column_headings[column] if column < len(column_headings) else ""
            column += 1
        elif token.type == "heading_open":
            token.attrSet("id", _unique(_heading_id(_plain(tokens[index + 1])), heading_ids))
        elif token.type == "inline":
            for child in token.children or []:
                if child.type == "link_open":
                    slug = _rewrite_link(child)
                    if slug:
                        linked.append((index, slug))
    return linked


def _plain(inline) -> str:
    """The text of an inline token as a reader sees it: no backticks, asterisks or link targets."""
    return "".join(child.content for child in inline.children or [] if child.type in ("text", "code_inline")).strip()


def _align(token) -> None:
    """Markdown aligns a column with a style attribute; the allow-list drops styles, so use NHS.UK's classes."""
    style = token.attrGet("style") or ""
    match = ALIGNMENT.search(style)
    if match:
        token.attrJoin("class", TEXT_ALIGN_CLASSES[match.group(1)])
    token.attrs.pop("style", None)


def _rewrite_link(link) -> str | None:
    match = GUIDE_LINK.match(link.attrGet("href") or "")
    if not match:
        return None
    slug = match.group("slug")
    link.attrSet("href", page_url(slug) + (match.group("fragment") or ""))
    return slug


def _heading_id(text: str) -> str:
    """The anchor GitHub gives a heading (lower case, punctuation dropped, spaces as hyphens), so links agree."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def _unique(anchor: str, seen: set[str]) -> str:
    candidate, number = anchor, 0
    while candidate in seen:
        number += 1
        candidate = f"{anchor}-{number}"
    seen.add(candidate)
    return candidate


def _render_cell_open(self, tokens, idx, options, env) -> str:
    """A cell of a responsive table repeats its column heading, shown only when the rows stack on a small screen."""
    heading = tokens[idx].meta.get("heading", "")
    label = f'<span class="nhsuk-table__heading" aria-hidden="true">{escape(heading)} </span>' if heading else ""
    return self.renderToken(tokens, idx, options, env) + label + "<span>"


def _render_code_block(self, tokens, idx, options, env) -> str:
    """A code block as the NHS.UK code component, which scrolls sideways (and takes focus) when lines are long."""
    code = escape(tokens[idx].content)
    return (
        '<div class="nhsuk-code" data-module="nhsuk-code"><pre class="nhsuk-code__container">'
        f'<code class="nhsuk-code__content">{code}</code></pre></div>\n'
    )
