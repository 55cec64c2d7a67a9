"""The meetings of the seed documents (twente/fixtures/meetings.json), loaded by `load_twente`.

The bodies are Twente's: the TRA and the BAO meet in safety region VR05, the PRT is the
provincial table of Overijssel (PV23).

Safe to rerun: bodies are matched on (code, region or province), meetings on (body, date),
agenda items on (meeting, number), entries and attachments on (item, position), attendance on
(meeting, position); a row whose values are already right is not written again. Workflow state
the secretary may have changed since (the status of a meeting or an action) is only set when the
row is first created.

In held meetings the running text of an item is what was said, so it goes to `notes`; in a
planned meeting it is the agenda's annotation.
"""

import datetime
import json
from pathlib import Path

from django.db import models, transaction

from allocation.models import Assignment
from municipalities.models import Municipality, Province, SafetyRegion

from .models import (
    ActionStatus,
    AgendaItem,
    Attachment,
    Attendance,
    Body,
    Entry,
    EntryKind,
    Meeting,
    MeetingStatus,
    Portfolio,
    PortfolioTheme,
)
from .services import attendance_prefill

TWENTE = "VR05"
OVERIJSSEL = "PV23"
# code: (name, attendance per municipality, provincial)
BODIES = {
    "TRA": ("Twentse Regietafel Asielinstroom", True, False),
    "BAO": ("Bestuurlijk Afstemmingsoverleg", True, False),
    "PRT": ("Provinciale Regietafel Vluchtelingen Overijssel", False, True),
}

# Decisions in the seeds that created or changed a task of twente/fixtures/assignments.json, by
# (body, date, item number, entry position). Linked when the assignment has been loaded.
DECISION_ASSIGNMENTS = {
    # "In Twente wordt uitvoering gegeven aan optie 3": 225 asylum seekers over the 14.
    ("BAO", "2022-07-07", "10.3", 1): "asylum-cno-2022-10",
    # "Om de 3000 opvangplekken voor ontheemden blijvend te realiseren ...".
    ("BAO", "2022-07-07", "10.2", 2): "ukraine-2022-12",
}


# The portfolios the seeds name concretely, as (body, theme, title, holder codes). The TRA
# pack of 24 January 2024 (Agenda met bijlagen TRA 24 januari 2024) proposes to work with
# portfolios and names only one as
# already held: "een faciliterende portefeuille voor de centrale coördinatie (die portefeuille
# is belegd bij de gemeente Wierden)". Wonen, onderwijs and arbeidsmarkt are examples there,
# to be worked out in a later proposal, with no holders or spearheads yet: not seeded.
PORTFOLIOS = [("TRA", PortfolioTheme.COORDINATION, "", ("GM0189",))]


def _upsert(
    model: type[models.Model], lookup: dict, values: dict, initial: dict | None = None
) -> tuple[models.Model, bool]:
    """Get or create the row matching `lookup`; set `values` (and `initial` when creating),
    validate, and save only when something differs. Returns (row, written)."""
    obj = model.objects.filter(**lookup).first()
    creating = obj is None
    if creating:
        obj = model(**lookup, **(initial or {}))
    changed = creating
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if changed:
        obj.full_clean()
        obj.save()
    return obj, changed


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _time(value: str | None) -> datetime.time | None:
    return datetime.time.fromisoformat(value) if value else None


