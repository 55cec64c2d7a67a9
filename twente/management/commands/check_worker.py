from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from twente.tasks import worker_ping


class Command(BaseCommand):
    help = "Stuur een taak naar de Celery-worker en wacht op het antwoord."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10.0)

    def handle(self, *args, timeout, **options):
        if settings.CELERY_TASK_ALWAYS_EAGER:
            self.stdout.write(_("Geen REDIS_URL: taken draaien direct in dit proces (eager)."))
        try:
            result = worker_ping.delay().get(timeout=timeout)
        except CeleryTimeout as exc:
            raise CommandError(
                _("Geen antwoord van een worker binnen %(timeout)s s.")
                % {"timeout": format(timeout, "g")}
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Worker antwoordt (%(result)s gemeenten in de database).")
                % {"result": result["municipalities"]}
            )
        )
