"""Phases for the modules' test fixtures."""

import datetime

from django.utils import timezone

from tests.participation.factories import PhaseFactory


def running_phase_then(component, *, kind: str, then: str):
    """A ``kind`` phase running now (since yesterday, for two weeks), followed by a month-long
    ``then`` phase; returns the running one."""
    now = timezone.now()
    phase = PhaseFactory(
        component=component,
        kind=kind,
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=14),
    )
    PhaseFactory(
        component=component,
        kind=then,
        starts_at=phase.ends_at,
        ends_at=phase.ends_at + datetime.timedelta(days=30),
    )
    return phase
