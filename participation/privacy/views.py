from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import ApplicationError

from . import services


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/overview.html")


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """GET: a page with the button; POST: the JSON file."""
    if request.method != "POST":
        return render(request, "privacy/export.html")
    response = HttpResponse(
        services.personal_data_json(request.user), content_type="application/json; charset=utf-8"
    )
    filename = f"agora-{connection.tenant.slug}-mes-donnees.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            services.account_delete(
                user=request.user,
                password=request.POST.get("password", ""),
                confirmed=request.POST.get("confirm") == "1",
            )
        except ApplicationError as exc:
            error = str(exc)
        else:
            logout(request)
            messages.success(
                request,
                _(
                    "Votre compte et vos données personnelles ont été supprimés. Vos "
                    "contributions restent visibles sous le nom « Participant anonyme »."
                ),
            )
            return redirect("home")
    return render(
        request,
        "privacy/delete_account.html",
        {"error": error},
        status=400 if error else 200,
    )
