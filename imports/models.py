"""The record of every file checked or imported: who, which file (name, size, SHA-256), the
outcome per row, and when its recompute finished. The rows themselves carry their own history
(django-simple-history), with a change reason naming this file."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_STORED_ERRORS = 1000


class ImportKind(models.TextChoices):
    """The files `manage.py import_data` and the upload page take (DESIGN.md)."""

    MUNICIPALITIES = "municipalities", _("Gemeenten")
    POPULATION = "population", _("Inwonertallen")
    LOCATIONS = "locations", _("Locaties")
    CAPACITY_REPORTS = "capacity-reports", _("Capaciteitsmeldingen")
    PERMIT_HOLDERS = "permit-holders", _("Huisvesting statushouders")


class ImportStatus(models.TextChoices):
    VALIDATED = "validated", _("Gecontroleerd, nog niet geïmporteerd")
    FAILED = "failed", _("Afgekeurd, niets geïmporteerd")
    IMPORTED = "imported", _("Geïmporteerd")
    RECOMPUTED = "recomputed", _("Geïmporteerd en herberekend")


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

    kind = models.CharField(_("soort"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField(_("grootte (bytes)"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_runs",
        verbose_name=_("gebruiker"),
    )
    # The scope the file was checked against: the user's region, and for a project leader
    # their municipality. Both empty for a command run without --user.
    safety_region = models.ForeignKey(
        "municipalities.SafetyRegion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("veiligheidsregio"),
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeente"),
    )
    dry_run = models.BooleanField(_("alleen controle"), default=True)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices)
    started_at = models.DateTimeField(_("gestart"), default=timezone.now)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    created_count = models.PositiveIntegerField(_("nieuw"), default=0)
    updated_count = models.PositiveIntegerField(_("gewijzigd"), default=0)
    unchanged_count = models.PositiveIntegerField(_("ongewijzigd"), default=0)
    error_count = models.PositiveIntegerField(_("fouten"), default=0)
    errors = models.JSONField(
        _("fouten (eerste 1000)"),
        default=list,
        blank=True,
        help_text=_("Lijst van {row, column, message}."),
    )
    preview = models.JSONField(
        _("voorbeeld"),
        default=dict,
        blank=True,
        help_text=_("De eerste regels per soort wijziging."),
    )
    ignored_columns = models.JSONField(_("genegeerde kolommen"), default=list, blank=True)
    recompute_municipality_ids = models.JSONField(
        _("te herberekenen gemeenten"), default=list, blank=True
    )
    recompute_from = models.DateField(_("herberekenen vanaf"), null=True, blank=True)
    recompute_finished_at = models.DateTimeField(_("herberekening klaar"), null=True, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        # The table keeps the name it had when the run record lived in `twente`.
        db_table = "twente_importrun"
        ordering = ["-started_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
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
