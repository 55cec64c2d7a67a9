import datetime

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Province(models.Model):
    code = models.CharField(
        "CBS-code", max_length=4, unique=True, validators=[RegexValidator(r"^PV\d{2}$")]
    )
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("provincie")
        verbose_name_plural = _("provincies")

    def __str__(self) -> str:
        return self.name


class SafetyRegion(models.Model):
    code = models.CharField(
        "CBS-code", max_length=4, unique=True, validators=[RegexValidator(r"^VR\d{2}$")]
    )
    name = models.CharField(_("naam"), max_length=100)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="safety_regions",
        verbose_name=_("provincie"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("veiligheidsregio")
        verbose_name_plural = _("veiligheidsregio's")

    def __str__(self) -> str:
        return self.name


class MunicipalityQuerySet(models.QuerySet):
    def in_region(self, region_code: str) -> "MunicipalityQuerySet":
        return self.filter(safety_region__code=region_code)

    def with_key_figures(self, on: datetime.date | None = None) -> "MunicipalityQuerySet":
        """Annotate population, SES-WOA factor and land area valid on `on` (default: latest).

        Each figure is taken from the newest dated row on or before the date that has that
        figure filled in, so a population update does not hide an older land-area figure.
        """
        qs = self
        for field in ("population", "ses_woa_factor", "land_area_km2"):
            figures = KeyFigure.objects.filter(
                municipality=OuterRef("pk"), **{f"{field}__isnull": False}
            )
            if on is not None:
                figures = figures.filter(date__lte=on)
            qs = qs.annotate(**{field: Subquery(figures.order_by("-date").values(field)[:1])})
        return qs


class Municipality(models.Model):
    code = models.CharField(
        "CBS-code",
        max_length=6,
        unique=True,
        validators=[
            RegexValidator(r"^GM\d{4}$", _("Een CBS-code is GM gevolgd door vier cijfers."))
        ],
    )
    name = models.CharField(_("naam"), max_length=100)
    safety_region = models.ForeignKey(
        SafetyRegion,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("veiligheidsregio"),
    )

    objects = MunicipalityQuerySet.as_manager()
    # Imports change municipalities in bulk; the history says who did, when, from which file.
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def __str__(self) -> str:
        return self.name

    def population_on(self, on: datetime.date | None = None) -> int | None:
        figures = self.key_figures.filter(population__isnull=False)
        if on is not None:
            figures = figures.filter(date__lte=on)
        return figures.order_by("-date").values_list("population", flat=True).first()


class KeyFigure(models.Model):
    """Dated key figures of a municipality; a figure is valid from `date` until a newer one."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="key_figures",
        verbose_name=_("gemeente"),
    )
    date = models.DateField(_("peildatum"))
    population = models.PositiveIntegerField(_("inwoners"), null=True, blank=True)
    ses_woa_factor = models.DecimalField(
        "SES-WOA-correctiefactor",
        max_digits=6,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    land_area_km2 = models.DecimalField(
        _("landoppervlakte (km²)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    source = models.CharField(_("bron"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["municipality", "-date"]
        verbose_name = _("kerncijfer")
        verbose_name_plural = _("kerncijfers")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "date"], name="keyfigure_one_per_date"),
            models.CheckConstraint(
                condition=Q(population__isnull=False)
                | Q(ses_woa_factor__isnull=False)
                | Q(land_area_km2__isnull=False),
                name="keyfigure_has_a_figure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.date:%d-%m-%Y}"


class Role(models.TextChoices):
    """The roles of DESIGN.md; each is a Django group of the same name."""

    COORDINATOR = "coordinator", _("Coördinator")
    PROJECT_LEADER = "project_leader", _("Projectleider")
    SECRETARY = "secretary", _("Secretaris")
    PROVINCIAL_READER = "provincial_reader", _("Provinciale lezer")


class Membership(models.Model):
    """Where a user works: their safety region and, for project leaders, their municipality."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("gebruiker"),
    )
    safety_region = models.ForeignKey(
        SafetyRegion,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("veiligheidsregio"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("gemeente"),
    )

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")

    def __str__(self) -> str:
        return f"{self.user} ({self.municipality or self.safety_region})"
