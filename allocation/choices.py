"""The allocation vocabularies: API values in English, Dutch labels for the UI."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Issuer(models.TextChoices):
    RIJK = "rijk", _("Rijk")
    COA = "coa", _("COA")
    PROVINCE = "province", _("Provincie")
    TRA = "tra", _("Twentse Regietafel Asielinstroom (TRA)")


class Key(models.TextChoices):
    POPULATION = "population", _("Inwonertal")
    POPULATION_SES = "population_ses", _("Inwonertal × SES-WOA-factor")
    POPULATION_AREA = "population_area", _("Mix van inwonertal en landoppervlakte")
    EQUAL = "equal", _("Gelijke delen")
    CUSTOM = "custom", _("Eigen gewichten")


class Method(models.TextChoices):
    """The rounding methods of `allocation.engine.METHODS`, in the same order."""

    LARGEST_REMAINDER = "largest_remainder", _("Grootste overschot (Hamilton)")
    DHONDT = "dhondt", _("D'Hondt")
    SAINTE_LAGUE = "sainte_lague", _("Sainte-Laguë")


class AssignmentStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    ADOPTED = "adopted", _("Vastgesteld")
    # Set by the nightly job (twente.scheduled) once the deadline has passed; moving the
    # deadline on or after today reopens it (services.assignment_update).
    CLOSED = "closed", _("Afgesloten (deadline verstreken)")


class ExchangeStatus(models.TextChoices):
    AGREED = "agreed", _("Afgesproken")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


class ShareStatus(models.TextChoices):
    """How binding a share is. Appendix 3 of the process plan is "indicatief"; Ukraine places
    were what each municipality offered ("wat elk kon en wilde bijdragen"); a table decided at
    the TRA or BAO, or set by law, is agreed. Matching ranks by agreed shares only."""

    INDICATIVE = "indicative", _("Indicatief")
    OFFERED = "offered", _("Aangeboden")
    AGREED = "agreed", _("Afgesproken")


class CreditKind(models.TextChoices):
    """Effort credited against a share: delivered, or planned with the date it is due
    (Presentatie BAO 31-08-2022: "De gevraagde plekken zijn weggestreept vanwege de geplande
    inspanning")."""

    DELIVERED = "delivered", _("Geleverde inspanning")
    PLANNED = "planned", _("Geplande inspanning")
