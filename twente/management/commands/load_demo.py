from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from twente.demo.load import DemoDataError, demo_load


class Command(BaseCommand):
    help = (
        "Laad de demo-historie van Twente (maart 2022 tot januari 2024) over de referentiedata; "
        "alleen met DEBUG aan, veilig om opnieuw te draaien."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="adres van de server, voor de links aan het eind (standaard %(default)s)",
        )

    def handle(self, *args, base_url, **options):
        if not settings.DEBUG:
            raise CommandError(_("Demodata alleen met DEBUG aan: nooit in productie."))
        try:
            result = demo_load()
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demodata geladen: %(locations)s locaties (%(locations_created)s "
                    "nieuw, %(locations_changed)s gewijzigd, %(locations_deleted)s "
                    "verwijderd), %(reports)s meldingen (%(reports_created)s nieuw, "
                    "%(reports_changed)s gewijzigd, %(reports_deleted)s verwijderd)."
                )
                % {
                    "locations": result.locations,
                    "locations_created": result.locations_created,
                    "locations_changed": result.locations_changed,
                    "locations_deleted": result.locations_deleted,
                    "reports": result.reports,
                    "reports_created": result.reports_created,
                    "reports_changed": result.reports_changed,
                    "reports_deleted": result.reports_deleted,
                }
            )
        )
        base = base_url.rstrip("/")
        self.stdout.write(
            _("Inloggen: %(base)s%(path)s")
            % {"base": base, "path": resolve_url(settings.LOGIN_URL)}
        )
        if result.latest_report is not None:
            picture = f"{reverse('home')}?{urlencode({'date': result.latest_report.isoformat()})}"
            self.stdout.write(
                _(
                    "Regionaal beeld op de laatste meldingen (%(latest_report)s): "
                    "%(base)s%(picture)s"
                )
                % {
                    "latest_report": format(result.latest_report, "%d-%m-%Y"),
                    "base": base,
                    "picture": picture,
                }
            )
