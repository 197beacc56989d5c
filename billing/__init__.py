"""Plans, subscriptions, invoices and payments of the towns: the vendor console's billing.

Stripe mode when STRIPE_SECRET_KEY is set (every Stripe call goes through billing.gateway),
manual mode otherwise (same records, invoices marked paid by the staff). See docs/billing.md.
"""
