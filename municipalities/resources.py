"""The admin's exports of municipalities and population, in the columns of their import files
(importing goes through the upload page: `imports`)."""

from import_export import fields, resources, widgets

from .models import KeyFigure, Municipality, SafetyRegion


class MunicipalityResource(resources.ModelResource):
    safety_region = fields.Field(
        attribute="safety_region",
        column_name="safety_region",
        widget=widgets.ForeignKeyWidget(SafetyRegion, "code"),
    )

    class Meta:
        model = Municipality
        fields = ("code", "name", "safety_region")

    def get_queryset(self):
        return Municipality.objects.select_related("safety_region")


class KeyFigureResource(resources.ModelResource):
    """Population figures (the other key figures are not part of the import files)."""

    municipality = fields.Field(
        attribute="municipality",
        column_name="municipality",
        widget=widgets.ForeignKeyWidget(Municipality, "code"),
    )
    date = fields.Field(attribute="date", column_name="date", widget=widgets.DateWidget("%Y-%m-%d"))
    inhabitants = fields.Field(attribute="population", column_name="inhabitants")

    class Meta:
        model = KeyFigure
        fields = ("municipality", "date", "inhabitants")

    def get_queryset(self):
        return KeyFigure.objects.filter(population__isnull=False).select_related("municipality")
