"""REST API `permit-holder-reports/`: the permit holders a municipality housed and has linked.

Permissions as for capacity reports: reading follows `permissions.visible_reports`
(coordinators, secretaries and provincial readers: their region; project leaders: their
municipality); writing needs the coordinator or project-leader role and, per municipality,
`capacity.permissions.check_can_edit` (403 otherwise). PUT and PATCH carry the `version`
last read (409 when someone else changed the report since).
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from municipalities.api import OwnChoicesSlugField
from municipalities.models import Municipality

from ..api import MAX_PLACES, WritersOnly, _require_version, _version_field
from ..choices import ReportSource
from ..models import PermitHolderReport
from ..permissions import check_can_edit, editable_municipalities
from .filters import PermitHolderReportFilter
from .permissions import can_view_municipality, visible_reports
from .services import FIGURES, permit_holder_report_submit, permit_holder_report_update


def _reportable_municipalities(user):
    return editable_municipalities(user).order_by("code")


def _count(help_text: str, **kwargs) -> serializers.IntegerField:
    # Negative numbers are the model's to refuse (with its Dutch message); an absurdly large
    # one is refused here, before it could overflow the database column.
    return serializers.IntegerField(max_value=MAX_PLACES, help_text=help_text, **kwargs)


HOUSED_HELP = "Permit holders housed since the municipality's previous report."
AMV_HELP = "Of `housed`: unaccompanied minors (AMV); default 0."
LINKED_HELP = "Permit holders linked to the municipality on `date`, not yet housed (pipeline)."


class PermitHolderReportSerializer(serializers.ModelSerializer):
    # Every municipality validates (another one gives 403 in the view); a form offers only
    # the caller's own.
    municipality = OwnChoicesSlugField(
        slug_field="code",
        queryset=Municipality.objects.all(),
        offer=_reportable_municipalities,
        help_text="CBS code, e.g. GM0153.",
    )
    housed = _count(HOUSED_HELP)
    housed_amv = _count(AMV_HELP, required=False, default=0)
    linked = _count(LINKED_HELP)
    reported_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = PermitHolderReport
        fields = [
            "id",
            "municipality",
            "date",
            "housed",
            "housed_amv",
            "linked",
            "source",
            "reported_by",
            "version",
            "created",
            "updated",
        ]
        read_only_fields = ["source", "version", "created", "updated"]
        # One report per municipality per date is not a validation error here: a second
        # report of the day replaces the first (the service upserts).
        validators = []


class PermitHolderReportUpdateSerializer(serializers.Serializer):
    """PUT and PATCH: new figures and the `version` the caller last read. The municipality
    and date of a report are fixed; when sent, they must be the report's own."""

    municipality = serializers.CharField(required=False, help_text="The report's own.")
    date = serializers.DateField(required=False, help_text="The report's own date.")
    housed = _count(HOUSED_HELP)
    housed_amv = _count(AMV_HELP, required=False, default=0)
    linked = _count(LINKED_HELP)
    version = _version_field()

    def validate(self, attrs: dict) -> dict:
        _require_version(attrs)
        report = self.instance
        errors = {}
        if "municipality" in attrs and attrs["municipality"] != report.municipality.code:
            errors["municipality"] = [_("De gemeente van een melding kan niet wijzigen.")]
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


UPDATES = (
    "Change the figures of an existing report; its municipality and date stay. PUT sets "
    "housed, linked and housed_amv (0 when left out, as in POST); PATCH changes the figures "
    "sent. Send the `version` from your last GET: when someone else changed the report since, "
    "the answer is 409 and nothing is saved; without `version` 400. Negative numbers or "
    "housed_amv above housed give 400; a project leader changing another municipality's "
    "report gets 403, and so do secretaries and provincial readers."
)


