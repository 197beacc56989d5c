"""The council in the back office, for the space's moderators and the town's staff: its
members (add, change a role, record a departure), its meetings (schedule, edit, upload the
minutes, record attendance) and its shops; CSV exports. Works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.views import form_page, run_action, run_form_action
from participation.components import component_admin_view

from . import exports, selectors, services
from .forms import AttendanceForm, MeetingForm, MemberForm, MinutesForm, RoleForm, ShopForm
from .hours import form_lines

_council_admin = component_admin_view("councils", "councils.change_council")


def admin_url(component, name: str = "index", *args) -> str:
    return reverse(f"councils_admin:{name}", args=[component.space.slug, component.pk, *args])


# Members ---------------------------------------------------------------------------------


@_council_admin
def index(request, component):
    return form_page(
        request,
        form=MemberForm(request.POST or None),
        action=lambda **data: services.member_add(actor=request.user, component=component, **data),
        success_message=_("Membre ajouté au conseil."),
        success_url=admin_url(component),
        template="councils/backoffice/index.html",
        context={
            "component": component,
            "members": selectors.members(component),
            "former_members": selectors.members(component, active=False).exclude(
                left_on__isnull=True
            ),
            "role_form": RoleForm(),
        },
    )


def _button(request, action, success: str, back: str) -> HttpResponse:
    """A button without fields: run the service, flash its outcome, go back to ``back``."""
    run_action(request, action, success)
    return redirect(back)


def _member(component, member_id: int):
    return get_object_or_404(selectors.members(component), pk=member_id)


@require_POST
@_council_admin
def member_role(request, component, member_id: int):
    member = _member(component, member_id)
    form = RoleForm(request.POST)
    role = form.cleaned_data["role"] if form.is_valid() else request.POST.get("role", "")
    return _button(
        request,
        lambda: services.member_change_role(actor=request.user, member=member, role=role),
        _("Rôle enregistré."),
        admin_url(component),
    )


@require_POST
@_council_admin
def member_leave(request, component, member_id: int):
    member = _member(component, member_id)
    return _button(
        request,
        lambda: services.member_leave(actor=request.user, member=member),
        _("Départ enregistré."),
        admin_url(component),
    )


# Meetings --------------------------------------------------------------------------------


@_council_admin
def meetings(request, component):
    now = timezone.now()
    return form_page(
        request,
        form=MeetingForm(request.POST or None),
        action=lambda **data: services.meeting_schedule(
            actor=request.user, component=component, **data
        ),
        success_message=_("Réunion programmée."),
        success_url=lambda meeting: admin_url(component, "meeting", meeting.pk),
        template="councils/backoffice/meetings.html",
        context={
            "component": component,
            "upcoming": selectors.upcoming_meetings(component, now),
            "past": selectors.past_meetings(component, now),
        },
    )


def _attendance_form(meeting, data=None) -> AttendanceForm:
    day = timezone.localtime(meeting.starts_at).date()
    recorded = {a.member_id: a.status for a in meeting.attendances.all()}
    return AttendanceForm(
        data,
        members=selectors.members_seated_on(meeting.component, day),
        recorded=recorded,
        initial={"public_attendance": meeting.public_attendance},
    )


def _meeting_page(request, component, meeting, **forms):
    """The meeting's page, with the form that was sent (and its errors) in place."""
    meeting.component = component
    started = meeting.starts_at <= timezone.now()
    context = {
        "component": component,
        "meeting": meeting,
        "started": started,
        "meeting_form": forms.get("meeting_form")
        or MeetingForm(
            initial={
                "title": meeting.title,
                "starts_at": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
                "ends_at": timezone.localtime(meeting.ends_at).strftime("%Y-%m-%dT%H:%M"),
                "place": meeting.place,
                "agenda": meeting.agenda,
            },
            prefix="meeting",
        ),
        "minutes_form": forms.get("minutes_form") or MinutesForm(prefix="minutes"),
        "attendance_form": forms.get("attendance_form") or _attendance_form(meeting),
    }
    status = 400 if any(form.errors for form in forms.values()) else 200
    return render(request, "councils/backoffice/meeting.html", context, status=status)


