from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from .filters import MunicipalityFilter
from .models import Municipality


class MunicipalitySerializer(serializers.ModelSerializer):
    safety_region = serializers.CharField(source="safety_region.code", read_only=True)
    population = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Latest known number of inhabitants."
    )

    class Meta:
        model = Municipality
        fields = ["code", "name", "safety_region", "population"]


@extend_schema_view(
    list=extend_schema(
        summary="Municipalities with their current population",
        description=(
            "CBS reference data of the whole country, readable by every role: code, name, "
            "safety region and the latest known population. Ordered by CBS code. Filter with "
            "`region=VR05` or `province=PV23`."
        ),
    ),
    retrieve=extend_schema(
        summary="One municipality by CBS code",
        description="Addressed by CBS code (`GM0153`); an unknown code gives 404.",
    ),
)
class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilter
    lookup_field = "code"
    ordering_fields = ["code", "name"]
    ordering = ["code"]

    def get_queryset(self):
        return (
            Municipality.objects.select_related("safety_region").with_key_figures().order_by("code")
        )


class OffersOwnChoices:
    """A related field that validates against every row, so that a view can answer 403 (not
    400) for another region's object, but offers as choices (the browsable API's forms) only
    the rows `offer(user)` returns, so no other region's names are listed."""

    def __init__(self, *, offer, **kwargs):
        self.offer = offer
        super().__init__(**kwargs)

    def get_choices(self, cutoff=None):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        queryset = self.offer(user) if user is not None else self.get_queryset().none()
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {self.to_representation(item): self.display_value(item) for item in queryset}


class OwnChoicesSlugField(OffersOwnChoices, serializers.SlugRelatedField):
    pass


class OwnChoicesPrimaryKeyField(OffersOwnChoices, serializers.PrimaryKeyRelatedField):
    pass
