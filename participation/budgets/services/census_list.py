"""The census list of a budget (residents allowed to vote): uploaded as CSV, kept as salted
digests only, and checked at the vote."""

from __future__ import annotations

import csv
import datetime
import io

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Invalid
from participation.services import ensure_perm

from ..census import CensusIdentity, census_digest, census_listed, normalise_name
from ..models import (
    Budget,
    CensusEntry,
)

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def parse_census_date(value: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def census_upload(*, actor: User, budget: Budget, text: str) -> int:
    """Replace the budget's list of voters with this CSV (last name; first name; birth date,
    one person a line, an optional header). Only salted digests are stored. Returns the
    number of people on the list."""
    ensure_perm(actor, "budgets.change_budget", budget)
    dialect = csv.excel
    sample = text[:2000]
    if ";" in sample:
        dialect = type("Semicolon", (csv.excel,), {"delimiter": ";"})
    digests: set[str] = set()
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if number == 1 and normalise_name(cells[0]) in {"nom", "last name", "nom de famille"}:
            continue
        if len(cells) < 3 or not cells[0] or not cells[1]:
            raise Invalid(
                _("Ligne %(line)d : attendu nom ; prénom ; date de naissance.") % {"line": number}
            )
        birth = parse_census_date(cells[2])
        if birth is None:
            raise Invalid(
                _("Ligne %(line)d : date de naissance illisible « %(value)s ».")
                % {"line": number, "value": cells[2]}
            )
        digests.add(census_digest(budget, CensusIdentity(cells[0], cells[1], birth)))
    if not digests:
        raise Invalid(_("La liste est vide."))
    with transaction.atomic():
        Budget.objects.select_for_update().get(pk=budget.pk)
        CensusEntry.objects.filter(budget=budget).delete()
        CensusEntry.objects.bulk_create(CensusEntry(budget=budget, digest=d) for d in digests)
    return len(digests)


def census_check(*, budget: Budget, identity: CensusIdentity) -> bool:
    return census_listed(budget, identity)
