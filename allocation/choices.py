"""The allocation vocabularies: API values in English, Dutch labels for the UI."""

from django.db import models


class Issuer(models.TextChoices):
    RIJK = "rijk", "Rijk"
    COA = "coa", "COA"
    PROVINCE = "province", "Provincie"
    TRA = "tra", "Twentse Regietafel Asielinstroom (TRA)"


class Key(models.TextChoices):
    POPULATION = "population", "Inwonertal"
    POPULATION_SES = "population_ses", "Inwonertal × SES-WOA-factor"
    POPULATION_AREA = "population_area", "Mix van inwonertal en landoppervlakte"
    EQUAL = "equal", "Gelijke delen"
    CUSTOM = "custom", "Eigen gewichten"


class Method(models.TextChoices):
    """The rounding methods of `allocation.engine.METHODS`, in the same order."""

    LARGEST_REMAINDER = "largest_remainder", "Grootste overschot (Hamilton)"
    DHONDT = "dhondt", "D'Hondt"
    SAINTE_LAGUE = "sainte_lague", "Sainte-Laguë"


class AssignmentStatus(models.TextChoices):
    DRAFT = "draft", "Concept"
    ADOPTED = "adopted", "Vastgesteld"
    # Set by the nightly job (twente.scheduled) once the deadline has passed; moving the
    # deadline on or after today reopens it (services.assignment_update).
    CLOSED = "closed", "Afgesloten (deadline verstreken)"


class ExchangeStatus(models.TextChoices):
    AGREED = "agreed", "Afgesproken"
    WITHDRAWN = "withdrawn", "Ingetrokken"


class ShareStatus(models.TextChoices):
    """How binding a share is. Appendix 3 of the process plan is "indicatief"; Ukraine places
    were what each municipality offered ("wat elk kon en wilde bijdragen"); a table decided at
    the TRA or BAO, or set by law, is agreed. Matching ranks by agreed shares only."""

    INDICATIVE = "indicative", "Indicatief"
    OFFERED = "offered", "Aangeboden"
    AGREED = "agreed", "Afgesproken"


class CreditKind(models.TextChoices):
    """Effort credited against a share: delivered, or planned with the date it is due (seed
    003: "De gevraagde plekken zijn weggestreept vanwege de geplande inspanning")."""

    DELIVERED = "delivered", "Geleverde inspanning"
    PLANNED = "planned", "Geplande inspanning"
