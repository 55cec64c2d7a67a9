"""`GET /api/v1/overview?region=VR05&date=YYYY-MM-DD`: tasks and status per target group, for
the region and each of its municipalities, as of a date (DESIGN.md). The same figures as the
dashboard (`twente.overview`); pollers ask cheaply with `If-None-Match`.
"""

import hashlib

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from allocation.provincial import provincial_standings
from capacity.choices import LocationType, TargetGroup
from municipalities.models import Province, SafetyRegion
from municipalities.roles import (
    COUNTRY_REFUSED,
    PROVINCE_REFUSED,
    REGION_REFUSED,
    home_region_of,
    may_read_country,
    may_read_province,
    may_read_region,
)
from municipalities.spreadsheets import FORMATS, spreadsheet_response

from .dashboard.exports import area_dataset, overview_dataset
from .overview import area_overview, overview_as_of

DEFINITIONS = """Figures as of `date` (default today; a later date gives today's figures,
and `date` in the answer is the date they are as of): each location's latest capacity report
on or before that date counts, for locations not past their contract end, read from the
aggregates the worker precomputes.

- `operational`: operational places (capacity) of those reports; `occupied`: occupied places.
- `occupancy_rate`: occupied / operational, rounded to 2 decimals; null when nothing is
  operational.
- `required`: the effective total (region) or effective share (municipality, after agreed
  exchanges) of the **active task** of the target group on the date. Active is the adopted
  assignment of that target group and region with the earliest deadline on or after the date;
  if there is none, an adopted assignment without a deadline; else the one with the latest
  deadline before the date. Null when the region has no adopted assignment for the group.
- `realised`: what counts toward the task. Shelter places (`realisation` `places`): the
  `operational` places of the location types the active task counts (`location_types`, e.g.
  `azc`, `coa_emergency`, `amv` for the regular asylum task, `cno`, `hotel` for a crisis
  task), all `operational` places without a task. Permit holders (`realisation` `housed`):
  the persons housed within the active task's period, from its `starts_on` through `date`
  (at most its deadline), the sum of the municipalities' permit-holder reports; null without
  an active task. For permit
  holders also `linked`, those linked but not yet housed by each municipality's latest
  report on or before `date` (the pipeline), and `carried_over`, the arrears taken over from
  the task the active one follows (negative: a lead), which are part of `required`.
- `gap` = `required` - `realised` (negative: a surplus); null without a task.

Any role may read its own region; a provincial reader may read every region of its
province; another region gives 403. The answer carries an `ETag`: send it back in
`If-None-Match` to get `304 Not Modified` while nothing changed. `format=csv` or `format=xlsx`
gives the same figures as one flat table (a row per region or municipality and target group;
the CSV is `;`-separated with decimal commas, for Excel with Dutch settings).
"""


class OverviewQuerySerializer(serializers.Serializer):
    region = serializers.CharField(
        required=False, help_text="Safety region by CBS code (VR05); default: your own region."
    )
    date = serializers.DateField(required=False, help_text="YYYY-MM-DD; default: today.")
    format = serializers.ChoiceField(
        choices=["json", *FORMATS], required=False, help_text="json (default), csv or xlsx."
    )

    def validate_region(self, value: str) -> SafetyRegion:
        region = SafetyRegion.objects.filter(code=value.strip().upper()).first()
        if region is None:
            raise serializers.ValidationError(
                _("Onbekende veiligheidsregio: %(value)s.") % {"value": value}
            )
        return region


