from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

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
                raise CommandError(_("Onbekende gebruiker %(user)s.") % {"user": repr(user)})
        if not file.is_file():
            raise CommandError(_("Bestand niet gevonden: %(file)s") % {"file": file})
        try:
            result = import_file(kind=kind, path=file, user=account, dry_run=dry_run)
        except ImportNotAllowed as exc:
            raise CommandError(str(exc)) from exc
        run = result.run
        for error in result.errors:
            self.stderr.write(str(error))
        if run.status == ImportStatus.FAILED:
            raise CommandError(
                _("%(count)s fout(en) in %(file)s: er is niets geïmporteerd.")
                % {"count": len(result.errors), "file": file.name}
            )
        counts = _("%(created)s nieuw, %(updated)s gewijzigd, %(same)s ongewijzigd") % {
            "created": run.created_count,
            "updated": run.updated_count,
            "same": run.unchanged_count,
        }
        if dry_run:
            self.stdout.write(
                _("Controle zonder fouten (%(counts)s); er is niets opgeslagen.")
                % {"counts": counts}
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Geïmporteerd uit %(file)s: %(counts)s.")
                    % {"file": file.name, "counts": counts}
                )
            )
            if run.needs_recompute:
                self.stdout.write(_("De herberekening van bezetting en realisatie is ingepland."))
        if flagged := run.preview.get("flagged_count", 0):
            if dry_run:
                text = _(
                    "%(count)s regel(s) worden ter controle gemarkeerd (opvallende cijfers; de "
                    "coördinator ziet ze bij Meldingsstatus):"
                )
            else:
                text = _(
                    "%(count)s regel(s) zijn ter controle gemarkeerd (opvallende cijfers; de "
                    "coördinator ziet ze bij Meldingsstatus):"
                )
            self.stdout.write(text % {"count": flagged})
            for item in run.preview.get("flagged", []):
                self.stdout.write(
                    "  "
                    + _("rij %(row)s: %(message)s")
                    % {"row": item["row"], "message": item["reason"]}
                )
        if run.ignored_columns:
            self.stdout.write(
                _("Niet gelezen kolommen: %(columns)s")
                % {"columns": ", ".join(run.ignored_columns)}
            )
