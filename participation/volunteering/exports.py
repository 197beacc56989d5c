"""Open data (the directory and the agenda) and the back office's figures, as CSV and XLSX. Nothing
here names a volunteer: associations and dates only, figures as counts."""

from __future__ import annotations

from django.utils import timezone

from core.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_bytes, xlsx_bytes
from participation.models import Component

from .selectors import agenda, figures, validated_associations


def _associations_rows(component: Component) -> list[list]:
    header = ["nom", "catégories", "quartier", "adresse", "site web", "RNA", "présentation"]
    rows = [
        [
            a.name,
            ", ".join(a.categories),
            a.neighbourhood.name if a.neighbourhood else "",
            a.address,
            a.website,
            a.rna,
            a.description,
        ]
        for a in validated_associations()
    ]
    return [header, *rows]


def _agenda_rows(component: Component) -> list[list]:
    header = ["type", "titre", "début", "fin", "lieu", "quartier", "association"]
    rows = [
        [
            entry.kind,
            entry.title,
            timezone.localtime(entry.starts_at),
            timezone.localtime(entry.ends_at),
            entry.place,
            entry.neighbourhood,
            entry.association.name if entry.association else "",
        ]
        for entry in agenda(component)
    ]
    return [header, *rows]


def associations_csv(component: Component) -> tuple[str, str, bytes]:
    return "associations.csv", CSV_CONTENT_TYPE, csv_bytes(_associations_rows(component))


def associations_xlsx(component: Component) -> tuple[str, str, bytes]:
    content = xlsx_bytes(_associations_rows(component), title="Associations")
    return "associations.xlsx", XLSX_CONTENT_TYPE, content


def agenda_csv(component: Component) -> tuple[str, str, bytes]:
    return f"agenda-{component.pk}.csv", CSV_CONTENT_TYPE, csv_bytes(_agenda_rows(component))


def agenda_xlsx(component: Component) -> tuple[str, str, bytes]:
    content = xlsx_bytes(_agenda_rows(component), title="Agenda")
    return f"agenda-{component.pk}.xlsx", XLSX_CONTENT_TYPE, content


def _figures_rows(component: Component) -> list[list]:
    found = figures(component)
    return [
        ["indicateur", "période ou quartier", "participations", "heures"],
        ["associations validées", "", found.associations, ""],
        ["bénévoles inscrits", "", found.volunteers, ""],
        ["missions complètes", "", found.missions_filled, ""],
        *[
            ["mois", row["month"].strftime("%Y-%m"), row["participations"], row["hours"]]
            for row in found.by_month
        ],
        *[
            [
                "quartier",
                row["mission__neighbourhood__name"] or "",
                row["participations"],
                row["hours"],
            ]
            for row in found.by_neighbourhood
        ],
    ]


def figures_csv(component: Component) -> tuple[str, str, bytes]:
    rows = _figures_rows(component)
    return f"benevolat-chiffres-{component.pk}.csv", CSV_CONTENT_TYPE, csv_bytes(rows)


def figures_xlsx(component: Component) -> tuple[str, str, bytes]:
    content = xlsx_bytes(_figures_rows(component), title="Bénévolat")
    return f"benevolat-chiffres-{component.pk}.xlsx", XLSX_CONTENT_TYPE, content
