"""The keys of rest_framework.authtoken (kept in clear) become hashed accounts.ApiToken rows,
valid API_TOKEN_LIFETIME_DAYS days from now, and the old table is dropped: the app is no
longer installed. Runs in every schema (migrate_schemas); where the table never existed (the
public schema, a new database) there is nothing to do."""

import datetime
import hashlib

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def _has_authtoken_table(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_name = 'authtoken_token'"
        )
        return cursor.fetchone() is not None


def move_keys(apps, schema_editor):
    if not _has_authtoken_table(schema_editor):
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT key, user_id, created FROM authtoken_token")
        rows = cursor.fetchall()
    expires_at = timezone.now() + datetime.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=user_id,
            name="Jeton d'avant le hachage",
            prefix=key[:8],
            key_hash=hashlib.sha256(key.encode()).hexdigest(),
            created_at=created,
            expires_at=expires_at,
        )
        for key, user_id, created in rows
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TABLE authtoken_token")
        cursor.execute("DELETE FROM django_migrations WHERE app = 'authtoken'")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_api_token")]

    operations = [migrations.RunPython(move_keys, migrations.RunPython.noop)]
