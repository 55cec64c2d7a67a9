"""Bodies, their meetings, agenda items, entries (decisions B, bottlenecks K, actions A) and
attendance: the minutes format of the TRA, BAO and PRT (DOMAIN.md, seeds 000, 001 and 004)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality, Province, SafetyRegion

from .readers import reach_of
from .storage import private_storage


def area_q(region: SafetyRegion, *, prefix: str = "") -> Q:
    """Rows whose body (reached through `prefix`) belongs to `region` or to its province:
    the tables a region's people sit at. A filter on the row itself, no extra query."""
    return Q(**{f"{prefix}safety_region_id": region.pk}) | Q(
        **{f"{prefix}province_id": region.province_id}
    )


class BodyQuerySet(models.QuerySet):
    def for_region(self, region: SafetyRegion | None) -> "BodyQuerySet":
        """The region's own bodies and those of its province (the PRT): what its people read."""
        return self.filter(area_q(region)) if region is not None else self.none()

    def of_region(self, region: SafetyRegion | None) -> "BodyQuerySet":
        """The region's own bodies: the ones its secretary keeps the minutes of."""
        return self.filter(safety_region=region) if region is not None else self.none()

    def visible_to(self, user) -> "BodyQuerySet":
        """The bodies whose minutes `user` reads (meetings.readers: the one rule)."""
        reach = reach_of(user)
        return self.none() if reach.is_empty else self.filter(reach.q())


