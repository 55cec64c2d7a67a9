"""REST API: the distribution preview, assignments with their shares, and exchanges."""

from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from capacity.choices import LocationType, TargetGroup
from municipalities.api import OwnChoicesSlugField
from municipalities.models import Municipality, Role, SafetyRegion
from municipalities.roles import has_role, region_of

from .choices import Issuer, Key, Method, ShareStatus
from .filters import AssignmentFilter, ExchangeFilter
from .models import MAX_TOTAL, Assignment, Exchange
from .selectors import assignments_with_shares, exchanges_for_region
from .services import (
    Options,
    assignment_adopt,
    assignment_create,
    assignment_preview,
    assignment_update,
    display_decimal,
    exchange_create,
    exchange_withdraw,
    shares_agree,
    shares_set_status,
)


def _number(value: Fraction | Decimal | int) -> int | float:
    """A JSON number: whole values as int, others rounded to 6 decimals."""
    value = Fraction(value)
    if value.denominator == 1:
        return value.numerator
    return float(display_decimal(value, 6))


def _quota(value: Fraction | Decimal) -> float:
    return float(display_decimal(Fraction(value), 2))


def _user_region_code(user) -> str:
    region = region_of(user)
    return region.code if region else settings.HOME_REGION


OTHER_REGION = _("Dit hoort bij een andere veiligheidsregio dan de uwe.")


def _check_own_region(user, region_code: str) -> None:
    """Reading another region's figures is refused (403); an unknown code is left to the
    validation (400)."""
    if (
        region_code != _user_region_code(user)
        and SafetyRegion.objects.filter(code=region_code).exists()
    ):
        raise PermissionDenied(OTHER_REGION)


def _in_region_or_refuse(view, model, **lookup):
    """The caller's region's object, else 403 when it exists in another region, else 404."""
    found = view.get_queryset().filter(**lookup).first()
    if found is None:
        if model.objects.filter(**lookup).exists():
            raise PermissionDenied(OTHER_REGION)
        raise Http404
    view.check_object_permissions(view.request, found)
    return found


class IsCoordinatorOrReadOnly(BasePermission):
    message = _("Alleen coördinatoren kunnen taakstellingen en uitruil wijzigen.")

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or has_role(request.user, Role.COORDINATOR)


