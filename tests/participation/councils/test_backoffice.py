"""The council's back office: what staff do, and what they are told when the input is wrong
(in French, on the field, with nothing half-saved)."""

import datetime
import re

import pytest
from django.utils import timezone

from participation.councils import services
from participation.councils.models import Attendance, CouncilMember, Meeting, Shop
from tests.conftest import stored_files
from tests.participation.conftest import logged_in
from tests.participation.councils.conftest import schedule
from tests.participation.councils.files import PDF, PNG, upload
from tests.participation.factories import AdminFactory, ParticipantFactory

Role = CouncilMember.Role


def admin_url(council, tail: str = "") -> str:
    return f"/gestion/espaces/{council.space.slug}/councils/{council.pk}/{tail}"


@pytest.fixture
def staff(admin, town_a):
    return logged_in(town_a, admin)


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_residents_and_strangers_are_kept_out(council, town_a):
    assert logged_in(town_a, ParticipantFactory()).get(admin_url(council)).status_code == 403
    anonymous = logged_in(town_a).get(admin_url(council))
    assert anonymous.status_code == 302
    assert "/connexion/" in anonymous["Location"] or "login" in anonymous["Location"]


def test_the_space_page_of_the_back_office_links_to_the_council(staff, council):
    page = staff.get(f"/gestion/espaces/{council.space.slug}/")
    assert f'href="{admin_url(council)}"' in page.content.decode()


def test_adding_members_by_account_name_and_official(staff, council, official, town_a):
    resident = ParticipantFactory(email="camille@exemple.fr", display_name="Camille")
    for data in (
        {"role": Role.PRESIDENT, "account": "Camille@exemple.fr"},
        {"role": Role.SECRETARY, "name": "Jean-Luc Petit"},
        {"role": Role.REFERENT, "official": official.pk},
    ):
        response = staff.post(admin_url(council), data)
        assert response.status_code == 302, response.content.decode()
    seats = CouncilMember.objects.filter(component=council).order_by("position")
    assert [(m.role, m.display_name) for m in seats] == [
        (Role.PRESIDENT, "Camille"),
        (Role.SECRETARY, "Jean-Luc Petit"),
        (Role.REFERENT, "Élise Moreau"),
    ]
    assert seats[0].account == resident
    page = staff.get(admin_url(council)).content.decode()
    assert "Jean-Luc Petit" in page


