"""Training services: planning, invitations, attendance, cancellation, materials."""

import datetime
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from console.models import AuditEntry
from core.errors import ApplicationError
from onboarding.training import services
from onboarding.training.files import MATERIAL_MAX_BYTES
from onboarding.training.models import TrainingInvitee, TrainingMaterial, TrainingSession
from tests.factories import UserFactory
from tests.onboarding.training import files
from tests.onboarding.training.factories import TrainingInviteeFactory, TrainingSessionFactory

DAY = datetime.timedelta(days=1)


def plan(actor, town, **fields):
    values = {
        "starts_at": timezone.now() + 10 * DAY,
        "duration_minutes": 120,
        "format": TrainingSession.Format.ON_SITE,
        "place": "Mairie, salle du conseil",
        "trainer": actor,
        "topics": "  Créer un espace \n\n Modérer  ",
    }
    return services.session_plan(actor=actor, town=town, **(values | fields))


def stored_files(town) -> list[Path]:
    """The material files kept for this town (files outlive each test's transaction)."""
    return sorted(
        path
        for path in (Path(settings.PRIVATE_MEDIA_ROOT) / "training" / str(town.pk)).rglob("*")
        if path.is_file()
    )


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


# Planning


def test_planning_a_session_records_it_and_audits(vendor_staff, town_a):
    session = plan(vendor_staff, town_a)

    session.refresh_from_db()
    assert session.town == town_a
    assert session.status == TrainingSession.Status.PLANNED
    assert session.topic_list == ["Créer un espace", "Modérer"]
    entry = AuditEntry.objects.get(action="training.session_planned")
    assert entry.town == town_a
    assert entry.actor == vendor_staff
    assert entry.details["session"] == session.pk


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"starts_at": timezone.now() - DAY}, "starts_at"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"duration_minutes": 9 * 60}, "duration_minutes"),
        ({"place": "  "}, "place"),
        ({"format": "by_pigeon"}, "format"),
        ({"format": "remote", "video_url": ""}, "video_url"),
        ({"format": "remote", "video_url": "javascript:alert(1)"}, "video_url"),
        ({"topics": " \n "}, "topics"),
        ({"trainer": None}, "trainer"),
    ],
)
def test_planning_refuses_bad_input(vendor_staff, town_a, fields, field):
    with pytest.raises(ApplicationError) as refused:
        plan(vendor_staff, town_a, **fields)

    assert refused.value.field == field
    assert not TrainingSession.objects.exists()
    assert not AuditEntry.objects.exists()


def test_only_vendor_staff_can_train(vendor_staff, town_a):
    citizen = UserFactory()
    with pytest.raises(ApplicationError, match="équipe Agora"):
        plan(vendor_staff, town_a, trainer=citizen)


def test_the_platform_itself_is_not_trained(vendor_staff, platform):
    with pytest.raises(ApplicationError):
        plan(vendor_staff, platform)


def test_a_remote_session_keeps_its_link_and_no_place(vendor_staff, town_a):
    session = plan(vendor_staff, town_a, format="remote", video_url="https://visio.example.fr/abc")
    assert (session.place, session.video_url) == ("", "https://visio.example.fr/abc")


# Changing and cancelling