class RateField(serializers.DecimalField):
    """The figure set's rate with the field's decimals, rounded from the exact fraction."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def get_attribute(self, instance):
        return instance.rate_rounded(self.decimal_places)


class FiguresSerializer(serializers.Serializer):
    target_group = serializers.ChoiceField(choices=TargetGroup.choices)
    required = serializers.IntegerField(allow_null=True)
    operational = serializers.IntegerField()
    occupied = serializers.IntegerField()
    occupancy_rate = RateField(
        max_digits=3, decimal_places=2, coerce_to_string=False, allow_null=True
    )
    realisation = serializers.ChoiceField(
        choices=["places", "housed"], help_text="What `realised` counts."
    )
    realised = serializers.IntegerField(
        allow_null=True,
        help_text="Operational places of the active task's `location_types` (all operational "
        "places without a task), or for permit holders persons housed.",
    )
    location_types = serializers.ListField(
        child=serializers.ChoiceField(choices=LocationType.choices),
        allow_null=True,
        help_text="The location types whose places count toward the active task (`realised`); "
        "null for permit holders and without a task.",
    )
    linked = serializers.IntegerField(
        allow_null=True, help_text="Permit holders: linked, not yet housed (the pipeline)."
    )
    carried_over = serializers.IntegerField(
        allow_null=True,
        help_text="Permit holders: arrears from the previous task (negative: lead), in required.",
    )
    gap = serializers.IntegerField(allow_null=True, help_text="`required` - `realised`.")


class MunicipalityOverviewSerializer(serializers.Serializer):
    municipality = serializers.CharField(source="code", help_text="CBS code, e.g. GM0141.")
    name = serializers.CharField()
    target_groups = FiguresSerializer(many=True)


class OverviewSerializer(serializers.Serializer):
    region = serializers.CharField(source="region.code")
    date = serializers.DateField()
    target_groups = FiguresSerializer(many=True)
    municipalities = MunicipalityOverviewSerializer(many=True)


EXAMPLE_FIGURES = {
    "target_group": "asylum",
    "required": 2164,
    "operational": 1137,
    "occupied": 1000,
    "occupancy_rate": 0.88,
    "realisation": "places",
    "realised": 794,
    "location_types": ["azc", "coa_emergency", "amv"],
    "linked": None,
    "carried_over": None,
    "gap": 1370,
}


class JSONOnlyNegotiation(DefaultContentNegotiation):
    """`?format=` chooses an export in this view, not one of DRF's renderers."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _etag_matches(header: str, etag: str) -> bool:
    candidates = {part.strip().removeprefix("W/") for part in header.split(",")}
    return "*" in candidates or etag in candidates


