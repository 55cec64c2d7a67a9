"""The FilterSet of placements, shared by the placements page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from capacity.choices import TargetGroup
from municipalities.models import Municipality
from municipalities.roles import region_of

from .choices import Category, PlacementStatus
from .models import Placement


def _region_municipalities(request):
    region = region_of(request.user) if request is not None else None
    municipalities = Municipality.objects.order_by("name")
    return municipalities.filter(safety_region=region) if region else municipalities


class PlacementFilter(django_filters.FilterSet):
    municipality = django_filters.ModelChoiceFilter(
        field_name="location__municipality",
        to_field_name="code",
        queryset=_region_municipalities,
        label=_("Gemeente"),
        empty_label=_("Alle gemeenten"),
    )
    location = django_filters.CharFilter(field_name="location__code", label=_("Locatie (code)"))
    target_group = django_filters.ChoiceFilter(
        choices=TargetGroup.choices, label=_("Doelgroep"), empty_label=_("Alle doelgroepen")
    )
    category = django_filters.ChoiceFilter(
        choices=Category.choices, label=_("Categorie"), empty_label=_("Alle categorieën")
    )
    status = django_filters.ChoiceFilter(
        choices=PlacementStatus.choices, label=_("Status"), empty_label=_("Alle statussen")
    )
    placed = django_filters.DateFromToRangeFilter(
        field_name="placed_at__date", label=_("Geplaatst")
    )

    class Meta:
        model = Placement
        fields = ["municipality", "location", "target_group", "category", "status", "placed"]