class Body(models.Model):
    """An administrative table that meets: TRA, BAO, PRT; more can be added in the admin.

    A body belongs to one safety region (the TRA of Twente) or, for a provincial table such
    as the PRT, to one province; its code is unique within that region or province."""

    code = models.CharField(
        _("afkorting"), max_length=20, help_text=_("Bijvoorbeeld TRA, BAO of PRT.")
    )
    name = models.CharField(_("naam"), max_length=200)
    safety_region = models.ForeignKey(
        SafetyRegion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
        verbose_name=_("veiligheidsregio"),
        help_text=_("Bij een regionaal overleg, zoals de TRA."),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
        verbose_name=_("provincie"),
        help_text=_("Bij een provinciaal overleg, zoals de PRT; dan geen veiligheidsregio."),
    )
    municipal_attendance = models.BooleanField(
        _("aanwezigheid per gemeente klaarzetten"),
        default=True,
        help_text=(
            _(
                "Zet bij een nieuw overleg een aanwezigheidsregel klaar voor elke gemeente van de "
                "regio (voor de TRA wel, voor de provinciale regietafel niet)."
            )
        ),
    )

    objects = BodyQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("overlegorgaan")
        verbose_name_plural = _("overlegorganen")
        constraints = [
            models.CheckConstraint(
                condition=Q(safety_region__isnull=False, province__isnull=True)
                | Q(safety_region__isnull=True, province__isnull=False),
                name="body_in_a_region_or_a_province",
            ),
            models.UniqueConstraint(
                fields=["safety_region", "code"],
                condition=Q(safety_region__isnull=False),
                name="body_code_unique_per_region",
                violation_error_message=_(
                    "Deze veiligheidsregio heeft al een overlegorgaan met deze afkorting."
                ),
            ),
            models.UniqueConstraint(
                fields=["province", "code"],
                condition=Q(province__isnull=False),
                name="body_code_unique_per_province",
                violation_error_message=_(
                    "Deze provincie heeft al een overlegorgaan met deze afkorting."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        if (self.safety_region_id is None) == (self.province_id is None):
            raise ValidationError(
                _(
                    "Kies een veiligheidsregio (regionaal overleg) of een provincie (provinciaal "
                    "overleg), niet allebei."
                )
            )


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Gepland")
    HELD = "held", _("Gehouden")
    APPROVED = "approved", _("Verslag vastgesteld")


class MeetingQuerySet(models.QuerySet):
    def for_region(self, region: SafetyRegion | None) -> "MeetingQuerySet":
        """Meetings of the region's bodies and of its province's (see Body.for_region)."""
        return self.filter(area_q(region, prefix="body__")) if region is not None else self.none()

    def with_open_action_count(self) -> "MeetingQuerySet":
        open_actions = Q(agenda_items__entries__kind=EntryKind.ACTION) & Q(
            agenda_items__entries__status=ActionStatus.OPEN
        )
        return self.annotate(
            open_action_count=models.Count("agenda_items__entries", filter=open_actions)
        )

    def visible_to(self, user) -> "MeetingQuerySet":
        """The meetings whose minutes `user` reads (meetings.readers: the one rule)."""
        reach = reach_of(user)
        return self.none() if reach.is_empty else self.filter(reach.q(prefix="body__"))


class Meeting(models.Model):
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("overlegorgaan")
    )
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("aanvang"), null=True, blank=True)
    end_time = models.TimeField(_("einde"), null=True, blank=True)
    venue = models.CharField(_("locatie"), max_length=200, blank=True)
    chair = models.CharField(_("voorzitter"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes_approved_at = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes",
        verbose_name=_("verslag vastgesteld in"),
        help_text=_("Het overleg waarin het verslag van dit overleg is vastgesteld."),
    )
    next_meeting_on = models.DateField(
        _("volgende vergadering"),
        null=True,
        blank=True,
        help_text=_("De datum die het verslag noemt, ook als dat overleg hier nog niet bestaat."),
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "body__code"]
        verbose_name = _("overleg")
        verbose_name_plural = _("overleggen")
        constraints = [
            models.UniqueConstraint(fields=["body", "date"], name="meeting_one_per_body_per_day"),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gt=models.F("start_time")),
                name="meeting_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(minutes_approved_at__isnull=False),
                name="meeting_approved_minutes_name_the_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body.code} {self.date:%d-%m-%Y}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._stored_status = self.status

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The status as stored: what `minutes_locked` judges, whatever a form sets meanwhile.
        instance._stored_status = instance.__dict__.get("status")
        return instance

    @property
    def minutes_locked(self) -> bool:
        """Adopted minutes are the record: nothing in them changes any more; a correction is
        recorded at a later meeting (MinutesCorrection). Judged by the status as stored, not
        as a form being validated has just set it."""
        return getattr(self, "_stored_status", None) == MeetingStatus.APPROVED

    @staticmethod
    def check_minutes_open(meeting_id: int) -> None:
        """ValidationError when the minutes of meeting `meeting_id` have been adopted. Asks the
        database, not an instance in memory: a form that adopts the minutes and saves its
        attendance rows in the same request validates those rows against the stored state."""
        stored = (
            Meeting.objects.filter(pk=meeting_id, status=MeetingStatus.APPROVED)
            .select_related("body", "minutes_approved_at__body")
            .first()
        )
        if stored is not None:
            raise ValidationError(locked_message(stored))

    def clean(self) -> None:
        self._check_adopted_unchanged()
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("Het overleg moet eindigen na de aanvang.")
        if self.status == MeetingStatus.APPROVED and self.minutes_approved_at_id is None:
            errors["minutes_approved_at"] = _(
                "Geef aan in welk overleg het verslag is vastgesteld."
            )
        approving = self.minutes_approved_at
        if approving is not None:
            if self.status != MeetingStatus.APPROVED:
                errors["status"] = _(
                    "Een vastgesteld verslag heeft de status ‘Verslag vastgesteld’."
                )
            if approving.pk == self.pk or (self.date and approving.date <= self.date):
                errors["minutes_approved_at"] = _(
                    "Een verslag wordt vastgesteld in een later overleg dan het overleg zelf."
                )
            elif approving.body_id != self.body_id:
                errors["minutes_approved_at"] = _(
                    "Een verslag wordt vastgesteld in een overleg van hetzelfde overlegorgaan."
                )
        if errors:
            raise ValidationError(errors)

    def _check_adopted_unchanged(self) -> None:
        if self.pk is None:
            return
        stored = Meeting.objects.filter(pk=self.pk).values(*MEETING_LOCKED_FIELDS).first()
        if stored is None or stored["status"] != MeetingStatus.APPROVED:
            return
        if any(stored[name] != getattr(self, name) for name in MEETING_LOCKED_FIELDS):
            raise ValidationError(locked_message(self))

    @property
    def is_minutes(self) -> bool:
        """Held meetings have minutes; a planned meeting only has an agenda."""
        return self.status != MeetingStatus.PLANNED


# What adopted minutes fix about their meeting; `next_meeting_on` stays a planning aid.
MEETING_LOCKED_FIELDS = (
    "body_id",
    "date",
    "start_time",
    "end_time",
    "venue",
    "chair",
    "status",
    "minutes_approved_at_id",
)


def locked_message(meeting: "Meeting") -> str:
    approving = meeting.minutes_approved_at
    if approving is None:
        return _(
            "Het verslag van %(meeting)s is vastgesteld; het kan niet meer worden gewijzigd. "
            "Leg een correctie vast in een later overleg."
        ) % {"meeting": meeting}
    return _(
        "Het verslag van %(meeting)s is vastgesteld in %(approving)s; het kan niet meer worden "
        "gewijzigd. Leg een correctie vast in een later overleg."
    ) % {"meeting": meeting, "approving": approving}


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("overleg")
    )
    position = models.PositiveIntegerField(
        _("volgorde"), default=0, help_text=_("De volgorde op de agenda; laag eerst.")
    )
    number = models.CharField(_("nummer"), max_length=20, help_text=_("Bijvoorbeeld 10.3 of 2a."))
    heading = models.CharField(
        _("thema"), max_length=200, blank=True, help_text=_("Bijvoorbeeld Oekraïne of Financiën.")
    )
    title = models.CharField(_("onderwerp"), max_length=300)
    annotation = models.TextField(
        _("annotatie"), blank=True, help_text=_("Toelichting op de agenda, vóór het overleg.")
    )
    notes = models.TextField(
        _("verslag"),
        blank=True,
        help_text=_("Wat er besproken is, naast de besluiten, knelpunten en acties."),
    )
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("betreft gemeenten"),
    )
    locations = models.ManyToManyField(
        "capacity.Location",
        blank=True,
        related_name="agenda_items",
        verbose_name=_("betreft locaties"),
    )
    portfolio = models.ForeignKey(
        "Portfolio",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("portefeuille"),
    )

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agendaitem_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def clean(self) -> None:
        if self.meeting_id is not None:
            Meeting.check_minutes_open(self.meeting_id)
            if self.portfolio_id is not None:
                check_portfolio_of_body(self.portfolio, self.meeting.body_id)


ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(number: int) -> str:
    """1 -> I, 2 -> II, 14 -> XIV: the way the table numbers its attachments."""
    out = ""
    for value, letters in ROMAN:
        count, number = divmod(number, value)
        out += letters * count
    return out