def _meeting(component, meeting_id: int):
    return selectors.meeting_for_page(component, meeting_id)


def _sent(request, component, meeting, form_name: str, form, action, success: str):
    """Run ``action`` with a valid form; its refusal (or the form's) shows the page again."""
    if form.is_valid() and run_form_action(form, action) is not None:
        messages.success(request, success)
        return redirect(admin_url(component, "meeting", meeting.pk))
    return _meeting_page(request, component, meeting, **{form_name: form})


@_council_admin
def meeting(request, component, meeting_id: int):
    found = _meeting(component, meeting_id)
    if request.method != "POST":
        return _meeting_page(request, component, found)
    form = MeetingForm(request.POST, prefix="meeting")
    return _sent(
        request,
        component,
        found,
        "meeting_form",
        form,
        lambda: services.meeting_update(actor=request.user, meeting=found, **form.cleaned_data),
        _("Réunion enregistrée."),
    )


@require_POST
@_council_admin
def minutes(request, component, meeting_id: int):
    found = _meeting(component, meeting_id)
    form = MinutesForm(request.POST, request.FILES, prefix="minutes")
    return _sent(
        request,
        component,
        found,
        "minutes_form",
        form,
        lambda: services.meeting_publish_minutes(
            actor=request.user, meeting=found, file=form.cleaned_data["file"]
        ),
        _("Compte rendu publié."),
    )


@require_POST
@_council_admin
def attendance(request, component, meeting_id: int):
    found = _meeting(component, meeting_id)
    found.component = component
    form = _attendance_form(found, request.POST)
    return _sent(
        request,
        component,
        found,
        "attendance_form",
        form,
        lambda: services.meeting_record_attendance(
            actor=request.user, meeting=found, **form.attendance()
        ),
        _("Présences enregistrées."),
    )


@require_POST
@_council_admin
def meeting_delete(request, component, meeting_id: int):
    found = _meeting(component, meeting_id)
    return _button(
        request,
        lambda: services.meeting_delete(actor=request.user, meeting=found),
        _("Réunion supprimée."),
        admin_url(component, "meetings"),
    )


# Shops -----------------------------------------------------------------------------------


def _shop_page(request, component, *, form: ShopForm, save, success: str, template: str, **context):
    """Add or edit a shop: the form's week of lines goes to the service as ``opening_hours``."""
    return form_page(
        request,
        form=form,
        action=lambda **data: save(**form.shop_data()),
        success_message=success,
        success_url=admin_url(component, "shops"),
        template=template,
        context={"component": component, **context},
    )


@_council_admin
def shops(request, component):
    return _shop_page(
        request,
        component,
        form=ShopForm(request.POST or None),
        save=lambda **data: services.shop_add(actor=request.user, component=component, **data),
        success=_("Commerce ajouté."),
        template="councils/backoffice/shops.html",
        shops=selectors.shops(component),
    )


@_council_admin
def shop(request, component, shop_id: int):
    found = get_object_or_404(selectors.shops(component), pk=shop_id)
    initial = {
        "name": found.name,
        "address": found.address,
        "description": found.description,
        "latitude": found.latitude if found.latitude is not None else "",
        "longitude": found.longitude if found.longitude is not None else "",
        **form_lines(found.opening_hours),
    }
    return _shop_page(
        request,
        component,
        form=ShopForm(request.POST or None, initial=initial),
        save=lambda **data: services.shop_update(actor=request.user, shop=found, **data),
        success=_("Commerce enregistré."),
        template="councils/backoffice/shop.html",
        shop=found,
    )


@require_POST
@_council_admin
def shop_delete(request, component, shop_id: int):
    found = get_object_or_404(selectors.shops(component), pk=shop_id)
    return _button(
        request,
        lambda: services.shop_delete(actor=request.user, shop=found),
        _("Commerce retiré."),
        admin_url(component, "shops"),
    )


# Exports ---------------------------------------------------------------------------------


def _download(made: tuple[str, str, bytes]) -> HttpResponse:
    filename, content_type, body = made
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@_council_admin
def meetings_export(request, component):
    return _download(exports.meetings_csv(component))


@_council_admin
def shops_export(request, component):
    return _download(exports.shops_csv(component))
