"""Assignments (regional tasks), their shares per municipality and exchanges between shares.

Vocabulary (DOMAIN.md): an *assignment* (taakstelling) is a number of places a region must
realise for one target group by a date (``realise_by``, formerly ``deadline``), often with a
period in which the places must be available (``available_from``/``available_until``; then
realisation is the lowest count over it). It is *in force* within its period, and several
can be at once (``allocation.tasks_in_force``). A task can have *parts* for a sub-group (AMV
inside asylum: ``parent``), each with its own total, shares and location types, counted
inside the parent. A *provincial task* (:class:`ProvincialTask`) is split over the
province's regions; each region's part is that region's task. The engine divides an
assignment into *shares*, one per municipality. A share has three layers:

- ``computed_share``: what the engine gives from the key and options (recomputed when figures
  change);
- ``agreed_share``: set where the region agreed a different table (with a reason), e.g. the
  official per-municipality numbers of a circular; the *base share* is the agreed share if
  there is one, else the computed share;
- *effective share* = base share − places given away + places taken over by agreed
  *exchanges* (uitruil / saldering, see :class:`Exchange`).

``realised`` is kept up to date by the worker, as of the realisation date (the end of the
period when it has passed, else today):

- for a task of shelter places (asylum seekers, Ukraine) the operational capacity of the
  assignment's target group in the municipality on that date, of the location types that
  count toward it (``location_types``: the regular asylum task counts AZC places, the crisis
  task CNO places; empty: every type);
- for a task for permit holders (taakstelling huisvesting vergunninghouders) the persons the
  municipality housed within the task's period, from ``starts_on`` (without one: from its
  first report) through the realisation date: the sum of its permit-holder housing reports
  (``capacity.PermitHolderReport``). The law counts persons housed per half year; housing
  them in ordinary homes creates no places.

A permit-holder task may ``follow`` the previous one: each share then carries
``carried_over``, the previous effective share minus what was realised of it (arrears;
negative for a lead), and the effective share includes it. The worker keeps it current.

The *gap* is effective share − realised (negative: a surplus).
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from capacity.choices import LocationType, TargetGroup
from capacity.models import Location, PermitHolderReport
from municipalities.models import Municipality, SafetyRegion

from .choices import (
    AssignmentStatus,
    CreditKind,
    ExchangeStatus,
    Issuer,
    Key,
    Method,
    ShareStatus,
)

# Path segments under /allocations/ that are pages, so no assignment may be called that.
RESERVED_CODES = frozenset({"new", "exchanges", "credits"})
# Far above any national task (75,500 asylum places in 2024).
MAX_TOTAL = 1_000_000


def _sum_subquery(queryset: models.QuerySet, group_by: str, expression) -> Coalesce:
    """One correlated SUM as a scalar subquery, 0 when there are no rows."""
    summed = (
        queryset.order_by().values(group_by).annotate(total=Sum(expression)).values("total")[:1]
    )
    return Coalesce(Subquery(summed), Value(0))


def _agreed_exchanges(**filters) -> models.QuerySet:
    return Exchange.objects.filter(status=ExchangeStatus.AGREED, **filters)


class AssignmentQuerySet(models.QuerySet):
    def in_region(self, region_code: str) -> "AssignmentQuerySet":
        return self.filter(region__code=region_code)

    def with_totals(self) -> "AssignmentQuerySet":
        """Annotate the regional totals, each one correlated subquery (no row loops).

        ``base_total``: sum of base shares (equals ``total`` unless agreed shares drifted);
        ``exchanged``: places moved into this assignment from another target group minus those
        moved out (exchanges within the assignment cancel out); ``carried_over_total``: the
        arrears (negative: lead) taken over from the task this one follows;
        ``effective_total`` (base + exchanged + carried over), ``realised_total`` and ``gap``
        (effective − realised, negative is a surplus).
        """
        shares = Share.objects.filter(assignment=OuterRef("pk"))
        moved_in = _agreed_exchanges(to_assignment=OuterRef("pk")).exclude(
            from_assignment=OuterRef("pk")
        )
        moved_out = _agreed_exchanges(from_assignment=OuterRef("pk")).exclude(
            to_assignment=OuterRef("pk")
        )
        return self.annotate(
            base_total=_sum_subquery(
                shares, "assignment", Coalesce("agreed_share", "computed_share")
            ),
            realised_total=_sum_subquery(shares, "assignment", "realised"),
            credited_total=_sum_subquery(shares, "assignment", "credited"),
            carried_over_total=_sum_subquery(shares, "assignment", "carried_over"),
            exchanged=_sum_subquery(moved_in, "to_assignment", "to_places")
            - _sum_subquery(moved_out, "from_assignment", "places"),
        ).annotate(
            effective_total=F("base_total") + F("exchanged") + F("carried_over_total"),
            gap=F("base_total")
            + F("exchanged")
            + F("carried_over_total")
            - F("realised_total")
            - F("credited_total"),
        )


class Assignment(models.Model):
    """A regional task: ``total`` places for one target group, divided by a key and method."""

    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("Vaste sleutel, bijvoorbeeld asylum-2024-01; wordt gebruikt in de API."),
    )
    title = models.CharField(_("titel"), max_length=200)
    target_group = models.CharField(_("doelgroep"), max_length=20, choices=TargetGroup.choices)
    issuer = models.CharField(_("opdrachtgever"), max_length=20, choices=Issuer.choices)
    region = models.ForeignKey(
        SafetyRegion,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("veiligheidsregio"),
    )
    # The divisor methods hand out places one by one, so an absurd total is refused up front.
    total = models.PositiveIntegerField(
        _("totaal aantal plaatsen"), validators=[MaxValueValidator(MAX_TOTAL)]
    )
    # Which places count toward the task (e.g. the regular asylum task AZC places, the crisis
    # task CNO places): empty means every location type of the target group.
    location_types = models.JSONField(
        _("meetellende locatietypen"),
        default=list,
        blank=True,
        help_text=_(
            "De locatietypen waarvan de operationele plekken meetellen; leeg: alle "
            "locatietypen van de doelgroep. Niet bij statushouders (die tellen gehuisveste "
            "personen)."
        ),
    )
    starts_on = models.DateField(
        _("begindatum"),
        null=True,
        blank=True,
        help_text=_(
            "Begin van de periode van de taakstelling. Bij statushouders telt wie vanaf "
            "deze datum tot en met de uiterste datum is gehuisvest."
        ),
    )
    realise_by = models.DateField(_("realiseren uiterlijk op"), null=True, blank=True)
    # "Permanent beschikbaar van 1 oktober tot 1 januari": the places must be there every day
    # of this period, so realisation is the lowest count over it.
    available_from = models.DateField(
        _("beschikbaar vanaf"),
        null=True,
        blank=True,
        help_text=_("Begin van de periode waarin de plekken beschikbaar moeten zijn."),
    )
    available_until = models.DateField(
        _("beschikbaar tot en met"),
        null=True,
        blank=True,
        help_text=_("Einde van de beschikbaarheidsperiode; daarna is de taakstelling afgelopen."),
    )
    # A part for a sub-group (AMV inside the asylum task): own total, shares and location
    # types, counted inside its parent's total, never as a task of its own.
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name=_("onderdeel van"),
        help_text=_("De taakstelling waarvan dit een deeltaak is (bijvoorbeeld AMV binnen asiel)."),
    )
    follows = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followed_by",
        verbose_name=_("volgt op"),
        # One follower per task: two would both take over its arrears.
        error_messages={"unique": _("Op deze taakstelling volgt al een andere taakstelling.")},
        help_text=_(
            "De vorige taakstelling: haar achterstand (of voorsprong) per gemeente telt "
            "mee in deze."
        ),
    )
    reference_date = models.DateField(
        _("peildatum kerncijfers"),
        null=True,
        blank=True,
        help_text=_("Leeg: het laatst bekende cijfer."),
    )
    key = models.CharField(
        _("verdeelsleutel"), max_length=20, choices=Key.choices, default=Key.POPULATION
    )
    method = models.CharField(
        _("verdeelmethode"),
        max_length=20,
        choices=Method.choices,
        default=Method.LARGEST_REMAINDER,
    )
    minimum = models.PositiveIntegerField(_("minimum per gemeente"), default=0)
    maximum = models.PositiveIntegerField(_("maximum per gemeente"), null=True, blank=True)
    # Per municipality (CBS code -> whole places): bounds and effort already delivered.
    minimums = models.JSONField(_("minimum per gemeente (afwijkend)"), default=dict, blank=True)
    maximums = models.JSONField(_("maximum per gemeente (afwijkend)"), default=dict, blank=True)
    credits = models.JSONField(_("eerdere inzet per gemeente"), default=dict, blank=True)
    exclude = models.JSONField(_("uitgesloten gemeenten"), default=list, blank=True)
    # Custom key: CBS code -> weight as a decimal string, so no float ever touches it.
    weights = models.JSONField(_("eigen gewichten"), default=dict, blank=True)
    area_weight = models.DecimalField(
        _("aandeel landoppervlakte in de mix"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.5"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Alleen bij de sleutel 'mix van inwonertal en landoppervlakte': 0 tot 1."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.DRAFT
    )
    notes = models.TextField(_("toelichting"), blank=True)
    source = models.TextField(_("bron"), blank=True)
    computed_at = models.DateTimeField(_("verdeling berekend op"), null=True, blank=True)
    realised_on = models.DateField(_("realisatie bepaald per"), null=True, blank=True)
    compute_error = models.TextField(
        _("laatste herberekening mislukt"),
        blank=True,
        help_text=_("Waarom de verdeling niet opnieuw berekend kon worden; leeg als het lukte."),
    )
    adopted_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgesteld door"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["target_group", "-realise_by", "code"]
        verbose_name = _("taakstelling")
        verbose_name_plural = _("taakstellingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(maximum__isnull=True) | Q(minimum__lte=F("maximum")),
                name="assignment_minimum_not_above_maximum",
            ),
            models.CheckConstraint(
                condition=Q(area_weight__gte=0) & Q(area_weight__lte=1),
                name="assignment_area_weight_between_0_and_1",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.code in RESERVED_CODES:
            errors["code"] = _("De code '%(code)s' is gereserveerd; kies een andere.") % {
                "code": self.code
            }
        if self.maximum is not None and self.minimum > self.maximum:
            errors["maximum"] = _(
                "Het maximum (%(maximum)s) is lager dan het minimum (%(minimum)s)."
            ) % {"maximum": self.maximum, "minimum": self.minimum}
        for field in ("minimums", "maximums", "credits"):
            message = _whole_places_error(getattr(self, field))
            if message:
                errors[field] = message
        if not isinstance(self.exclude, list) or not all(
            isinstance(code, str) for code in self.exclude
        ):
            errors["exclude"] = _("Geef de uitgesloten gemeenten als een lijst van CBS-codes.")
        errors.update(self._period_errors())
        types_error = self._location_types_error()
        if types_error:
            errors["location_types"] = types_error
        weights_error = _weights_error(self.weights)
        if weights_error:
            errors["weights"] = weights_error
        elif self.key == Key.CUSTOM and not self.weights:
            errors["weights"] = _("De sleutel 'eigen gewichten' vraagt een gewicht per gemeente.")
        elif self.key != Key.CUSTOM and self.weights:
            errors["weights"] = _("Eigen gewichten horen alleen bij de sleutel 'eigen gewichten'.")
        if errors:
            raise ValidationError(errors)

    # The field was called ``deadline`` before issue 23; the name still reads and sets it.
    @property
    def deadline(self) -> datetime.date | None:
        return self.realise_by

    @deadline.setter
    def deadline(self, value: datetime.date | None) -> None:
        self.realise_by = value

    @property
    def period_start(self) -> datetime.date | None:
        """The first day the task is in force: its availability period's start, else its
        ``starts_on``; None: from the start."""
        return self.available_from or self.starts_on

    @property
    def period_end(self) -> datetime.date | None:
        """The last day the task is in force: the end of its availability period, else its
        realise-by date; None: open-ended."""
        return self.available_until or self.realise_by

    def in_force_on(self, on: datetime.date) -> bool:
        """Adopted (or closed since) and ``on`` within its period; a part never is (it counts
        inside its parent)."""
        if self.parent_id is not None or self.status == AssignmentStatus.DRAFT:
            return False
        start, end = self.period_start, self.period_end
        return (start is None or start <= on) and (end is None or on <= end)

    def ended_on(self, on: datetime.date) -> bool:
        """The period is over ("afgelopen"): the figures shown are the final result."""
        return self.period_end is not None and self.period_end < on

    @property
    def counts_housed(self) -> bool:
        """Realised in persons housed within the period, not in operational places."""
        return self.target_group == TargetGroup.PERMIT_HOLDERS

    @property
    def realisation(self) -> str:
        """What ``realised`` counts: "housed" (persons) or "places" (operational places)."""
        return "housed" if self.counts_housed else "places"

    @property
    def eligible_location_types(self) -> tuple[str, ...]:
        """The location types whose operational places count toward this task."""
        return tuple(self.location_types) if self.location_types else tuple(LocationType.values)

    @property
    def location_type_labels(self) -> list[str]:
        """The Dutch labels of the types stated, for the pages; empty when every type counts."""
        return [str(LocationType(value).label) for value in self.location_types or ()]

    def realised_from(self, places: Mapping[tuple[str, str, str], int], area_code: str) -> int:
        """The places that count toward this task in one municipality or region, from
        operational places per (area code, target group, location type)."""
        return sum(
            places.get((area_code, self.target_group, location_type), 0)
            for location_type in self.eligible_location_types
        )

    def _location_types_error(self) -> str:
        values = self.location_types
        if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
            return _("Geef de meetellende locatietypen als een lijst van typen.")
        unknown = sorted(set(values) - set(LocationType.values))
        if unknown:
            return _("Onbekend locatietype: %(list)s.") % {"list": ", ".join(unknown)}
        if len(set(values)) != len(values):
            return _("Elk locatietype mag maar één keer voorkomen.")
        if values and self.counts_housed:
            return _(
                "Een taakstelling voor statushouders telt gehuisveste personen, geen plekken: "
                "laat de locatietypen leeg."
            )
        return ""

    def _period_errors(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        if self.starts_on and self.deadline and self.starts_on > self.deadline:
            errors["starts_on"] = _("De begindatum ligt na de uiterste datum.")
        if (
            self.available_from
            and self.available_until
            and self.available_from > self.available_until
        ):
            errors["available_until"] = _("De beschikbaarheidsperiode eindigt voor ze begint.")
        parent_error = self._parent_error()
        if parent_error:
            errors["parent"] = parent_error
        previous = self.follows
        if previous is None:
            return errors
        if not self.counts_housed:
            # Places realised for a task still count in the next one; only a number of persons
            # housed per period has arrears to carry over.
            errors["follows"] = _(
                "Alleen een taakstelling voor statushouders kan op een vorige volgen: "
                "gerealiseerde opvangplekken tellen vanzelf mee in de volgende taakstelling."
            )
        elif previous.target_group != self.target_group or previous.region_id != self.region_id:
            errors["follows"] = _(
                "De vorige taakstelling moet voor dezelfde doelgroep en veiligheidsregio zijn."
            )
        elif self._follows_itself():
            errors["follows"] = _("Een taakstelling kan niet (via andere) op zichzelf volgen.")
        elif previous.deadline is None or (
            self.starts_on is not None and self.starts_on <= previous.deadline
        ):
            errors["follows"] = _(
                "De vorige taakstelling (%(code)s) moet een uiterste datum "
                "hebben die voor de begindatum van deze ligt."
            ) % {"code": previous.code}
        return errors

    def _parent_error(self) -> str:
        parent = self.parent
        if parent is None:
            return ""
        if parent.parent_id is not None:
            return "Een deeltaak kan zelf geen deeltaken hebben."
        if self.pk is not None and parent.pk == self.pk:
            return "Een taakstelling kan geen deeltaak van zichzelf zijn."
        if parent.target_group != self.target_group or parent.region_id != self.region_id:
            return (
                "Een deeltaak hoort bij dezelfde doelgroep en veiligheidsregio als de taakstelling."
            )
        if self.total > parent.total:
            return (
                f"De deeltaak ({self.total}) is groter dan de taakstelling waarvan ze deel is "
                f"({parent.total})."
            )
        # The part's places count inside the parent, so they must be places the parent counts.
        outside = sorted(set(self.eligible_location_types) - set(parent.eligible_location_types))
        if outside:
            return (
                "De deeltaak telt locatietypen die de taakstelling zelf niet telt: "
                f"{', '.join(outside)}."
            )
        return ""

    def _follows_itself(self) -> bool:
        seen: set[int] = set()
        previous = self.follows
        while previous is not None and previous.pk not in seen:
            if self.pk is not None and previous.pk == self.pk:
                return True
            seen.add(previous.pk)
            previous = previous.follows
        return False


def _whole_places_error(values: object) -> str:
    if not isinstance(values, dict):
        return _("Geef per gemeente (CBS-code) een aantal plaatsen.")
    for code, places in values.items():
        if not isinstance(places, int) or isinstance(places, bool) or places < 0:
            return _(
                "Het aantal voor %(code)s moet een heel getal van 0 of meer zijn, niet %(places)s."
            ) % {"code": code, "places": repr(places)}
    return ""


def _weights_error(values: object) -> str:
    if not isinstance(values, dict):
        return _("Geef per gemeente (CBS-code) een gewicht.")
    for code, weight in values.items():
        try:
            number = Decimal(str(weight))
        except ArithmeticError:
            return _("Het gewicht van %(code)s is geen getal: %(weight)s.") % {
                "code": code,
                "weight": repr(weight),
            }
        if isinstance(weight, bool) or not number.is_finite() or number < 0:
            return _(
                "Het gewicht van %(code)s moet een getal van 0 of meer zijn, niet %(weight)s."
            ) % {"code": code, "weight": repr(weight)}
    return ""


class ShareQuerySet(models.QuerySet):
    def with_effective(self) -> "ShareQuerySet":
        """Annotate ``given``, ``taken``, ``balance``, ``effective_share`` and ``gap``.

        The effective share is the base share − given + taken + ``carried_over``. Two
        correlated subqueries over agreed exchanges; constant query count for any number of
        shares.
        """
        given = _agreed_exchanges(
            from_assignment=OuterRef("assignment_id"), from_municipality=OuterRef("municipality_id")
        )
        taken = _agreed_exchanges(
            to_assignment=OuterRef("assignment_id"), to_municipality=OuterRef("municipality_id")
        )
        base = Coalesce("agreed_share", "computed_share")
        return self.annotate(
            given=_sum_subquery(given, "from_assignment", "places"),
            taken=_sum_subquery(taken, "to_assignment", "to_places"),
        ).annotate(
            balance=F("taken") - F("given"),
            effective_share=base - F("given") + F("taken") + F("carried_over"),
            gap=base - F("given") + F("taken") + F("carried_over") - F("realised") - F("credited"),
        )

    def with_linked(self) -> "ShareQuerySet":
        """Annotate ``linked``: for a permit-holder task, the permit holders linked to the
        municipality but not yet housed by its latest housing report on or before the task's
        deadline (the pipeline); None for other tasks or without a report. One correlated
        subquery (an index lookup on municipality and date)."""
        latest = PermitHolderReport.objects.filter(
            municipality=OuterRef("municipality_id")
        ).order_by("-date")
        return self.annotate(
            linked=Case(
                When(
                    Q(assignment__target_group=TargetGroup.PERMIT_HOLDERS)
                    & Q(assignment__realise_by__isnull=True),
                    then=Subquery(latest.values("linked")[:1]),
                ),
                When(
                    assignment__target_group=TargetGroup.PERMIT_HOLDERS,
                    then=Subquery(
                        latest.filter(date__lte=OuterRef("assignment__realise_by")).values(
                            "linked"
                        )[:1]
                    ),
                ),
                default=Value(None),
                output_field=models.IntegerField(),
            )
        )


class Share(models.Model):
    """One municipality's part of an assignment."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="shares", verbose_name=_("taakstelling")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="shares", verbose_name=_("gemeente")
    )
    # Display copies of the engine's exact figures (the engine itself works with fractions).
    weight = models.DecimalField(_("gewicht"), max_digits=24, decimal_places=6, default=0)
    quota = models.DecimalField(_("quotum"), max_digits=14, decimal_places=4, default=0)
    credit = models.PositiveIntegerField(_("eerdere inzet"), default=0)
    computed_share = models.PositiveIntegerField(_("berekend aandeel"), default=0)
    agreed_share = models.PositiveIntegerField(_("afgesproken aandeel"), null=True, blank=True)
    agreed_reason = models.TextField(_("reden afwijking"), blank=True)
    agreed_at = models.DateTimeField(_("afgesproken op"), null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afgesproken door"),
    )
    status = models.CharField(
        _("status aandeel"),
        max_length=10,
        choices=ShareStatus.choices,
        default=ShareStatus.INDICATIVE,
        help_text=_(
            "Indicatief, aangeboden of afgesproken; de matching telt alleen afgesproken "
            "aandelen, of de indicatieve als er geen enkel aandeel is afgesproken."
        ),
    )
    realised = models.PositiveIntegerField(_("gerealiseerd"), default=0)
    # Kept by the worker from the municipality's credits (`Credit`) on the realisation date.
    credited = models.PositiveIntegerField(
        _("verrekende inzet"),
        default=0,
        help_text=_("Geleverde of geplande inspanning die als gerealiseerd meetelt."),
    )
    # Kept by the worker from the share of the same municipality in the task this one follows.
    carried_over = models.IntegerField(
        _("meegenomen uit vorige taakstelling"),
        default=0,
        help_text=_("Achterstand uit de vorige taakstelling (negatief: voorsprong)."),
    )

    objects = ShareQuerySet.as_manager()

    class Meta:
        ordering = ["assignment", "municipality__name"]
        verbose_name = _("aandeel")
        verbose_name_plural = _("aandelen")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "municipality"], name="share_one_per_municipality"
            ),
            # An agreed share that differs from the computed one needs a reason.
            models.CheckConstraint(
                condition=Q(agreed_share__isnull=True)
                | Q(agreed_share=F("computed_share"))
                | ~Q(agreed_reason=""),
                name="share_deviation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.base_share}"

    @property
    def base_share(self) -> int:
        return self.computed_share if self.agreed_share is None else self.agreed_share

    @property
    def deviates(self) -> bool:
        return self.agreed_share is not None and self.agreed_share != self.computed_share

    def clean(self) -> None:
        if self.deviates and not self.agreed_reason.strip():
            raise ValidationError(
                {
                    "agreed_reason": (
                        _(
                            "Geef een reden: het afgesproken aandeel van %(municipality)s "
                            "(%(agreed_share)s) wijkt af van het berekende "
                            "(%(computed_share)s)."
                        )
                        % {
                            "municipality": self.municipality,
                            "agreed_share": self.agreed_share,
                            "computed_share": self.computed_share,
                        }
                    )
                }
            )


class Exchange(models.Model):
    """``places`` of obligation move from one (municipality, assignment) to another.

    - *Transfer* between municipalities (same assignment): ``to_municipality`` takes over part
      of ``from_municipality``'s share. The assignment's regional total is unchanged.
    - *Swap* between target groups (same municipality): the municipality does ``places`` more
      of ``to_assignment`` and as many fewer of ``from_assignment`` (saldering). The two
      assignments' totals move by ``places`` in opposite directions, so the regional total
      "under the line" (the sum over the target groups) is unchanged.
    - Both at once (another municipality, another target group) follows the same rule.

    A swap states its ratio (``ratio_from``:``ratio_to``, default 1:1) and a reason: ``places``
    leave the giving task and ``to_places`` = places × ratio_to / ratio_from (a whole number)
    arrive in the receiving one, so at another ratio the totals under the line move by the
    difference, which is what the table agreed. A transfer within one task is always 1:1.

    Effective share of (municipality, assignment) = base share − places given away + places
    taken over, counting agreed exchanges only; it may not become negative. Withdrawn exchanges
    are kept for the record and count for nothing.
    """

    region = models.ForeignKey(
        SafetyRegion,
        on_delete=models.PROTECT,
        related_name="exchanges",
        verbose_name=_("veiligheidsregio"),
    )
    from_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="exchanges_given",
        verbose_name=_("van gemeente"),
    )
    from_assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="exchanges_out",
        verbose_name=_("van taakstelling"),
    )
    to_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="exchanges_taken",
        verbose_name=_("naar gemeente"),
    )
    to_assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="exchanges_in",
        verbose_name=_("naar taakstelling"),
    )
    places = models.PositiveIntegerField(_("aantal plaatsen"), validators=[MinValueValidator(1)])
    # A swap between target groups states its ratio ("1 asylum place for 2 Ukraine places"):
    # `places` leave the giving side, `to_places` = places × ratio_to / ratio_from arrive.
    ratio_from = models.PositiveSmallIntegerField(
        _("verhouding: afgestaan"), default=1, validators=[MinValueValidator(1)]
    )
    ratio_to = models.PositiveSmallIntegerField(
        _("verhouding: overgenomen"), default=1, validators=[MinValueValidator(1)]
    )
    to_places = models.PositiveIntegerField(
        _("aantal plaatsen overgenomen"),
        validators=[MinValueValidator(1)],
        help_text=_("Het aantal plaatsen volgens de verhouding; bij 1:1 gelijk aan het aantal."),
    )
    reason = models.TextField(_("reden"))
    date = models.DateField(_("datum afspraak"))
    status = models.CharField(
        _("status"), max_length=10, choices=ExchangeStatus.choices, default=ExchangeStatus.AGREED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("uitruil")
        verbose_name_plural = _("uitruil en saldering")
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="exchange_places_positive"),
            models.CheckConstraint(
                condition=Q(to_places__gte=1) & Q(ratio_from__gte=1) & Q(ratio_to__gte=1),
                name="exchange_ratio_positive",
            ),
            # Within one task a place is a place: only a swap has a ratio.
            models.CheckConstraint(
                condition=~Q(from_assignment=F("to_assignment"))
                | (Q(ratio_from=1) & Q(ratio_to=1) & Q(to_places=F("places"))),
                name="exchange_transfer_one_to_one",
            ),
            models.CheckConstraint(
                condition=~Q(from_municipality=F("to_municipality"))
                | ~Q(from_assignment=F("to_assignment")),
                name="exchange_moves_somewhere",
            ),
        ]
        indexes = [
            models.Index(fields=["from_assignment", "from_municipality"], name="exchange_from_idx"),
            models.Index(fields=["to_assignment", "to_municipality"], name="exchange_to_idx"),
        ]

    def __str__(self) -> str:
        return _(
            "%(places)s plaatsen van %(from_municipality)s (%(code)s) naar "
            "%(to_municipality)s (%(code2)s)"
        ) % {
            "places": self.places,
            "from_municipality": self.from_municipality,
            "code": self.from_assignment.code,
            "to_municipality": self.to_municipality,
            "code2": self.to_assignment.code,
        }

    @property
    def ratio(self) -> str:
        return f"{self.ratio_from}:{self.ratio_to}"

    @property
    def is_swap(self) -> bool:
        """A move between target groups (saldering) rather than within one assignment."""
        return self.from_assignment_id != self.to_assignment_id

    def clean(self) -> None:
        errors: dict[str, str] = {}
        same_place = self.from_municipality_id == self.to_municipality_id
        if same_place and self.from_assignment_id == self.to_assignment_id:
            errors["to_municipality"] = _(
                "Kies een andere gemeente of een andere taakstelling: nu verschuift er niets."
            )
        if not (self.from_assignment_id and self.to_assignment_id):
            if errors:
                raise ValidationError(errors)
            return
        if not self.is_swap and (self.ratio_from, self.ratio_to) != (1, 1):
            errors["ratio_to"] = _(
                "Een overname binnen één taakstelling gaat plaats voor plaats (1:1); een "
                "verhouding hoort bij saldering tussen doelgroepen."
            )
        if self.is_swap and (self.from_assignment.target_group == self.to_assignment.target_group):
            errors["to_assignment"] = _(
                "Saldering gaat tussen doelgroepen: kies een taakstelling voor een andere "
                "doelgroep, of dezelfde taakstelling voor een overname tussen gemeenten."
            )
        for field in ("from_assignment", "to_assignment"):
            if getattr(self, field).region_id != self.region_id:
                errors[field] = _("Deze taakstelling hoort bij een andere veiligheidsregio.")
        for field in ("from_municipality", "to_municipality"):
            municipality = getattr(self, field, None)
            if municipality is not None and municipality.safety_region_id != self.region_id:
                errors[field] = _("%(municipality)s hoort niet bij deze veiligheidsregio.") % {
                    "municipality": municipality
                }
        if errors:
            raise ValidationError(errors)