class Attachment(models.Model):
    """A document that goes with a meeting or one of its agenda items ("Bijlage II"): by name,
    optionally a link, and the uploaded file in versions (AttachmentVersion; the latest is
    current, earlier ones are kept)."""

    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("agendapunt"),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("overleg"),
        help_text=_("Bij een bijlage van het overleg als geheel; anders leeg."),
    )
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    number = models.PositiveIntegerField(
        _("bijlagenummer"),
        null=True,
        blank=True,
        help_text=_("Het nummer in de vergaderstukken: 2 wordt ‘Bijlage II’."),
    )
    label = models.CharField(_("bijlage"), max_length=300)
    url = models.URLField(_("link"), blank=True)

    class Meta:
        ordering = ["item", "position", "pk"]
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=False, meeting__isnull=True)
                | Q(item__isnull=True, meeting__isnull=False),
                name="attachment_of_an_item_or_a_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def number_display(self) -> str:
        return f"Bijlage {roman(self.number)}" if self.number else ""

    @property
    def title(self) -> str:
        return f"{self.number_display} {self.label}".strip() if self.number else self.label

    def meeting_of(self) -> Meeting:
        return self.meeting if self.meeting_id else self.item.meeting


def attachment_path(version: "AttachmentVersion", filename: str) -> str:
    # The stored name is ours, never the uploader's: no path tricks, no clashes.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"attachments/{version.attachment_id}/{version.number}.{suffix}"


