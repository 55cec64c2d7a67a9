import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from twente.scheduled import ScheduleError, scheduled_run


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Geen geldige datum: {value!r}; gebruik JJJJ-MM-DD.") from exc


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
            f"Nachtelijke taken voor {on:%d-%m-%Y}"
            + (" (al eerder gedraaid; opnieuw uitgevoerd)." if result.repeated else "."),
            f"- Bezetting herberekend vanaf {result.recompute_from:%d-%m-%Y} voor "
            f"{result.municipalities} gemeenten: {result.snapshots_written} standen geschreven.",
            f"- Realisatie bepaald per {result.realised_as_of:%d-%m-%Y}: "
            f"{result.shares_changed} aandelen gewijzigd.",
            f"- Taakstellingen afgesloten (uiterste datum verstreken): "
            f"{len(result.assignments_closed)}{_names(result.assignments_closed)}.",
            f"- Overleggen op 'gehouden' gezet: "
            f"{len(result.meetings_held)}{_names(result.meetings_held)}.",
        ]
        if options["verbosity"] >= 1:
            self.stdout.write("\n".join(lines))
