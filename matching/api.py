"""REST API of the phone team's matching: ranked free places and placements.

`GET matches/` ranks the locations with room for a request (coordinators: the region;
project leaders: their own municipality). `POST placements/` places people (201), or answers
409 when the location no longer has room. Cancelling and departures free the places again.
Secretaries and provincial readers get 403 throughout.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from capacity.choices import TargetGroup
from capacity.models import FACILITY_FIELDS, Location
from capacity.permissions import editable_locations
from municipalities.api import OwnChoicesPrimaryKeyField, OwnChoicesSlugField
from municipalities.models import Municipality, Role
from municipalities.roles import has_role, membership_of, region_of

from .choices import Category, PlacementStatus
from .filters import PlacementFilter
from .models import MAX_PEOPLE, Placement, PlacementRequest
from .permissions import NO_MATCHING, check_can_place, may_match, visible_placements
from .selectors import placements_listed
from .services import Criteria, matches_find, placement_create, placement_end


class Matchers(BasePermission):
    message = NO_MATCHING

    def has_permission(self, request, view) -> bool:
        return may_match(request.user) and membership_of(request.user) is not None


# Matches ------------------------------------------------------------------------------------


class MatchQuerySerializer(serializers.Serializer):
    target_group = serializers.ChoiceField(choices=TargetGroup.choices)
    people = serializers.IntegerField(min_value=1, max_value=MAX_PEOPLE)
    municipality = serializers.CharField(
        required=False, max_length=6, help_text="Preferred municipality (CBS code, e.g. GM0153)."
    )
    accessible = serializers.BooleanField(required=False, default=False)
    ground_floor = serializers.BooleanField(required=False, default=False)
    family_rooms = serializers.BooleanField(required=False, default=False)
    pets = serializers.BooleanField(required=False, default=False)
    date = serializers.DateField(
        required=False, help_text="Figures as of this date (default today)."
    )

    def validate_municipality(self, value: str) -> str:
        region_id = self.context["region_id"]
        if not Municipality.objects.filter(code=value, safety_region_id=region_id).exists():
            raise serializers.ValidationError(
                _("Geen gemeente %(value)s in uw veiligheidsregio.") % {"value": value}
            )
        return value


class MatchSerializer(serializers.Serializer):
    location = serializers.CharField(source="location.code", help_text="The location's code.")
    name = serializers.CharField(source="location.name")
    municipality = serializers.CharField(source="location.municipality.code")
    municipality_name = serializers.CharField(source="location.municipality.name")
    place = serializers.CharField(source="location.place")
    free = serializers.IntegerField()
    capacity = serializers.IntegerField()
    occupied = serializers.IntegerField()
    reserved = serializers.IntegerField()
    last_report = serializers.DateField()
    stale = serializers.BooleanField(help_text="The last report is older than the stale limit.")
    preferred = serializers.BooleanField()
    share_gap = serializers.IntegerField(
        allow_null=True,
        help_text="The municipality's effective share minus realised places of the active "
        "task of this target group (null without a task). Agreed shares only; when no share "
        "of the task is agreed, the indicative ones (`share_basis`).",
    )
    share_basis = serializers.ChoiceField(
        choices=["agreed", "indicative"],
        allow_null=True,
        help_text="What `share_gap` was read from: `agreed` shares, or `indicative` ones when "
        "the task has no agreed share; null without a task.",
    )
    facilities = serializers.ListField(child=serializers.ChoiceField(choices=FACILITY_FIELDS))
    contact_name = serializers.CharField(source="location.contact_name")
    contact_phone = serializers.CharField(source="location.contact_phone")
    contact_email = serializers.CharField(source="location.contact_email")


class MatchListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = MatchSerializer(many=True)


class MatchesView(APIView):
    permission_classes = APIView.permission_classes + [Matchers]

    @extend_schema(
        summary="Locations with room for a request, ranked",
        description=(
            "Operational locations of the target group with at least `people` free places "
            "(capacity − occupied − reserved of the latest report), every facility asked for, "
            "ranked: preferred municipality first, then most free places, then the "
            "municipality furthest behind its share of the active task, then code. "
            "Project leaders see their own municipality's locations only."
        ),
        parameters=[MatchQuerySerializer],
        responses={200: MatchListSerializer},
    )
    def get(self, request):
        membership = membership_of(request.user)
        query = MatchQuerySerializer(
            data=request.query_params, context={"region_id": membership.safety_region_id}
        )
        query.is_valid(raise_exception=True)
        data = query.validated_data
        own_only = None
        if not has_role(request.user, Role.COORDINATOR):
            own_only = membership.municipality.code if membership.municipality else "-"
        criteria = Criteria(
            people=data["people"],
            target_group=data["target_group"],
            needs=tuple(name for name in FACILITY_FIELDS if data.get(name)),
            preferred_municipality=data.get("municipality"),
            municipality_only=own_only,
        )
        matches = matches_find(
            criteria=criteria,
            region_code=membership.safety_region.code,
            on=data.get("date") or timezone.localdate(),
        )
        return Response(
            {"count": len(matches), "results": MatchSerializer(matches, many=True).data}
        )


# Placements ---------------------------------------------------------------------------------


def _region_requests(user):
    return PlacementRequest.objects.filter(region=region_of(user)).order_by("-created_at")


class PlacementSerializer(serializers.ModelSerializer):
    # Every location and request validates (the view answers 403 for another region's); a
    # form offers only the caller's own.
    location = OwnChoicesSlugField(
        slug_field="code",
        queryset=Location.objects.all(),
        offer=editable_locations,
        help_text="The location's code.",
    )
    municipality = serializers.CharField(source="location.municipality.code", read_only=True)
    request = OwnChoicesPrimaryKeyField(
        queryset=PlacementRequest.objects.all(),
        offer=_region_requests,
        required=False,
        allow_null=True,
        help_text="The phone team's request this placement answers (optional).",
    )
    people = serializers.IntegerField(min_value=1, max_value=MAX_PEOPLE)
    category = serializers.ChoiceField(choices=Category.choices, default=Category.REGULAR)
    placed_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    ended_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    report_date = serializers.DateField(
        source="report.date", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Placement
        fields = [
            "id",
            "request",
            "location",
            "municipality",
            "people",
            "target_group",
            "category",
            "status",
            "placed_at",
            "placed_by",
            "ended_at",
            "ended_by",
            "report_date",
        ]
        read_only_fields = ["status", "placed_at", "ended_at"]


NO_ROOM = OpenApiResponse(
    description=_("Geen plek meer: de locatie heeft te weinig vrije plekken.")
)
ENDED = OpenApiResponse(description=_("De plaatsing was al beëindigd."))


@extend_schema_view(
    list=extend_schema(
        summary="Placements in your region (project leaders: own municipality)",
        description=(
            "Newest first. Coordinators see their region's placements, project leaders their "
            "own municipality's; secretaries and provincial readers get 403."
        ),
    ),
    retrieve=extend_schema(
        summary="One placement",
        description="A placement outside the caller's reach gives 403; an unknown id 404.",
    ),
    create=extend_schema(
        summary="Place people into a location",
        description=(
            "Raises the occupied count of the location's report of today by `people`. When "
            "the location no longer has that many free places the answer is 409 and nothing "
            "is saved; a location outside the caller's reach gives 403."
        ),
        responses={201: PlacementSerializer, 409: NO_ROOM},
    ),
)
class PlacementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PlacementSerializer
    filterset_class = PlacementFilter
    permission_classes = viewsets.GenericViewSet.permission_classes + [Matchers]
    ordering_fields = ["placed_at", "people"]
    ordering = ["-placed_at"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return placements_listed(visible_placements(self.request.user)).select_related("report")

    def get_object(self):
        # Look beyond the user's scope so that another municipality's placement gives 403.
        placement = get_object_or_404(
            Placement.objects.select_related(
                "location__municipality", "placed_by", "ended_by", "report"
            ),
            pk=self.kwargs["pk"],
        )
        self._check_place(placement.location)
        return placement

    def _check_place(self, location: Location) -> None:
        check_can_place(self.request.user, location)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        self._check_place(data["location"])
        placement_request = data.get("request")
        if placement_request is not None:
            membership = membership_of(request.user)
            if placement_request.region_id != membership.safety_region_id:
                raise ApiValidationError({"request": [_("Onbekend verzoek in uw regio.")]})
        placement = placement_create(
            location=data["location"],
            people=data["people"],
            target_group=data["target_group"],
            category=data["category"],
            request=placement_request,
            user=request.user,
        )
        return Response(self.get_serializer(placement).data, status=status.HTTP_201_CREATED)

    def _end(self, status_value: str) -> Response:
        placement = placement_end(
            placement=self.get_object(), status=status_value, user=self.request.user
        )
        return Response(self.get_serializer(placement).data)

    @extend_schema(
        summary="Cancel a placement (frees its places)",
        description=(
            "Lowers the occupied count of the location's report of today by the placement's "
            "`people`. A placement already ended gives 409."
        ),
        request=None,
        responses={200: PlacementSerializer, 409: ENDED},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._end(PlacementStatus.CANCELLED)

    @extend_schema(
        summary="Record the departure of a placement (frees its places)",
        description=(
            "The people have left: as cancelling, the occupied count of today's report goes "
            "down by `people`. A placement already ended gives 409."
        ),
        request=None,
        responses={200: PlacementSerializer, 409: ENDED},
    )
    @action(detail=True, methods=["post"])
    def depart(self, request, pk=None):
        return self._end(PlacementStatus.DEPARTED)