class Credit(models.Model):
    """Effort credited against a municipality's share: it counts as realised (``credited``).

    - *Delivered* effort ("De geleverde inspanning ... is hierbij verdisconteerd", Presentatie BAO
      31-08-2022):
      counts in full; with a ``location`` (the credited places) only while that location is
      operational, at most its reported capacity: credited places that close reduce the
      credit, and the shortfall shows again.
    - *Planned* effort ("weggestreept vanwege de geplande inspanning"): counts in full until
      ``due_on``; from then on only when delivered, i.e. its ``location`` is operational.
      Without a location it lapses on its due date.

    A credited location of a type that counts toward the task is in ``realised`` once it is
    operational, so it is credited only before that (planned effort), never twice.
    The engine's ``Assignment.credits`` are something else: effort that shapes the
    distribution itself (a share never below it).
    """

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="credit_entries",
        verbose_name=_("taakstelling"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="credits",
        verbose_name=_("gemeente"),
    )
    kind = models.CharField(
        _("soort"), max_length=10, choices=CreditKind.choices, default=CreditKind.DELIVERED
    )
    places = models.PositiveIntegerField(_("plaatsen"), validators=[MinValueValidator(1)])
    due_on = models.DateField(
        _("uiterlijk gereed op"),
        null=True,
        blank=True,
        help_text=_("Bij geplande inspanning: de datum waarop de plaatsen er moeten zijn."),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="credits",
        verbose_name=_("locatie"),
        help_text=_("De locatie van de verrekende plaatsen; sluit zij, dan vervalt de inzet."),
    )
    reason = models.TextField(_("reden"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        ordering = ["assignment", "municipality__name", "pk"]
        verbose_name = _("verrekende inzet")
        verbose_name_plural = _("verrekende inzet")
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="credit_places_positive"),
            models.CheckConstraint(
                condition=~Q(kind=CreditKind.PLANNED) | Q(due_on__isnull=False),
                name="credit_planned_has_due_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.places} ({self.get_kind_display()})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == CreditKind.PLANNED and self.due_on is None:
            errors["due_on"] = _("Geplande inspanning heeft een datum waarop zij er moet zijn.")
        if not (self.reason or "").strip():
            errors["reason"] = _("Geef een reden.")
        if self.assignment_id and self.municipality_id:
            if self.municipality.safety_region_id != self.assignment.region_id:
                errors["municipality"] = _("Deze gemeente hoort niet bij de regio van de taak.")
        if self.location_id and self.municipality_id:
            if self.location.municipality_id != self.municipality_id:
                errors["location"] = _("De locatie hoort bij een andere gemeente.")
        if errors:
            raise ValidationError(errors)


class ProvincialTask(models.Model):
    """A province's task (issued by the province or the Rijk) that the engine splits over the
    province's safety regions (table 2.1: Overijssel's 3,593 over IJsselland and Twente "op
    basis van inwoneraantal"). Each region's part becomes that region's task
    (:attr:`ProvincialPart.assignment`)."""

    code = models.SlugField("code", max_length=60, unique=True)
    title = models.CharField("titel", max_length=200)
    target_group = models.CharField("doelgroep", max_length=20, choices=TargetGroup.choices)
    issuer = models.CharField("opdrachtgever", max_length=20, choices=Issuer.choices)
    province = models.ForeignKey(
        "municipalities.Province",
        on_delete=models.PROTECT,
        related_name="provincial_tasks",
        verbose_name="provincie",
    )
    total = models.PositiveIntegerField(
        "totaal aantal plaatsen", validators=[MaxValueValidator(MAX_TOTAL)]
    )
    location_types = models.JSONField("meetellende locatietypen", default=list, blank=True)
    realise_by = models.DateField("realiseren uiterlijk op", null=True, blank=True)
    available_from = models.DateField("beschikbaar vanaf", null=True, blank=True)
    available_until = models.DateField("beschikbaar tot en met", null=True, blank=True)
    # Population of the regions (the sum of their municipalities), or weights per region code.
    key = models.CharField(
        "verdeelsleutel", max_length=20, choices=Key.choices, default=Key.POPULATION
    )
    weights = models.JSONField("eigen gewichten per regio", default=dict, blank=True)
    reference_date = models.DateField("peildatum inwonertal", null=True, blank=True)
    status = models.CharField(
        "status", max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.DRAFT
    )
    notes = models.TextField("toelichting", blank=True)
    source = models.TextField("bron", blank=True)
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)
    updated_at = models.DateTimeField("gewijzigd op", auto_now=True)

    class Meta:
        ordering = ["province", "target_group", "realise_by", "code"]
        verbose_name = "provinciale taakstelling"
        verbose_name_plural = "provinciale taakstellingen"

    def __str__(self) -> str:
        return self.title

    @property
    def eligible_location_types(self) -> tuple[str, ...]:
        return tuple(self.location_types) if self.location_types else tuple(LocationType.values)


class ProvincialPart(models.Model):
    """One safety region's part of a provincial task: what the engine computed and, where the
    table set another figure (the documents' 1,944 / 1,650 add up to 3,594), the agreed one."""

    task = models.ForeignKey(
        ProvincialTask,
        on_delete=models.CASCADE,
        related_name="parts",
        verbose_name="provinciale taakstelling",
    )
    region = models.ForeignKey(
        SafetyRegion, on_delete=models.PROTECT, related_name="+", verbose_name="veiligheidsregio"
    )
    weight = models.DecimalField("gewicht", max_digits=24, decimal_places=6, default=0)
    computed_part = models.PositiveIntegerField("berekend deel", default=0)
    agreed_part = models.PositiveIntegerField("afgesproken deel", null=True, blank=True)
    agreed_reason = models.TextField("reden afwijking", blank=True)
    # The region's own task for its part; empty while the region has none (say its
    # municipalities are not in the system).
    assignment = models.OneToOneField(
        Assignment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provincial_part",
        verbose_name="taakstelling van de regio",
    )

    class Meta:
        ordering = ["task", "region__code"]
        verbose_name = "deel van de regio"
        verbose_name_plural = "delen van de regio's"
        constraints = [
            models.UniqueConstraint(
                fields=["task", "region"], name="provincial_part_one_per_region"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.part}"

    @property
    def part(self) -> int:
        return self.computed_part if self.agreed_part is None else self.agreed_part
