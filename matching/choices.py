"""Fixed vocabularies of the phone team's matching: API values in English, Dutch labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """The categories the regional table counts within a target group."""

    REGULAR = "regular", _("Regulier")
    THIRD_COUNTRY_UKRAINE = (
        "third_country_ukraine",
        _("Derdelanders (Oekraïense verblijfsvergunning)"),
    )
    AMV = "amv", _("Amv (alleenstaande minderjarige)")
    OTHER = "other", _("Overig")


class Origin(models.TextChoices):
    MUNICIPAL_DESK = "municipal_desk", _("Loket van een gemeente")
    TER_APEL = "ter_apel", _("Nationaal aanmeldcentrum Ter Apel")
    COA = "coa", _("COA")
    OTHER = "other", _("Anders")


class PlacementStatus(models.TextChoices):
    PLACED = "placed", _("Geplaatst")
    CANCELLED = "cancelled", _("Geannuleerd")
    DEPARTED = "departed", _("Vertrokken")


# The facility booleans of capacity.Location a request can ask for, with their Dutch labels.
NEEDS = (
    ("accessible", _("Rolstoeltoegankelijk")),
    ("ground_floor", _("Kamer op de begane grond")),
    ("family_rooms", _("Gezinskamer")),
    ("pets", _("Huisdieren")),
)