@transaction.atomic
def load(*, directory: Path) -> dict[str, int]:
    data = json.loads((directory / "meetings.json").read_text(encoding="utf-8"))
    municipalities = {m.code: m for m in Municipality.objects.all()}
    assignments = Assignment.objects.in_bulk(set(DECISION_ASSIGNMENTS.values()), field_name="code")
    twente = SafetyRegion.objects.get(code=TWENTE)
    overijssel = Province.objects.get(code=OVERIJSSEL)
    bodies = {}
    for code, (name, municipal_attendance, provincial) in BODIES.items():
        area = {"province": overijssel} if provincial else {"safety_region": twente}
        bodies[code], _ = _upsert(
            Body,
            {"code": code, **area},
            {"name": name, "municipal_attendance": municipal_attendance},
        )
    counts = {"meetings": 0, "agenda_items": 0, "meeting_entries": 0}
    loaded: list[tuple[Meeting, dict]] = []
    for row in data:
        body = bodies.get(row["body"])
        if body is None:
            body, _ = _upsert(
                Body, {"code": row["body"], "safety_region": twente}, {"name": row["body"]}
            )
            bodies[row["body"]] = body
        meeting, _ = _upsert(
            Meeting,
            {"body": body, "date": _date(row["date"])},
            {
                "start_time": _time(row.get("start")),
                "end_time": _time(row.get("end")),
                "venue": row.get("venue", ""),
                "chair": row.get("chair", ""),
                "next_meeting_on": _date(row.get("next_meeting")),
            },
            initial={"status": row.get("status") or MeetingStatus.PLANNED},
        )
        loaded.append((meeting, row))
        counts["meetings"] += 1
        held = (row.get("status") or MeetingStatus.PLANNED) != MeetingStatus.PLANNED
        for position, item_row in enumerate(row["agenda_items"], start=1):
            links = {
                n: assignments.get(code)
                for (body_code, date, number, n), code in DECISION_ASSIGNMENTS.items()
                if (body_code, date, number) == (row["body"], row["date"], item_row["number"])
            }
            _load_item(
                meeting,
                position,
                item_row,
                held=held,
                municipalities=municipalities,
                assignments=links,
            )
            counts["agenda_items"] += 1
            counts["meeting_entries"] += len(item_row["entries"])
        _load_attendance(meeting, row["attendance"], municipalities)
        if not row["attendance"] and meeting.status == MeetingStatus.PLANNED:
            attendance_prefill(meeting=meeting)
    # Approvals name another meeting, so they are set once every meeting exists.
    for meeting, row in loaded:
        approved_at = _date(row.get("approved_at_meeting"))
        if approved_at and meeting.minutes_approved_at_id is None:
            meeting.minutes_approved_at = Meeting.objects.get(body=meeting.body, date=approved_at)
            meeting.status = MeetingStatus.APPROVED
            meeting.full_clean()
            meeting.save()
    counts["portfolios"] = _load_portfolios(bodies, municipalities)
    return counts


def _load_portfolios(bodies: dict, municipalities: dict) -> int:
    loaded = 0
    for body_code, theme, title, holder_codes in PORTFOLIOS:
        holders = [municipalities[code] for code in holder_codes if code in municipalities]
        if body_code not in bodies or not holders:
            continue
        portfolio, created = Portfolio.objects.get_or_create(
            body=bodies[body_code], theme=theme, title=title
        )
        if created:
            portfolio.holders.set(holders)
        loaded += 1
    return loaded


def _load_item(
    meeting: Meeting,
    position: int,
    row: dict,
    *,
    held: bool,
    municipalities: dict[str, Municipality],
    assignments: dict[int, Assignment | None],
) -> None:
    text = row.get("annotation", "")
    item, _ = _upsert(
        AgendaItem,
        {"meeting": meeting, "number": row["number"]},
        {
            "position": position,
            "heading": row.get("heading", ""),
            "title": row["title"],
            "annotation": "" if held else text,
            "notes": text if held else "",
        },
    )
    wanted = {municipalities[code].pk for code in row["municipalities"] if code in municipalities}
    if set(item.municipalities.values_list("pk", flat=True)) != wanted:
        item.municipalities.set(wanted)
    for n, label in enumerate(row["attachments"], start=1):
        _upsert(Attachment, {"item": item, "position": n}, {"label": label})
    for n, entry in enumerate(row["entries"], start=1):
        is_action = entry["kind"] == EntryKind.ACTION
        values = {
            "kind": entry["kind"],
            "text": entry["text"],
            "explanation": entry.get("explanation", ""),
            "owner": entry.get("owner", "") if is_action else "",
            "due_date": _date(entry.get("due_date")) if is_action else None,
        }
        if assignments.get(n) is not None:
            values["assignment"] = assignments[n]
        _upsert(
            Entry,
            {"item": item, "position": n},
            values,
            initial={"status": (entry.get("status") or ActionStatus.OPEN) if is_action else ""},
        )


def _load_attendance(
    meeting: Meeting, rows: list[dict], municipalities: dict[str, Municipality]
) -> None:
    for n, row in enumerate(rows, start=1):
        municipality = municipalities.get(row.get("municipality") or "")
        organisation = row.get("organisation", "")
        if municipality is not None and organisation == municipality.name:
            organisation = ""
        _upsert(
            Attendance,
            {"meeting": meeting, "position": n},
            {
                "municipality": municipality,
                "organisation": organisation,
                "person": row.get("person", ""),
                "role": row.get("role", ""),
                "presence": row.get("presence", ""),
            },
        )
