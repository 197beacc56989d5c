"""The secret ballot box's pool holds its ballots encrypted (``sealed``), a sealed box refuses
late online ballots (``SecretBallotSeal``), and no ballot carries its day any more. Ballots
still waiting in the old pool are first moved into the box in random order: none is lost."""

from django.db import migrations, models

MOVE_POOL = """
INSERT INTO participation_secretballot (id, box, choices, receipt, channel, cast_on)
SELECT gen_random_uuid(), box, choices, receipt, channel, cast_on
FROM participation_pendingsecretballot ORDER BY random();
DELETE FROM participation_pendingsecretballot;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0005_secret_ballots"),
    ]

    operations = [
        migrations.RunSQL(MOVE_POOL, migrations.RunSQL.noop),
        migrations.RemoveField(model_name="pendingsecretballot", name="cast_on"),
        migrations.RemoveField(model_name="pendingsecretballot", name="channel"),
        migrations.RemoveField(model_name="pendingsecretballot", name="choices"),
        migrations.RemoveField(model_name="pendingsecretballot", name="receipt"),
        migrations.RemoveField(model_name="secretballot", name="cast_on"),
        migrations.AddField(
            model_name="pendingsecretballot",
            name="sealed",
            field=models.BinaryField(default=b""),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="SecretBallotSeal",
            fields=[
                ("box", models.CharField(max_length=60, primary_key=True, serialize=False)),
            ],
            options={"verbose_name": "urne close"},
        ),
    ]
