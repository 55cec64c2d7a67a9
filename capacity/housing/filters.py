"""The FilterSet of permit-holder housing reports, shared by the page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from ..choices import ReportSource
from ..models import PermitHolderReport


class PermitHolderReportFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(
        field_name="municipality__code", label=_("Gemeente (CBS-code)")
    )
    # `date_after` and `date_before` (inclusive), as for capacity reports.
    date = django_filters.DateFromToRangeFilter(label=_("Datum"))
    source = django_filters.ChoiceFilter(choices=ReportSource.choices, label=_("Bron"))

    class Meta:
        model = PermitHolderReport
        fields = ["municipality", "date", "source"]
