"""The import pages: upload and recent imports, the preview with its confirm step, the status.

Thin: check who is asking, call the service, render. Coordinators import for their region,
project leaders for their own municipality (the service turns other rows into row errors);
secretaries and provincial readers get 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipalities.models import Role
from municipalities.roles import has_role, membership_of, role_required
from twente.models import ImportRun, ImportStatus

from .forms import ImportUploadForm
from .service import (
    SPECS,
    ImportNotAllowed,
    ImportStateError,
    import_run_confirm,
    import_upload,
)

IMPORTERS = (Role.COORDINATOR, Role.PROJECT_LEADER)
RECENT = 25
NOT_YOURS = _("Deze import hoort niet bij uw regio of gemeente.")
ONLY_UPLOADER = _("Alleen wie het bestand uploadde kan de import bevestigen.")


def _visible_runs(user):
    membership = membership_of(user)
    if membership is None:
        return ImportRun.objects.filter(user=user)
    if has_role(user, Role.COORDINATOR):
        return ImportRun.objects.visible_to(
            region_id=membership.safety_region_id, municipality_id=None, user_id=user.pk
        )
    return ImportRun.objects.visible_to(
        region_id=None, municipality_id=membership.municipality_id, user_id=user.pk
    )


def _run_for(user, pk: int) -> ImportRun:
    run = get_object_or_404(ImportRun.objects.select_related("user"), pk=pk)
    if run.user_id != user.pk and not _visible_runs(user).filter(pk=run.pk).exists():
        raise PermissionDenied(NOT_YOURS)
    return run


@role_required(*IMPORTERS)
def import_list(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            run = import_upload(
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                user=request.user,
            )
        except ImportNotAllowed as exc:
            raise PermissionDenied(str(exc)) from exc
        return redirect("imports:detail", pk=run.pk)
    runs = _visible_runs(request.user).select_related("user")[:RECENT]
    return render(
        request,
        "imports/import_list.html",
        {
            "form": form,
            "runs": runs,
            "specs": [SPECS[kind] for kind, _ in form.fields["kind"].choices],
        },
    )


@role_required(*IMPORTERS)
def import_detail(request, pk: int):
    run = _run_for(request.user, pk)
    return render(
        request,
        "imports/import_detail.html",
        {
            "run": run,
            "can_confirm": run.status == ImportStatus.VALIDATED and run.user_id == request.user.pk,
            "more_errors": max(run.error_count - len(run.errors), 0),
            "flagged": run.preview.get("flagged", []),
            "flagged_count": run.preview.get("flagged_count", 0),
            "preview": [
                (label, run.preview.get(name, []), count)
                for name, label, count in (
                    ("created", _("Nieuw"), run.created_count),
                    ("updated", _("Gewijzigd"), run.updated_count),
                    ("unchanged", _("Ongewijzigd"), run.unchanged_count),
                )
            ],
        },
    )


@require_POST
@role_required(*IMPORTERS)
def import_confirm(request, pk: int):
    run = _run_for(request.user, pk)
    if run.user_id != request.user.pk:
        raise PermissionDenied(ONLY_UPLOADER)
    try:
        run = import_run_confirm(run=run, user=request.user)
    except ImportNotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except ImportStateError as exc:
        messages.error(request, str(exc))
    else:
        if run.status == ImportStatus.FAILED:
            messages.error(request, _("Er is niets geïmporteerd: het bestand bevat nu fouten."))
        else:
            messages.success(
                request,
                _("Geïmporteerd: %(created)s nieuw, %(updated)s gewijzigd, %(same)s ongewijzigd.")
                % {
                    "created": run.created_count,
                    "updated": run.updated_count,
                    "same": run.unchanged_count,
                },
            )
    return redirect("imports:detail", pk=pk)


@role_required(*IMPORTERS)
def import_status(request, pk: int):
    """What the status script on the detail page polls until the recompute is done."""
    run = _run_for(request.user, pk)
    finished = run.recompute_finished_at
    return JsonResponse(
        {
            "status": run.status,
            "status_label": run.get_status_display(),
            "recompute_pending": run.recompute_pending,
            "recompute_finished_at": (
                timezone.localtime(finished).strftime("%d-%m-%Y %H:%M:%S") if finished else None
            ),
        }
    )
