"""API `annotations/`: the caller's own private annotations (meetings.annotations). Lists and
lookups only ever hold the caller's municipality's (or, for a coordinator, organisation's);
another's annotation by id is 404, as if it did not exist. Secretaries and provincial readers
get 403: they have no annotations."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, viewsets

from .annotations import (
    NOT_AN_AUTHOR,
    annotation_create,
    annotation_update,
    annotations_of,
    items_annotatable_by,
    may_annotate,
)
from .filters import AnnotationFilter
from .models import Advice, PrivateAnnotation
from .services import MeetingError


class MayAnnotate(permissions.BasePermission):
    message = NOT_AN_AUTHOR

    def has_permission(self, request, view):
        return may_annotate(request.user)


class ReadableItemField(serializers.PrimaryKeyRelatedField):
    """An agenda item of a meeting the caller reads, by its id (the meeting detail's
    `agenda_items[].id`); any other id is refused as unknown."""

    def get_queryset(self):
        return items_annotatable_by(self.context["request"].user)


class AnnotationSerializer(serializers.ModelSerializer):
    agenda_item = ReadableItemField(source="item")
    meeting = serializers.IntegerField(source="item.meeting_id", read_only=True)
    advice = serializers.ChoiceField(choices=Advice.choices)
    text = serializers.CharField(allow_blank=True, required=False, default="")

    class Meta:
        model = PrivateAnnotation
        fields = ["id", "agenda_item", "meeting", "advice", "text", "updated_at"]
        read_only_fields = ["id", "updated_at"]

    def validate_agenda_item(self, item):
        if self.instance is not None and item.pk != self.instance.item_id:
            raise serializers.ValidationError(_("Een annotatie blijft bij haar agendapunt."))
        return item

    def create(self, validated_data):
        try:
            return annotation_create(
                user=self.context["request"].user,
                item=validated_data["item"],
                advice=validated_data["advice"],
                text=validated_data.get("text", ""),
            )
        except MeetingError as exc:
            raise serializers.ValidationError({"agenda_item": [str(exc)]}) from exc

    def update(self, instance, validated_data):
        try:
            return annotation_update(
                user=self.context["request"].user,
                annotation=instance,
                advice=validated_data.get("advice", instance.advice),
                text=validated_data.get("text", instance.text),
            )
        except MeetingError as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc


ACCESS = (
    "Private: only the caller's own municipality's annotations (a coordinator: their safety "
    "region's organisation), on meetings the caller reads. Another's annotation by id gives 404; "
    "secretaries and provincial readers get 403."
)


@extend_schema_view(
    list=extend_schema(
        summary="The caller's own annotations on agenda items",
        description="Filter with `meeting=<id>` and `advice=`. " + ACCESS,
    ),
    retrieve=extend_schema(summary="One own annotation", description=ACCESS),
    create=extend_schema(
        summary="Annotate an agenda item",
        description=(
            "`agenda_item` is the id the meeting detail's agenda items carry; one annotation "
            "per item per municipality (a second gives 400). " + ACCESS
        ),
    ),
    update=extend_schema(summary="Change an own annotation", description=ACCESS),
    partial_update=extend_schema(summary="Change an own annotation", description=ACCESS),
)
class AnnotationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AnnotationSerializer
    filterset_class = AnnotationFilter
    permission_classes = [*viewsets.GenericViewSet.permission_classes, MayAnnotate]

    def get_queryset(self):
        return annotations_of(self.request.user)
