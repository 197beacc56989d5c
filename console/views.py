"""The vendor console's pages: thin adapters over console.selectors and the services; what the
apps above add to them comes through console.hooks."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from core.views import run_action
from tenants.models import Tenant
from tenants.selectors import towns

from . import hooks, services
from .access import console_staff_required, has_confirmed_totp
from .audit import audit_entries
from .enrolment import enrolment_link_send
from .query import query_text
from .selectors import (
    TownFilters,
    latest_usage,
    plans_in_use,
    town_kinds,
    towns_filtered,
    usage_by_month,
    usage_history,
)

TOWNS_PER_PAGE = 50


@console_staff_required
def town_list(request: HttpRequest) -> HttpResponse:
    filters = TownFilters(
        search=query_text(request, "q", max_length=100),
        status=request.GET.get("statut", "") if request.GET.get("statut") in Tenant.Status else "",
        kind=request.GET.get("type", "") if request.GET.get("type") in Tenant.Kind else "",
        plan=query_text(request, "formule", max_length=60),
    )
    page = Paginator(towns_filtered(filters), TOWNS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    usage = latest_usage(shown)
    cells = hooks.town_list_cells(shown)
    rows = [(town, usage.get(town.pk), cells[town.pk]) for town in shown]
    return render(
        request,
        "console/town_list.html",
        {
            "columns": hooks.town_list_columns(),
            "rows": rows,
            "page": page,
            "filters": filters,
            "statuses": Tenant.Status.choices,
            "kinds": town_kinds(),
            "plans": plans_in_use(),
        },
    )


@console_staff_required
def town_detail(request: HttpRequest, slug: str) -> HttpResponse:
    town = get_object_or_404(towns(), slug=slug)
    history = usage_history(town)
    return render(
        request,
        "console/town_detail.html",
        {
            "tenant": town,
            "domains": town.domains.order_by("-is_primary", "domain"),
            "history": history,
            "latest": history[-1] if history else None,
            "chart": usage_by_month(history),
            "facts": hooks.town_page_facts(town),
            "sections": hooks.town_page_sections(town),
            "audit": audit_entries(town=town)[:20],
        },
    )


@console_staff_required
@require_POST
def town_usage_refresh(request: HttpRequest, slug: str) -> HttpResponse:
    town = get_object_or_404(towns(), slug=slug)
    services.town_usage_refresh(actor=request.user, town=town, request=request)
    messages.success(request, _("Chiffres de fréquentation mis à jour."))
    return redirect("console:town", slug=town.slug)


@console_staff_required
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = audit_entries(
        action=query_text(request, "action", max_length=80),
        actor_email=query_text(request, "compte", max_length=254),
    )
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "console/audit_log.html", {"page": page})


@console_staff_required
def staff_list(request: HttpRequest) -> HttpResponse:
    staff = User.objects.filter(role=User.Role.VENDOR_STAFF, is_active=True).order_by("email")
    rows = [(member, has_confirmed_totp(member)) for member in staff]
    return render(request, "console/staff_list.html", {"staff": rows})


@console_staff_required
@require_POST
def staff_enrolment_link(request: HttpRequest, user_id: int) -> HttpResponse:
    member = get_object_or_404(User, pk=user_id, role=User.Role.VENDOR_STAFF)
    run_action(
        request,
        lambda: enrolment_link_send(actor=request.user, user=member, request=request),
        _("Lien d'activation envoyé à %(email)s.") % {"email": member.email},
    )
    return redirect("console:staff")
