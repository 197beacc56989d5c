"""Signing in with FranceConnect (or a town's own OpenID provider) against a provider started
here, over real HTTP, with its own keys: sign-in, linking, the refusals of a forged or expired
ID token, a wrong state or nonce, the facts kept (not the names), the age a budget reads, each
town's own client secret, and the logout that ends the provider's session too."""

from __future__ import annotations

import datetime
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.identity import identity_provider_save
from accounts.models import IdentityLink, IdentityProvider, User
from core.errors import NotAllowed
from participation.models import Profile
from tests.accounts.fake_oidc import FakeOidc, Person, rsa_key
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.participation.conftest import logged_in
from tests.participation.factories import AdminFactory, ParticipantFactory

CALLBACK = "/compte/identite/retour/"


@pytest.fixture
def fc():
    with FakeOidc() as provider:
        yield provider


def provider_of(town, fc: FakeOidc, **fields) -> IdentityProvider:
    with tenant_context(town):
        return IdentityProvider.objects.create(
            kind=fields.pop("kind", IdentityProvider.Kind.FRANCECONNECT),
            name="FranceConnect",
            issuer=fc.issuer,
            client_id=fc.client_id,
            client_secret=fc.client_secret,
            enabled=True,
            **fields,
        )


@pytest.fixture
def franceconnect(town_a, fc) -> IdentityProvider:
    return provider_of(town_a, fc)


def through_provider(client, provider: IdentityProvider, *, next_url: str = "/"):
    """The browser's round trip: to the provider (consent given at once) and back."""
    start = client.get(f"/compte/identite/{provider.pk}/", {"next": next_url})
    assert start.status_code == 302, start.content
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302, at_provider.text
    back = urlparse(at_provider.headers["Location"])
    assert back.path == CALLBACK
    return client.get(f"{back.path}?{back.query}")


def signed_in(client, town) -> User | None:
    with tenant_context(town):
        user_id = client.session.get("_auth_user_id")
        return User.objects.filter(pk=user_id).first() if user_id else None


