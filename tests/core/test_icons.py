import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(source: str, **context) -> str:
    return Template("{% load icons %}" + source).render(Context(context))


def test_an_icon_is_inline_svg_hidden_from_screen_readers():
    html = render('{% icon "check" %}')
    assert html.startswith('<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"')
    assert "<path" in html


def test_an_icon_with_a_label_is_an_image_of_that_name():
    html = render('{% icon "alert" label=words %}', words="Attention <b>")
    assert 'role="img" aria-label="Attention &lt;b&gt;"' in html
    assert "aria-hidden" not in html


def test_an_unknown_icon_is_a_template_error():
    with pytest.raises(TemplateSyntaxError, match="Unknown icon 'nope'"):
        render('{% icon "nope" %}')
