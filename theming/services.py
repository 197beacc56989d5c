"""Changing the town's theme and its legal pages. Every change drops the cached copies (at
once, and again when the transaction commits, so that a reader between the two cannot keep
the old value); anonymous pages cached by core.caching follow within their delay."""

from __future__ import annotations

import datetime
import io
import secrets
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import EmailValidator, URLValidator
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from PIL import Image

from core import files
from core.errors import Invalid
from core.text import clean_text

from .contrast import MIN_TEXT_CONTRAST, WHITE, contrast_ratio, normalised_colour, ratio_label
from .models import LegalPage, SiteTheme, ThemeFont, ThemeRadius
from .presets import PRESETS
from .selectors import kind_checked, legal_links_forget, site_theme_forget

LOGO_MAX_BYTES = 1024 * 1024
TAGLINE_MAX_CHARS = 200
LEGAL_BODY_MAX_CHARS = 50_000


def _forget_now_and_on_commit(forget: Callable[[], None]) -> None:
    forget()
    schema = connection.schema_name

    def forget_in_schema() -> None:
        with schema_context(schema):
            forget()

    transaction.on_commit(forget_in_schema)


# Theme


def colour_checked(value: str, *, field: str) -> str:
    """The colour as #rrggbb if white text on it is readable; Invalid otherwise."""
    label = {"primary_colour": _("Couleur principale"), "accent_colour": _("Couleur d'accent")}
    colour = normalised_colour(value)
    if colour is None:
        raise Invalid(
            _(
                "%(label)s : « %(value)s » n'est pas une couleur ; écrivez-la #RRVVBB, par "
                "exemple #1d4ed8."
            )
            % {"label": label[field], "value": value},
            field=field,
        )
    ratio = contrast_ratio(WHITE, colour)
    if ratio < MIN_TEXT_CONTRAST:
        raise Invalid(
            _(
                "%(label)s : le texte blanc sur %(colour)s n'a qu'un contraste de %(ratio)s, "
                "trop faible pour être lu par tous ; il faut au moins 4,5:1 (RGAA). Choisissez "
                "une couleur plus foncée."
            )
            % {"label": label[field], "colour": colour, "ratio": ratio_label(ratio)},
            field=field,
        )
    return colour


def logo_check(upload: UploadedFile) -> str:
    """The logo's real image type (read from its content, whatever its name says);
    Invalid when it is empty, too big, or not a PNG, JPEG or WebP image."""
    return files.upload_check(
        upload,
        allowed=files.IMAGES,
        max_bytes=LOGO_MAX_BYTES,
        too_big=_("Le logo fait %(size)s : %(max)s au plus."),
        refused=_(
            "Le logo doit être une image PNG, JPEG ou WebP (le SVG n'est pas accepté) : le "
            "contenu de « %(name)s » ne correspond à aucun de ces formats, quelle que soit "
            "son extension."
        ),
        field="logo",
    )


def font_checked(value: str) -> str:
    if value not in ThemeFont.values:
        raise Invalid(
            _("Police inconnue : « %(value)s » (possibles : %(values)s).")
            % {"value": value, "values": ", ".join(ThemeFont.values)},
            field="font",
        )
    return value


def radius_checked(value: str) -> str:
    if value not in ThemeRadius.values:
        raise Invalid(
            _("Forme des angles inconnue : « %(value)s » (possibles : %(values)s).")
            % {"value": value, "values": ", ".join(ThemeRadius.values)},
            field="radius",
        )
    return value


def _logo_reencoded(upload: UploadedFile, content_type: str) -> ContentFile:
    """The logo's pixels saved again by Pillow in its own format: whatever was appended to or
    hidden in the file (HTML after a PNG, metadata) is not kept, and is never served."""
    pillow_format = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}[content_type]
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.load()
            output = io.BytesIO()
            if pillow_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            image.save(output, format=pillow_format)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise Invalid(_("Le logo n'est pas une image lisible."), field="logo") from exc
    return ContentFile(output.getvalue())


def _theme_change(change: Callable[[SiteTheme], None]) -> SiteTheme:
    """Apply ``change`` to the locked theme row (created on first change) and save it."""
    with transaction.atomic():
        theme = (
            SiteTheme.objects.select_for_update().filter(pk=SiteTheme.SINGLETON_ID).first()
            or SiteTheme()
        )
        change(theme)
        theme.full_clean()
        theme.save()
    _forget_now_and_on_commit(site_theme_forget)
    return theme


def _delete_on_commit(storage, name: str) -> None:
    """Remove a replaced file once the change is committed (files are stored per schema)."""
    schema = connection.schema_name

    def delete() -> None:
        with schema_context(schema):
            storage.delete(name)

    transaction.on_commit(delete)


def theme_update(
    *,
    primary_colour: str,
    accent_colour: str,
    tagline: str = "",
    font: str | None = None,
    radius: str | None = None,
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
) -> SiteTheme:
    """Save the town's colours, tagline, and (unless None, which keeps them) font and corner
    radius; with ``logo``, replace the logo (``remove_logo`` removes it). Refuses colours
    white text is hard to read on, a font or radius not offered, and any logo file that is
    not a small PNG, JPEG or WebP image."""
    primary_colour = colour_checked(primary_colour, field="primary_colour")
    accent_colour = colour_checked(accent_colour, field="accent_colour")
    font = None if font is None else font_checked(font)
    radius = None if radius is None else radius_checked(radius)
    tagline = clean_text(
        tagline, label=_("Accroche"), max_length=TAGLINE_MAX_CHARS, required=False, field="tagline"
    )
    logo_type = logo_check(logo) if logo is not None else None
    logo_content = _logo_reencoded(logo, logo_type) if logo_type is not None else None
    stored: list[str] = []

    def change(theme: SiteTheme) -> None:
        theme.primary_colour, theme.accent_colour, theme.tagline = (
            primary_colour,
            accent_colour,
            tagline,
        )
        if font is not None:
            theme.font = font
        if radius is not None:
            theme.radius = radius
        if logo_type is None and not remove_logo:
            return
        if theme.logo.name:
            _delete_on_commit(theme.logo.storage, theme.logo.name)
        theme.logo = ""
        if logo_type is not None:
            # A new name for each logo: browsers and caches never show the previous one.
            name = f"logo-{secrets.token_hex(4)}.{files.extension(logo_type)}"
            theme.logo.save(name, logo_content, save=False)
            stored.append(theme.logo.name)

    try:
        return _theme_change(change)
    except Exception:
        for name in stored:
            SiteTheme.logo.field.storage.delete(name)
        raise


