import factory
from django.contrib.auth.hashers import make_password

from accounts.models import User

PASSWORD = "Un-mot-de-passe-de-test-2026"
# Argon2 is deliberately slow: hash the test password once for the whole session.
_PASSWORD_HASH = make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    """An account in the current schema (wrap calls in tenant_context for a town)."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"habitant{n}@exemple.fr")
    display_name = factory.Faker("first_name", locale="fr_FR")
    password = factory.LazyFunction(lambda: _PASSWORD_HASH)
    role = User.Role.CITIZEN
    email_verified_at = factory.Faker("past_datetime", tzinfo=__import__("datetime").UTC)


def api_key_for(user: User) -> str:
    """A new API key of ``user`` in the current schema (only its hash is stored)."""
    from accounts.services import api_token_create

    return api_token_create(user=user)[1]