class WeightField(serializers.DecimalField):
    """A non-negative weight: read as a JSON number or string, written as a plain number."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=30, decimal_places=10, min_value=0, **kwargs)

    def to_representation(self, value) -> int | float:
        return _number(Decimal(str(value)))


# --- preview -------------------------------------------------------------------------------------


def _places() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=MAX_TOTAL)


class PreviewRequestSerializer(serializers.Serializer):
    total = serializers.IntegerField(min_value=0, max_value=MAX_TOTAL)
    region = serializers.CharField(
        required=False, help_text="Safety region code (VR05); default: the caller's region."
    )
    key = serializers.ChoiceField(choices=Key.choices, default=Key.POPULATION)
    reference_date = serializers.DateField(
        required=False, allow_null=True, help_text="Key figures valid on this date; default latest."
    )
    method = serializers.ChoiceField(choices=Method.choices, default=Method.LARGEST_REMAINDER)
    minimum = serializers.IntegerField(min_value=0, max_value=MAX_TOTAL, default=0)
    maximum = serializers.IntegerField(
        min_value=0, max_value=MAX_TOTAL, required=False, allow_null=True
    )
    minimums = serializers.DictField(child=_places(), required=False, default=dict)
    maximums = serializers.DictField(child=_places(), required=False, default=dict)
    credits = serializers.DictField(child=_places(), required=False, default=dict)
    exclude = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    weights = serializers.DictField(
        child=WeightField(),
        required=False,
        default=dict,
        help_text="Custom weights by CBS code (key `custom`).",
    )
    area_weight = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        min_value=0,
        max_value=1,
        default=Decimal("0.5"),
        help_text="Key `population_area`: the part of the mix that land area gets.",
    )


class PreviewShareSerializer(serializers.Serializer):
    municipality = serializers.CharField(help_text="CBS code")
    name = serializers.CharField()
    weight = serializers.FloatField()
    quota = serializers.FloatField(help_text="Exact quota rounded to 2 decimals, for display.")
    share = serializers.IntegerField()


class PreviewResponseSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    method = serializers.CharField()
    shares = PreviewShareSerializer(many=True)


class AllocationPreviewView(APIView):
    """Run the allocation engine without saving; any role may try a distribution for its own
    region (it reads figures and writes nothing, so provincial readers may too)."""

    @extend_schema(
        summary="Preview a distribution (nothing is saved)",
        description=(
            "Runs the distribution engine on the region's key figures and answers the shares; "
            "nothing is saved, so every role may call it, for its own region only (another "
            "region gives 403). Shares always add up to `total`; impossible constraints (say "
            "minimums above the total) give 400 with a `detail` message and the case as "
            "`code` (say `minimums_above_total`), unknown codes 400 on the field."
        ),
        request=PreviewRequestSerializer,
        responses={200: PreviewResponseSerializer},
        examples=[
            OpenApiExample(
                "Asylum task 2023, floor of 50 for Enschede, credit for Almelo",
                request_only=True,
                value={
                    "total": 1944,
                    "region": "VR05",
                    "key": "population",
                    "reference_date": "2023-01-01",
                    "method": "largest_remainder",
                    "minimum": 0,
                    "minimums": {"GM0153": 50},
                    "maximums": {},
                    "credits": {"GM0141": 20},
                    "exclude": ["GM0147"],
                    "weights": {},
                },
            ),
            OpenApiExample(
                "Shares",
                response_only=True,
                value={
                    "total": 1944,
                    "method": "largest_remainder",
                    "shares": [
                        {
                            "municipality": "GM0141",
                            "name": "Almelo",
                            "weight": 73155,
                            "quota": 224.35,
                            "share": 224,
                        }
                    ],
                },
            ),
        ],
    )
    def post(self, request):
        serializer = PreviewRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        options = Options(
            key=data["key"],
            reference_date=data.get("reference_date"),
            method=data["method"],
            minimum=data["minimum"],
            maximum=data.get("maximum"),
            minimums=data["minimums"],
            maximums=data["maximums"],
            credits=data["credits"],
            exclude=tuple(data["exclude"]),
            weights=data["weights"],
            area_weight=data["area_weight"],
        )
        region_code = data.get("region") or _user_region_code(request.user)
        _check_own_region(request.user, region_code)
        preview = assignment_preview(total=data["total"], region_code=region_code, options=options)
        return Response(
            {
                "total": preview.total,
                "method": preview.method,
                "shares": [
                    {
                        "municipality": row.code,
                        "name": row.name,
                        "weight": _number(row.weight),
                        "quota": _quota(row.quota),
                        "share": row.share,
                    }
                    for row in preview.shares
                ],
            }
        )


# --- assignments ---------------------------------------------------------------------------------


class ShareSerializer(serializers.Serializer):
    municipality = serializers.CharField(source="municipality.code", help_text="CBS code")
    name = serializers.CharField(source="municipality.name")
    weight = serializers.SerializerMethodField()
    quota = serializers.SerializerMethodField()
    credit = serializers.IntegerField(help_text="Effort already delivered, included in share.")
    share = serializers.IntegerField(source="computed_share", help_text="Computed by the key.")
    agreed_share = serializers.IntegerField(allow_null=True)
    agreed_reason = serializers.CharField()
    status = serializers.ChoiceField(
        choices=ShareStatus.choices,
        help_text=(
            "How binding the share is: `indicative` (e.g. a split by population nobody agreed), "
            "`offered` (what the municipality offered) or `agreed`. Matching ranks by the gaps "
            "of agreed shares only; indicative and offered ones count only when no share of "
            "the task is agreed."
        ),
    )
    exchanged = serializers.IntegerField(
        source="balance", help_text="Places taken over minus given away (agreed exchanges)."
    )
    carried_over = serializers.IntegerField(
        help_text=(
            "Arrears taken over from the task this one `follows`: that task's effective share "
            "minus its realised, for this municipality; negative for a lead; 0 without one."
        )
    )
    effective_share = serializers.IntegerField(
        help_text="Agreed share (or computed) + exchanged + carried_over."
    )
    realised = serializers.IntegerField(
        help_text=(
            "Places tasks (`realisation` `places`): operational places of the target group and "
            "of the task's `location_types` on the realisation date (the deadline once passed, "
            "else today). Permit-holder tasks "
            "(`realisation` `housed`): persons housed from `starts_on` through the realisation "
            "date, the sum of the municipality's permit-holder reports."
        )
    )
    linked = serializers.IntegerField(
        allow_null=True,
        help_text=(
            "Permit-holder tasks: permit holders linked to the municipality but not yet housed "
            "(the pipeline), by its latest permit-holder report on or before the deadline; "
            "null for other tasks or without a report."
        ),
    )
    credited = serializers.IntegerField(
        help_text=(
            "Credited effort counted as realised on the realisation date (`credits`): "
            "delivered effort, planned effort until its due date, each only while its "
            "location (if any) holds the places."
        )
    )
    gap = serializers.IntegerField(
        help_text="effective_share − realised − credited; negative: surplus."
    )

    def get_weight(self, share) -> float:
        return _number(share.weight)

    def get_quota(self, share) -> float:
        return _quota(share.quota)


PERIOD_HELP = {
    "realise_by": "The date by which the places must be realised (`deadline` is its old name).",
    "available_from": (
        "Start of the period in which the places must be available every day; realisation is "
        "then the lowest count over the period (through today, at most its end). Null: none."
    ),
    "available_until": (
        "End of the availability period; after it (else after `realise_by`) the task has "
        "`ended` and `realised` is its final result."
    ),
}


class PartSerializer(serializers.ModelSerializer):
    """A part of a task for a sub-group (AMV inside asylum): a task of its own inside the
    parent's total, with its own shares and location types."""

    location_types = serializers.ListField(child=serializers.CharField(), read_only=True)
    status = serializers.CharField(read_only=True, help_text="As the parent's `status`.")
    effective_total = serializers.IntegerField(read_only=True)
    realised_total = serializers.IntegerField(read_only=True)
    gap = serializers.IntegerField(read_only=True)
    shares = ShareSerializer(many=True, read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "code",
            "title",
            "total",
            "location_types",
            "realise_by",
            "available_from",
            "available_until",
            "status",
            "effective_total",
            "realised_total",
            "gap",
            "shares",
        ]
        read_only_fields = fields
        extra_kwargs = {name: {"help_text": text} for name, text in PERIOD_HELP.items()}


class AssignmentSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=SafetyRegion.objects.all(), required=False
    )
    target_group = serializers.ChoiceField(choices=TargetGroup.choices)
    issuer = serializers.ChoiceField(choices=Issuer.choices)
    key = serializers.ChoiceField(choices=Key.choices, default=Key.POPULATION)
    method = serializers.ChoiceField(choices=Method.choices, default=Method.LARGEST_REMAINDER)
    minimums = serializers.DictField(child=_places(), required=False, default=dict)
    maximums = serializers.DictField(child=_places(), required=False, default=dict)
    credits = serializers.DictField(child=_places(), required=False, default=dict)
    exclude = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    weights = serializers.DictField(child=WeightField(), required=False, default=dict)
    location_types = serializers.ListField(
        child=serializers.ChoiceField(choices=LocationType.choices),
        required=False,
        default=list,
        help_text=(
            "The location types whose operational places count toward the task (`realised`), "
            "e.g. `azc`, `coa_emergency`, `amv` for the regular asylum task and `cno`, `hotel` "
            "for a crisis task; empty: every type of the target group. Empty for permit-holder "
            "tasks, which count persons housed."
        ),
    )
    # Every assignment validates (the model refuses another region's); a form offers only
    # the caller's region's.
    follows = OwnChoicesSlugField(
        slug_field="code",
        queryset=Assignment.objects.all(),
        offer=lambda user: _region_assignments(user),
        required=False,
        allow_null=True,
        help_text=(
            "Code of the previous task of the same target group and region (permit holders "
            "only): its arrears per municipality are carried over into this one. `starts_on` "
            "defaults to the day after its deadline."
        ),
    )
    parent = OwnChoicesSlugField(
        slug_field="code",
        queryset=Assignment.objects.all(),
        offer=lambda user: _region_assignments(user),
        required=False,
        allow_null=True,
        help_text=(
            "Code of the task this one is a part of (a sub-group such as AMV inside asylum): "
            "same target group and region, a total within the parent's. A part is never in "
            "force on its own; it shows under its parent's `parts`."
        ),
    )
    deadline = serializers.DateField(
        source="realise_by",
        required=False,
        allow_null=True,
        help_text="Deprecated: the old name of `realise_by`, kept for existing clients.",
    )
    parts = PartSerializer(many=True, read_only=True)
    ended = serializers.SerializerMethodField(
        help_text="True once the period (`available_until`, else `realise_by`) is over."
    )
    realisation = serializers.ChoiceField(
        choices=["places", "housed"],
        read_only=True,
        help_text="What `realised` counts: `places` (operational places) or `housed` (persons).",
    )
    carried_over_total = serializers.IntegerField(read_only=True)
    effective_total = serializers.IntegerField(read_only=True)
    realised_total = serializers.IntegerField(read_only=True)
    credited_total = serializers.IntegerField(read_only=True)
    gap = serializers.IntegerField(read_only=True)
    shares = ShareSerializer(many=True, read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "code",
            "title",
            "target_group",
            "issuer",
            "region",
            "total",
            "location_types",
            "starts_on",
            "deadline",
            "realise_by",
            "available_from",
            "available_until",
            "ended",
            "parent",
            "parts",
            "follows",
            "reference_date",
            "key",
            "method",
            "minimum",
            "maximum",
            "minimums",
            "maximums",
            "credits",
            "exclude",
            "weights",
            "area_weight",
            "status",
            "notes",
            "source",
            "computed_at",
            "realised_on",
            "compute_error",
            "realisation",
            "carried_over_total",
            "effective_total",
            "realised_total",
            "credited_total",
            "gap",
            "shares",
        ]
        read_only_fields = ["status", "computed_at", "realised_on", "compute_error"]
        # Uniqueness is the service's business (it runs full_clean); this keeps one message.
        extra_kwargs = {
            "code": {"validators": []},
            **{name: {"help_text": text} for name, text in PERIOD_HELP.items()},
        }

    def get_ended(self, assignment: Assignment) -> bool:
        return assignment.ended_on(timezone.localdate())


