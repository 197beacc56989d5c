"""Stripe and billing: with no secret key, billing runs in manual mode (docs/billing.md)."""

from .env import env

STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# Another API address than Stripe's (the tests' local fake Stripe, stripe-mock).
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")

# Manual mode: our invoices are numbered PREFIX-YEAR-00001, and tell how to pay.
BILLING_INVOICE_PREFIX = env("BILLING_INVOICE_PREFIX", default="AGORA")
BILLING_TRANSFER_INSTRUCTIONS = env("BILLING_TRANSFER_INSTRUCTIONS", default="")

# Us, as our own invoices, credit notes and quotes show us (billing/templates/billing/documents,
# Factur-X XML). The defaults are a developer's; production sets every one.
BILLING_SELLER_NAME = env("BILLING_SELLER_NAME", default="Agora Participation SAS")
BILLING_SELLER_ADDRESS = env("BILLING_SELLER_ADDRESS", default="12 rue de la République")
BILLING_SELLER_POSTAL_CODE = env("BILLING_SELLER_POSTAL_CODE", default="69002")
BILLING_SELLER_CITY = env("BILLING_SELLER_CITY", default="Lyon")
BILLING_SELLER_SIRET = env("BILLING_SELLER_SIRET", default="73248200500004")
BILLING_SELLER_VAT_NUMBER = env("BILLING_SELLER_VAT_NUMBER", default="FR73732482005")
BILLING_SELLER_LEGAL_MENTIONS = env(
    "BILLING_SELLER_LEGAL_MENTIONS", default="SAS au capital de 10 000 € – RCS Lyon 732 482 005"
)
BILLING_IBAN = env("BILLING_IBAN", default="FR7630006000011234567890189")
BILLING_BIC = env("BILLING_BIC", default="AGRIFRPP")
# VAT on our prices (catalogue prices are before VAT), in percent.
BILLING_VAT_RATE = env("BILLING_VAT_RATE", default="20.00")
# How long a quote (« devis ») is valid, in days.
BILLING_QUOTE_VALIDITY_DAYS = env.int("BILLING_QUOTE_VALIDITY_DAYS", default=90)
