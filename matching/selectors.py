"""Reads for the matching pages, the API and the dashboard; a fixed number of queries each."""

import datetime

from django.db.models import Count, F, Sum
from django.utils import timezone

from capacity.choices import TargetGroup
from capacity.selectors import occupancy_by_target_group

from .choices import Category, PlacementStatus
from .models import Placement, PlacementQuerySet


def placements_listed(queryset: PlacementQuerySet) -> PlacementQuerySet:
    """Placements with everything a list shows, in one query."""
    return queryset.select_related(
        "location__municipality", "placed_by", "ended_by", "request"
    ).order_by("-placed_at", "-pk")


def placement_counts(queryset: PlacementQuerySet) -> list[dict]:
    """People currently placed per municipality, target group and category (one grouped
    query), e.g. the derdelanders per municipality the regional table reports.

    Rows: municipality_code, municipality_name, target_group, target_group_label, category,
    category_label, placements, people.
    """
    groups = dict(TargetGroup.choices)
    categories = dict(Category.choices)
    rows = (
        queryset.filter(status=PlacementStatus.PLACED)
        .values(
            "target_group",
            "category",
            municipality_code=F("location__municipality__code"),
            municipality_name=F("location__municipality__name"),
        )
        .annotate(placements=Count("pk"), people=Sum("people"))
        .order_by("municipality_name", "target_group", "category")
    )
    return [
        {
            **row,
            "target_group_label": groups.get(row["target_group"], row["target_group"]),
            "category_label": categories.get(row["category"], row["category"]),
        }
        for row in rows
    ]


def placements_since(*, region_code: str, since: datetime.date) -> list[dict]:
    """Placements made since `since` per target group and category, cancelled ones left out
    (one query): [{"target_group", "target_group_label", "category", "category_label",
    "placements", "people"}]."""
    labels = dict(Category.choices)
    groups = dict(TargetGroup.choices)
    return [
        {
            **row,
            "target_group_label": groups.get(row["target_group"], row["target_group"]),
            "category_label": labels.get(row["category"], row["category"]),
        }
        for row in Placement.objects.in_region(region_code)
        .filter(placed_at__date__gte=since)
        .exclude(status=PlacementStatus.CANCELLED)
        .values("target_group", "category")
        .annotate(placements=Count("pk"), people=Sum("people"))
        .order_by("target_group", "category")
    ]


def placements_summary(
    *, region_code: str, since: datetime.date, on: datetime.date | None = None
) -> dict:
    """For the dashboard: free places per target group as of `on` (from capacity's
    precomputed occupancy) and the placements made since `since` per target group and
    category (cancelled ones left out). Three queries.

    {"on": date, "since": date,
     "free": [{"target_group", "label", "free", "capacity", "occupied"}, ...],
     "placements": [{"target_group", "category", "category_label", "placements", "people"}],
     "people_placed": int}
    """
    on = on or timezone.localdate()
    free = [
        {
            "target_group": row.target_group,
            "label": row.label,
            "free": row.free,
            "capacity": row.operational,  # the API's field name
            "occupied": row.occupied,
        }
        for row in occupancy_by_target_group(on=on, region_code=region_code)
    ]
    placements = placements_since(region_code=region_code, since=since)
    return {
        "on": on,
        "since": since,
        "free": free,
        "placements": placements,
        "people_placed": sum(row["people"] for row in placements),
    }