class AgreedShareSerializer(serializers.Serializer):
    municipality = serializers.CharField(help_text="CBS code")
    agreed_share = serializers.IntegerField(min_value=0, allow_null=True)
    agreed_reason = serializers.CharField(allow_blank=True, required=False, default="")


class AgreeSerializer(serializers.Serializer):
    shares = AgreedShareSerializer(many=True)


class ShareStatusRowSerializer(serializers.Serializer):
    municipality = serializers.CharField(help_text="CBS code")
    status = serializers.ChoiceField(choices=ShareStatus.choices)


class ShareStatusSerializer(serializers.Serializer):
    shares = ShareStatusRowSerializer(many=True)


WRITE_ACCESS = (
    "Coordinators of the assignment's region only; other roles get 403, and so does a "
    "coordinator of another region."
)


@extend_schema_view(
    list=extend_schema(
        summary="Assignments (tasks) of the caller's region, with shares",
        description=(
            "Every role reads its own region's assignments, each with its `shares` per "
            "municipality (CBS code order). Ordered by target group, latest deadline first, "
            "then code. Filter with `target_group`, `status`, `issuer`, `region`."
        ),
    ),
    retrieve=extend_schema(
        summary="One assignment by code, with its shares",
        description="Another region's assignment gives 403; an unknown code 404.",
    ),
    create=extend_schema(
        summary="Create a draft assignment and compute its shares", description=WRITE_ACCESS
    ),
    update=extend_schema(
        summary="Change an assignment; shares are recomputed", description=WRITE_ACCESS
    ),
    partial_update=extend_schema(
        summary="Change some fields; shares are recomputed", description=WRITE_ACCESS
    ),
)
class AssignmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    lookup_field = "code"
    ordering_fields = ["code", "realise_by", "total", "target_group"]
    ordering = ["target_group", "-realise_by", "code"]

    def get_permissions(self):
        return [*super().get_permissions(), IsCoordinatorOrReadOnly()]

    def get_queryset(self):
        region = region_of(self.request.user)
        if region is None:
            return Assignment.objects.none()
        return assignments_with_shares(region.code)

    def get_object(self):
        # Another region's assignment exists but is not the caller's: 403, as in capacity.
        return _in_region_or_refuse(self, Assignment, code=self.kwargs[self.lookup_field])

    def _fresh(self, assignment: Assignment) -> dict:
        return self.get_serializer(self.get_queryset().get(pk=assignment.pk)).data

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        own = region_of(request.user)
        region = data.pop("region", None) or own
        if own is None or region.pk != own.pk:
            raise PermissionDenied(_("U kunt alleen taakstellingen in uw eigen regio aanmaken."))
        assignment = assignment_create(region=region, user=request.user, **data)
        return Response(self._fresh(assignment), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        assignment = self.get_object()
        serializer = self.get_serializer(
            assignment, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "region" in data and data["region"].pk != assignment.region_id:
            raise PermissionDenied(_("Een taakstelling blijft in haar eigen regio."))
        data.pop("region", None)
        assignment_update(assignment=assignment, user=request.user, **data)
        return Response(self._fresh(assignment))

    @extend_schema(
        summary="Adopt (vaststellen) a draft assignment", description=WRITE_ACCESS, request=None
    )
    @action(detail=True, methods=["post"])
    def adopt(self, request, code=None):
        assignment = self.get_object()
        assignment_adopt(assignment=assignment, user=request.user)
        return Response(self._fresh(assignment))

    @extend_schema(
        summary="Set or clear agreed shares (the table must still add up to the total)",
        description=WRITE_ACCESS,
        request=AgreeSerializer,
    )
    @action(detail=True, methods=["post"])
    def agree(self, request, code=None):
        assignment = self.get_object()
        serializer = AgreeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreed = {
            row["municipality"]: (row["agreed_share"], row["agreed_reason"])
            for row in serializer.validated_data["shares"]
        }
        shares_agree(assignment=assignment, agreed=agreed, user=request.user)
        return Response(self._fresh(assignment))

    @extend_schema(
        summary="Set how binding shares are: indicative, offered or agreed",
        description=WRITE_ACCESS
        + " A share with an agreed number stays `agreed`; the rows are set all or nothing.",
        request=ShareStatusSerializer,
    )
    @action(detail=True, methods=["post"], url_path="share-status")
    def share_status(self, request, code=None):
        assignment = self.get_object()
        serializer = ShareStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        statuses = {
            row["municipality"]: row["status"] for row in serializer.validated_data["shares"]
        }
        # A refusal (a Django ValidationError) becomes problem details in twente/api_errors.py.
        shares_set_status(assignment=assignment, statuses=statuses, user=request.user)
        return Response(self._fresh(assignment))


# --- exchanges -----------------------------------------------------------------------------------


def _region_assignments(user):
    return Assignment.objects.filter(region=region_of(user)).order_by("code")


class ExchangeSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)
    from_municipality = serializers.SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all()
    )
    to_municipality = serializers.SlugRelatedField(
        slug_field="code", queryset=Municipality.objects.all()
    )
    # Every assignment validates (the view answers 403 for another region's); a form offers
    # only the caller's region's.
    from_assignment = OwnChoicesSlugField(
        slug_field="code", queryset=Assignment.objects.all(), offer=_region_assignments
    )
    to_assignment = OwnChoicesSlugField(
        slug_field="code",
        queryset=Assignment.objects.all(),
        offer=_region_assignments,
        required=False,
        help_text="Default: from_assignment (a transfer between municipalities).",
    )

    class Meta:
        model = Exchange
        fields = [
            "id",
            "region",
            "from_municipality",
            "from_assignment",
            "to_municipality",
            "to_assignment",
            "places",
            "ratio_from",
            "ratio_to",
            "to_places",
            "reason",
            "date",
            "status",
        ]
        read_only_fields = ["id", "status", "to_places"]
        extra_kwargs = {
            "places": {"help_text": "Places that leave the giving share."},
            "ratio_from": {
                "help_text": "Ratio of a swap between target groups, giving side (default 1)."
            },
            "ratio_to": {
                "help_text": "Ratio of a swap between target groups, receiving side (default 1)."
            },
            "to_places": {
                "help_text": "Places that arrive in the receiving share: places × ratio_to / "
                "ratio_from."
            },
        }


