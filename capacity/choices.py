"""The fixed vocabularies of DESIGN.md: API values in English, Dutch labels for the UI."""

from django.db import models


class TargetGroup(models.TextChoices):
    ASYLUM = "asylum", "Asielzoekers"
    PERMIT_HOLDERS = "permit_holders", "Statushouders"
    UKRAINE = "ukraine", "Ontheemden uit Oekraïne"


class LocationType(models.TextChoices):
    AZC = "azc", "Azc (COA)"
    COA_EMERGENCY = "coa_emergency", "Noodopvang COA"
    CNO = "cno", "Crisisnoodopvang (CNO)"
    UKRAINE_MUNICIPAL = "ukraine_municipal", "Gemeentelijke opvang Oekraïne"
    AMV = "amv", "Amv-locatie"
    INTERMEDIATE = "intermediate", "Tussenvoorziening"
    FLEX = "flex", "Flexwoningen"
    HOTEL = "hotel", "Hotel of vakantiepark"


class LocationStatus(models.TextChoices):
    PLANNED = "planned", "Gepland"
    PREPARING = "preparing", "In voorbereiding"
    OPERATIONAL = "operational", "Operationeel"
    WINDING_DOWN = "winding_down", "In afbouw"
    CLOSED = "closed", "Gesloten"


class ReportSource(models.TextChoices):
    FORM = "form", "Formulier"
    API = "api", "API"
    IMPORT = "import", "Import"
    PLACEMENT = "placement", "Plaatsing"
    ADMIN = "admin", "Beheer"
    SEED = "seed", "Brondocument"
    # Made-up history of `manage.py load_demo` (twente/fixtures/README.md): never a real count.
    DEMO = "demo", "Demo"
