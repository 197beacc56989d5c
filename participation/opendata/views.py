"""The open-data page, the catalogue and the files: public, read-only, cached a little by
whoever sits in between (the files are made on each download)."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from core.exports import CSV_CONTENT_TYPE

from .datasets import LICENCE_NAME, LICENCE_URL, town_dataset, town_datasets
from .formats import catalogue as dcat_catalogue
from .formats import dataset_csv, dataset_json

MAX_AGE = 15 * 60


def _public(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "opendata/index.html",
        {"datasets": town_datasets(), "licence_url": LICENCE_URL, "licence_name": LICENCE_NAME},
    )


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    # The catalogue and the files are in the site's language whoever asks: a harvester or a
    # script gets the same words (statuses, "oui"/"non") as every other reuser.
    with translation.override(settings.LANGUAGE_CODE):
        body = json.dumps(dcat_catalogue(town_datasets()), ensure_ascii=False, indent=1)
    return _public(HttpResponse(body, content_type="application/ld+json; charset=utf-8"))


@require_safe
def dataset_file(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    with translation.override(settings.LANGUAGE_CODE):
        dataset = town_dataset(key)
        if dataset is None or fmt not in ("csv", "json"):
            raise Http404
        if fmt == "csv":
            response = HttpResponse(dataset_csv(dataset), content_type=CSV_CONTENT_TYPE)
        else:
            response = HttpResponse(dataset_json(dataset), content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="{dataset.key}.{fmt}"'
    return _public(response)