def test_a_second_president_is_refused_on_the_role_field(staff, admin, council):
    services.member_add(actor=admin, component=council, role=Role.PRESIDENT, name="Sylvie")
    response = staff.post(admin_url(council), {"role": Role.PRESIDENT, "name": "Paul"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_role-error"' in html
    assert "Le conseil a déjà un président ou une présidente : Sylvie." in html
    assert CouncilMember.objects.filter(component=council).count() == 1


def test_changing_a_resident_into_a_second_president_is_refused(staff, admin, council):
    services.member_add(actor=admin, component=council, role=Role.PRESIDENT, name="Sylvie")
    paul = services.member_add(actor=admin, component=council, role=Role.RESIDENT, name="Paul")
    response = staff.post(admin_url(council, f"membres/{paul.pk}/role/"), {"role": "president"})
    assert response.status_code == 302
    page = staff.get(response["Location"]).content.decode()
    assert "déjà un président ou une présidente : Sylvie" in page
    paul.refresh_from_db()
    assert paul.role == Role.RESIDENT


def test_an_unknown_e_mail_is_said_so(staff, council):
    response = staff.post(admin_url(council), {"role": Role.RESIDENT, "account": "x@nulle.part"})
    assert response.status_code == 400
    assert "Aucun compte du site n&#x27;a cette adresse." in response.content.decode()
    assert not CouncilMember.objects.exists()


def test_a_departure_is_recorded(staff, admin, council):
    member = services.member_add(
        actor=admin,
        component=council,
        role=Role.RESIDENT,
        name="Paul",
        joined_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    staff.post(admin_url(council, f"membres/{member.pk}/depart/"))
    member.refresh_from_db()
    assert member.left_on == timezone.localdate()


def test_scheduling_a_meeting_then_its_page(staff, council):
    starts = timezone.now() + datetime.timedelta(days=10)
    response = staff.post(
        admin_url(council, "reunions/"),
        {
            "title": "Séance plénière",
            "starts_at": local(starts),
            "ends_at": local(starts + datetime.timedelta(hours=2)),
            "place": "Salle des fêtes",
            "agenda": "1. Travaux",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == admin_url(council, f"reunions/{meeting.pk}/")
    page = staff.get(response["Location"]).content.decode()
    assert "Le compte rendu se publie une fois la réunion tenue." in page


def test_a_meeting_ending_before_it_starts_is_refused_on_the_end_field(staff, council):
    starts = timezone.now() + datetime.timedelta(days=10)
    response = staff.post(
        admin_url(council, "reunions/"),
        {
            "title": "Séance plénière",
            "starts_at": local(starts),
            "ends_at": local(starts - datetime.timedelta(hours=1)),
            "place": "Salle des fêtes",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_ends_at-error"' in html
    assert "La réunion ne peut pas finir" in html
    assert "avant de commencer" in html
    assert not Meeting.objects.exists()


def test_uploading_minutes_and_recording_attendance(staff, admin, council, media_root):
    joined = timezone.localdate() - datetime.timedelta(days=30)
    anne = services.member_add(
        actor=admin, component=council, role=Role.RESIDENT, name="Anne", joined_on=joined
    )
    paul = services.member_add(
        actor=admin, component=council, role=Role.RESIDENT, name="Paul", joined_on=joined
    )
    meeting = schedule(admin, council, starts_in_hours=-3)
    page = admin_url(council, f"reunions/{meeting.pk}/")
    response = staff.post(f"{page}compte-rendu/", {"minutes-file": upload("cr.pdf", PDF)})
    assert response.status_code == 302
    response = staff.post(
        f"{page}presences/",
        {f"member_{anne.pk}": "present", f"member_{paul.pk}": "excused", "public_attendance": "7"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.has_minutes
    assert meeting.public_attendance == 7
    assert dict(Attendance.objects.values_list("member_id", "status")) == {
        anne.pk: "present",
        paul.pk: "excused",
    }
    html = staff.get(page).content.decode()
    # The recorded answers are ticked again.
    assert re.search(rf'name="member_{paul.pk}" value="excused"[^>]*checked', html)
    assert re.search(rf'name="member_{anne.pk}" value="present"[^>]*checked', html)


def test_a_non_pdf_minutes_file_is_refused_on_the_field_and_not_stored(
    staff, admin, council, media_root
):
    meeting = schedule(admin, council, starts_in_hours=-3)
    response = staff.post(
        admin_url(council, f"reunions/{meeting.pk}/compte-rendu/"),
        {"minutes-file": upload("compte-rendu.pdf", PNG)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_minutes-file-error"' in html
    assert "n&#x27;est pas un PDF" in html
    meeting.refresh_from_db()
    assert not meeting.has_minutes
    assert stored_files(media_root, "ville_a") == []


def test_adding_a_shop_with_its_week(staff, council):
    response = staff.post(
        admin_url(council, "commerces/"),
        {
            "name": "Librairie La Page",
            "address": "21 avenue du Centre",
            "description": "Librairie indépendante.",
            "hours_tue": "10h-19h",
            "hours_sat": "10h-12h30, 14h-19h",
            "latitude": "48,77",
            "longitude": "2,03",
        },
    )
    assert response.status_code == 302
    shop = Shop.objects.get()
    assert shop.opening_hours == {
        "tue": [["10:00", "19:00"]],
        "sat": [["10:00", "12:30"], ["14:00", "19:00"]],
    }
    edit = staff.get(admin_url(council, f"commerces/{shop.pk}/")).content.decode()
    assert 'value="10:00-12:30, 14:00-19:00"' in edit


def test_malformed_opening_hours_are_refused_on_the_day_s_field(staff, council):
    response = staff.post(
        admin_url(council, "commerces/"),
        {"name": "Épicerie", "address": "8 rue", "hours_thu": "9h-12h, 11h-18h"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_hours_thu-error"' in html
    assert "Horaires du jeudi : les plages 09:00-12:00 et 11:00-18:00 se chevauchent." in html
    assert not Shop.objects.exists()


def test_exports_open_in_a_spreadsheet(staff, admin, council):
    schedule(admin, council, starts_in_hours=24, title="=HYPERLINK(1)")
    services.shop_add(
        actor=admin, component=council, name="La Page", address="21 av.", opening_hours={}
    )
    meetings = staff.get(admin_url(council, "reunions.csv"))
    assert meetings["Content-Type"] == "text/csv; charset=utf-8"
    text = meetings.content.decode("utf-8-sig")
    assert text.startswith("réunion;titre;début;fin;lieu")
    assert "'=HYPERLINK(1)" in text
    shops = staff.get(admin_url(council, "commerces.csv")).content.decode("utf-8-sig")
    assert shops.splitlines()[0].startswith("commerce;nom;adresse;présentation courte;lundi;mardi")
    assert ";La Page;21 av.;;fermé;fermé;" in shops


def test_another_town_s_staff_cannot_reach_the_council(council, town_b):
    from django_tenants.utils import tenant_context

    with tenant_context(town_b):
        other_admin = AdminFactory()
    response = logged_in(town_b, other_admin).get(admin_url(council))
    assert response.status_code == 404
