"""The space's news in the back office: publish a post, delete one; for the space's
moderators and the town's staff. Works without JavaScript."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from participation.errors import ParticipationError
from participation.models import Component

from . import services
from .selectors import news_posts


class NewsPostForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Titre"), max_length=200)
    body = forms.CharField(
        label=gettext_lazy("Texte"), widget=forms.Textarea(attrs={"rows": 8}), max_length=50_000
    )


def _moderated_component(view):
    """The view's component from the URL; log in first, then only its space's moderators."""

    @wraps(view)
    def wrapper(request, space_slug: str, component_id: int, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        component = get_object_or_404(
            Component.objects.select_related("space"),
            pk=component_id,
            space__slug=space_slug,
            type_key="news",
        )
        if not request.user.has_perm("news.add_newspost", component):
            raise PermissionDenied
        return view(request, component, *args, **kwargs)

    return wrapper


@_moderated_component
def index(request, component):
    form = NewsPostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.news_post_publish(actor=request.user, component=component, **form.cleaned_data)
        except ParticipationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Actualité publiée."))
            return redirect("news_admin:index", component.space.slug, component.pk)
    return render(
        request,
        "news/backoffice/index.html",
        {"component": component, "posts": news_posts(component), "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@_moderated_component
def delete(request, component, post_id: int):
    post = get_object_or_404(news_posts(component), pk=post_id)
    try:
        services.news_post_delete(actor=request.user, post=post)
    except ParticipationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Actualité supprimée."))
    return redirect("news_admin:index", component.space.slug, component.pk)
