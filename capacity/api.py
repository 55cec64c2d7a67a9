"""REST API for locations, capacity reports and the capacity outlook (DESIGN.md).

Serializers validate the shape; the services validate the rules and write. Permissions:
reading follows `permissions.visible_locations`; writing needs the coordinator or project
leader role (403 otherwise) and, per object, `permissions.check_can_edit` (403 for a
project leader touching another municipality).
"""

import datetime

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from municipalities.api import OwnChoicesSlugField
from municipalities.models import Municipality, SafetyRegion
from municipalities.roles import region_of

from .choices import ReportSource
from .filters import CapacityReportFilter, LocationFilter
from .models import CapacityReport, Location
from .permissions import (
    READ_ONLY,
    can_view_location,
    check_can_edit,
    editable_municipalities,
    may_write,
    visible_locations,
)
from .selectors import capacity_outlook, locations_as_of
from .services import LOCATION_FIELDS, location_create, location_update, report_submit


def _api_errors(exc: DjangoValidationError) -> ApiValidationError:
    if hasattr(exc, "error_dict"):
        return ApiValidationError(
            {
                ("non_field_errors" if field == "__all__" else field): messages
                for field, messages in exc.message_dict.items()
            }
        )
    return ApiValidationError({"non_field_errors": exc.messages})


def _permission_denied(exc) -> PermissionDenied:
    return PermissionDenied(str(exc) or READ_ONLY)


class WritersOnly(BasePermission):
    """Reads for every role; writes for coordinators and project leaders."""

    message = READ_ONLY

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or may_write(request.user)


# Locations ----------------------------------------------------------------------------------


class LocationSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all(), help_text="CBS code, e.g. GM0153."
    )
    report_date = serializers.DateField(
        read_only=True, allow_null=True, help_text="Date of the latest report up to today."
    )
    capacity = serializers.IntegerField(source="report_capacity", read_only=True, allow_null=True)
    occupied = serializers.IntegerField(source="report_occupied", read_only=True, allow_null=True)
    reserved = serializers.IntegerField(source="report_reserved", read_only=True, allow_null=True)

    class Meta:
        model = Location
        fields = [
            *LOCATION_FIELDS,
            "version",
            "report_date",
            "capacity",
            "occupied",
            "reserved",
        ]
        read_only_fields = ["version"]

    def validate_code(self, value: str) -> str:
        if self.instance is not None and value != self.instance.code:
            raise serializers.ValidationError("De code van een locatie kan niet wijzigen.")
        return value


LOCATION_WRITES = (
    "Coordinators for their region, project leaders for their own municipality; another "
    "municipality's or region's location (or creating one there) gives 403, and so does any "
    "write by a secretary or provincial reader. The `code` cannot change."
)


