# The audit log moves here from onboarding with its table and its rows: this migration only
# takes the model over in Django's state (onboarding 0003 lets go of it), and renames the
# model's content type so that permissions granted on it still apply.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_type_to_console(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label="onboarding", model="auditentry"
    ).update(app_label="console")


def content_type_to_onboarding(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label="console", model="auditentry"
    ).update(app_label="onboarding")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        # The table is created there.
        ("onboarding", "0002_onboardingjob_townexport"),
        ("tenants", "0002_spareschema"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="le")),
                        ("actor_email", models.CharField(blank=True, max_length=254, verbose_name="compte")),
                        ("action", models.CharField(db_index=True, max_length=80, verbose_name="action")),
                        ("town_name", models.CharField(blank=True, max_length=200, verbose_name="nom de la collectivité")),
                        ("details", models.JSONField(blank=True, default=dict, verbose_name="détails")),
                        ("ip_address", models.GenericIPAddressField(blank=True, null=True, verbose_name="adresse IP")),
                        ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="par")),
                        ("town", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="audit_entries", to="tenants.tenant", verbose_name="collectivité")),
                    ],
                    options={
                        "verbose_name": "entrée du journal d'audit",
                        "ordering": ["-at", "-pk"],
                        "db_table": "onboarding_auditentry",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_console, content_type_to_onboarding),
    ]
