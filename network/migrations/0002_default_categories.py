"""The forum's first categories (the vendor's moderators may rename them in the admin later)."""

from django.db import migrations

CATEGORIES = [
    ("participation", "Participation citoyenne", "Concertations, appels à idées, conseils de quartier : ce qui marche, ce qui coince."),
    ("budget-participatif", "Budget participatif", "Règlement, calendrier, analyse des projets, vote et suivi."),
    ("communication", "Communication et mobilisation", "Faire connaître la plateforme, toucher tous les publics."),
    ("plateforme", "Utiliser Agora", "Questions sur les fonctions de la plateforme, astuces, demandes."),
    ("vie-du-reseau", "Vie du réseau", "Présentations, rencontres, formations entre collectivités."),
]


def create(apps, schema_editor):
    if schema_editor.connection.schema_name != "public":
        return
    Category = apps.get_model("network", "Category")
    for position, (slug, name, description) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
