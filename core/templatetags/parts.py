"""Rendering a part that an upper app hooked onto a lower app's page (a template and its own
context, e.g. the vendor's go-live checklist on a town's back-office dashboard): the page's
template knows neither the part's template nor its variables."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def render_part(context: template.Context, part: tuple[str, dict[str, Any]]) -> SafeString:
    """``{% render_part part %}``: the part's template, with its context on top of the page's
    (request, CSRF token, the page's own variables), like ``{% include %}``."""
    name, values = part
    with context.push(**values):
        return context.template.engine.get_template(name).render(context)
