from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def author_name(user) -> str:
    """The name shown for a contribution's author: "Participant anonyme" once the account is
    deleted (author foreign keys are SET_NULL). Usage: ``{{ post.author|author_name }}``."""
    if user is None:
        return _("Participant anonyme")
    return user.display_name or _("Participant")


@register.simple_tag
def submission_key_input():
    """A hidden one-time key for a form that creates a contribution: submitted twice, it
    creates one (participation.submissions). Usage: ``{% submission_key_input %}``."""
    from django.utils.html import format_html

    from participation.submissions import KEY_FIELD, new_key

    return format_html('<input type="hidden" name="{}" value="{}">', KEY_FIELD, new_key())
