"""The admin's exports of locations, capacity reports and permit-holder reports, in the columns
of their import files (importing goes through the upload page: `imports`)."""

from import_export import fields, resources, widgets

from municipalities.models import Municipality

from .models import CapacityReport, Location, PermitHolderReport
from .services import LOCATION_FIELDS


def _code_of(model, attribute: str) -> fields.Field:
    return fields.Field(
        attribute=attribute,
        column_name=attribute,
        widget=widgets.ForeignKeyWidget(model, "code"),
    )


def _date(attribute: str) -> fields.Field:
    return fields.Field(
        attribute=attribute, column_name=attribute, widget=widgets.DateWidget("%Y-%m-%d")
    )


class LocationResource(resources.ModelResource):
    municipality = _code_of(Municipality, "municipality")
    opened_on = _date("opened_on")
    contract_end = _date("contract_end")

    class Meta:
        model = Location
        fields = LOCATION_FIELDS

    def get_queryset(self):
        return Location.objects.select_related("municipality")


class CapacityReportResource(resources.ModelResource):
    location = _code_of(Location, "location")
    date = _date("date")

    class Meta:
        model = CapacityReport
        fields = ("location", "date", "capacity", "occupied", "reserved")

    def get_queryset(self):
        return CapacityReport.objects.select_related("location")


class PermitHolderReportResource(resources.ModelResource):
    municipality = _code_of(Municipality, "municipality")
    date = _date("date")

    class Meta:
        model = PermitHolderReport
        fields = ("municipality", "date", "housed", "linked", "housed_amv")

    def get_queryset(self):
        return PermitHolderReport.objects.select_related("municipality")
