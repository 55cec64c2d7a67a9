"""The dashboard, its printable one-page overview and its CSV/XLSX exports.

Every role sees the regional picture of its own region (read-only: it links to the pages where
people change things). Thin: parse the date and sort, call one selector, render.
"""

import datetime
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from allocation.provincial import provincial_standings
from allocation.tasks_in_force import owed_by_group, standings_in_force
from capacity import read_cache
from capacity.choices import TargetGroup
from capacity.discretion import audience, undisclosed_counts
from capacity.national.selectors import national_picture
from municipalities.models import Province, Role, SafetyRegion
from municipalities.roles import (
    COUNTRY_REFUSED,
    PROVINCE_REFUSED,
    REGION_REFUSED,
    has_role,
    home_region_of,
    may_read_country,
    may_read_province,
    may_read_region,
    readable_regions,
    reads_other_regions,
    role_required,
)
from municipalities.spreadsheets import FORMATS, spreadsheet_response
from twente.overview import area_overview

from .exports import TABLES, municipalities_dataset, target_groups_dataset
from .selectors import (
    cached_map_locations,
    chart_data,
    clean_sort,
    dashboard_build,
    housing_outlook,
    regional_picture,
)


class AsOfForm(forms.Form):
    date = forms.DateField(
        label=_("Peildatum"),
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "utrecht-textbox utrecht-textbox--html-input"},
            format="%Y-%m-%d",
        ),
    )


def _region(request) -> tuple[SafetyRegion, bool]:
    """The region asked for in `?region=` (default: the user's own) and whether it is another
    region than the user's own, which only provincial readers may open (their province's)."""
    own = home_region_of(request.user)
    if own is None:
        raise Http404(_("Geen regio ingesteld."))
    code = (request.GET.get("region") or "").strip().upper()
    if not code or code == own.code:
        return own, False
    region = SafetyRegion.objects.select_related("province").filter(code=code).first()
    if region is None:
        raise Http404(_("Onbekende veiligheidsregio."))
    if not may_read_region(request.user, region):
        raise PermissionDenied(REGION_REFUSED)
    return region, True


def _as_of(request) -> tuple[AsOfForm, datetime.date, datetime.date]:
    """The chosen date (default and upper limit: today, since later figures do not exist)."""
    today = timezone.localdate()
    form = AsOfForm(request.GET if "date" in request.GET else None)
    on = today
    if form.is_bound and form.is_valid() and form.cleaned_data["date"]:
        on = min(form.cleaned_data["date"], today)
    return form, on, today


def _date_query(on: datetime.date, today: datetime.date, region: str | None = None) -> dict:
    """What links on the page carry along: the date when it is not today, and the region
    when it is not the user's own."""
    query = {"region": region} if region else {}
    return query if on == today else {**query, "date": on.isoformat()}


def _header(key: str, label: str, current: str, date_query: dict) -> dict:
    """A sortable column: the link that sorts by it and how it is sorted now (aria-sort).
    Names sort A-Z first; figures largest first, since that is what people look for."""
    if current == key:
        target, state = f"-{key}", "ascending"
    elif current == f"-{key}":
        target, state = key, "descending"
    else:
        target, state = (key if key == "name" else f"-{key}"), None
    return {
        "label": label,
        "query": urlencode({**date_query, "sort": target}),
        "aria_sort": state,
    }


def _columns(current: str, date_query: dict) -> dict:
    def header(key, label):
        return _header(key, label, current, date_query)

    return {
        "name": header("name", _("Gemeente")),
        "population": header("population", _("Inwoners")),
        "last_report": header("last_report", _("Laatste melding")),
        "groups": [
            {
                "label": group.label,
                "columns": [
                    header(f"{group.value}_required", _("Taak")),
                    header(f"{group.value}_realised", _("Gerealiseerd")),
                    header(f"{group.value}_gap", _("Tekort")),
                    header(f"{group.value}_rate", _("Bezetting")),
                ],
            }
            for group in TargetGroup
        ],
    }


@role_required(*Role.values)
def dashboard(request):
    form, on, today = _as_of(request)
    sort = clean_sort(request.GET.get("sort"))
    region, foreign = _region(request)
    data = dashboard_build(region=region, on=on, today=today, sort=sort)
    date_query = _date_query(on, today, region.code if foreign else None)
    latest = data.picture.latest_report_date
    # The link of the stale notice: the same page on the day of the latest reports.
    latest_query = (
        urlencode(_date_query(latest, today, region.code if foreign else None)) if latest else ""
    )
    regions = list(readable_regions(request.user)) if reads_other_regions(request.user) else []
    # Every task in force on the date, each with its own gap (issue 23), next to the picture.
    in_force = standings_in_force(region_code=region.code, on=on)
    return render(
        request,
        "twente/dashboard.html",
        {
            "dashboard": data,
            "tasks_in_force": in_force,
            "owed": owed_by_group(in_force),
            "picture": data.picture,
            "municipalities": data.picture.municipalities,
            "form": form,
            "columns": _columns(sort, date_query),
            "date_query": urlencode(date_query),
            "sort_query": urlencode({**date_query, "sort": sort}),
            "latest_query": latest_query,
            "charts": chart_data(data),
            "national": national_picture(on=on),
            "undisclosed": undisclosed_counts(request.user, region_code=region.code, today=today),
            "foreign": foreign,
            "regions": regions if len(regions) > 1 else [],
            "shows_actions": not foreign
            and has_role(request.user, Role.COORDINATOR, Role.SECRETARY, Role.PROJECT_LEADER),
            "may_read_province": may_read_province(request.user, region.province),
            "may_read_country": may_read_country(request.user),
            "map_url": f"{reverse('dashboard:map')}?{urlencode(date_query)}",
            "map_config": {
                "tileUrl": settings.MAP_TILE_URL,
                "attribution": settings.MAP_TILE_ATTRIBUTION,
                "text": {
                    "places": gettext("plekken"),
                    "occupied": gettext("bezet"),
                    "places_planned": gettext("plekken gepland"),
                    "none": gettext("Geen locaties met coördinaten op deze datum."),
                    "failed": gettext(
                        "De kaart kon niet worden geladen; de tabel hieronder telt de "
                        "locaties per gemeente."
                    ),
                },
            },
        },
    )


