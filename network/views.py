"""The forum's pages on the platform's host (/reseau/): thin adapters over the selectors and
services, for the member of the request (network.access)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import NotAllowed
from core.rules import why_not
from core.views import form_page, run_action, run_form_action

from . import selectors, services
from .access import member_required, member_sign_in, member_sign_out
from .forms import ReplyForm, SearchForm, ThreadForm
from .handover import handover_consume
from .links import NEXT_PARAMETER, landing_path
from .models import Attachment, Category, Post, Thread


def enter(request: HttpRequest) -> HttpResponse:
    """The end of the hand-over from a town's back office: the token, once, opens this host's
    own session for the member."""
    try:
        member = handover_consume(token=request.GET.get("jeton", "")[:2000])
    except NotAllowed as exc:
        return render(request, "network/no_access.html", {"error": str(exc)}, status=403)
    member_sign_in(request, member)
    return redirect(landing_path(request.GET.get(NEXT_PARAMETER)))


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    member_sign_out(request)
    return render(request, "network/no_access.html", {"left": True})


@member_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "network/home.html",
        {
            "categories": selectors.categories(),
            "recent": selectors.recent_threads(request.member),
            "search_form": SearchForm(),
        },
    )


@member_required
@require_POST
def digest_preference(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("digest") == "1"
    services.member_set_digest(actor=request.member, digest=wanted)
    messages.success(
        request,
        _("Vous recevrez le résumé hebdomadaire.")
        if wanted
        else _("Vous ne recevrez plus le résumé hebdomadaire."),
    )
    return redirect("network:home")


@member_required
def category(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Category, slug=slug)
    page = Paginator(selectors.category_threads(request.member, found), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "network/category.html", {"category": found, "page": page})


@member_required
def thread_new(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Category, slug=slug)
    return form_page(
        request,
        form=ThreadForm(request.POST or None, request.FILES or None),
        action=lambda **data: services.thread_start(actor=request.member, category=found, **data),
        success_message=_("Discussion publiée."),
        success_url=lambda thread: reverse("network:thread", kwargs={"pk": thread.pk}),
        template="network/thread_new.html",
        context={"category": found},
    )


def _thread_or_404(request: HttpRequest, pk: int) -> Thread:
    thread = selectors.thread_detail(request.member, pk)
    if thread is None:
        raise Http404
    return thread


def _thread_page(request: HttpRequest, thread: Thread, form: ReplyForm) -> HttpResponse:
    member = request.member
    posts = selectors.thread_posts(thread)
    return render(
        request,
        "network/thread.html",
        {
            "thread": thread,
            "posts": posts,
            "form": form,
            "reply_refused": why_not(member, "network.add_post", thread),
            "can_mark": why_not(member, "network.mark_answer", thread) is None,
            "can_moderate": why_not(member, "network.moderate") is None,
            "subscribed": selectors.is_subscribed(member, thread),
        },
        status=400 if form.errors else 200,
    )


@member_required
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    found = _thread_or_404(request, pk)
    quote = request.GET.get("citer", "")
    return _thread_page(
        request, found, ReplyForm(initial={"quote": int(quote) if quote.isdigit() else None})
    )


@member_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    found = _thread_or_404(request, pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        post = run_form_action(
            form,
            lambda: services.post_reply(
                actor=request.member,
                thread=found,
                body=data["body"],
                quote_id=data["quote"],
                attachments=data["attachments"],
            ),
        )
        if post is not None:
            messages.success(request, _("Réponse publiée."))
            url = reverse("network:thread", kwargs={"pk": found.pk})
            return redirect(f"{url}#message-{post.pk}")
    return _thread_page(request, found, form)


@member_required
@require_POST
def mark_answer(request: HttpRequest, pk: int) -> HttpResponse:
    found = _thread_or_404(request, pk)
    post_id = request.POST.get("post", "")
    post = found.posts.filter(pk=int(post_id)).first() if post_id.isdigit() else None
    run_action(
        request,
        lambda: services.answer_mark(actor=request.member, thread=found, post=post),
        _("Réponse retenue.") if post else _("Plus aucune réponse n'est retenue."),
    )
    return redirect("network:thread", pk=found.pk)


def _switch(request: HttpRequest, *, field: str, action, said: tuple[str, str]) -> None:
    """A button turning something on (``field`` = 1) or off: ``action(on)`` runs the
    service, ``said`` is what is flashed for on and for off."""
    on = request.POST.get(field) == "1"
    run_action(request, lambda: action(on), said[0] if on else said[1])


@member_required
@require_POST
def subscribe(request: HttpRequest, pk: int) -> HttpResponse:
    found = _thread_or_404(request, pk)
    follow = _("Vous suivez cette discussion : chaque réponse vous sera envoyée par e-mail.")
    _switch(
        request,
        field="suivre",
        action=lambda on: services.thread_subscribe(
            actor=request.member, thread=found, subscribed=on
        ),
        said=(follow, _("Vous ne suivez plus cette discussion.")),
    )
    return redirect("network:thread", pk=found.pk)


@member_required
@require_POST
def lock(request: HttpRequest, pk: int) -> HttpResponse:
    found = _thread_or_404(request, pk)
    locked = _("Discussion verrouillée.")
    _switch(
        request,
        field="verrouiller",
        action=lambda on: services.thread_set_locked(actor=request.member, thread=found, locked=on),
        said=(locked, _("Discussion rouverte.")),
    )
    return redirect("network:thread", pk=found.pk)


@member_required
@require_POST
def post_hide(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk)
    _switch(
        request,
        field="masquer",
        action=lambda on: services.post_set_hidden(actor=request.member, post=post, hidden=on),
        said=(_("Message masqué."), _("Message rétabli.")),
    )
    return redirect("network:thread", pk=post.thread_id)


@member_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Attachment.objects.select_related("post__thread"), pk=pk)
    post = found.post
    hidden = post.hidden or post.thread.hidden
    if hidden and why_not(request.member, "network.moderate") is not None:
        raise Http404
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.name,
        content_type=found.content_type,
    )


@member_required
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = (
        selectors.thread_search(request.member, form.cleaned_data["q"]) if form.is_valid() else None
    )
    return render(request, "network/search.html", {"search_form": form, "results": results})
