"""The electoral roll imported by the town: a CSV file (UTF-8, « ; » or « , »), with a header
naming the columns nom, prenom, date_naissance, email. Each line is checked; the good ones
are written together, the others come back in a report with their reason. A file that cannot
be read (wrong encoding, missing columns) writes nothing."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Invalid
from participation.models import Component
from participation.services import ensure_perm

from .models import Elector

COLUMNS = ("nom", "prenom", "date_naissance", "email")
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
MAX_BYTES = 5 * 1024 * 1024


@dataclass
class RollReport:
    added: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise Invalid(_("Le fichier dépasse 5 Mo."), field="file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid(
            _(
                "Le fichier n'est pas encodé en UTF-8 (ligne %(line)d). Enregistrez-le en "
                "« CSV UTF-8 » depuis votre tableur."
            )
            % {"line": data[: exc.start].count(b"\n") + 1},
            field="file",
        ) from exc


def _parse_date(value: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _line_problem(cells: dict[str, str], seen: set[str]) -> str | None:
    if not cells["nom"] or not cells["prenom"]:
        return _("nom ou prénom manquant")
    if _parse_date(cells["date_naissance"]) is None:
        return _("date de naissance illisible « %(value)s » (attendu jj/mm/aaaa)") % {
            "value": cells["date_naissance"]
        }
    try:
        validate_email(cells["email"])
    except ValidationError:
        return _("adresse e-mail invalide « %(value)s »") % {"value": cells["email"]}
    if cells["email"].lower() in seen:
        return _("adresse e-mail déjà sur la liste")
    return None


def roll_import(*, actor: User, component: Component, data: bytes) -> RollReport:
    ensure_perm(actor, "elections.change_election", component)
    text = _decode(data)
    sample = text[:2000]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader, [])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise Invalid(
            _("Colonnes manquantes : %(missing)s (attendu : %(expected)s).")
            % {"missing": ", ".join(missing), "expected": " ; ".join(COLUMNS)},
            field="file",
        )
    index = {column: header.index(column) for column in COLUMNS}
    report = RollReport()
    seen = {
        email.lower()
        for email in Elector.objects.filter(component=component).values_list("email", flat=True)
    }
    electors: list[Elector] = []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {
            column: (row[position].strip() if position < len(row) else "")
            for column, position in index.items()
        }
        problem = _line_problem(cells, seen)
        if problem:
            report.rejected.append((number, problem))
            continue
        seen.add(cells["email"].lower())
        electors.append(
            Elector(
                component=component,
                last_name=cells["nom"],
                first_name=cells["prenom"],
                birth_date=_parse_date(cells["date_naissance"]),
                email=cells["email"].lower(),
                source=Elector.Source.IMPORT,
            )
        )
    with transaction.atomic():
        Elector.objects.bulk_create(electors)
    report.added = len(electors)
    return report
