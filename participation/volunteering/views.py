"""The hub's pages: directory, missions, agenda, the volunteer's space, the association's
space, contact requests and their conversation. Thin: forms shape, services decide."""

from __future__ import annotations

import datetime
from calendar import monthrange

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import NotAllowed
from core.rules import why_not
from core.views import run_action, run_form_action
from participation.components import component_url, component_view

from . import calendars, certificates, forms, selectors, services
from .models import Application, Association, ContactRequest, Membership, VolunteerProfile


def _page(request, template: str, component, status: int = 200, **context) -> HttpResponse:
    return render(
        request, f"volunteering/{template}", {"component": component, **context}, status=status
    )


def _form_or_page(request, form, action, *, success, url, template, component, **context):
    """POST with a valid form: run the service; its refusal goes on the form (400)."""
    if request.method == "POST" and form.is_valid():
        made = run_form_action(form, lambda: action(form.cleaned_data))
        if not form.errors:
            messages.success(request, success)
            return redirect(url(made) if callable(url) else url)
    status = 400 if form.errors else 200
    return _page(request, template, component, status=status, form=form, **context)


# Hub, directory, missions


@component_view("volunteering")
def detail(request: HttpRequest, component) -> HttpResponse:
    return _page(
        request,
        "detail.html",
        component,
        missions=list(selectors.upcoming_missions(component)[:6]),
        entries=[e for e in selectors.agenda(component, start=timezone.now()) if e.kind == "event"][
            :4
        ],
        memberships=selectors.associations_of(request.user),
    )


@component_view("volunteering")
def associations(request: HttpRequest, component) -> HttpResponse:
    form = forms.AgendaFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    neighbourhood = filters.get("neighbourhood")
    found = selectors.validated_associations(
        category=filters.get("category", ""),
        neighbourhood_id=neighbourhood.pk if neighbourhood else None,
    )
    return _page(request, "associations.html", component, form=form, associations=found)


@component_view("volunteering")
def association_detail(request: HttpRequest, component, slug: str) -> HttpResponse:
    association = selectors.association_for_page(slug, request.user)
    return _page(
        request,
        "association.html",
        component,
        association=association,
        entries=selectors.agenda(component, association=association, start=timezone.now()),
        blocked=request.user.is_authenticated and association.pk in _blocked_ids(request.user),
    )


def _blocked_ids(user) -> set[int]:
    from .models import Block

    return set(Block.objects.filter(volunteer=user).values_list("association_id", flat=True))


@login_required
@component_view("volunteering")
def association_register(request: HttpRequest, component) -> HttpResponse:
    form = forms.AssociationForm(request.POST or None, request.FILES or None)
    return _association_form_page(
        request,
        component,
        form,
        lambda: services.association_register(actor=request.user, **form.association_arguments()),
        success=_("Association inscrite : la collectivité va la valider."),
        title=_("Inscrire une association"),
        submit=_("Inscrire l'association"),
    )


def _association_form_page(request, component, form, save, **texts) -> HttpResponse:
    """The association's form (registration or edit, with its logo); on success, its
    management page."""
    return _form_or_page(
        request,
        form,
        lambda _data: save(),
        url=lambda saved: component_url(component, "association_manage", saved.slug),
        template="form.html",
        component=component,
        **texts,
    )


@component_view("volunteering")
def missions(request: HttpRequest, component) -> HttpResponse:
    return _page(
        request, "missions.html", component, missions=selectors.upcoming_missions(component)
    )


@component_view("volunteering")
def mission_detail(request: HttpRequest, component, mission_id: int) -> HttpResponse:
    mission = selectors.mission_for_page(component, mission_id, request.user)
    return _mission_page(request, component, mission)


def _mission_page(request, component, mission, form=None, status=200) -> HttpResponse:
    application = selectors.application_of(mission, request.user)
    return _page(
        request,
        "mission.html",
        component,
        status=status,
        mission=mission,
        application=application,
        form=form or forms.ApplyForm(),
        refusal=why_not(request.user, "volunteering.apply_mission", mission),
    )


