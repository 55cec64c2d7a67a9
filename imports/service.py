"""Imports: check a file, show what it would change, import it all or nothing, recompute once.

The way through, for every way in (the upload page in `views.py`, `manage.py import_data`,
and the admin, which links to the upload page):

1. `reading.check_file` / `reading.open_rows`: is it a CSV or XLSX file we can read, then its
   rows one at a time;
2. `kinds.spec_for(kind)`: the spec of that kind of file, kept beside its app, and
   `kinds.scope_for(user)`: the municipalities the user may import rows for;
3. `validation.plan_validate`: every row checked, sorted into new, changed and unchanged, every
   bad row named (row, column, Dutch reason); nothing is written;
4. `apply.plan_write` (or the spec's own writer), in the transaction that validated, only when
   no row is bad: created and changed rows in bulk, each with a history record naming the user
   and the file (name, sha256);
5. the run record (`models.ImportRun`) of steps 1-4; when figures changed, the spec enqueues
   the one recompute after the commit (`capacity.tasks.recompute_occupancy`, which recomputes
   the occupancy and its follow-ups and then stamps the run: `import_run_recomputed`).

The upload page does steps 1-3 on upload (`import_upload`, the preview, with the file kept
privately) and 1-5 on confirm (`import_run_confirm`, checked again against the data of now);
the command does them at once (`import_file`).
"""

import hashlib
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .apply import plan_write
from .kinds import kinds_for, scope_for, spec_for
from .models import MAX_STORED_ERRORS, ImportRun, ImportStatus
from .reading import UnreadableFile, check_file, open_rows
from .spec import FILE_ROW, ImportNotAllowed, ImportPlan, ImportScope, ImportSpec, RowError
from .validation import plan_validate

__all__ = [
    "ImportNotAllowed",
    "ImportResult",
    "ImportStateError",
    "UnreadableFile",
    "import_file",
    "import_run_confirm",
    "import_run_recompute_pending",
    "import_run_recomputed",
    "import_upload",
    "kinds_for",
]

# An upload that is never confirmed is removed after this many seconds.
UPLOAD_TTL = 24 * 3600
CHANGED_MEANWHILE = _(
    "Tijdens het importeren zijn dezelfde gegevens ook op een andere manier gewijzigd; er is "
    "niets geïmporteerd. Probeer het opnieuw."
)


class ImportStateError(ValueError):
    """The run cannot be confirmed (already imported, refused, or its file is gone)."""


@dataclass
class ImportResult:
    """The run, and every row error (the run itself stores the first 1,000)."""

    run: ImportRun
    errors: list[RowError] = field(default_factory=list)


# Checking and writing ------------------------------------------------------------------------


def _digest(path: Path) -> tuple[str, int]:
    sha = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            sha.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), size


def _plan(spec: ImportSpec, path: Path, file_name: str, scope: ImportScope) -> ImportPlan:
    """Validate the file; a file that cannot be read gives a plan with one file error."""
    try:
        fmt = check_file(path, file_name)
        with open_rows(path, fmt) as (header, rows):
            if not header:
                raise UnreadableFile(_("Het bestand is leeg."))
            return plan_validate(spec, header=header, rows=rows, scope=scope)
    except UnicodeDecodeError:
        message = _("Het CSV-bestand is niet in UTF-8 opgeslagen; kies in Excel 'CSV UTF-8'.")
    except UnreadableFile as exc:
        message = str(exc)
    plan = ImportPlan(spec=spec)
    plan.error(FILE_ROW, "", message)
    return plan


def _record(run: ImportRun, plan: ImportPlan, *, status: str) -> None:
    run.status = status
    run.created_count = len(plan.created)
    run.updated_count = len(plan.updated)
    run.unchanged_count = len(plan.unchanged)
    run.error_count = len(plan.errors)
    run.errors = [error.as_dict() for error in plan.errors[:MAX_STORED_ERRORS]]
    run.preview = plan.preview()
    run.ignored_columns = plan.ignored_columns
    run.finished_at = timezone.now()


def _reason(run: ImportRun, user) -> str:
    who = getattr(user, "username", "") or "systeem"
    return f"Import {run.file_name[:40]} (sha256 {run.sha256[:12]}…) door {who}"[:100]


def _new_run(*, kind: str, path: Path, file_name: str, user, scope: ImportScope, dry_run: bool):
    sha256, size = _digest(path)
    membership = getattr(user, "membership", None) if user is not None else None
    return ImportRun(
        kind=kind,
        file_name=file_name[:255],
        sha256=sha256,
        size=size,
        user=user,
        safety_region_id=scope.region_id or getattr(membership, "safety_region_id", None),
        municipality_id=scope.municipality_id,
        dry_run=dry_run,
    )


