import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from twente.notifications.models import NotificationLog
from twente.notifications.services import notifications_preview, notifications_queue


def _moment(value: str | None) -> datetime.datetime:
    """Now, or the end of the given day: everything due on that day is due then."""
    if value is None:
        return timezone.now()
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Ongeldige datum {value!r}: gebruik JJJJ-MM-DD.") from exc
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


class Command(BaseCommand):
    help = (
        "Verstuur de herinneringen, weekoverzichten en actieherinneringen die nu (of op "
        "--date) aan de beurt zijn; wat al verstuurd is, gaat niet nog eens."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="alleen tonen wat verstuurd zou worden"
        )
        parser.add_argument(
            "--date", help="JJJJ-MM-DD: alles wat op die dag aan de beurt is (standaard: nu)"
        )

    def handle(self, *args, dry_run, date, **options):
        now = _moment(date)
        if dry_run:
            pairs = notifications_preview(now=now)
            for log, message in pairs:
                subject = message.subject if message else "(niets meer te melden)"
                self.stdout.write(f"zou versturen: {self._line(log)}: {subject}")
            self.stdout.write(f"{len(pairs)} bericht(en) aan de beurt; niets verstuurd.")
            return
        queued = notifications_queue(now=now)
        # Without a worker (the embedded default) the messages went out just now; with one,
        # they are on their way and the log says how they fare.
        fresh = {
            log.pk: log
            for log in NotificationLog.objects.filter(pk__in=[log.pk for log in queued])
            .select_related("recipient")
            .order_by("pk")
        }
        for log in fresh.values():
            self.stdout.write(
                f"{log.get_status_display().lower()}: {self._line(log)}: {log.subject}"
            )
        self.stdout.write(f"{len(fresh)} bericht(en) verwerkt.")

    @staticmethod
    def _line(log: NotificationLog) -> str:
        return f"{log.get_kind_display()} {log.period} aan {log.recipient.username} <{log.email}>"
