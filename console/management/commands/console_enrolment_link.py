from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_public_schema_name, schema_context

from accounts.models import User
from console.enrolment import enrolment_link_create
from core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Affiche un lien à usage unique pour activer la double authentification d'un compte "
        "de l'équipe Agora (le premier compte de la console, ou un compte sans collègue)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="adresse e-mail du compte de l'équipe")

    def handle(self, *args, email: str, **options):
        with schema_context(get_public_schema_name()):
            user = User.objects.filter(email__iexact=email.strip()).first()
            if user is None:
                raise CommandError(f"Aucun compte de l'équipe n'a l'adresse « {email} ».")
            try:
                link = enrolment_link_create(user=user)
            except ApplicationError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(link)