def theme_apply_preset(*, key: str) -> SiteTheme:
    """Give the current town the colours, font and corners of a named preset
    (``theming.presets.PRESETS``), keeping its tagline and logo. An unknown key raises
    Invalid."""
    preset = PRESETS.get(key)
    if preset is None:
        raise Invalid(
            _("Modèle de thème inconnu : « %(key)s » (possibles : %(keys)s).")
            % {"key": key, "keys": ", ".join(PRESETS)}
        )
    primary_colour = colour_checked(preset.primary_colour, field="primary_colour")
    accent_colour = colour_checked(preset.accent_colour, field="accent_colour")

    font, radius = font_checked(preset.font), radius_checked(preset.radius)

    def change(theme: SiteTheme) -> None:
        theme.primary_colour, theme.accent_colour = primary_colour, accent_colour
        theme.font, theme.radius = font, radius

    return _theme_change(change)


# Legal pages


def _accessibility_contact_checked(contact: str) -> str:
    contact = (contact or "").strip()
    if not contact:
        return ""
    for validator in (EmailValidator(), URLValidator(schemes=["https", "http"])):
        try:
            validator(contact)
        except ValidationError:
            continue
        return contact
    raise Invalid(
        _(
            "Contact : « %(value)s » n'est ni une adresse e-mail ni l'adresse d'un formulaire "
            "(https://…)."
        )
        % {"value": contact},
        field="accessibility_contact",
    )


def _check_accessibility(page: LegalPage) -> None:
    if page.conformity and page.conformity not in LegalPage.Conformity.values:
        raise Invalid(_("État de conformité inconnu."), field="conformity")
    if page.conformity in LegalPage.AUDITED and page.audit_date is None:
        raise Invalid(
            _(
                "Un site ne peut se déclarer %(status)s qu'après un audit : indiquez sa date, "
                "ou déclarez le site non conforme."
            )
            % {"status": LegalPage.Conformity(page.conformity).label},
            field="audit_date",
        )
    if page.audit_date is not None and page.audit_date > timezone.localdate():
        raise Invalid(_("La date de l'audit est dans le futur."), field="audit_date")


def _check_publishable(page: LegalPage) -> None:
    if not page.body:
        raise Invalid(
            _("La page « %(page)s » est vide : rédigez son texte avant de la publier.")
            % {"page": page.get_kind_display()},
            field="body",
        )
    if page.kind != LegalPage.Kind.ACCESSIBILITY:
        return
    if not page.conformity:
        raise Invalid(
            _("Indiquez l'état de conformité au RGAA avant de publier la déclaration."),
            field="conformity",
        )
    if not page.accessibility_contact:
        raise Invalid(
            _(
                "Indiquez un contact (adresse e-mail ou formulaire) pour les demandes "
                "d'accessibilité avant de publier la déclaration."
            ),
            field="accessibility_contact",
        )


def _locked_page(kind: str, *, create: bool = False) -> LegalPage:
    """The page of this kind, locked; a new unsaved one if there is none (saved at once with
    ``create``: two first saves at the same time then wait for each other)."""
    pages = LegalPage.objects.select_for_update()
    kind = kind_checked(kind)
    if create:
        return pages.get_or_create(kind=kind)[0]
    return pages.filter(kind=kind).first() or LegalPage(kind=kind)


def legal_page_save(
    *,
    kind: str,
    body: str,
    conformity: str = "",
    audit_date: datetime.date | None = None,
    accessibility_contact: str = "",
) -> LegalPage:
    """Save a page's text (and, for the accessibility statement, its RGAA status, audit date
    and contact). A published page stays published and must stay complete."""
    body = clean_text(
        body, label=_("Texte"), max_length=LEGAL_BODY_MAX_CHARS, required=False, field="body"
    )
    with transaction.atomic():
        page = _locked_page(kind, create=True)
        page.body = body
        if page.kind == LegalPage.Kind.ACCESSIBILITY:
            page.conformity = conformity or ""
            page.audit_date = audit_date
            page.accessibility_contact = _accessibility_contact_checked(accessibility_contact)
            _check_accessibility(page)
        if page.is_published:
            _check_publishable(page)
        page.save()
    _forget_now_and_on_commit(legal_links_forget)
    return page


def _legal_page_publication(kind: str, *, publish: bool) -> LegalPage:
    with transaction.atomic():
        page = _locked_page(kind)
        if publish:
            _check_publishable(page)
        if page.is_published != publish:
            page.published_at = timezone.now() if publish else None
            page.save()
    _forget_now_and_on_commit(legal_links_forget)
    return page


def legal_page_publish(*, kind: str) -> LegalPage:
    """Make a saved, complete page readable by everyone and linked from every page."""
    return _legal_page_publication(kind, publish=True)


def legal_page_unpublish(*, kind: str) -> LegalPage:
    """Take a page off the public site (its text is kept)."""
    return _legal_page_publication(kind, publish=False)
