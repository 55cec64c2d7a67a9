"""The import pages: upload and recent imports, the preview with its confirm step, the status.

Thin: check who is asking, call the service, render. Who may import is the rule of the
kinds (`kinds.scope_for`): coordinators import for their region, project leaders for their own
municipality (the service turns other rows into row errors); secretaries and provincial
readers get 403.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .forms import ImportUploadForm
from .kinds import importer_scope, spec_for
from .models import ImportRun, ImportStatus
from .service import ImportNotAllowed, ImportStateError, import_run_confirm, import_upload

RECENT = 25
NO_ACCESS = gettext_lazy("U heeft geen toegang tot deze pagina.")
NOT_YOURS = gettext_lazy("Deze import hoort niet bij uw regio of gemeente.")
ONLY_UPLOADER = gettext_lazy("Alleen wie het bestand uploadde kan de import bevestigen.")


def importers_only(view):
    """403 unless the user may import at least one kind of file."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        scope = importer_scope(request.user) if request.user.is_authenticated else None
        if scope is None:
            raise PermissionDenied(str(NO_ACCESS))
        request.import_scope = scope
        return view(request, *args, **kwargs)

    return wrapper


def _visible_runs(request):
    """A coordinator sees the runs of their region, a project leader those of their
    municipality, anyone else (an unrestricted importer) their own."""
    scope = request.import_scope
    return ImportRun.objects.visible_to(
        region_id=scope.region_id if scope.municipality_id is None else None,
        municipality_id=scope.municipality_id,
        user_id=request.user.pk,
    )


def _run_for(request, pk: int) -> ImportRun:
    run = get_object_or_404(ImportRun.objects.select_related("user"), pk=pk)
    user = request.user
    if run.user_id != user.pk and not _visible_runs(request).filter(pk=run.pk).exists():
        raise PermissionDenied(str(NOT_YOURS))
    return run


@importers_only
def import_list(request):
    form = ImportUploadForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"kind": request.GET.get("kind")},
    )
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
    runs = _visible_runs(request).select_related("user")[:RECENT]
    return render(
        request,
        "imports/import_list.html",
        {
            "form": form,
            "runs": runs,
            "specs": [spec_for(kind) for kind, _ in form.fields["kind"].choices],
        },
    )


@importers_only
def import_detail(request, pk: int):
    run = _run_for(request, pk)
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
@importers_only
def import_confirm(request, pk: int):
    run = _run_for(request, pk)
    if run.user_id != request.user.pk:
        raise PermissionDenied(str(ONLY_UPLOADER))
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


@importers_only
def import_status(request, pk: int):
    """What the status script on the detail page polls until the recompute is done."""
    run = _run_for(request, pk)
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
