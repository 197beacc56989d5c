"""Volunteering (bénévolat): associations and volunteers are town-wide, missions and events
belong to the volunteering hub's component. See docs/volunteering.md.

E-mail and phone of a volunteer live only on their account and profile: nothing here copies
them, and no page, API response, e-mail or export of this module reads them for anyone else.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from participation.models import ComponentItem, Image, Neighbourhood

# RNA: the national directory of associations; a number is W followed by 9 digits.
RNA_PATTERN = r"^W[0-9]{9}$"


class Category(models.TextChoices):
    SOLIDARITY = "solidarite", _("Solidarité")
    SPORT = "sport", _("Sport")
    CULTURE = "culture", _("Culture")
    ENVIRONMENT = "environnement", _("Environnement")
    EDUCATION = "education", _("Éducation")
    HEALTH = "sante", _("Santé")
    YOUTH = "jeunesse", _("Jeunesse")
    LEISURE = "loisirs", _("Loisirs")


class Skill(models.TextChoices):
    WELCOME = "accueil", _("Accueil du public")
    ENTERTAINMENT = "animation", _("Animation")
    DIY = "bricolage", _("Bricolage")
    COMMUNICATION = "communication", _("Communication")
    ACCOUNTING = "comptabilite", _("Comptabilité")
    COOKING = "cuisine", _("Cuisine")
    COMPUTING = "informatique", _("Informatique")
    LOGISTICS = "logistique", _("Logistique")
    TUTORING = "soutien-scolaire", _("Soutien scolaire")
    DRIVING = "transport", _("Transport, conduite")
    GARDENING = "jardinage", _("Jardinage")


WEEKDAYS = (
    ("lun", _("Lundi")),
    ("mar", _("Mardi")),
    ("mer", _("Mercredi")),
    ("jeu", _("Jeudi")),
    ("ven", _("Vendredi")),
    ("sam", _("Samedi")),
    ("dim", _("Dimanche")),
)
TIMES_OF_DAY = (("matin", _("matin")), ("apres-midi", _("après-midi")), ("soir", _("soir")))
# One availability = one weekday at one time of day: "sam-matin".
AVAILABILITY_CHOICES = [
    (f"{day}-{time}", f"{day_label} {time_label}")
    for day, day_label in WEEKDAYS
    for time, time_label in TIMES_OF_DAY
]


class Association(models.Model):
    """An association of the town's directory, whatever hub shows it. Public once the town
    has validated it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de validation")
        VALIDATED = "validated", _("Validée")
        REJECTED = "rejected", _("Refusée")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    description = models.TextField(_("présentation"))
    logo = models.ForeignKey(
        Image, verbose_name=_("logo"), null=True, blank=True, on_delete=models.SET_NULL
    )
    categories = ArrayField(
        models.CharField(max_length=20, choices=Category.choices),
        verbose_name=_("catégories"),
        default=list,
        blank=True,
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("quartier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    website = models.URLField(_("site web"), blank=True)
    rna = models.CharField(_("numéro RNA"), max_length=10, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    validated_at = models.DateTimeField(_("validée le"), null=True, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="associations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("association")
        constraints = [
            models.CheckConstraint(
                condition=Q(rna="") | Q(rna__regex=RNA_PATTERN), name="volunteering_rna_shape"
            ),
            models.CheckConstraint(
                condition=~Q(status="validated") | Q(validated_at__isnull=False),
                name="volunteering_validated_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_validated(self) -> bool:
        return self.status == self.Status.VALIDATED

    @property
    def category_labels(self) -> list[str]:
        return [str(Category(value).label) for value in self.categories]


class Membership(models.Model):
    """An account acting for an association: its managers change the association and hand
    the role over; its members post missions and answer volunteers."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("Responsable")
        MEMBER = "member", _("Membre")

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "user"], name="volunteering_membership_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.association_id} ({self.role})"


class VolunteerProfile(models.Model):
    """An account's opt-in to volunteering, one per account and town-wide. It shows no
    e-mail, no phone: associations reach the volunteer through contact requests."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_profile"
    )
    skills = ArrayField(
        models.CharField(max_length=20, choices=Skill.choices),
        verbose_name=_("compétences"),
        default=list,
        blank=True,
    )
    interests = ArrayField(
        models.CharField(max_length=20, choices=Category.choices),
        verbose_name=_("centres d'intérêt"),
        default=list,
        blank=True,
    )
    availability = ArrayField(
        models.CharField(max_length=20, choices=AVAILABILITY_CHOICES),
        verbose_name=_("disponibilités"),
        default=list,
        blank=True,
    )
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, verbose_name=_("quartiers"), blank=True, related_name="+"
    )
    # The ids of ``neighbourhoods``, kept equal to them by ``search_index`` on every change of
    # the relation: the search's index covers them beside skills and availability.
    neighbourhood_ids = ArrayField(models.IntegerField(), default=list, editable=False)
    bio = models.TextField(_("quelques mots"), max_length=1000, blank=True)
    visible = models.BooleanField(_("profil visible des associations"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profil de bénévole")
        indexes = [
            # One GIN index over the three arrays an association searches by: PostgreSQL
            # intersects their posting lists inside one index scan and reads only the matching
            # rows (with two single-column indexes and the neighbourhoods through their join
            # table, it scanned every profile: 5 ms at 20,000). GIN serves any subset of them.
            # No pending list (fastupdate): profiles change rarely and are searched often, and
            # every search scanned the unmerged entries linearly (10 ms after 20,000 new
            # profiles, until a vacuum merged them; 0.3 ms merged).
            GinIndex(
                fields=["skills", "availability", "neighbourhood_ids"],
                name="volunteering_profile_search",
                fastupdate=False,
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)


class Block(models.Model):
    """A volunteer refuses every contact request of an association."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "association"], name="volunteering_block_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} ⊘ {self.association_id}"


class ContactRequest(models.Model):
    """An association asks to get in touch with a volunteer; only once the volunteer accepts
    does a conversation open, on the platform."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        ACCEPTED = "accepted", _("Acceptée")
        DECLINED = "declined", _("Déclinée")

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="contact_requests"
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("message"), max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open request at a time between an association and a volunteer. (OR, not
            # __in: PostgreSQL prints IN back in another form, and the fast clone of town
            # schemas compares the printed definitions.)
            models.UniqueConstraint(
                fields=["association", "volunteer"],
                condition=Q(status="pending") | Q(status="accepted"),
                name="volunteering_contact_open_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.association_id} → {self.volunteer_id}"


class Message(models.Model):
    """One message of an accepted contact request's conversation."""

    contact = models.ForeignKey(ContactRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who wrote it: the volunteer, or someone for the association.
    from_volunteer = models.BooleanField()
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.contact_id}: {self.body[:30]}"


class Mission(ComponentItem):
    """A call for volunteers posted by an association in the hub."""

    class Schedule(models.TextChoices):
        ONE_OFF = "one_off", _("Ponctuelle")
        RECURRING = "recurring", _("Régulière")
        WEEKEND = "weekend", _("Un week-end")

    class Status(models.TextChoices):
        OPEN = "open", _("Ouverte")
        FULL = "full", _("Complète")
        CLOSED = "closed", _("Fermée")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="missions")
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), max_length=10_000)
    skills = ArrayField(
        models.CharField(max_length=20, choices=Skill.choices),
        verbose_name=_("compétences souhaitées"),
        default=list,
        blank=True,
    )
    schedule = models.CharField(
        _("rythme"), max_length=10, choices=Schedule.choices, default=Schedule.ONE_OFF
    )
    recurrence = models.CharField(_("fréquence"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    place = models.CharField(_("lieu"), max_length=300)
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("quartier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    places = models.PositiveIntegerField(_("bénévoles recherchés"))
    min_age = models.PositiveSmallIntegerField(_("âge minimum"), default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # Moderation by the town: a hidden mission is shown to nobody but its association.
    hidden = models.BooleanField(default=False)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("mission")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="volunteering_mission_dates"
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="volunteering_mission_places"),
            models.CheckConstraint(
                condition=Q(min_age__lte=120), name="volunteering_mission_min_age"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def skill_labels(self) -> list[str]:
        return [str(Skill(value).label) for value in self.skills]


class Application(models.Model):
    """A volunteer's application to a mission. Pending, accepted and done applications hold a
    place; once the places are held, new ones wait in line (oldest first)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de réponse")
        ACCEPTED = "accepted", _("Acceptée")
        WAITLISTED = "waitlisted", _("Liste d'attente")
        DECLINED = "declined", _("Déclinée")
        CANCELLED = "cancelled", _("Annulée")
        DONE = "done", _("Participation effectuée")

    HOLDING = (Status.PENDING, Status.ACCEPTED, Status.DONE)

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="applications")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    message = models.TextField(_("message"), max_length=2000, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    hours = models.DecimalField(
        _("heures données"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When it joined the waiting list: the list moves up in this order.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "volunteer"], name="volunteering_application_once"
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(status="done", hours__gt=0, hours__lte=1000),
                name="volunteering_application_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} → {self.mission_id}"


class Event(ComponentItem):
    """A date of the hub's agenda: an association's (or the town's, without association)."""

    association = models.ForeignKey(
        Association, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), max_length=10_000)
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices, blank=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    place = models.CharField(_("lieu"), max_length=300)
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("quartier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Registration on the platform, up to this many people (none: no registration).
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("événement")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="volunteering_event_dates"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="volunteering_event_capacity",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], name="volunteering_registration_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.event_id}"


class Notice(models.Model):
    """What the site shows an account in its volunteering inbox (the e-mail says the same)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text


class HelpRequest(models.Model):
    """Between associations: one asks for a loan of equipment, shared volunteers or a room;
    others answer through the platform."""

    class Kind(models.TextChoices):
        EQUIPMENT = "equipment", _("Prêt de matériel")
        VOLUNTEERS = "volunteers", _("Bénévoles partagés")
        ROOM = "room", _("Une salle")

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="help_requests"
    )
    kind = models.CharField(_("besoin"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    closed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class HelpAnswer(models.Model):
    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="answers")
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.association_id} → {self.request_id}"


class Questionnaire(models.Model):
    """The town's survey to its validated associations: one answer per association."""

    title = models.CharField(_("titre"), max_length=200)
    questions = ArrayField(models.CharField(max_length=500), verbose_name=_("questions"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(questions__len__gte=1), name="volunteering_questionnaire_questions"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class QuestionnaireAnswer(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="answers"
    )
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    answers = ArrayField(models.TextField(max_length=5000))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "association"], name="volunteering_questionnaire_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.association_id} → {self.questionnaire_id}"

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return list(zip(self.questionnaire.questions, self.answers, strict=False))


class Enquiry(models.Model):
    """A message to an association from its public page's contact form; the association
    answers on the platform. Neither side sees the other's address."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("message"), max_length=3000)
    reply = models.TextField(_("réponse"), max_length=3000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.sender_id} → {self.association_id}"
