"""The project leader's page for permit-holder housing: one report per date, like the weekly
counts. Project leaders report for their own municipality; coordinators pick one."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality, Role
from municipalities.roles import has_role, region_of, role_required

from ..choices import ReportSource
from ..forms import CountsDateForm
from ..locking import StaleVersionError
from ..models import PermitHolderReport
from ..views import WRITERS, _counts_municipality, _form_errors
from .forms import PermitHolderReportForm
from .services import permit_holder_report_submit

REPORTS_SHOWN = 26


def _url(municipality: Municipality, date: datetime.date, request) -> str:
    url = reverse("capacity:permit-holders") + f"?date={date.isoformat()}"
    if has_role(request.user, Role.COORDINATOR):
        url += f"&municipality={municipality.code}"
    return url


@role_required(*WRITERS)
def permit_holders(request):
    municipality = _counts_municipality(request)
    if municipality is None:
        choices = Municipality.objects.filter(safety_region=region_of(request.user))
        return render(
            request, "capacity/permit_holders.html", {"choices": choices.order_by("name")}
        )
    conflict = False
    if request.method == "POST":
        form = PermitHolderReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = permit_holder_report_submit(
                    municipality=municipality,
                    date=data["date"],
                    housed=data["housed"],
                    housed_amv=data["housed_amv"] or 0,
                    linked=data["linked"],
                    source=ReportSource.FORM,
                    user=request.user,
                    seen_version=form.seen(),
                )
            except StaleVersionError as exc:
                conflict = True
                messages.error(request, " ".join(exc.messages))
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Huisvesting statushouders van %(name)s op %(date)s opgeslagen: "
                        "%(housed)s gehuisvest, %(linked)s gekoppeld."
                    )
                    % {
                        "name": municipality.name,
                        "date": format(report.date, "%d-%m-%Y"),
                        "housed": report.housed,
                        "linked": report.linked,
                    },
                )
                return redirect(_url(municipality, report.date, request))
        if not conflict:
            messages.error(request, _("Er is niets opgeslagen: verbeter de gemarkeerde velden."))
        # The date asked for, when it was valid, else today: the page shows that date's report.
        date = form.cleaned_data.get("date") or timezone.localdate()
    else:
        date_form = CountsDateForm(request.GET)
        date = date_form.cleaned_data["date"] if date_form.is_valid() else timezone.localdate()
    current = PermitHolderReport.objects.filter(municipality=municipality, date=date).first()
    if request.method != "POST":
        form = PermitHolderReportForm.for_report(current, date=date)
    reports = list(
        PermitHolderReport.objects.filter(municipality=municipality)
        .select_related("reported_by")
        .order_by("-date")[:REPORTS_SHOWN]
    )
    return render(
        request,
        "capacity/permit_holders.html",
        {
            "municipality": municipality,
            "form": form,
            "date": date,
            "current": current,
            "reports": reports,
            "is_coordinator": has_role(request.user, Role.COORDINATOR),
            "reload_url": _url(municipality, date, request) if conflict else None,
        },
    )