def test_a_new_date_tells_the_invitees_and_rearms_the_reminders(
    vendor_staff, town_a, mailoutbox, django_capture_on_commit_callbacks
):
    session = TrainingSessionFactory(town=town_a, trainer=vendor_staff)
    invitee = TrainingInviteeFactory(session=session, reminded_7d_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(
            actor=vendor_staff,
            session=session,
            starts_at=session.starts_at + 3 * DAY,
            duration_minutes=session.duration_minutes,
            format=session.format,
            place=session.place,
            trainer=vendor_staff,
            topics=session.topics,
        )

    invitee.refresh_from_db()
    assert invitee.reminded_7d_at is None
    assert [mail.to for mail in mailoutbox] == [[invitee.email]]
    assert "nouvelles informations" in mailoutbox[0].subject
    assert "training.session_updated" in actions()


def test_notes_alone_change_without_e_mail(
    vendor_staff, town_a, mailoutbox, django_capture_on_commit_callbacks
):
    session = TrainingSessionFactory(town=town_a, trainer=vendor_staff)
    TrainingInviteeFactory(session=session)

    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(
            actor=vendor_staff,
            session=session,
            starts_at=session.starts_at,
            duration_minutes=session.duration_minutes,
            format=session.format,
            place=session.place,
            trainer=vendor_staff,
            topics=session.topics,
            notes="Prévoir un vidéoprojecteur",
        )

    session.refresh_from_db()
    assert session.notes == "Prévoir un vidéoprojecteur"
    assert mailoutbox == []


def test_cancelling_tells_the_invitees_and_closes_the_session(
    vendor_staff, town_a, mailoutbox, django_capture_on_commit_callbacks
):
    session = TrainingSessionFactory(town=town_a)
    invitees = TrainingInviteeFactory.create_batch(2, session=session)

    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(actor=vendor_staff, session=session)

    session.refresh_from_db()
    assert session.status == TrainingSession.Status.CANCELLED
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(i.email for i in invitees)
    assert all("annulée" in mail.subject for mail in mailoutbox)
    assert "training.session_cancelled" in actions()


def test_a_cancelled_session_takes_nothing_more(vendor_staff, town_a):
    session = TrainingSessionFactory(town=town_a, status=TrainingSession.Status.CANCELLED)
    invitee = TrainingInviteeFactory(session=session)
    kept = stored_files(town_a)
    refused = [
        lambda: services.session_cancel(actor=vendor_staff, session=session),
        lambda: services.invitee_add(
            actor=vendor_staff, session=session, name="Léa", email="lea@ville.fr"
        ),
        lambda: services.attendance_record(
            actor=vendor_staff, session=session, present=[invitee.pk]
        ),
        lambda: services.material_add(actor=vendor_staff, session=session, file=files.pdf()),
        lambda: services.session_update(
            actor=vendor_staff,
            session=session,
            starts_at=session.starts_at,
            duration_minutes=60,
            format=session.format,
            place=session.place,
            trainer=session.trainer,
            topics=session.topics,
        ),
    ]
    for action in refused:
        with pytest.raises(ApplicationError, match="annulée"):
            action()

    assert session.invitees.count() == 1
    assert not TrainingMaterial.objects.exists()
    assert not AuditEntry.objects.exists()
    assert stored_files(town_a) == kept  # the refused upload left no file behind


# Invitees


def test_inviting_someone_e_mails_the_invitation_once_committed(
    vendor_staff, town_a, mailoutbox, django_capture_on_commit_callbacks
):
    session = TrainingSessionFactory(town=town_a, trainer=vendor_staff)
    services.material_add(
        actor=vendor_staff, session=session, title="Guide", url="https://aide.example.fr/guide"
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invitee = services.invitee_add(
            actor=vendor_staff,
            session=session,
            name=" Léa Martin ",
            email=" Lea.Martin@VILLE-A.FR ",
            service="Démocratie locale",
        )
        assert mailoutbox == []  # nothing leaves before the commit

    assert len(callbacks) == 1
    assert (invitee.name, invitee.email) == ("Léa Martin", "Lea.Martin@ville-a.fr")
    [mail] = mailoutbox
    assert mail.to == ["Lea.Martin@ville-a.fr"]
    assert mail.subject.startswith("Invitation : formation Agora le ")
    assert "Bonjour Léa Martin" in mail.body
    assert "Ville A" in mail.body
    assert "Mairie, salle du conseil" in mail.body
    assert "- Créer un espace" in mail.body
    assert "Guide : https://aide.example.fr/guide" in mail.body
    assert "training.invitee_added" in actions()


@pytest.mark.parametrize("email", ["pas-une-adresse", "lea@", "@ville.fr", "lea martin@ville.fr"])
def test_an_invalid_address_is_refused(vendor_staff, town_a, email):
    session = TrainingSessionFactory(town=town_a)
    with pytest.raises(ApplicationError, match="n'est pas une adresse e-mail valide") as refused:
        services.invitee_add(actor=vendor_staff, session=session, name="Léa", email=email)
    assert refused.value.field == "email"
    assert not session.invitees.exists()


def test_the_same_address_is_invited_once_per_session(vendor_staff, town_a, mailoutbox):
    session = TrainingSessionFactory(town=town_a)
    services.invitee_add(actor=vendor_staff, session=session, name="Léa", email="lea@ville.fr")

    with pytest.raises(ApplicationError, match="déjà invité"):
        services.invitee_add(actor=vendor_staff, session=session, name="L.", email="LEA@ville.fr")

    assert session.invitees.count() == 1
    other = TrainingSessionFactory(town=town_a)
    services.invitee_add(actor=vendor_staff, session=other, name="Léa", email="lea@ville.fr")
    assert other.invitees.count() == 1


def test_someone_added_after_the_start_gets_no_invitation(
    vendor_staff, town_a, mailoutbox, django_capture_on_commit_callbacks
):
    session = TrainingSessionFactory(
        town=town_a, starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.invitee_add(actor=vendor_staff, session=session, name="Léa", email="lea@ville.fr")
    assert session.invitees.count() == 1
    assert mailoutbox == []


def test_removing_an_invitee(vendor_staff, town_a):
    invitee = TrainingInviteeFactory(session__town=town_a)
    services.invitee_remove(actor=vendor_staff, invitee=invitee)
    assert not TrainingInvitee.objects.exists()
    assert actions() == ["training.invitee_removed"]


# Attendance


def test_attendance_waits_for_the_start_then_closes_the_session(vendor_staff, town_a):
    start = timezone.now() + datetime.timedelta(hours=2)
    session = TrainingSessionFactory(town=town_a, starts_at=start)
    came, missed = TrainingInviteeFactory.create_batch(2, session=session)

    with pytest.raises(ApplicationError, match="pas encore commencé"):
        services.attendance_record(actor=vendor_staff, session=session, present=[came.pk])
    came.refresh_from_db()
    assert came.attended is None

    with time_machine.travel(start + datetime.timedelta(minutes=1), tick=False):
        services.attendance_record(actor=vendor_staff, session=session, present=[came.pk])

    session.refresh_from_db()
    came.refresh_from_db()
    missed.refresh_from_db()
    assert session.status == TrainingSession.Status.DONE
    assert (came.attended, missed.attended) == (True, False)
    entry = AuditEntry.objects.get(action="training.attendance_recorded")
    assert entry.details["present"] == 1


def test_attendance_can_be_corrected(vendor_staff, town_a):
    session = TrainingSessionFactory(town=town_a, starts_at=timezone.now() - DAY)
    invitee = TrainingInviteeFactory(session=session)
    services.attendance_record(actor=vendor_staff, session=session, present=[invitee.pk])
    services.attendance_record(actor=vendor_staff, session=session, present=[])
    invitee.refresh_from_db()
    assert invitee.attended is False


def test_attendance_needs_invitees_of_this_session(vendor_staff, town_a):
    session = TrainingSessionFactory(town=town_a, starts_at=timezone.now() - DAY)
    with pytest.raises(ApplicationError, match="Ajoutez d'abord"):
        services.attendance_record(actor=vendor_staff, session=session, present=[])

    TrainingInviteeFactory(session=session)
    stranger = TrainingInviteeFactory(session__town=town_a)
    with pytest.raises(ApplicationError, match="pas invitée à cette séance"):
        services.attendance_record(actor=vendor_staff, session=session, present=[stranger.pk])
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.PLANNED


# Materials


@pytest.mark.parametrize("upload", [files.pdf, files.pptx, files.odp])
def test_a_material_file_is_stored_outside_the_public_media(vendor_staff, town_a, upload):
    session = TrainingSessionFactory(town=town_a)
    material = services.material_add(actor=vendor_staff, session=session, file=upload())

    path = Path(material.file.path)
    assert path.is_file()
    assert Path(settings.PRIVATE_MEDIA_ROOT) in path.parents
    assert Path(settings.MEDIA_ROOT) / "public" not in path.parents
    assert material.title in ("support", "diaporama")
    assert material.size == path.stat().st_size
    assert "training.material_added" in actions()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (files.html, "n'est pas accepté"),  # a web page named .pdf
        (files.other_zip, "n'est pas accepté"),  # a ZIP that is no presentation
        (lambda: files.pdf("slides.pptx"), "n'est pas accepté"),  # the name lies
        (lambda: files.pptx("slides.pdf"), "n'est pas accepté"),
        (lambda: SimpleUploadedFile("vide.pdf", b""), "est vide"),
        (
            lambda: SimpleUploadedFile("gros.pdf", b"%PDF-1.4\n" + b"0" * MATERIAL_MAX_BYTES),
            "au plus",
        ),
    ],
)
def test_a_wrong_file_is_refused_and_not_kept(vendor_staff, town_a, upload, message):
    session = TrainingSessionFactory(town=town_a)
    kept = stored_files(town_a)
    with pytest.raises(ApplicationError, match=message) as refused:
        services.material_add(actor=vendor_staff, session=session, file=upload())
    assert refused.value.field == "file"
    assert not TrainingMaterial.objects.exists()
    assert stored_files(town_a) == kept


def test_a_material_is_a_file_or_a_link_not_both(vendor_staff, town_a):
    session = TrainingSessionFactory(town=town_a)
    with pytest.raises(ApplicationError, match="l'un des deux"):
        services.material_add(
            actor=vendor_staff, session=session, file=files.pdf(), url="https://exemple.fr"
        )
    with pytest.raises(ApplicationError, match="l'un des deux"):
        services.material_add(actor=vendor_staff, session=session, title="Rien")
    with pytest.raises(ApplicationError, match="adresse web complète"):
        services.material_add(actor=vendor_staff, session=session, title="X", url="ftp://x")
    link = services.material_add(
        actor=vendor_staff, session=session, title="Aide", url="https://aide.example.fr"
    )
    assert (link.url, link.file.name) == ("https://aide.example.fr", "")


def test_removing_a_material_deletes_its_file(
    vendor_staff, town_a, django_capture_on_commit_callbacks
):
    session = TrainingSessionFactory(town=town_a)
    material = services.material_add(actor=vendor_staff, session=session, file=files.pdf())
    path = Path(material.file.path)

    with django_capture_on_commit_callbacks(execute=True):
        services.material_remove(actor=vendor_staff, material=material)

    assert not TrainingMaterial.objects.exists()
    assert not path.exists()
    assert "training.material_removed" in actions()
