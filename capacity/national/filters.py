"""The FilterSet of national figures (API)."""

import django_filters

from ..choices import TargetGroup
from ..models import NationalFigure


class NationalFigureFilter(django_filters.FilterSet):
    target_group = django_filters.ChoiceFilter(choices=TargetGroup.choices, label="Doelgroep")
    # `date_after` and `date_before` (inclusive), as for capacity reports.
    date = django_filters.DateFromToRangeFilter(label="Datum")

    class Meta:
        model = NationalFigure
        fields = ["target_group", "date"]
