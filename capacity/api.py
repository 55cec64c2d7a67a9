"""REST API for locations, capacity reports and the capacity outlook (DESIGN.md).

Serializers validate the shape; the services validate the rules and write. Permissions:
reading follows `permissions.visible_locations`; writing needs the coordinator or project
leader role (403 otherwise) and, per object, `permissions.check_can_edit` (403 for a
project leader touching another municipality).

Optimistic locking: locations and reports show their `version`; PUT and PATCH must send the
version last read. A change someone else saved in the meantime gives 409 and nothing is
saved; a missing version gives 400.
"""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
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
from .discretion import check_named
from .filters import CapacityReportFilter, LocationFilter
from .lifecycle import EffectiveStatus
from .models import CapacityReport, Location
from .permissions import (
    READ_ONLY,
    can_view_location,
    check_can_edit,
    editable_locations,
    may_write,
    visible_locations,
)
from .selectors import capacity_outlook, locations_as_of
from .services import (
    LOCATION_FIELDS,
    location_create,
    location_update,
    report_submit,
    report_update,
)

# The largest value of the `version` column (a PostgreSQL integer).
MAX_VERSION = 2_147_483_647
VERSION_REQUIRED = _(
    "Geef de versie mee die u het laatst heeft opgehaald (veld version), zodat een wijziging "
    "van iemand anders niet ongemerkt wordt overschreven."
)
VERSION_HELP = (
    "The version last read (GET). Required for PUT and PATCH; when someone else changed the "
    "object since, the answer is 409 and nothing is saved."
)


def _version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        help_text=VERSION_HELP,
        error_messages={"required": VERSION_REQUIRED, "null": VERSION_REQUIRED},
    )


def _require_version(attrs: dict) -> None:
    # PATCH skips `required`; the version is needed all the same.
    if "version" not in attrs:
        raise serializers.ValidationError({"version": [VERSION_REQUIRED]})


class WritersOnly(BasePermission):
    """Reads for every role; writes for coordinators and project leaders."""

    message = READ_ONLY

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or may_write(request.user)


# Locations ----------------------------------------------------------------------------------

AS_OF_PARAMETER = OpenApiParameter(
    "date",
    OpenApiTypes.DATE,
    description=(
        "The day whose state (`effective_status`) and latest report show, YYYY-MM-DD; "
        "default today."
    ),
)


class LocationSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all(), help_text="CBS code, e.g. GM0153."
    )
    report_date = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="Date of the latest report up to `date` (default today).",
    )
    effective_status = serializers.ChoiceField(
        choices=EffectiveStatus.choices,
        read_only=True,
        help_text=(
            "The location's state on `date` (default today) by the one lifecycle rule, from "
            "`status`, `opened_on` and `contract_end`: one of the status values, or "
            "`contract_ended` after the contract end of a location not closed. Only "
            "`operational` locations count in the operational places of the overview."
        ),
    )
    capacity = serializers.IntegerField(source="report_capacity", read_only=True, allow_null=True)
    occupied = serializers.IntegerField(source="report_occupied", read_only=True, allow_null=True)
    reserved = serializers.IntegerField(source="report_reserved", read_only=True, allow_null=True)
    demo = serializers.BooleanField(
        read_only=True,
        help_text="A made-up location of the demo history (`manage.py load_demo`), not a real one.",
    )

    class Meta:
        model = Location
        fields = [
            *LOCATION_FIELDS,
            "demo",
            "version",
            "effective_status",
            "report_date",
            "capacity",
            "occupied",
            "reserved",
        ]
        read_only_fields = ["version", "effective_status"]

    def validate_code(self, value: str) -> str:
        if self.instance is not None and value != self.instance.code:
            raise serializers.ValidationError(_("De code van een locatie kan niet wijzigen."))
        return value


class LocationUpdateSerializer(LocationSerializer):
    """PUT and PATCH: the location's fields plus the `version` the caller last read."""

    version = _version_field()

    class Meta(LocationSerializer.Meta):
        read_only_fields = []

    def validate(self, attrs: dict) -> dict:
        _require_version(attrs)
        return super().validate(attrs)


LOCATION_WRITES = (
    "Coordinators for their region, project leaders for their own municipality; another "
    "municipality's or region's location (or creating one there) gives 403, and so does any "
    "write by a secretary or provincial reader. The `code` cannot change."
)
LOCATION_UPDATES = (
    f"{LOCATION_WRITES} Send the `version` from your last GET: when someone else changed the "
    "location since, the answer is 409 and nothing is saved; without `version` 400."
)


