"""Console pages of billing (vendor staff, TOTP-verified) and Stripe's webhook endpoint."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from console.access import console_staff_required
from core.views import form_page, run_action, run_form_action
from tenants.models import Tenant
from tenants.selectors import towns

from . import gateway, selectors
from .documents.pdf import invoice_pdf, invoice_pdf_filename, quote_pdf
from .forms import (
    AddOnAddForm,
    AddOnForm,
    BillingDetailsForm,
    CatalogueForm,
    ChorusDepositForm,
    ChorusStatusForm,
    CreditNoteForm,
    MarkPaidForm,
    PlanForm,
    QuoteForm,
    SubscriptionStartForm,
)
from .models import AddOn, ChorusDeposit, Invoice, Plan, Quote
from .services import catalogue
from .services.chorus import chorus_deposit_record, chorus_status_set
from .services.details import billing_details_save
from .services.invoices import credit_note_issue, invoice_mark_paid
from .services.quotes import quote_create, quote_sign
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
    quote_form: QuoteForm | None = None,
) -> HttpResponse:
    subscription = selectors.town_subscription(tenant)
    invoices = list(selectors.subscription_invoices(subscription)) if subscription else []
    forms = (start_form, addon_form, quote_form)
    invalid = any(form is not None and form.errors for form in forms)
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
            "credit_note_form": CreditNoteForm(),
            "details": selectors.town_billing_details(tenant),
            "quotes": selectors.town_quotes(tenant),
            "quote_form": quote_form or QuoteForm(prefix="quote"),
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


def _invoice_action(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type[MarkPaidForm | CreditNoteForm],
    service: Callable[..., object],
    success: str,
) -> HttpResponse:
    """A button with one text field on an invoice row of the town's page: the service's
    refusal is flashed; back to the town's page either way."""
    invoice = get_object_or_404(Invoice.objects.select_related("subscription__tenant"), pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: service(
                actor=request.user, invoice=invoice, request=request, **form.cleaned_data
            ),
            success % {"number": invoice.number},
        )
    return redirect("billing:town", invoice.subscription.tenant.slug)


@require_POST
@console_staff_required
def invoice_paid(request: HttpRequest, pk: int) -> HttpResponse:
    return _invoice_action(
        request,
        pk,
        form_class=MarkPaidForm,
        service=invoice_mark_paid,
        success=_("Facture %(number)s marquée payée."),
    )


