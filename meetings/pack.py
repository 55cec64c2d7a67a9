"""The meeting pack by e-mail: the secretary sends the agenda with its attachments, as links
into the app rather than as files, to the participants in one action; the meeting records
when, by whom and to whom (MeetingPackSend).

The participants are the active accounts with an e-mail address that may read the body's
meetings (meetings.readers, the one rule):
- for a regional body (TRA, BAO): the coordinators, secretaries and project leaders of the
  body's safety region;
- for a provincial body (PRT): the coordinators, secretaries and project leaders of the
  province's safety regions and the province's provincial readers.
Nobody of another region or province, no inactive account, no account without an address.

The links go to the attachment download view, which checks the read rule again when a link is
followed: a forwarded message opens nothing for someone who does not read the meeting. The
message is composed and sent by a Celery task (`meetings.tasks.send_meeting_pack`), one message
per participant so no one sees the others' addresses, with the e-mail settings of the
notifications (SMTP backend, DEFAULT_FROM_EMAIL, SITE_URL for the absolute links).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from municipalities.models import Role

from .models import AgendaItem, Attachment, Meeting, MeetingPackSend, PackStatus
from .readers import REGIONAL_ROLES
from .services import MeetingError


class PackError(MeetingError):
    """A pack that cannot be sent (no agenda yet, nobody to send it to)."""


class PackSendError(Exception):
    """The mail server refused or did not answer; the task retries with backoff."""


def absolute(path: str) -> str:
    """An address in the app for an e-mail (SITE_URL: a worker has no request to ask)."""
    return settings.SITE_URL + path


def pack_participants(meeting: Meeting):
    """The accounts the pack of `meeting` goes to (see the module docstring)."""
    body = meeting.body
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    regional = Q(groups__name__in=[str(role) for role in REGIONAL_ROLES])
    if body.safety_region_id is not None:
        users = users.filter(regional, membership__safety_region_id=body.safety_region_id)
    else:
        users = users.filter(
            regional | Q(groups__name=Role.PROVINCIAL_READER),
            membership__safety_region__province_id=body.province_id,
        )
    return users.distinct().order_by("email", "pk")


def _attachments():
    return Attachment.objects.prefetch_related("versions").order_by("position", "pk")


def _attachment_row(attachment: Attachment) -> dict:
    """What the message says of one attachment: its title and a link (the download view when
    a file was uploaded, else the attachment's own link, else none)."""
    has_file = any(True for _version in attachment.versions.all())
    if has_file:
        url = absolute(reverse("meetings:attachment", args=[attachment.pk]))
    else:
        url = attachment.url
    return {"id": attachment.pk, "title": attachment.title, "url": url}


@dataclass
class Pack:
    meeting: Meeting
    items: list[dict]
    attachments: list[dict]

    @property
    def all_attachments(self) -> list[dict]:
        return self.attachments + [row for item in self.items for row in item["attachments"]]


def pack_of(meeting: Meeting) -> Pack:
    """The agenda items in order, each with its attachments, and the meeting's own ones."""
    items = (
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("attachments", queryset=_attachments()))
    )
    return Pack(
        meeting=meeting,
        items=[
            {
                "number": item.number,
                "heading": item.heading,
                "title": item.title,
                "attachments": [_attachment_row(a) for a in item.attachments.all()],
            }
            for item in items
        ],
        attachments=[_attachment_row(a) for a in _attachments().filter(meeting=meeting)],
    )


def pack_subject(meeting: Meeting) -> str:
    return _("Vergaderstukken %(body)s %(date)s") % {
        "body": meeting.body.name,
        "date": meeting.date.strftime("%d-%m-%Y"),
    }


@transaction.atomic
def meeting_pack_send(*, meeting: Meeting, user) -> MeetingPackSend:
    """Record the sending of the pack of `meeting` to its participants and hand the sending to
    the task once the record is committed. Refuses a meeting without agenda items and one
    without participants (PackError)."""
    if not meeting.agenda_items.exists():
        raise PackError(
            _("%(meeting)s heeft nog geen agendapunten; er zijn geen vergaderstukken te versturen.")
            % {"meeting": meeting}
        )
    participants = list(pack_participants(meeting))
    if not participants:
        raise PackError(
            _("%(meeting)s: er zijn geen deelnemers met een e-mailadres.") % {"meeting": meeting}
        )
    pack = pack_of(meeting)
    record = MeetingPackSend.objects.create(
        meeting=meeting,
        sent_by=user if user is not None and user.is_authenticated else None,
        sent_at=timezone.now(),
        recipients=[person.email for person in participants],
        recipient_count=len(participants),
        attachments=[{"title": row["title"], "url": row["url"]} for row in pack.all_attachments],
    )
    from .tasks import send_meeting_pack

    transaction.on_commit(lambda: send_meeting_pack.delay(record.pk), robust=True)
    return record


def _message(pack: Pack, *, to: str, name: str) -> EmailMultiAlternatives:
    meeting = pack.meeting
    with translation.override("nl"):
        subject = pack_subject(meeting)
        context = {
            "subject": subject,
            "name": name,
            "meeting": meeting,
            "date": meeting.date.strftime("%d-%m-%Y"),
            "items": pack.items,
            "attachments": pack.attachments,
            "entries_url": absolute(reverse("meetings:entries", args=[meeting.pk])),
            "site_url": absolute(reverse("home")),
        }
        text = render_to_string("meetings/email/pack.txt", context)
        html = render_to_string("meetings/email/pack.html", context)
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Auto-Submitted": "auto-generated"},
    )
    email.attach_alternative(html, "text/html")
    return email


def meeting_pack_deliver(*, send_id: int) -> str:
    """Send a recorded pack (the task): one message per recorded address, with the agenda and
    the links as they are now. A refusal by the mail server marks the record failed and raises
    PackSendError for the task to retry; a record already sent is not sent again."""
    record = MeetingPackSend.objects.select_related("meeting__body").get(pk=send_id)
    if record.status == PackStatus.SENT:
        return record.status
    pack = pack_of(record.meeting)
    names = {
        user.email: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(email__in=record.recipients)
    }
    messages = [
        _message(pack, to=address, name=names.get(address, address))
        for address in record.recipients
    ]
    try:
        with get_connection() as connection:
            connection.send_messages(messages)
    except OSError as exc:  # smtplib's errors and refused connections are OSErrors
        record.status = PackStatus.FAILED
        record.error = f"{type(exc).__name__}: {exc}"[:2000]
        record.save(update_fields=["status", "error"])
        raise PackSendError(record.error) from exc
    record.status = PackStatus.SENT
    record.error = ""
    record.save(update_fields=["status", "error"])
    return record.status


def pack_sent_display(record: MeetingPackSend | None) -> str:
    """ "Verstuurd op 20-01-2024 10.00 aan 12 deelnemers", or "" when never sent."""
    if record is None:
        return ""
    return _("Verstuurd op %(when)s aan %(count)d deelnemers") % {
        "when": timezone.localtime(record.sent_at).strftime("%d-%m-%Y %H.%M"),
        "count": record.recipient_count,
    }


def pack_last_send(meeting: Meeting) -> MeetingPackSend | None:
    return meeting.pack_sends.order_by("-sent_at", "-pk").first()