@extend_schema_view(
    list=extend_schema(
        summary="Locations with their latest reported figures",
        description=(
            "The locations the caller may see (coordinators, secretaries and provincial "
            "readers: their region; project leaders: their municipality), by code, with the "
            "latest report up to today. Filter with `municipality=GM0153`, `type=cno`, "
            "`status=operational`, `target_group`, `search`."
        ),
    ),
    retrieve=extend_schema(
        summary="One location by its code",
        description="A location outside the caller's reach gives 403; an unknown code 404.",
    ),
    create=extend_schema(
        summary="Add a location (coordinator, or project leader of it)",
        description=LOCATION_WRITES,
    ),
    update=extend_schema(summary="Change a location", description=LOCATION_WRITES),
    partial_update=extend_schema(
        summary="Change some fields of a location", description=LOCATION_WRITES
    ),
)
class LocationViewSet(viewsets.ModelViewSet):
    serializer_class = LocationSerializer
    filterset_class = LocationFilter
    permission_classes = viewsets.ModelViewSet.permission_classes + [WritersOnly]
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9][A-Za-z0-9._-]*"
    ordering_fields = ["code", "name", "opened_on", "contract_end"]
    ordering = ["code"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return locations_as_of(
            on=timezone.localdate(), queryset=visible_locations(self.request.user)
        ).order_by("code")

    def get_object(self):
        # Look beyond the user's scope so that another municipality's location gives 403.
        location = get_object_or_404(
            locations_as_of(on=timezone.localdate(), queryset=Location.objects.all()),
            code=self.kwargs["code"],
        )
        if self.request.method in SAFE_METHODS:
            if not can_view_location(self.request.user, location):
                raise PermissionDenied("U mag deze locatie niet inzien.")
        else:
            self._check_edit(location.municipality)
        return location

    def _check_edit(self, municipality: Municipality) -> None:
        try:
            check_can_edit(self.request.user, municipality)
        except DjangoPermissionDenied as exc:
            raise _permission_denied(exc) from exc

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        self._check_edit(data["municipality"])
        try:
            location = location_create(user=self.request.user, reason="API", **data)
        except DjangoValidationError as exc:
            raise _api_errors(exc) from exc
        serializer.instance = self._reload(location)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("code", None)
        if "municipality" in data:
            self._check_edit(data["municipality"])
        try:
            location = location_update(
                location=serializer.instance, user=self.request.user, reason="API", **data
            )
        except DjangoValidationError as exc:
            raise _api_errors(exc) from exc
        serializer.instance = self._reload(location)

    def _reload(self, location: Location) -> Location:
        return locations_as_of(on=timezone.localdate(), queryset=Location.objects.all()).get(
            pk=location.pk
        )


# Capacity reports ---------------------------------------------------------------------------

# More places than any location could have; the largest AZCs have about 2,000.
MAX_PLACES = 100_000


def _reportable_locations(user):
    return Location.objects.filter(municipality__in=editable_municipalities(user)).order_by("code")


class CapacityReportSerializer(serializers.ModelSerializer):
    # Every location validates (another municipality's gives 403 in the view); a form offers
    # only the caller's own.
    location = OwnChoicesSlugField(
        slug_field="code",
        queryset=Location.objects.all(),
        offer=_reportable_locations,
        help_text="The location's code.",
    )
    # Negative numbers are the model's to refuse (with its Dutch message); an absurdly large
    # one is refused here, before it could overflow the database column.
    reserved = serializers.IntegerField(required=False, default=0, max_value=MAX_PLACES)
    capacity = serializers.IntegerField(max_value=MAX_PLACES)
    occupied = serializers.IntegerField(max_value=MAX_PLACES)
    free = serializers.IntegerField(read_only=True)
    reported_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = CapacityReport
        fields = [
            "id",
            "location",
            "date",
            "capacity",
            "occupied",
            "reserved",
            "free",
            "source",
            "reported_by",
            "flagged",
            "flag_reason",
            "created",
            "updated",
        ]
        read_only_fields = ["source", "flagged", "flag_reason", "created", "updated"]
        # One report per location per date is not a validation error here: a second report
        # of the day replaces the first (the service upserts).
        validators = []


@extend_schema_view(
    list=extend_schema(
        summary="Capacity reports (dated counts per location)",
        description=(
            "Reports of the locations the caller may see, newest date first, then location "
            "code. Filter with `location=CODE`, `municipality=GM0153`, `date_after=` and "
            "`date_before=` (YYYY-MM-DD, inclusive), `source`, `flagged`."
        ),
    ),
    retrieve=extend_schema(
        summary="One capacity report",
        description="A report outside the caller's reach gives 403; an unknown id 404.",
    ),
    create=extend_schema(
        summary="Report the counts of a location on a date",
        description=(
            "201 when a new report was made, 200 when it replaced that day's report. "
            "Occupied above capacity, negative numbers or a future date give 400; a project "
            "leader reporting for another municipality's location gets 403. An unusual figure "
            "is saved with `flagged: true` and a `flag_reason`."
        ),
        responses={201: CapacityReportSerializer, 200: CapacityReportSerializer},
        examples=[
            OpenApiExample(
                "Weekly count of a CNO location",
                request_only=True,
                value={
                    "location": "CNO-ENS-01",
                    "date": "2023-01-09",
                    "capacity": 60,
                    "occupied": 57,
                },
            ),
        ],
    ),
)
class CapacityReportViewSet(viewsets.ModelViewSet):
    serializer_class = CapacityReportSerializer
    filterset_class = CapacityReportFilter
    permission_classes = viewsets.ModelViewSet.permission_classes + [WritersOnly]
    ordering_fields = ["date", "location__code"]
    ordering = ["-date", "location__code"]
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return CapacityReport.objects.filter(
            location__in=visible_locations(self.request.user)
        ).select_related("location", "reported_by")

    def get_object(self):
        report = get_object_or_404(
            CapacityReport.objects.select_related("location__municipality", "reported_by"),
            pk=self.kwargs["pk"],
        )
        if not can_view_location(self.request.user, report.location):
            raise PermissionDenied("U mag deze melding niet inzien.")
        return report

    def create(self, request, *args, **kwargs):
        # Permission before validation: reporting for another municipality is 403 whatever
        # the numbers.
        code = request.data.get("location") if hasattr(request.data, "get") else None
        location = Location.objects.select_related("municipality").filter(code=code).first()
        if location is not None:
            try:
                check_can_edit(request.user, location.municipality)
            except DjangoPermissionDenied as exc:
                raise _permission_denied(exc) from exc
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            report = report_submit(
                location=data["location"],
                date=data["date"],
                capacity=data["capacity"],
                occupied=data["occupied"],
                reserved=data.get("reserved", 0),
                source=ReportSource.API,
                user=request.user,
            )
        except DjangoValidationError as exc:
            raise _api_errors(exc) from exc
        body = self.get_serializer(report).data
        return Response(
            body, status=status.HTTP_201_CREATED if report.created_now else status.HTTP_200_OK
        )


# Capacity outlook ---------------------------------------------------------------------------


class OutlookRowSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="First day of the month.")
    target_group = serializers.CharField()
    places = serializers.IntegerField(help_text="Operational places on the month's first day.")
    opening = serializers.IntegerField(help_text="Places of locations planned to open that month.")
    ending = serializers.IntegerField(help_text="Places whose contract ends that month.")


