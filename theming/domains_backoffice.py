"""The town administrators' page for their custom domains (/gestion/site/domaines/): ask for
one, read the DNS records to create, check them now, choose the preferred name, remove one.
Thin views over tenants.domains."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.guards import permission_required
from core.views import run_action, run_form_action
from tenants import domains
from tenants.forms import CustomDomainForm

domain_admin = permission_required("theming.change_domain")


@domain_admin
def domain_list(request: HttpRequest) -> HttpResponse:
    town = request.tenant
    form = CustomDomainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = run_form_action(
            form,
            lambda: domains.custom_domain_request(
                actor=request.user, tenant=town, domain=form.cleaned_data["domain"]
            ),
        )
        if not form.errors:
            messages.success(
                request,
                _("Domaine « %(domain)s » enregistré : créez les enregistrements DNS ci-dessous.")
                % {"domain": made.domain},
            )
            return redirect("site_admin:domains")
    rows = [
        {"domain": domain, "records": domains.dns_records(domain) if domain.is_custom else []}
        for domain in town.domains.order_by("-is_primary", "is_custom", "domain")
    ]
    return render(
        request,
        "theming/backoffice/domains.html",
        {"form": form, "rows": rows},
        status=400 if form.errors else 200,
    )


def _domain_action(request: HttpRequest, domain_id: int, action, success: str) -> HttpResponse:
    def run():
        domain = domains.town_domain(tenant=request.tenant, domain_id=domain_id)
        action(actor=request.user, domain=domain)

    run_action(request, run, success)
    return redirect("site_admin:domains")


@domain_admin
@require_POST
def domain_verify(request: HttpRequest, domain_id: int) -> HttpResponse:
    return _domain_action(
        request,
        domain_id,
        lambda actor, domain: domains.custom_domain_verify(domain=domain),
        _("Domaine vérifié : il est servi."),
    )


@domain_admin
@require_POST
def domain_prefer(request: HttpRequest, domain_id: int) -> HttpResponse:
    return _domain_action(
        request,
        domain_id,
        domains.domain_prefer,
        _("Domaine principal choisi : les autres adresses du site y renvoient."),
    )


@domain_admin
@require_POST
def domain_remove(request: HttpRequest, domain_id: int) -> HttpResponse:
    return _domain_action(request, domain_id, domains.custom_domain_remove, _("Domaine supprimé."))
