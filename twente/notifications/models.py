"""Who wants which e-mail, and the record of every e-mail the system decided to send."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capacity.choices import TargetGroup
from municipalities.models import Municipality, Role, SafetyRegion


class NotificationKind(models.TextChoices):
    REPORT_REMINDER = "report_reminder", _("Herinnering weektelling")
    REGION_DIGEST = "region_digest", _("Weekoverzicht van de regio")
    ACTION_REMINDER = "action_reminder", _("Herinnering actie")
    THRESHOLD_ALERT = "threshold_alert", _("Bezettingsdrempel overschreden")


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
    MONDAY = 0, _("maandag")
    TUESDAY = 1, _("dinsdag")
    WEDNESDAY = 2, _("woensdag")
    THURSDAY = 3, _("donderdag")
    FRIDAY = 4, _("vrijdag")
    SATURDAY = 5, _("zaterdag")
    SUNDAY = 6, _("zondag")


class NotificationSettings(models.Model):
    """One user's choices. A user without a row has the defaults: every kind their role
    gets is on, the reminder goes on Monday at 09:00, the digest on Wednesday at 12:00 (after
    the second reminder, so it names who is still missing), in Dutch."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
        verbose_name=_("gebruiker"),
    )
    report_reminder = models.BooleanField(_("herinnering weektelling"), default=True)
    region_digest = models.BooleanField(_("weekoverzicht van de regio"), default=True)
    action_reminder = models.BooleanField(_("herinnering acties"), default=True)
    threshold_alert = models.BooleanField(_("bezettingsdrempel overschreden"), default=True)
    reminder_weekday = models.PositiveSmallIntegerField(
        _("dag herinnering"), choices=Weekday.choices, default=Weekday.MONDAY
    )
    reminder_time = models.TimeField(_("tijd herinnering"), default=datetime.time(9, 0))
    digest_weekday = models.PositiveSmallIntegerField(
        _("dag weekoverzicht"), choices=Weekday.choices, default=Weekday.WEDNESDAY
    )
    digest_time = models.TimeField(_("tijd weekoverzicht"), default=datetime.time(12, 0))
    language = models.CharField(
        _("taal van e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    updated = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("meldingsinstelling")
        verbose_name_plural = _("meldingsinstellingen")

    def __str__(self) -> str:
        return _("Meldingen van %(user)s") % {"user": self.user}

    def wants(self, kind: str) -> bool:
        return bool(getattr(self, NotificationKind(kind).value))


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    SENDING = "sending", _("Wordt verstuurd")
    SENT = "sent", _("Verstuurd")
    FAILED = "failed", _("Mislukt")
    SKIPPED = "skipped", _("Niet meer nodig")


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
        verbose_name=_("ontvanger"),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=NotificationKind.choices)
    # Report reminders "2024-W03-1" (week, round), digests "2024-W03", actions
    # "entry-12-2024-01-19-soon"/"-overdue", alerts "VR05-asylum-warning-2024-01-15".
    period = models.CharField(_("periode"), max_length=80)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.QUEUED,
    )
    email = models.EmailField(_("e-mailadres"), blank=True)
    subject = models.CharField(_("onderwerp"), max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    error = models.TextField(_("laatste fout"), blank=True)
    # What the message is about, for the reminder history and the admin's filters.
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeente"),
    )
    safety_region = models.ForeignKey(
        SafetyRegion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("veiligheidsregio"),
    )
    entry = models.ForeignKey(
        "meetings.Entry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actie"),
    )
    details = models.JSONField(
        _("inhoud"),
        default=dict,
        blank=True,
        help_text=_("Wat het bericht noemde, bijvoorbeeld de locaties zonder telling."),
    )
    created = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    sent_at = models.DateTimeField(_("verstuurd"), null=True, blank=True)
    updated = models.DateTimeField(_("gewijzigd"), auto_now=True)

    objects = NotificationLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("verstuurde melding")
        verbose_name_plural = _("verstuurde meldingen")
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
        return _("%(kind)s %(period)s aan %(recipient)s") % {
            "kind": self.get_kind_display(),
            "period": self.period,
            "recipient": self.recipient,
        }


class OccupancyLevel(models.Model):
    """The occupancy level (ok, warning, tipping point) of a region's target group as the
    alerts last saw it: after a recompute the new level is compared with this one, and a rise
    is announced to the coordinators once."""

    safety_region = models.ForeignKey(
        SafetyRegion, on_delete=models.CASCADE, related_name="+", verbose_name=_("veiligheidsregio")
    )
    target_group = models.CharField(_("doelgroep"), max_length=20, choices=TargetGroup.choices)
    level = models.CharField(_("niveau"), max_length=20)
    changed = models.DateTimeField(_("gewijzigd"), default=timezone.now)

    class Meta:
        verbose_name = _("bezettingsniveau")
        verbose_name_plural = _("bezettingsniveaus")
        constraints = [
            models.UniqueConstraint(
                fields=["safety_region", "target_group"], name="occupancy_level_one_per_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.safety_region} {self.get_target_group_display()}: {self.level}"
