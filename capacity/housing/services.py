"""Writes of permit-holder housing reports; every entry point (page, API, admin) calls these.

As for capacity reports: validated with `full_clean()` (Dutch messages), one transaction,
the user and reason recorded for the history, optimistic locking on `version`, and after the
commit the one recompute task, whose followups (allocation's realisation) bring the
permit-holder tasks up to date. The import writes in bulk through `import_spec.py` and enqueues
the same recompute.
"""

import datetime

from django.db import transaction

from municipalities.models import Municipality

from ..locking import REPORT_CHANGED, StaleVersionError, version_claim
from ..models import PermitHolderReport
from ..services import recompute_enqueue

FIGURES = ("housed", "housed_amv", "linked")
# `seen_version` left out: replace whatever report there is (the API's POST does that).
UNCHECKED = object()


def _record_change(report: PermitHolderReport, *, user, reason: str) -> None:
    # A request authenticated by token is not yet authenticated when the history middleware
    # runs, so the user is named explicitly.
    report._history_user = user if user is not None and user.is_authenticated else None
    report._change_reason = reason


def _recompute(report: PermitHolderReport) -> None:
    # The recompute task rebuilds this municipality's occupancy from the date (cheap, and
    # unchanged by housing figures) and then runs the followups, allocation's realisation
    # among them: one way from any changed figure to the tasks.
    recompute_enqueue([report.municipality_id], report.date)


@transaction.atomic
def permit_holder_report_submit(
    *,
    municipality: Municipality,
    date: datetime.date,
    housed: int,
    linked: int,
    housed_amv: int = 0,
    source: str,
    user,
    seen_version=UNCHECKED,
) -> PermitHolderReport:
    """Record the permit holders `municipality` housed (since its previous report) and has
    linked on `date`; a second report of that date replaces the figures of the first.

    `seen_version` is the version of the report of that date the page showed (None: it
    showed none); when the report has changed since, StaleVersionError and nothing is saved.
    Impossible figures raise a ValidationError per field. `report.created_now` tells whether
    a new report was made.
    """
    # Writers of one municipality's reports wait for each other, so two first reports of
    # the same date cannot both be created.
    list(Municipality.objects.select_for_update().filter(pk=municipality.pk).values_list("pk"))
    report = (
        PermitHolderReport.objects.select_for_update()
        .filter(municipality=municipality, date=date)
        .first()
    )
    current = report.version if report is not None else None
    if seen_version is not UNCHECKED and seen_version != current:
        raise StaleVersionError(REPORT_CHANGED)
    created = report is None
    if created:
        report = PermitHolderReport(municipality=municipality, date=date)
    else:
        report.version += 1  # locked until the transaction ends
    report.housed = housed
    report.linked = linked
    report.housed_amv = 0 if housed_amv is None else housed_amv
    report.source = source
    report.reported_by = user if user is not None and user.is_authenticated else None
    report.full_clean()
    _record_change(report, user=user, reason=report.get_source_display())
    report.save()
    report.created_now = created
    _recompute(report)
    return report


@transaction.atomic
def permit_holder_report_update(
    *,
    report: PermitHolderReport,
    expected_version: int | None,
    user,
    source: str,
    **figures: int,
) -> PermitHolderReport:
    """Change the figures of an existing report (its municipality and date stay). With
    `expected_version` a change someone else saved in the meantime is refused with
    StaleVersionError; check and version bump are one conditional UPDATE."""
    unknown = set(figures) - set(FIGURES)
    if unknown:
        raise TypeError(f"unknown figures: {', '.join(sorted(unknown))}")
    if not version_claim(PermitHolderReport, pk=report.pk, expected=expected_version):
        raise StaleVersionError(REPORT_CHANGED)
    current = PermitHolderReport.objects.select_related("municipality").get(pk=report.pk)
    for name, value in figures.items():
        setattr(current, name, value)
    current.source = source
    current.reported_by = user if user is not None and user.is_authenticated else None
    current.full_clean()
    _record_change(current, user=user, reason=current.get_source_display())
    current.save()
    _recompute(current)
    return current
