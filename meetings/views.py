"""Read-only pages: the meetings, their minutes, their decision and action lists, and the open
actions across meetings. Editing happens in the admin, by the secretary.

Everybody reads the meetings in their reach (meetings.readers: their region's bodies and their
province's, a provincial reader their province's only); another meeting gives 403."""

from django import forms
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from municipalities.models import Role
from municipalities.roles import has_role, role_required
from municipalities.spreadsheets import FORMATS

from .annotations import may_annotate
from .attachments import version_for
from .filters import ActionFilter, MeetingFilter
from .models import ActionStatus
from .pack import pack_last_send, pack_sent_display
from .permissions import meeting_for, user_keeps_body
from .portfolios import portfolio_for, portfolios_read_by, with_outcome
from .resources import export_response
from .selectors import (
    actions_read_by,
    corrections,
    meeting_attachments,
    meeting_entries,
    meeting_one,
    meeting_with_minutes,
    meetings_listed,
)

# The full minutes name people and carry the running text; the decision and action lists are
# for every role (they are the table's own outcome).
MINUTES_ROLES = (Role.COORDINATOR, Role.SECRETARY)
PAGE_SIZE = 50


def _export_format(request) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in FORMATS else None


def _utrecht_form(form: forms.Form) -> forms.Form:
    """Give the filter form's widgets the NL Design System classes."""
    for field in form.fields.values():
        widget = field.widget
        if widget.is_hidden:
            continue
        if isinstance(widget, forms.Select):
            widget.attrs["class"] = "utrecht-select utrecht-select--html-select"
        else:
            widget.attrs["class"] = "utrecht-textbox utrecht-textbox--html-input"
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"
    return form


def _query_without_page(data) -> str:
    """The current filters as a query string, for the pagination and export links."""
    query = data.copy()
    query.pop("page", None)
    query.pop("format", None)
    return query.urlencode()


@role_required(*Role.values)
def meeting_list(request):
    filterset = MeetingFilter(
        request.GET or None,
        queryset=meetings_listed(user=request.user).with_open_action_count(),
        request=request,
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "filter": filterset,
            "form": _utrecht_form(filterset.form),
            "page": page,
            "query": _query_without_page(request.GET),
            "may_read_minutes": has_role(request.user, *MINUTES_ROLES),
        },
    )


@role_required(*MINUTES_ROLES)
def meeting_detail(request, pk: int):
    meeting = meeting_for(request.user, pk, meeting_with_minutes(request.user))
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "may_edit": user_keeps_body(request.user, meeting.body),
            "may_annotate": may_annotate(request.user),
            "pack_sent": pack_sent_display(pack_last_send(meeting)),
        },
    )


@role_required(*Role.values)
def meeting_entry_list(request, pk: int):
    meeting = meeting_for(request.user, pk, meeting_one())
    entries = meeting_entries(meeting)
    fmt = _export_format(request)
    if fmt:
        return export_response(
            entries,
            fmt=fmt,
            filename=f"besluiten-en-acties-{meeting.body.code}-{meeting.date}",
            title=_("Besluiten en acties"),
        )
    return render(
        request,
        "meetings/meeting_entries.html",
        {
            "meeting": meeting,
            "entries": entries,
            "corrections": corrections().filter(meeting=meeting),
            "pack": meeting_attachments(meeting),
            "may_read_minutes": has_role(request.user, *MINUTES_ROLES),
            "may_annotate": may_annotate(request.user),
        },
    )


@role_required(*Role.values)
def action_list(request):
    data = request.GET.copy()
    # The register opens on the actions still to do; "status=" (Alle) shows the done ones too.
    data.setdefault("status", ActionStatus.OPEN)
    register = actions_read_by(user=request.user)
    filterset = ActionFilter(data, queryset=register, request=request)
    actions = filterset.qs if filterset.is_valid() else register.none()
    fmt = _export_format(request)
    if fmt:
        return export_response(actions, fmt=fmt, filename="acties", title=_("Acties"))
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/action_list.html",
        {
            "filter": filterset,
            "form": _utrecht_form(filterset.form),
            "page": page,
            "query": _query_without_page(data),
        },
    )


@role_required(*Role.values)
def attachment_download(request, pk: int, version: int | None = None):
    """The file of an attachment (its latest version, or `version`), for whoever reads the
    meeting: the files are outside the served roots, so this is the only way to them."""
    found = version_for(request.user, pk, version)
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*Role.values)
def portfolio_list(request):
    """The portfolios of the tables the user reads, with their holders, spearheads and how
    many decisions and open actions each has."""
    return render(
        request,
        "meetings/portfolio_list.html",
        {"portfolios": with_outcome(portfolios_read_by(user=request.user))},
    )


@role_required(*Role.values)
def portfolio_detail(request, pk: int):
    """One portfolio: holders, spearheads, linked agenda items, decisions and open actions.
    A portfolio of a table the user does not read is 404."""
    portfolio = portfolio_for(request.user, pk)
    return render(
        request,
        "meetings/portfolio_detail.html",
        {
            "portfolio": portfolio,
            "may_edit": user_keeps_body(request.user, portfolio.body),
            "may_read_minutes": has_role(request.user, *MINUTES_ROLES),
        },
    )
