"""Console forms: they translate input (euros typed by people) for the services, which check
the rules and give the messages."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.registry import registry

from .models import AddOn, CatalogueEntry, ChorusDeposit, Plan


def euros_to_cents(value: Decimal | None) -> int | None:
    if value is None:
        return None
    return int((value * 100).to_integral_value(rounding=ROUND_HALF_UP))


def cents_to_euros(cents: int | None) -> Decimal | None:
    return None if cents is None else Decimal(cents) / 100


class EurosField(forms.DecimalField):
    """An amount in euros, e.g. « 1 200,50 ». Not required here: a missing price is refused by
    the service, with its own message."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(max_digits=10, decimal_places=2, localize=True, **kwargs)

    def to_python(self, value):
        # People type spaces between thousands (plain, no-break, narrow) and the euro sign.
        if isinstance(value, str):
            value = "".join(value.split()).removesuffix("€")
        return super().to_python(value)


class CatalogueForm(forms.Form):
    """A plan or add-on; ``service_fields()`` are the keyword arguments of its service."""

    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Nom"), max_length=120)

    def __init__(self, *args, instance: CatalogueEntry | None = None, **kwargs) -> None:
        if instance is not None:
            kwargs.setdefault("initial", self.initial_from(instance))
        super().__init__(*args, **kwargs)
        if instance is not None:  # a code is an identifier: it does not change
            self.fields["code"].disabled = True

    def initial_from(self, entry: CatalogueEntry) -> dict:
        return {"code": entry.code, "name": entry.name, "active": entry.active}

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {"name": data["name"], "active": data["active"]}
        if not self.fields["code"].disabled:
            fields["code"] = data["code"]
        return fields


class PlanForm(CatalogueForm):
    annual_price = EurosField(label=_("Prix annuel (€)"))
    included_modules = forms.MultipleChoiceField(
        label=_("Modules inclus"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    active = forms.BooleanField(label=_("Proposée aux nouvelles collectivités"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("Ex. : commune-standard")
        self.fields["included_modules"].choices = registry.choices()

    def initial_from(self, entry: Plan) -> dict:
        return {
            **super().initial_from(entry),
            "annual_price": cents_to_euros(entry.annual_price_cents),
            "included_modules": entry.included_modules,
        }

    def service_fields(self) -> dict:
        return {
            **super().service_fields(),
            "annual_price_cents": euros_to_cents(self.cleaned_data["annual_price"]),
            "included_modules": self.cleaned_data["included_modules"],
        }


class AddOnForm(CatalogueForm):
    kind = forms.ChoiceField(label=_("Type"), choices=AddOn.Kind.choices)
    annual_unit_price = EurosField(label=_("Prix annuel par unité (€)"))
    active = forms.BooleanField(label=_("Proposée"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("Ex. : conseil-quartier")

    def initial_from(self, entry: AddOn) -> dict:
        return {
            **super().initial_from(entry),
            "kind": entry.kind,
            "annual_unit_price": cents_to_euros(entry.annual_unit_price_cents),
        }

    def service_fields(self) -> dict:
        return {
            **super().service_fields(),
            "kind": self.cleaned_data["kind"],
            "annual_unit_price_cents": euros_to_cents(self.cleaned_data["annual_unit_price"]),
        }


class SubscriptionStartForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Formule"), queryset=Plan.objects.filter(active=True))
    billing_email = forms.EmailField(label=_("E-mail de facturation"))
    days_until_due = forms.IntegerField(
        label=_("Délai de paiement (jours)"), initial=30, min_value=1, max_value=120
    )
    grace_days = forms.IntegerField(
        label=_("Délai de grâce après l'échéance (jours)"), initial=15, min_value=0, max_value=365
    )


class AddOnAddForm(forms.Form):
    addon = forms.ModelChoiceField(label=_("Option"), queryset=AddOn.objects.filter(active=True))
    quantity = forms.IntegerField(label=_("Quantité"), initial=1, min_value=1, max_value=100)


class MarkPaidForm(forms.Form):
    reference = forms.CharField(
        label=_("Référence du virement ou du mandat"), max_length=120, required=False
    )


class BillingDetailsForm(forms.Form):
    """What Chorus Pro and the town's finance department need on our invoices; the service
    checks each value (SIRET key, forbidden characters) and gives the message."""

    legal_name = forms.CharField(
        label=_("Raison sociale"), max_length=200, required=False, help_text=_("Ex. : Commune de …")
    )
    siret = forms.CharField(
        label=_("SIRET de l'établissement payeur"),
        max_length=40,
        required=False,
        help_text=_("14 chiffres (SIREN de la collectivité + numéro de l'établissement)"),
    )
    address = forms.CharField(label=_("Adresse"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Code postal"), max_length=10, required=False)
    city = forms.CharField(label=_("Commune"), max_length=120, required=False)
    service_code = forms.CharField(
        label=_("Code service Chorus Pro"),
        max_length=200,
        required=False,
        help_text=_("Si la collectivité l'exige pour ses factures"),
    )
    commitment_number = forms.CharField(
        label=_("Numéro d'engagement (bon de commande)"),
        max_length=200,
        required=False,
        help_text=_("Porté sur les prochaines factures ; lettres, chiffres, - _ / ."),
    )


class CreditNoteForm(forms.Form):
    reason = forms.CharField(label=_("Motif de l'avoir"), max_length=200, required=False)


class ChorusDepositForm(forms.Form):
    deposited_on = forms.DateField(label=_("Déposée le"), localize=True)
    chorus_number = forms.CharField(label=_("Numéro Chorus Pro"), max_length=80, required=False)


class ChorusStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Nouveau statut"), choices=ChorusDeposit.Status.choices)
    changed_on = forms.DateField(label=_("Le"), localize=True)
    rejection_reason = forms.CharField(
        label=_("Motif du rejet"), max_length=500, required=False, widget=forms.Textarea
    )


class QuoteForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Formule"), queryset=Plan.objects.filter(active=True))
    billing_email = forms.EmailField(label=_("E-mail de facturation"))
