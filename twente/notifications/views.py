"""The "Meldingen" settings page, the completeness page with its reminder history, and the
language switch that also sets the language of the e-mails."""

import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.i18n import set_language as django_set_language

from capacity.selectors import flagged_reports, reporting_status, week_start_of
from municipalities.models import Role
from municipalities.roles import region_of, role_required

from .forms import NotificationSettingsForm
from .history import reminder_history
from .selection import kinds_for, settings_of
from .services import notification_language_remember, notification_settings_save

FLAGGED_SHOWN = 200  # the follow-up list on the reporting status page, newest first


def notification_settings(request):
    """Every user edits their own choices, and only those: the page has no user in its url."""
    user = request.user
    kinds = kinds_for(user)
    prefs = settings_of(user)
    form = NotificationSettingsForm(request.POST or None, kinds=kinds, prefs=prefs)
    if request.method == "POST" and form.is_valid():
        notification_settings_save(user=user, **form.cleaned_data)
        messages.success(request, _("Uw meldingsinstellingen zijn opgeslagen."))
        return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "kinds": kinds, "email": user.email},
    )


def set_language(request):
    """Django's language switch; for a signed-in user the choice is remembered for their
    e-mails too (a worker sending them has no cookie to read)."""
    response = django_set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        notification_language_remember(user=request.user, language=request.POST.get("language", ""))
    return response


def _parse_date(value: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value) if value else default
    except ValueError:
        return default


@role_required(Role.COORDINATOR)
def counts_status(request):
    """Who reported in a week (capacity's reporting status), the reports held for a check,
    and the reminders sent in that week per municipality with what happened after them."""
    today = timezone.localdate()
    week_start = week_start_of(_parse_date(request.GET.get("week"), today))
    region = region_of(request.user)
    region_code = region.code if region else None
    rows = reporting_status(week_start=week_start, region_code=region_code)
    history = reminder_history(region=region, week_start=week_start) if region else {}
    for row in rows:
        row["reminders"] = history.get(row["municipality_id"])
    return render(
        request,
        "capacity/counts_status.html",
        {
            "rows": rows,
            "week_start": week_start,
            "week_end": week_start + datetime.timedelta(days=6),
            "previous_week": week_start - datetime.timedelta(days=7),
            "next_week": week_start + datetime.timedelta(days=7)
            if week_start + datetime.timedelta(days=7) <= today
            else None,
            "complete": sum(1 for row in rows if row["complete"]),
            # Every open flag of the region, not only this week's: a flag waits for a check.
            "flagged": list(flagged_reports(region_code=region_code)[:FLAGGED_SHOWN]),
            "flagged_count": flagged_reports(region_code=region_code).count(),
        },
    )
