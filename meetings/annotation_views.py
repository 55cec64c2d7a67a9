"""The own annotations of a municipality (or the VRT) on a meeting's agenda: the annotated
agenda, its print version, and the form per agenda item. Only the owner's project leaders or
coordinators get here (meetings.annotations); a meeting out of their reach gives 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.models import Role
from municipalities.roles import membership_of, role_required

from .annotations import (
    NOT_AN_AUTHOR,
    annotated_agenda,
    annotation_create,
    annotation_update,
    annotations_of,
    owner_of,
)
from .forms import AnnotationForm
from .models import AgendaItem
from .permissions import _get, check_body_readable, meeting_for
from .selectors import meeting_attachments, meeting_one
from .services import MeetingError

AUTHOR_ROLES = (Role.PROJECT_LEADER, Role.COORDINATOR)


def _owner_name(user) -> str:
    membership = membership_of(user)
    if owner_of(user).municipality_id is not None:
        return membership.municipality.name
    return membership.safety_region.name


def _agenda(request, pk: int, template: str):
    if owner_of(request.user) is None:
        raise PermissionDenied(NOT_AN_AUTHOR)
    meeting = meeting_for(request.user, pk, meeting_one())
    return render(
        request,
        template,
        {
            "meeting": meeting,
            "agenda": annotated_agenda(meeting=meeting, user=request.user),
            "owner_name": _owner_name(request.user),
            "pack": meeting_attachments(meeting),
            "printed_at": timezone.localtime(),
        },
    )


@role_required(*AUTHOR_ROLES)
def annotated_agenda_page(request, pk: int):
    return _agenda(request, pk, "meetings/annotated_agenda.html")


@role_required(*AUTHOR_ROLES)
def annotated_agenda_print(request, pk: int):
    return _agenda(request, pk, "meetings/annotated_agenda_print.html")


@role_required(*AUTHOR_ROLES)
def annotation_edit(request, pk: int):
    if owner_of(request.user) is None:
        raise PermissionDenied(NOT_AN_AUTHOR)
    item = _get(AgendaItem.objects.select_related("meeting__body"), pk)
    check_body_readable(request.user, item.meeting.body)
    annotation = annotations_of(request.user).filter(item=item).first()
    initial = {"advice": annotation.advice, "text": annotation.text} if annotation else None
    form = AnnotationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if annotation is None:
                annotation_create(
                    user=request.user, item=item, advice=data["advice"], text=data["text"]
                )
            else:
                annotation_update(
                    user=request.user,
                    annotation=annotation,
                    advice=data["advice"],
                    text=data["text"],
                )
        except MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("De annotatie is opgeslagen."))
            return redirect(
                reverse("meetings:annotations", args=[item.meeting_id]) + f"#punt-{item.pk}"
            )
    return render(
        request,
        "meetings/annotation_form.html",
        {
            "item": item,
            "meeting": item.meeting,
            "form": form,
            "annotation": annotation,
            "owner_name": _owner_name(request.user),
        },
    )
