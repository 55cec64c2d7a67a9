"""Who wants which e-mail, and the record of every e-mail the system decided to send."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from capacity.choices import TargetGroup
from municipalities.models import Municipality, Role, SafetyRegion


class NotificationKind(models.TextChoices):
    REPORT_REMINDER = "report_reminder", "Herinnering weektelling"
    REGION_DIGEST = "region_digest", "Weekoverzicht van de regio"
    ACTION_REMINDER = "action_reminder", "Herinnering actie"
    THRESHOLD_ALERT = "threshold_alert", "Bezettingsdrempel overschreden"


# Which roles a kind is for; a user gets a kind when one of their roles is listed. The
# settings page offers only these, and the selection asks only these.
KIND_ROLES: dict[str, tuple[str, ...]] = {
    NotificationKind.REPORT_REMINDER: (Role.PROJECT_LEADER,),
    NotificationKind.REGION_DIGEST: (Role.COORDINATOR,),
    # Anyone the secretary links to an action as its owner.
    NotificationKind.ACTION_REMINDER: tuple(Role.values),
    NotificationKind.THRESHOLD_ALERT: (Role.COORDINATOR,),
}


class Weekday(models.IntegerChoices):
    MONDAY = 0, "maandag"
    TUESDAY = 1, "dinsdag"
    WEDNESDAY = 2, "woensdag"
    THURSDAY = 3, "donderdag"
    FRIDAY = 4, "vrijdag"
    SATURDAY = 5, "zaterdag"
    SUNDAY = 6, "zondag"


class NotificationSettings(models.Model):
    """One user's choices. A user without a row has the defaults: every kind their role
    gets is on, the reminder goes on Monday at 09:00, the digest on Wednesday at 12:00 (after
    the second reminder, so it names who is still missing), in Dutch."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
        verbose_name="gebruiker",
    )
    report_reminder = models.BooleanField("herinnering weektelling", default=True)
    region_digest = models.BooleanField("weekoverzicht van de regio", default=True)
    action_reminder = models.BooleanField("herinnering acties", default=True)
    threshold_alert = models.BooleanField("bezettingsdrempel overschreden", default=True)
    reminder_weekday = models.PositiveSmallIntegerField(
        "dag herinnering", choices=Weekday.choices, default=Weekday.MONDAY
    )
    reminder_time = models.TimeField("tijd herinnering", default=datetime.time(9, 0))
    digest_weekday = models.PositiveSmallIntegerField(
        "dag weekoverzicht", choices=Weekday.choices, default=Weekday.WEDNESDAY
    )
    digest_time = models.TimeField("tijd weekoverzicht", default=datetime.time(12, 0))
    language = models.CharField(
        "taal van e-mails",
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    updated = models.DateTimeField("gewijzigd", auto_now=True)

    class Meta:
        verbose_name = "meldingsinstelling"
        verbose_name_plural = "meldingsinstellingen"

    def __str__(self) -> str:
        return f"Meldingen van {self.user}"

    def wants(self, kind: str) -> bool:
        return bool(getattr(self, NotificationKind(kind).value))


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", "In de wachtrij"
    SENDING = "sending", "Wordt verstuurd"
    SENT = "sent", "Verstuurd"
    FAILED = "failed", "Mislukt"
    SKIPPED = "skipped", "Niet meer nodig"


class NotificationLogQuerySet(models.QuerySet):
    def report_reminders_in(self, *, region_id: int, period_prefix: str):
        """The weekly-count reminders of one ISO week (`2024-W03`) in one region."""
        return self.filter(
            kind=NotificationKind.REPORT_REMINDER,
            municipality__safety_region_id=region_id,
            period__startswith=f"{period_prefix}-",
        )


class NotificationLog(models.Model):
    """One e-mail the system decided to send: to whom, what kind, for which period.

    Unique on (recipient, kind, period), so a repeated or retried run finds the row and sends
    nothing twice. The sending task claims a row with a conditional UPDATE (queued or failed
    to sending) before it talks to the mail server; a row left in "sending" by a worker that
    died mid-send is not sent again by itself (it may have gone out), but shows in the admin,
    where it can be sent again by hand.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="ontvanger",
    )
    kind = models.CharField("soort", max_length=20, choices=NotificationKind.choices)
    # Report reminders "2024-W03-1" (week, round), digests "2024-W03", actions
    # "entry-12-2024-01-19-soon"/"-overdue", alerts "VR05-asylum-warning-2024-01-15".
    period = models.CharField("periode", max_length=80)
    status = models.CharField(
        "status",
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.QUEUED,
    )
    email = models.EmailField("e-mailadres", blank=True)
    subject = models.CharField("onderwerp", max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField("pogingen", default=0)
    error = models.TextField("laatste fout", blank=True)
    # What the message is about, for the reminder history and the admin's filters.
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="gemeente",
    )
    safety_region = models.ForeignKey(
        SafetyRegion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="veiligheidsregio",
    )
    entry = models.ForeignKey(
        "meetings.Entry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="actie",
    )
    details = models.JSONField(
        "inhoud",
        default=dict,
        blank=True,
        help_text="Wat het bericht noemde, bijvoorbeeld de locaties zonder telling.",
    )
    created = models.DateTimeField("aangemaakt", default=timezone.now)
    sent_at = models.DateTimeField("verstuurd", null=True, blank=True)
    updated = models.DateTimeField("gewijzigd", auto_now=True)

    objects = NotificationLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = "verstuurde melding"
        verbose_name_plural = "verstuurde meldingen"
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "period"], name="notification_once_per_period"
            )
        ]
        indexes = [
            models.Index(fields=["municipality", "kind", "period"], name="notification_history"),
            models.Index(fields=["status", "-created"], name="notification_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period} aan {self.recipient}"


class OccupancyLevel(models.Model):
    """The occupancy level (ok, warning, tipping point) of a region's target group as the
    alerts last saw it: after a recompute the new level is compared with this one, and a rise
    is announced to the coordinators once."""

    safety_region = models.ForeignKey(
        SafetyRegion, on_delete=models.CASCADE, related_name="+", verbose_name="veiligheidsregio"
    )
    target_group = models.CharField("doelgroep", max_length=20, choices=TargetGroup.choices)
    level = models.CharField("niveau", max_length=20)
    changed = models.DateTimeField("gewijzigd", default=timezone.now)

    class Meta:
        verbose_name = "bezettingsniveau"
        verbose_name_plural = "bezettingsniveaus"
        constraints = [
            models.UniqueConstraint(
                fields=["safety_region", "target_group"], name="occupancy_level_one_per_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.safety_region} {self.get_target_group_display()}: {self.level}"
