"""Contrast ratios (WCAG 2 formula) and the safe rendering of the legal pages' text."""

import pytest
from django.utils import translation

from theming.contrast import contrast_ratio, normalised_colour, ratio_label
from theming.text import render_text


@pytest.mark.parametrize(
    ("colour", "expected"),
    [("#000000", 21.0), ("#ffffff", 1.0), ("#767676", 4.54), ("#777777", 4.48), ("#1d4ed8", 6.7)],
)
def test_contrast_of_white_text(colour, expected):
    assert contrast_ratio("#ffffff", colour) == pytest.approx(expected, abs=0.01)
    assert contrast_ratio(colour, "#ffffff") == contrast_ratio("#ffffff", colour)


def test_a_ratio_just_below_the_threshold_never_reads_as_enough():
    with translation.override("fr"):
        assert ratio_label(4.4999) == "4,49:1"
        assert ratio_label(21.0) == "21,00:1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("#1D4ED8", "#1d4ed8"),
        (" 1d4ed8 ", "#1d4ed8"),
        ("#1d4ed", None),
        ("bleu", None),
        ("", None),
        ("#1d4ed8;} body{display:none", None),
        ("red", None),
    ],
)
def test_only_six_digit_hex_colours_are_colours(value, expected):
    assert normalised_colour(value) == expected


def test_text_is_escaped_and_never_interpreted_as_html():
    html = render_text('<script>alert("x")</script>\n<b onclick="x()">gras</b>')
    assert "<script" not in html and "<b " not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>&lt;b onclick" in html


def test_paragraphs_headings_lists_and_links():
    html = render_text(
        "# Éditeur\nMairie de Ville A\n1 place de la Mairie\n\n"
        "## Hébergement\n- Hébergeur : Exemple SAS\n- https://hebergeur.example/\n"
        "Écrire à accessibilite@ville-a.fr."
    )
    assert html.startswith("<h2>Éditeur</h2>\n<p>Mairie de Ville A<br>1 place de la Mairie</p>")
    assert "<h3>Hébergement</h3>" in html
    assert (
        '<ul><li>Hébergeur : Exemple SAS</li><li><a href="https://hebergeur.example/" '
        'rel="nofollow">https://hebergeur.example/</a></li></ul>'
    ) in html
    assert '<p>Écrire à <a href="mailto:accessibilite@ville-a.fr">' in html


def test_a_link_cannot_carry_script():
    html = render_text('javascript:alert(1) https://ex.example/"><script>')
    assert "<script" not in html
    assert 'href="javascript' not in html


def test_empty_text_renders_nothing():
    assert render_text("") == "" and render_text("  \n\n ") == ""