class OutlookSerializer(serializers.Serializer):
    region = serializers.CharField(help_text="Safety region, e.g. VR05.")
    start = serializers.DateField()
    months = OutlookRowSerializer(many=True)


class CapacityOutlookView(APIView):
    """Operational places per target group for the coming months, from contract end dates
    and planned openings (`capacity.selectors.capacity_outlook`)."""

    @extend_schema(
        summary="Capacity outlook per month and target group",
        description=(
            "Every role reads its own region (the default); another region gives 403, an "
            "unknown one 400."
        ),
        parameters=[
            OpenApiParameter("region", OpenApiTypes.STR, description="Safety region, e.g. VR05"),
            OpenApiParameter("start", OpenApiTypes.DATE, description="Default: today"),
            OpenApiParameter("months", OpenApiTypes.INT, description="1 to 36, default 12"),
        ],
        responses=OutlookSerializer,
    )
    def get(self, request):
        own = region_of(request.user)
        region_code = request.query_params.get("region") or (own.code if own else None)
        errors = {}
        if not region_code or not SafetyRegion.objects.filter(code=region_code).exists():
            errors["region"] = ["Onbekende veiligheidsregio."]
        try:
            start = datetime.date.fromisoformat(
                request.query_params.get("start") or timezone.localdate().isoformat()
            )
        except ValueError:
            errors["start"] = ["Geef de datum als JJJJ-MM-DD."]
        try:
            months = int(request.query_params.get("months", 12))
            if not 1 <= months <= 36:
                raise ValueError
        except ValueError:
            errors["months"] = ["Geef een aantal maanden van 1 tot en met 36."]
        if errors:
            raise ApiValidationError(errors)
        if own is None or region_code != own.code:
            raise PermissionDenied("U heeft geen toegang tot de cijfers van deze regio.")
        rows = capacity_outlook(start=start, months=months, region_code=region_code)
        return Response(
            {
                "region": region_code,
                "start": start,
                "months": OutlookRowSerializer(rows, many=True).data,
            }
        )
