from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import urlencode

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
            raise CommandError("Demodata alleen met DEBUG aan: nooit in productie.")
        try:
            result = demo_load()
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demodata geladen: {result.locations} locaties ({result.locations_created} "
                f"nieuw, {result.locations_changed} gewijzigd, {result.locations_deleted} "
                f"verwijderd), {result.reports} meldingen ({result.reports_created} nieuw, "
                f"{result.reports_changed} gewijzigd, {result.reports_deleted} verwijderd)."
            )
        )
        base = base_url.rstrip("/")
        self.stdout.write(f"Inloggen: {base}{resolve_url(settings.LOGIN_URL)}")
        if result.latest_report is not None:
            picture = f"{reverse('home')}?{urlencode({'date': result.latest_report.isoformat()})}"
            self.stdout.write(
                f"Regionaal beeld op de laatste meldingen ({result.latest_report:%d-%m-%Y}): "
                f"{base}{picture}"
            )
