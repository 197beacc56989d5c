from celery import shared_task

from .figures import figures_gather


@shared_task(name="template_library.figures_gather")
def figures_gather_task() -> int:
    """Nightly, in the public schema, after the towns' usage snapshots (02:15)."""
    return figures_gather()
