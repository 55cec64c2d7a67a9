"""Pages for locations and the weekly counts. Thin: fetch, check access, call a service."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from municipalities.models import Municipality, Role
from municipalities.roles import has_role, municipality_of, region_of, role_required

from .choices import ReportSource
from .discretion import undisclosed_counts
from .filters import LocationFilter
from .forms import CountsDateForm, LocationForm, ThresholdFormSet, WeeklyCountsForm
from .history import location_history
from .models import CapacityReport, Location, OccupancyThreshold
from .permissions import (
    NOT_YOURS,
    can_edit_municipality,
    check_can_edit,
    location_for_edit,
    location_for_view,
    may_write,
    visible_locations,
)
from .reporting import ReportsHeld
from .selectors import locations_as_of, thresholds_by_target_group, week_start_of
from .services import (
    WeeklyCountsConflict,
    WeeklyCountsError,
    location_create,
    location_update,
    report_confirm_unchanged,
    report_flag_clear,
    thresholds_update,
    weekly_counts_submit,
)

WRITERS = (Role.COORDINATOR, Role.PROJECT_LEADER)
PAGE_SIZE = 100


def _parse_date(value: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value) if value else default
    except ValueError:
        return default


@role_required(*Role.values)
def location_list(request):
    today = timezone.localdate()
    on = _parse_date(request.GET.get("date"), today)
    filterset = LocationFilter(
        request.GET or None,
        queryset=locations_as_of(on=on, queryset=visible_locations(request.user)),
        request=request,
    )
    locations = filterset.qs.order_by("municipality__name", "name")
    page = Paginator(locations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "capacity/location_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "today": today,
            "on": on,
            "may_write": may_write(request.user),
            "region_wide": has_role(
                request.user, Role.COORDINATOR, Role.SECRETARY, Role.PROVINCIAL_READER
            ),
            "undisclosed": _undisclosed(request.user, today),
        },
    )


def _undisclosed(user, today: datetime.date) -> list[dict]:
    region = region_of(user)
    return undisclosed_counts(user, region_code=region.code, today=today) if region else []


@role_required(*WRITERS)
def location_new(request):
    form = LocationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        check_can_edit(request.user, form.cleaned_data["municipality"])
        try:
            location = location_create(user=request.user, **form.location_fields())
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("Locatie %(name)s is toegevoegd.") % {"name": location.name}
            )
            return redirect("capacity:location-detail", code=location.code)
    return render(request, "capacity/location_form.html", {"form": form, "location": None})


@role_required(*Role.values)
def location_detail(request, code: str):
    location = location_for_view(request.user, code)
    reports = list(
        CapacityReport.objects.filter(location=location)
        .select_related("reported_by")
        .order_by("-date")[:104]
    )
    is_coordinator = has_role(request.user, Role.COORDINATOR)
    return render(
        request,
        "capacity/location_detail.html",
        {
            "location": location,
            "today": timezone.localdate(),
            "reports": reports,
            "can_edit": may_write(request.user)
            and can_edit_municipality(request.user, location.municipality),
            "history": location_history(location) if is_coordinator else None,
        },
    )


@role_required(*WRITERS)
def location_edit(request, code: str):
    location = location_for_edit(request.user, code)
    form = LocationForm(request.POST or None, instance=location, user=request.user)
    if request.method == "POST" and form.is_valid():
        check_can_edit(request.user, form.cleaned_data["municipality"])
        try:
            location = location_update(
                location=location,
                user=request.user,
                expected_version=form.cleaned_data.get("version"),
                **form.location_fields(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("Locatie %(name)s is opgeslagen.") % {"name": location.name}
            )
            return redirect("capacity:location-detail", code=location.code)
    return render(request, "capacity/location_form.html", {"form": form, "location": location})


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _counts_municipality(request) -> Municipality | None:
    """Project leaders count for their own municipality; coordinators pick one."""
    code = request.GET.get("municipality") or request.POST.get("municipality")
    if has_role(request.user, Role.COORDINATOR):
        if not code:
            return None
        municipality = get_object_or_404(Municipality, code=code)
    else:
        municipality = municipality_of(request.user)
        if municipality is None:
            raise PermissionDenied(NOT_YOURS)
        if code and code != municipality.code:
            raise PermissionDenied(NOT_YOURS)
    check_can_edit(request.user, municipality)
    return municipality


@role_required(*WRITERS)
def weekly_counts(request):
    municipality = _counts_municipality(request)
    region = region_of(request.user)
    if municipality is None:
        choices = Municipality.objects.filter(safety_region=region).order_by("name")
        return render(request, "capacity/weekly_counts.html", {"choices": choices})

    date_form = CountsDateForm(request.GET if request.method == "GET" else request.POST)
    date = date_form.cleaned_data["date"] if date_form.is_valid() else timezone.localdate()
    locations = _grid_locations(municipality, date)
    form = WeeklyCountsForm(request.POST if request.method == "POST" else None, locations=locations)
    conflict = False
    if request.method == "POST" and date_form.is_valid():
        unchanged = request.POST.get("unchanged")
        if unchanged:
            return _confirm_unchanged(request, municipality, date_form, form, unchanged, date)
        if form.is_valid():
            try:
                reports = weekly_counts_submit(
                    municipality=municipality,
                    date=date,
                    rows=form.rows(),
                    user=request.user,
                    source=ReportSource.FORM,
                    seen=form.seen(),
                    # Implausible figures wait for a "Klopt dit?" unless the user confirmed
                    # exactly these figures on the page before.
                    hold_implausible=not form.confirmed(),
                )
            except WeeklyCountsConflict as exc:
                form.add_service_errors(exc.row_errors)
                conflict = True
                messages.error(request, exc.summary)
            except WeeklyCountsError as exc:
                form.add_service_errors(exc.row_errors)
            except ReportsHeld as exc:
                form.hold(exc.questions)
            else:
                flagged = [report for report in reports if report.flagged]
                messages.success(
                    request,
                    _("Telling van %(date)s opgeslagen voor %(count)s locatie(s) van %(name)s.")
                    % {
                        "date": format(date, "%d-%m-%Y"),
                        "count": len(reports),
                        "name": municipality.name,
                    },
                )
                for report in flagged:
                    messages.warning(
                        request,
                        f"{report.location.name}: opgeslagen, maar ter controle gemarkeerd. "
                        f"{report.flag_reason}",
                    )
                return redirect(_counts_url(municipality, date, request))
        if not conflict and not form.questions:
            messages.error(request, _("Er is niets opgeslagen: verbeter de gemarkeerde regels."))
    return _counts_page(
        request,
        municipality=municipality,
        date=date,
        date_form=date_form,
        form=form,
        reload_url=_counts_url(municipality, date, request) if conflict else None,
    )


def _grid_locations(municipality: Municipality, date: datetime.date) -> list[Location]:
    return list(
        locations_as_of(
            on=date, queryset=Location.objects.filter(municipality=municipality).reporting_on(date)
        )
        .with_latest_report_version(date)
        .order_by("name")
    )


def _counts_page(request, *, municipality, date, date_form, form, reload_url=None):
    week_start = week_start_of(date)
    return render(
        request,
        "capacity/weekly_counts.html",
        {
            "municipality": municipality,
            "date": date,
            "date_form": date_form,
            "week_start": week_start,
            "week_end": week_start + datetime.timedelta(days=6),
            "form": form,
            "grid": form.grid(),
            "is_coordinator": has_role(request.user, Role.COORDINATOR),
            "reload_url": reload_url,
        },
    )


def _counts_url(municipality: Municipality, date: datetime.date, request) -> str:
    url = reverse("capacity:weekly-counts") + f"?date={date.isoformat()}"
    if has_role(request.user, Role.COORDINATOR):
        url += f"&municipality={municipality.code}"
    return url


def _confirm_unchanged(request, municipality, date_form, form, code, date):
    """One row's "Ongewijzigd" button. It submits the whole grid, so figures typed in other
    rows arrive too: they are not saved with it (the user asked to confirm one row, and a
    half-typed row must not slip in), but shown again with a notice instead of being lost."""
    location = next((item for item in form.locations if item.code == code), None)
    if location is None:
        raise Http404(_("Deze locatie staat niet in de telling van deze gemeente."))
    typed = form.typed_codes()
    # Figures typed in the confirmed row itself give way to the confirmed ones: say so.
    overruled = (
        " " + _("De cijfers die u in deze regel had ingevuld, zijn niet gebruikt.")
        if code in typed
        else ""
    )
    typed.discard(code)
    try:
        report_confirm_unchanged(
            location=location,
            date=date,
            user=request.user,
            source=ReportSource.FORM,
            seen=form.seen(),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        confirmed = False
    else:
        confirmed = True
    if not typed:
        if confirmed:
            messages.success(
                request,
                _("%(name)s: aantallen ongewijzigd bevestigd voor %(date)s.")
                % {"name": location.name, "date": format(date, "%d-%m-%Y")}
                + overruled,
            )
        return redirect(_counts_url(municipality, date, request))
    not_saved = _(
        "Uw ingevulde cijfers in de andere rijen zijn nog niet opgeslagen: controleer ze en "
        "klik op Alles opslaan."
    )
    messages.warning(
        request,
        _("%(name)s is bevestigd als ongewijzigd.") % {"name": location.name}
        + overruled
        + " "
        + not_saved
        if confirmed
        else not_saved,
    )
    # The confirmed row (or, after a refusal, the figures someone else saved) is read anew.
    form = form.refreshed(locations=_grid_locations(municipality, date), codes={code})
    return _counts_page(
        request, municipality=municipality, date=date, date_form=date_form, form=form
    )


@require_POST
@role_required(Role.COORDINATOR)
def report_checked(request, pk: int):
    report = get_object_or_404(
        CapacityReport.objects.select_related("location__municipality"), pk=pk
    )
    check_can_edit(request.user, report.location.municipality)
    report_flag_clear(report=report, user=request.user)
    messages.success(
        request,
        _("Melding van %(name)s (%(date)s) is nagekeken.")
        % {"name": report.location.name, "date": format(report.date, "%d-%m-%Y")},
    )
    week = _parse_date(request.POST.get("week"), timezone.localdate())
    # The completeness page lives in the composing package (it shows the reminders too).
    return redirect(reverse("counts-status") + f"?week={week.isoformat()}")


@role_required(Role.COORDINATOR)
def thresholds_edit(request):
    queryset = OccupancyThreshold.objects.order_by("target_group")
    formset = ThresholdFormSet(request.POST or None, queryset=queryset)
    if request.method == "POST" and formset.is_valid():
        thresholds_update(
            values={
                form.instance.target_group: (
                    form.cleaned_data["warning"],
                    form.cleaned_data["tipping_point"],
                )
                for form in formset.forms
            },
            user=request.user,
        )
        messages.success(request, _("De drempels zijn opgeslagen."))
        return redirect("capacity:thresholds")
    return render(
        request,
        "capacity/thresholds.html",
        {"formset": formset, "current": thresholds_by_target_group()},
    )
