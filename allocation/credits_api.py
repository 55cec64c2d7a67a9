"""REST API `credits`: effort credited against a municipality's share (delivered, or planned
with the date it is due). Every role reads its own region's; coordinators of the task's
region record and remove them (others 403)."""

from django.http import Http404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from capacity.models import Location
from municipalities.api import OwnChoicesSlugField
from municipalities.models import Municipality
from municipalities.roles import region_of

from .api import WRITE_ACCESS, IsCoordinatorOrReadOnly, _in_region_or_refuse, _region_assignments
from .choices import CreditKind
from .models import Assignment, Credit
from .services import credit_create, credit_remove


def _region_locations(user):
    region = region_of(user)
    if region is None:
        return Location.objects.none()
    return Location.objects.in_region(region.code).order_by("code")


OWN_REGION_ONLY = "U kunt alleen inzet verrekenen in taakstellingen van uw eigen regio."


class CreditSerializer(serializers.ModelSerializer):
    # Every assignment validates (the view answers 403 for another region's); a form offers
    # only the caller's region's.
    assignment = OwnChoicesSlugField(
        slug_field="code", queryset=Assignment.objects.all(), offer=_region_assignments
    )
    municipality = serializers.SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all(), help_text="CBS code."
    )
    # Every location validates (the service refuses one of another municipality); a form
    # offers only the caller's region's.
    location = OwnChoicesSlugField(
        slug_field="code",
        queryset=Location.objects.all(),
        offer=_region_locations,
        required=False,
        allow_null=True,
        help_text="Code of the location of the credited places: when it closes, the credit "
        "lapses (and the shortfall shows again).",
    )
    kind = serializers.ChoiceField(
        choices=CreditKind.choices,
        default=CreditKind.DELIVERED,
        help_text="`delivered` (effort already delivered) or `planned` (needs `due_on`).",
    )

    class Meta:
        model = Credit
        fields = [
            "id",
            "assignment",
            "municipality",
            "kind",
            "places",
            "due_on",
            "location",
            "reason",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {
            "places": {"help_text": "Places credited as realised."},
            "due_on": {"help_text": "Planned effort: the date the places must be there."},
        }


@extend_schema_view(
    list=extend_schema(
        summary="Credited effort of the caller's region",
        description=(
            "Each credit counts as realised in its share (`credited` of the assignment's "
            "shares): delivered effort in full, or while its location is operational (at most "
            "its reported capacity); planned effort until `due_on`, after that only once its "
            "location is operational."
        ),
    ),
    retrieve=extend_schema(
        summary="One credit",
        description="Another region's credit gives 403; an unknown id 404.",
    ),
    create=extend_schema(
        summary="Credit delivered or planned effort against a share",
        description=WRITE_ACCESS,
        examples=[
            OpenApiExample(
                "A share struck because of planned effort (as in the Presentatie BAO 31-08-2022)",
                request_only=True,
                value={
                    "assignment": "asylum-cno-2022-10",
                    "municipality": "GM0147",
                    "kind": "planned",
                    "places": 10,
                    "due_on": "2022-10-01",
                    "reason": "De gevraagde plekken zijn weggestreept vanwege de geplande "
                    "inspanning",
                },
            )
        ],
    ),
    destroy=extend_schema(summary="Remove a credit", description=WRITE_ACCESS),
)
class CreditViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CreditSerializer
    ordering_fields = ["id", "places", "due_on"]
    ordering = ["id"]

    def get_permissions(self):
        return [*super().get_permissions(), IsCoordinatorOrReadOnly()]

    def get_queryset(self):
        region = region_of(self.request.user)
        if region is None:
            return Credit.objects.none()
        return Credit.objects.filter(assignment__region=region).select_related(
            "assignment", "municipality", "location"
        )

    def get_object(self):
        key = self.kwargs[self.lookup_field]
        if not key.isdigit():
            raise Http404
        return _in_region_or_refuse(self, Credit, pk=int(key))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        own = region_of(request.user)
        if own is None or data["assignment"].region_id != own.pk:
            raise PermissionDenied(OWN_REGION_ONLY)
        credit = credit_create(user=request.user, **data)
        return Response(self.get_serializer(credit).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        credit_remove(credit=instance)
