"""Read-only API of the portfolios: per portfolio its holders, spearheads, decisions and open
actions (meetings.portfolios)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from .api import NamedChoiceField
from .models import Entry, Portfolio, PortfolioTheme, Spearhead, SpearheadStatus
from .portfolios import portfolio_for, portfolios_read_by, with_outcome


class SpearheadSerializer(serializers.ModelSerializer):
    status = NamedChoiceField(
        enum_name="SpearheadStatusEnum", choices=SpearheadStatus.choices, read_only=True
    )

    class Meta:
        model = Spearhead
        fields = ["goal", "target_date", "status"]


class PortfolioDecisionSerializer(serializers.ModelSerializer):
    """A decision (B) of the portfolio, at its meeting (`meeting`, its id) and agenda item."""

    meeting = serializers.IntegerField(source="item.meeting_id", read_only=True)
    item = serializers.CharField(
        source="item.number", read_only=True, help_text="Number of the agenda item."
    )

    class Meta:
        model = Entry
        fields = ["id", "meeting", "item", "text"]


class PortfolioActionSerializer(PortfolioDecisionSerializer):
    """An open action (A) of the portfolio, with its owner and due date."""

    owner = serializers.CharField(
        source="owner_display", read_only=True, help_text="Owner as named in the minutes."
    )
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta(PortfolioDecisionSerializer.Meta):
        fields = [*PortfolioDecisionSerializer.Meta.fields, "owner", "due_date", "overdue"]


class PortfolioSerializer(serializers.ModelSerializer):
    body = serializers.CharField(source="body.code", read_only=True)
    theme = NamedChoiceField(
        enum_name="PortfolioThemeEnum", choices=PortfolioTheme.choices, read_only=True
    )
    title = serializers.CharField(
        source="display_title",
        read_only=True,
        help_text="The portfolio's own title, else the name of its theme.",
    )
    holders = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text="CBS codes of the one or two municipalities that hold the portfolio.",
    )
    spearheads = SpearheadSerializer(many=True, read_only=True)
    decisions = PortfolioDecisionSerializer(many=True, read_only=True)
    open_actions = PortfolioActionSerializer(many=True, read_only=True)

    class Meta:
        model = Portfolio
        fields = [
            "id",
            "body",
            "theme",
            "title",
            "holders",
            "spearheads",
            "decisions",
            "open_actions",
        ]


ACCESS = (
    "The portfolios of the bodies whose minutes the caller reads: coordinators, project "
    "leaders and secretaries those of their own safety region and of its province; provincial "
    "readers those of their province's bodies only. A portfolio out of reach is not listed, "
    "and asking for it by id gives 404, as for an unknown id. A decision or action belongs to "
    "a portfolio when it names it, or when its agenda item does; `open_actions` lists each "
    "open action once, at the latest meeting it was carried to."
)


@extend_schema_view(
    list=extend_schema(
        summary="Portfolios of the tables, with their decisions and open actions",
        description="Ordered by body code, theme and title, then id. " + ACCESS,
    ),
    retrieve=extend_schema(summary="One portfolio", description=ACCESS),
)
class PortfolioViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PortfolioSerializer
    ordering_fields = ["theme"]
    ordering = ["body__code", "theme", "title", "id"]

    def get_queryset(self):
        return portfolios_read_by(user=self.request.user)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return with_outcome(page) if page is not None else None

    def get_object(self):
        portfolio = portfolio_for(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, portfolio)
        return portfolio
