"""Lesson Markdown to safe HTML: CommonMark + tables, Pygments highlighting, nh3 sanitising.

Raw HTML in a lesson is never passed through: markdown-it escapes it (html disabled) and
nh3 then removes any tag or attribute outside the allow-list below, so even a bug in a
render rule cannot put a <script> or an event handler on the page. The only htmx attributes
allowed are a lab-figures placeholder's, and only with the values that placeholder uses.

A fence ```lab-figures holding one topic (e.g. `cold-warm`) becomes a placeholder that loads
the lab's newest figures on that topic, with a plain link to them for readers without JS.

A fact about this site, such as the Django release it runs, is written as a token
(`{django_version}`) and filled in when the page is shown (`with_site_facts`), never typed.
"""

import math
from typing import Any, TypedDict
from urllib.parse import urlencode

import django
import nh3
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.token import Token
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from lab.topics import TOPICS

WORDS_PER_MINUTE = 200
RUN_FLAG = "run"
TOC_LEVELS = ("h2", "h3")
# Ids the page itself uses; a heading never takes one of them.
RESERVED_IDS = frozenset({"main", "toc-heading", "lesson-end", "lesson-end-heading", "read-panel"})
LAB_FIGURES = "lab-figures"
HTMX_ATTRIBUTES = {"hx-get", "hx-trigger", "hx-swap"}

ALLOWED_ATTRIBUTES = {
    **nh3.ALLOWED_ATTRIBUTES,
    "a": {"href", "class", "title"},
    "div": {"class", *HTMX_ATTRIBUTES},
    "pre": {"class"},
    "code": {"class"},
    "span": {"class"},
    "p": {"class"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
}

FORMATTER = HtmlFormatter(cssclass="highlight", wrapcode=True)


class TocEntry(TypedDict):
    id: str
    text: str
    children: list["TocEntry"]


class RenderedBody(TypedDict):
    html: str
    toc: list[TocEntry]
    minutes: int


def reading_minutes(text: str) -> int:
    """Minutes to read `text` at 200 words a minute, at least one."""
    return max(1, math.ceil(len(text.split()) / WORDS_PER_MINUTE))


def is_runnable(info: str) -> bool:
    """A fence whose info string carries the `run` flag, e.g. ```python run."""
    return RUN_FLAG in info.split()[1:]


def sandbox_url(code: str) -> str:
    return f"{reverse('sandbox:index')}?{urlencode({'code': code})}"


def highlighted(code: str, language: str) -> str:
    try:
        lexer = get_lexer_by_name(language) if language else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    return highlight(code, lexer, FORMATTER)


class UnknownTopic(ValueError):
    """A lab-figures fence names a topic the lab does not measure."""


def lab_figures_url(topic: str) -> str:
    return reverse("lab:figures", args=[topic])


def lab_figures_placeholder(content: str) -> str:
    topic = content.strip()
    if topic not in TOPICS:
        raise UnknownTopic(f"A lab-figures block names “{topic}”: use one of {', '.join(TOPICS)}.")
    url = lab_figures_url(topic)
    return format_html(
        '<div class="lab-figures" hx-get="{}" hx-trigger="load" hx-swap="outerHTML">'
        '<p class="notice">How much does this save on a real server? '
        '<a href="{}">See the latest figures measured in the performance lab</a>.</p></div>\n',
        url,
        url,
    )


def render_fence(self, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    token = tokens[idx]
    language = token.info.split()[0] if token.info.strip() else ""
    if language == LAB_FIGURES:
        return lab_figures_placeholder(token.content)
    code_html = highlighted(token.content, language)
    if not is_runnable(token.info):
        return code_html
    env["examples"] += 1
    href = sandbox_url(token.content.rstrip("\n"))
    return (
        f'<div class="example">{code_html}<p class="example-run">'
        f'<a class="button button-secondary" href="{escape(href)}">Run in sandbox'
        f'<span class="visually-hidden"> (example {env["examples"]})</span></a></p></div>\n'
    )


def heading_text(inline: Token) -> str:
    return "".join(
        child.content for child in inline.children or [] if child.type in {"text", "code_inline"}
    )


def unique_id(text: str, taken: set[str]) -> str:
    base = slugify(text) or "section"
    anchor, n = base, 2
    while anchor in taken or anchor in RESERVED_IDS:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


def render_heading_open(self, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    token = tokens[idx]
    text = heading_text(tokens[idx + 1])
    anchor = unique_id(text, env["ids"])
    token.attrSet("id", anchor)
    if token.tag in TOC_LEVELS:
        add_to_toc(env["toc"], token.tag, anchor, text)
    return self.renderToken(tokens, idx, options, env)


def add_to_toc(toc: list[TocEntry], tag: str, anchor: str, text: str) -> None:
    entry: TocEntry = {"id": anchor, "text": text, "children": []}
    if tag == "h3" and toc:
        toc[-1]["children"].append(entry)
    else:
        toc.append(entry)


def render_table_open(self, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    return '<div class="table-scroll">' + self.renderToken(tokens, idx, options, env)


def render_table_close(self, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>"


def build_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.add_render_rule("fence", render_fence)
    md.add_render_rule("heading_open", render_heading_open)
    md.add_render_rule("table_open", render_table_open)
    md.add_render_rule("table_close", render_table_close)
    return md


MARKDOWN = build_markdown()


def only_lab_figures_htmx(tag: str, attribute: str, value: str) -> str | None:
    """htmx attributes survive only with the values a lab-figures placeholder gives them."""
    if attribute not in HTMX_ATTRIBUTES:
        return value
    allowed = {
        "hx-trigger": value == "load",
        "hx-swap": value == "outerHTML",
        "hx-get": value in {lab_figures_url(topic) for topic in TOPICS},
    }
    return value if allowed[attribute] else None


def sanitize(html: str) -> str:
    return nh3.clean(html, attributes=ALLOWED_ATTRIBUTES, attribute_filter=only_lab_figures_htmx)


def render_body(text: str) -> RenderedBody:
    env: dict[str, Any] = {"toc": [], "ids": set(), "examples": 0}
    html = sanitize(MARKDOWN.render(text, env))
    return {"html": html, "toc": env["toc"], "minutes": reading_minutes(text)}


# Tokens a lesson may use for facts about the running site, and where each value comes from.
SITE_FACTS = {"{django_version}": django.get_version}


def with_site_facts(html: str) -> SafeString:
    """A lesson's sanitised HTML with each site-fact token replaced by its (escaped) value."""
    for token, value in SITE_FACTS.items():
        html = html.replace(token, escape(value()))
    return mark_safe(html)  # sanitised by nh3 when rendered; the values are escaped