class AttachmentVersion(models.Model):
    """One uploaded file of an attachment; replacing the document adds a version."""

    attachment = models.ForeignKey(
        Attachment, on_delete=models.CASCADE, related_name="versions", verbose_name=_("bijlage")
    )
    number = models.PositiveIntegerField(_("versie"))
    file = models.FileField(_("bestand"), storage=private_storage, upload_to=attachment_path)
    original_name = models.CharField(_("bestandsnaam"), max_length=255)
    content_type = models.CharField(_("soort"), max_length=100)
    size = models.PositiveBigIntegerField(_("grootte (bytes)"))
    uploaded_at = models.DateTimeField(_("geüpload"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geüpload door"),
    )

    class Meta:
        ordering = ["attachment", "number"]
        verbose_name = _("versie van een bijlage")
        verbose_name_plural = _("versies van bijlagen")
        constraints = [
            models.UniqueConstraint(
                fields=["attachment", "number"], name="attachment_version_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attachment} (versie {self.number})"


class EntryKind(models.TextChoices):
    DECISION = "B", _("Besluit")
    BOTTLENECK = "K", _("Knelpunt")
    ACTION = "A", _("Actie")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Gedaan")


def overdue_q(on: datetime.date | None = None) -> Q:
    """An open action past its due date (before `on`, default today)."""
    return Q(
        kind=EntryKind.ACTION, status=ActionStatus.OPEN, due_date__lt=on or timezone.localdate()
    )


class EntryQuerySet(models.QuerySet):
    def for_region(self, region: SafetyRegion | None) -> "EntryQuerySet":
        """Entries of the meetings of the region's bodies and of its province's."""
        if region is None:
            return self.none()
        return self.filter(area_q(region, prefix="item__meeting__body__"))

    def actions(self) -> "EntryQuerySet":
        return self.filter(kind=EntryKind.ACTION)

    def open(self) -> "EntryQuerySet":
        return self.filter(kind=EntryKind.ACTION, status=ActionStatus.OPEN)

    def overdue(self, on: datetime.date | None = None) -> "EntryQuerySet":
        """Open actions whose due date has passed (before `on`, default today)."""
        return self.filter(overdue_q(on))

    def not_overdue(self, on: datetime.date | None = None) -> "EntryQuerySet":
        return self.exclude(overdue_q(on))

    def current(self) -> "EntryQuerySet":
        """Leave out actions that were carried over to a later meeting: the copy stands in."""
        return self.exclude(Exists(Entry.objects.filter(carried_from=OuterRef("pk"))))

    def with_context(self) -> "EntryQuerySet":
        """Everything a list of entries shows, in the same query."""
        return self.select_related(
            "item__meeting__body",
            "owner_user",
            "owner_municipality",
            "closed_at_meeting__body",
            "carried_from__item__meeting__body",
            "assignment",
        )

    def in_minutes_order(self) -> "EntryQuerySet":
        return self.order_by("item__meeting__date", "item__position", "item__pk", "position", "pk")

    def visible_to(self, user) -> "EntryQuerySet":
        """The entries of the meetings whose minutes `user` reads (meetings.readers)."""
        reach = reach_of(user)
        if reach.is_empty:
            return self.none()
        return self.filter(reach.q(prefix="item__meeting__body__"))


class Entry(models.Model):
    """One line of the minutes: a decision (B), a bottleneck (K) or an action (A)."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="entries", verbose_name=_("agendapunt")
    )
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    kind = models.CharField(_("soort"), max_length=1, choices=EntryKind.choices)
    text = models.TextField(_("tekst"))
    explanation = models.TextField(_("toelichting"), blank=True)
    owner = models.CharField(
        _("eigenaar"),
        max_length=200,
        blank=True,
        help_text=_("Alleen bij acties, bijvoorbeeld ‘Projectleider Oekraïne’."),
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_actions",
        verbose_name=_("eigenaar (gebruiker)"),
    )
    owner_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_actions",
        verbose_name=_("eigenaar (gemeente)"),
    )
    due_date = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=4,
        choices=ActionStatus.choices,
        blank=True,
        help_text=_("Alleen bij acties; leeg laten bij een nieuwe actie betekent open."),
    )
    done_on = models.DateField(_("afgerond op"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afgemeld door"),
    )
    closed_at_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="closed_actions",
        verbose_name=_("afgehandeld in"),
    )
    assignment = models.ForeignKey(
        "allocation.Assignment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("opdracht"),
        help_text=_(
            "Alleen bij een besluit: de opdracht (taakstelling) die het besluit instelde "
            "of wijzigde."
        ),
    )
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("overgenomen uit"),
    )
    portfolio = models.ForeignKey(
        "Portfolio",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("portefeuille"),
        help_text=_("Leeg: de portefeuille van het agendapunt, als dat er een heeft."),
    )

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["item", "position", "pk"]
        verbose_name = _("besluit, knelpunt of actie")
        verbose_name_plural = _("besluiten, knelpunten en acties")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="A", status__in=["open", "done"])
                | (
                    ~Q(kind="A")
                    & Q(
                        status="",
                        owner="",
                        owner_user__isnull=True,
                        owner_municipality__isnull=True,
                        due_date__isnull=True,
                        done_on__isnull=True,
                        closed_at_meeting__isnull=True,
                    )
                ),
                name="entry_only_actions_have_owner_due_date_status",
            ),
            models.CheckConstraint(
                condition=Q(status="done")
                | Q(closed_at_meeting__isnull=True, done_on__isnull=True),
                name="entry_only_done_actions_are_closed",
            ),
            models.CheckConstraint(
                condition=Q(kind="B") | Q(assignment__isnull=True),
                name="entry_only_decisions_name_an_assignment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.text[:60]}"

    def clean(self) -> None:
        if self.item_id is not None:
            Meeting.check_minutes_open(self.item.meeting_id)
            if self.portfolio_id is not None:
                check_portfolio_of_body(self.portfolio, self.item.meeting.body_id)
        if self.kind == EntryKind.ACTION:
            if not self.status:
                self.status = ActionStatus.OPEN
        else:
            filled = [
                self.owner,
                self.owner_user_id,
                self.owner_municipality_id,
                self.due_date,
                self.status,
                self.closed_at_meeting_id,
                self.done_on,
            ]
            if any(filled):
                raise ValidationError(
                    _("Alleen een actie heeft een eigenaar, deadline, status of afhandeling.")
                )
        if self.kind != EntryKind.DECISION and self.assignment_id:
            raise ValidationError(
                {"assignment": _("Alleen een besluit verwijst naar een opdracht.")}
            )
        if self.status != ActionStatus.DONE and (self.closed_at_meeting_id or self.done_on):
            raise ValidationError(
                {"status": _("Een actie die is afgehandeld heeft de status ‘Gedaan’.")}
            )

    @property
    def is_action(self) -> bool:
        return self.kind == EntryKind.ACTION

    @property
    def is_overdue(self) -> bool:
        return (
            self.kind == EntryKind.ACTION
            and self.status == ActionStatus.OPEN
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )

    @property
    def owner_display(self) -> str:
        """The owner as the minutes name it: free text, then the person and the organisation."""
        parts = [self.owner]
        if self.owner_user_id:
            parts.append(self.owner_user.get_full_name() or self.owner_user.get_username())
        if self.owner_municipality_id:
            parts.append(self.owner_municipality.name)
        return ", ".join(part for part in parts if part)


class Presence(models.TextChoices):
    PRESENT = "present", _("Aanwezig")
    ONLINE = "online", _("Online aanwezig")
    EXCUSED = "excused", _("Afgemeld")
    ABSENT = "absent", _("Afwezig")


class Attendance(models.Model):
    """Who attended for a municipality or another organisation."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("overleg")
    )
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendance",
        verbose_name=_("gemeente"),
    )
    organisation = models.CharField(
        _("organisatie"),
        max_length=200,
        blank=True,
        help_text=_("Voor wie geen gemeente is, bijvoorbeeld VR Twente of COA."),
    )
    person = models.CharField(_("naam"), max_length=200, blank=True)
    role = models.CharField(_("functie"), max_length=200, blank=True)
    presence = models.CharField(
        _("aanwezigheid"),
        max_length=10,
        choices=Presence.choices,
        blank=True,
        help_text=_("Leeg: nog niet bekend."),
    )

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheid")
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False) | ~Q(organisation=""),
                name="attendance_names_municipality_or_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attendee} ({self.get_presence_display() or _('onbekend')})"

    def clean(self) -> None:
        if self.meeting_id is not None:
            Meeting.check_minutes_open(self.meeting_id)
        if self.municipality_id is None and not self.organisation:
            raise ValidationError(_("Kies een gemeente of vul een organisatie in."))

    @property
    def attendee(self) -> str:
        return self.municipality.name if self.municipality_id else self.organisation


