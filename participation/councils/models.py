"""A neighbourhood council's showcase: its members and their roles, its meetings (agenda,
minutes, attendance) and the local shops it presents. One ``councils`` component per council
space; the rules a row must keep whatever wrote it are database constraints."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from participation.models import ComponentItem, Official

NAME_MAX_LENGTH = 120
TITLE_MAX_LENGTH = 200
PLACE_MAX_LENGTH = 200
AGENDA_MAX_LENGTH = 10_000
ADDRESS_MAX_LENGTH = 300
SHOP_TEXT_MAX_LENGTH = 500


class CouncilMember(ComponentItem):
    """One person's seat on the council: a town account or just a name (a resident without an
    account), or, for the elected referent, one of the town's published officials. A member
    who leaves keeps their row (``left_on``): past attendance lists still name them."""

    class Role(models.TextChoices):
        PRESIDENT = "president", _("Président ou présidente")
        SECRETARY = "secretary", _("Secrétaire")
        REFERENT = "referent", _("Élu référent")
        RESIDENT = "resident", _("Habitant ou habitante")

    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        # A deleted account takes its seats with it: the council's page names nobody gone.
        on_delete=models.CASCADE,
        related_name="council_seats",
    )
    name = models.CharField(_("nom"), max_length=NAME_MAX_LENGTH, blank=True)
    official = models.ForeignKey(
        Official,
        verbose_name=_("élu"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="council_seats",
    )
    joined_on = models.DateField(_("membre depuis le"))
    left_on = models.DateField(_("a quitté le conseil le"), null=True, blank=True)
    position = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("membre du conseil")
        constraints = [
            # The referent is an official; anyone else is an account or a name, not both.
            models.CheckConstraint(
                condition=Q(role="referent", official__isnull=False, account__isnull=True)
                | (
                    ~Q(role="referent")
                    & Q(official__isnull=True)
                    & (Q(account__isnull=False, name="") | (Q(account__isnull=True) & ~Q(name="")))
                ),
                name="councils_member_is_someone",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="councils_member_leaves_after_joining",
            ),
            models.UniqueConstraint(
                fields=["component"],
                condition=Q(role="president", left_on__isnull=True),
                name="councils_one_president",
            ),
            models.UniqueConstraint(
                fields=["component", "account"],
                condition=Q(left_on__isnull=True),
                name="councils_account_seated_once",
            ),
            models.UniqueConstraint(
                fields=["component", "official"],
                condition=Q(left_on__isnull=True),
                name="councils_official_seated_once",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.official_id:
            return self.official.name
        if self.account_id:
            return self.account.display_name
        return self.name

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class Meeting(ComponentItem):
    """A meeting of the council: when and where, its agenda, then its minutes (a PDF checked
    by its content) and who came."""

    title = models.CharField(_("titre"), max_length=TITLE_MAX_LENGTH)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    place = models.CharField(_("lieu"), max_length=PLACE_MAX_LENGTH)
    agenda = models.TextField(_("ordre du jour"), blank=True)
    minutes = models.FileField(
        _("compte rendu"), upload_to="councils/minutes/%Y/%m/", max_length=255, blank=True
    )
    minutes_size = models.PositiveBigIntegerField(_("taille (octets)"), null=True, blank=True)
    minutes_published_at = models.DateTimeField(_("compte rendu publié le"), null=True, blank=True)
    # Residents who came without being members: counted, never named.
    public_attendance = models.PositiveIntegerField(
        _("habitants présents (hors membres)"), default=0
    )
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("réunion")
        indexes = [models.Index(fields=["component", "starts_at"], name="councils_meeting_when")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="councils_meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=(Q(minutes="") & Q(minutes_size__isnull=True))
                | (~Q(minutes="") & Q(minutes_size__isnull=False)),
                name="councils_meeting_minutes_sized",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_minutes(self) -> bool:
        return bool(self.minutes)

    @property
    def minutes_human_size(self) -> str:
        return filesizeformat(self.minutes_size or 0)

    def get_absolute_url(self) -> str:
        from participation.components import component_url

        return component_url(self.component, "meeting", self.pk)


class Attendance(models.Model):
    """One member at one meeting: present, or excused (absent without a word: no row)."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Présent")
        EXCUSED = "excused", _("Excusé")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(_("présence"), max_length=20, choices=Status.choices)

    class Meta:
        verbose_name = _("présence")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="councils_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"


class Shop(ComponentItem):
    """A local shop the council presents: where it is, when it opens (``opening_hours``: for
    each day key ``mon``…``sun``, a list of ``["HH:MM", "HH:MM"]`` intervals; a day absent or
    empty is closed) and a short text."""

    name = models.CharField(_("nom"), max_length=NAME_MAX_LENGTH)
    address = models.CharField(_("adresse"), max_length=ADDRESS_MAX_LENGTH)
    description = models.TextField(_("présentation courte"), blank=True)
    opening_hours = models.JSONField(_("horaires d'ouverture"), default=dict, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    position = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "name", "pk"]
        verbose_name = _("commerce")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="councils_shop_coordinates_valid",
            ),
            models.UniqueConstraint(fields=["component", "name"], name="councils_shop_name_once"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def get_absolute_url(self) -> str:
        from participation.components import component_url

        return component_url(self.component, "shop", self.pk)
