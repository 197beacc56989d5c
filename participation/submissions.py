"""Idempotent submissions: a contribution created once per key, however many times the same
form or request arrives (double click, a browser or a client retrying after a timeout).

The key's row is inserted in the same transaction as the contribution. A concurrent request
with the same key waits on the unique index until the first commits, then finds its row and
returns the same contribution; if the first failed (rolled back), the waiting one proceeds
as if it were first. Database-backed, so it holds across web workers and a cache flush."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Model

from accounts.models import User

from .models import Submission

T = TypeVar("T", bound=Model)

KEY_FIELD = "submission_key"
KEY_MAX_LENGTH = 100


def new_key() -> str:
    return uuid.uuid4().hex


def clean_key(value: object) -> str | None:
    """The key as sent, or None (no key: the submission is not deduplicated)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if 0 < len(value) <= KEY_MAX_LENGTH else None


def submit_once(*, user: User, key: str | None, create: Callable[[], T]) -> tuple[T, bool]:
    """``create()``'s result and True; or, when ``user`` already submitted with ``key``, the
    result of that first submission and False."""
    if key is None or not user.is_authenticated:
        return create(), True
    with transaction.atomic():
        try:
            with transaction.atomic():
                submission = Submission.objects.create(user=user, key=key)
        except IntegrityError:
            first = Submission.objects.get(user=user, key=key)
            return first.result, False
        result = create()
        submission.content_type = ContentType.objects.get_for_model(result)
        submission.object_id = result.pk
        submission.save(update_fields=["content_type", "object_id"])
    return result, True