@require_POST
@login_required
@component_view("volunteering")
def mission_apply(request: HttpRequest, component, mission_id: int) -> HttpResponse:
    mission = selectors.mission_for_page(component, mission_id, request.user)
    form = forms.ApplyForm(request.POST)
    if form.is_valid():
        application = run_form_action(
            form,
            lambda: services.mission_apply(
                user=request.user, mission=mission, message=form.cleaned_data["message"]
            ),
        )
        if application is not None:
            waiting = application.status == Application.Status.WAITLISTED
            messages.success(
                request,
                _("La mission est complète : vous êtes sur la liste d'attente.")
                if waiting
                else _("Candidature envoyée : l'association va vous répondre."),
            )
            return redirect(component_url(component, "mission", mission.pk))
    status = 409 if any("déjà" in e for e in form.non_field_errors()) else 400
    return _mission_page(request, component, mission, form=form, status=status)


@require_POST
@login_required
@component_view("volunteering")
def application_cancel(request: HttpRequest, component, application_id: int) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.select_related("mission"), pk=application_id, volunteer=request.user
    )
    run_action(
        request,
        lambda: services.application_cancel(user=request.user, application=application),
        _("Candidature annulée."),
    )
    return redirect(component_url(component, "history"))


# Agenda


def _month(value: str) -> datetime.date:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in value.split("-"))
        return datetime.date(year, month, 1)
    except (ValueError, AttributeError):
        return today.replace(day=1)


@component_view("volunteering")
def agenda(request: HttpRequest, component) -> HttpResponse:
    form = forms.AgendaFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    first = _month(filters.get("month", ""))
    last_day = monthrange(first.year, first.month)[1]
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tz)
    end = start + datetime.timedelta(days=last_day)
    neighbourhood = filters.get("neighbourhood")
    entries = selectors.agenda(
        component,
        category=filters.get("category", ""),
        neighbourhood_id=neighbourhood.pk if neighbourhood else None,
        start=start,
        end=end,
    )
    days = {}
    for entry in entries:
        days.setdefault(timezone.localtime(max(entry.starts_at, start)).date(), []).append(entry)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = first + datetime.timedelta(days=last_day)
    query = request.GET.copy()
    query.pop("month", None)
    return _page(
        request,
        "agenda.html",
        component,
        form=form,
        month=first,
        days=sorted(days.items()),
        previous=previous.strftime("%Y-%m"),
        following=following.strftime("%Y-%m"),
        query=query.urlencode(),
    )


@component_view("volunteering")
def agenda_ics(request: HttpRequest, component) -> HttpResponse:
    return calendars.ics_response(request, component, selectors.agenda(component), "agenda")


@component_view("volunteering")
def association_ics(request: HttpRequest, component, slug: str) -> HttpResponse:
    association = selectors.association_for_page(slug, request.user)
    entries = selectors.agenda(component, association=association)
    return calendars.ics_response(request, component, entries, association.slug)


@component_view("volunteering")
def event_detail(request: HttpRequest, component, event_id: int) -> HttpResponse:
    event = selectors.event_for_page(component, event_id)
    registered = (
        request.user.is_authenticated and event.registrations.filter(user=request.user).exists()
    )
    return _page(request, "event.html", component, event=event, registered=registered)


@require_POST
@login_required
@component_view("volunteering")
def event_register(request: HttpRequest, component, event_id: int) -> HttpResponse:
    event = selectors.event_for_page(component, event_id)
    run_action(
        request,
        lambda: services.event_register(user=request.user, event=event),
        _("Vous êtes inscrit·e."),
    )
    return redirect(component_url(component, "event", event.pk))


# The volunteer's space


@login_required
@component_view("volunteering")
def volunteer_profile(request: HttpRequest, component) -> HttpResponse:
    profile = VolunteerProfile.objects.filter(user=request.user).first()
    initial = None
    if profile is not None:
        initial = {
            "skills": profile.skills,
            "interests": profile.interests,
            "availability": profile.availability,
            "neighbourhoods": list(profile.neighbourhoods.all()),
            "bio": profile.bio,
            "visible": profile.visible,
        }
    return _form_or_page(
        request,
        forms.VolunteerProfileForm(request.POST or None, initial=initial),
        lambda data: services.volunteer_profile_save(user=request.user, **data),
        success=_("Profil de bénévole enregistré."),
        url=component_url(component, "volunteer"),
        template="volunteer.html",
        component=component,
        profile=profile,
        contacts=selectors.contacts_of_volunteer(request.user),
        enquiries=selectors.enquiries_of_sender(request.user),
    )


@login_required
@component_view("volunteering")
def history(request: HttpRequest, component) -> HttpResponse:
    return _page(
        request,
        "history.html",
        component,
        history=selectors.volunteer_history(request.user),
        notices=selectors.notices_of(request.user),
    )


