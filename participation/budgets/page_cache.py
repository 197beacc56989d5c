"""A budget as its ballot page and the vote API read it (with its component, space,
neighbourhood and phases), kept in the cache: a vote reads it in one round trip instead of two
queries, whose ORM work was most of a vote's time. Not its projects: the entry, and a vote,
would grow with their number; a ballot's INSERT checks the projects it names, and the ballot
page reads them all.

Each entry carries the town's *generation* of budgets, read with it (one MGET). Any save or
delete of a budget, phase, component, space or neighbourhood of the town draws a new
generation, so the next request reads the database again: at once (a request of the same
transaction) and once the transaction commits (a request that read the database before the
commit would otherwise keep what it saw under the new generation). Writes that send no
signal (``QuerySet.update``, ``bulk_create``, raw SQL) on those tables call
``forget_budgets()`` themselves, unless a signalled write of the same transaction already
draws the generation at its commit.

What else a vote depends on is read fresh every time: the voter and their profile (with the
token), the clock (a phase is a pair of dates), a space's moderators, the town's status, the
ballot, the projects it names and the census list.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django_tenants.utils import schema_context

if TYPE_CHECKING:
    from .models import Budget

GENERATION_KEY = "budgets:generation"
# A bound on what a missed invalidation could leave behind (a miss costs two queries).
ENTRY_SECONDS = 60
WATCHED_MODELS = (
    "budgets.Budget",
    "participation.Phase",
    "participation.Component",
    "participation.Space",
    "participation.Neighbourhood",
)


def _entry_key(budget_id: int) -> str:
    return f"budgets:page:{budget_id}"


def cached_budget(budget_id: int, load: Callable[[], Budget | None]) -> Budget | None:
    """The budget as ``load()`` reads it, from the cache when it holds it for the current
    generation (keys are per town: the cache's key function adds the schema). A copy of its
    own each call (unpickled): nothing a request sets on it is seen by another."""
    key = _entry_key(budget_id)
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
        generation = cache.get(GENERATION_KEY)
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    budget = load()
    if budget is not None:
        cache.set(key, (generation, budget), ENTRY_SECONDS)
    return budget


def _new_generation() -> None:
    cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)


def _new_generation_in(schema_name: str) -> None:
    # After the commit, the connection may be back in another schema (the cache key is the
    # current schema's).
    if connection.schema_name == schema_name:
        _new_generation()
    else:
        with schema_context(schema_name):
            _new_generation()


def forget_budgets() -> None:
    """Every cached budget of the current town is read again from the database."""
    schema_name = connection.schema_name
    _new_generation()
    transaction.on_commit(lambda: _new_generation_in(schema_name))


def _written(sender, **kwargs) -> None:
    forget_budgets()


def connect_signals() -> None:
    for label in WATCHED_MODELS:
        model = apps.get_model(label)
        post_save.connect(_written, sender=model, dispatch_uid=f"budgets_page_cache_save_{label}")
        post_delete.connect(
            _written, sender=model, dispatch_uid=f"budgets_page_cache_delete_{label}"
        )
