"""The forum's small markup: formatted as promised, and nothing typed ever runs."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from network.markup import mentioned_handles, render


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("**gras** et *italique*", "<p><strong>gras</strong> et <em>italique</em></p>"),
        ("- un\n- deux", "<ul><li>un</li><li>deux</li></ul>"),
        ("1. un\n2. deux", "<ol><li>un</li><li>deux</li></ol>"),
        ("> cité", "<blockquote><p>cité</p></blockquote>"),
        ("`<b>`", "<p><code>&lt;b&gt;</code></p>"),
        ("```\n<i>x</i>\n```", "<pre><code>&lt;i&gt;x&lt;/i&gt;</code></pre>"),
        ("un\n\ndeux", "<p>un</p><p>deux</p>"),
    ],
)
def test_the_markup_is_formatted(typed, shown):
    assert render(typed) == shown


class Elements(HTMLParser):
    """The elements and attributes of rendered HTML, as a browser would read them."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


@pytest.mark.parametrize(
    "typed",
    [
        "[clic](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<img src=x onerror=alert(1)>",
        '[x](https://a.fr" onmouseover="alert(1))',
        "https://a.fr/<script>",
        "**<b onclick=alert(1)>x</b>**",
    ],
)
def test_nothing_typed_becomes_markup_that_runs(typed):
    tags = Elements()
    tags.feed(render(typed))
    assert {tag for tag, _attrs in tags.found} <= {"p", "a", "strong", "em", "code"}
    for _tag, attrs in tags.found:
        for name, value in attrs:
            assert name in ("href", "rel"), name
            assert name != "href" or value.startswith("https://"), value


def test_links_are_kept_and_marked_as_users_content():
    html = render("[guide](https://exemple.fr/guide) et https://exemple.fr/b?x=1&y=2.")
    assert (
        '<a href="https://exemple.fr/guide" rel="noopener noreferrer nofollow ugc">guide</a>'
        in html
    )
    assert 'href="https://exemple.fr/b?x=1&amp;y=2"' in html


def test_mentions_are_read_once_each_in_lower_case():
    assert mentioned_handles("@Marie-Dupont, @marie-dupont et @paul mail@exemple.fr") == {
        "marie-dupont",
        "paul",
    }
    assert "<strong>@paul</strong>" in render("@paul", handles={"paul"})
