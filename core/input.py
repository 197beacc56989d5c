"""Input no person types: refused before any form, serializer or query sees it.

A NUL character or a lone UTF-16 surrogate cannot be stored by PostgreSQL (psycopg raises on
the first, the encoder on the second), so each used to end as a 500. They are refused, not
stripped: nobody types them (they come from tools and probes), and silently changing what
was sent would store something else than what its author saw. JSON bodies are also bounded in
size and nesting before they are parsed (Python's parser recurses: '[' * 5000 crashes it)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from .errors import Invalid

# A NUL, or a surrogate code point (U+D800..U+DFFF): never part of valid UTF-8 text, so any
# one left in a decoded str is lone.
_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")
# Strings in a JSON text (escapes included), removed before the brackets are counted.
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


def forbidden_characters_error() -> Invalid:
    return Invalid(
        _(
            "Le texte envoyé contient un caractère non autorisé (caractère nul ou invalide) : "
            "retirez-le et envoyez à nouveau."
        )
    )


def has_forbidden_characters(value: str) -> bool:
    return _FORBIDDEN.search(value) is not None


def strip_forbidden_characters(value: str) -> str:
    return _FORBIDDEN.sub("", value)


def strings_in(value: object) -> Iterator[str]:
    """Every string of a parsed JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(key)
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def ensure_clean_strings(values: Iterable[str]) -> None:
    """Invalid if any string holds a NUL or a lone surrogate."""
    if any(has_forbidden_characters(value) for value in values):
        raise forbidden_characters_error()


def ensure_json_depth(raw: bytes, *, max_depth: int) -> None:
    """Invalid if ``raw`` nests arrays and objects deeper than ``max_depth``: counted on the
    raw text, so a hostile body never reaches the recursive parser."""
    depth = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub(b'""', raw)):
        depth += 1 if match.group() in (b"[", b"{") else -1
        if depth > max_depth:
            raise Invalid(
                _("Le JSON envoyé est imbriqué sur plus de %(max)d niveaux.") % {"max": max_depth}
            )
