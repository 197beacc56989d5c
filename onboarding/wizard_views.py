"""The onboarding wizard's pages: one form, one POST, then a page that follows the job."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from console.access import console_staff_required
from console.selectors import town_kinds
from core.formats import euros_from_cents
from core.hosts import town_url
from participation.registry import registry
from tenants.forms import MapLocationForm
from tenants.validators import SLUG_MAX_LENGTH
from theming.presets import PRESETS

from .models import OnboardingJob
from .wizard import (
    OnboardingError,
    TownRequest,
    onboarding_job_progress,
    onboarding_job_request,
    plans_offered,
    town_request_check,
)

RECENT_JOBS = 10
# htmx stops polling when a response has this status.
HTMX_STOP_POLLING = 286


class WizardForm(MapLocationForm):
    """Types and presence only: onboarding.wizard.town_request_check says what is wrong."""

    name = forms.CharField(label=_("Nom de la collectivité"), max_length=200)
    kind = forms.ChoiceField(label=_("Type de collectivité"))
    slug = forms.CharField(
        label=_("Identifiant (sous-domaine)"),
        max_length=SLUG_MAX_LENGTH + 10,
        help_text=_(
            "Lettres minuscules sans accent, chiffres et tirets. Le site sera à "
            "l'adresse IDENTIFIANT.%(domain)s."
        )
        % {"domain": settings.PLATFORM_DOMAIN},
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )
    custom_domain = forms.CharField(
        label=_("Domaine personnalisé (facultatif)"),
        required=False,
        max_length=253,
        help_text=_("Par exemple participation.ville.fr ; servi une fois vérifié."),
    )
    insee_code = forms.CharField(
        label=_("Code INSEE"), required=False, max_length=10, help_text=_("Commune : 5 caractères.")
    )
    siren = forms.CharField(
        label=_("Numéro SIREN"),
        required=False,
        max_length=20,
        help_text=_("9 chiffres. Le code INSEE ou le SIREN est demandé."),
    )
    population = forms.IntegerField(label=_("Population"), min_value=0)
    plan = forms.CharField(label=_("Formule"), widget=forms.Select)
    modules = forms.MultipleChoiceField(
        label=_("Modules"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Sans choix : les modules inclus dans la formule."),
    )
    theme_preset = forms.ChoiceField(label=_("Thème de départ"), widget=forms.RadioSelect)
    admin_name = forms.CharField(
        label=_("Nom du premier administrateur"), required=False, max_length=200
    )
    admin_email = forms.EmailField(
        label=_("E-mail du premier administrateur"),
        help_text=_("Il recevra un lien, valable une fois, pour choisir son mot de passe."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = town_kinds()
        self.fields["plan"].widget.choices = [("", _("— Choisir une formule —"))] + [
            (plan.code, f"{plan.name} ({euros_from_cents(plan.annual_price_cents)} / an)")
            for plan in plans_offered()
        ]
        self.fields["modules"].choices = registry.choices()
        self.fields["theme_preset"].choices = [(p.key, p.label) for p in PRESETS.values()]

    def town_request(self) -> TownRequest:
        """The request as typed. A field the form refused (a population that is no number, an
        e-mail without @) is given an empty value: the service then checks every other field
        in the same round, and what it says of the refused field is not shown twice."""
        data = {name: self.cleaned_data.get(name, "") for name in self.fields}
        return TownRequest(
            **{**data, "population": data["population"] or 0, "modules": tuple(data["modules"])}
        )


@console_staff_required
def wizard(request: HttpRequest) -> HttpResponse:
    form = WizardForm(request.POST or None, initial={"theme_preset": next(iter(PRESETS))})
    if request.method == "POST":
        typed = form.is_valid()
        refused_by_form = set(form.errors)
        try:
            if typed:
                job = onboarding_job_request(
                    town=form.town_request(), requested_by=request.user, request=request
                )
                return redirect("console:onboarding_job", pk=job.pk)
            town_request_check(form.town_request())  # every problem in one round
        except OnboardingError as exc:
            for field, messages in exc.errors.items():
                if field in refused_by_form:
                    continue
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
    return render(
        request,
        "onboarding/wizard.html",
        {
            "form": form,
            "presets": zip(form["theme_preset"], PRESETS.values(), strict=True),
            "jobs": OnboardingJob.objects.select_related("tenant")[:RECENT_JOBS],
            "plans_offered": plans_offered().exists(),
        },
        status=400 if form.errors else 200,
    )


def _job_context(job: OnboardingJob) -> dict:
    steps = onboarding_job_progress(job)
    return {
        "job": job,
        "steps": steps,
        "steps_done": sum(step.state == "done" for step in steps),
        "town_url": town_url(job.tenant) if job.tenant else None,
        "link_days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }


@console_staff_required
def onboarding_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(OnboardingJob.objects.select_related("tenant"), pk=pk)
    return render(request, "onboarding/wizard_job.html", _job_context(job))


@console_staff_required
def onboarding_job_progress_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(OnboardingJob.objects.select_related("tenant"), pk=pk)
    stop = job.is_finished and request.headers.get("HX-Request") == "true"
    return render(
        request,
        "onboarding/wizard_progress.html",
        _job_context(job),
        status=HTMX_STOP_POLLING if stop else 200,
    )
