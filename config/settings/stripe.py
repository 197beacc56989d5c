"""Stripe and billing: with no secret key, billing runs in manual mode (docs/billing.md)."""

from .env import env

STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# Another API address than Stripe's (the tests' local fake Stripe, stripe-mock).
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")

# Manual mode: our invoices are numbered PREFIX-YEAR-00001, and tell how to pay.
BILLING_INVOICE_PREFIX = env("BILLING_INVOICE_PREFIX", default="AGORA")
BILLING_TRANSFER_INSTRUCTIONS = env("BILLING_TRANSFER_INSTRUCTIONS", default="")
