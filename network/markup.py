"""The small markup of forum posts, written without HTML: paragraphs (a blank line), line
breaks, **bold**, *italic*, `code`, ``` blocks ```, lists (- or 1.), quotes (>), links
([words](https://…) or a bare https:// address) and @mentions.

Everything typed is escaped first, then formatted; the HTML made is sanitised by nh3 (the
Rust ammonia sanitiser) with a short list of tags, so that no mistake here can let a script
or an event handler through."""

from __future__ import annotations

import html
import re
from collections.abc import Collection

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "code", "pre", "ul", "ol", "li", "blockquote", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Tags that a person pasting HTML means to be run, refused with a message (services).
ACTIVE_HTML = re.compile(r"<\s*/?\s*(script|style|iframe|object|embed|svg)\b", re.IGNORECASE)
MENTION = re.compile(r"(?<![\w@/])@([a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?)", re.IGNORECASE)

_CODE = re.compile(r"`([^`\n]+)`")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_BARE_URL = re.compile(r"(?<![\"'=>\w])(https?://[^\s<]+[^\s<.,;:!?)])")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![\w*])[*_](?=\S)(.+?)(?<=\S)[*_](?![\w*])")
_BULLET = re.compile(r"^\s*[-*]\s+")
_NUMBER = re.compile(r"^\s*\d{1,3}[.)]\s+")


def mentioned_handles(body: str) -> set[str]:
    """The handles named with @ in ``body`` (lower case), each once."""
    return {handle.lower() for handle in MENTION.findall(body)}


def _inline(text: str, handles: Collection[str]) -> str:
    # Code spans first: nothing inside them is formatted. Odd pieces are code.
    pieces = _CODE.split(text)
    formatted = []
    for index, piece in enumerate(pieces):
        escaped = html.escape(piece, quote=True)
        if index % 2:
            formatted.append(f"<code>{escaped}</code>")
            continue
        escaped = _LINK.sub(r'<a href="\2">\1</a>', escaped)
        escaped = _BARE_URL.sub(r'<a href="\1">\1</a>', escaped)
        escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)
        escaped = _ITALIC.sub(r"<em>\1</em>", escaped)
        escaped = MENTION.sub(
            lambda m: f"<strong>@{m[1]}</strong>" if m[1].lower() in handles else m[0], escaped
        )
        formatted.append(escaped)
    return "".join(formatted)


def _block(block: str, handles: Collection[str]) -> str:
    lines = block.split("\n")
    if block.startswith("```") and block.rstrip().endswith("```") and len(lines) > 1:
        code = "\n".join(lines[1:]).rstrip().removesuffix("```").rstrip("\n")
        return f"<pre><code>{html.escape(code)}</code></pre>"
    if all(_BULLET.match(line) for line in lines):
        items = "".join(f"<li>{_inline(_BULLET.sub('', line), handles)}</li>" for line in lines)
        return f"<ul>{items}</ul>"
    if all(_NUMBER.match(line) for line in lines):
        items = "".join(f"<li>{_inline(_NUMBER.sub('', line), handles)}</li>" for line in lines)
        return f"<ol>{items}</ol>"
    if all(line.startswith(">") for line in lines):
        inner = "<br>".join(_inline(line[1:].strip(), handles) for line in lines)
        return f"<blockquote><p>{inner}</p></blockquote>"
    return "<p>" + "<br>".join(_inline(line, handles) for line in lines) + "</p>"


def render(body: str, *, handles: Collection[str] = ()) -> str:
    """The sanitised HTML of ``body``; ``handles`` are the mentions to highlight (those of
    members who exist)."""
    text = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    blocks = [block.strip("\n") for block in re.split(r"\n[ \t]*\n", text) if block.strip()]
    made = "".join(_block(block, handles) for block in blocks)
    return nh3.clean(
        made,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow ugc",
    )
