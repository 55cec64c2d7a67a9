"""One FilterSet per listable model, shared by the pages and the API.

The body filter offers the codes of the bodies the user reads (`Body.objects.visible_to`);
pass `request` so it knows the user. A code outside them is refused (400)."""

from functools import partial

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from .models import ActionStatus, Advice, Entry, Meeting, MeetingStatus, PrivateAnnotation
from .selectors import body_codes

ALL = _("Alle")


class AllYesNoWidget(BooleanWidget):
    """`true`/`false` in the query string (as the API documents), "Alle" when not chosen."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", ALL), ("true", _("Ja")), ("false", _("Nee"))]


def _body_filter(field_name: str) -> django_filters.ChoiceFilter:
    # The choices are set per request (ReadBodies); the class-level callable offers none.
    return django_filters.ChoiceFilter(
        field_name=field_name,
        choices=partial(body_codes, None),
        label=_("Overlegorgaan"),
        empty_label=ALL,
    )


class ReadBodies:
    """Offer the codes of the bodies the requesting user reads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request is not None else None
        self.filters["body"].extra["choices"] = partial(body_codes, user)


class MeetingFilter(ReadBodies, django_filters.FilterSet):
    body = _body_filter("body__code")
    status = django_filters.ChoiceFilter(
        choices=MeetingStatus.choices, label=_("Status"), empty_label=ALL
    )
    date_after = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("Vanaf datum")
    )
    date_before = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("Tot en met datum")
    )

    class Meta:
        model = Meeting
        fields = ["body", "status", "date_after", "date_before"]


class ActionFilter(ReadBodies, django_filters.FilterSet):
    """Filters on actions (entries of kind A)."""

    body = _body_filter("item__meeting__body__code")
    # Bounded to the id column's range: a larger number is a 400 for the client, not an
    # overflow inside the database driver.
    meeting = django_filters.NumberFilter(
        field_name="item__meeting",
        label=_("Overleg (nummer)"),
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**63 - 1,
    )
    owner = django_filters.CharFilter(method="filter_owner", label=_("Eigenaar bevat"))
    status = django_filters.ChoiceFilter(
        choices=ActionStatus.choices, label=_("Status"), empty_label=ALL
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label=_("Over de deadline"), widget=AllYesNoWidget
    )

    class Meta:
        model = Entry
        fields = ["body", "meeting", "owner", "status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.overdue() if value else queryset.not_overdue()

    def filter_owner(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(owner__icontains=value)
            | Q(owner_municipality__name__icontains=value)
            | Q(owner_user__first_name__icontains=value)
            | Q(owner_user__last_name__icontains=value)
            | Q(owner_user__username__icontains=value)
        )


class AnnotationFilter(django_filters.FilterSet):
    """`?meeting=<id>&advice=agree`: the caller's own annotations of one meeting."""

    meeting = django_filters.NumberFilter(field_name="item__meeting", label=_("Overleg"))
    advice = django_filters.ChoiceFilter(choices=Advice.choices, label=_("Advies"))

    class Meta:
        model = PrivateAnnotation
        fields = ["meeting", "advice"]
