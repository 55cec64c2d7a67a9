"""Fixed vocabularies of the phone team's matching: API values in English, Dutch labels."""

from django.db import models


class Category(models.TextChoices):
    """The categories the regional table counts within a target group."""

    REGULAR = "regular", "Regulier"
    THIRD_COUNTRY_UKRAINE = "third_country_ukraine", "Derdelanders (Oekraïense verblijfsvergunning)"
    AMV = "amv", "Amv (alleenstaande minderjarige)"
    OTHER = "other", "Overig"


class Origin(models.TextChoices):
    MUNICIPAL_DESK = "municipal_desk", "Loket van een gemeente"
    TER_APEL = "ter_apel", "Nationaal aanmeldcentrum Ter Apel"
    COA = "coa", "COA"
    OTHER = "other", "Anders"


class PlacementStatus(models.TextChoices):
    PLACED = "placed", "Geplaatst"
    CANCELLED = "cancelled", "Geannuleerd"
    DEPARTED = "departed", "Vertrokken"


# The facility booleans of capacity.Location a request can ask for, with their Dutch labels.
NEEDS = (
    ("accessible", "Rolstoeltoegankelijk"),
    ("ground_floor", "Kamer op de begane grond"),
    ("family_rooms", "Gezinskamer"),
    ("pets", "Huisdieren"),
)
