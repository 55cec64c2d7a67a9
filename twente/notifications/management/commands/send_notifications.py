import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from twente.notifications.models import NotificationLog
from twente.notifications.services import notifications_preview, notifications_queue


def _moment(value: str | None) -> datetime.datetime:
    """Now, or the end of the given day: everything due on that day is due then."""
    if value is None:
        return timezone.now()
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            _("Ongeldige datum %(value)s: gebruik JJJJ-MM-DD.") % {"value": repr(value)}
        ) from exc
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
                subject = message.subject if message else _("(niets meer te melden)")
                self.stdout.write(
                    _("zou versturen: %(value)s: %(subject)s")
                    % {"value": self._line(log), "subject": subject}
                )
            self.stdout.write(
                _("%(count)s bericht(en) aan de beurt; niets verstuurd.") % {"count": len(pairs)}
            )
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
        self.stdout.write(_("%(count)s bericht(en) verwerkt.") % {"count": len(fresh)})

    @staticmethod
    def _line(log: NotificationLog) -> str:
        return _("%(value)s %(period)s aan %(username)s <%(email)s>") % {
            "value": log.get_kind_display(),
            "period": log.period,
            "username": log.recipient.username,
            "email": log.email,
        }
