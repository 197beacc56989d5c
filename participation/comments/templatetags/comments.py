"""``{% load comments %}{% comments_for item %}`` and ``{% support_button item %}``: the
thread, its forms and the support button of any module's item, in a fixed number of
queries."""

from django import template
from django.contrib.contenttypes.models import ContentType

from participation.components import contribution_context

from .. import selectors
from ..models import BODY_MAX_LENGTH, MAX_DEPTH, Flag

register = template.Library()


def _bind_component(context, item) -> None:
    """Reuse the page's component (phases prefetched) rather than fetching it again."""
    component = context.get("component")
    if component is not None and getattr(component, "pk", None) == item.component_id:
        item.component = component


@register.inclusion_tag("comments/thread.html", takes_context=True)
def comments_for(context, item):
    request = context["request"]
    user = request.user
    _bind_component(context, item)
    roots = selectors.thread(item)
    can_comment = user.has_perm("comments.add_comment", item)
    can_official = user.has_perm("comments.add_official_reply", item)
    return {
        "request": request,
        "user": user,
        "item": item,
        "content_type_id": ContentType.objects.get_for_model(item).pk,
        "roots": roots,
        "count": _count(roots),
        "can_comment": can_comment,
        "can_reply": can_comment or can_official,
        "can_official": can_official,
        "can_flag": user.has_perm("comments.flag_comment", item),
        "flagged": selectors.flagged_by(user, item),
        "flag_reasons": Flag.Reason.choices,
        "max_depth": MAX_DEPTH,
        "body_max_length": BODY_MAX_LENGTH,
        "comments_open": item.component.phase_allows("comment"),
        "next": request.get_full_path(),
        **contribution_context(user),
    }


def _count(comments) -> int:
    return sum(1 + _count(comment.children) for comment in comments)


def support_context(request, item, next_url: str) -> dict:
    """What the support button shows; the tag and the htmx answer of the view share it."""
    user = request.user
    return {
        "request": request,
        "user": user,
        "item": item,
        "content_type_id": ContentType.objects.get_for_model(item).pk,
        "state": selectors.support_state(user, item),
        "can_support": user.has_perm("comments.add_support", item),
        "next": next_url,
    }


@register.inclusion_tag("comments/support_button.html", takes_context=True)
def support_button(context, item):
    _bind_component(context, item)
    return support_context(context["request"], item, context["request"].get_full_path())
