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