class OverviewView(APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnlyNegotiation

    @extend_schema(
        summary="Tasks and status per target group, for the region and each municipality",
        description=DEFINITIONS,
        parameters=[
            OverviewQuerySerializer,
            OpenApiParameter(
                "If-None-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="The ETag of an earlier answer: 304 while the figures are the same.",
            ),
            OpenApiParameter(
                "ETag",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                response=[200, 304],
                description="A fingerprint of the JSON answer (not sent with csv or xlsx).",
            ),
        ],
        responses={
            (200, "application/json"): OpenApiResponse(
                OverviewSerializer,
                examples=[
                    OpenApiExample(
                        "Twente",
                        value={
                            "region": "VR05",
                            "date": "2024-01-01",
                            "target_groups": [EXAMPLE_FIGURES],
                            "municipalities": [
                                {
                                    "municipality": "GM0141",
                                    "name": "Almelo",
                                    "target_groups": [
                                        {
                                            "target_group": "asylum",
                                            "required": 250,
                                            "operational": 374,
                                            "occupied": 356,
                                            "occupancy_rate": 0.95,
                                            "realisation": "places",
                                            "realised": 394,
                                            "location_types": ["azc", "coa_emergency", "amv"],
                                            "linked": None,
                                            "carried_over": None,
                                            "gap": -144,
                                        }
                                    ],
                                }
                            ],
                        },
                    )
                ],
            ),
            (200, FORMATS["csv"].split(";")[0]): OpenApiTypes.STR,
            (200, FORMATS["xlsx"]): OpenApiTypes.BINARY,
            304: OpenApiResponse(description="Not modified: the ETag sent still holds."),
        },
    )
    def get(self, request):
        query = OverviewQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        region = query.validated_data.get("region") or home_region_of(request.user)
        if region is None or not may_read_region(request.user, region):
            raise PermissionDenied(REGION_REFUSED)
        today = timezone.localdate()
        on = min(query.validated_data.get("date") or today, today)
        overview = overview_as_of(region=region, on=on)

        fmt = query.validated_data.get("format") or "json"
        if fmt in FORMATS:
            return spreadsheet_response(
                overview_dataset(overview),
                fmt=fmt,
                filename=f"overview-{region.code}-{on.isoformat()}",
            )
        return _json_with_etag(request, OverviewSerializer(overview).data)


def _json_with_etag(request, data) -> Response:
    etag = etag_of(JSONRenderer().render(data))
    # Cache-Control is no-store on every API answer (twente.middleware.ApiMiddleware).
    headers = {"ETag": etag}
    if _etag_matches(request.headers.get("If-None-Match", ""), etag):
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(data, headers=headers)


# Above the region -------------------------------------------------------------------------

AREA_DEFINITIONS = """The sums of the safety regions, with the same definitions as
`/api/v1/overview`: per target group, `required` is the sum of the regions' active tasks
(null only when no region has one), `operational` and `occupied` the sums of the regions'
figures, `realised`, `linked` and `carried_over` the sums of the regions' (each permit-holder
task over its own period), `gap` = `required` - `realised`. Per region the totals only:
municipality and location detail stays with `/api/v1/overview?region=`.
"""


class AreaQuerySerializer(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="YYYY-MM-DD; default: today.")
    format = serializers.ChoiceField(
        choices=["json", *FORMATS], required=False, help_text="json (default), csv or xlsx."
    )


class ProvinceQuerySerializer(AreaQuerySerializer):
    province = serializers.CharField(
        required=False, help_text="Province by CBS code (PV23); default: your own province."
    )

    def validate_province(self, value: str) -> Province:
        province = Province.objects.filter(code=value.strip().upper()).first()
        if province is None:
            raise serializers.ValidationError(
                _("Onbekende provincie: %(value)s.") % {"value": value}
            )
        return province


class RegionTotalsSerializer(serializers.Serializer):
    region = serializers.CharField(source="code", help_text="CBS code, e.g. VR05.")
    name = serializers.CharField()
    province = serializers.CharField(source="province_code", help_text="CBS code, e.g. PV23.")
    municipalities = serializers.IntegerField(source="municipality_count")
    population = serializers.IntegerField(allow_null=True)
    target_groups = FiguresSerializer(many=True)


class ProvinceTotalsSerializer(serializers.Serializer):
    province = serializers.CharField(source="code", help_text="CBS code, e.g. PV23.")
    name = serializers.CharField()
    target_groups = FiguresSerializer(many=True)


class RegionalPartSerializer(serializers.Serializer):
    region = serializers.CharField(source="region_code", help_text="CBS code, e.g. VR05.")
    name = serializers.CharField(source="region_name")
    computed = serializers.IntegerField(help_text="The engine's split of the total.")
    agreed = serializers.IntegerField(
        allow_null=True, help_text="The part the table set where it differs; null: none."
    )
    total = serializers.IntegerField(source="part", help_text="agreed, else computed.")
    realised = serializers.IntegerField(
        help_text="Operational places in the region of the task's location types on the date."
    )
    gap = serializers.IntegerField(help_text="total − realised; negative: surplus.")
    assignment = serializers.CharField(
        source="assignment_code",
        allow_null=True,
        help_text="Code of the region's own task for its part; null while it has none.",
    )


class ProvincialTaskSerializer(serializers.Serializer):
    code = serializers.CharField(source="task.code")
    title = serializers.CharField(source="task.title")
    target_group = serializers.ChoiceField(source="task.target_group", choices=TargetGroup.choices)
    issuer = serializers.CharField(source="task.issuer", help_text="`province` or `rijk`.")
    total = serializers.IntegerField(source="task.total")
    location_types = serializers.ListField(
        source="task.location_types", child=serializers.CharField()
    )
    realise_by = serializers.DateField(source="task.realise_by", allow_null=True)
    available_from = serializers.DateField(source="task.available_from", allow_null=True)
    available_until = serializers.DateField(source="task.available_until", allow_null=True)
    parts_total = serializers.IntegerField(
        help_text="The regional parts added up; may differ from `total` (the documents' pair)."
    )
    realised = serializers.IntegerField(help_text="The regions' realisation added up.")
    gap = serializers.IntegerField(help_text="total − realised.")
    parts = RegionalPartSerializer(many=True)


class ProvinceOverviewSerializer(serializers.Serializer):
    province = serializers.CharField(source="province.code")
    name = serializers.CharField(source="province.name")
    date = serializers.DateField()
    target_groups = FiguresSerializer(many=True)
    regions = RegionTotalsSerializer(many=True)
    provincial_tasks = ProvincialTaskSerializer(
        many=True,
        required=False,
        help_text=(
            "The province's own tasks in force on the date (issued by the province or the "
            "Rijk), split over its safety regions: each region's part is its task."
        ),
    )


class NationalOverviewSerializer(serializers.Serializer):
    date = serializers.DateField()
    target_groups = FiguresSerializer(many=True)
    provinces = ProvinceTotalsSerializer(many=True)
    regions = RegionTotalsSerializer(many=True)


EXAMPLE_REGION = {
    "region": "VR05",
    "name": "Twente",
    "province": "PV23",
    "municipalities": 14,
    "population": 633917,
    "target_groups": [EXAMPLE_FIGURES],
}
EXAMPLE_PROVINCIAL_TASK = {
    "code": "asylum-overijssel-2023-04",
    "title": "Opvangplekken asielzoekers Overijssel per 1 april 2023",
    "target_group": "asylum",
    "issuer": "rijk",
    "total": 3593,
    "location_types": ["azc", "coa_emergency", "amv"],
    "realise_by": "2023-04-01",
    "available_from": None,
    "available_until": None,
    "parts_total": 3594,
    "realised": 644,
    "gap": 2949,
    "parts": [
        {
            "region": "VR04",
            "name": "IJsselland",
            "computed": 1650,
            "agreed": 1650,
            "total": 1650,
            "realised": 0,
            "gap": 1650,
            "assignment": None,
        },
        {
            "region": "VR05",
            "name": "Twente",
            "computed": 1943,
            "agreed": 1944,
            "total": 1944,
            "realised": 644,
            "gap": 1300,
            "assignment": "asylum-2023-04",
        },
    ],
}
ETAG_PARAMETERS = [
    OpenApiParameter(
        "If-None-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="The ETag of an earlier answer: 304 while the figures are the same.",
    ),
    OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="A fingerprint of the JSON answer (not sent with csv or xlsx).",
    ),
]


