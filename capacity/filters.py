"""One FilterSet per listable model, shared by the pages and the API (DESIGN.md filters)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality
from municipalities.roles import region_of

from .choices import LocationStatus, LocationType, ReportSource, TargetGroup
from .lifecycle import EffectiveStatus
from .models import CapacityReport, Location


def _region_municipalities(request):
    region = region_of(request.user) if request is not None else None
    municipalities = Municipality.objects.order_by("name")
    return municipalities.filter(safety_region=region) if region else municipalities


class LocationFilter(django_filters.FilterSet):
    municipality = django_filters.ModelChoiceFilter(
        field_name="municipality",
        to_field_name="code",
        queryset=_region_municipalities,
        label=_("Gemeente"),
        empty_label=_("Alle gemeenten"),
    )
    type = django_filters.ChoiceFilter(
        choices=LocationType.choices, label=_("Soort locatie"), empty_label=_("Alle soorten")
    )
    status = django_filters.ChoiceFilter(
        choices=LocationStatus.choices, label=_("Status"), empty_label=_("Alle statussen")
    )
    # Filters the `effective_status` annotation (locations_as_of): the state on the date the
    # page or API request asks for.
    effective_status = django_filters.ChoiceFilter(
        choices=EffectiveStatus.choices,
        label=_("Stand op peildatum"),
        empty_label=_("Alle standen"),
    )
    target_group = django_filters.ChoiceFilter(
        choices=TargetGroup.choices, label=_("Doelgroep"), empty_label=_("Alle doelgroepen")
    )
    search = django_filters.CharFilter(method="filter_search", label=_("Zoeken"))

    class Meta:
        model = Location
        fields = ["municipality", "type", "status", "effective_status", "target_group", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(place__icontains=value)
        )


class CapacityReportFilter(django_filters.FilterSet):
    location = django_filters.CharFilter(field_name="location__code", label=_("Locatie (code)"))
    municipality = django_filters.CharFilter(
        field_name="location__municipality__code", label=_("Gemeente (CBS-code)")
    )
    # `date_after` and `date_before` (inclusive), as DESIGN.md names them.
    date = django_filters.DateFromToRangeFilter(label=_("Datum"))
    source = django_filters.ChoiceFilter(choices=ReportSource.choices, label=_("Bron"))
    flagged = django_filters.BooleanFilter(label=_("Ter controle"))

    class Meta:
        model = CapacityReport
        fields = ["location", "municipality", "date", "source", "flagged"]
