import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from capacity.choices import TargetGroup

from .choices import AssignmentStatus, ExchangeStatus, Issuer
from .models import Assignment, Exchange


class AssignmentFilter(django_filters.FilterSet):
    target_group = django_filters.ChoiceFilter(
        choices=TargetGroup.choices, label=_("Doelgroep"), empty_label=_("Alle")
    )
    status = django_filters.ChoiceFilter(
        choices=AssignmentStatus.choices, label=_("Status"), empty_label=_("Alle")
    )
    issuer = django_filters.ChoiceFilter(
        choices=Issuer.choices, label=_("Opdrachtgever"), empty_label=_("Alle")
    )
    region = django_filters.CharFilter(
        field_name="region__code", label=_("Veiligheidsregio (CBS-code, bijv. VR05)")
    )

    class Meta:
        model = Assignment
        fields = ["target_group", "status", "issuer", "region"]


class ExchangeFilter(django_filters.FilterSet):
    assignment = django_filters.CharFilter(
        method="filter_assignment", label=_("Taakstelling (code, van of naar)")
    )
    municipality = django_filters.CharFilter(
        method="filter_municipality", label=_("Gemeente (CBS-code, gevend of ontvangend)")
    )
    status = django_filters.ChoiceFilter(
        choices=ExchangeStatus.choices, label=_("Status"), empty_label=_("Alle")
    )
    region = django_filters.CharFilter(field_name="region__code", label=_("Veiligheidsregio"))

    class Meta:
        model = Exchange
        fields = ["assignment", "municipality", "status", "region"]

    def filter_assignment(self, queryset, name, value):
        return queryset.filter(Q(from_assignment__code=value) | Q(to_assignment__code=value))

    def filter_municipality(self, queryset, name, value):
        return queryset.filter(Q(from_municipality__code=value) | Q(to_municipality__code=value))
