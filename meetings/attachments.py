"""Attachment files: adding a version (checked by `documents.document_check`) and fetching one
for a reader under the meeting's read rule (meetings.readers via permissions)."""

from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .documents import document_check
from .models import Attachment, AttachmentVersion
from .permissions import _get, check_body_readable


@transaction.atomic
def attachment_version_add(*, attachment: Attachment, upload, user=None) -> AttachmentVersion:
    """Store `upload` as the attachment's next version; earlier versions stay as they were."""
    kind = document_check(upload)
    # One writer per attachment at a time, so two uploads cannot take the same number.
    # No ordering: the default one joins the nullable item and meeting, and PostgreSQL cannot
    # lock the nullable side of an outer join.
    list(Attachment.objects.select_for_update().filter(pk=attachment.pk).order_by().values("pk"))
    last = attachment.versions.aggregate(last=Max("number"))["last"] or 0
    version = AttachmentVersion(
        attachment=attachment,
        number=last + 1,
        original_name=(upload.name or "bijlage")[:255],
        content_type=kind.content_type,
        size=upload.size,
        uploaded_by=user if user is not None and user.is_authenticated else None,
    )
    upload.seek(0)
    version.file.save(upload.name or "bijlage", upload, save=False)
    version.save()
    return version


def version_for(user, pk, number: int | None = None) -> AttachmentVersion:
    """Version `number` (default: the latest) of attachment `pk`, if `user` reads its
    meeting: 404 when there is no such attachment or file, 403 when the meeting is out of
    reach (the same answer as for the meeting itself)."""
    attachment = _get(Attachment.objects.select_related("meeting__body", "item__meeting__body"), pk)
    check_body_readable(user, attachment.meeting_of().body)
    versions = attachment.versions.order_by("-number")
    if number is not None:
        versions = versions.filter(number=number)
    version = versions.first()
    if version is None:
        raise Http404(_("Deze bijlage heeft (nog) geen bestand."))
    return version
