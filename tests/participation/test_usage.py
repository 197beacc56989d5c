"""The usage snapshot (hourly): what the vendor console shows of each town."""

import datetime

from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import User
from participation.comments.models import Comment
from participation.comments.services import comment_add
from participation.news.models import NewsPost
from participation.usage.services import usage_snapshot_take
from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory
from tests.participation.factories import ParticipantFactory, PhaseFactory


def test_snapshot_counts_contributions_of_the_last_30_days_and_the_last_admin_login(town_a):
    with tenant_context(town_a):
        phase = PhaseFactory(component__title="Actualités")
        post = NewsPost.objects.create(
            component=phase.component, title="Travaux", body="Lundi.", published_at=timezone.now()
        )
        citizen = ParticipantFactory()
        recent = comment_add(author=citizen, item=post, body="Bien")
        old = comment_add(author=citizen, item=post, body="Ancien")
        Comment.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=31)
        )
        never = usage_snapshot_take()
        assert never.contributions_30d == 1
        assert never.last_admin_login_at is None

        seen = timezone.now() - datetime.timedelta(days=2)
        UserFactory(role=User.Role.ADMIN, last_login=seen - datetime.timedelta(days=5))
        UserFactory(role=User.Role.ADMIN, last_login=seen)
        # A citizen's login is not an admin's.
        UserFactory(last_login=timezone.now())
        comment_add(author=citizen, item=post, body="Encore", parent=recent)

        snapshot = usage_snapshot_take()

    assert snapshot.contributions_30d == 2
    assert snapshot.last_admin_login_at == seen
    assert snapshot.registered_percent == 100 * 2 / 20_000


def test_an_admins_sign_in_reaches_the_snapshot_of_the_hour(town_a, settings):
    """The console's « dernière connexion admin » is at most an hour old: beat takes each
    town's snapshot every hour, and a later snapshot of the day updates the day's row."""
    schedule = settings.CELERY_BEAT_SCHEDULE["usage-snapshot-hourly"]
    assert schedule["args"] == ("usage.snapshot_take",)
    assert schedule["schedule"].hour == set(range(24))
    with tenant_context(town_a):
        admin = UserFactory(role=User.Role.ADMIN)
        morning = usage_snapshot_take()
        assert morning.last_admin_login_at is None
    client = client_for(town_a)
    signed_in = client.post("/compte/connexion/", {"username": admin.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    with tenant_context(town_a):
        later = usage_snapshot_take()
        assert later.pk == morning.pk  # the day's row, updated
        admin.refresh_from_db()
        assert later.last_admin_login_at == admin.last_login is not None
