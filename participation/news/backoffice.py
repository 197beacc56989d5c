"""The space's news in the back office: publish a post, delete one; for the space's
moderators and the town's staff. Works without JavaScript."""

from __future__ import annotations

from django import forms
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.views import form_page, run_action
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
    return form_page(
        request,
        form=NewsPostForm(request.POST or None),
        action=lambda **data: services.news_post_publish(
            actor=request.user, component=component, **data
        ),
        success_message=_("Actualité publiée."),
        success_url=reverse("news_admin:index", args=[component.space.slug, component.pk]),
        template="news/backoffice/index.html",
        context={"component": component, "posts": news_posts(component)},
    )


@require_POST
@_moderated_component
def delete(request, component, post_id: int):
    post = get_object_or_404(news_posts(component), pk=post_id)
    run_action(
        request,
        lambda: services.news_post_delete(actor=request.user, post=post),
        _("Actualité supprimée."),
    )
    return redirect("news_admin:index", component.space.slug, component.pk)
