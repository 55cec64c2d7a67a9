"""Shelter locations, their dated capacity reports, the precomputed occupancy and thresholds,
and the municipalities' dated permit-holder housing reports.

Rules about one row live here (`clean()` and database constraints); workflows that touch
several rows live in `services.py`.

Reserved places: a report's `reserved` places are free places held for a placement that has
not arrived yet, so `occupied + reserved <= capacity` (free = capacity - occupied - reserved
is never negative). That is stricter than `reserved <= capacity` and is what the phone team
needs when it looks for free places.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from municipalities.models import Municipality

from .choices import LocationStatus, LocationType, ReportSource, TargetGroup
from .lifecycle import effective_status_expression, operational_q, reporting_q

NOT_NEGATIVE = _("Een aantal kan niet negatief zijn.")
# Boolean facility fields of a location, in display order.
FACILITY_FIELDS = ("accessible", "ground_floor", "family_rooms", "pets")
DEFAULT_WARNING = Decimal("0.92")
DEFAULT_TIPPING_POINT = Decimal("0.95")


def count_field(verbose_name: str, **kwargs) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        verbose_name, validators=[MinValueValidator(0, NOT_NEGATIVE)], **kwargs
    )


class LocationQuerySet(models.QuerySet):
    def in_region(self, region_code: str) -> "LocationQuerySet":
        return self.filter(municipality__safety_region__code=region_code)

    def operational_on(self, on: datetime.date) -> "LocationQuerySet":
        """Locations whose places count on `on`: operational by the lifecycle rule."""
        return self.filter(operational_q(on))

    def reporting_on(self, on: datetime.date) -> "LocationQuerySet":
        """Locations asked for their counts on `on` (preparing, operational, winding down)."""
        return self.filter(reporting_q(on))

    def with_effective_status(self, on: datetime.date) -> "LocationQuerySet":
        """Annotate `effective_status`: the state on `on` by the lifecycle rule."""
        return self.annotate(effective_status=effective_status_expression(on))

    def with_latest_report(self, on: datetime.date) -> "LocationQuerySet":
        """Annotate the figures of each location's latest report on or before `on`.

        One correlated subquery per figure, each an index lookup on (location, -date); the
        whole list stays one SQL query.
        """
        latest = CapacityReport.objects.filter(location=OuterRef("pk"), date__lte=on).order_by(
            "-date"
        )
        return self.annotate(
            report_date=Subquery(latest.values("date")[:1]),
            report_capacity=Subquery(latest.values("capacity")[:1]),
            report_occupied=Subquery(latest.values("occupied")[:1]),
            report_reserved=Subquery(latest.values("reserved")[:1]),
            report_flagged=Subquery(latest.values("flagged")[:1]),
        )

    def with_latest_report_version(self, on: datetime.date) -> "LocationQuerySet":
        """Annotate `report_id` and `report_version` of each location's latest report on or
        before `on` (None without one): what an edit page shows, so a save can tell whether
        someone else changed that report in the meantime."""
        latest = CapacityReport.objects.filter(location=OuterRef("pk"), date__lte=on).order_by(
            "-date"
        )
        return self.annotate(
            report_id=Subquery(latest.values("pk")[:1]),
            report_version=Subquery(latest.values("version")[:1]),
        )


class Location(models.Model):
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                _("Een code bestaat uit letters, cijfers, punt, streepje of liggend streepje."),
            )
        ],
        help_text=_("Vaste aanduiding van de locatie, bijvoorbeeld CNO-ENS-01."),
    )
    name = models.CharField(_("naam"), max_length=200)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="locations", verbose_name=_("gemeente")
    )
    place = models.CharField(_("plaats"), max_length=100)
    type = models.CharField(_("soort locatie"), max_length=20, choices=LocationType.choices)
    target_group = models.CharField(_("doelgroep"), max_length=20, choices=TargetGroup.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=LocationStatus.choices, default=LocationStatus.PLANNED
    )
    opened_on = models.DateField(
        "(geplande) openingsdatum",
        null=True,
        blank=True,
        help_text=_(
            "Voor een geplande locatie of een locatie in voorbereiding: de verwachte datum."
        ),
    )
    contract_end = models.DateField(
        _("einddatum contract"),
        null=True,
        blank=True,
        help_text=_("Laatste dag van het contract; bij een gesloten locatie de dag van sluiting."),
    )
    planned_capacity = count_field(
        _("geplande capaciteit"),
        null=True,
        blank=True,
        help_text=_("Aantal plekken dat een geplande locatie of locatie in voorbereiding krijgt."),
    )
    latitude = models.DecimalField(
        _("breedtegraad"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("lengtegraad"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    notes = models.TextField(_("toelichting"), blank=True)
    contact_name = models.CharField(_("contactpersoon"), max_length=200, blank=True)
    contact_phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    # Facilities the phone team matches a request's needs against (matching app).
    accessible = models.BooleanField(_("rolstoeltoegankelijk"), default=False)
    ground_floor = models.BooleanField(_("kamers op de begane grond"), default=False)
    family_rooms = models.BooleanField(_("gezinskamers"), default=False)
    pets = models.BooleanField(_("huisdieren toegestaan"), default=False)
    # Set only by `manage.py load_demo`: a made-up location of the demo history, so pages,
    # admin and API can tell it from a real one (twente/fixtures/README.md).
    demo = models.BooleanField(
        _("demodata"),
        default=False,
        editable=False,
        help_text=_("Verzonnen voorbeeldlocatie van de demo-historie; geen echte opvanglocatie."),
    )
    # Raised on every change; an edit form sends the version it showed so a concurrent change
    # is refused instead of silently overwritten.
    version = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    created = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated = models.DateTimeField(_("gewijzigd"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["created", "updated"])
    objects = LocationQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_end__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(contract_end__gte=F("opened_on")),
                name="location_ends_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="location_both_coordinates_or_none",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.opened_on and self.contract_end and self.contract_end < self.opened_on:
            errors["contract_end"] = _("De einddatum kan niet voor de openingsdatum liggen.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _(
                "Vul zowel de breedtegraad als de lengtegraad in, of geen van beide."
            )
        if self.status == LocationStatus.CLOSED and not self.contract_end:
            errors["contract_end"] = _(
                "Vul bij een gesloten locatie de einddatum in (de dag van sluiting)."
            )
        if errors:
            raise ValidationError(errors)


class CapacityReport(models.Model):
    """The counts of one location on one date; they hold until the location's next report."""

    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="reports", verbose_name=_("locatie")
    )
    date = models.DateField(_("datum"))
    capacity = count_field(_("capaciteit"), help_text=_("Operationele capaciteit (plekken)."))
    occupied = count_field(_("bezet"))
    reserved = count_field(
        "gereserveerd",
        default=0,
        help_text=_("Vrije plekken die al voor een plaatsing vastliggen."),
    )
    source = models.CharField(
        _("bron"), max_length=20, choices=ReportSource.choices, default=ReportSource.FORM
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="capacity_reports",
        verbose_name=_("gemeld door"),
    )
    flagged = models.BooleanField(
        _("ter controle"), default=False, help_text=_("Opvallend cijfer; opgeslagen maar nakijken.")
    )
    flag_reason = models.TextField(_("reden controle"), blank=True)
    # Raised on every change (services, import, admin); an edit sends the version it showed,
    # and a report someone else changed in the meantime is refused instead of overwritten.
    version = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    created = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated = models.DateTimeField(_("gewijzigd"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["created", "updated"])

    class Meta:
        ordering = ["location", "-date"]
        verbose_name = _("capaciteitsmelding")
        verbose_name_plural = _("capaciteitsmeldingen")
        constraints = [
            models.UniqueConstraint(fields=["location", "date"], name="report_one_per_day"),
            models.CheckConstraint(
                condition=Q(occupied__lte=F("capacity")), name="report_occupied_within_capacity"
            ),
            models.CheckConstraint(
                condition=Q(reserved__lte=F("capacity") - F("occupied")),
                name="report_reserved_within_free",
            ),
        ]
        indexes = [
            models.Index(fields=["location", "-date"], name="report_location_date"),
            models.Index(fields=["date"], name="report_date"),
        ]

    def __str__(self) -> str:
        return f"{self.location.code} {self.date:%d-%m-%Y}"

    @property
    def free(self) -> int:
        return max(self.capacity - self.occupied - self.reserved, 0)

    def clean(self) -> None:
        errors = report_rule_errors(
            date=self.date,
            capacity=self.capacity,
            occupied=self.occupied,
            reserved=self.reserved,
            today=timezone.localdate(),
        )
        if errors:
            raise ValidationError(errors)


def report_rule_errors(
    *,
    date: datetime.date | None,
    capacity: int | None,
    occupied: int | None,
    reserved: int | None,
    today: datetime.date,
) -> dict[str, str]:
    """The rules of one report (CapacityReport.clean), as {field: message}. A function of the
    figures alone, so a batch of 130,000 entries is checked against one `today`."""
    errors: dict[str, str] = {}
    if date and date > today:
        errors["date"] = _("Een datum in de toekomst kan niet.")
    counts_known = None not in (capacity, occupied) and (capacity >= 0 and occupied >= 0)
    if counts_known and occupied > capacity:
        errors["occupied"] = _(
            "Bezet (%(occupied)s) kan niet hoger zijn dan de capaciteit (%(capacity)s)."
        ) % {"occupied": occupied, "capacity": capacity}
    elif counts_known and reserved is not None and reserved >= 0:
        if occupied + reserved > capacity:
            errors["reserved"] = _(
                "Bezet (%(occupied)s) en gereserveerd (%(reserved)s) samen "
                "kunnen niet hoger zijn dan de capaciteit (%(capacity)s)."
            ) % {"occupied": occupied, "reserved": reserved, "capacity": capacity}
    return errors


class OccupancySnapshot(models.Model):
    """Totals of one municipality and target group, valid from `date` until `valid_until`.

    Written only by `services.occupancy_recompute` (the worker). The totals count each
    location's latest report on or before `date`, for locations not past their contract end.
    `valid_until` (exclusive; empty = still valid) is the date of the next row for the same
    municipality and target group, so "as of D" is one range condition instead of a
    latest-row-per-group subquery.
    """

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="occupancy_snapshots",
        verbose_name=_("gemeente"),
    )
    target_group = models.CharField(_("doelgroep"), max_length=20, choices=TargetGroup.choices)
    date = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot"), null=True, blank=True)
    locations = models.PositiveIntegerField(_("locaties"), default=0)
    capacity = models.PositiveIntegerField(_("capaciteit"), default=0)
    occupied = models.PositiveIntegerField(_("bezet"), default=0)
    reserved = models.PositiveIntegerField(_("gereserveerd"), default=0)
    last_report_date = models.DateField(_("laatste melding"), null=True, blank=True)

    class Meta:
        ordering = ["municipality", "target_group", "date"]
        verbose_name = _("bezettingsstand")
        verbose_name_plural = _("bezettingsstanden")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "target_group", "date"], name="snapshot_one_per_date"
            ),
        ]
        # "Valid on D" is `date <= D AND (valid_until IS NULL OR valid_until > D)`; for a recent
        # D only a few rows per municipality and target group match, so both indexes lead with
        # what narrows it down (bench/bench_country.py, README "What scale costs"): per
        # municipality for a region's reads (SQLite looks up both arms of the OR in it), and
        # valid_until first for the whole country (PostgreSQL ORs two bitmap scans of it).
        # With `date` first, every row dated before D was read: the country's history.
        indexes = [
            models.Index(
                fields=["municipality", "valid_until", "date"], name="snapshot_municipality_valid"
            ),
            models.Index(fields=["valid_until", "date"], name="snapshot_valid_until"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.target_group} {self.date:%d-%m-%Y}"


class OccupancyThreshold(models.Model):
    """Occupancy rates at which the dashboard warns, per target group (seeds: 92% and 95%)."""

    target_group = models.CharField(
        _("doelgroep"), max_length=20, choices=TargetGroup.choices, unique=True
    )
    warning = models.DecimalField(
        _("waarschuwing vanaf"),
        max_digits=4,
        decimal_places=3,
        default=DEFAULT_WARNING,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
        help_text=_("Bezettingsgraad als fractie, bijvoorbeeld 0,92 voor 92%."),
    )
    tipping_point = models.DecimalField(
        _("kantelpunt vanaf"),
        max_digits=4,
        decimal_places=3,
        default=DEFAULT_TIPPING_POINT,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
        help_text=_("Bezettingsgraad als fractie, bijvoorbeeld 0,95 voor 95%."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["target_group"]
        verbose_name = _("drempel bezettingsgraad")
        verbose_name_plural = _("drempels bezettingsgraad")
        constraints = [
            models.CheckConstraint(
                condition=Q(warning__lte=F("tipping_point")), name="threshold_warning_first"
            ),
        ]

    def __str__(self) -> str:
        return self.get_target_group_display()

    def clean(self) -> None:
        if (
            self.warning is not None
            and self.tipping_point is not None
            and self.warning > self.tipping_point
        ):
            raise ValidationError(
                {"warning": _("De waarschuwing moet lager liggen dan het kantelpunt.")}
            )


class PermitHolderReportQuerySet(models.QuerySet):
    def in_region(self, region_code: str) -> "PermitHolderReportQuerySet":
        return self.filter(municipality__safety_region__code=region_code)

    def within(
        self, start: datetime.date | None, end: datetime.date | None
    ) -> "PermitHolderReportQuerySet":
        """Reports dated from `start` through `end` (both inclusive; None: unbounded)."""
        reports = self
        if start is not None:
            reports = reports.filter(date__gte=start)
        if end is not None:
            reports = reports.filter(date__lte=end)
        return reports


class PermitHolderReport(models.Model):
    """Permit holders (statushouders) a municipality housed, and those linked to it, on a date.

    The task for permit holders (Huisvestingswet 2014 art. 28) counts persons housed per half
    year, not shelter places: `housed` is the number housed since the municipality's
    previous report (of which `housed_amv` unaccompanied minors), so a task's realisation is
    the sum of `housed` over its period. `linked` is a stock: the permit holders linked
    (gekoppeld) to the municipality on `date` but not yet housed, the pipeline; the latest
    report holds it. Figures come from the national tracking system (TVS) or the
    municipality's own records.
    """

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="permit_holder_reports",
        verbose_name=_("gemeente"),
    )
    date = models.DateField(_("datum"))
    housed = count_field(
        "gehuisvest", help_text=_("Statushouders gehuisvest sinds de vorige melding.")
    )
    housed_amv = count_field(
        "waarvan amv",
        default=0,
        help_text=_("Van de gehuisveste statushouders: alleenstaande minderjarigen (amv)."),
    )
    linked = count_field(
        "gekoppeld",
        help_text=_(
            "Statushouders die op deze datum aan de gemeente gekoppeld zijn, maar nog "
            "niet gehuisvest."
        ),
    )
    source = models.CharField(
        _("bron"), max_length=20, choices=ReportSource.choices, default=ReportSource.FORM
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="permit_holder_reports",
        verbose_name=_("gemeld door"),
    )
    # Raised on every change; an edit sends the version it showed, as for capacity reports.
    version = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    created = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated = models.DateTimeField(_("gewijzigd"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["created", "updated"])
    objects = PermitHolderReportQuerySet.as_manager()

    class Meta:
        ordering = ["municipality", "-date"]
        verbose_name = _("huisvestingsmelding statushouders")
        verbose_name_plural = _("huisvestingsmeldingen statushouders")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "date"], name="permit_holder_report_one_per_day"
            ),
            models.CheckConstraint(
                condition=Q(housed_amv__lte=F("housed")),
                name="permit_holder_report_amv_within_housed",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "-date"], name="permit_report_municipality"),
            models.Index(fields=["date"], name="permit_report_date"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.date:%d-%m-%Y}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.date and self.date > timezone.localdate():
            errors["date"] = _("Een datum in de toekomst kan niet.")
        if (
            self.housed is not None
            and self.housed_amv is not None
            and 0 <= self.housed < self.housed_amv
        ):
            errors["housed_amv"] = _(
                "Waarvan amv (%(housed_amv)s) kan niet hoger zijn dan het aantal "
                "gehuisveste statushouders (%(housed)s)."
            ) % {"housed_amv": self.housed_amv, "housed": self.housed}
        if errors:
            raise ValidationError(errors)


