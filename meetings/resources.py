"""CSV/XLSX exports of decision and action lists (django-import-export), headers in the
user's language (Dutch by default)."""

from django.http import HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from municipalities.spreadsheets import spreadsheet_response

from .models import Entry, EntryKind


class EntryResource(resources.Resource):
    """One row per decision or action, as the printable lists show them. Expects a queryset
    with `with_context()` applied, so the export runs in one query."""

    meeting = fields.Field(column_name=_("Overleg"))
    date = fields.Field(column_name=_("Datum"))
    number = fields.Field(column_name=_("Agendapunt"), attribute="item__number")
    title = fields.Field(column_name=_("Onderwerp"), attribute="item__title")
    kind = fields.Field(column_name=_("Soort"))
    text = fields.Field(column_name=_("Tekst"), attribute="text")
    explanation = fields.Field(column_name=_("Toelichting"), attribute="explanation")
    owner = fields.Field(column_name=_("Eigenaar"))
    due_date = fields.Field(column_name=_("Deadline"))
    status = fields.Field(column_name=_("Status"))
    overdue = fields.Field(column_name=_("Te laat"))
    closed_at = fields.Field(column_name=_("Afgehandeld in"))
    carried_from = fields.Field(column_name=_("Overgenomen uit"))

    def dehydrate_meeting(self, entry: Entry) -> str:
        return entry.item.meeting.body.code

    def dehydrate_date(self, entry: Entry):
        return entry.item.meeting.date

    def dehydrate_kind(self, entry: Entry) -> str:
        return str(entry.get_kind_display())

    def dehydrate_owner(self, entry: Entry) -> str:
        return entry.owner_display

    def dehydrate_due_date(self, entry: Entry):
        return entry.due_date

    def dehydrate_status(self, entry: Entry) -> str:
        return str(entry.get_status_display()) if entry.kind == EntryKind.ACTION else ""

    def dehydrate_overdue(self, entry: Entry) -> str:
        if entry.kind != EntryKind.ACTION:
            return ""
        return gettext("ja") if entry.is_overdue else gettext("nee")

    def dehydrate_closed_at(self, entry: Entry) -> str:
        return str(entry.closed_at_meeting) if entry.closed_at_meeting_id else ""

    def dehydrate_carried_from(self, entry: Entry) -> str:
        return str(entry.carried_from.item.meeting) if entry.carried_from_id else ""


def export_response(queryset, *, fmt: str, filename: str, title: str) -> HttpResponse:
    """The entries as a download; `title` names the XLSX sheet ("Acties")."""
    dataset = EntryResource().export(queryset=queryset)
    dataset.title = title
    return spreadsheet_response(dataset, fmt=fmt, filename=filename)
