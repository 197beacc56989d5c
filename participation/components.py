"""What module views share: finding their component from the URL, with the engine's rules."""

from __future__ import annotations

from functools import wraps

from django.urls import reverse

from core.caching import anonymous_page_cache
from core.guards import permission_required

from .models import Component
from .selectors import component_for_page


def component_view(type_key: str):
    """Decorate a module view taking (request, component, ...): the component comes from the
    URL's space slug and id, 404 if it is not of this type or not visible to the user."""

    def decorator(view):
        @anonymous_page_cache
        @wraps(view)
        def wrapper(request, space_slug: str, component_id: int, *args, **kwargs):
            component = component_for_page(
                space_slug=space_slug,
                component_id=component_id,
                type_key=type_key,
                user=request.user,
            )
            return view(request, component, *args, **kwargs)

        return wrapper

    return decorator


def component_admin_view(type_key: str, perm: str):
    """Like ``component_view``, for a module's back-office pages: core.guards'
    ``permission_required`` with ``perm`` on the component named by the URL."""

    def find(request, *args, space_slug: str, component_id: int, **kwargs) -> Component:
        return component_for_page(
            space_slug=space_slug, component_id=component_id, type_key=type_key, user=request.user
        )

    def decorator(view):
        @permission_required(perm, obj=find)
        @wraps(view)
        def wrapper(request, component, *args, space_slug: str, component_id: int, **kwargs):
            return view(request, component, *args, **kwargs)

        return wrapper

    return decorator


def component_url(component: Component, name: str = "detail", *args) -> str:
    """A URL of one of the component's own views (namespace = the module's key)."""
    return reverse(
        f"{component.type_key}:{name}",
        args=[component.space.slug, component.pk, *args],
    )


def contribution_context(user) -> dict:
    """For templates/participation/contribution_gate.html: why this user cannot contribute
    (None if they can) and whether accepting the charter is the missing step."""
    from .rules import contribution_refusal

    refusal = contribution_refusal(user)
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    needs_charter = (
        user.is_authenticated
        and user.is_email_verified
        and (profile is None or profile.charter_accepted_at is None)
    )
    return {"refusal": refusal, "needs_charter": needs_charter}


def permission_context(user, perm: str, obj) -> dict:
    """For a page offering one action: ``refusal``, the reason the service would refuse it
    (``why_not``; None when it would accept, and only then may the page offer it), and
    ``gate``, true when that reason is a step the user can take from the page (sign in,
    confirm the e-mail, accept the charter: contribution_gate.html shows the way)."""
    from core.rules import why_not

    context = contribution_context(user)
    refusal = why_not(user, perm, obj)
    gate = refusal is not None and refusal == context["refusal"]
    return {**context, "refusal": refusal, "gate": gate}