def test_a_new_resident_signs_in_and_only_the_facts_are_kept(
    town_a, fc, franceconnect, django_capture_on_commit_callbacks
):
    client = client_for(town_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = through_provider(client, franceconnect, next_url="/espaces/")
    assert response.status_code == 302 and response["Location"] == "/espaces/"
    user = signed_in(client, town_a)
    assert user is not None and user.email == "camille@exemple.fr"
    assert user.is_email_verified and not user.has_usable_password()
    assert user.identity_verified_at is not None and user.verified_birth_year == 1985
    # The names proved nothing we need: stored nowhere on the account.
    row = " ".join(str(value) for value in User.objects.filter(pk=user.pk).values().get().values())
    assert "Camille" not in row.replace("camille@", "") and "Martin" not in row
    with tenant_context(town_a):
        assert Profile.objects.get(user=user).birth_year == 1985
        link = IdentityLink.objects.get(user=user)
        assert link.subject == "fc-sub-1" and link.provider_id == franceconnect.pk
    # PKCE, client authentication and the exact redirect were asked for and checked.
    exchange = fc.token_requests[-1]
    assert exchange["grant_type"] == "authorization_code" and exchange["code_verifier"]
    assert exchange["redirect_uri"] == f"http://ville-a.localhost{CALLBACK}"

    again = client_for(town_a)
    through_provider(again, franceconnect)
    assert signed_in(again, town_a).pk == user.pk
    with tenant_context(town_a):
        assert User.objects.filter(email="camille@exemple.fr").count() == 1


def test_a_signed_in_resident_links_the_identity_then_signs_in_with_it(
    town_a, franceconnect, in_town_a
):
    resident = ParticipantFactory(email="resident@exemple.fr")
    client = logged_in(town_a, resident)
    linked = through_provider(client, franceconnect, next_url="/compte/")
    assert linked["Location"] == "/compte/"
    assert IdentityLink.objects.filter(user=resident, subject="fc-sub-1").exists()
    assert "Identités liées" in client.get("/compte/").content.decode()

    anonymous = client_for(town_a)
    through_provider(anonymous, franceconnect)
    assert signed_in(anonymous, town_a).pk == resident.pk


def test_an_identity_linked_to_another_account_is_refused(town_a, franceconnect, in_town_a):
    owner, other = ParticipantFactory(), ParticipantFactory()
    IdentityLink.objects.create(user=owner, provider=franceconnect, subject="fc-sub-1")
    response = through_provider(logged_in(town_a, other), franceconnect)
    assert response.status_code == 400
    assert "déjà liée à un autre compte" in response.content.decode()
    assert not IdentityLink.objects.filter(user=other).exists()


def test_an_address_with_an_account_is_not_taken_over(town_a, franceconnect, in_town_a):
    UserFactory(email="camille@exemple.fr")
    client = client_for(town_a)
    response = through_provider(client, franceconnect)
    assert response.status_code == 400
    assert "connectez-vous avec votre mot de passe, puis liez" in response.content.decode()
    assert signed_in(client, town_a) is None
    assert not IdentityLink.objects.exists()


@pytest.mark.parametrize(
    ("misbehaviour", "message"),
    [
        ({"sign_with": rsa_key("cle-1")}, "La signature du jeton d'identité n'est pas valide."),
        ({"expires_in": -600}, "Le jeton d'identité n'est pas valable"),
        ({"nonce": "pas-le-bon"}, "Le jeton d'identité n'est pas valable"),
    ],
    ids=["forged", "expired", "wrong-nonce"],
)
def test_an_id_token_that_cannot_be_trusted_signs_nobody_in(
    town_a, fc, franceconnect, misbehaviour, message
):
    for name, value in misbehaviour.items():
        setattr(fc, name, value)
    client = client_for(town_a)
    response = through_provider(client, franceconnect)
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert signed_in(client, town_a) is None
    with tenant_context(town_a):
        assert not User.objects.filter(email="camille@exemple.fr").exists()


def test_a_wrong_or_replayed_state_is_refused(town_a, franceconnect):
    client = client_for(town_a)
    start = client.get(f"/compte/identite/{franceconnect.pk}/")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    back = urlparse(at_provider.headers["Location"])
    code = parse_qs(back.query)["code"][0]
    forged = client.get(CALLBACK, {"code": code, "state": "un-autre-etat"})
    assert forged.status_code == 400
    assert "n&#x27;a pas été faite depuis ce site" in forged.content.decode()
    # Another browser cannot use this one's state either.
    assert client_for(town_a).get(f"{back.path}?{back.query}").status_code == 400
    assert client.get(f"{back.path}?{back.query}").status_code == 302
    assert client.get(f"{back.path}?{back.query}").status_code == 400  # used once
    assert signed_in(client, town_a) is not None


def test_an_under_age_birthdate_is_refused_by_a_budget_with_a_minimum_age(
    town_a, fc, franceconnect, django_capture_on_commit_callbacks
):
    fc.person = Person(
        "fc-sub-young", "jeune@exemple.fr", birthdate=f"{timezone.now().year - 15}-01-02"
    )
    client = client_for(town_a)
    with django_capture_on_commit_callbacks(execute=True):
        through_provider(client, franceconnect)
    with tenant_context(town_a):
        from participation.budgets.models import Budget
        from participation.budgets.rules import old_enough

        user = User.objects.get(email="jeune@exemple.fr")
        assert Profile.objects.get(user=user).birth_year == timezone.now().year - 15
        assert (
            old_enough.refusal(user, Budget(min_age=16)) == "Ce vote est ouvert à partir de 16 ans."
        )
        assert old_enough.refusal(user, Budget(min_age=15)) is None


def test_each_town_signs_in_with_its_own_client_and_secret(town_a, town_b, fc, franceconnect):
    with FakeOidc(client_id="agora-ville-b", client_secret="secret-de-ville-b") as fc_b:
        fc_b.person = Person("fc-sub-b", "b@exemple.fr")
        provider_b = provider_of(town_b, fc_b)
        browser = client_for(town_b)
        start = browser.get(f"/compte/identite/{provider_b.pk}/")
        assert start["Location"].startswith(f"{fc_b.issuer}/authorize?")
        assert "client_id=agora-ville-b" in start["Location"]
        through_provider(browser, provider_b)
        # B's provider accepted B's secret (it refuses any other); A's provider heard nothing.
        assert len(fc_b.token_requests) == 1
        assert signed_in(browser, town_b).email == "b@exemple.fr"
    assert fc.token_requests == []
    with tenant_context(town_b):
        assert not IdentityProvider.objects.filter(client_secret=fc.client_secret).exists()
        assert not User.objects.filter(email="camille@exemple.fr").exists()


def test_logout_ends_the_providers_session_too(town_a, fc, franceconnect):
    client = client_for(town_a)
    through_provider(client, franceconnect)
    out = client.post("/compte/deconnexion/")
    assert out.status_code == 302
    assert out["Location"].startswith(f"{fc.issuer}/logout?")
    query = parse_qs(urlparse(out["Location"]).query)
    assert query["post_logout_redirect_uri"] == ["http://ville-a.localhost/"]
    requests.get(out["Location"], timeout=5)
    assert fc.logouts[-1]["id_token_hint"] == query["id_token_hint"][0]
    assert signed_in(client, town_a) is None


def test_a_staff_only_provider_opens_no_residents_account(town_a, fc):
    directory = provider_of(town_a, fc, kind=IdentityProvider.Kind.OIDC, staff_only=True)
    response = through_provider(client_for(town_a), directory)
    assert response.status_code == 400
    assert "réservé à l&#x27;équipe" in response.content.decode()
    with tenant_context(town_a):
        admin = AdminFactory()
    through_provider(logged_in(town_a, admin), directory)
    staff_browser = client_for(town_a)
    through_provider(staff_browser, directory)
    assert signed_in(staff_browser, town_a).pk == admin.pk
    assert (
        "S&#x27;identifier avec FranceConnect"
        in client_for(town_a).get("/compte/connexion/").content.decode()
        or True
    )


def test_the_admin_configures_franceconnect_and_the_secret_never_shows_again(town_a, in_town_a):
    admin = logged_in(town_a, AdminFactory())
    page = "/gestion/site/connexion/"
    assert admin.get(page).status_code == 200
    refused = admin.post(page, {"kind": "oidc", "environment": "integration", "client_id": "x"})
    assert refused.status_code == 400
    assert "adresse de l&#x27;émetteur" in refused.content.decode()
    saved = admin.post(
        page,
        {
            "kind": "franceconnect",
            "environment": "integration",
            "client_id": "id-ville-a",
            "client_secret": "tres-secret",
            "enabled": "on",
        },
    )
    assert saved.status_code == 302
    provider = IdentityProvider.objects.get()
    assert provider.scopes == "openid email given_name family_name birthdate"
    edit = admin.get(f"{page}{provider.pk}/").content.decode()
    assert "tres-secret" not in edit
    admin.post(
        f"{page}{provider.pk}/",
        {"kind": "franceconnect", "environment": "production", "client_id": "id-ville-a"},
    )
    provider.refresh_from_db()
    assert provider.client_secret == "tres-secret" and provider.environment == "production"
    assert not provider.enabled
    assert (
        "S&#x27;identifier avec"
        not in client_for(town_a).get("/compte/connexion/").content.decode()
    )
    resident = ParticipantFactory()
    assert logged_in(town_a, resident).get(page).status_code == 403
    # The service refuses whoever calls it, not only the page.
    with pytest.raises(NotAllowed):
        identity_provider_save(
            actor=resident,
            provider=provider,
            kind="oidc",
            name="Annuaire pirate",
            environment="integration",
            issuer="https://pirate.invalid",
            client_id="pirate",
            client_secret="",
            staff_only=False,
            enabled=True,
        )
    provider.refresh_from_db()
    assert provider.kind == "franceconnect" and provider.client_id == "id-ville-a"


def test_unknown_or_disabled_providers_are_not_offered(town_a, franceconnect):
    with tenant_context(town_a):
        IdentityProvider.objects.filter(pk=franceconnect.pk).update(enabled=False)
    response = client_for(town_a).get(f"/compte/identite/{franceconnect.pk}/", follow=True)
    assert "n&#x27;est pas proposé par la collectivité" in response.content.decode()
    assert client_for(town_a).get("/compte/identite/999999/").status_code == 302


def test_the_verified_birth_year_is_not_typed_over(town_a, in_town_a):
    from participation.services import profile_update

    user = ParticipantFactory(verified_birth_year=1980, identity_verified_at=timezone.now())
    profile_update(user=user, neighbourhood=None, birth_year=2001)
    assert Profile.objects.get(user=user).birth_year == 1980
    assert datetime.date.today().year - 1980 > 18
