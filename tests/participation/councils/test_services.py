import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import Conflict, Invalid, NotAllowed
from participation.councils import services
from participation.councils.models import Attendance, CouncilMember, Meeting, Shop
from tests.conftest import stored_files
from tests.participation.councils.conftest import schedule
from tests.participation.councils.files import DOCX_AS_ZIP, PDF, PNG, upload
from tests.participation.factories import ComponentFactory, ModeratorFactory, ParticipantFactory

Role = CouncilMember.Role


# Members ---------------------------------------------------------------------------------


def test_a_member_is_an_account_or_a_name_and_the_referent_an_official(admin, council, official):
    resident = ParticipantFactory(display_name="Camille")
    with_account = services.member_add(
        actor=admin, component=council, role=Role.RESIDENT, account=resident
    )
    named = services.member_add(
        actor=admin, component=council, role=Role.SECRETARY, name="  Jean-Luc Petit "
    )
    referent = services.member_add(
        actor=admin, component=council, role=Role.REFERENT, official=official
    )
    assert [m.display_name for m in (with_account, named, referent)] == [
        "Camille",
        "Jean-Luc Petit",
        "Élise Moreau",
    ]
    assert [m.position for m in (with_account, named, referent)] == [0, 1, 2]


@pytest.mark.parametrize(
    ("role", "kwargs", "message"),
    [
        (Role.RESIDENT, {}, "soit un compte du site, soit un nom"),
        (Role.REFERENT, {"name": "Quelqu'un"}, "L'élu référent est l'un des élus"),
        (Role.RESIDENT, {"official": "official"}, "Seul l'élu référent"),
        ("tresorier", {"name": "X"}, "Rôle inconnu"),
    ],
)
def test_who_a_member_is_must_be_clear(admin, council, official, role, kwargs, message):
    if kwargs.get("official") == "official":
        kwargs = {"official": official}
    with pytest.raises(Invalid, match=message):
        services.member_add(actor=admin, component=council, role=role, **kwargs)
    assert not CouncilMember.objects.exists()


def test_a_name_and_an_account_together_are_refused(admin, council):
    with pytest.raises(Invalid, match="indiquez l'un des deux"):
        services.member_add(
            actor=admin,
            component=council,
            role=Role.RESIDENT,
            account=ParticipantFactory(),
            name="Aussi un nom",
        )


def test_one_president_at_a_time(admin, council):
    services.member_add(actor=admin, component=council, role=Role.PRESIDENT, name="Sylvie Martin")
    with pytest.raises(Invalid, match="déjà un président ou une présidente : Sylvie Martin") as exc:
        services.member_add(actor=admin, component=council, role=Role.PRESIDENT, name="Paul")
    assert exc.value.field == "role"
    assert CouncilMember.objects.filter(component=council).count() == 1


def test_a_resident_cannot_become_a_second_president(admin, council):
    services.member_add(actor=admin, component=council, role=Role.PRESIDENT, name="Sylvie")
    paul = services.member_add(actor=admin, component=council, role=Role.RESIDENT, name="Paul")
    with pytest.raises(Invalid, match="déjà un président"):
        services.member_change_role(actor=admin, member=paul, role=Role.PRESIDENT)
    paul.refresh_from_db()
    assert paul.role == Role.RESIDENT


def test_the_database_refuses_two_presidents_whatever_writes_them(admin, council):
    """The last line of defence: a row written without the service."""
    today = timezone.localdate()
    CouncilMember.objects.create(
        component=council, role=Role.PRESIDENT, name="Sylvie", joined_on=today
    )
    with pytest.raises(IntegrityError, match="councils_one_president"), transaction.atomic():
        CouncilMember.objects.create(
            component=council, role=Role.PRESIDENT, name="Paul", joined_on=today
        )


