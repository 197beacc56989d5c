from dataclasses import dataclass

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.models import Phase

register = template.Library()


@register.filter
def author_name(user) -> str:
    """The name shown for a contribution's author: "Participant anonyme" once the account is
    deleted (author foreign keys are SET_NULL). Usage: ``{{ post.author|author_name }}``."""
    if user is None:
        return _("Participant anonyme")
    return user.display_name or _("Participant")


@dataclass(frozen=True)
class PhaseStep:
    phase: Phase
    state: str  # "past", "current" or "next"


@register.simple_tag
def phase_steps(component) -> list[PhaseStep]:
    """The component's phases in order, each past, current (running now) or next: what the
    phase timeline shows. ``{% phase_steps component as steps %}``."""
    now = timezone.now()
    phases = getattr(component, "_prefetched_objects_cache", {}).get("phases")
    steps = []
    for phase in phases if phases is not None else component.phases.all():
        if phase.ends_at <= now:
            state = "past"
        elif phase.starts_at <= now:
            state = "current"
        else:
            state = "next"
        steps.append(PhaseStep(phase=phase, state=state))
    return steps


@register.simple_tag
def submission_key_input():
    """A hidden one-time key for a form that creates a contribution: submitted twice, it
    creates one (participation.submissions). Usage: ``{% submission_key_input %}``."""
    from django.utils.html import format_html

    from participation.submissions import KEY_FIELD, new_key

    return format_html('<input type="hidden" name="{}" value="{}">', KEY_FIELD, new_key())
