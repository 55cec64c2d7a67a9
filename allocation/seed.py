"""Seed data of `load_twente`: the tasks of twente/fixtures/assignments.json and the
provincial tasks of provincial_tasks.json (see the fixtures' README).

Safe to rerun: assignments are matched on their code and only written when a value differs;
the fixture's agreed shares are set again, agreements the fixture does not mention are left
alone. Realisation is computed straight away (capacity is seeded before this loader).
"""

import datetime
import json
from pathlib import Path

from django.db import transaction

from municipalities.models import Province, SafetyRegion

from .choices import AssignmentStatus, ShareStatus
from .models import Assignment, ProvincialTask
from .services import (
    assignment_adopt,
    assignment_create,
    assignment_update,
    provincial_task_create,
    provincial_task_split,
    realisation_recompute,
    shares_agree,
    shares_set_status,
)

# The fixture holds Twente's tasks only.
REGION_CODE = "VR05"


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def load(*, directory: Path) -> dict[str, int]:
    items = json.loads((directory / "assignments.json").read_text(encoding="utf-8"))
    region = SafetyRegion.objects.get(code=REGION_CODE)
    existing = Assignment.objects.in_bulk([item["code"] for item in items], field_name="code")
    ids = []
    for item in items:
        # A task follows, or is a part of, one listed before it in the file.
        follows = existing[item["follows"]] if item.get("follows") else None
        parent = existing[item["parent"]] if item.get("parent") else None
        fields = {
            "title": item["title"],
            "target_group": item["target_group"],
            "issuer": item["issuer"],
            "region": region,
            "total": item["total"],
            "location_types": item.get("location_types", []),
            "starts_on": _date(item.get("starts_on")),
            "realise_by": _date(item.get("realise_by")),
            "available_from": _date(item.get("available_from")),
            "available_until": _date(item.get("available_until")),
            "parent": parent,
            "follows": follows,
            "reference_date": _date(item.get("reference_date")),
            "key": item.get("key", "population"),
            "method": item.get("method", "largest_remainder"),
            "minimum": item.get("minimum", 0),
            "maximum": item.get("maximum"),
            "minimums": item.get("minimums", {}),
            "maximums": item.get("maximums", {}),
            "credits": item.get("credits", {}),
            "exclude": item.get("exclude", []),
            "weights": item.get("weights", {}),
            "notes": item.get("agreed_reason", ""),
            "source": item.get("source", ""),
        }
        assignment = existing.get(item["code"])
        if assignment is None:
            assignment = assignment_create(code=item["code"], **fields)
        else:
            assignment_update(assignment=assignment, **fields)
        agreed = item.get("agreed_shares") or {}
        if agreed:
            reason = item.get("agreed_reason", "")
            shares_agree(
                assignment=assignment,
                agreed={code: (places, reason) for code, places in agreed.items()},
            )
        # The fixture's status of the shares; a status set since (not the default) is kept.
        share_status = item.get("share_status", ShareStatus.INDICATIVE)
        if share_status != ShareStatus.INDICATIVE:
            shares_set_status(
                assignment=assignment,
                statuses={
                    share.municipality.code: share_status
                    for share in assignment.shares.select_related("municipality")
                    if share.status == ShareStatus.INDICATIVE and share.agreed_share is None
                },
            )
        # A task the nightly job has since closed stays closed on a rerun.
        if (
            item.get("status") == AssignmentStatus.ADOPTED
            and assignment.status == AssignmentStatus.DRAFT
        ):
            assignment = assignment_adopt(assignment=assignment)
        existing[item["code"]] = assignment
        ids.append(assignment.pk)
    realisation_recompute(assignment_ids=ids)
    provincial = _provincial_load(directory=directory, assignments=existing)
    return {"assignments": len(ids), "provincial_tasks": provincial}


def _provincial_load(*, directory: Path, assignments: dict[str, Assignment]) -> int:
    path = directory / "provincial_tasks.json"
    if not path.exists():
        return 0
    items = json.loads(path.read_text(encoding="utf-8"))
    existing = ProvincialTask.objects.in_bulk([item["code"] for item in items], field_name="code")
    for item in items:
        fields = {
            "title": item["title"],
            "target_group": item["target_group"],
            "issuer": item["issuer"],
            "province": Province.objects.get(code=item["province"]),
            "total": item["total"],
            "location_types": item.get("location_types", []),
            "realise_by": _date(item.get("realise_by")),
            "available_from": _date(item.get("available_from")),
            "available_until": _date(item.get("available_until")),
            "key": item.get("key", "population"),
            "weights": item.get("weights", {}),
            "reference_date": _date(item.get("reference_date")),
            "source": item.get("source", ""),
        }
        task = existing.get(item["code"])
        if task is None:
            task = provincial_task_create(code=item["code"], **fields)
        else:
            changed = [name for name, value in fields.items() if getattr(task, name) != value]
            for name in changed:
                setattr(task, name, fields[name])
            if changed:
                task.full_clean()
                task.save()
        reason = item.get("agreed_reason", "")
        provincial_task_split(
            task=task,
            agreed={
                code: (places, reason) for code, places in item.get("agreed_parts", {}).items()
            },
            assignments={
                region: assignments[code] for region, code in item.get("assignments", {}).items()
            },
        )
        if item.get("status") == AssignmentStatus.ADOPTED and task.status == AssignmentStatus.DRAFT:
            task.status = AssignmentStatus.ADOPTED
            task.save(update_fields=["status", "updated_at"])
    return len(items)
