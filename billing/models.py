"""Billing records, in the public schema. Money is in integer cents of euros.

In Stripe mode these rows are our copy of Stripe's objects, synced from Stripe (billing.services
.stripe_sync); in manual mode they are the only record. Either way the console, the dunning and
the reminders read only these tables.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CURRENCY = "eur"


def recorded_by_field() -> models.ForeignKey:
    """The staff member who recorded a payment or a Chorus Pro deposit (kept if they leave)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistré par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class CatalogueEntry(models.Model):
    """What plans and add-ons share: a code that never changes, a name, whether it is sold."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    active = models.BooleanField(_("proposée"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class Plan(CatalogueEntry):
    """A yearly formula: what a town pays and which participation modules it includes."""

    annual_price_cents = models.PositiveIntegerField(_("prix annuel (centimes)"))
    included_modules = ArrayField(
        models.CharField(max_length=40), verbose_name=_("modules inclus"), default=list, blank=True
    )

    class Meta:
        ordering = ["annual_price_cents", "name"]
        verbose_name = _("formule")
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_price_cents__gt=0), name="billing_plan_price_positive"
            ),
        ]

    @property
    def price_cents(self) -> int:
        return self.annual_price_cents


class AddOn(CatalogueEntry):
    """An option billed per unit and per year on top of the plan."""

    class Kind(models.TextChoices):
        NEIGHBOURHOOD_SPACE = "neighbourhood_space", _("Espace de conseil de quartier")
        EXTRA_MODULE = "extra_module", _("Module supplémentaire")

    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    annual_unit_price_cents = models.PositiveIntegerField(_("prix annuel unitaire (centimes)"))

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("option")
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_unit_price_cents__gt=0), name="billing_addon_price_positive"
            ),
        ]

    @property
    def price_cents(self) -> int:
        return self.annual_unit_price_cents


class Subscription(models.Model):
    """A town's yearly subscription (one per town)."""

    class Mode(models.TextChoices):
        MANUAL = "manual", _("Manuel (virement, rapproché par l'équipe)")
        STRIPE = "stripe", _("Stripe")

    class Status(models.TextChoices):
        # Stripe's own words; in manual mode only active and canceled are used.
        INCOMPLETE = "incomplete", _("Incomplet")
        INCOMPLETE_EXPIRED = "incomplete_expired", _("Incomplet, expiré")
        TRIALING = "trialing", _("Essai")
        ACTIVE = "active", _("Actif")
        PAST_DUE = "past_due", _("En retard de paiement")
        UNPAID = "unpaid", _("Impayé")
        PAUSED = "paused", _("En pause")
        CANCELED = "canceled", _("Résilié")

    tenant = models.OneToOneField(
        "tenants.Tenant",
        verbose_name=_("collectivité"),
        on_delete=models.PROTECT,
        related_name="subscription",
    )
    plan = models.ForeignKey(
        Plan, verbose_name=_("formule"), on_delete=models.PROTECT, related_name="subscriptions"
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    current_period_start = models.DateField(_("début de la période"))
    current_period_end = models.DateField(_("fin de la période"))
    days_until_due = models.PositiveSmallIntegerField(_("délai de paiement (jours)"), default=30)
    grace_days = models.PositiveSmallIntegerField(
        _("délai de grâce après l'échéance (jours)"), default=15
    )
    suspension_after_days = models.PositiveSmallIntegerField(
        _("suspension après la lecture seule (jours)"), default=30
    )
    billing_email = models.EmailField(_("e-mail de facturation"))
    stripe_customer_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    stripe_subscription_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    # Set when the dunning made the town read-only or suspended: only then does a payment give
    # it back its active status (a status the staff chose is never undone by billing).
    restricted_by_billing = models.BooleanField(_("restreinte pour impayé"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("abonnement")
        constraints = [
            models.CheckConstraint(
                condition=Q(mode="manual")
                | Q(stripe_customer_id__isnull=False, stripe_subscription_id__isnull=False),
                name="billing_subscription_stripe_ids",
            ),
            models.CheckConstraint(
                condition=Q(current_period_end__gt=models.F("current_period_start")),
                name="billing_subscription_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tenant} · {self.plan}"


class SubscriptionAddOn(models.Model):
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="addons")
    addon = models.ForeignKey(
        AddOn, verbose_name=_("option"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantité"))
    stripe_item_id = models.CharField(max_length=255, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["addon__name"]
        verbose_name = _("option souscrite")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "addon"], name="billing_subscription_addon_once"
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="billing_addon_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.addon}"


class Invoice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        OPEN = "open", _("À payer")
        PAID = "paid", _("Payée")
        VOID = "void", _("Annulée")
        UNCOLLECTIBLE = "uncollectible", _("Irrécouvrable")

    class Reason(models.TextChoices):
        # Stripe's billing_reason values, used for manual invoices too.
        SUBSCRIPTION_CREATE = "subscription_create", _("Souscription")
        SUBSCRIPTION_CYCLE = "subscription_cycle", _("Renouvellement")
        SUBSCRIPTION_UPDATE = "subscription_update", _("Ajout d'option (prorata)")
        MANUAL = "manual", _("Autre")
        CREDIT = "credit", _("Avoir")

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Facture")
        CREDIT_NOTE = "credit_note", _("Avoir")

    subscription = models.ForeignKey(
        Subscription, on_delete=models.PROTECT, related_name="invoices"
    )
    # Manual invoices: our continuous yearly series (billing.services.invoices); Stripe ones:
    # the number Stripe gave on finalisation. Drafts have none.
    number = models.CharField(_("numéro"), max_length=64, unique=True, null=True, blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices)
    billing_reason = models.CharField(
        _("motif"), max_length=40, choices=Reason.choices, default=Reason.MANUAL
    )
    currency = models.CharField(max_length=3, default=CURRENCY)
    total_cents = models.IntegerField(_("total (centimes)"))
    amount_due_cents = models.IntegerField(_("montant dû (centimes)"))
    amount_paid_cents = models.IntegerField(_("montant payé (centimes)"), default=0)
    period_start = models.DateField(_("début de période"), null=True, blank=True)
    period_end = models.DateField(_("fin de période"), null=True, blank=True)
    # [{"description": str, "quantity": int, "amount_cents": int, "proration": bool}, ...]
    lines = models.JSONField(_("lignes"), default=list, blank=True)
    issued_at = models.DateTimeField(_("émise le"), null=True, blank=True)
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    paid_at = models.DateTimeField(_("payée le"), null=True, blank=True)
    stripe_invoice_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    hosted_invoice_url = models.URLField(_("lien de paiement"), max_length=500, blank=True)
    # Manual invoices and credit notes (our documents; billing.services.documents): the place in
    # the year's continuous series, VAT, and the buyer as it was when the document was issued
    # (an issued invoice never changes, whatever happens to the town's details later).
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    credited_invoice = models.ForeignKey(
        "self",
        verbose_name=_("facture annulée par cet avoir"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
    )
    sequence_year = models.PositiveSmallIntegerField(null=True, blank=True)
    sequence_number = models.PositiveIntegerField(null=True, blank=True)
    subtotal_cents = models.IntegerField(_("total hors taxes (centimes)"), null=True, blank=True)
    tax_rate = models.DecimalField(_("taux de TVA (%)"), max_digits=5, decimal_places=2, default=0)
    tax_cents = models.IntegerField(_("TVA (centimes)"), default=0)
    buyer_name = models.CharField(_("acheteur"), max_length=200, blank=True)
    buyer_siret = models.CharField(_("SIRET de l'acheteur"), max_length=14, blank=True)
    buyer_address = models.TextField(_("adresse de l'acheteur"), blank=True)
    buyer_service_code = models.CharField(_("code service Chorus Pro"), max_length=100, blank=True)
    commitment_number = models.CharField(_("numéro d'engagement"), max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("facture")
        indexes = [models.Index(fields=["status", "due_date"], name="billing_invoice_dunning")]
        constraints = [
            # The continuous series (French law): one document per place in a year's series,
            # and every manual document has its place. The gap-free numbering itself is
            # InvoiceNumberSequence's row lock (billing.services.invoices.invoice_number_next).
            models.UniqueConstraint(
                fields=["sequence_year", "sequence_number"], name="billing_invoice_sequence_once"
            ),
            models.CheckConstraint(
                condition=Q(stripe_invoice_id__isnull=False)
                | Q(status="draft")
                | Q(sequence_year__isnull=False, sequence_number__isnull=False),
                name="billing_invoice_manual_in_sequence",
            ),
            models.CheckConstraint(
                condition=Q(kind="invoice", credited_invoice__isnull=True)
                | Q(kind="credit_note", credited_invoice__isnull=False),
                name="billing_credit_note_references_invoice",
            ),
            models.CheckConstraint(
                condition=Q(subtotal_cents__isnull=True)
                | Q(total_cents=models.F("subtotal_cents") + models.F("tax_cents")),
                name="billing_invoice_total_with_tax",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_at__isnull=False),
                name="billing_invoice_paid_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(number__isnull=False),
                name="billing_invoice_issued_has_number",
            ),
        ]

    def __str__(self) -> str:
        return self.number or _("Brouillon")

    @property
    def is_ours(self) -> bool:
        """Issued by us (manual mode), so ours to render as a Factur-X PDF; Stripe issues and
        renders its own."""
        return self.stripe_invoice_id is None and self.sequence_number is not None


class Payment(models.Model):
    """The payment of an invoice (whole invoices only: a bank transfer that settles it, seen by
    Stripe or reconciled by the staff)."""

    class Method(models.TextChoices):
        STRIPE = "stripe", _("Virement reçu par Stripe")
        BANK_TRANSFER = "bank_transfer", _("Virement rapproché par l'équipe")

    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="payment")
    amount_cents = models.PositiveIntegerField(_("montant (centimes)"))
    method = models.CharField(_("moyen"), max_length=20, choices=Method.choices)
    paid_at = models.DateTimeField(_("payé le"))
    reference = models.CharField(_("référence"), max_length=120, blank=True)
    recorded_by = recorded_by_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_at", "-pk"]
        verbose_name = _("paiement")

    def __str__(self) -> str:
        return f"{self.invoice} · {self.amount_cents}"


class InvoiceNumberSequence(models.Model):
    """The last number given in a year: manual invoices are numbered without gaps (French law
    asks for a continuous series), under this row's lock."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class WebhookEvent(models.Model):
    """A Stripe event, stored once by its id before anything is done with it."""

    stripe_event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100, db_index=True)
    payload = models.JSONField()
    event_created_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("événement Stripe")
        indexes = [
            models.Index(
                fields=["received_at"],
                condition=Q(processed_at__isnull=True),
                name="billing_webhook_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.stripe_event_id} ({self.type})"


class RenewalReminder(models.Model):
    """A renewal reminder sent: one per subscription, period and delay, never twice."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="reminders"
    )
    period_end = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period_end", "days_before"],
                name="billing_reminder_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subscription} · J-{self.days_before}"


class BillingDetails(models.Model):
    """What a town's invoices must carry for its accounting and Chorus Pro (the platform through
    which French public bodies receive their suppliers' invoices): its SIRET (the paying
    establishment), postal address, the service code and commitment number its finance
    department asks for. Our manual invoices are refused for a town without a SIRET."""

    tenant = models.OneToOneField(
        "tenants.Tenant",
        verbose_name=_("collectivité"),
        on_delete=models.CASCADE,
        related_name="billing_details",
    )
    legal_name = models.CharField(_("raison sociale"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14)
    address = models.CharField(_("adresse"), max_length=200)
    postal_code = models.CharField(_("code postal"), max_length=5)
    city = models.CharField(_("commune"), max_length=120)
    service_code = models.CharField(_("code service Chorus Pro"), max_length=100, blank=True)
    commitment_number = models.CharField(_("numéro d'engagement"), max_length=50, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("coordonnées de facturation")
        constraints = [
            models.CheckConstraint(
                condition=Q(siret__regex=r"^[0-9]{14}$"), name="billing_details_siret_digits"
            ),
            models.CheckConstraint(
                condition=Q(commitment_number__regex=r"^[A-Za-z0-9_./-]*$"),
                name="billing_details_commitment_chars",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.legal_name} ({self.siret})"

    @property
    def postal_address(self) -> str:
        return f"{self.address}\n{self.postal_code} {self.city}"


class ChorusDeposit(models.Model):
    """The deposit of one of our invoices or credit notes on Chorus Pro, made by the staff in
    Chorus Pro's portal (we have no API access), and the statuses Chorus Pro shows since."""

    class Status(models.TextChoices):
        DEPOSITED = "deposited", _("Déposée")
        MADE_AVAILABLE = "made_available", _("Mise à disposition")
        MANDATED = "mandated", _("Mandatée")
        PAID = "paid", _("Payée")
        REJECTED = "rejected", _("Rejetée")

    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="chorus_deposit")
    deposited_on = models.DateField(_("déposée le"))
    chorus_number = models.CharField(_("numéro Chorus Pro"), max_length=50)
    status = models.CharField(
        _("statut Chorus Pro"), max_length=20, choices=Status.choices, default=Status.DEPOSITED
    )
    rejection_reason = models.TextField(_("motif du rejet"), blank=True)
    status_changed_on = models.DateField(_("statut du"))
    recorded_by = recorded_by_field()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dépôt Chorus Pro")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="billing_chorus_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(chorus_number=""), name="billing_chorus_number_given"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} · {self.chorus_number}"


class Quote(models.Model):
    """A quote (« devis ») for a town, before it signs: lines, VAT, a validity date. Signed, it
    becomes the town's subscription to its plan (billing.services.quotes.quote_sign)."""

    class Status(models.TextChoices):
        SENT = "sent", _("Envoyé")
        SIGNED = "signed", _("Signé")
        DECLINED = "declined", _("Refusé")

    tenant = models.ForeignKey(
        "tenants.Tenant",
        verbose_name=_("collectivité"),
        on_delete=models.CASCADE,
        related_name="quotes",
    )
    number = models.CharField(_("numéro"), max_length=64, unique=True)
    plan = models.ForeignKey(
        Plan, verbose_name=_("formule"), on_delete=models.PROTECT, related_name="quotes"
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.SENT
    )
    billing_email = models.EmailField(_("e-mail de facturation"))
    # Same shape as Invoice.lines; amounts before VAT.
    lines = models.JSONField(_("lignes"), default=list)
    subtotal_cents = models.PositiveIntegerField(_("total hors taxes (centimes)"))
    tax_rate = models.DecimalField(_("taux de TVA (%)"), max_digits=5, decimal_places=2)
    tax_cents = models.PositiveIntegerField(_("TVA (centimes)"))
    total_cents = models.PositiveIntegerField(_("total TTC (centimes)"))
    issued_on = models.DateField(_("émis le"))
    valid_until = models.DateField(_("valable jusqu'au"))
    signed_on = models.DateField(_("signé le"), null=True, blank=True)
    subscription = models.OneToOneField(
        Subscription, null=True, blank=True, on_delete=models.PROTECT, related_name="quote"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("devis")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("issued_on")),
                name="billing_quote_validity_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(total_cents=models.F("subtotal_cents") + models.F("tax_cents")),
                name="billing_quote_total_with_tax",
            ),
            models.CheckConstraint(
                condition=~Q(status="signed") | Q(signed_on__isnull=False),
                name="billing_quote_signed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.number
