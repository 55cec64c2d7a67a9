from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from imports.models import ImportKind, ImportStatus
from imports.service import ImportNotAllowed, import_file


class Command(BaseCommand):
    help = (
        "Importeer een CSV- of XLSX-bestand (gemeenten, inwonertallen, locaties, "
        "capaciteitsmeldingen of huisvesting statushouders). Met één foute regel wordt er "
        "niets geïmporteerd: alle fouten worden getoond (rij, kolom, reden) en de opdracht "
        "eindigt met een foutcode."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportKind.values, help="Soort bestand.")
        parser.add_argument("file", type=Path, help="Pad naar het .csv- of .xlsx-bestand.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Alleen controleren en tonen wat er zou veranderen; niets opslaan.",
        )
        parser.add_argument(
            "--user",
            help="Importeer als deze gebruiker: diens rol en regio of gemeente gelden, en de "
            "historie noemt die gebruiker. Zonder --user: als systeem, zonder beperking.",
        )

    def handle(self, *args, kind, file, dry_run, user, **options):
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"Onbekende gebruiker {user!r}.")
        if not file.is_file():
            raise CommandError(f"Bestand niet gevonden: {file}")
        try:
            result = import_file(kind=kind, path=file, user=account, dry_run=dry_run)
        except ImportNotAllowed as exc:
            raise CommandError(str(exc)) from exc
        run = result.run
        for error in result.errors:
            self.stderr.write(str(error))
        if run.status == ImportStatus.FAILED:
            raise CommandError(
                f"{len(result.errors)} fout(en) in {file.name}: er is niets geïmporteerd."
            )
        counts = (
            f"{run.created_count} nieuw, {run.updated_count} gewijzigd, "
            f"{run.unchanged_count} ongewijzigd"
        )
        if dry_run:
            self.stdout.write(f"Controle zonder fouten ({counts}); er is niets opgeslagen.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Geïmporteerd uit {file.name}: {counts}."))
            if run.needs_recompute:
                self.stdout.write("De herberekening van bezetting en realisatie is ingepland.")
        if flagged := run.preview.get("flagged_count", 0):
            done = "worden" if dry_run else "zijn"
            self.stdout.write(
                f"{flagged} regel(s) {done} ter controle gemarkeerd (opvallende cijfers; de "
                "coördinator ziet ze bij Meldingsstatus):"
            )
            for item in run.preview.get("flagged", []):
                self.stdout.write(f"  rij {item['row']}: {item['reason']}")
        if run.ignored_columns:
            self.stdout.write(f"Niet gelezen kolommen: {', '.join(run.ignored_columns)}")
