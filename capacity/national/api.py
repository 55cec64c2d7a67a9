"""REST API `national-figures`: the national figures per target group and date.

National, not a region's: every role reads them. Coordinators record them (POST; a second
figure for the same target group and date replaces the first); others get 403.
"""

from decimal import Decimal

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from municipalities.models import Role
from municipalities.roles import has_role

from ..api import MAX_PLACES
from ..models import NationalFigure
from .filters import NationalFigureFilter
from .selectors import NATIONAL_TIPPING_POINT, NATIONAL_WARNING, NationalStatus
from .services import national_figure_record

COORDINATORS_ONLY = "Alleen coördinatoren voeren landelijke cijfers in."


class CoordinatorsWrite(BasePermission):
    message = COORDINATORS_ONLY

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or has_role(request.user, Role.COORDINATOR)


class NationalFigureSerializer(serializers.ModelSerializer):
    available_places = serializers.IntegerField(
        min_value=0,
        max_value=MAX_PLACES * 100,
        required=False,
        allow_null=True,
        help_text="Free places nationally on `date`.",
    )
    occupancy_rate = serializers.DecimalField(
        max_digits=4,
        decimal_places=3,
        min_value=Decimal("0"),
        max_value=Decimal("1"),
        coerce_to_string=False,
        required=False,
        allow_null=True,
        help_text="National occupancy as a fraction, e.g. 0.92 for 92%.",
    )
    level = serializers.SerializerMethodField(
        help_text=(
            "`ok`, `warning` (from 0.92) or `tipping_point` (from 0.95: prepare crisis "
            "emergency reception), judged on `occupancy_rate`."
        )
    )
    entered_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = NationalFigure
        fields = [
            "id",
            "target_group",
            "date",
            "available_places",
            "occupancy_rate",
            "level",
            "source",
            "entered_by",
            "created",
            "updated",
        ]
        read_only_fields = ["created", "updated"]
        # A second figure of the same day replaces the first (the service upserts).
        validators = []

    def get_level(self, figure: NationalFigure) -> str:
        return NationalStatus(target_group=figure.target_group, figure=figure).level


@extend_schema_view(
    list=extend_schema(
        summary="National figures per target group (available places, occupancy)",
        description=(
            "Newest date first. The tipping point for crisis emergency reception is judged "
            f"on the national occupancy: `level` is `warning` from {NATIONAL_WARNING} and "
            f"`tipping_point` from {NATIONAL_TIPPING_POINT}. Filter with `target_group`, "
            "`date_after=` and `date_before=` (YYYY-MM-DD, inclusive)."
        ),
    ),
    retrieve=extend_schema(
        summary="One national figure",
        description="Readable by every role (national figures are nobody's region); an "
        "unknown id gives 404.",
    ),
    create=extend_schema(
        summary="Record a national figure (coordinators)",
        description=(
            "201 when new, 200 when it replaced the figure of that target group and date. "
            "Give `available_places`, `occupancy_rate` or both; a future date or a rate "
            "outside 0..1 gives 400; other roles than coordinators get 403."
        ),
        responses={201: NationalFigureSerializer, 200: NationalFigureSerializer},
        examples=[
            OpenApiExample(
                "Ukraine, BAO July 2022: 4,919 places available nationally, occupancy 92%",
                request_only=True,
                value={
                    "target_group": "ukraine",
                    "date": "2022-07-07",
                    "available_places": 4919,
                    "occupancy_rate": 0.92,
                    "source": "Verslag BAO juli 2022, agendapunt 10.2",
                },
            ),
        ],
    ),
)
class NationalFigureViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = NationalFigureSerializer
    filterset_class = NationalFigureFilter
    permission_classes = viewsets.GenericViewSet.permission_classes + [CoordinatorsWrite]
    queryset = NationalFigure.objects.select_related("entered_by")
    ordering_fields = ["date", "target_group"]
    ordering = ["-date", "target_group"]
    lookup_value_regex = r"[0-9]+"

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        figure = national_figure_record(
            target_group=data["target_group"],
            date=data["date"],
            available_places=data.get("available_places"),
            occupancy_rate=data.get("occupancy_rate"),
            source=data.get("source", ""),
            user=request.user,
        )
        return Response(
            self.get_serializer(figure).data,
            status=status.HTTP_201_CREATED if figure.created_now else status.HTTP_200_OK,
        )