def _area_responses(serializer, example: dict) -> dict:
    return {
        (200, "application/json"): OpenApiResponse(
            serializer, examples=[OpenApiExample("Example", value=example)]
        ),
        (200, FORMATS["csv"].split(";")[0]): OpenApiTypes.STR,
        (200, FORMATS["xlsx"]): OpenApiTypes.BINARY,
        304: OpenApiResponse(description="Not modified: the ETag sent still holds."),
    }


class _AreaView(APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnlyNegotiation
    query_serializer = AreaQuerySerializer
    answer_serializer = NationalOverviewSerializer

    def province(self, request, query) -> Province | None:
        return None

    def filename(self, overview) -> str:
        return f"overview-NL-{overview.date.isoformat()}"

    def get(self, request):
        query = self.query_serializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        province = self.province(request, query.validated_data)
        today = timezone.localdate()
        on = min(query.validated_data.get("date") or today, today)
        overview = area_overview(province=province, on=on)
        fmt = query.validated_data.get("format") or "json"
        if fmt in FORMATS:
            return spreadsheet_response(
                area_dataset(overview), fmt=fmt, filename=self.filename(overview)
            )
        return _json_with_etag(request, self.answer(overview))

    def answer(self, overview) -> dict:
        return self.answer_serializer(overview).data


class ProvinceOverviewView(_AreaView):
    query_serializer = ProvinceQuerySerializer
    answer_serializer = ProvinceOverviewSerializer

    def province(self, request, query) -> Province:
        province = query.get("province")
        if province is None:
            own = home_region_of(request.user)
            province = own.province if own is not None else None
        if province is None or not may_read_province(request.user, province):
            raise PermissionDenied(PROVINCE_REFUSED)
        return province

    def filename(self, overview) -> str:
        return f"overview-{overview.province.code}-{overview.date.isoformat()}"

    def answer(self, overview) -> dict:
        data = dict(self.answer_serializer(overview).data)
        standings = provincial_standings(province_code=overview.province.code, on=overview.date)
        data["provincial_tasks"] = ProvincialTaskSerializer(standings, many=True).data
        return data

    @extend_schema(
        summary="Tasks and status per target group, for a province and each of its regions",
        description=AREA_DEFINITIONS
        + "\nProvincial readers and the coordinators of the province's regions; others 403.",
        parameters=[ProvinceQuerySerializer, *ETAG_PARAMETERS],
        responses=_area_responses(
            ProvinceOverviewSerializer,
            {
                "province": "PV23",
                "name": "Overijssel",
                "date": "2024-01-01",
                "target_groups": [EXAMPLE_FIGURES],
                "regions": [EXAMPLE_REGION],
                "provincial_tasks": [EXAMPLE_PROVINCIAL_TASK],
            },
        ),
    )
    def get(self, request):
        return super().get(request)


class NationalOverviewView(_AreaView):
    def province(self, request, query) -> None:
        if not may_read_country(request.user):
            raise PermissionDenied(COUNTRY_REFUSED)
        return None

    @extend_schema(
        summary="Tasks and status per target group, for the country, each province and region",
        description=AREA_DEFINITIONS + "\nCoordinators and provincial readers; others 403.",
        parameters=[AreaQuerySerializer, *ETAG_PARAMETERS],
        responses=_area_responses(
            NationalOverviewSerializer,
            {
                "date": "2024-01-01",
                "target_groups": [EXAMPLE_FIGURES],
                "provinces": [
                    {"province": "PV23", "name": "Overijssel", "target_groups": [EXAMPLE_FIGURES]}
                ],
                "regions": [EXAMPLE_REGION],
            },
        ),
    )
    def get(self, request):
        return super().get(request)