class Advice(models.TextChoices):
    AGREE = "agree", _("Instemmen")
    DISAGREE = "disagree", _("Niet instemmen")
    NOTE = "note", _("Ter kennisname")
    DISCUSS = "discuss", _("Bespreken")


class PrivateAnnotation(models.Model):
    """A municipality's own note on an agenda item, with advice for its administrator
    ("Advies: instemmen met voorstel"). It belongs to one municipality, or for the VRT's
    coordinators to their safety region, and only that owner's accounts ever read it
    (meetings.annotations): not other municipalities, not the secretary, not the province.
    Deliberately not in the admin, whose users are the secretary."""

    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="private_annotations",
        verbose_name=_("agendapunt"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="private_annotations",
        verbose_name=_("gemeente"),
    )
    safety_region = models.ForeignKey(
        SafetyRegion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="private_annotations",
        verbose_name=_("veiligheidsregio"),
    )
    advice = models.CharField(_("advies"), max_length=10, choices=Advice.choices)
    text = models.TextField(_("annotatie"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geschreven door"),
    )
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        ordering = ["item", "pk"]
        verbose_name = _("eigen annotatie")
        verbose_name_plural = _("eigen annotaties")
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False, safety_region__isnull=True)
                | Q(municipality__isnull=True, safety_region__isnull=False),
                name="annotation_of_a_municipality_or_a_region",
            ),
            models.UniqueConstraint(
                fields=["item", "municipality"],
                condition=Q(municipality__isnull=False),
                name="annotation_one_per_item_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["item", "safety_region"],
                condition=Q(safety_region__isnull=False),
                name="annotation_one_per_item_per_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} ({self.get_advice_display()})"


class MinutesCorrection(models.Model):
    """A correction of adopted minutes, recorded at a later meeting of the same body: the
    adopted text stays as it was, the correction stands beside it."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("gecorrigeerd verslag"),
    )
    recorded_at = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        related_name="recorded_corrections",
        verbose_name=_("vastgelegd in"),
        help_text=_("Het latere overleg waarin de correctie is vastgesteld."),
    )
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("agendapunt"),
    )
    text = models.TextField(_("correctie"))
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "created_at", "pk"]
        verbose_name = _("correctie op het verslag")
        verbose_name_plural = _("correcties op het verslag")

    def __str__(self) -> str:
        return f"{self.meeting}: {self.text[:60]}"

    def clean(self) -> None:
        errors = {}
        meeting = self.meeting if self.meeting_id else None
        if meeting is not None and not meeting.minutes_locked:
            errors["meeting"] = _(
                "Alleen een vastgesteld verslag krijgt een correctie; een concept wijzigt u zelf."
            )
        if meeting is not None and self.recorded_at_id is not None:
            recorded_at = self.recorded_at
            if recorded_at.body_id != meeting.body_id or recorded_at.date <= meeting.date:
                errors["recorded_at"] = _(
                    "Een correctie wordt vastgelegd in een later overleg van hetzelfde "
                    "overlegorgaan."
                )
        if meeting is not None and self.item_id is not None and self.item.meeting_id != meeting.pk:
            errors["item"] = _("Kies een agendapunt van het gecorrigeerde verslag.")
        if errors:
            raise ValidationError(errors)


class PackStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    SENT = "sent", _("Verstuurd")
    FAILED = "failed", _("Mislukt")


class MeetingPackSend(models.Model):
    """One sending of a meeting's pack (agenda and attachments as links) by e-mail: when, by
    whom, to which addresses and with which attachments (meetings.pack)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="pack_sends", verbose_name=_("overleg")
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verstuurd door"),
    )
    sent_at = models.DateTimeField(_("verstuurd op"), default=timezone.now)
    recipients = models.JSONField(_("ontvangers"), default=list)
    recipient_count = models.PositiveIntegerField(_("aantal deelnemers"), default=0)
    attachments = models.JSONField(_("bijlagen"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=PackStatus.choices, default=PackStatus.QUEUED
    )
    error = models.TextField(_("fout"), blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("verzending van vergaderstukken")
        verbose_name_plural = _("verzendingen van vergaderstukken")

    def __str__(self) -> str:
        return f"{self.meeting} ({self.sent_at:%d-%m-%Y %H.%M})"


class PortfolioTheme(models.TextChoices):
    HOUSING = "wonen", _("Wonen")
    EDUCATION = "onderwijs", _("Onderwijs")
    LABOUR = "arbeidsmarkt", _("Arbeidsmarkt")
    CARE = "zorg", _("Zorg en welzijn")
    COORDINATION = "coordinatie", _("Centrale coördinatie")
    OTHER = "overig", _("Overig")


class PortfolioQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PortfolioQuerySet":
        """The portfolios of the bodies whose minutes `user` reads (meetings.readers)."""
        reach = reach_of(user)
        return self.none() if reach.is_empty else self.filter(reach.q(prefix="body__"))


class Portfolio(models.Model):
    """A theme of a table held by one or two of its municipalities ("werken met
    portefeuilles", TRA 24 January 2024), with one or two spearheads. Agenda items and
    entries name it; its page shows what was decided and which actions are open.
    The holders are checked by `meetings.portfolios.check_holders` (a many-to-many is
    saved after the row, so `clean` cannot see it)."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="portfolios", verbose_name=_("overlegorgaan")
    )
    theme = models.CharField(_("thema"), max_length=20, choices=PortfolioTheme.choices)
    title = models.CharField(
        _("titel"),
        max_length=200,
        blank=True,
        help_text=_("Verplicht bij thema ‘Overig’; anders leeg laten of verfijnen."),
    )
    holders = models.ManyToManyField(
        Municipality,
        related_name="portfolios",
        verbose_name=_("portefeuillehouders"),
        help_text=_("De een of twee gemeenten die de portefeuille trekken."),
    )

    objects = PortfolioQuerySet.as_manager()

    class Meta:
        ordering = ["body__code", "theme", "title", "pk"]
        verbose_name = _("portefeuille")
        verbose_name_plural = _("portefeuilles")

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or self.get_theme_display()

    def clean(self) -> None:
        if self.theme == PortfolioTheme.OTHER and not self.title.strip():
            raise ValidationError(
                {"title": _("Geef een portefeuille met thema ‘Overig’ een titel.")}
            )


MAX_HOLDERS = 2
MAX_SPEARHEADS = 2


def check_portfolio_of_body(portfolio: "Portfolio | None", body_id: int) -> None:
    """A meeting's items and entries name the portfolios of its own body only."""
    if portfolio is not None and portfolio.body_id != body_id:
        raise ValidationError(
            {"portfolio": _("Kies een portefeuille van het overlegorgaan van dit overleg.")}
        )


class SpearheadStatus(models.TextChoices):
    OPEN = "open", _("Nog niet begonnen")
    RUNNING = "lopend", _("Lopend")
    ACHIEVED = "behaald", _("Behaald")
    LAPSED = "vervallen", _("Vervallen")


class Spearhead(models.Model):
    """One of the one or two results a portfolio aims for ("speerpunt")."""

    portfolio = models.ForeignKey(
        Portfolio,
        on_delete=models.CASCADE,
        related_name="spearheads",
        verbose_name=_("portefeuille"),
    )
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    goal = models.TextField(_("doel"))
    target_date = models.DateField(_("streefdatum"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SpearheadStatus.choices, default=SpearheadStatus.OPEN
    )

    class Meta:
        ordering = ["portfolio", "position", "pk"]
        verbose_name = _("speerpunt")
        verbose_name_plural = _("speerpunten")

    def __str__(self) -> str:
        return self.goal[:80]

    def clean(self) -> None:
        if self.portfolio_id is None:
            return
        others = Spearhead.objects.filter(portfolio_id=self.portfolio_id).exclude(pk=self.pk)
        if others.count() >= MAX_SPEARHEADS:
            raise ValidationError(
                _("Een portefeuille heeft ten hoogste %(MAX_SPEARHEADS)s speerpunten.")
                % {"MAX_SPEARHEADS": MAX_SPEARHEADS}
            )
