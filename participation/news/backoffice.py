"""The space's news in the back office: publish a post, delete one; for the space's
moderators and the town's staff. Works without JavaScript."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from participation.components import component_admin_view

from . import services
from .selectors import news_posts


class NewsPostForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Titre"), max_length=200)
    body = forms.CharField(
        label=gettext_lazy("Texte"), widget=forms.Textarea(attrs={"rows": 8}), max_length=50_000
    )


_moderated_component = component_admin_view("news", "news.add_newspost")


@_moderated_component
def index(request, component):
    form = NewsPostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.news_post_publish(actor=request.user, component=component, **form.cleaned_data)
        except ApplicationError as exc:
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
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Actualité supprimée."))
    return redirect("news_admin:index", component.space.slug, component.pk)
