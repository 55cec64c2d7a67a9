import datetime

from django.conf import settings
from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum

from .models import KeyFigure, Municipality, MunicipalityQuerySet, SafetyRegion


def municipalities_for_region(
    region_code: str | None = None, *, on: datetime.date | None = None
) -> MunicipalityQuerySet:
    """The municipalities of a region with their key figures valid on `on`, in one query."""
    return (
        Municipality.objects.in_region(region_code or settings.HOME_REGION)
        .select_related("safety_region")
        .with_key_figures(on)
        .order_by("name")
    )


def regions_with_totals(
    *, on: datetime.date | None = None, province_code: str | None = None
) -> QuerySet[SafetyRegion]:
    """Every safety region (or those of one province), ordered by code, with its province and
    `municipality_count` and `population` (the sum of its municipalities' populations valid on
    `on`), in one query."""
    figures = KeyFigure.objects.filter(municipality=OuterRef("pk"), population__isnull=False)
    if on is not None:
        figures = figures.filter(date__lte=on)
    population = (
        Municipality.objects.filter(safety_region=OuterRef("pk"))
        .annotate(latest=Subquery(figures.order_by("-date").values("population")[:1]))
        .order_by()
        .values("safety_region")
        .annotate(total=Sum("latest"))
        .values("total")
    )
    regions = SafetyRegion.objects.select_related("province").annotate(
        municipality_count=Count("municipalities"),
        population=Subquery(population),
    )
    if province_code is not None:
        regions = regions.filter(province__code=province_code)
    return regions.order_by("code")
