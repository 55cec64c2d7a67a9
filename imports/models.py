"""The record of every file checked or imported: who, which file (name, size, SHA-256), the
outcome per row, and when its recompute finished. The rows themselves carry their own history
(django-simple-history), with a change reason naming this file."""

from django.conf import settings
from django.db import models
from django.utils import timezone

MAX_STORED_ERRORS = 1000


class ImportKind(models.TextChoices):
    """The files `manage.py import_data` and the upload page take (DESIGN.md)."""

    MUNICIPALITIES = "municipalities", "Gemeenten"
    POPULATION = "population", "Inwonertallen"
    LOCATIONS = "locations", "Locaties"
    CAPACITY_REPORTS = "capacity-reports", "Capaciteitsmeldingen"
    PERMIT_HOLDERS = "permit-holders", "Huisvesting statushouders"


class ImportStatus(models.TextChoices):
    VALIDATED = "validated", "Gecontroleerd, nog niet geïmporteerd"
    FAILED = "failed", "Afgekeurd, niets geïmporteerd"
    IMPORTED = "imported", "Geïmporteerd"
    RECOMPUTED = "recomputed", "Geïmporteerd en herberekend"


class ImportRunQuerySet(models.QuerySet):
    def visible_to(self, *, region_id: int | None, municipality_id: int | None, user_id: int):
        """Coordinators see the runs of their region; project leaders their municipality's."""
        if municipality_id is not None:
            return self.filter(municipality_id=municipality_id)
        if region_id is not None:
            return self.filter(safety_region_id=region_id)
        return self.filter(user_id=user_id)


class ImportRun(models.Model):
    """One file checked (and possibly imported): who, what, when, which file, with what result.

    The rows themselves carry their own history (django-simple-history) with a change reason
    naming this file; this row is the summary the upload page and the command show.
    """

    kind = models.CharField("soort", max_length=20, choices=ImportKind.choices)
    file_name = models.CharField("bestandsnaam", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("grootte (bytes)")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_runs",
        verbose_name="gebruiker",
    )
    # The scope the file was checked against: the user's region, and for a project leader
    # their municipality. Both empty for a command run without --user.
    safety_region = models.ForeignKey(
        "municipalities.SafetyRegion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="veiligheidsregio",
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="gemeente",
    )
    dry_run = models.BooleanField("alleen controle", default=True)
    status = models.CharField("status", max_length=20, choices=ImportStatus.choices)
    started_at = models.DateTimeField("gestart", default=timezone.now)
    finished_at = models.DateTimeField("klaar", null=True, blank=True)
    created_count = models.PositiveIntegerField("nieuw", default=0)
    updated_count = models.PositiveIntegerField("gewijzigd", default=0)
    unchanged_count = models.PositiveIntegerField("ongewijzigd", default=0)
    error_count = models.PositiveIntegerField("fouten", default=0)
    errors = models.JSONField(
        "fouten (eerste 1000)",
        default=list,
        blank=True,
        help_text="Lijst van {row, column, message}.",
    )
    preview = models.JSONField(
        "voorbeeld", default=dict, blank=True, help_text="De eerste regels per soort wijziging."
    )
    ignored_columns = models.JSONField("genegeerde kolommen", default=list, blank=True)
    recompute_municipality_ids = models.JSONField(
        "te herberekenen gemeenten", default=list, blank=True
    )
    recompute_from = models.DateField("herberekenen vanaf", null=True, blank=True)
    recompute_finished_at = models.DateTimeField("herberekening klaar", null=True, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        # The table keeps the name it had when the run record lived in `twente`.
        db_table = "twente_importrun"
        ordering = ["-started_at", "-pk"]
        verbose_name = "import"
        verbose_name_plural = "imports"
        indexes = [
            models.Index(fields=["safety_region", "-started_at"], name="importrun_region"),
            models.Index(fields=["municipality", "-started_at"], name="importrun_municipality"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name} ({self.started_at:%d-%m-%Y %H:%M})"

    @property
    def needs_recompute(self) -> bool:
        return bool(self.recompute_municipality_ids)

    @property
    def recompute_pending(self) -> bool:
        return (
            self.status == ImportStatus.IMPORTED
            and self.needs_recompute
            and self.recompute_finished_at is None
        )