@extend_schema_view(
    list=extend_schema(
        summary="Exchanges (uitruil / saldering) of the caller's region",
        description=(
            "Newest first (then id). Filter with `assignment` (code, giving or receiving), "
            "`municipality` (CBS code, giving or receiving), `status`, `region`."
        ),
    ),
    retrieve=extend_schema(
        summary="One exchange",
        description="Another region's exchange gives 403; an unknown id 404.",
    ),
    create=extend_schema(summary="Record an agreed exchange", description=WRITE_ACCESS),
)
class ExchangeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ExchangeSerializer
    filterset_class = ExchangeFilter
    ordering_fields = ["date", "places"]
    ordering = ["-date", "-id"]

    def get_permissions(self):
        return [*super().get_permissions(), IsCoordinatorOrReadOnly()]

    def get_queryset(self):
        region = region_of(self.request.user)
        if region is None:
            return Exchange.objects.none()
        return exchanges_for_region(region.code)

    def get_object(self):
        key = self.kwargs[self.lookup_field]
        if not key.isdigit():
            raise Http404
        return _in_region_or_refuse(self, Exchange, pk=int(key))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        own = region_of(request.user)
        if own is None or data["from_assignment"].region_id != own.pk:
            raise PermissionDenied(_("U kunt alleen uitruil in uw eigen regio vastleggen."))
        exchange = exchange_create(user=request.user, **data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=exchange.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(summary="Withdraw an agreed exchange", description=WRITE_ACCESS, request=None)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        exchange = self.get_object()
        exchange_withdraw(exchange=exchange, user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=exchange.pk)).data)
