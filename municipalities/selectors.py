import datetime

from django.conf import settings

from .models import Municipality, MunicipalityQuerySet


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
