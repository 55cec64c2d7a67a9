"""Writes of the notifications: queue what is due, send one message, remember choices."""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from capacity.selectors import occupancy_by_target_group
from municipalities.models import SafetyRegion

from .messages import LEVEL_RANK, compose
from .models import (
    NotificationKind,
    NotificationLog,
    NotificationSettings,
    NotificationStatus,
    OccupancyLevel,
)
from .selection import Due, due_notifications, not_yet_logged, primed, recipients, settings_of

logger = logging.getLogger(__name__)


class NotificationSendError(Exception):
    """The mail server refused or did not answer; the task retries with backoff."""


def _log_for(due: Due) -> NotificationLog:
    return NotificationLog(
        recipient=due.recipient,
        kind=due.kind,
        period=due.period,
        email=due.recipient.email,
        municipality_id=due.municipality_id,
        safety_region_id=due.safety_region_id,
        entry_id=due.entry_id,
        details=due.details,
    )


def notifications_preview(*, now: datetime.datetime) -> list[tuple[NotificationLog, object]]:
    """What a run at `now` would send, composed but neither logged nor sent: (unsaved log,
    message or None) pairs, for `send_notifications --dry-run`."""
    logs = [_log_for(due) for due in due_notifications(now)]
    return [(log, compose(log, now=now)) for log in logs]


def notifications_log(dues: list[Due]) -> list[NotificationLog]:
    """Write a queued log row per message and enqueue its sending once the rows are
    committed. A row that already exists (another run, a retry) is skipped: the unique key
    (recipient, kind, period) makes sure nothing is sent twice."""
    queued = []
    for due in not_yet_logged(dues):
        log = _log_for(due)
        try:
            with transaction.atomic():
                log.save()
        except IntegrityError:
            continue
        queued.append(log)
    for log in queued:
        _enqueue_send(log.pk)
    return queued


def _enqueue_send(log_id: int) -> None:
    """Send once the row is committed. Robust: a message the mail server refuses (in eager
    mode raised right here) is recorded on its row and must not stop the others."""
    from .tasks import send_notification

    def send() -> None:
        send_notification.delay(log_id)

    transaction.on_commit(send, robust=True)


def notifications_queue(*, now: datetime.datetime) -> list[NotificationLog]:
    """Queue everything time-driven that is due at `now` (the hourly task, the command)."""
    return notifications_log(due_notifications(now))


def notification_send(*, log_id: int, now: datetime.datetime | None = None) -> str:
    """Send one queued (or earlier failed) message; returns its new status.

    Claims the row first with a conditional UPDATE, so two deliveries of the same task (a
    retry, a worker that lost its connection to the broker) cannot both send. A refusal by
    the mail server marks the row failed with the error and raises NotificationSendError for
    the task to retry; the admin shows what failed."""
    now = now or timezone.now()
    claimed = NotificationLog.objects.filter(
        pk=log_id, status__in=[NotificationStatus.QUEUED, NotificationStatus.FAILED]
    ).update(status=NotificationStatus.SENDING, attempts=F("attempts") + 1, updated=now)
    if not claimed:
        return NotificationLog.objects.filter(pk=log_id).values_list("status", flat=True).first()
    log = NotificationLog.objects.select_related(
        "recipient__membership__safety_region",
        "recipient__membership__municipality",
        "recipient__notification_settings",
    ).get(pk=log_id)
    try:
        message = compose(log, now=now)
        if message is None:
            log.status = NotificationStatus.SKIPPED
            log.save(update_fields=["status", "updated"])
            return log.status
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[log.recipient.email],
            headers={"Auto-Submitted": "auto-generated"},
        )
        email.attach_alternative(message.html, "text/html")
        email.send()
    except Exception as exc:
        log.status = NotificationStatus.FAILED
        log.error = f"{type(exc).__name__}: {exc}"[:2000]
        log.save(update_fields=["status", "error", "updated"])
        logger.warning("notification %s failed: %s", log.pk, log.error)
        if isinstance(exc, OSError):  # smtplib's errors and refused connections are OSErrors
            raise NotificationSendError(log.error) from exc
        raise
    log.status = NotificationStatus.SENT
    log.sent_at = timezone.now()
    log.subject = message.subject[:255]
    log.email = log.recipient.email
    log.error = ""
    log.details = {**log.details, **message.details}
    log.save(update_fields=["status", "sent_at", "subject", "email", "error", "details", "updated"])
    return log.status