@login_required
@component_view("volunteering")
def certificate(request: HttpRequest, component) -> HttpResponse:
    history = selectors.volunteer_history(request.user)
    content = certificates.hours_certificate(request.user, history, request.tenant)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="attestation-benevolat.pdf"'
    return response


@require_POST
@login_required
@component_view("volunteering")
def block(request: HttpRequest, component, slug: str) -> HttpResponse:
    association = get_object_or_404(Association, slug=slug)
    blocked = request.POST.get("blocked", "1") == "1"
    run_action(
        request,
        lambda: services.volunteer_block(
            user=request.user, association=association, blocked=blocked
        ),
        _("Cette association ne peut plus vous contacter.")
        if blocked
        else _("Cette association peut de nouveau vous contacter."),
    )
    return redirect(component_url(component, "association", association.slug))


# Contact requests and their conversation


def _contact_for(request, contact_id: int) -> tuple[ContactRequest, str]:
    contact = get_object_or_404(
        ContactRequest.objects.select_related("association", "volunteer"), pk=contact_id
    )
    side = services.contact_side(request.user, contact)
    if side is None:
        raise Http404
    return contact, side


@login_required
@component_view("volunteering")
def contact(request: HttpRequest, component, contact_id: int) -> HttpResponse:
    contact, side = _contact_for(request, contact_id)
    form = forms.MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        run_form_action(
            form,
            lambda: services.message_send(
                actor=request.user, contact=contact, body=form.cleaned_data["body"]
            ),
        )
        if not form.errors:
            messages.success(request, _("Message envoyé."))
            return redirect(component_url(component, "contact", contact.pk))
    return _page(
        request,
        "contact.html",
        component,
        status=400 if form.errors else 200,
        contact=contact,
        side=side,
        thread=selectors.contact_messages(contact),
        form=form,
    )


@require_POST
@login_required
@component_view("volunteering")
def contact_answer(request: HttpRequest, component, contact_id: int) -> HttpResponse:
    contact, _side = _contact_for(request, contact_id)
    accept = request.POST.get("accept") == "1"
    run_action(
        request,
        lambda: services.contact_request_answer(user=request.user, contact=contact, accept=accept),
        _("Demande acceptée : vous pouvez échanger des messages.")
        if accept
        else _("Demande déclinée."),
    )
    return redirect(component_url(component, "contact", contact.pk))


# The association's space


def _acting_association(request, slug: str) -> Association:
    association = selectors.association_for_page(slug, request.user)
    if association._roles.get(request.user.pk) is None and not request.user.has_perm(
        "volunteering.validate_association", association
    ):
        raise Http404
    return association


@login_required
@component_view("volunteering")
def association_edit(request: HttpRequest, component, slug: str) -> HttpResponse:
    """The association's page (and its logo), changed by its manager."""
    association = _acting_association(request, slug)
    initial = {
        name: getattr(association, name)
        for name in ("name", "description", "categories", "address", "website", "rna")
    }
    form = forms.AssociationForm(
        request.POST or None,
        request.FILES or None,
        initial={**initial, "neighbourhood": association.neighbourhood_id},
        current_image=association.logo,
    )
    return _association_form_page(
        request,
        component,
        form,
        lambda: services.association_update(
            actor=request.user, association=association, **form.association_arguments()
        ),
        success=_("Fiche de l'association enregistrée."),
        title=_("Modifier la fiche de l'association"),
        submit=_("Enregistrer"),
    )


@login_required
@component_view("volunteering")
def association_manage(request: HttpRequest, component, slug: str) -> HttpResponse:
    association = _acting_association(request, slug)
    memberships = list(Membership.objects.filter(association=association).select_related("user"))
    return _page(
        request,
        "manage.html",
        component,
        association=association,
        memberships=memberships,
        is_manager=association._roles.get(request.user.pk) == "manager",
        missions=selectors.association_missions(association, component),
        contacts=selectors.contacts_of_association(association),
        enquiries=selectors.enquiries_of_association(association),
        member_form=forms.MemberForm(),
        hand_over_form=forms.HandOverForm(memberships=memberships),
        hours_form=forms.HoursForm(),
        refusal=why_not(request.user, "volunteering.act_for_association", association),
    )


