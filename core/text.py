"""Text typed by people, as services keep it: trimmed and within bounds. Stored as typed:
templates escape it when shown."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .errors import Invalid


def clean_text(
    value: str | None,
    *,
    label: str,
    max_length: int,
    required: bool = True,
    field: str | None = None,
) -> str:
    """``value`` without surrounding blanks; Invalid (naming ``label``) when it is required
    and blank, or longer than ``max_length`` characters."""
    value = (value or "").strip()
    if required and not value:
        raise Invalid(_("%(label)s : ce champ est obligatoire.") % {"label": label}, field=field)
    if len(value) > max_length:
        raise Invalid(
            _("%(label)s : %(length)d caractères, %(max)d au plus.")
            % {"label": label, "length": len(value), "max": max_length},
            field=field,
        )
    return value