@role_required(*Role.values)
def dashboard_map(request):
    """The map's points as JSON (`?region=&date=` as the dashboard, the same permission): a
    list of locations with coordinates that count on the date or are still to open. Loaded
    after the page, from the read cache; the ETag is the version of the region's figures,
    so a client's copy is confirmed (304) without reading anything."""
    _form, on, _today = _as_of(request)
    region, _foreign = _region(request)
    # The labels in the points are in the reader's language.
    # Who may name the locations yet to open (and which of them are yet to open today) is
    # part of the key and the ETag: another reader's copy is never confirmed.
    key = f"{on.isoformat()}-{get_language()}-{timezone.localdate().isoformat()}"
    scope = audience(request.user, region_code=region.code)
    etag = f'"map-{region.code}-{key}-{scope}-{read_cache.version(region.code)}"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if etag in {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}:
        return HttpResponseNotModified(headers=headers)
    points = cached_map_locations(region_code=region.code, on=on, key=key, viewer=request.user)
    return JsonResponse(points, safe=False, headers=headers)


@role_required(*Role.values)
def dashboard_print(request):
    """One A4 (landscape) page: tasks and status per target group and per municipality."""
    _form, on, today = _as_of(request)
    region, foreign = _region(request)
    picture = regional_picture(region=region, on=on, sort=request.GET.get("sort"))
    date_query = _date_query(on, today, region.code if foreign else None)
    return render(
        request,
        "twente/dashboard_print.html",
        {
            "picture": picture,
            "housing": housing_outlook(picture.overview),
            "columns": _columns(picture.sort, date_query),
            "back_query": urlencode(date_query),
            "today": today,
            "printed_at": timezone.localtime(),
        },
    )


@role_required(*Role.values)
def dashboard_export(request):
    """`?table=target_groups|municipalities&format=csv|xlsx[&date=YYYY-MM-DD][&sort=...]`"""
    table = request.GET.get("table")
    fmt = request.GET.get("format")
    if table not in TABLES or fmt not in FORMATS:
        raise Http404(_("Onbekende tabel of onbekend bestandsformaat."))
    _form, on, _today = _as_of(request)
    region, _foreign = _region(request)
    picture = regional_picture(region=region, on=on, sort=request.GET.get("sort"))
    if table == "target_groups":
        dataset, name = target_groups_dataset(picture), "per-doelgroep"
    else:
        dataset, name = municipalities_dataset(picture), "per-gemeente"
    return spreadsheet_response(
        dataset, fmt=fmt, filename=f"overzicht-{picture.region.code}-{name}-{on.isoformat()}"
    )


def _area_page(request, *, province: Province | None):
    form, on, today = _as_of(request)
    own = home_region_of(request.user)
    overview = area_overview(province=province, on=on)
    readable = set(readable_regions(request.user).values_list("code", flat=True))
    query = _date_query(on, today)
    if province is not None:
        query = {"province": province.code, **query}
    provincial = provincial_standings(
        province_code=province.code if province is not None else None, on=on
    )
    return render(
        request,
        "twente/dashboard_area.html",
        {
            "overview": overview,
            "provincial_tasks": provincial,
            "form": form,
            "today": today,
            "readable_regions": readable,
            "date_query": urlencode(_date_query(on, today)),
            "api_query": urlencode(query),
            "group_labels": [group.label for group in TargetGroup],
            "may_read_country": may_read_country(request.user),
            "own_province": own.province if own is not None else None,
        },
    )


@role_required(Role.COORDINATOR, Role.PROVINCIAL_READER)
def province_overview(request):
    """The regions of a province side by side (`?province=PV23`, default: the user's own)."""
    own = home_region_of(request.user)
    code = (request.GET.get("province") or "").strip().upper()
    if not code and own is None:
        raise PermissionDenied(PROVINCE_REFUSED)
    province = Province.objects.filter(code=code).first() if code else own.province
    if province is None:
        raise Http404(_("Onbekende provincie."))
    if not may_read_province(request.user, province):
        raise PermissionDenied(PROVINCE_REFUSED)
    return _area_page(request, province=province)


@role_required(Role.COORDINATOR, Role.PROVINCIAL_READER)
def national_overview(request):
    """Every province and region of the country: totals only, no municipality detail."""
    if not may_read_country(request.user):
        raise PermissionDenied(COUNTRY_REFUSED)
    return _area_page(request, province=None)
