"""The console's training pages: thin adapters over the services and selectors. A refused
action shows the service's message on the form it came from."""

from __future__ import annotations

from pathlib import PurePath
from typing import TypeVar

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from console.access import console_staff_required
from console.query import query_text
from core.views import run_action, run_form_action
from tenants.selectors import towns

from . import selectors, services
from .forms import AttendanceForm, InviteeForm, MaterialForm, SessionEditForm, SessionPlanForm
from .models import TrainingInvitee, TrainingMaterial, TrainingSession
from .sharing import material_from_token

T = TypeVar("T")


def _session_or_404(pk: int) -> TrainingSession:
    session = selectors.session_detail(pk)
    if session is None:
        raise Http404
    return session


@console_staff_required
def session_list(request: HttpRequest) -> HttpResponse:
    town = None
    if slug := query_text(request, "collectivite", max_length=100):
        town = towns().filter(slug=slug).first()
    return render(
        request,
        "training/session_list.html",
        {
            # Not "town": base.html takes that for the town whose site is shown.
            "selected_town": town,
            "towns": towns().only("slug", "name"),
            "upcoming": selectors.upcoming_sessions(town=town),
            "past": selectors.past_sessions(town=town)[:100],
        },
    )


@console_staff_required
def session_plan(request: HttpRequest) -> HttpResponse:
    form = SessionPlanForm(
        request.POST or None,
        initial={"town": request.GET.get("collectivite", "")[:100], "trainer": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        session = run_form_action(
            form,
            lambda: services.session_plan(actor=request.user, request=request, **form.cleaned_data),
        )
        if session is not None:
            messages.success(request, _("Séance planifiée. Invitez maintenant les participants."))
            return redirect("training:session", pk=session.pk)
    return render(
        request,
        "training/session_form.html",
        {"form": form, "session": None},
        status=400 if form.errors else 200,
    )


@console_staff_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(pk)
    form = SessionEditForm(
        request.POST or None,
        initial={
            name: getattr(session, name)
            for name in SessionEditForm.base_fields
            if name != "trainer"
        }
        | {"trainer": session.trainer_id},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and run_form_action(
            form,
            lambda: services.session_update(
                actor=request.user, session=session, request=request, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("Séance modifiée."))
        return redirect("training:session", pk=session.pk)
    return render(
        request,
        "training/session_form.html",
        {"form": form, "session": session},
        status=400 if form.errors else 200,
    )


def _session_page(
    request: HttpRequest,
    session: TrainingSession,
    *,
    invitee_form: InviteeForm | None = None,
    material_form: MaterialForm | None = None,
    attendance_form: AttendanceForm | None = None,
) -> HttpResponse:
    invitees = list(session.invitees.all())
    refused = any(form is not None for form in (invitee_form, material_form, attendance_form))
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "invitees": invitees,
            "materials": session.materials.all(),
            "invitee_form": invitee_form or InviteeForm(),
            "material_form": material_form or MaterialForm(),
            "attendance_form": attendance_form or AttendanceForm(invitees=invitees),
        },
        status=400 if refused else 200,
    )


@console_staff_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_page(request, _session_or_404(pk))


@console_staff_required
@require_POST
def invitee_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(pk)
    form = InviteeForm(request.POST)
    if form.is_valid() and run_form_action(
        form,
        lambda: services.invitee_add(
            actor=request.user, session=session, request=request, **form.cleaned_data
        ),
    ):
        told = _("%(name)s est invité(e) ; l'invitation part par e-mail.")
        added = _("%(name)s est ajouté(e) à la séance.")
        messages.success(
            request,
            (added if session.has_started else told) % {"name": form.cleaned_data["name"]},
        )
        return redirect("training:session", pk=session.pk)
    return _session_page(request, session, invitee_form=form)


@console_staff_required
@require_POST
def invitee_remove(request: HttpRequest, pk: int, invitee_id: int) -> HttpResponse:
    invitee = get_object_or_404(TrainingInvitee, pk=invitee_id, session_id=pk)
    run_action(
        request,
        lambda: services.invitee_remove(actor=request.user, invitee=invitee, request=request),
        _("Invitation retirée."),
    )
    return redirect("training:session", pk=pk)


@console_staff_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(pk)
    form = AttendanceForm(request.POST, invitees=list(session.invitees.all()))
    if form.is_valid() and run_form_action(
        form,
        lambda: services.attendance_record(
            actor=request.user,
            session=session,
            present=form.cleaned_data["present"],
            request=request,
        ),
    ):
        messages.success(request, _("Présences enregistrées : la séance est réalisée."))
        return redirect("training:session", pk=session.pk)
    return _session_page(request, session, attendance_form=form)


@console_staff_required
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(pk)
    run_action(
        request,
        lambda: services.session_cancel(actor=request.user, session=session, request=request),
        _("Séance annulée.")
        if session.has_started or not session.invitees.exists()
        else _("Séance annulée ; les personnes invitées sont prévenues par e-mail."),
    )
    return redirect("training:session", pk=session.pk)


@console_staff_required
@require_POST
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid() and run_form_action(
        form,
        lambda: services.material_add(
            actor=request.user, session=session, request=request, **form.cleaned_data
        ),
    ):
        messages.success(request, _("Support ajouté."))
        return redirect("training:session", pk=session.pk)
    return _session_page(request, session, material_form=form)


@console_staff_required
@require_POST
def material_remove(request: HttpRequest, pk: int, material_id: int) -> HttpResponse:
    material = get_object_or_404(TrainingMaterial, pk=material_id, session_id=pk)
    run_action(
        request,
        lambda: services.material_remove(actor=request.user, material=material, request=request),
        _("Support retiré."),
    )
    return redirect("training:session", pk=pk)


def _file_response(material: TrainingMaterial) -> FileResponse:
    try:
        handle = material.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=PurePath(material.file.name).name,
        content_type=material.content_type,
    )


@console_staff_required
def material_download(request: HttpRequest, pk: int, material_id: int) -> FileResponse:
    material = get_object_or_404(
        TrainingMaterial.objects.exclude(file=""), pk=material_id, session_id=pk
    )
    return _file_response(material)


def material_shared(request: HttpRequest, token: str) -> FileResponse:
    """The link given to the town's staff (back office, e-mails): no account on this host."""
    material = material_from_token(token)
    if material is None:
        raise Http404
    return _file_response(material)
