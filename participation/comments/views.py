"""Citizens' POST endpoints: comment, reply, flag, support. Plain forms that redirect back to
the page named by ``next``: everything works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError, TooManyRequests
from core.hosts import same_site_url
from participation.components import component_url
from participation.models import ComponentItem
from participation.submissions import KEY_FIELD, clean_key, submit_once

from . import services
from .models import Comment
from .templatetags.comments import support_context


def item_or_404(request: HttpRequest, content_type_id: int, object_id: int):
    """An item of a module the user may see; 404 for anything else (an account, a space...)."""
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist as exc:
        raise Http404 from exc
    model = content_type.model_class()
    if model is None or not issubclass(model, ComponentItem):
        raise Http404
    item = get_object_or_404(
        model.objects.select_related("component__space").prefetch_related("component__phases"),
        pk=object_id,
    )
    if not request.user.has_perm("participation.view_space", item.component.space):
        raise Http404
    return item


def comment_or_404(request: HttpRequest, comment_id: int) -> Comment:
    comment = get_object_or_404(
        Comment.objects.select_related("component__space", "content_type", "author"),
        pk=comment_id,
    )
    if not request.user.has_perm("participation.view_space", comment.component.space):
        raise Http404
    return comment


def item_url(item) -> str:
    if hasattr(item, "get_absolute_url"):
        return item.get_absolute_url()
    return component_url(item.component)


def redirect_back(request: HttpRequest, item, anchor: str = "comments") -> HttpResponse:
    target = same_site_url(request, request.POST.get("next"), item_url(item))
    return redirect(f"{target.split('#')[0]}#{anchor}")


def _comment_post(request: HttpRequest, item, parent: Comment | None) -> HttpResponse:
    official = request.POST.get("official") == "1"
    try:
        # The form's one-time key: sent twice (double click, resent form), one comment.
        comment, first = submit_once(
            user=request.user,
            key=clean_key(request.POST.get(KEY_FIELD)),
            create=lambda: services.comment_add(
                author=request.user,
                item=item,
                body=request.POST.get("body", ""),
                parent=parent,
                official=official,
            ),
        )
    except TooManyRequests:
        raise  # its own page, status 429 (core.middleware)
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return redirect_back(request, item, f"comment-{parent.pk}" if parent else "comments")
    if first:
        messages.success(request, _("Votre commentaire est publié."))
    return redirect_back(request, item, f"comment-{comment.pk}")


@login_required
@require_POST
def comment_add(request: HttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    return _comment_post(request, item_or_404(request, content_type_id, object_id), None)


@login_required
@require_POST
def comment_reply(request: HttpRequest, comment_id: int) -> HttpResponse:
    parent = comment_or_404(request, comment_id)
    item = item_or_404(request, parent.content_type_id, parent.object_id)
    return _comment_post(request, item, parent)


@login_required
@require_POST
def comment_flag(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = comment_or_404(request, comment_id)
    item = item_or_404(request, comment.content_type_id, comment.object_id)
    try:
        services.comment_flag(
            user=request.user, comment=comment, reason=request.POST.get("reason", "")
        )
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Merci : les modérateurs vont examiner ce commentaire."))
    return redirect_back(request, item, f"comment-{comment.pk}")


@login_required
@require_POST
def support(request: HttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    item = item_or_404(request, content_type_id, object_id)
    wanted = {"1": True, "0": False}.get(request.POST.get("support", ""))
    try:
        supported = services.support_toggle(user=request.user, item=item, support=wanted)
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        if request.headers.get("HX-Request"):
            # htmx swaps the button in place; without JavaScript the form posts and redirects.
            next_url = request.POST.get("next", "")
            return render(
                request, "comments/support_button.html", support_context(request, item, next_url)
            )
        messages.success(
            request,
            _("Merci pour votre soutien.") if supported else _("Votre soutien est retiré."),
        )
    return redirect_back(request, item, "main")
