"""The phone team's requests for places and the placements made for them.

A placement raises the occupied count of its location at once: it writes (or updates) that
day's capacity report with source "placement" (see `services.placement_create`); the report it
changed is kept on the placement.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from capacity.choices import TargetGroup
from capacity.models import CapacityReport, Location
from municipalities.models import Municipality, SafetyRegion

from .choices import Category, Origin, PlacementStatus

# Far above any household or group the phone team places at once.
MAX_PEOPLE = 500
AT_LEAST_ONE = _("Vul minstens 1 persoon in.")
AT_MOST = format_lazy(
    _("Er kunnen hoogstens {max} personen tegelijk geplaatst worden."), max=MAX_PEOPLE
)


def people_field(verbose_name: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        verbose_name,
        validators=[MinValueValidator(1, AT_LEAST_ONE), MaxValueValidator(MAX_PEOPLE, AT_MOST)],
    )


class PlacementRequest(models.Model):
    """A request for places as the phone team takes it: who, how many, what they need."""

    region = models.ForeignKey(
        SafetyRegion,
        on_delete=models.PROTECT,
        related_name="placement_requests",
        verbose_name=_("veiligheidsregio"),
    )
    people = people_field(_("aantal personen"))
    target_group = models.CharField(_("doelgroep"), max_length=20, choices=TargetGroup.choices)
    category = models.CharField(
        _("categorie"), max_length=30, choices=Category.choices, default=Category.REGULAR
    )
    adults = models.PositiveIntegerField(_("volwassenen"), null=True, blank=True)
    children = models.PositiveIntegerField(_("kinderen"), null=True, blank=True)
    household = models.CharField(
        _("samenstelling huishouden"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: moeder met twee kinderen."),
    )
    accessible = models.BooleanField(_("rolstoeltoegankelijk nodig"), default=False)
    ground_floor = models.BooleanField(_("kamer op de begane grond nodig"), default=False)
    family_rooms = models.BooleanField(_("gezinskamer nodig"), default=False)
    pets = models.BooleanField(_("met huisdieren"), default=False)
    preferred_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voorkeursgemeente"),
    )
    arrival_date = models.DateField(_("aankomstdatum"), null=True, blank=True)
    origin = models.CharField(_("herkomst"), max_length=20, choices=Origin.choices)
    origin_note = models.CharField(_("toelichting herkomst"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("plaatsingsverzoek")
        verbose_name_plural = _("plaatsingsverzoeken")
        constraints = [
            models.CheckConstraint(
                condition=Q(people__gte=1, people__lte=MAX_PEOPLE), name="request_people_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.people} × {self.get_target_group_display()} ({self.created_at:%d-%m-%Y})"

    def clean(self) -> None:
        if None not in (self.adults, self.children, self.people):
            if self.adults + self.children != self.people:
                raise ValidationError(
                    {
                        "people": (
                            _(
                                "Volwassenen (%(adults)s) en kinderen (%(children)s) samen "
                                "moeten het aantal personen (%(people)s) zijn."
                            )
                            % {
                                "adults": self.adults,
                                "children": self.children,
                                "people": self.people,
                            }
                        )
                    }
                )


class PlacementQuerySet(models.QuerySet):
    def in_region(self, region_code: str) -> "PlacementQuerySet":
        return self.filter(location__municipality__safety_region__code=region_code)

    def active(self) -> "PlacementQuerySet":
        return self.filter(status=PlacementStatus.PLACED)


class Placement(models.Model):
    """People placed into a location; cancelled or departed placements free the places."""

    request = models.ForeignKey(
        PlacementRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("verzoek"),
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="placements", verbose_name=_("locatie")
    )
    people = people_field(_("aantal personen"))
    target_group = models.CharField(_("doelgroep"), max_length=20, choices=TargetGroup.choices)
    category = models.CharField(
        _("categorie"), max_length=30, choices=Category.choices, default=Category.REGULAR
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlacementStatus.choices, default=PlacementStatus.PLACED
    )
    placed_at = models.DateTimeField(_("geplaatst op"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geplaatst door"),
    )
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beëindigd door"),
    )
    report = models.ForeignKey(
        CapacityReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("capaciteitsmelding"),
        help_text=_("De melding die door deze plaatsing is verhoogd."),
    )

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-pk"]
        verbose_name = _("plaatsing")
        verbose_name_plural = _("plaatsingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(people__gte=1, people__lte=MAX_PEOPLE), name="placement_people_range"
            ),
            models.CheckConstraint(
                condition=Q(status=PlacementStatus.PLACED, ended_at__isnull=True)
                | (~Q(status=PlacementStatus.PLACED) & Q(ended_at__isnull=False)),
                name="placement_ended_iff_not_placed",
            ),
        ]
        indexes = [models.Index(fields=["placed_at"], name="placement_placed_at")]

    def __str__(self) -> str:
        return f"{self.people} → {self.location.code} ({self.placed_at:%d-%m-%Y})"

    def clean(self) -> None:
        if self.location_id and self.target_group:
            if self.location.target_group != self.target_group:
                raise ValidationError(
                    {
                        "target_group": (
                            _("%(name)s is een locatie voor %(value)s.")
                            % {
                                "name": self.location.name,
                                "value": self.location.get_target_group_display().lower(),
                            }
                        )
                    }
                )
