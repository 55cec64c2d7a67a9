import getpass
import os

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from municipalities.models import Role
from municipalities.services import ProvisioningError, user_provision


class Command(BaseCommand):
    help = "Maak of wijzig een account met een rol (wachtwoord uit USER_PASSWORD of gevraagd)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--municipality", help="CBS-code, bijvoorbeeld GM0153")
        parser.add_argument("--region", help="veiligheidsregio, bijvoorbeeld VR05")
        parser.add_argument("--email", help="e-mailadres voor herinneringen en overzichten")

    def handle(self, *args, username, role, municipality, region, email, **options):
        password = os.environ.get("USER_PASSWORD")
        if not password:
            if not options.get("interactive", True) or not os.isatty(0):
                raise CommandError(_("Geen wachtwoord: zet USER_PASSWORD of start interactief."))
            password = getpass.getpass(_("Wachtwoord: "))
            if password != getpass.getpass(_("Wachtwoord (nogmaals): ")):
                raise CommandError(_("De wachtwoorden komen niet overeen."))
        try:
            user = user_provision(
                username=username,
                role=role,
                password=password,
                municipality_code=municipality,
                region_code=region,
                email=email,
            )
        except ProvisioningError as exc:
            raise CommandError(str(exc)) from exc
        scope = user.membership.municipality or user.membership.safety_region
        self.stdout.write(self.style.SUCCESS(f"Account {username} ({role}, {scope}) opgeslagen."))
