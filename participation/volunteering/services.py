"""What changes volunteering's state. Each service checks its permission string, validates
with a French message, locks what it changes and lets the database constraints have the last
word (an IntegrityError becomes a Conflict)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict, Invalid, NotAllowed
from core.text import clean_text
from participation.images import image_change
from participation.models import Component, Neighbourhood, Profile
from participation.services import _unique_slug, ensure_perm

from .hubs import hub_url
from .models import (
    AVAILABILITY_CHOICES,
    RNA_PATTERN,
    Application,
    Association,
    Block,
    Category,
    ContactRequest,
    Enquiry,
    Event,
    HelpAnswer,
    HelpRequest,
    Membership,
    Message,
    Mission,
    Questionnaire,
    QuestionnaireAnswer,
    Registration,
    Skill,
    VolunteerProfile,
)
from .notices import association_accounts, notice_send

TYPE_KEY = "volunteering"


def _choices(values: Sequence[str], allowed, *, label: str, field: str) -> list[str]:
    allowed = {value for value, _label in allowed}
    values = list(dict.fromkeys(values))
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise Invalid(
            _("%(label)s : valeur inconnue « %(value)s ».") % {"label": label, "value": unknown[0]},
            field=field,
        )
    return values


def _ensure_hub(component: Component) -> None:
    if component.type_key != TYPE_KEY:
        raise Invalid(_("Ce composant n'est pas un espace bénévolat."))


# Associations


def clean_rna(value: str) -> str:
    rna = (value or "").strip().upper().replace(" ", "")
    if rna and not re.fullmatch(RNA_PATTERN.strip("^$"), rna):
        raise Invalid(
            _("Le numéro RNA s'écrit W suivi de 9 chiffres (par exemple W512345678)."), field="rna"
        )
    return rna


def _association_fields(
    *,
    name: str,
    description: str,
    categories: Sequence[str],
    neighbourhood: Neighbourhood | None,
    address: str,
    website: str,
    rna: str,
) -> dict:
    return {
        "name": clean_text(name, label=_("Nom"), max_length=200, field="name"),
        "description": clean_text(
            description, label=_("Présentation"), max_length=5000, field="description"
        ),
        "categories": _choices(
            categories, Category.choices, label=_("Catégories"), field="categories"
        ),
        "neighbourhood": neighbourhood,
        "address": clean_text(
            address, label=_("Adresse"), max_length=300, required=False, field="address"
        ),
        "website": (website or "").strip(),
        "rna": clean_rna(rna),
    }


def association_register(*, actor: User, logo: dict | None = None, **fields) -> Association:
    """A new association, waiting for the town's validation; ``actor`` is its manager.
    ``logo``: ``image_change``'s arguments (upload, alt), checked and re-encoded like every
    image; nothing is kept when the logo or a field is refused."""
    ensure_perm(actor, "volunteering.register_association")
    values = _association_fields(**fields)
    with transaction.atomic():
        values["logo"] = image_change(current=None, **(logo or {}))
        association = Association.objects.create(
            slug=_unique_slug(Association, values["name"]), **values
        )
        Membership.objects.create(association=association, user=actor, role=Membership.Role.MANAGER)
    return association


def association_update(
    *, actor: User, association: Association, logo: dict | None = None, **fields
) -> Association:
    """The association's page changed by its manager: its fields, and its logo replaced,
    removed or described anew (``image_change``'s arguments)."""
    ensure_perm(actor, "volunteering.change_association", association)
    values = _association_fields(**fields)
    with transaction.atomic():
        values["logo"] = image_change(current=association.logo, **(logo or {}))
        for name, value in values.items():
            setattr(association, name, value)
        association.save()
    return association


def association_validate(
    *, actor: User, association: Association, validated: bool = True
) -> Association:
    """The town validates (the association appears in the directory) or refuses it."""
    ensure_perm(actor, "volunteering.validate_association", association)
    with transaction.atomic():
        association = Association.objects.select_for_update().get(pk=association.pk)
        if validated:
            association.status = Association.Status.VALIDATED
            association.validated_at = timezone.now()
            text = _("L'association « %(name)s » a été validée par la collectivité.")
        else:
            association.status = Association.Status.REJECTED
            association.validated_at = None
            text = _("L'association « %(name)s » n'a pas été validée par la collectivité.")
        association.save(update_fields=["status", "validated_at"])
        notice_send(
            users=association_accounts(association),
            text=text % {"name": association.name},
            link=hub_url("association_manage", association.slug),
        )
    return association


def membership_add(*, actor: User, association: Association, email: str, role: str) -> Membership:
    """A manager adds an account (known by its e-mail, which the manager already knows) to
    the association."""
    ensure_perm(actor, "volunteering.change_association", association)
    if role not in Membership.Role.values:
        raise Invalid(_("Rôle inconnu."), field="role")
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is None:
        raise Invalid(
            _("Aucun compte n'existe avec cette adresse : la personne doit d'abord s'inscrire."),
            field="email",
        )
    try:
        with transaction.atomic():
            return Membership.objects.create(association=association, user=user, role=role)
    except IntegrityError as exc:
        raise Conflict(_("Ce compte fait déjà partie de l'association."), field="email") from exc


def manager_hand_over(*, actor: User, association: Association, to_user_id: int) -> Membership:
    """The board changes: a manager hands the role to one of the association's accounts and
    stays a member. No need for the town."""
    ensure_perm(actor, "volunteering.change_association", association)
    with transaction.atomic():
        memberships = {
            membership.user_id: membership
            for membership in Membership.objects.select_for_update().filter(association=association)
        }
        target = memberships.get(to_user_id)
        if target is None:
            raise Invalid(_("Ce compte ne fait pas partie de l'association."), field="user")
        target.role = Membership.Role.MANAGER
        target.save(update_fields=["role"])
        mine = memberships.get(actor.pk)
        if mine is not None and mine.pk != target.pk:
            mine.role = Membership.Role.MEMBER
            mine.save(update_fields=["role"])
    return target


# Volunteers


def volunteer_profile_save(
    *,
    user: User,
    skills: Sequence[str],
    interests: Sequence[str],
    availability: Sequence[str],
    neighbourhoods: Sequence[Neighbourhood],
    bio: str,
    visible: bool = True,
) -> VolunteerProfile:
    """Opt in (or update): what associations may search. No e-mail, no phone."""
    ensure_perm(user, "volunteering.volunteer")
    values = {
        "skills": _choices(skills, Skill.choices, label=_("Compétences"), field="skills"),
        "interests": _choices(
            interests, Category.choices, label=_("Centres d'intérêt"), field="interests"
        ),
        "availability": _choices(
            availability, AVAILABILITY_CHOICES, label=_("Disponibilités"), field="availability"
        ),
        "bio": clean_text(bio, label=_("Quelques mots"), max_length=1000, required=False),
        "visible": visible,
    }
    with transaction.atomic():
        profile, _created = VolunteerProfile.objects.select_for_update().get_or_create(
            user=user, defaults=values
        )
        if not _created:
            for name, value in values.items():
                setattr(profile, name, value)
            profile.save()
        profile.neighbourhoods.set(neighbourhoods)
    return profile


def volunteer_block(*, user: User, association: Association, blocked: bool = True) -> None:
    """The volunteer refuses (or accepts again) this association's contact requests; an open
    conversation with it is closed."""
    with transaction.atomic():
        if not blocked:
            Block.objects.filter(volunteer=user, association=association).delete()
            return
        Block.objects.get_or_create(volunteer=user, association=association)
        ContactRequest.objects.filter(
            volunteer=user,
            association=association,
            status__in=[ContactRequest.Status.PENDING, ContactRequest.Status.ACCEPTED],
        ).update(status=ContactRequest.Status.DECLINED, answered_at=timezone.now())


def contact_request_send(
    *, actor: User, association: Association, volunteer: User, message: str
) -> ContactRequest:
    """An association asks a volunteer to get in touch. Refused when the profile is hidden
    (or absent) or the volunteer blocked the association."""
    ensure_perm(actor, "volunteering.act_for_association", association)
    message = clean_text(message, label=_("Message"), max_length=2000, field="message")
    with transaction.atomic():
        profile = (
            VolunteerProfile.objects.select_for_update()
            .filter(user=volunteer, user__is_active=True)
            .first()
        )
        if profile is None or not profile.visible:
            raise NotAllowed(_("Ce profil de bénévole n'est pas visible."))
        if Block.objects.filter(volunteer=volunteer, association=association).exists():
            raise NotAllowed(_("Ce bénévole ne souhaite pas être contacté par votre association."))
        try:
            with transaction.atomic():
                contact = ContactRequest.objects.create(
                    association=association, volunteer=volunteer, sender=actor, message=message
                )
        except IntegrityError as exc:
            raise Conflict(_("Une demande de contact est déjà en cours avec ce bénévole.")) from exc
        notice_send(
            users=[volunteer],
            text=_("L'association « %(name)s » souhaite vous contacter.")
            % {"name": association.name},
            link=hub_url("contact", contact.pk),
        )
    return contact


def _locked_contact(contact: ContactRequest) -> ContactRequest:
    return (
        ContactRequest.objects.select_for_update(of=("self",))
        .select_related("association")
        .get(pk=contact.pk)
    )


def contact_request_answer(*, user: User, contact: ContactRequest, accept: bool) -> ContactRequest:
    """The volunteer accepts (a conversation opens) or declines."""
    if contact.volunteer_id != user.pk:
        raise NotAllowed(_("Cette demande de contact ne vous est pas adressée."))
    with transaction.atomic():
        contact = _locked_contact(contact)
        if contact.status != ContactRequest.Status.PENDING:
            raise Conflict(_("Vous avez déjà répondu à cette demande."))
        contact.status = (
            ContactRequest.Status.ACCEPTED if accept else ContactRequest.Status.DECLINED
        )
        contact.answered_at = timezone.now()
        contact.save(update_fields=["status", "answered_at"])
        text = (
            _("%(volunteer)s a accepté votre demande de contact.")
            if accept
            else _("%(volunteer)s a décliné votre demande de contact.")
        )
        notice_send(
            users=association_accounts(contact.association),
            text=text % {"volunteer": user.display_name},
            link=hub_url("contact", contact.pk),
        )
    return contact


def contact_side(user: User, contact: ContactRequest) -> str | None:
    """ "volunteer", "association", or None when the account is on neither side."""
    if not user.is_authenticated:
        return None
    if contact.volunteer_id == user.pk:
        return "volunteer"
    if Membership.objects.filter(association_id=contact.association_id, user=user).exists():
        return "association"
    return None


def message_send(*, actor: User, contact: ContactRequest, body: str) -> Message:
    """A message in an accepted contact's conversation, told to the other side."""
    side = contact_side(actor, contact)
    if side is None:
        raise NotAllowed(_("Vous ne participez pas à cette conversation."))
    body = clean_text(body, label=_("Message"), max_length=5000, field="body")
    with transaction.atomic():
        contact = _locked_contact(contact)
        if contact.status == ContactRequest.Status.DECLINED:
            raise NotAllowed(_("Le bénévole a décliné cette demande de contact : pas de message."))
        if contact.status != ContactRequest.Status.ACCEPTED:
            raise NotAllowed(_("La conversation s'ouvrira quand le bénévole aura accepté."))
        message = Message.objects.create(
            contact=contact, author=actor, from_volunteer=side == "volunteer", body=body
        )
        recipients = (
            association_accounts(contact.association)
            if side == "volunteer"
            else [User.objects.get(pk=contact.volunteer_id)]
        )
        notice_send(
            users=[user for user in recipients if user.pk != actor.pk],
            text=_("Nouveau message de %(who)s sur la plateforme bénévolat.")
            % {"who": actor.display_name if side == "volunteer" else contact.association.name},
            link=hub_url("contact", contact.pk),
        )
    return message


# Missions


def _mission_fields(
    *,
    title: str,
    description: str,
    skills: Sequence[str],
    schedule: str,
    recurrence: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    neighbourhood: Neighbourhood | None,
    places: int,
    min_age: int,
) -> dict:
    if schedule not in Mission.Schedule.values:
        raise Invalid(_("Rythme inconnu."), field="schedule")
    if ends_at <= starts_at:
        raise Invalid(_("La mission doit se terminer après son début."), field="ends_at")
    if places is None or places < 1:
        raise Invalid(_("Indiquez au moins un bénévole recherché."), field="places")
    if min_age is None or not 0 <= min_age <= 120:
        raise Invalid(_("L'âge minimum doit être compris entre 0 et 120 ans."), field="min_age")
    return {
        "title": clean_text(title, label=_("Titre"), max_length=200, field="title"),
        "description": clean_text(
            description, label=_("Description"), max_length=10_000, field="description"
        ),
        "skills": _choices(skills, Skill.choices, label=_("Compétences"), field="skills"),
        "schedule": schedule,
        "recurrence": clean_text(
            recurrence, label=_("Fréquence"), max_length=200, required=False, field="recurrence"
        ),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": clean_text(place, label=_("Lieu"), max_length=300, field="place"),
        "neighbourhood": neighbourhood,
        "places": places,
        "min_age": min_age,
    }


def mission_create(
    *, actor: User, component: Component, association: Association, **fields
) -> Mission:
    _ensure_hub(component)
    ensure_perm(actor, "volunteering.act_for_association", association)
    mission = Mission.objects.create(
        component=component, association=association, **_mission_fields(**fields)
    )
    return mission


def _holding(mission: Mission) -> int:
    return Application.objects.filter(mission=mission, status__in=Application.HOLDING).count()


def _refresh(mission: Mission, *, passed_over: int | None = None) -> None:
    """Fill the free places from the waiting list (oldest first; ``passed_over``, an
    application the association has just put there, is not moved back), then set open /
    full."""
    if mission.status == Mission.Status.CLOSED:
        return
    free = mission.places - _holding(mission)
    if free > 0:
        for application in (
            Application.objects.select_for_update()
            .filter(mission=mission, status=Application.Status.WAITLISTED)
            .exclude(pk=passed_over)
            .select_related("volunteer")
            .order_by("waitlisted_at", "pk")[:free]
        ):
            application.status = Application.Status.PENDING
            application.save(update_fields=["status", "updated_at"])
            free -= 1
            notice_send(
                users=[application.volunteer],
                text=_(
                    "Une place s'est libérée : votre candidature à « %(title)s » sort de la "
                    "liste d'attente."
                )
                % {"title": mission.title},
                link=hub_url("history"),
            )
    status = Mission.Status.OPEN if free > 0 else Mission.Status.FULL
    if status != mission.status:
        mission.status = status
        mission.save(update_fields=["status", "updated_at"])


def _locked_mission(mission: Mission) -> Mission:
    return (
        Mission.objects.select_for_update(of=("self",))
        .select_related("association", "component__space")
        .get(pk=mission.pk)
    )


def mission_close(*, actor: User, mission: Mission, closed: bool = True) -> Mission:
    ensure_perm(actor, "volunteering.act_for_association", mission.association)
    with transaction.atomic():
        mission = _locked_mission(mission)
        mission.status = Mission.Status.CLOSED if closed else Mission.Status.OPEN
        mission.save(update_fields=["status", "updated_at"])
        _refresh(mission)
    return mission


def mission_moderate(*, actor: User, mission: Mission, hidden: bool) -> Mission:
    """The town hides a mission from the public (or shows it again)."""
    ensure_perm(actor, "volunteering.moderate_mission", mission)
    Mission.objects.filter(pk=mission.pk).update(hidden=hidden)
    mission.hidden = hidden
    return mission


def _ensure_old_enough(user: User, mission: Mission) -> None:
    if not mission.min_age:
        return
    birth_year = Profile.objects.filter(user=user).values_list("birth_year", flat=True).first()
    if birth_year is None:
        raise Invalid(
            _(
                "Cette mission demande d'avoir %(age)d ans : indiquez votre année de naissance "
                "dans votre profil."
            )
            % {"age": mission.min_age}
        )
    if timezone.localtime(mission.starts_at).year - birth_year < mission.min_age:
        raise NotAllowed(
            _("Cette mission demande d'avoir au moins %(age)d ans.") % {"age": mission.min_age}
        )


def mission_apply(*, user: User, mission: Mission, message: str = "") -> Application:
    """Apply: a free place is held at once (the association then answers); when the places
    are held, the application waits in line. The mission row is locked, so two volunteers
    for the last place are served one after the other."""
    ensure_perm(user, "volunteering.apply_mission", mission)
    message = clean_text(message, label=_("Message"), max_length=2000, required=False)
    with transaction.atomic():
        mission = _locked_mission(mission)
        if mission.status == Mission.Status.CLOSED or mission.hidden:
            raise NotAllowed(_("Cette mission n'accepte plus de candidatures."))
        if mission.ends_at <= timezone.now():
            raise NotAllowed(_("Cette mission est terminée."))
        _ensure_old_enough(user, mission)
        application = Application.objects.filter(mission=mission, volunteer=user).first()
        if application is not None and application.status not in (
            Application.Status.CANCELLED,
            Application.Status.DECLINED,
        ):
            raise Conflict(_("Vous avez déjà candidaté à cette mission."))
        if application is not None and application.status == Application.Status.DECLINED:
            raise NotAllowed(_("L'association a déjà décliné votre candidature."))
        full = _holding(mission) >= mission.places
        status = Application.Status.WAITLISTED if full else Application.Status.PENDING
        values = {
            "status": status,
            "message": message,
            "waitlisted_at": timezone.now() if full else None,
            "hours": None,
        }
        if application is None:
            application = Application.objects.create(mission=mission, volunteer=user, **values)
        else:
            for name, value in values.items():
                setattr(application, name, value)
            application.save()
        _refresh(mission)
        notice_send(
            users=association_accounts(mission.association),
            text=_("Nouvelle candidature de %(volunteer)s à « %(title)s ».")
            % {"volunteer": user.display_name, "title": mission.title},
            link=hub_url("association_manage", mission.association.slug),
        )
    return application


def _locked_application(application: Application) -> tuple[Application, Mission]:
    mission = _locked_mission(application.mission)
    application = (
        Application.objects.select_for_update().select_related("volunteer").get(pk=application.pk)
    )
    application.mission = mission
    return application, mission


DECISIONS = {
    "accept": Application.Status.ACCEPTED,
    "decline": Application.Status.DECLINED,
    "waitlist": Application.Status.WAITLISTED,
}


def application_answer(*, actor: User, application: Application, decision: str) -> Application:
    """The association accepts, declines or puts an application on the waiting list."""
    ensure_perm(actor, "volunteering.act_for_association", application.mission.association)
    if decision not in DECISIONS:
        raise Invalid(_("Décision inconnue."))
    with transaction.atomic():
        application, mission = _locked_application(application)
        allowed_from = {
            "accept": (Application.Status.PENDING, Application.Status.WAITLISTED),
            "decline": (
                Application.Status.PENDING,
                Application.Status.WAITLISTED,
                Application.Status.ACCEPTED,
            ),
            "waitlist": (Application.Status.PENDING,),
        }[decision]
        if application.status not in allowed_from:
            raise Conflict(_("Cette candidature ne peut plus recevoir cette réponse."))
        if (
            decision == "accept"
            and application.status == Application.Status.WAITLISTED
            and _holding(mission) >= mission.places
        ):
            raise Conflict(_("La mission est complète : libérez d'abord une place."))
        application.status = DECISIONS[decision]
        if decision == "waitlist":
            application.waitlisted_at = timezone.now()
        application.save()
        # The place a waitlisted application held goes to the next in line, not back to it.
        _refresh(mission, passed_over=application.pk if decision == "waitlist" else None)
        texts = {
            "accept": _("Votre candidature à « %(title)s » est acceptée."),
            "decline": _("Votre candidature à « %(title)s » n'a pas été retenue."),
            "waitlist": _("Votre candidature à « %(title)s » est sur liste d'attente."),
        }
        notice_send(
            users=[application.volunteer],
            text=texts[decision] % {"title": mission.title},
            link=hub_url("history"),
        )
    return application


def application_cancel(*, user: User, application: Application) -> Application:
    """The volunteer withdraws; the first of the waiting list moves up."""
    if application.volunteer_id != user.pk:
        raise NotAllowed(_("Cette candidature n'est pas la vôtre."))
    with transaction.atomic():
        application, mission = _locked_application(application)
        if application.status not in (
            Application.Status.PENDING,
            Application.Status.ACCEPTED,
            Application.Status.WAITLISTED,
        ):
            raise Conflict(_("Cette candidature ne peut plus être annulée."))
        application.status = Application.Status.CANCELLED
        application.waitlisted_at = None
        application.save()
        _refresh(mission)
        notice_send(
            users=association_accounts(mission.association),
            text=_("%(volunteer)s a annulé sa candidature à « %(title)s ».")
            % {"volunteer": user.display_name, "title": mission.title},
            link=hub_url("association_manage", mission.association.slug),
        )
    return application


def application_mark_done(*, actor: User, application: Application, hours: Decimal) -> Application:
    """After the mission has started, the association records the hours given."""
    ensure_perm(actor, "volunteering.act_for_association", application.mission.association)
    if hours is None or not Decimal("0") < hours <= Decimal("1000"):
        raise Invalid(_("Indiquez un nombre d'heures entre 0,5 et 1000."), field="hours")
    with transaction.atomic():
        application, mission = _locked_application(application)
        if mission.starts_at > timezone.now():
            raise Invalid(_("La participation se déclare après le début de la mission."))
        if application.status not in (Application.Status.ACCEPTED, Application.Status.DONE):
            raise Conflict(_("Seule une candidature acceptée peut être déclarée effectuée."))
        application.status = Application.Status.DONE
        application.hours = hours
        application.save()
        notice_send(
            users=[application.volunteer],
            text=_("Merci ! %(hours)s h de bénévolat pour « %(title)s » sont enregistrées.")
            % {"hours": hours, "title": mission.title},
            link=hub_url("history"),
        )
    return application


# Agenda


def event_create(
    *,
    actor: User,
    component: Component,
    association: Association | None,
    title: str,
    description: str,
    category: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    neighbourhood: Neighbourhood | None,
    capacity: int | None,
) -> Event:
    """An association's event, or the town's (``association`` None: town staff only)."""
    _ensure_hub(component)
    if association is None:
        ensure_perm(actor, "volunteering.moderate_mission", component)
    else:
        ensure_perm(actor, "volunteering.act_for_association", association)
    if category and category not in Category.values:
        raise Invalid(_("Catégorie inconnue."), field="category")
    if ends_at <= starts_at:
        raise Invalid(_("L'événement doit se terminer après son début."), field="ends_at")
    if capacity is not None and capacity < 1:
        raise Invalid(_("Le nombre de places doit être d'au moins 1."), field="capacity")
    return Event.objects.create(
        component=component,
        association=association,
        title=clean_text(title, label=_("Titre"), max_length=200, field="title"),
        description=clean_text(
            description, label=_("Description"), max_length=10_000, field="description"
        ),
        category=category,
        starts_at=starts_at,
        ends_at=ends_at,
        place=clean_text(place, label=_("Lieu"), max_length=300, field="place"),
        neighbourhood=neighbourhood,
        capacity=capacity,
    )


def event_register(*, user: User, event: Event) -> Registration:
    """Register for an event, within its places (the event row is locked)."""
    ensure_perm(user, "volunteering.apply_mission", event)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.capacity is None:
            raise Invalid(_("Cet événement ne prend pas d'inscriptions."))
        if event.ends_at <= timezone.now():
            raise NotAllowed(_("Cet événement est terminé."))
        if Registration.objects.filter(event=event, user=user).exists():
            raise Conflict(_("Vous êtes déjà inscrit·e."))
        if Registration.objects.filter(event=event).count() >= event.capacity:
            raise Conflict(_("Cet événement est complet."))
        return Registration.objects.create(event=event, user=user)


# Between associations


def help_request_post(
    *, actor: User, association: Association, kind: str, title: str, description: str
) -> HelpRequest:
    """An association asks the others for equipment, volunteers or a room."""
    ensure_perm(actor, "volunteering.act_for_association", association)
    if kind not in HelpRequest.Kind.values:
        raise Invalid(_("Besoin inconnu."), field="kind")
    return HelpRequest.objects.create(
        association=association,
        kind=kind,
        title=clean_text(title, label=_("Titre"), max_length=200, field="title"),
        description=clean_text(
            description, label=_("Description"), max_length=5000, field="description"
        ),
    )


def help_request_answer(
    *, actor: User, request: HelpRequest, association: Association, message: str
) -> HelpAnswer:
    """Another association offers its help; the asking association's accounts are told."""
    ensure_perm(actor, "volunteering.act_for_association", association)
    if request.association_id == association.pk:
        raise Invalid(_("Une association ne répond pas à sa propre demande."))
    if request.closed:
        raise NotAllowed(_("Cette demande est close."))
    answer = HelpAnswer.objects.create(
        request=request,
        association=association,
        author=actor,
        message=clean_text(message, label=_("Message"), max_length=5000, field="message"),
    )
    notice_send(
        users=association_accounts(request.association),
        text=_("L'association « %(name)s » répond à votre demande « %(title)s ».")
        % {"name": association.name, "title": request.title},
        link=hub_url("help"),
    )
    return answer


# Questionnaires to associations


def questionnaire_create(*, actor: User, title: str, questions: Sequence[str]) -> Questionnaire:
    """The town addresses a survey to its validated associations."""
    ensure_perm(actor, "volunteering.validate_association")
    lines = [
        clean_text(q, label=_("Question"), max_length=500, field="questions")
        for q in questions
        if q.strip()
    ]
    if not lines:
        raise Invalid(_("Posez au moins une question."), field="questions")
    with transaction.atomic():
        questionnaire = Questionnaire.objects.create(
            title=clean_text(title, label=_("Titre"), max_length=200, field="title"),
            questions=lines,
        )
        managers = Membership.objects.filter(
            association__status=Association.Status.VALIDATED, role=Membership.Role.MANAGER
        ).select_related("user")
        notice_send(
            users={m.user_id: m.user for m in managers}.values(),
            text=_("La collectivité pose un questionnaire aux associations : « %(title)s ».")
            % {"title": questionnaire.title},
            link=hub_url("help"),
        )
    return questionnaire


def questionnaire_answer(
    *,
    actor: User,
    questionnaire: Questionnaire,
    association: Association,
    answers: Sequence[str],
) -> QuestionnaireAnswer:
    """One answer per association, from one of its accounts; validated associations only."""
    ensure_perm(actor, "volunteering.act_for_association", association)
    if len(answers) != len(questionnaire.questions):
        raise Invalid(_("Répondez à chaque question."))
    cleaned = [
        clean_text(a, label=_("Réponse n° %(n)d") % {"n": n}, max_length=5000)
        for n, a in enumerate(answers, start=1)
    ]
    try:
        with transaction.atomic():
            return QuestionnaireAnswer.objects.create(
                questionnaire=questionnaire, association=association, answers=cleaned, author=actor
            )
    except IntegrityError as exc:
        raise Conflict(_("Votre association a déjà répondu à ce questionnaire.")) from exc


# The association's public contact form


def enquiry_send(*, sender: User, association: Association, body: str) -> Enquiry:
    ensure_perm(sender, "volunteering.volunteer")
    if not association.is_validated:
        raise NotAllowed(_("Cette association n'est pas encore dans l'annuaire."))
    enquiry = Enquiry.objects.create(
        association=association,
        sender=sender,
        body=clean_text(body, label=_("Message"), max_length=3000, field="body"),
    )
    notice_send(
        users=association_accounts(association),
        text=_("%(who)s vous écrit depuis la fiche de l'association.")
        % {"who": sender.display_name},
        link=hub_url("association_manage", association.slug),
    )
    return enquiry


def enquiry_reply(*, actor: User, enquiry: Enquiry, body: str) -> Enquiry:
    ensure_perm(actor, "volunteering.act_for_association", enquiry.association)
    body = clean_text(body, label=_("Réponse"), max_length=3000, field="body")
    with transaction.atomic():
        enquiry = Enquiry.objects.select_for_update().select_related("sender").get(pk=enquiry.pk)
        if enquiry.replied_at is not None:
            raise Conflict(_("Ce message a déjà reçu une réponse."))
        enquiry.reply = body
        enquiry.replied_at = timezone.now()
        enquiry.save(update_fields=["reply", "replied_at"])
        notice_send(
            users=[enquiry.sender],
            text=_("L'association « %(name)s » vous a répondu.")
            % {"name": enquiry.association.name},
            link=hub_url("volunteer"),
        )
    return enquiry
