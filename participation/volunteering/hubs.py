"""The town's volunteering hub: associations and volunteers are town-wide, but their pages are
served under a hub component's URL. Links made outside a request (notices, e-mails) go to the
town's main hub: the first volunteering component of a published space."""

from __future__ import annotations

from django.urls import reverse

from participation.models import Component, Space


def main_hub() -> Component | None:
    return (
        Component.objects.filter(type_key="volunteering", space__status=Space.Status.PUBLISHED)
        .select_related("space")
        .order_by("space__position", "space_id", "position", "pk")
        .first()
    )


def hub_url(name: str, *args, component: Component | None = None) -> str:
    """The path of one of the hub's pages (``volunteering:<name>``); "/" without a hub."""
    component = component or main_hub()
    if component is None:
        return "/"
    return reverse(f"volunteering:{name}", args=[component.space.slug, component.pk, *args])