@require_POST
@login_required
@component_view("volunteering")
def member_add(request: HttpRequest, component, slug: str) -> HttpResponse:
    association = _acting_association(request, slug)
    form = forms.MemberForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: services.membership_add(
                actor=request.user, association=association, **form.cleaned_data
            ),
            _("Compte ajouté à l'association."),
        )
    else:
        messages.error(request, _("Indiquez une adresse e-mail et un rôle."))
    return redirect(component_url(component, "association_manage", slug))


@require_POST
@login_required
@component_view("volunteering")
def hand_over(request: HttpRequest, component, slug: str) -> HttpResponse:
    association = _acting_association(request, slug)
    memberships = Membership.objects.filter(association=association).select_related("user")
    form = forms.HandOverForm(request.POST, memberships=memberships)
    if form.is_valid():
        run_action(
            request,
            lambda: services.manager_hand_over(
                actor=request.user,
                association=association,
                to_user_id=form.cleaned_data["user"],
            ),
            _("Le rôle de responsable a été transmis."),
        )
    else:
        messages.error(request, _("Choisissez un compte de l'association."))
    return redirect(component_url(component, "association_manage", slug))


@login_required
@component_view("volunteering")
def mission_new(request: HttpRequest, component, slug: str) -> HttpResponse:
    association = _acting_association(request, slug)
    return _form_or_page(
        request,
        forms.MissionForm(request.POST or None),
        lambda data: services.mission_create(
            actor=request.user, component=component, association=association, **data
        ),
        success=_("Mission publiée."),
        url=lambda mission: component_url(component, "mission", mission.pk),
        template="form.html",
        component=component,
        title=_("Nouvelle mission · %(name)s") % {"name": association.name},
        submit=_("Publier la mission"),
    )


@login_required
@component_view("volunteering")
def event_new(request: HttpRequest, component, slug: str) -> HttpResponse:
    association = _acting_association(request, slug)
    return _form_or_page(
        request,
        forms.EventForm(request.POST or None),
        lambda data: services.event_create(
            actor=request.user, component=component, association=association, **data
        ),
        success=_("Événement publié."),
        url=lambda event: component_url(component, "event", event.pk),
        template="form.html",
        component=component,
        title=_("Nouvel événement · %(name)s") % {"name": association.name},
        submit=_("Publier l'événement"),
    )


@require_POST
@login_required
@component_view("volunteering")
def application_answer(request: HttpRequest, component, application_id: int) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.select_related("mission__association"), pk=application_id
    )
    decision = request.POST.get("decision", "")
    if decision == "done":
        form = forms.HoursForm(request.POST)
        action = (
            (
                lambda: services.application_mark_done(
                    actor=request.user, application=application, hours=form.cleaned_data["hours"]
                )
            )
            if form.is_valid()
            else None
        )
        if action is None:
            messages.error(request, _("Indiquez le nombre d'heures données."))
    else:
        action = lambda: services.application_answer(  # noqa: E731
            actor=request.user, application=application, decision=decision
        )
    if action is not None:
        run_action(request, action, _("Réponse enregistrée."))
    return redirect(
        component_url(component, "association_manage", application.mission.association.slug)
    )


