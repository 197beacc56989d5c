class BillingError(Exception):
    """A billing request that cannot be carried out; the message says why, for people."""


class UnknownStripeObject(BillingError):
    """A Stripe object that maps to none of our subscriptions (yet): its event is retried."""