@extend_schema_view(
    list=extend_schema(
        summary="Locations with their latest reported figures",
        description=(
            "The locations the caller may see (coordinators, secretaries and provincial "
            "readers: their region; project leaders: their municipality), by code, with "
            "their state (`effective_status`) and latest report on `date` (default today). "
            "Filter with `municipality=GM0153`, `type=cno`, `status=operational` (the stored "
            "status), `effective_status=operational` (the state on `date`), `target_group`, "
            "`search`. The summed `capacity` of the locations whose `effective_status` is "
            "`operational` equals the operational places of the overview on that date."
        ),
        parameters=[AS_OF_PARAMETER],
    ),
    retrieve=extend_schema(
        summary="One location by its code",
        description="A location outside the caller's reach gives 403; an unknown code 404.",
        parameters=[AS_OF_PARAMETER],
    ),
    create=extend_schema(
        summary="Add a location (coordinator, or project leader of it)",
        description=LOCATION_WRITES,
    ),
    update=extend_schema(summary="Change a location", description=LOCATION_UPDATES),
    partial_update=extend_schema(
        summary="Change some fields of a location", description=LOCATION_UPDATES
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

    def as_of(self) -> datetime.date:
        """The `date` query parameter (default today): the day whose state and figures show."""
        value = self.request.query_params.get("date")
        if not value:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ApiValidationError(
                {"date": [_("Geef de datum als JJJJ-MM-DD, bijvoorbeeld 2023-07-31.")]}
            ) from None

    def get_queryset(self):
        return locations_as_of(
            on=self.as_of(), queryset=visible_locations(self.request.user)
        ).order_by("code")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return LocationUpdateSerializer
        return LocationSerializer

    def get_object(self):
        # Look beyond the user's scope so that another municipality's location gives 403.
        location = get_object_or_404(
            locations_as_of(on=self.as_of(), queryset=Location.objects.all()),
            code=self.kwargs["code"],
        )
        if self.request.method in SAFE_METHODS:
            check_named(self.request.user, location)
            if not can_view_location(self.request.user, location):
                raise PermissionDenied(_("U mag deze locatie niet inzien."))
        else:
            self._check_edit(location.municipality)
        return location

    def _check_edit(self, municipality: Municipality) -> None:
        check_can_edit(self.request.user, municipality)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        self._check_edit(data["municipality"])
        location = location_create(user=self.request.user, reason="API", **data)
        serializer.instance = self._reload(location)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        location = self.get_object()
        # Permission before validation: moving a location to a municipality the caller may
        # not edit is 403 whatever else the body holds.
        code = request.data.get("municipality") if hasattr(request.data, "get") else None
        target = Municipality.objects.filter(code=code).first() if isinstance(code, str) else None
        if target is not None:
            self._check_edit(target)
        serializer = self.get_serializer(location, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return Response(serializer.data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("code", None)
        version = data.pop("version")
        if "municipality" in data:
            self._check_edit(data["municipality"])
        location = location_update(
            location=serializer.instance,
            user=self.request.user,
            expected_version=version,
            reason="API",
            **data,
        )
        serializer.instance = self._reload(location)

    def _reload(self, location: Location) -> Location:
        return locations_as_of(on=timezone.localdate(), queryset=Location.objects.all()).get(
            pk=location.pk
        )


# Capacity reports ---------------------------------------------------------------------------

# More places than any location could have; the largest AZCs have about 2,000.
MAX_PLACES = 100_000


class CapacityReportSerializer(serializers.ModelSerializer):
    # Every location validates (another municipality's gives 403 in the view); a form offers
    # only the caller's own.
    location = OwnChoicesSlugField(
        slug_field="code",
        queryset=Location.objects.all(),
        offer=editable_locations,
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
            "version",
            "created",
            "updated",
        ]
        read_only_fields = ["source", "flagged", "flag_reason", "version", "created", "updated"]
        # One report per location per date is not a validation error here: a second report
        # of the day replaces the first (the service upserts).
        validators = []


class CapacityReportUpdateSerializer(serializers.Serializer):
    """PUT and PATCH of a report: new counts and the `version` the caller last read. The
    location and date of a report are fixed; when sent, they must be the report's own."""

    location = serializers.CharField(required=False, help_text="The report's own location.")
    date = serializers.DateField(required=False, help_text="The report's own date.")
    capacity = serializers.IntegerField(max_value=MAX_PLACES)
    occupied = serializers.IntegerField(max_value=MAX_PLACES)
    reserved = serializers.IntegerField(required=False, default=0, max_value=MAX_PLACES)
    version = _version_field()

    def validate(self, attrs: dict) -> dict:
        _require_version(attrs)
        report = self.instance
        errors = {}
        if "location" in attrs and attrs["location"] != report.location.code:
            errors["location"] = [
                _(
                    "De locatie van een melding kan niet wijzigen; meld de aantallen van de andere "
                    "locatie als nieuwe melding."
                )
            ]
        if "date" in attrs and attrs["date"] != report.date:
            errors["date"] = [
                _(
                    "De datum van een melding kan niet wijzigen; meld de aantallen van die datum "
                    "als nieuwe melding."
                )
            ]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


REPORT_UPDATES = (
    "Change the counts of an existing report; its location and date stay. PUT sets capacity "
    "and occupied and reserved (0 when left out, as in POST); PATCH changes the counts sent. "
    "Send the `version` "
    "from your last GET: when someone else changed the report since, the answer is 409 and "
    "nothing is saved; without `version` 400. Occupied above capacity, negative numbers or a "
    "report dated after the contract end give 400; implausible figures are saved flagged, as "
    "in POST; a project leader changing another municipality's report gets 403, and so do "
    "secretaries and provincial readers."
)


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
    update=extend_schema(
        summary="Change the counts of a capacity report",
        description=REPORT_UPDATES,
        request=CapacityReportUpdateSerializer,
        responses={200: CapacityReportSerializer},
    ),
    partial_update=extend_schema(
        summary="Change some counts of a capacity report",
        description=REPORT_UPDATES,
        request=CapacityReportUpdateSerializer,
        responses={200: CapacityReportSerializer},
        examples=[
            OpenApiExample(
                "New occupied count, with the version last read",
                request_only=True,
                value={"occupied": 58, "version": 3},
            ),
        ],
    ),
    create=extend_schema(
        summary="Report the counts of a location on a date",
        description=(
            "201 when a new report was made, 200 when it replaced that day's report. "
            "Occupied above capacity, negative numbers, a future date or a date after the "
            "location's contract end (400 on `date`) give 400; a project leader reporting for "
            "another municipality's location gets 403. An implausible figure (more than half "
            "and more than 20 places away from the previous report or the registered "
            "capacity, or an outlier against the location's history) is saved with "
            "`flagged: true` and a `flag_reason`, for the coordinator to check."
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
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    lookup_value_regex = r"[0-9]+"

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return CapacityReportUpdateSerializer
        return CapacityReportSerializer

    def get_queryset(self):
        return CapacityReport.objects.filter(
            location__in=visible_locations(self.request.user)
        ).select_related("location", "reported_by")

    def get_object(self):
        report = get_object_or_404(
            CapacityReport.objects.select_related("location__municipality", "reported_by"),
            pk=self.kwargs["pk"],
        )
        if self.request.method in SAFE_METHODS:
            check_named(self.request.user, report.location)
        if not can_view_location(self.request.user, report.location):
            raise PermissionDenied(_("U mag deze melding niet inzien."))
        if self.request.method not in SAFE_METHODS:
            check_can_edit(self.request.user, report.location.municipality)
        return report

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        report = self.get_object()
        serializer = self.get_serializer(report, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        data.pop("location", None)
        data.pop("date", None)
        report = report_update(
            report=report,
            expected_version=version,
            user=request.user,
            source=ReportSource.API,
            **data,
        )
        body = CapacityReportSerializer(report, context=self.get_serializer_context()).data
        return Response(body)

    def create(self, request, *args, **kwargs):
        # Permission before validation: reporting for another municipality is 403 whatever
        # the numbers.
        code = request.data.get("location") if hasattr(request.data, "get") else None
        location = Location.objects.select_related("municipality").filter(code=code).first()
        if location is not None:
            check_can_edit(request.user, location.municipality)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = report_submit(
            location=data["location"],
            date=data["date"],
            capacity=data["capacity"],
            occupied=data["occupied"],
            reserved=data.get("reserved", 0),
            source=ReportSource.API,
            user=request.user,
        )
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
            errors["region"] = [_("Onbekende veiligheidsregio.")]
        try:
            start = datetime.date.fromisoformat(
                request.query_params.get("start") or timezone.localdate().isoformat()
            )
        except ValueError:
            errors["start"] = [_("Geef de datum als JJJJ-MM-DD.")]
        try:
            months = int(request.query_params.get("months", 12))
            if not 1 <= months <= 36:
                raise ValueError
        except ValueError:
            errors["months"] = [_("Geef een aantal maanden van 1 tot en met 36.")]
        if errors:
            raise ApiValidationError(errors)
        if own is None or region_code != own.code:
            raise PermissionDenied(_("U heeft geen toegang tot de cijfers van deze regio."))
        rows = capacity_outlook(start=start, months=months, region_code=region_code)
        return Response(
            {
                "region": region_code,
                "start": start,
                "months": OutlookRowSerializer(rows, many=True).data,
            }
        )
