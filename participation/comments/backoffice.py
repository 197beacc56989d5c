"""The moderation queue of the back office (/gestion/moderation/): moderators of a space see
its comments; the town's staff see every space's."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError, NotAllowed
from core.guards import permission_required

from . import selectors, services
from .models import Comment, Flag

moderator_required = permission_required("comments.view_moderation_queue")


@moderator_required
def queue(request: HttpRequest) -> HttpResponse:
    hidden = request.GET.get("vue") == "masques"
    comments = selectors.moderation_queue(request.user, hidden=hidden).prefetch_related(
        Prefetch("flags", queryset=Flag.objects.order_by("-created_at"))
    )
    return render(
        request,
        "comments/backoffice/queue.html",
        {"comments": comments[:200], "hidden_view": hidden, "reasons": dict(Flag.Reason.choices)},
    )


def _moderated_comment(request: HttpRequest, comment_id: int) -> Comment:
    return get_object_or_404(
        Comment.objects.filter(component__space__in=selectors.moderated_spaces(request.user)),
        pk=comment_id,
    )


@moderator_required
@require_POST
def hide(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _moderated_comment(request, comment_id)
    try:
        services.comment_hide(
            moderator=request.user, comment=comment, reason=request.POST.get("reason", "")
        )
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Le commentaire est masqué."))
    return redirect("participation:comments_admin:queue")


@moderator_required
@require_POST
def restore(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _moderated_comment(request, comment_id)
    try:
        services.comment_restore(moderator=request.user, comment=comment)
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Le commentaire est de nouveau visible."))
    return redirect("participation:comments_admin:queue")
