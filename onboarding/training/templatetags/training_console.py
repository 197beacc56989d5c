"""The console town page's go-live and training section, in one tag: the page's view (the
console's) needs no change for it."""

from django import template

from onboarding.checklist import golive_checklist
from tenants.models import Tenant

from ..selectors import sessions_for, trained_staff_count

register = template.Library()


@register.inclusion_tag("training/_town_console.html")
def town_golive_and_training(town: Tenant) -> dict:
    return {
        "town": town,
        "checklist": golive_checklist(town),
        "sessions": sessions_for(town),
        "trained_staff": trained_staff_count(town),
    }