class NationalFigure(models.Model):
    """The national picture of one target group on a date, as the Rijk or the COA gives it
    ("Landelijk zijn er 4.919 beschikbare plekken", "Bezettingsgraad stijgt naar 92%").

    The tipping point for crisis emergency reception is a national one (95% occupancy of the
    national reception, Verslag BAO juli 2022): it is judged on these figures, not on a region's own
    occupancy (`capacity.national.selectors`). Coordinators enter them (page, API, admin).
    """

    target_group = models.CharField(_("doelgroep"), max_length=20, choices=TargetGroup.choices)
    date = models.DateField(_("datum"))
    available_places = count_field(
        _("beschikbare plekken"),
        null=True,
        blank=True,
        help_text=_("Landelijk vrije plekken op deze datum."),
    )
    occupancy_rate = models.DecimalField(
        _("bezettingsgraad"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Landelijke bezettingsgraad als fractie, bijvoorbeeld 0,92 voor 92%."),
    )
    source = models.TextField(_("bron"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingevoerd door"),
    )
    created = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "target_group"]
        verbose_name = _("landelijk cijfer")
        verbose_name_plural = _("landelijke cijfers")
        constraints = [
            models.UniqueConstraint(
                fields=["target_group", "date"], name="national_figure_one_per_day"
            ),
            models.CheckConstraint(
                condition=Q(available_places__isnull=False) | Q(occupancy_rate__isnull=False),
                name="national_figure_has_a_figure",
            ),
            models.CheckConstraint(
                condition=Q(occupancy_rate__isnull=True)
                | (Q(occupancy_rate__gte=0) & Q(occupancy_rate__lte=1)),
                name="national_figure_rate_is_a_fraction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_target_group_display()} {self.date:%d-%m-%Y}"

    @property
    def percent(self) -> Decimal | None:
        return None if self.occupancy_rate is None else self.occupancy_rate * 100

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.date and self.date > timezone.localdate():
            errors["date"] = _("Een datum in de toekomst kan niet.")
        if self.available_places is None and self.occupancy_rate is None:
            errors["available_places"] = _(
                "Geef de beschikbare plekken, de bezettingsgraad of allebei."
            )
        if errors:
            raise ValidationError(errors)
