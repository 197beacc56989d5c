"""Plain text typed by the town's staff, shown as HTML without trusting it: everything is
escaped, then blank lines make paragraphs, "# " lines headings, "- " lines lists, and web or
e-mail addresses become links. No HTML typed in the text ever reaches the page."""

from __future__ import annotations

import re

from django.utils.html import format_html, format_html_join, urlize
from django.utils.safestring import SafeString, mark_safe

_HEADING = re.compile(r"^(#{1,3})\s+(.+)$")
_ITEM = re.compile(r"^[-*]\s+(.+)$")


def _inline(text: str) -> SafeString:
    # autoescape=True: urlize escapes the text around the links and the links themselves.
    return mark_safe(urlize(text, nofollow=True, autoescape=True))  # noqa: S308


def render_text(text: str) -> SafeString:
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def close_paragraph() -> None:
        if paragraph:
            first, *others = paragraph
            breaks = format_html_join("", "<br>{}", ((_inline(line),) for line in others))
            blocks.append(format_html("<p>{}{}</p>", _inline(first), breaks))
            paragraph.clear()

    def close_list() -> None:
        if items:
            entries = format_html_join("", "<li>{}</li>", ((_inline(i),) for i in items))
            blocks.append(format_html("<ul>{}</ul>", entries))
            items.clear()

    for line in (text or "").splitlines():
        line = line.strip()
        heading, item = _HEADING.match(line), _ITEM.match(line)
        if not line or heading or item:
            close_paragraph()
        if not item:
            close_list()
        if heading:
            # The page's title is its h1: "#" is a section (h2), "##" a subsection (h3)...
            level = len(heading.group(1)) + 1
            blocks.append(format_html("<h{0}>{1}</h{0}>", level, _inline(heading.group(2))))
        elif item:
            items.append(item.group(1))
        elif line:
            paragraph.append(line)
    close_paragraph()
    close_list()
    return format_html_join("\n", "{}", ((block,) for block in blocks))