def notification_requeue(*, log: NotificationLog) -> bool:
    """Send a failed message, or one stuck in "sending", again (the admin's action)."""
    requeued = NotificationLog.objects.filter(
        pk=log.pk, status__in=[NotificationStatus.FAILED, NotificationStatus.SENDING]
    ).update(status=NotificationStatus.QUEUED, updated=timezone.now())
    if requeued:
        _enqueue_send(log.pk)
    return bool(requeued)


# The occupancy alert: after each recompute --------------------------------------------------


def occupancy_alerts_check(*, region: SafetyRegion, now: datetime.datetime) -> list[Due]:
    """Compare each target group's occupancy level in `region` today with the level the
    alerts saw last; a rise (ok to warning, to the tipping point) is due to the region's
    coordinators. The level seen is stored either way, so falling back and rising again
    announces the new rise (at most once a day per level)."""
    today = timezone.localtime(now).date()
    after = {
        row.target_group: row
        for row in occupancy_by_target_group(on=today, region_code=region.code)
    }
    seen = {
        state.target_group: state for state in OccupancyLevel.objects.filter(safety_region=region)
    }
    before = {group: state.level for group, state in seen.items()}
    if len(before) < len(after):
        # Never looked at before: the level of yesterday stands for "before".
        yesterday = today - datetime.timedelta(days=1)
        for row in occupancy_by_target_group(on=yesterday, region_code=region.code):
            before.setdefault(row.target_group, row.level)
    risen = []
    for group, row in after.items():
        if group in seen:
            if seen[group].level != row.level:
                OccupancyLevel.objects.filter(pk=seen[group].pk).update(
                    level=row.level, changed=now
                )
        else:
            OccupancyLevel.objects.get_or_create(
                safety_region=region,
                target_group=group,
                defaults={"level": row.level, "changed": now},
            )
        if LEVEL_RANK[row.level] > LEVEL_RANK.get(before[group], 0):
            risen.append(row)
    if not risen:
        return []
    dues = []
    for user in recipients(NotificationKind.THRESHOLD_ALERT).filter(
        membership__safety_region=region
    ):
        primed(user)
        if not settings_of(user).wants(NotificationKind.THRESHOLD_ALERT):
            continue
        for row in risen:
            dues.append(
                Due(
                    recipient=user,
                    kind=NotificationKind.THRESHOLD_ALERT,
                    period=f"{region.code}-{row.target_group}-{row.level}-{today}",
                    safety_region_id=region.pk,
                    details={
                        "on": today.isoformat(),
                        "target_group": row.target_group,
                        "level": row.level,
                    },
                )
            )
    return dues


def threshold_followup(municipality_ids: list[int], from_date: datetime.date | None) -> None:
    """The recompute's follow-up: alert the coordinators of the regions whose figures changed
    when an occupancy threshold was crossed. Idempotent (the stored levels and the log)."""
    now = timezone.now()
    regions = SafetyRegion.objects.filter(municipalities__id__in=municipality_ids).distinct()
    dues = []
    for region in regions:
        dues += occupancy_alerts_check(region=region, now=now)
    if dues:
        notifications_log(dues)


# The user's choices --------------------------------------------------------------------------


@transaction.atomic
def notification_settings_save(*, user, **choices) -> NotificationSettings:
    """Store a user's choices (the fields of NotificationSettings); unnamed fields keep their
    current value or default."""
    prefs, _ = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    for name, value in choices.items():
        setattr(prefs, name, value)
    prefs.full_clean()
    prefs.save()
    return prefs


def notification_language_remember(*, user, language: str) -> None:
    """The language chosen in the language switch is also the language of the user's
    e-mails."""
    if language not in dict(settings.LANGUAGES):
        return
    updated = NotificationSettings.objects.filter(user=user).update(language=language)
    if not updated:
        NotificationSettings.objects.get_or_create(user=user, defaults={"language": language})