@login_required
@component_view("volunteering")
def volunteer_search(request: HttpRequest, component, slug: str) -> HttpResponse:
    association = _acting_association(request, slug)
    refusal = why_not(request.user, "volunteering.act_for_association", association)
    if refusal:
        raise NotAllowed(refusal)
    form = forms.VolunteerSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    neighbourhood = filters.get("neighbourhood")
    try:
        page_number = int(request.GET.get("page", 1))
    except ValueError:
        page_number = 1
    page = selectors.volunteer_search(
        association=association,
        skill=filters.get("skill", ""),
        availability=filters.get("availability", ""),
        neighbourhood_id=neighbourhood.pk if neighbourhood else None,
        text=filters.get("text", ""),
        page=page_number,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return _page(
        request,
        "search.html",
        component,
        association=association,
        form=form,
        page=page,
        query=query.urlencode(),
        contact_form=forms.ContactForm(),
    )


@require_POST
@login_required
@component_view("volunteering")
def contact_send(request: HttpRequest, component, slug: str, user_id: int) -> HttpResponse:
    association = _acting_association(request, slug)
    volunteer = get_object_or_404(VolunteerProfile.objects.select_related("user"), user_id=user_id)
    form = forms.ContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Écrivez un message au bénévole."))
        return redirect(component_url(component, "volunteer_search", slug))
    run_action(
        request,
        lambda: services.contact_request_send(
            actor=request.user,
            association=association,
            volunteer=volunteer.user,
            message=form.cleaned_data["message"],
        ),
        _("Demande de contact envoyée : le bénévole choisira de l'accepter ou non."),
    )
    return redirect(component_url(component, "association_manage", slug))


# Between associations: requests for help and the town's questionnaires


def _my_validated_associations(user) -> list[Association]:
    return [m.association for m in selectors.associations_of(user) if m.association.is_validated]


@login_required
@component_view("volunteering")
def help_board(request: HttpRequest, component) -> HttpResponse:
    mine = _my_validated_associations(request.user)
    return _page(
        request,
        "help.html",
        component,
        mine=mine,
        requests=selectors.open_help_requests() if mine else [],
        questionnaires=selectors.questionnaires_for(mine) if mine else [],
        request_form=forms.HelpRequestForm(associations=mine),
        answer_form=forms.HelpAnswerForm(associations=mine),
    )


def _chosen(request, mine) -> Association:
    try:
        chosen = int(request.POST.get("association", ""))
    except ValueError:
        chosen = None
    association = next((a for a in mine if a.pk == chosen), None)
    if association is None:
        raise NotAllowed(_("Choisissez une de vos associations validées."))
    return association


@require_POST
@login_required
@component_view("volunteering")
def help_post(request: HttpRequest, component) -> HttpResponse:
    mine = _my_validated_associations(request.user)
    form = forms.HelpRequestForm(request.POST, associations=mine)
    if form.is_valid():
        data = form.cleaned_data
        run_action(
            request,
            lambda: services.help_request_post(
                actor=request.user,
                association=_chosen(request, mine),
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
            ),
            _("Demande publiée auprès des autres associations."),
        )
    else:
        messages.error(request, _("Indiquez le besoin, un titre et une description."))
    return redirect(component_url(component, "help"))


@require_POST
@login_required
@component_view("volunteering")
def help_answer(request: HttpRequest, component, request_id: int) -> HttpResponse:
    from .models import HelpRequest

    help_request = get_object_or_404(HelpRequest, pk=request_id)
    mine = _my_validated_associations(request.user)
    form = forms.HelpAnswerForm(request.POST, associations=mine)
    if form.is_valid():
        run_action(
            request,
            lambda: services.help_request_answer(
                actor=request.user,
                request=help_request,
                association=_chosen(request, mine),
                message=form.cleaned_data["message"],
            ),
            _("Réponse envoyée à l'association."),
        )
    else:
        messages.error(request, _("Écrivez votre réponse."))
    return redirect(component_url(component, "help"))


@require_POST
@login_required
@component_view("volunteering")
def questionnaire_answer(request: HttpRequest, component, questionnaire_id: int) -> HttpResponse:
    from .models import Questionnaire

    questionnaire = get_object_or_404(Questionnaire, pk=questionnaire_id)
    mine = _my_validated_associations(request.user)
    answers = [request.POST.get(f"answer-{n}", "") for n in range(len(questionnaire.questions))]
    run_action(
        request,
        lambda: services.questionnaire_answer(
            actor=request.user,
            questionnaire=questionnaire,
            association=_chosen(request, mine),
            answers=answers,
        ),
        _("Merci, la réponse de votre association est enregistrée."),
    )
    return redirect(component_url(component, "help"))


# The association's public contact form


@require_POST
@login_required
@component_view("volunteering")
def enquiry_send(request: HttpRequest, component, slug: str) -> HttpResponse:
    association = selectors.association_for_page(slug, request.user)
    run_action(
        request,
        lambda: services.enquiry_send(
            sender=request.user, association=association, body=request.POST.get("body", "")
        ),
        _("Message envoyé à l'association : sa réponse arrivera dans votre espace bénévole."),
    )
    return redirect(component_url(component, "association", association.slug))


@require_POST
@login_required
@component_view("volunteering")
def enquiry_reply(request: HttpRequest, component, enquiry_id: int) -> HttpResponse:
    from .models import Enquiry

    enquiry = get_object_or_404(Enquiry.objects.select_related("association"), pk=enquiry_id)
    run_action(
        request,
        lambda: services.enquiry_reply(
            actor=request.user, enquiry=enquiry, body=request.POST.get("body", "")
        ),
        _("Réponse envoyée."),
    )
    return redirect(component_url(component, "association_manage", enquiry.association.slug))
