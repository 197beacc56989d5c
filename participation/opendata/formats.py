"""A dataset as CSV (French spreadsheets' form, core.exports) or JSON, and the town's DCAT
catalogue in JSON-LD (the vocabulary data.gouv.fr and the EU's harvesters read)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exports import csv_bytes
from core.hosts import current_town_url

from ..hooks import OpenDataset
from .datasets import LICENCE_NAME, LICENCE_URL

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}
FRENCH = "http://publications.europa.eu/resource/authority/language/FRA"


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    return value


def dataset_csv(dataset: OpenDataset) -> bytes:
    rows = ([_csv_value(row.get(column)) for column in dataset.columns] for row in dataset.rows())
    return csv_bytes([dataset.columns, *rows])


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, Decimal):
            return float(o)
        return super().default(o)


def dataset_json(dataset: OpenDataset) -> bytes:
    body = {
        "jeu_de_donnees": dataset.key,
        "titre": dataset.title,
        "description": dataset.description,
        "producteur": connection.tenant.name,
        "licence": LICENCE_URL,
        "mis_a_jour_le": dataset.modified,
        "champs": list(dataset.columns),
        "donnees": [
            {column: row.get(column) for column in dataset.columns} for row in dataset.rows()
        ],
    }
    return json.dumps(body, cls=_Encoder, ensure_ascii=False, indent=1).encode()


def file_url(dataset: OpenDataset, fmt: str) -> str:
    return current_town_url(reverse("participation:opendata:file", args=[dataset.key, fmt]))


def _date(moment: datetime.datetime | None) -> dict[str, str]:
    moment = moment or timezone.now()
    return {"@value": moment.isoformat(), "@type": "xsd:dateTime"}


def catalogue(datasets: list[OpenDataset]) -> dict[str, Any]:
    """A dcat:Catalog of the town's datasets, each with a CSV and a JSON dcat:Distribution."""
    town = connection.tenant.name
    page = current_town_url(reverse("participation:opendata:index"))
    publisher = {
        "@type": "foaf:Organization",
        "foaf:name": town,
        "foaf:homepage": {"@id": current_town_url("/")},
    }
    licence = {"@id": LICENCE_URL}
    modified = [dataset.modified for dataset in datasets if dataset.modified]
    return {
        "@context": CONTEXT,
        "@id": current_town_url(reverse("participation:opendata:catalogue")),
        "@type": "dcat:Catalog",
        "dct:title": _("Données ouvertes de %(town)s") % {"town": town},
        "dct:description": _(
            "Ce que les habitants ont proposé, voté et décidé sur la plateforme de participation "
            "de %(town)s, sans aucune donnée personnelle. %(licence)s."
        )
        % {"town": town, "licence": LICENCE_NAME},
        "dct:publisher": publisher,
        "dct:language": {"@id": FRENCH},
        "dct:license": licence,
        "dct:modified": _date(max(modified, default=None)),
        "foaf:homepage": {"@id": page},
        "dcat:dataset": [
            {
                "@id": f"{page}#{dataset.key}",
                "@type": "dcat:Dataset",
                "dct:identifier": dataset.key,
                "dct:title": dataset.title,
                "dct:description": dataset.description,
                "dct:publisher": publisher,
                "dct:license": licence,
                "dct:modified": _date(dataset.modified),
                "dcat:landingPage": {"@id": page},
                "dcat:distribution": [
                    {
                        "@id": file_url(dataset, fmt),
                        "@type": "dcat:Distribution",
                        "dct:title": f"{dataset.title} ({fmt.upper()})",
                        "dct:format": fmt.upper(),
                        "dcat:mediaType": {
                            "@id": f"https://www.iana.org/assignments/media-types/{media_type}"
                        },
                        "dcat:downloadURL": {"@id": file_url(dataset, fmt)},
                        "dcat:accessURL": {"@id": file_url(dataset, fmt)},
                        "dct:license": licence,
                    }
                    for fmt, media_type in MEDIA_TYPES.items()
                ],
            }
            for dataset in datasets
        ],
    }