@console_staff_required
def town_billing_details(request: HttpRequest, slug: str) -> HttpResponse:
    tenant = _town(slug)
    details = selectors.town_billing_details(tenant)
    initial = (
        {
            field: getattr(details, field)
            for field in BillingDetailsForm.base_fields
            if hasattr(details, field)
        }
        if details
        else {"legal_name": tenant.name}
    )
    return form_page(
        request,
        form=BillingDetailsForm(request.POST or None, initial=initial),
        action=functools.partial(
            billing_details_save, actor=request.user, tenant=tenant, request=request
        ),
        success_message=_("Coordonnées de facturation enregistrées."),
        success_url=reverse("billing:town", args=[tenant.slug]),
        template="billing/town_form.html",
        context={
            "tenant": tenant,
            "title": _("Coordonnées de facturation de %(name)s") % {"name": tenant.name},
        },
    )


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@console_staff_required
def invoice_pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Our invoice or credit note as Factur-X PDF (Stripe's have their PDF at Stripe)."""
    invoice = get_object_or_404(selectors.our_documents(), pk=pk)
    return _pdf_response(invoice_pdf(invoice), invoice_pdf_filename(invoice))


@require_POST
@console_staff_required
def invoice_credit_note(request: HttpRequest, pk: int) -> HttpResponse:
    return _invoice_action(
        request,
        pk,
        form_class=CreditNoteForm,
        service=credit_note_issue,
        success=_("Avoir émis : la facture %(number)s est annulée."),
    )


def _chorus_page(request: HttpRequest, *, invalid: dict[int, object] | None = None) -> HttpResponse:
    """Invoices to deposit on Chorus Pro, and those deposited with their status. ``invalid``:
    a form refused, by invoice or deposit pk, shown again with its message."""
    invalid = invalid or {}
    return render(
        request,
        "billing/chorus.html",
        {
            "to_deposit": [
                (invoice, invalid.get(invoice.pk) or ChorusDepositForm(prefix=f"d{invoice.pk}"))
                for invoice in selectors.chorus_to_deposit()
            ],
            "deposited": [
                (invoice, invalid.get(invoice.pk) or ChorusStatusForm(prefix=f"s{invoice.pk}"))
                for invoice in selectors.chorus_deposited()
            ],
        },
        status=400 if invalid else 200,
    )


@console_staff_required
def chorus_list(request: HttpRequest) -> HttpResponse:
    return _chorus_page(request)


def _chorus_post(
    request: HttpRequest,
    *,
    form: ChorusDepositForm | ChorusStatusForm,
    invoice_pk: int,
    record: Callable[..., object],
    success: str,
) -> HttpResponse:
    """One form of the Chorus Pro page: recorded (back to the page), or the page again with
    that form and its message."""
    if form.is_valid():
        run_form_action(
            form, lambda: record(actor=request.user, request=request, **form.cleaned_data)
        )
        if not form.errors:
            messages.success(request, success)
            return redirect("billing:chorus")
    return _chorus_page(request, invalid={invoice_pk: form})


@require_POST
@console_staff_required
def chorus_deposit(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(selectors.our_documents(), pk=pk)
    return _chorus_post(
        request,
        form=ChorusDepositForm(request.POST, prefix=f"d{invoice.pk}"),
        invoice_pk=invoice.pk,
        record=functools.partial(chorus_deposit_record, invoice=invoice),
        success=_("Dépôt de %(number)s enregistré.") % {"number": invoice.number},
    )


@require_POST
@console_staff_required
def chorus_status(request: HttpRequest, pk: int) -> HttpResponse:
    deposit = get_object_or_404(ChorusDeposit.objects.select_related("invoice"), pk=pk)
    return _chorus_post(
        request,
        form=ChorusStatusForm(request.POST, prefix=f"s{deposit.invoice_id}"),
        invoice_pk=deposit.invoice_id,
        record=functools.partial(chorus_status_set, deposit=deposit),
        success=_("Statut Chorus Pro de %(number)s enregistré.")
        % {"number": deposit.invoice.number},
    )


@require_POST
@console_staff_required
def town_quote_create(request: HttpRequest, slug: str) -> HttpResponse:
    tenant = _town(slug)
    form = QuoteForm(request.POST, prefix="quote")  # beside the start form on one page
    if form.is_valid():
        quote = run_form_action(
            form,
            lambda: quote_create(
                actor=request.user, tenant=tenant, request=request, **form.cleaned_data
            ),
        )
        if not form.errors:
            messages.success(request, _("Devis %(number)s établi.") % {"number": quote.number})
            return redirect("billing:town", tenant.slug)
    return _town_page(request, tenant, quote_form=form)


@console_staff_required
def quote_pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    quote = get_object_or_404(Quote.objects.select_related("tenant", "plan"), pk=pk)
    return _pdf_response(quote_pdf(quote), f"{quote.number}.pdf")


@require_POST
@console_staff_required
def quote_signed(request: HttpRequest, pk: int) -> HttpResponse:
    quote = get_object_or_404(Quote.objects.select_related("tenant"), pk=pk)
    run_action(
        request,
        lambda: quote_sign(actor=request.user, quote=quote, request=request),
        _("Devis %(number)s signé : abonnement souscrit, première facture émise.")
        % {"number": quote.number},
    )
    return redirect("billing:town", quote.tenant.slug)


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Stripe's calls: no session, no CSRF token; the signature of the raw body is the proof."""
    try:
        webhook_receive(payload=request.body, signature=request.headers.get("Stripe-Signature", ""))
    except gateway.WebhookRefused:
        return HttpResponseBadRequest("invalid signature or payload")
    return HttpResponse("ok")