def _check_and_import(run: ImportRun, *, spec: ImportSpec, path: Path, scope, user, write: bool):
    """Validate, and with `write` import a valid file, recording the outcome on `run` (saved).

    With `write` this runs in one transaction: the rows are read, checked against the
    database and written while no other import can interleave with this one's writes.
    """
    with transaction.atomic():
        plan = _plan(spec, path, run.file_name, scope)
        if not plan.ok or not write:
            _record(run, plan, status=ImportStatus.VALIDATED if plan.ok else ImportStatus.FAILED)
            run.save()
            return plan
        plan_write(plan, user=user, reason=_reason(run, user))
        _record(run, plan, status=ImportStatus.IMPORTED)
        run.dry_run = False
        run.recompute_municipality_ids = sorted(plan.recompute_municipality_ids)
        run.recompute_from = plan.recompute_from
        run.save()
        if run.needs_recompute:
            # After the commit, so the worker reads the imported rows; one task per file.
            spec.recompute_enqueue(
                run.recompute_municipality_ids, run.recompute_from, import_run_id=run.pk
            )
    return plan


def _fail(run: ImportRun, message: str) -> None:
    run.status = ImportStatus.FAILED
    run.errors = [{"row": FILE_ROW, "column": "", "message": str(message)}]
    run.error_count = 1
    run.finished_at = timezone.now()
    run.save()


def import_file(*, kind: str, path: Path, user, dry_run: bool, file_name: str = "") -> ImportResult:
    """Check the file at `path` and, unless `dry_run` or any row is bad, import it.

    Raises ImportNotAllowed when the user's role may not import this kind.
    """
    spec = spec_for(kind)
    scope = scope_for(user, spec=spec)
    run = _new_run(
        kind=kind,
        path=path,
        file_name=file_name or path.name,
        user=user,
        scope=scope,
        dry_run=dry_run,
    )
    try:
        plan = _check_and_import(
            run, spec=spec, path=path, scope=scope, user=user, write=not dry_run
        )
    except IntegrityError:
        _fail(run, CHANGED_MEANWHILE)
        return ImportResult(run=run, errors=[RowError(FILE_ROW, "", CHANGED_MEANWHILE)])
    return ImportResult(run=run, errors=plan.errors)


# The upload page ---------------------------------------------------------------------------


def upload_dir() -> Path:
    """Where uploads wait for their confirmation: private, outside static and media files."""
    directory = Path(settings.IMPORT_UPLOAD_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def stored_upload(run: ImportRun) -> Path:
    suffix = Path(run.file_name).suffix.lower()
    return upload_dir() / f"{run.pk}{suffix}"


def _purge_stale_uploads(directory: Path) -> None:
    cutoff = time.time() - UPLOAD_TTL
    for path in directory.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            pass  # removed by a concurrent request


def import_upload(*, kind: str, upload, user) -> ImportRun:
    """Store an uploaded file privately and check it: the preview (nothing is written).

    A valid file stays stored (named by the run's id) until it is confirmed or expires;
    a refused file is deleted right away. Raises ImportNotAllowed for a role that may not
    import this kind.
    """
    spec = spec_for(kind)
    scope = scope_for(user, spec=spec)
    directory = upload_dir()
    _purge_stale_uploads(directory)
    part = directory / f"{uuid.uuid4().hex}.part"
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    try:
        run = _new_run(
            kind=kind, path=part, file_name=upload.name, user=user, scope=scope, dry_run=True
        )
        _check_and_import(run, spec=spec, path=part, scope=scope, user=user, write=False)
        if run.status == ImportStatus.VALIDATED:
            shutil.move(part, stored_upload(run))
    finally:
        part.unlink(missing_ok=True)
    return run


def import_run_confirm(*, run: ImportRun, user) -> ImportRun:
    """Import a checked upload: check it again (the data may have changed since the preview)
    and write it, all or nothing. Only the user who uploaded it may confirm."""
    spec = spec_for(run.kind)
    scope = scope_for(user, spec=spec)
    path = stored_upload(run)
    with transaction.atomic():
        # Lock the run: a second click on "Bevestigen" waits, then finds it imported.
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.status != ImportStatus.VALIDATED or run.user_id != getattr(user, "pk", None):
            raise ImportStateError(_("Deze import is al uitgevoerd of afgekeurd."))
        if not path.exists():
            raise ImportStateError(
                _(
                    "Het bestand is niet meer beschikbaar (een upload blijft 24 uur bewaard); "
                    "upload het opnieuw."
                )
            )
        if _digest(path)[0] != run.sha256:
            path.unlink(missing_ok=True)
            raise ImportStateError(_("Het bewaarde bestand is gewijzigd; upload het opnieuw."))
        try:
            with transaction.atomic():
                _check_and_import(run, spec=spec, path=path, scope=scope, user=user, write=True)
        except IntegrityError:
            _fail(run, CHANGED_MEANWHILE)
    path.unlink(missing_ok=True)
    return run


# The recompute ---------------------------------------------------------------------------------


def import_run_recompute_pending(*, run_id: int) -> bool:
    """Whether the run's recompute is still to do (False for a redelivered task's run)."""
    return ImportRun.objects.filter(
        pk=run_id, status=ImportStatus.IMPORTED, recompute_finished_at__isnull=True
    ).exists()


def import_run_recomputed(*, run_id: int) -> None:
    """Stamp the run: its recompute is done, which the upload page's status shows. A run
    stamped already keeps its first stamp."""
    ImportRun.objects.filter(pk=run_id, recompute_finished_at__isnull=True).update(
        recompute_finished_at=timezone.now(), status=ImportStatus.RECOMPUTED
    )
