import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Municipality


class MunicipalityFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(
        field_name="safety_region__code", label=_("Veiligheidsregio (CBS-code, bijv. VR05)")
    )
    province = django_filters.CharFilter(
        field_name="safety_region__province__code", label=_("Provincie (CBS-code, bijv. PV23)")
    )

    class Meta:
        model = Municipality
        fields = ["region", "province"]
