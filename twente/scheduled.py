"""The nightly jobs: what must happen because a day has passed, not because someone saved.

Celery beat runs them shortly after midnight Europe/Amsterdam (`tasks.run_scheduled`, a
django-celery-beat PeriodicTask the application manager can pause in the admin);
`manage.py run_scheduled [--date D]` runs the same function in-process, without Redis. For a
date D, in this order:

1. the occupancy snapshots of every municipality with locations (or old snapshots) are
   rebuilt from the first day no earlier run covered (see below), then the realisation of every
   assignment not yet closed, and of the closed ones whose deadline lies in that range, is
   recomputed as of D (a contract that simply ended lowers it);
2. adopted assignments whose deadline lies before D are closed;
3. planned meetings dated before D are marked held.

Every step is idempotent: the snapshots are rebuilt from the reports, realisation writes only
what changed, and closing and marking held touch only rows still in the old status. Running for
the same date twice therefore leaves the database as the first run left it.

Catching up: each completed run records its date (`ScheduledRun`). A run for D rebuilds the
snapshots from the day after the latest earlier recorded run, so the days missed while beat was
down are rebuilt too; steps 2 and 3 compare with D and so take in every missed day by
themselves. A run for a date before the latest recorded one (a manual catch-up) rebuilds from
that date on but keeps the realisation as of the latest run, so figures never step back.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allocation.choices import AssignmentStatus
from allocation.models import Assignment
from allocation.services import assignments_close, realisation_recompute
from capacity.models import Location, OccupancySnapshot
from capacity.services import occupancy_recompute
from meetings.services import meetings_mark_held

from .models import ScheduledRun


class ScheduleError(ValueError):
    """The jobs cannot run as asked; the message is meant for the operator."""


@dataclass(frozen=True)
class ScheduledResult:
    on: datetime.date
    recompute_from: datetime.date
    realised_as_of: datetime.date
    municipalities: int
    snapshots_written: int
    shares_changed: int
    assignments_closed: list[str]
    meetings_held: list[str]
    repeated: bool

    def as_json(self) -> dict:
        data = asdict(self)
        for name in ("on", "recompute_from", "realised_as_of"):
            data[name] = data[name].isoformat()
        return data


def scheduled_catch_up_start(*, on: datetime.date) -> datetime.date:
    """The first day the snapshot rebuild for `on` must cover: the day after the latest run
    before `on`, or `on` itself when there was none. A date that already ran keeps the start
    it had, so a second run repeats exactly the same work."""
    recorded = ScheduledRun.objects.filter(date=on).values_list("recompute_from", flat=True)
    if recorded:
        return recorded[0]
    earlier = ScheduledRun.objects.filter(date__lt=on).aggregate(latest=Max("date"))["latest"]
    return earlier + datetime.timedelta(days=1) if earlier else on


def _municipality_ids() -> list[int]:
    """Municipalities with something to recompute: locations, or snapshots left from
    locations that have since gone. The others would only get rows of zeros."""
    with_locations = Location.objects.values_list("municipality_id", flat=True).distinct()
    with_snapshots = OccupancySnapshot.objects.values_list("municipality_id", flat=True).distinct()
    return sorted(set(with_locations) | set(with_snapshots))


def scheduled_run(*, on: datetime.date) -> ScheduledResult:
    """Run the nightly jobs for the day `on` (normally today in Europe/Amsterdam).

    Each step commits on its own rather than the whole run in one transaction (which would
    hold every municipality's lock for all of it): they are idempotent, and a run cut short is
    not recorded, so the next run, or the task's retry, simply does it again.
    """
    today = timezone.localdate()
    if on > today:
        raise ScheduleError(
            _("De nachtelijke taken draaien niet vooruit: %(on)s ligt na vandaag (%(today)s).")
            % {"on": format(on, "%d-%m-%Y"), "today": format(today, "%d-%m-%Y")}
        )
    repeated = ScheduledRun.objects.filter(date=on).exists()
    recompute_from = scheduled_catch_up_start(on=on)
    latest = ScheduledRun.objects.aggregate(latest=Max("date"))["latest"]
    realised_as_of = max(on, latest) if latest else on

    ids = _municipality_ids()
    written = occupancy_recompute(municipality_ids=ids, from_date=recompute_from)
    # Every assignment still open (so the ones closed below get their final figure first) and
    # the closed ones whose deadline lies in the rebuilt range. Called directly rather than
    # through capacity's followups: those compute as of the real today, this run as of
    # `realised_as_of`.
    touched = Assignment.objects.filter(
        ~Q(status=AssignmentStatus.CLOSED)
        | Q(realise_by__isnull=True)
        | Q(realise_by__gte=recompute_from)
        | Q(available_until__gte=recompute_from)
    )
    shares_changed = realisation_recompute(
        assignment_ids=touched.values_list("pk", flat=True), today=realised_as_of
    )
    closed = assignments_close(on=on)
    held = meetings_mark_held(before=on)

    result = ScheduledResult(
        on=on,
        recompute_from=recompute_from,
        realised_as_of=realised_as_of,
        municipalities=len(ids),
        snapshots_written=written,
        shares_changed=shares_changed,
        assignments_closed=closed,
        meetings_held=held,
        repeated=repeated,
    )
    # The first completed run of a date is the record; a repeat leaves it as it was.
    ScheduledRun.objects.get_or_create(
        date=on, defaults={"recompute_from": recompute_from, "summary": result.as_json()}
    )
    return result
