"""A module's objects as its vote pages and APIs read them (a budget, an election, with their
component, space, phases...), kept in the cache: a vote reads one in one round trip instead of
several queries, whose ORM work was most of a vote's time.

Each entry carries the town's *generation* of that cache, read with it (one MGET). Any save or
delete of one of the watched models in the town draws a new generation, so the next request
reads the database again: at once (a request of the same transaction) and once the
transaction commits (a request that read the database before the commit would otherwise keep
what it saw under the new generation). Writes that send no signal (``QuerySet.update``,
``bulk_create``, raw SQL) on those tables call ``forget()`` themselves, unless a signalled
write of the same transaction already draws the generation at its commit.

What else a vote depends on is read fresh every time: the voter and their profile (with the
token), the clock (a phase is a pair of dates), a space's moderators, the town's status, the
ballot, the roll.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django_tenants.utils import schema_context

# A bound on what a missed invalidation could leave behind (a miss costs a few queries).
ENTRY_SECONDS = 60


class GenerationCache:
    """The cache of one module (``name``), dropped whenever one of ``watched`` (model labels)
    is written in the town. Keys are per town: the cache's key function adds the schema."""

    def __init__(self, name: str, watched: tuple[str, ...]) -> None:
        self.name = name
        self.watched = watched
        self.generation_key = f"{name}:generation"

    def entry_key(self, pk) -> str:
        return f"{self.name}:page:{pk}"

    def get(self, pk, load: Callable[[], Any]) -> Any:
        """What ``load()`` reads, from the cache when it holds it for the current generation.
        A copy of its own each call (unpickled): nothing a request sets on it is seen by
        another. ``None`` (nothing found) is not kept."""
        key = self.entry_key(pk)
        found = cache.get_many([self.generation_key, key])
        generation = found.get(self.generation_key)
        if generation is None:
            cache.add(self.generation_key, secrets.token_hex(8), timeout=None)
            generation = cache.get(self.generation_key)
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            return entry[1]
        value = load()
        if value is not None:
            cache.set(key, (generation, value), ENTRY_SECONDS)
        return value

    def _new_generation(self) -> None:
        cache.set(self.generation_key, secrets.token_hex(8), timeout=None)

    def _new_generation_in(self, schema_name: str) -> None:
        # After the commit, the connection may be back in another schema (the cache key is
        # the current schema's).
        if connection.schema_name == schema_name:
            self._new_generation()
        else:
            with schema_context(schema_name):
                self._new_generation()

    def forget(self) -> None:
        """Every cached entry of the current town is read again from the database."""
        schema_name = connection.schema_name
        self._new_generation()
        transaction.on_commit(lambda: self._new_generation_in(schema_name))

    def _written(self, sender, **kwargs) -> None:
        self.forget()

    def connect_signals(self) -> None:
        for label in self.watched:
            model = apps.get_model(label)
            uid = f"{self.name}_generation_cache_{label}"
            post_save.connect(self._written, sender=model, dispatch_uid=f"{uid}_save")
            post_delete.connect(self._written, sender=model, dispatch_uid=f"{uid}_delete")
