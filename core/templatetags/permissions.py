"""{% load permissions %}: a page offers an action only when the service would take it, and
otherwise says why (the same rule, core.rules.why_not)."""

from django import template

from core import rules

register = template.Library()


@register.simple_tag(takes_context=True)
def why_not(context: template.Context, perm: str, obj=None) -> str | None:
    """``{% why_not "budgets.add_project" budget as refusal %}``: None when the signed-in
    user may, else the reason in words."""
    return rules.why_not(context["user"], perm, obj)
