"""The list of voters (census) of a budget: a person proves they are on it by their last
name, first name and birth date, compared as a salted digest (names are never stored)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass

from .models import Budget, CensusEntry


@dataclass(frozen=True)
class CensusIdentity:
    last_name: str
    first_name: str
    birth_date: datetime.date


def normalise_name(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value or "")
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", letters.casefold()).split())


def census_digest(budget: Budget, identity: CensusIdentity) -> str:
    message = "|".join(
        [
            normalise_name(identity.last_name),
            normalise_name(identity.first_name),
            identity.birth_date.isoformat(),
        ]
    )
    return hmac.new(budget.census_salt.encode(), message.encode(), hashlib.sha256).hexdigest()


def census_listed(budget: Budget, identity: CensusIdentity) -> bool:
    return CensusEntry.objects.filter(
        budget=budget, digest=census_digest(budget, identity)
    ).exists()
