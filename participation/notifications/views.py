from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.views import run_form_action

from . import push, services
from .forms import PreferencesForm
from .kinds import KINDS


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, initial=services.preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        run_form_action(
            form,
            lambda: services.preferences_update(user=request.user, preferences=form.cleaned_data),
        )
        if not form.errors:
            messages.success(request, _("Vos préférences de notification sont enregistrées."))
            return redirect("participation:notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "push_public_key": settings.VAPID_PUBLIC_KEY if push.push_is_configured() else "",
            "push_count": request.user.push_subscriptions.count(),
        },
        status=400 if form.errors else 200,
    )


# The token is the credential: mail clients' one-click unsubscribe (RFC 8058) posts without
# a CSRF token, and a forged request could only switch off the e-mails the link names.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link switches off with one button (link scanners of mail services
    open links: a GET changes nothing); POST switches it off. No login needed."""
    try:
        if request.method == "POST":
            _user, kind = services.unsubscribe(token=token)
        else:
            _user, kind = services.unsubscribe_check(token)
    except ApplicationError as exc:
        return render(request, "notifications/unsubscribe.html", {"error": str(exc)}, status=400)
    return render(
        request,
        "notifications/unsubscribe.html",
        {
            "kind_label": KINDS[kind].label,
            "done": request.method == "POST",
        },
    )


@login_required
@require_POST
def push_subscription(request: HttpRequest) -> JsonResponse:
    """This browser's web push subscription, posted by static/pwa/pwa.js (with the CSRF token):
    ``action`` subscribe (with ``endpoint``, ``p256dh`` and ``auth``) or unsubscribe."""
    data = request.POST
    try:
        if data.get("action") == "subscribe":
            push.push_subscribe(
                user=request.user,
                endpoint=data.get("endpoint", ""),
                p256dh=data.get("p256dh", ""),
                auth=data.get("auth", ""),
            )
        elif data.get("action") == "unsubscribe":
            push.push_unsubscribe(user=request.user, endpoint=data.get("endpoint", ""))
        else:
            return JsonResponse({"detail": _("Action inconnue.")}, status=400)
    except ApplicationError as exc:
        return JsonResponse({"detail": str(exc)}, status=400)
    return JsonResponse({"subscriptions": request.user.push_subscriptions.count()})