def test_a_president_who_left_makes_room_for_the_next(admin, council):
    first = services.member_add(
        actor=admin,
        component=council,
        role=Role.PRESIDENT,
        name="Sylvie",
        joined_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    services.member_leave(actor=admin, member=first)
    second = services.member_add(actor=admin, component=council, role=Role.PRESIDENT, name="Paul")
    assert second.is_active
    with pytest.raises(Conflict, match="déjà quitté"):
        services.member_leave(actor=admin, member=first)


def test_presidents_of_two_councils_do_not_collide(admin, council):
    other = ComponentFactory(type_key="councils")
    services.member_add(actor=admin, component=council, role=Role.PRESIDENT, name="Sylvie")
    services.member_add(actor=admin, component=other, role=Role.PRESIDENT, name="Paul")


def test_an_account_is_seated_once(admin, council):
    resident = ParticipantFactory()
    services.member_add(actor=admin, component=council, role=Role.RESIDENT, account=resident)
    with pytest.raises(Conflict, match="siège déjà"):
        services.member_add(actor=admin, component=council, role=Role.SECRETARY, account=resident)


def test_leaving_before_joining_is_refused(admin, council):
    member = services.member_add(actor=admin, component=council, role=Role.RESIDENT, name="Paul")
    with pytest.raises(Invalid, match="avant d'y entrer"):
        services.member_leave(
            actor=admin, member=member, left_on=member.joined_on - datetime.timedelta(days=1)
        )


@pytest.mark.parametrize("factory", [ParticipantFactory, None])
def test_only_the_space_s_moderators_and_staff_manage(council, factory):
    from django.contrib.auth.models import AnonymousUser

    actor = factory() if factory else AnonymousUser()
    with pytest.raises(NotAllowed):
        services.member_add(actor=actor, component=council, role=Role.RESIDENT, name="X")
    with pytest.raises(NotAllowed):
        schedule(actor, council, starts_in_hours=24)


def test_a_space_moderator_manages_their_council(council):
    moderator = ParticipantFactory()
    council.space.moderators.add(moderator)
    assert services.member_add(actor=moderator, component=council, role=Role.RESIDENT, name="X")
    assert ModeratorFactory().has_perm("councils.change_council", council)


def test_another_module_is_not_a_council(admin, in_town_a):
    news = ComponentFactory(type_key="news")
    with pytest.raises(Invalid, match="n'est pas un conseil de quartier"):
        services.member_add(actor=admin, component=news, role=Role.RESIDENT, name="X")


# Meetings --------------------------------------------------------------------------------


def test_a_meeting_cannot_end_before_it_starts(admin, council):
    starts = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(Invalid, match=r"ne peut pas finir .* avant de commencer") as exc:
        services.meeting_schedule(
            actor=admin,
            component=council,
            title="Séance",
            starts_at=starts,
            ends_at=starts - datetime.timedelta(hours=1),
            place="Salle des fêtes",
        )
    assert exc.value.field == "ends_at"
    with pytest.raises(Invalid, match="avant de commencer"):
        services.meeting_schedule(
            actor=admin, component=council, title="S", starts_at=starts, ends_at=starts, place="L"
        )
    assert not Meeting.objects.exists()


def test_moving_a_meeting_keeps_its_dates_in_order(admin, council):
    meeting = schedule(admin, council, starts_in_hours=48)
    with pytest.raises(Invalid, match="avant de commencer"):
        services.meeting_update(
            actor=admin,
            meeting=meeting,
            title=meeting.title,
            starts_at=meeting.starts_at,
            ends_at=meeting.starts_at - datetime.timedelta(minutes=30),
            place=meeting.place,
        )
    stored = Meeting.objects.get(pk=meeting.pk)
    assert stored.ends_at == meeting.ends_at


def test_the_database_refuses_a_meeting_ending_before_it_starts(council):
    now = timezone.now()
    with pytest.raises(IntegrityError, match="ends_after_start"), transaction.atomic():
        Meeting.objects.create(component=council, title="S", place="L", starts_at=now, ends_at=now)


def test_minutes_are_a_pdf_by_content(admin, council, media_root):
    meeting = schedule(admin, council, starts_in_hours=-3)
    services.meeting_publish_minutes(actor=admin, meeting=meeting, file=upload("cr.bin", PDF))
    meeting.refresh_from_db()
    assert meeting.minutes_size == len(PDF)
    assert meeting.minutes.name.endswith(".pdf")
    assert meeting.minutes.read() == PDF
    assert len(stored_files(media_root, "ville_a")) == 1


@pytest.mark.parametrize(
    ("name", "content"), [("cr.pdf", PNG), ("cr.pdf", DOCX_AS_ZIP), ("cr.pdf", b"%PD")]
)
def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_stored(
    admin, council, media_root, name, content
):
    meeting = schedule(admin, council, starts_in_hours=-3)
    with pytest.raises(Invalid, match="n'est pas un PDF") as exc:
        services.meeting_publish_minutes(actor=admin, meeting=meeting, file=upload(name, content))
    assert exc.value.field == "file"
    meeting.refresh_from_db()
    assert not meeting.has_minutes
    assert stored_files(media_root, "ville_a") == []


def test_new_minutes_replace_the_old_file(
    admin, council, media_root, django_capture_on_commit_callbacks
):
    meeting = schedule(admin, council, starts_in_hours=-3)
    services.meeting_publish_minutes(actor=admin, meeting=meeting, file=upload("a.pdf", PDF))
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish_minutes(
            actor=admin, meeting=meeting, file=upload("b.pdf", PDF + b"%v2")
        )
    files = stored_files(media_root, "ville_a")
    assert [f.read_bytes() for f in files] == [PDF + b"%v2"]


def test_minutes_wait_for_the_meeting(admin, council, media_root):
    meeting = schedule(admin, council, starts_in_hours=24)
    with pytest.raises(Invalid, match="une fois la réunion tenue"):
        services.meeting_publish_minutes(actor=admin, meeting=meeting, file=upload("a.pdf", PDF))
    assert stored_files(media_root, "ville_a") == []


def _members(admin, council, *names):
    joined = timezone.localdate() - datetime.timedelta(days=10)
    return [
        services.member_add(
            actor=admin, component=council, role=Role.RESIDENT, name=name, joined_on=joined
        )
        for name in names
    ]


def test_attendance_records_present_excused_and_the_public(admin, council):
    anne, paul, zoe = _members(admin, council, "Anne", "Paul", "Zoé")
    meeting = schedule(admin, council, starts_in_hours=-3)
    services.meeting_record_attendance(
        actor=admin,
        meeting=meeting,
        present=[anne.pk, paul.pk],
        excused=[zoe.pk],
        public_attendance=14,
    )
    # Recording again replaces the list.
    services.meeting_record_attendance(
        actor=admin, meeting=meeting, present=[anne.pk], excused=[], public_attendance=9
    )
    assert list(Attendance.objects.values_list("member__name", "status")) == [("Anne", "present")]
    meeting.refresh_from_db()
    assert meeting.public_attendance == 9
    assert meeting.attendance_recorded_at is not None


def test_attendance_refuses_strangers_and_contradictions_leaving_the_list_as_it_was(admin, council):
    (anne,) = _members(admin, council, "Anne")
    other = _members(admin, ComponentFactory(type_key="councils"), "Étranger")[0]
    meeting = schedule(admin, council, starts_in_hours=-3)
    services.meeting_record_attendance(actor=admin, meeting=meeting, present=[anne.pk])
    with pytest.raises(Invalid, match="ne siégeaient pas"):
        services.meeting_record_attendance(
            actor=admin, meeting=meeting, present=[anne.pk, other.pk]
        )
    with pytest.raises(Invalid, match="à la fois présent et excusé"):
        services.meeting_record_attendance(
            actor=admin, meeting=meeting, present=[anne.pk], excused=[anne.pk]
        )
    with pytest.raises(Invalid, match="de 0 à 10 000"):
        services.meeting_record_attendance(
            actor=admin, meeting=meeting, present=[], public_attendance=-1
        )
    assert list(Attendance.objects.values_list("member_id", flat=True)) == [anne.pk]


def test_a_member_who_joined_after_the_meeting_was_not_there(admin, council):
    meeting = schedule(admin, council, starts_in_hours=-24 * 5)
    newcomer = services.member_add(actor=admin, component=council, role=Role.RESIDENT, name="Léa")
    with pytest.raises(Invalid, match="ne siégeaient pas"):
        services.meeting_record_attendance(actor=admin, meeting=meeting, present=[newcomer.pk])


def test_attendance_waits_for_the_meeting(admin, council):
    meeting = schedule(admin, council, starts_in_hours=2)
    with pytest.raises(Invalid, match="une fois la réunion commencée"):
        services.meeting_record_attendance(actor=admin, meeting=meeting, present=[])


# Shops -----------------------------------------------------------------------------------


def test_a_shop_with_hours_and_a_place(admin, council):
    shop = services.shop_add(
        actor=admin,
        component=council,
        name="Boulangerie du Lac",
        address="4 place du Pas-du-Lac",
        description="Pain au levain.",
        opening_hours={"tue": "7h-13h, 15h30-19h30", "sun": "7h30 à 12h30", "mon": "fermé"},
        latitude="48,7715",
        longitude="2.0335",
    )
    shop.refresh_from_db()
    assert shop.opening_hours == {
        "tue": [["07:00", "13:00"], ["15:30", "19:30"]],
        "sun": [["07:30", "12:30"]],
    }
    assert (str(shop.latitude), str(shop.longitude)) == ("48.771500", "2.033500")


@pytest.mark.parametrize(
    ("hours", "message", "field"),
    [
        ({"mon": "9h-25h"}, "Horaires du lundi : « 25h » n'est pas une heure", "hours_mon"),
        ({"tue": "18h-9h"}, r"mardi : la fermeture \(09:00\) doit venir après", "hours_tue"),
        ({"wed": "9h"}, "Horaires du mercredi : « 9h » doit donner une ouverture", "hours_wed"),
        (
            {"thu": "9h-13h, 12h-18h"},
            "jeudi : les plages 09:00-13:00 et 12:00-18:00 se",
            "hours_thu",
        ),
        ({"fri": "9h61-12h"}, "n'est pas une heure", "hours_fri"),
        ({"sat": "matin"}, "Horaires du samedi", "hours_sat"),
        ({"holiday": "9h-12h"}, "jour inconnu", None),
    ],
)
def test_malformed_opening_hours_are_refused_and_nothing_is_saved(
    admin, council, hours, message, field
):
    with pytest.raises(Invalid, match=message) as exc:
        services.shop_add(
            actor=admin, component=council, name="Épicerie", address="8 rue", opening_hours=hours
        )
    assert exc.value.field == field
    assert not Shop.objects.exists()


def test_a_shop_outside_the_map_is_refused(admin, council):
    with pytest.raises(Invalid, match="latitude"):
        services.shop_add(
            actor=admin, component=council, name="X", address="Y", latitude="95", longitude="2"
        )
    with pytest.raises(Invalid, match="aucune des deux"):
        services.shop_add(actor=admin, component=council, name="X", address="Y", latitude="48")
    assert not Shop.objects.exists()


def test_two_shops_of_one_council_have_two_names(admin, council):
    services.shop_add(actor=admin, component=council, name="La Page", address="21 av.")
    with pytest.raises(Conflict, match="déjà un commerce nommé « La Page »"):
        services.shop_add(actor=admin, component=council, name="La Page", address="3 rue")
    shop = services.shop_add(actor=admin, component=council, name="Le Lac", address="4 pl.")
    with pytest.raises(Conflict):
        services.shop_update(actor=admin, shop=shop, name="La Page", address="4 pl.")
    shop.refresh_from_db()
    assert shop.name == "Le Lac"
