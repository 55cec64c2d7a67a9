"""Writes of the national figures; the page, the API and the admin all record through here."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from ..models import NationalFigure


@transaction.atomic
def national_figure_record(
    *,
    target_group: str,
    date: datetime.date,
    available_places: int | None = None,
    occupancy_rate: Decimal | None = None,
    source: str = "",
    user=None,
) -> NationalFigure:
    """Record the national figures of `target_group` on `date`; a second entry for the same
    date replaces the first (a corrected figure). `figure.created_now` tells which.

    :raises ValidationError: per field, with the model's Dutch messages.
    """
    figure = (
        NationalFigure.objects.select_for_update()
        .filter(target_group=target_group, date=date)
        .first()
    )
    created = figure is None
    if created:
        figure = NationalFigure(target_group=target_group, date=date)
    figure.available_places = available_places
    figure.occupancy_rate = occupancy_rate
    figure.source = (source or "").strip()
    if user is not None and user.is_authenticated:
        figure.entered_by = user
    figure.full_clean()
    figure.save()
    figure.created_now = created
    return figure
