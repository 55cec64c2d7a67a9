"""The fixed vocabularies of DESIGN.md: API values in English, Dutch labels for the UI."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetGroup(models.TextChoices):
    ASYLUM = "asylum", _("Asielzoekers")
    PERMIT_HOLDERS = "permit_holders", _("Statushouders")
    UKRAINE = "ukraine", _("Ontheemden uit Oekraïne")


class LocationType(models.TextChoices):
    AZC = "azc", _("Azc (COA)")
    COA_EMERGENCY = "coa_emergency", _("Noodopvang COA")
    CNO = "cno", _("Crisisnoodopvang (CNO)")
    UKRAINE_MUNICIPAL = "ukraine_municipal", _("Gemeentelijke opvang Oekraïne")
    AMV = "amv", _("Amv-locatie")
    INTERMEDIATE = "intermediate", _("Tussenvoorziening")
    FLEX = "flex", _("Flexwoningen")
    HOTEL = "hotel", _("Hotel of vakantiepark")


class LocationStatus(models.TextChoices):
    PLANNED = "planned", _("Gepland")
    PREPARING = "preparing", _("In voorbereiding")
    OPERATIONAL = "operational", _("Operationeel")
    WINDING_DOWN = "winding_down", _("In afbouw")
    CLOSED = "closed", _("Gesloten")


class ReportSource(models.TextChoices):
    FORM = "form", _("Formulier")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    PLACEMENT = "placement", _("Plaatsing")
    ADMIN = "admin", _("Beheer")
    SEED = "seed", _("Brondocument")
    # Made-up history of `manage.py load_demo` (twente/fixtures/README.md): never a real count.
    DEMO = "demo", _("Demo")
