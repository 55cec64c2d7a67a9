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

from capacity.choices import TargetGroup
from capacity.models import CapacityReport, Location
from municipalities.models import Municipality, SafetyRegion

from .choices import Category, Origin, PlacementStatus

# Far above any household or group the phone team places at once.
MAX_PEOPLE = 500
AT_LEAST_ONE = "Vul minstens 1 persoon in."
AT_MOST = f"Er kunnen hoogstens {MAX_PEOPLE} personen tegelijk geplaatst worden."


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
        verbose_name="veiligheidsregio",
    )
    people = people_field("aantal personen")
    target_group = models.CharField("doelgroep", max_length=20, choices=TargetGroup.choices)
    category = models.CharField(
        "categorie", max_length=30, choices=Category.choices, default=Category.REGULAR
    )
    adults = models.PositiveIntegerField("volwassenen", null=True, blank=True)
    children = models.PositiveIntegerField("kinderen", null=True, blank=True)
    household = models.CharField(
        "samenstelling huishouden",
        max_length=200,
        blank=True,
        help_text="Bijvoorbeeld: moeder met twee kinderen.",
    )
    accessible = models.BooleanField("rolstoeltoegankelijk nodig", default=False)
    ground_floor = models.BooleanField("kamer op de begane grond nodig", default=False)
    family_rooms = models.BooleanField("gezinskamer nodig", default=False)
    pets = models.BooleanField("met huisdieren", default=False)
    preferred_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="voorkeursgemeente",
    )
    arrival_date = models.DateField("aankomstdatum", null=True, blank=True)
    origin = models.CharField("herkomst", max_length=20, choices=Origin.choices)
    origin_note = models.CharField("toelichting herkomst", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="aangemaakt door",
    )
    created_at = models.DateTimeField("aangemaakt", auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "plaatsingsverzoek"
        verbose_name_plural = "plaatsingsverzoeken"
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
                            f"Volwassenen ({self.adults}) en kinderen ({self.children}) samen "
                            f"moeten het aantal personen ({self.people}) zijn."
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
        verbose_name="verzoek",
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="placements", verbose_name="locatie"
    )
    people = people_field("aantal personen")
    target_group = models.CharField("doelgroep", max_length=20, choices=TargetGroup.choices)
    category = models.CharField(
        "categorie", max_length=30, choices=Category.choices, default=Category.REGULAR
    )
    status = models.CharField(
        "status", max_length=20, choices=PlacementStatus.choices, default=PlacementStatus.PLACED
    )
    placed_at = models.DateTimeField("geplaatst op")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="geplaatst door",
    )
    ended_at = models.DateTimeField("beëindigd op", null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="beëindigd door",
    )
    report = models.ForeignKey(
        CapacityReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name="capaciteitsmelding",
        help_text="De melding die door deze plaatsing is verhoogd.",
    )

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-pk"]
        verbose_name = "plaatsing"
        verbose_name_plural = "plaatsingen"
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
                            f"{self.location.name} is een locatie voor "
                            f"{self.location.get_target_group_display().lower()}."
                        )
                    }
                )
