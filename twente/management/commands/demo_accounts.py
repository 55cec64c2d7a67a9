import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from municipalities.services import user_provision

DEMO_ACCOUNTS = [
    ("coordinator", "coordinator", None),
    ("projectleider", "project_leader", "GM0153"),
    ("secretaris", "secretary", None),
    ("provincie", "provincial_reader", None),
]


class Command(BaseCommand):
    help = "Maak demo-accounts (één per rol) voor een ontwikkelinstallatie; nooit in productie."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="nieuwe wachtwoorden uitdelen")

    def handle(self, *args, reset, **options):
        if not settings.DEBUG:
            raise CommandError(_("Demo-accounts alleen met DEBUG aan: nooit in productie."))
        User = get_user_model()
        made = []
        for username, role, municipality in DEMO_ACCOUNTS:
            if User.objects.filter(username=username).exists() and not reset:
                continue
            password = f"demo-{secrets.token_urlsafe(9)}"
            user_provision(
                username=username,
                role=role,
                password=password,
                municipality_code=municipality,
                # Reserved for examples (RFC 2606): the console backend prints the mail.
                email=f"{username}@opvang-twente.example",
            )
            made.append((username, role, municipality or settings.HOME_REGION, password))
        if not made:
            self.stdout.write(_("Demo-accounts bestaan al (nieuwe wachtwoorden: --reset)."))
            return
        self.stdout.write(
            self.style.WARNING(_("Demo-accounts (alleen voor deze ontwikkelinstallatie):"))
        )
        for username, role, scope, password in made:
            self.stdout.write(
                f"  {username:<14} {role:<18} {scope:<7} "
                + _("wachtwoord: %(password)s") % {"password": password}
            )
        if not settings.TWO_FACTOR_BYPASS:
            self.stdout.write(
                _(
                    "Coördinator en secretaris stellen bij hun eerste login "
                    "tweestapsverificatie in (een authenticator-app). Demo zonder: "
                    "TWO_FACTOR_BYPASS=true make run."
                )
            )
