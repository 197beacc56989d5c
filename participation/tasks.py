"""The engine's periodic work, run in one town's schema each (``tenants.dispatch_to_towns``
fans it out; see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from . import secret_ballots


@shared_task(name="participation.secret_boxes_close")
def secret_boxes_close() -> int:
    """Secret ballot boxes whose vote has closed: sealed, their pool shuffled into them."""
    return secret_ballots.boxes_close()
