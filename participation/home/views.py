"""The public homepage, and its back office at /gestion/accueil/: thin views over
``services`` and ``selectors``; every action is a plain form (up and down are buttons)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.guards import permission_required
from core.views import form_page, run_action
from participation.models import HomeBlock

from . import selectors, services
from .blocks import block_kind
from .forms import AddBlockForm, BlockForm

homepage_admin = permission_required(services.PERMISSION)


def public_page(request: HttpRequest) -> HttpResponse:
    """The published homepage (the caller checked there is one)."""
    return render(request, "home/page.html", {"blocks": selectors.rendered(published=True)})


@homepage_admin
def manage(request: HttpRequest) -> HttpResponse:
    """The draft's blocks with their buttons, and the choice of a new block's kind (its form
    comes next)."""
    form = AddBlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect("home_admin:new", kind=form.cleaned_data["kind"])
    blocks = [(block, block_kind(block.kind)) for block in selectors.home_blocks(published=False)]
    return render(
        request,
        "home/backoffice/manage.html",
        {"blocks": blocks, "form": form, "published": selectors.has_published_home()},
        status=400 if form.errors else 200,
    )


@homepage_admin
def new(request: HttpRequest, kind: str) -> HttpResponse:
    found = block_kind(kind)
    if found is None:
        raise Http404
    return form_page(
        request,
        form=BlockForm(request.POST or None, request.FILES or None, kind=found),
        action=lambda **data: services.block_add(actor=request.user, kind=kind, **data),
        success_message=_("Bloc ajouté au brouillon."),
        success_url=reverse("home_admin:manage"),
        template="home/backoffice/block.html",
        context={"home_block": None, "kind": found},
    )


def _draft_block(request, pk: int) -> HomeBlock:
    return get_object_or_404(HomeBlock, pk=pk, published=False)


@homepage_admin
def block(request: HttpRequest, pk: int) -> HttpResponse:
    item = _draft_block(request, pk)
    kind = block_kind(item.kind)
    if kind is None:
        return redirect("home_admin:manage")
    form = BlockForm(
        request.POST or None,
        request.FILES or None,
        kind=kind,
        current_image=item.image,
        initial={
            "title": item.title,
            "text": item.text,
            "link_label": item.link_label,
            "link_url": item.link_url,
            "spaces": list(item.spaces.all()),
            "limit": item.limit,
        },
    )
    return form_page(
        request,
        form=form,
        action=lambda **data: services.block_update(actor=request.user, block=item, **data),
        success_message=_("Bloc enregistré dans le brouillon."),
        success_url=reverse("home_admin:manage"),
        template="home/backoffice/block.html",
        context={"home_block": item, "kind": kind},
    )


@homepage_admin
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    item = _draft_block(request, pk)
    direction = request.POST.get("direction", "")
    run_action(
        request,
        lambda: services.block_move(actor=request.user, block=item, direction=direction),
        _("Bloc déplacé."),
    )
    return redirect("home_admin:manage")


@homepage_admin
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = _draft_block(request, pk)
    run_action(
        request,
        lambda: services.block_remove(actor=request.user, block=item),
        _("Bloc retiré du brouillon."),
    )
    return redirect("home_admin:manage")


@homepage_admin
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    run_action(
        request,
        lambda: services.homepage_publish(actor=request.user),
        _("La page d'accueil publiée est maintenant celle du brouillon."),
    )
    return redirect("home_admin:manage")


@homepage_admin
def preview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "home/page.html",
        {"blocks": selectors.rendered(published=False), "preview": True},
    )
