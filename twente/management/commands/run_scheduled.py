import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from twente.scheduled import ScheduleError, scheduled_run


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            _("Geen geldige datum: %(value)s; gebruik JJJJ-MM-DD.") % {"value": repr(value)}
        ) from exc


def _names(items: list[str]) -> str:
    return f" ({', '.join(items)})" if items else ""


class Command(BaseCommand):
    help = (
        "Draai de nachtelijke taken in dit proces, zonder Redis: bezetting en realisatie "
        "herberekenen, verlopen taakstellingen afsluiten, voorbije overleggen op 'gehouden' "
        "zetten. Twee keer voor dezelfde datum verandert niets."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="De dag waarvoor de taken draaien (JJJJ-MM-DD); standaard vandaag."
        )

    def handle(self, *args, date=None, **options):
        on = _date(date) if date else timezone.localdate()
        try:
            result = scheduled_run(on=on)
        except ScheduleError as exc:
            raise CommandError(str(exc)) from exc
        lines = [
            (
                _("Nachtelijke taken voor %(date)s (al eerder gedraaid; opnieuw uitgevoerd).")
                if result.repeated
                else _("Nachtelijke taken voor %(date)s.")
            )
            % {"date": format(on, "%d-%m-%Y")},
            _(
                "- Bezetting herberekend vanaf %(recompute_from)s voor "
                "%(municipalities)s gemeenten: %(snapshots_written)s standen "
                "geschreven."
            )
            % {
                "recompute_from": format(result.recompute_from, "%d-%m-%Y"),
                "municipalities": result.municipalities,
                "snapshots_written": result.snapshots_written,
            },
            _("- Realisatie bepaald per %(realised_as_of)s: %(shares_changed)s aandelen gewijzigd.")
            % {
                "realised_as_of": format(result.realised_as_of, "%d-%m-%Y"),
                "shares_changed": result.shares_changed,
            },
            _("- Taakstellingen afgesloten (uiterste datum verstreken): %(count)s%(names)s.")
            % {"count": len(result.assignments_closed), "names": _names(result.assignments_closed)},
            _("- Overleggen op 'gehouden' gezet: %(count)s%(names)s.")
            % {"count": len(result.meetings_held), "names": _names(result.meetings_held)},
        ]
        if options["verbosity"] >= 1:
            self.stdout.write("\n".join(lines))
