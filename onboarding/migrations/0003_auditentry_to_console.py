# The audit log now belongs to the console (console 0001 took the model and kept its table):
# onboarding lets go of it in Django's state only, so no row is lost.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("console", "0001_initial"),
        ("onboarding", "0002_onboardingjob_townexport"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEntry")],
            database_operations=[],
        ),
    ]
