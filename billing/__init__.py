"""Plans, subscriptions and invoices (Stripe or manual mode): the vendor console's billing.

Settings live in config/settings/stripe.py; the models come with the billing issue.
"""
