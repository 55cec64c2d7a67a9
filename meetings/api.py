"""Read-only API: meetings with their agenda items and entries, and the action register."""

from django.urls import reverse
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_field
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from .filters import ActionFilter, MeetingFilter
from .models import (
    ActionStatus,
    AgendaItem,
    Attachment,
    Entry,
    EntryKind,
    Meeting,
    MeetingStatus,
    MinutesCorrection,
)
from .permissions import action_for, meeting_for
from .selectors import actions_read_by, meeting_with_minutes, meetings_listed


class NamedChoiceField(serializers.ChoiceField):
    """A choice field documented as one named enum in the schema. Meetings and actions both
    have a `status` (with other values), and each is used by two components (list and detail),
    which drf-spectacular cannot name on its own."""

    def __init__(self, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(**kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField

    def map_serializer_field(self, auto_schema, direction):
        name = self.target.enum_name
        component = ResolvedComponent(
            name=name,
            type=ResolvedComponent.SCHEMA,
            object=name,
            schema=build_choice_field(self.target),
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


ACTION_FIELDS = ("owner", "owner_municipality", "due_date", "status", "overdue", "done_on")


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^[0-2][0-9]:[0-5][0-9]:[0-5][0-9]$",
        "nullable": True,
        "example": "15:30:00",
    }
)
class ClockTimeField(serializers.TimeField):
    """A meeting's local clock time, "HH:MM:SS". Documented as a pattern because OpenAPI's
    `time` format (RFC 3339) demands a UTC offset, which local meeting times do not have."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)


class EntrySerializer(serializers.ModelSerializer):
    """A decision (B), bottleneck (K) or action (A); the action fields only appear for A."""

    owner = serializers.CharField(
        source="owner_display", read_only=True, help_text="Owner as named in the minutes."
    )
    owner_municipality = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="CBS code of the owning municipality.",
    )
    status = NamedChoiceField(
        enum_name="ActionStatusEnum", choices=ActionStatus.choices, read_only=True
    )
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    assignment = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="Decisions only: code of the assignment (task) the decision created or changed.",
    )

    class Meta:
        model = Entry
        fields = ["kind", "text", "explanation", "assignment", *ACTION_FIELDS]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.kind != EntryKind.ACTION:
            for name in ACTION_FIELDS:
                data.pop(name, None)
        if instance.kind != EntryKind.DECISION:
            data.pop("assignment", None)
        return data


class AttachmentSerializer(serializers.ModelSerializer):
    """A document of the meeting pack: `number` as the table writes it ("Bijlage II"; empty
    when unnumbered), `title`, and `url`: the download of its latest file (the meeting's read
    rule applies there too), else its external link, else null."""

    number = serializers.CharField(source="number_display", read_only=True)
    title = serializers.CharField(source="label", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["number", "title", "url"]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_url(self, obj):
        if obj.versions.all():
            path = reverse("meetings:attachment", args=[obj.pk])
            request = self.context.get("request")
            return request.build_absolute_uri(path) if request else path
        return obj.url or None


class AgendaItemSerializer(serializers.ModelSerializer):
    entries = EntrySerializer(many=True, read_only=True)
    municipalities = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    locations = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "number",
            "heading",
            "title",
            "municipalities",
            "locations",
            "attachments",
            "entries",
        ]


class MeetingSerializer(serializers.ModelSerializer):
    body = serializers.CharField(source="body.code", read_only=True)
    body_name = serializers.CharField(source="body.name", read_only=True)
    status = NamedChoiceField(
        enum_name="MeetingStatusEnum", choices=MeetingStatus.choices, read_only=True
    )
    minutes_approved_at = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    start_time = ClockTimeField()
    end_time = ClockTimeField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "body",
            "body_name",
            "date",
            "start_time",
            "end_time",
            "venue",
            "chair",
            "status",
            "minutes_approved_at",
            "next_meeting_on",
        ]


class CorrectionSerializer(serializers.ModelSerializer):
    """A correction of adopted minutes, recorded at a later meeting (`recorded_at`, its id)."""

    recorded_at = serializers.PrimaryKeyRelatedField(read_only=True)
    item = serializers.CharField(
        source="item.number",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="Number of the agenda item corrected, if any.",
    )

    class Meta:
        model = MinutesCorrection
        fields = ["recorded_at", "item", "text"]


class MeetingDetailSerializer(MeetingSerializer):
    attachments = AttachmentSerializer(many=True, read_only=True)
    agenda_items = AgendaItemSerializer(many=True, read_only=True)
    corrections = CorrectionSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "attachments", "agenda_items", "corrections"]


MINUTES_ACCESS = (
    "Coordinators, project leaders and secretaries read the bodies of their own safety region "
    "(TRA, BAO) and of its province (the PRT); provincial readers read the bodies of their own "
    "province (the PRT) only, never a region's. Lists leave the other meetings and actions out; "
    "asking for one of them by id gives 403, for an unknown id 404. The same rule as the "
    "meeting and action pages and their exports."
)


@extend_schema_view(
    list=extend_schema(
        summary="Meetings of the TRA, BAO, PRT and other bodies",
        description=(
            "Newest first (ties by body code, then id). Filter with `body=TRA`, "
            "`status=held`, `date_after=` and `date_before=` (YYYY-MM-DD, inclusive). "
            + MINUTES_ACCESS
        ),
    ),
    retrieve=extend_schema(
        summary="One meeting with its agenda items and their entries",
        description=(
            "`agenda_items` in order, each with its `number`, `title` and `entries` (`kind` B, "
            "K or A; actions add `owner`, `due_date` and `status`). " + MINUTES_ACCESS
        ),
    ),
)
class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_class = MeetingFilter
    ordering_fields = ["date"]
    # Ends with the id so that pages never overlap or skip a row.
    ordering = ["-date", "body__code", "id"]

    def get_queryset(self):
        return meetings_listed(user=self.request.user)

    def get_object(self):
        # Look beyond the caller's reach so that a meeting out of it gives 403.
        meeting = meeting_for(
            self.request.user, self.kwargs["pk"], meeting_with_minutes(self.request.user)
        )
        self.check_object_permissions(self.request, meeting)
        return meeting

    def get_serializer_class(self):
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer


class ActionSerializer(EntrySerializer):
    id = serializers.IntegerField(read_only=True)
    meeting = serializers.IntegerField(source="item.meeting_id", read_only=True)
    body = serializers.CharField(source="item.meeting.body.code", read_only=True)
    meeting_date = serializers.DateField(source="item.meeting.date", read_only=True)
    item = serializers.CharField(
        source="item.number", read_only=True, help_text="Number of the agenda item."
    )
    closed_at_meeting = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    carried_from = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="The same action at an earlier meeting, if carried over.",
    )

    class Meta(EntrySerializer.Meta):
        fields = [
            "id",
            "meeting",
            "body",
            "meeting_date",
            "item",
            "kind",
            "text",
            "explanation",
            *ACTION_FIELDS,
            "closed_at_meeting",
            "carried_from",
        ]


@extend_schema_view(
    list=extend_schema(
        summary="Actions (entries of kind A) across meetings",
        description=(
            "Each action once: an action carried over to a later meeting is listed at that "
            "meeting, with `carried_from` pointing at the earlier one. Filter with "
            "`?status=open&overdue=true`, `body=TRA`, `meeting=<id>`, `owner=<text>`. "
            "Soonest due date first (no due date last), then newest meeting, agenda order, id. "
            + MINUTES_ACCESS
        ),
    ),
    retrieve=extend_schema(summary="One action", description=MINUTES_ACCESS),
)
class ActionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ActionSerializer
    filterset_class = ActionFilter
    ordering_fields = ["due_date", "item__meeting__date"]

    def get_queryset(self):
        return actions_read_by(user=self.request.user)

    def get_object(self):
        # Earlier copies of a carried action stay reachable through `carried_from`; an action
        # out of the caller's reach gives 403.
        action = action_for(
            self.request.user, self.kwargs["pk"], Entry.objects.actions().with_context()
        )
        self.check_object_permissions(self.request, action)
        return action
