"""The town administrators' pages for their site: theme, presets, legal pages. Thin views over
theming.services; service errors are shown on the form or as messages."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from core.errors import ApplicationError
from core.guards import permission_required
from core.templatetags.icons import ICONS
from core.views import run_action, run_form_action
from tenants.forms import MapLocationForm
from tenants.services import map_location_checked, town_set_map_location

from . import selectors, services
from .contrast import WHITE, contrast_ratio, normalised_colour, ratio_label
from .forms import ThemeForm, legal_page_form
from .models import LegalPage, ThemeFont, ThemeRadius
from .presets import PRESETS

theme_admin = permission_required("theming.change_sitetheme")
legal_admin = permission_required("theming.change_legalpage")


@theme_admin
def overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "theming/backoffice/overview.html",
        {"theme_is_set": selectors.theme_is_set(), "pages": selectors.legal_pages_for_edit()},
    )


# Theme


def _colour_preview(value: str, field: str) -> dict:
    """What the preview shows for one colour: the colour (only a valid #rrggbb ever reaches
    the page's styles), white text's contrast on it, and why it would be refused."""
    colour = normalised_colour(value)
    try:
        services.colour_checked(value, field=field)
    except ApplicationError as exc:
        error = str(exc)
    else:
        error = ""
    ratio = ratio_label(contrast_ratio(WHITE, colour)) if colour else ""
    return {"colour": colour, "ratio": ratio, "error": error}


def _preview(values) -> dict:
    primary = _colour_preview(values.get("primary_colour", ""), "primary_colour")
    accent = _colour_preview(values.get("accent_colour", ""), "accent_colour")
    tagline = values.get("tagline", "")
    return {"primary": primary, "accent": accent, "colours": (primary, accent), "tagline": tagline}


@theme_admin
def theme_edit(request: HttpRequest) -> HttpResponse:
    theme = selectors.site_theme()
    saved = {
        "primary_colour": theme.primary_colour,
        "accent_colour": theme.accent_colour,
        "tagline": theme.tagline,
        "font": theme.font,
        "radius": theme.radius,
    }
    form = ThemeForm(request.POST or None, request.FILES or None, initial=saved)
    preview = _preview(request.POST if request.method == "POST" else saved)
    if request.method == "POST" and form.is_valid() and "preview" not in request.POST:
        data = form.cleaned_data
        run_form_action(
            form,
            lambda: services.theme_update(
                primary_colour=data["primary_colour"],
                accent_colour=data["accent_colour"],
                tagline=data["tagline"],
                # Left out (an older form, a script): the saved ones stay.
                font=data["font"] or None,
                radius=data["radius"] or None,
                logo=data["logo"],
                remove_logo=data["remove_logo"],
            ),
        )
        if not form.errors:
            messages.success(request, _("Thème enregistré."))
            return redirect("site_admin:theme")
    return render(
        request,
        "theming/backoffice/theme.html",
        {"form": form, "preview": preview, "presets": PRESETS.values(), "saved_theme": theme},
        status=400 if form.errors else 200,
    )


@theme_admin
@require_GET
def theme_preview(request: HttpRequest) -> HttpResponse:
    """The preview alone, refreshed by htmx while the colours are typed."""
    return render(
        request, "theming/backoffice/theme_preview.html", {"preview": _preview(request.GET)}
    )


@theme_admin
@require_POST
def theme_preset(request: HttpRequest) -> HttpResponse:
    try:
        services.theme_apply_preset(key=request.POST.get("key", ""))
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        label = PRESETS[request.POST["key"]].label
        messages.success(request, _("Modèle « %(name)s » appliqué.") % {"name": label})
    return redirect("site_admin:theme")


# Map


@theme_admin
def map_location_edit(request: HttpRequest) -> HttpResponse:
    """Where the town's maps open (the vendor set it at the town's creation)."""
    town = request.tenant
    saved = {
        "latitude": _decimal_text(town.latitude),
        "longitude": _decimal_text(town.longitude),
        "map_zoom": str(town.map_zoom),
    }
    form = MapLocationForm(request.POST or None, initial=saved)
    if request.method == "POST" and form.is_valid():
        run_form_action(
            form,
            lambda: town_set_map_location(
                tenant=town, location=map_location_checked(**_renamed(form.cleaned_data))
            ),
        )
        if not form.errors:
            messages.success(request, _("Centre de la carte enregistré."))
            return redirect("site_admin:map")
    return render(
        request,
        "theming/backoffice/map.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _decimal_text(value) -> str:
    """A coordinate as one types it back (no trailing zeros), "" when none."""
    return "" if value is None else format(value.normalize(), "f")


def _renamed(data: dict) -> dict:
    return {"latitude": data["latitude"], "longitude": data["longitude"], "zoom": data["map_zoom"]}


# Legal pages


def _kind(slug: str) -> str:
    for kind, kind_slug in LegalPage.SLUGS.items():
        if kind_slug == slug:
            return kind
    raise Http404


@legal_admin
def legal_page_edit(request: HttpRequest, slug: str) -> HttpResponse:
    kind = _kind(slug)
    page = selectors.legal_page_for_edit(kind)
    form = legal_page_form(page, request.POST or None)
    if request.method == "POST" and form.is_valid():
        run_form_action(form, lambda: services.legal_page_save(kind=kind, **form.cleaned_data))
        if not form.errors:
            messages.success(request, _("Page enregistrée."))
            return redirect("site_admin:legal_page", slug=slug)
    return render(
        request,
        "theming/backoffice/legal_page.html",
        {"page": page, "form": form},
        status=400 if form.errors else 200,
    )


@legal_admin
@require_POST
def legal_page_publish(request: HttpRequest, slug: str) -> HttpResponse:
    kind = _kind(slug)
    publish = request.POST.get("publish") == "1"
    action = services.legal_page_publish if publish else services.legal_page_unpublish
    run_action(
        request,
        lambda: action(kind=kind),
        _("Page publiée.") if publish else _("Page retirée du site public."),
    )
    return redirect("site_admin:legal_page", slug=slug)


# Style guide


class _StyleGuideForm(forms.Form):
    """A sample form: each kind of control with its hint, one of them with an error."""

    name = forms.CharField(label=_lazy("Votre nom"), help_text=_lazy("Tel qu'il apparaîtra."))
    frequency = forms.ChoiceField(
        label=_lazy("Venez-vous en centre-ville ?"),
        choices=[
            ("often", _lazy("Souvent")),
            ("sometimes", _lazy("Parfois")),
            ("never", _lazy("Jamais")),
        ],
        widget=forms.RadioSelect,
    )
    topics = forms.MultipleChoiceField(
        label=_lazy("Sujets qui vous intéressent"),
        choices=[
            ("mobility", _lazy("Mobilités")),
            ("parks", _lazy("Parcs")),
            ("culture", _lazy("Culture")),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    neighbourhood = forms.ChoiceField(
        label=_lazy("Quartier"), choices=[("centre", _lazy("Centre")), ("nord", _lazy("Nord"))]
    )
    accept = forms.BooleanField(label=_lazy("J'accepte la charte de participation"))


def _sample_phases() -> SimpleNamespace:
    """A component with three phases, one past, one running, one next, for the timeline."""
    now = timezone.now()
    day = timedelta(days=1)
    # Shaped like participation's phases (display_title and dates): theming sits below the
    # participation engine and does not import it.
    phases = [
        SimpleNamespace(display_title=title, starts_at=now + start * day, ends_at=now + end * day)
        for title, start, end in (
            (_("Dépôt des idées"), -60, -20),
            (_("Vote"), -20, 10),
            (_("Résultats"), 10, 40),
        )
    ]
    return SimpleNamespace(_prefetched_objects_cache={"phases": phases})


@permission_required("participation.view_backoffice")
@require_GET
def style_guide(request: HttpRequest) -> HttpResponse:
    """Every component of the design system, in the town's own theme."""
    form = _StyleGuideForm({"name": "Camille", "frequency": "often", "neighbourhood": "centre"})
    form.is_valid()  # shows the missing box's error beside the filled fields
    return render(
        request,
        "theming/backoffice/style_guide.html",
        {
            "form": form,
            "sample_component": _sample_phases(),
            "icons": sorted(ICONS),
            "fonts": ThemeFont.choices,
            "radii": ThemeRadius.choices,
        },
    )