@extend_schema_view(
    list=extend_schema(
        summary="Permit-holder housing reports (persons housed and linked per municipality)",
        description=(
            "Reports of the municipalities the caller may see (coordinators, secretaries and "
            "provincial readers: their region; project leaders: their municipality), newest "
            "date first, then CBS code. `housed` counts the permit holders housed since the "
            "municipality's previous report, so the persons housed in a period are the sum "
            "of `housed` of the reports dated in it (the `realised` of a permit-holder "
            "task); `linked` is the pipeline on `date`. Filter with `municipality=GM0153`, "
            "`date_after=` and `date_before=` (YYYY-MM-DD, inclusive), `source`."
        ),
    ),
    retrieve=extend_schema(
        summary="One permit-holder housing report",
        description="A report outside the caller's reach gives 403; an unknown id 404.",
    ),
    update=extend_schema(
        summary="Change the figures of a permit-holder housing report",
        description=UPDATES,
        request=PermitHolderReportUpdateSerializer,
        responses={200: PermitHolderReportSerializer},
    ),
    partial_update=extend_schema(
        summary="Change some figures of a permit-holder housing report",
        description=UPDATES,
        request=PermitHolderReportUpdateSerializer,
        responses={200: PermitHolderReportSerializer},
        examples=[
            OpenApiExample(
                "Corrected pipeline, with the version last read",
                request_only=True,
                value={"linked": 14, "version": 2},
            ),
        ],
    ),
    create=extend_schema(
        summary="Report the permit holders a municipality housed and has linked on a date",
        description=(
            "201 when a new report was made, 200 when it replaced that day's report. "
            "Negative numbers, housed_amv above housed or a future date give 400; a project "
            "leader reporting for another municipality gets 403, and so do secretaries and "
            "provincial readers."
        ),
        responses={201: PermitHolderReportSerializer, 200: PermitHolderReportSerializer},
        examples=[
            OpenApiExample(
                "Enschede housed 25 permit holders (3 AMV) since its last report",
                request_only=True,
                value={
                    "municipality": "GM0153",
                    "date": "2023-03-31",
                    "housed": 25,
                    "housed_amv": 3,
                    "linked": 12,
                },
            ),
        ],
    ),
)
class PermitHolderReportViewSet(viewsets.ModelViewSet):
    serializer_class = PermitHolderReportSerializer
    filterset_class = PermitHolderReportFilter
    permission_classes = viewsets.ModelViewSet.permission_classes + [WritersOnly]
    ordering_fields = ["date", "municipality__code"]
    ordering = ["-date", "municipality__code"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    lookup_value_regex = r"[0-9]+"

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return PermitHolderReportUpdateSerializer
        return PermitHolderReportSerializer

    def get_queryset(self):
        return visible_reports(self.request.user).select_related("municipality", "reported_by")

    def _check_edit(self, municipality: Municipality) -> None:
        check_can_edit(self.request.user, municipality)

    def get_object(self):
        # Looked up beyond the caller's reach, so that another municipality's report is 403.
        report = get_object_or_404(
            PermitHolderReport.objects.select_related("municipality", "reported_by"),
            pk=self.kwargs["pk"],
        )
        if not can_view_municipality(self.request.user, report.municipality):
            raise PermissionDenied(_("U mag deze melding niet inzien."))
        if self.request.method not in SAFE_METHODS:
            self._check_edit(report.municipality)
        return report

    def create(self, request, *args, **kwargs):
        # Permission before validation: reporting for another municipality is 403 whatever
        # the numbers.
        code = request.data.get("municipality") if hasattr(request.data, "get") else None
        municipality = Municipality.objects.filter(code=code).first() if code else None
        if municipality is not None:
            self._check_edit(municipality)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = permit_holder_report_submit(
            municipality=data["municipality"],
            date=data["date"],
            housed=data["housed"],
            housed_amv=data.get("housed_amv", 0),
            linked=data["linked"],
            source=ReportSource.API,
            user=request.user,
        )
        return Response(
            self.get_serializer(report).data,
            status=status.HTTP_201_CREATED if report.created_now else status.HTTP_200_OK,
        )

    def update(self, request, *args, **kwargs):
        report = self.get_object()
        serializer = self.get_serializer(
            report, data=request.data, partial=kwargs.pop("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        report = permit_holder_report_update(
            report=report,
            expected_version=version,
            user=request.user,
            source=ReportSource.API,
            **{name: data[name] for name in FIGURES if name in data},
        )
        body = PermitHolderReportSerializer(report, context=self.get_serializer_context()).data
        return Response(body)
