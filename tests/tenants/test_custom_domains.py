"""A town's custom domain: asked for in the back office, proven by DNS (a CNAME and a TXT token
looked up on a local DNS server speaking the real protocol), then served, preferred, removed;
and the question Caddy asks before getting a certificate."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context, tenant_context

from core.errors import Conflict, Invalid, NotAllowed
from tenants import domains
from tenants.models import Domain
from tenants.tasks import custom_domain_check_task
from tests.conftest import client_for
from tests.participation.conftest import logged_in
from tests.participation.factories import AdminFactory, ParticipantFactory
from tests.tenants.fake_dns import FakeDns

NAME = "participez.ville-a.fr"


@pytest.fixture
def fake_dns(settings):
    with FakeDns() as server:
        settings.DNS_RESOLVER = server.address
        yield server


@pytest.fixture
def admin_a(in_town_a):
    """Town A's administrator; the test runs in town A's schema, where its roles are."""
    return AdminFactory()


def other_towns_domain(town_b, name: str) -> Domain:
    with tenant_context(town_b):
        return domains.custom_domain_request(actor=AdminFactory(), tenant=town_b, domain=name)


@pytest.fixture
def asked(town_a, admin_a) -> Domain:
    return domains.custom_domain_request(
        actor=admin_a, tenant=town_a, domain=" Participez.Ville-A.fr. "
    )


def records_created(server: FakeDns, domain: Domain, *, token: str | None = None) -> None:
    cname, txt = domains.dns_records(domain)
    server.set(cname.name, "CNAME", cname.value)
    server.set(txt.name, "TXT", "v=spf1 -all", token or txt.value)


def test_the_records_to_create_name_the_towns_host_and_a_token_of_its_own(asked, town_a, admin_a):
    cname, txt = domains.dns_records(asked)
    assert asked.domain == NAME  # trimmed, lower case, no final dot
    assert (cname.kind, cname.name, cname.value) == ("CNAME", NAME, "ville-a.localhost")
    assert (txt.kind, txt.name) == ("TXT", f"_agora.{NAME}")
    assert txt.value == f"agora-verification={asked.verification_token}"
    assert len(asked.verification_token) == 32
    other = domains.custom_domain_request(actor=admin_a, tenant=town_a, domain="www.ville-a.fr")
    assert other.verification_token != asked.verification_token
    assert not asked.is_primary and asked.verified_at is None


def test_a_wrong_token_fails_with_what_is_wrong_and_the_right_one_verifies(fake_dns, asked):
    records_created(fake_dns, asked, token="agora-verification=not-the-one")
    with pytest.raises(Invalid, match="ne contient pas le jeton attendu"):
        domains.custom_domain_verify(domain=asked)
    asked.refresh_from_db()
    assert asked.verified_at is None
    assert "ne contient pas le jeton attendu" in asked.last_check_error
    assert asked.last_checked_at is not None

    records_created(fake_dns, asked)
    domains.custom_domain_verify(domain=asked)
    asked.refresh_from_db()
    assert asked.verified_at is not None and asked.last_check_error == ""
    assert (f"_agora.{NAME}", "TXT") in fake_dns.questions


def test_missing_records_and_a_cname_elsewhere_are_each_named(fake_dns, asked):
    with pytest.raises(Invalid) as missing:
        domains.custom_domain_verify(domain=asked)
    assert "Aucun enregistrement TXT" in str(missing.value)
    assert "Aucun enregistrement CNAME" in str(missing.value)
    records_created(fake_dns, asked)
    fake_dns.set(NAME, "CNAME", "ailleurs.example.net")
    with pytest.raises(Invalid, match=r"pointe vers « ailleurs\.example\.net »"):
        domains.custom_domain_verify(domain=asked)


@pytest.mark.parametrize(
    ("name", "refusal"),
    [
        ("pas un domaine", Invalid),
        ("localhost", Invalid),
        ("ville-b.localhost", Invalid),
        ("ville-b.localhost.", Invalid),
    ],
)
def test_names_that_are_not_the_towns_to_claim_are_refused(town_a, name, refusal, admin_a):
    with pytest.raises(refusal):
        domains.custom_domain_request(actor=admin_a, tenant=town_a, domain=name)
    assert not Domain.objects.filter(tenant=town_a, is_custom=True).exists()


def test_a_domain_of_another_town_or_asked_twice_is_refused(town_a, town_b, asked, admin_a):
    with pytest.raises(Conflict, match="une autre collectivité"):
        other_towns_domain(town_b, NAME)
    with pytest.raises(Conflict, match="déjà demandé"):
        domains.custom_domain_request(actor=admin_a, tenant=town_a, domain=NAME.upper())
    assert Domain.objects.filter(domain=NAME).count() == 1


def test_a_town_keeps_a_handful_of_domains(town_a, admin_a):
    for index in range(domains.MAX_CUSTOM_DOMAINS):
        domains.custom_domain_request(actor=admin_a, tenant=town_a, domain=f"d{index}.ville-a.fr")
    with pytest.raises(Invalid, match="au plus 5"):
        domains.custom_domain_request(actor=admin_a, tenant=town_a, domain="one-more.ville-a.fr")


def test_the_domain_is_served_only_once_verified(fake_dns, asked, town_a):
    visitor = Client(HTTP_HOST=NAME)
    assert visitor.get("/").status_code == 404
    records_created(fake_dns, asked)
    assert custom_domain_check_task(asked.pk) is True
    assert visitor.get("/").status_code == 200
    assert custom_domain_check_task(asked.pk) is False  # already verified: nothing to do


def test_beat_verifies_the_domains_whose_records_appeared(fake_dns, asked, town_a, admin_a):
    pending = domains.custom_domain_request(actor=admin_a, tenant=town_a, domain="www.ville-a.fr")
    records_created(fake_dns, asked)
    assert domains.custom_domains_pending_check() == 1
    asked.refresh_from_db()
    pending.refresh_from_db()
    assert asked.verified_at is not None
    assert pending.verified_at is None and "Aucun enregistrement" in pending.last_check_error


def test_the_preferred_domain_takes_the_reads_of_the_towns_other_names(
    fake_dns, asked, town_a, admin_a
):
    with pytest.raises(Invalid, match="vérifié avant"):
        domains.domain_prefer(actor=admin_a, domain=asked)
    records_created(fake_dns, asked)
    domains.custom_domain_verify(domain=asked)
    domains.domain_prefer(actor=admin_a, domain=asked)
    assert town_a.get_primary_domain().domain == NAME

    on_platform_name = client_for(town_a)
    response = on_platform_name.get("/espaces/?page=2")
    assert response.status_code == 302
    assert response["Location"] == f"http://{NAME}/espaces/?page=2"
    # Neither a form's POST, the API nor the probe is sent away.
    assert on_platform_name.post("/compte/connexion/", {}).status_code != 302
    assert on_platform_name.get("/api/v1/").status_code != 302
    assert on_platform_name.get("/healthz").status_code == 200
    assert Client(HTTP_HOST=NAME).get("/").status_code == 200

    domains.custom_domain_remove(actor=admin_a, domain=asked)
    assert town_a.get_primary_domain().domain == "ville-a.localhost"
    assert client_for(town_a).get("/").status_code == 200
    assert Client(HTTP_HOST=NAME).get("/").status_code == 404


def test_only_the_towns_admins_ask_for_prefer_or_remove_a_domain(asked, town_a, admin_a):
    resident = ParticipantFactory()
    for refused in (
        lambda: domains.custom_domain_request(actor=resident, tenant=town_a, domain="x.ville-a.fr"),
        lambda: domains.domain_prefer(actor=resident, domain=asked),
        lambda: domains.custom_domain_remove(actor=resident, domain=asked),
    ):
        with pytest.raises(NotAllowed):
            refused()
    assert list(Domain.objects.filter(tenant=town_a, is_custom=True)) == [asked]
    assert not Domain.objects.get(pk=asked.pk).is_primary


def test_the_platform_name_cannot_be_removed(town_a, admin_a):
    with pytest.raises(Invalid):
        domains.custom_domain_remove(actor=admin_a, domain=town_a.get_primary_domain())


def test_certificates_are_allowed_only_for_names_we_serve(fake_dns, asked, platform):
    def allowed(name: str) -> int:
        return client_for(platform).get("/tls/autorise/", {"domain": name}).status_code

    assert allowed(NAME) == 404  # asked, not verified
    assert allowed("ville-a.localhost") == 200
    assert allowed("inconnu.example.net") == 404
    assert allowed("") == 404
    records_created(fake_dns, asked)
    domains.custom_domain_verify(domain=asked)
    assert allowed(NAME.upper()) == 200


# The back office


def test_the_admin_asks_reads_the_records_and_verifies_from_the_page(fake_dns, town_a):
    with schema_context(town_a.schema_name):
        admin = logged_in(town_a, AdminFactory())
    page = admin.post("/gestion/site/domaines/", {"domain": NAME}, follow=True)
    text = page.content.decode()
    asked = Domain.objects.get(domain=NAME)
    assert "créez les enregistrements DNS" in text
    assert f"agora-verification={asked.verification_token}" in text
    assert "ville-a.localhost" in text

    verify = f"/gestion/site/domaines/{asked.pk}/verifier/"
    failed = admin.post(verify, follow=True).content.decode()
    assert "Aucun enregistrement TXT" in failed
    records_created(fake_dns, asked)
    done = admin.post(verify, follow=True).content.decode()
    assert "Domaine vérifié" in done
    admin.post(f"/gestion/site/domaines/{asked.pk}/principal/")
    asked.refresh_from_db()
    assert asked.is_primary


def test_bad_names_are_explained_on_the_form(town_a, town_b):
    other_towns_domain(town_b, "pris.ville-b.fr")
    with schema_context(town_a.schema_name):
        admin = logged_in(town_a, AdminFactory())
    for name, message in [
        ("pas un domaine", "n&#x27;est pas un nom de domaine valide"),
        ("pris.ville-b.fr", "déjà utilisé par une autre collectivité"),
        ("ville-a.localhost", "appartient à la plateforme"),
    ]:
        response = admin.post("/gestion/site/domaines/", {"domain": name})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not Domain.objects.filter(tenant=town_a, is_custom=True).exists()


def test_a_town_acts_only_on_its_own_domains(town_a, town_b):
    theirs = other_towns_domain(town_b, "www.ville-b.fr")
    with schema_context(town_a.schema_name):
        admin = logged_in(town_a, AdminFactory())
    response = admin.post(f"/gestion/site/domaines/{theirs.pk}/supprimer/", follow=True)
    assert "Ce domaine n&#x27;existe pas." in response.content.decode()
    assert Domain.objects.filter(pk=theirs.pk).exists()


def test_residents_do_not_reach_the_domains_page(town_a):
    with schema_context(town_a.schema_name):
        resident = logged_in(town_a, ParticipantFactory())
    assert resident.get("/gestion/site/domaines/").status_code == 403
    assert client_for(town_a).get("/gestion/site/domaines/").status_code == 302
