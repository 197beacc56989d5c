"""The API's JSON parser (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES): bounded before parsing,
and no NUL or lone surrogate in what it hands to serializers (core.input)."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.parsers import JSONParser

from .errors import Invalid
from .input import ensure_clean_strings, ensure_json_depth, strings_in


class BoundedJSONParser(JSONParser):
    """Refuses with the kernel's error shape (core.api: detail and code, 400), anonymously
    too, before authentication or permissions could be asked: a body too large, nested too
    deep, not JSON, or holding characters no text may hold."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_JSON_MAX_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise Invalid(
                _("Le JSON envoyé dépasse %(size)d kilo-octets.") % {"size": limit // 1024}
            )
        ensure_json_depth(raw, max_depth=settings.API_JSON_MAX_DEPTH)
        try:
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError) as exc:
            raise Invalid(_("Le corps de la requête n'est pas du JSON valide.")) from exc
        ensure_clean_strings(strings_in(data))
        return data
