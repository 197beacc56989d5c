"""Console pages of billing (vendor staff, TOTP-verified) and Stripe's webhook endpoint."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from console.access import console_staff_required
from core.views import run_action, run_form_action
from tenants.models import Tenant
from tenants.selectors import towns

from . import gateway, selectors
from .forms import (
    AddOnAddForm,
    AddOnForm,
    CatalogueForm,
    MarkPaidForm,
    PlanForm,
    SubscriptionStartForm,
)
from .models import AddOn, Invoice, Plan
from .services import catalogue
from .services.invoices import invoice_mark_paid
from .services.subscriptions import addon_add, billing_mode, subscription_start
from .services.webhooks import webhook_receive

INVOICES_PER_PAGE = 50


@console_staff_required
def invoice_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("statut", "")
    if status not in Invoice.Status.values:
        status = ""
    page = Paginator(selectors.invoices_list(status=status), INVOICES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "billing/invoice_list.html",
        {
            "page": page,
            "invoices": page.object_list,
            "total": page.paginator.count,
            "statuses": Invoice.Status.choices,
            "status": status,
            "mode": billing_mode(),
        },
    )


@console_staff_required
def catalogue_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "billing/catalogue.html",
        {"plans": selectors.plans_list(), "addons": selectors.addons_list()},
    )


def _catalogue_form(
    request: HttpRequest,
    *,
    form: CatalogueForm,
    save: Callable[..., object],
    title: str,
    success: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        run_form_action(
            form, lambda: save(actor=request.user, request=request, **form.service_fields())
        )
        if not form.errors:
            messages.success(request, success)
            return redirect("billing:catalogue")
    return render(
        request,
        "billing/catalogue_form.html",
        {"form": form, "title": title},
        status=400 if form.errors else 200,
    )


@console_staff_required
def plan_create(request: HttpRequest) -> HttpResponse:
    return _catalogue_form(
        request,
        form=PlanForm(request.POST or None, initial={"active": True}),
        save=catalogue.plan_create,
        title=_("Nouvelle formule"),
        success=_("Formule créée."),
    )


@console_staff_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    return _catalogue_form(
        request,
        form=PlanForm(request.POST or None, instance=plan),
        save=functools.partial(catalogue.plan_update, plan=plan),
        title=_("Formule « %(name)s »") % {"name": plan.name},
        success=_("Formule enregistrée."),
    )


@console_staff_required
def addon_create(request: HttpRequest) -> HttpResponse:
    return _catalogue_form(
        request,
        form=AddOnForm(request.POST or None, initial={"active": True}),
        save=catalogue.addon_create,
        title=_("Nouvelle option"),
        success=_("Option créée."),
    )


@console_staff_required
def addon_edit(request: HttpRequest, pk: int) -> HttpResponse:
    addon = get_object_or_404(AddOn, pk=pk)
    return _catalogue_form(
        request,
        form=AddOnForm(request.POST or None, instance=addon),
        save=functools.partial(catalogue.addon_update, addon=addon),
        title=_("Option « %(name)s »") % {"name": addon.name},
        success=_("Option enregistrée."),
    )


def _town(slug: str) -> Tenant:
    return get_object_or_404(towns(), slug=slug)


def _town_page(
    request: HttpRequest,
    tenant: Tenant,
    *,
    start_form: SubscriptionStartForm | None = None,
    addon_form: AddOnAddForm | None = None,
) -> HttpResponse:
    subscription = selectors.town_subscription(tenant)
    invoices = list(selectors.subscription_invoices(subscription)) if subscription else []
    invalid = any(form is not None and form.errors for form in (start_form, addon_form))
    return render(
        request,
        "billing/town.html",
        {
            "tenant": tenant,
            "subscription": subscription,
            "invoices": invoices,
            "total": len(invoices),
            "mode": subscription.mode if subscription else billing_mode(),
            "start_form": start_form or SubscriptionStartForm(),
            "addon_form": addon_form or AddOnAddForm(),
            "mark_paid_form": MarkPaidForm(),
        },
        status=400 if invalid else 200,
    )


@console_staff_required
def town_billing(request: HttpRequest, slug: str) -> HttpResponse:
    return _town_page(request, _town(slug))


@require_POST
@console_staff_required
def town_subscription_start(request: HttpRequest, slug: str) -> HttpResponse:
    tenant = _town(slug)
    form = SubscriptionStartForm(request.POST)
    if form.is_valid():
        run_form_action(
            form,
            lambda: subscription_start(
                actor=request.user, tenant=tenant, request=request, **form.cleaned_data
            ),
        )
        if not form.errors:
            messages.success(request, _("Abonnement souscrit, première facture émise."))
            return redirect("billing:town", tenant.slug)
    return _town_page(request, tenant, start_form=form)


@require_POST
@console_staff_required
def town_addon_add(request: HttpRequest, slug: str) -> HttpResponse:
    tenant = _town(slug)
    subscription = selectors.town_subscription(tenant)
    form = AddOnAddForm(request.POST)
    if subscription is None:
        messages.error(request, _("Cette collectivité n'a pas encore d'abonnement."))
        return redirect("billing:town", tenant.slug)
    if form.is_valid():
        invoice = run_form_action(
            form,
            lambda: addon_add(
                actor=request.user, subscription=subscription, request=request, **form.cleaned_data
            ),
        )
        if not form.errors:
            messages.success(
                request,
                _("Option ajoutée, facture au prorata émise.")
                if invoice
                else _("Option ajoutée (rien à facturer pour cette période)."),
            )
            return redirect("billing:town", tenant.slug)
    return _town_page(request, tenant, addon_form=form)


@require_POST
@console_staff_required
def invoice_paid(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(Invoice.objects.select_related("subscription__tenant"), pk=pk)
    form = MarkPaidForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: invoice_mark_paid(
                actor=request.user,
                invoice=invoice,
                reference=form.cleaned_data["reference"],
                request=request,
            ),
            _("Facture %(number)s marquée payée.") % {"number": invoice.number},
        )
    return redirect("billing:town", invoice.subscription.tenant.slug)


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Stripe's calls: no session, no CSRF token; the signature of the raw body is the proof."""
    try:
        webhook_receive(payload=request.body, signature=request.headers.get("Stripe-Signature", ""))
    except gateway.WebhookRefused:
        return HttpResponseBadRequest("invalid signature or payload")
    return HttpResponse("ok")
