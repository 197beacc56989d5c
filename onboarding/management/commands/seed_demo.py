from django.core.management.base import BaseCommand

from onboarding.demo import demo_seed


class Command(BaseCommand):
    help = "Crée une seule fois la console de démonstration et les trois collectivités de démo."

    def handle(self, *args, **options):
        for line in demo_seed():
            self.stdout.write(line)
