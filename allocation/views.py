"""Pages: the assignments overview, the what-if distribution, a task's shares and exchanges.

Everybody with a role reads their own region; only coordinators change anything.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from capacity.choices import TargetGroup
from municipalities.models import Municipality, Role, SafetyRegion
from municipalities.roles import has_role, region_of, role_required

from .filters import AssignmentFilter, ExchangeFilter
from .forms import AgreedSharesForm, ExchangeForm, WhatIfForm, apply_service_errors
from .keys import region_municipalities
from .models import Assignment, Exchange
from .selectors import (
    assignments_for_region,
    credits_of,
    exchange_balances,
    exchanges_for_region,
    shares_of,
)
from .services import (
    assignment_adopt,
    assignment_create,
    assignment_preview,
    display_decimal,
    exchange_create,
    exchange_withdraw,
    shares_agree,
    shares_set_status,
)


def _region_code(user) -> str:
    region = region_of(user)
    return region.code if region else settings.HOME_REGION


def _assignment(request, code: str) -> Assignment:
    """The assignment with its totals; 403 when it belongs to another region."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("region", "follows", "parent").with_totals(), code=code
    )
    if assignment.region.code != _region_code(request.user):
        raise PermissionDenied(_("Deze taakstelling hoort bij een andere veiligheidsregio."))
    return assignment


@role_required(*Role.values)
def assignment_list(request):
    filterset = AssignmentFilter(
        request.GET or None, queryset=assignments_for_region(_region_code(request.user))
    )
    today = timezone.localdate()
    assignments = list(filterset.qs)
    for assignment in assignments:
        assignment.ended = assignment.ended_on(today)
    return render(
        request,
        "allocation/assignment_list.html",
        {
            "filter": filterset,
            "assignments": assignments,
            "can_edit": has_role(request.user, Role.COORDINATOR),
        },
    )


@role_required(Role.COORDINATOR)
def assignment_new(request):
    region_code = _region_code(request.user)
    region = get_object_or_404(SafetyRegion, code=region_code)
    action = request.POST.get("action", "preview")
    saving = action in ("draft", "adopt")
    form = WhatIfForm(
        request.POST or None,
        municipalities=sorted(region_municipalities(region_code=region_code), key=lambda m: m.name),
        saving=saving,
        followable=Assignment.objects.in_region(region_code)
        .filter(target_group=TargetGroup.PERMIT_HOLDERS, followed_by__isnull=True)
        .order_by("-realise_by", "code"),
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            if saving:
                assignment = assignment_create(
                    region=region,
                    user=request.user,
                    adopt=action == "adopt",
                    **form.assignment_fields(),
                )
                if action == "adopt":
                    messages.success(request, _("De taakstelling is vastgesteld."))
                else:
                    messages.success(request, _("De taakstelling is als concept opgeslagen."))
                return redirect("allocation:assignment-detail", code=assignment.code)
            preview = assignment_preview(
                total=form.cleaned_data["total"], region_code=region_code, options=form.options()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return render(
        request,
        "allocation/assignment_new.html",
        {"form": form, "rows": form.rows(), "preview": _preview_context(preview)},
    )


def _preview_context(preview) -> dict | None:
    if preview is None:
        return None
    return {
        "total": preview.total,
        "rows": [
            {
                "code": row.code,
                "name": row.name,
                "weight": display_decimal(row.weight, 4),
                "quota": display_decimal(row.quota, 2),
                "credit": row.credit,
                "share": row.share,
                "remaining": row.remaining,
            }
            for row in sorted(preview.shares, key=lambda row: row.name)
        ],
        # The engine's result for the region's municipalities, not database rows.
        "credit_total": sum(row.credit for row in preview.shares),
        "remaining_total": sum(row.remaining for row in preview.shares),
    }


def _render_detail(request, assignment: Assignment, shares, agree_form=None):
    can_edit = has_role(request.user, Role.COORDINATOR)
    if can_edit and agree_form is None:
        agree_form = AgreedSharesForm(shares=shares)
    rows = agree_form.rows() if agree_form is not None else [{"share": s} for s in shares]
    exchanges = exchanges_for_region(assignment.region.code).filter(
        Q(from_assignment=assignment) | Q(to_assignment=assignment)
    )
    return render(
        request,
        "allocation/assignment_detail.html",
        {
            "assignment": assignment,
            "rows": rows,
            "agree_form": agree_form,
            "exchanges": exchanges,
            "credits": credits_of(assignment),
            "can_edit": can_edit,
            "total_mismatch": assignment.base_total - assignment.total,
            "parts": list(assignment.parts.with_totals().order_by("code")),
            "ended": assignment.ended_on(timezone.localdate()),
        },
    )


@role_required(*Role.values)
def assignment_detail(request, code: str):
    assignment = _assignment(request, code)
    return _render_detail(request, assignment, list(shares_of(assignment)))


@require_POST
@role_required(Role.COORDINATOR)
def assignment_agree(request, code: str):
    assignment = _assignment(request, code)
    shares = list(shares_of(assignment))
    form = AgreedSharesForm(request.POST, shares=shares)
    if form.is_valid():
        try:
            with transaction.atomic():
                shares_agree(assignment=assignment, agreed=form.agreed(), user=request.user)
                shares_set_status(
                    assignment=assignment, statuses=form.statuses(), user=request.user
                )
        except ValidationError as exc:
            apply_service_errors(form, exc, form.field_of)
        else:
            messages.success(request, _("De afgesproken aandelen zijn opgeslagen."))
            return redirect("allocation:assignment-detail", code=assignment.code)
    return _render_detail(request, assignment, shares, form)


@require_POST
@role_required(Role.COORDINATOR)
def assignment_adopt_view(request, code: str):
    assignment = _assignment(request, code)
    try:
        assignment_adopt(assignment=assignment, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("De taakstelling is vastgesteld."))
    return redirect("allocation:assignment-detail", code=assignment.code)


@role_required(Role.COORDINATOR)
def exchange_new(request, code: str):
    assignment = _assignment(request, code)
    region_code = assignment.region.code
    form = ExchangeForm(
        request.POST or None,
        assignment=assignment,
        municipalities=Municipality.objects.in_region(region_code).order_by("name"),
        assignments=Assignment.objects.in_region(region_code).order_by("target_group", "code"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            exchange_create(from_assignment=assignment, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("De uitruil is vastgelegd."))
            return redirect("allocation:assignment-detail", code=assignment.code)
    return render(
        request, "allocation/exchange_form.html", {"form": form, "assignment": assignment}
    )


@require_POST
@role_required(Role.COORDINATOR)
def exchange_withdraw_view(request, pk: int):
    exchange = get_object_or_404(Exchange.objects.select_related("region"), pk=pk)
    if exchange.region.code != _region_code(request.user):
        raise PermissionDenied(_("Deze uitruil hoort bij een andere veiligheidsregio."))
    try:
        exchange_withdraw(exchange=exchange, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("De uitruil is ingetrokken."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("allocation:exchange-list")
    return redirect(target)


@role_required(*Role.values)
def exchange_list(request):
    filterset = ExchangeFilter(
        request.GET or None, queryset=exchanges_for_region(_region_code(request.user))
    )
    return render(
        request,
        "allocation/exchange_list.html",
        {
            "filter": filterset,
            "exchanges": filterset.qs,
            "balances": exchange_balances(filterset.qs),
            "target_groups": TargetGroup.labels,
            "can_edit": has_role(request.user, Role.COORDINATOR),
        },
    )
