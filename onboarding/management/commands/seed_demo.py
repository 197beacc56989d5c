from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import get_public_schema_name, schema_context

from accounts.models import User
from console.enrolment import enrolment_link_create
from onboarding.demo import VENDOR_STAFF, demo_seed


def _production() -> bool:
    return not settings.DEBUG and settings.SETTINGS_MODULE.endswith(".production")


class Command(BaseCommand):
    help = "Crée une seule fois la console de démonstration et les trois collectivités de démo."

    def handle(self, *args, **options):
        # The demo's accounts have published passwords: never on a real platform.
        if _production():
            raise CommandError(
                "seed_demo refuse de s'exécuter avec les réglages de production : ses comptes "
                "de démonstration ont des mots de passe publiés."
            )
        for line in demo_seed():
            self.stdout.write(line)
        with schema_context(get_public_schema_name()):
            staff = User.objects.get(email=VENDOR_STAFF[0])
            if not TOTPDevice.objects.filter(user=staff, confirmed=True).exists():
                self.stdout.write(
                    "Double authentification de la console : connectez-vous, puis ouvrez ce "
                    f"lien (à usage unique) : {enrolment_link_create(user=staff)}"
                )
