"""The dashboard, its printable one-page overview and its CSV/XLSX exports.

Every role sees the regional picture of its own region (read-only: it links to the pages where
people change things). Thin: parse the date and sort, call one selector, render.
"""

import datetime
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from capacity.choices import TargetGroup
from municipalities.models import Role, SafetyRegion
from municipalities.roles import region_of, role_required

from .exports import (
    FORMATS,
    TABLES,
    dataset_response,
    municipalities_dataset,
    target_groups_dataset,
)
from .selectors import chart_data, clean_sort, dashboard_build, regional_picture


class AsOfForm(forms.Form):
    date = forms.DateField(
        label=_("Peildatum"),
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "utrecht-textbox utrecht-textbox--html-input"},
            format="%Y-%m-%d",
        ),
    )


def _region(user) -> SafetyRegion:
    """The user's region; an account without a membership sees the home region."""
    return region_of(user) or get_object_or_404(SafetyRegion, code=settings.HOME_REGION)


def _as_of(request) -> tuple[AsOfForm, datetime.date, datetime.date]:
    """The chosen date (default and upper limit: today, since later figures do not exist)."""
    today = timezone.localdate()
    form = AsOfForm(request.GET if "date" in request.GET else None)
    on = today
    if form.is_bound and form.is_valid() and form.cleaned_data["date"]:
        on = min(form.cleaned_data["date"], today)
    return form, on, today


def _date_query(on: datetime.date, today: datetime.date) -> dict:
    return {} if on == today else {"date": on.isoformat()}


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
                    header(f"{group.value}_operational", _("Gerealiseerd")),
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
    data = dashboard_build(region=_region(request.user), on=on, today=today, sort=sort)
    date_query = _date_query(on, today)
    return render(
        request,
        "twente/dashboard.html",
        {
            "dashboard": data,
            "picture": data.picture,
            "municipalities": data.picture.municipalities,
            "form": form,
            "columns": _columns(sort, date_query),
            "date_query": urlencode(date_query),
            "sort_query": urlencode({**date_query, "sort": sort}),
            "charts": chart_data(data),
            "map_config": {
                "tileUrl": settings.MAP_TILE_URL,
                "attribution": settings.MAP_TILE_ATTRIBUTION,
                "text": {
                    "places": gettext("plekken"),
                    "occupied": gettext("bezet"),
                    "places_planned": gettext("plekken gepland"),
                },
            },
        },
    )


@role_required(*Role.values)
def dashboard_print(request):
    """One A4 (landscape) page: tasks and status per target group and per municipality."""
    _form, on, today = _as_of(request)
    picture = regional_picture(region=_region(request.user), on=on, sort=request.GET.get("sort"))
    return render(
        request,
        "twente/dashboard_print.html",
        {
            "picture": picture,
            "columns": _columns(picture.sort, _date_query(on, today)),
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
        raise Http404("Onbekende tabel of onbekend bestandsformaat.")
    _form, on, _today = _as_of(request)
    picture = regional_picture(region=_region(request.user), on=on, sort=request.GET.get("sort"))
    if table == "target_groups":
        dataset, name = target_groups_dataset(picture), "per-doelgroep"
    else:
        dataset, name = municipalities_dataset(picture), "per-gemeente"
    return dataset_response(
        dataset, fmt=fmt, filename=f"overzicht-{picture.region.code}-{name}-{on.isoformat()}"
    )
