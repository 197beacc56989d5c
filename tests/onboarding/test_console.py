"""The vendor console on the platform's own host, and the demo seed."""

from __future__ import annotations

import html

from django.contrib.auth import authenticate
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from accounts.models import User
from onboarding.demo import DEMO_TOWNS, VENDOR_STAFF, demo_seed
from onboarding.models import AuditEntry
from participation.comments.models import Comment
from participation.documents.models import Document
from participation.models import Space
from participation.news.models import NewsPost
from participation.polls.models import Poll
from participation.surveys.models import Survey
from tenants.models import Tenant
from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory
from tests.onboarding.helpers import totp_now

LOGIN = "/compte/connexion/"
BAD_LOGIN = "Adresse e-mail ou mot de passe incorrect."


def _console() -> Client:
    return Client(HTTP_HOST="localhost")


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _public_account(**fields) -> User:
    with schema_context(get_public_schema_name()):
        return UserFactory(**fields)


def _login(client: Client, email: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": email, "password": password})


def test_anonymous_visitor_is_sent_to_the_console_login(platform):
    response = _console().get("/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    login_page = _console().get(response["Location"])
    assert login_page.status_code == 200
    assert "Se connecter" in _text(login_page)


def test_citizen_of_a_town_cannot_sign_in_to_the_console(platform, town_a):
    with tenant_context(town_a):
        UserFactory(email="habitant@exemple.fr")
    client = _console()

    response = _login(client, "habitant@exemple.fr")

    assert response.status_code == 200
    assert BAD_LOGIN in _text(response)
    assert "_auth_user_id" not in response.wsgi_request.session
    assert client.get("/").status_code == 302


def test_town_admin_cannot_sign_in_to_the_console(platform, town_a):
    with tenant_context(town_a):
        UserFactory(email="maire@ville-a.fr", role=User.Role.ADMIN)

    response = _login(_console(), "maire@ville-a.fr")

    assert response.status_code == 200
    assert BAD_LOGIN in _text(response)


def test_vendor_staff_enrols_a_totp_device_then_sees_every_town(platform, town_a, town_b):
    staff = _public_account(email="equipe@agora.test", role=User.Role.VENDOR_STAFF)
    client = _console()

    signed_in = _login(client, "Equipe@Agora.test")
    assert signed_in.status_code == 302
    # A password alone opens nothing: the console asks for a second factor first.
    enrol = client.get("/", follow=True)
    assert enrol.redirect_chain[-1][0].startswith("/double-authentification/activer/")
    assert "<svg" in enrol.content.decode()

    token = totp_now(TOTPDevice.objects.get(user=staff))
    response = client.post(enrol.redirect_chain[-1][0], {"token": token}, follow=True)

    assert response.status_code == 200
    text = _text(response)
    assert "Collectivités" in text
    for town in (town_a, town_b):
        row = text.split(f">{town.name}</a>", 1)
        assert len(row) == 2, town.name
        assert f"{town.slug}.localhost" in row[1].split("</tr>", 1)[0]
    assert "Actif" in text
    # The platform's own row is not a town.
    assert ">Agora</a>" not in text
    assert TOTPDevice.objects.get(user=staff).confirmed
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["console.otp_enrolled"]


def test_vendor_staff_of_the_console_has_no_account_in_a_town(platform, town_a):
    _public_account(email="equipe@agora.test", role=User.Role.VENDOR_STAFF)
    from tests.conftest import client_for

    response = _login(client_for(town_a), "equipe@agora.test")

    assert response.status_code == 200
    assert BAD_LOGIN in _text(response)


def test_public_account_without_the_vendor_role_is_sent_to_login(platform):
    _public_account(email="stagiaire@agora.test", role=User.Role.CITIZEN)
    client = _console()
    assert _login(client, "stagiaire@agora.test").status_code == 302

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    # The login page is shown (to sign in with another account), not bounced back to "/".
    login_page = client.get(response["Location"])
    assert login_page.status_code == 200
    assert "Collectivités" not in _text(login_page)


def test_console_login_page_has_no_town_links(platform):
    text = _text(_console().get(LOGIN))

    assert "/compte/inscription/" not in text
    assert "/compte/mot-de-passe/oublie/" not in text


def _demo_accounts() -> dict[str, list[tuple[str, str]]]:
    found = {}
    with schema_context(get_public_schema_name()):
        found["public"] = sorted(User.objects.values_list("email", "role"))
    for demo in DEMO_TOWNS:
        with tenant_context(Tenant.objects.get(slug=demo.slug)):
            found[demo.slug] = sorted(User.objects.values_list("email", "role"))
    return found


def test_demo_seed_is_idempotent_and_prints_every_url_and_login(platform):
    first = demo_seed()
    tenants_after_first = sorted(Tenant.objects.values_list("slug", "schema_name"))
    accounts_after_first = _demo_accounts()

    second = demo_seed()

    assert second == first
    assert sorted(Tenant.objects.values_list("slug", "schema_name")) == tenants_after_first
    assert _demo_accounts() == accounts_after_first

    text = "\n".join(first)
    email, password, _name = VENDOR_STAFF
    assert "http://localhost/" in text
    assert f"{email} / {password}" in text
    assert (email, User.Role.VENDOR_STAFF) in accounts_after_first["public"]
    for demo in DEMO_TOWNS:
        tenant = Tenant.objects.get(slug=demo.slug)
        assert tenant.status == Tenant.Status.ACTIVE
        assert tenant.name == demo.name
        assert f"http://{demo.slug}.localhost/" in text
        assert f"{demo.admin_email} / {demo.admin_password}" in text
        assert f"{demo.citizen_email} / {demo.citizen_password}" in text
        assert accounts_after_first[demo.slug] == sorted(
            [
                (demo.admin_email, User.Role.ADMIN),
                (demo.citizen_email, User.Role.CITIZEN),
                (demo.neighbour_email, User.Role.CITIZEN),
            ]
        )
        # The printed logins work, each in its own town only.
        with tenant_context(tenant):
            assert authenticate(username=demo.admin_email, password=demo.admin_password)
            assert authenticate(username=demo.citizen_email, password=demo.citizen_password)
            assert authenticate(username=email, password=password) is None
    with schema_context(get_public_schema_name()):
        assert authenticate(username=email, password=password).is_vendor_staff
    assert len(first) == 1 + len(DEMO_TOWNS)


def test_demo_towns_show_real_content(platform):
    demo_seed()
    for demo in DEMO_TOWNS:
        with tenant_context(Tenant.objects.get(slug=demo.slug)):
            spaces = {
                space.kind: sorted(c.type_key for c in space.components.all())
                for space in Space.objects.filter(status=Space.Status.PUBLISHED)
            }
            assert spaces == {
                Space.Kind.CONSULTATION: ["polls", "surveys"],
                Space.Kind.NEIGHBOURHOOD_COUNCIL: ["documents", "news"],
            }
            assert Survey.objects.get().sections.count() >= 2
            assert Poll.objects.get().choices.count() >= 2
            assert NewsPost.objects.count() >= 2
            assert Document.objects.count() >= 1
            assert Comment.objects.filter(is_official=True).count() == 1
            assert Comment.objects.filter(parent__isnull=True).count() == 2
        page = client_for(Tenant.objects.get(slug=demo.slug)).get("/")
        assert "Mobilités douces en centre-ville" in page.content.decode()


def test_demo_seed_fills_the_console_once(platform, settings):
    from billing.models import Invoice, Plan, Subscription
    from onboarding.training.models import TrainingInvitee
    from participation.usage.models import UsageSnapshot

    settings.STRIPE_SECRET_KEY = ""
    demo_seed()
    demo_seed()

    assert sorted(Plan.objects.values_list("code", flat=True)) == ["commune", "commune-budget"]
    subscription = Subscription.objects.get()
    assert subscription.tenant.slug == "montigny"
    assert subscription.mode == Subscription.Mode.MANUAL
    # The first year's invoice, then the prorated one for two neighbourhood-council spaces.
    assert Invoice.objects.filter(subscription=subscription).count() == 2
    assert TrainingInvitee.objects.filter(session__town__slug="montigny").count() == 3
    for demo in DEMO_TOWNS:
        with tenant_context(Tenant.objects.get(slug=demo.slug)):
            assert UsageSnapshot.objects.count() == 1


def test_demo_seed_never_subscribes_in_a_real_stripe_account(platform, settings):
    from billing.models import Subscription

    settings.STRIPE_SECRET_KEY = "sk_live_pas_pour_la_demo"
    demo_seed()

    assert not Subscription.objects.exists()
