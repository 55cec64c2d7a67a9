"""New capacity reports written at COPY speed (PostgreSQL), each with its history record.

A large import wrote its new reports with django-simple-history's `bulk_create_with_history`:
two model instances per row, every field prepared in Python, and the values sent as query text
(86 % of a national import, issue 18). Here the rows go into a temporary table with psycopg's
`COPY`, and one statement moves them into the report table and writes their history records
(`WITH inserted AS (INSERT ... RETURNING ...) INSERT INTO history SELECT ...`), inside the
caller's transaction, so the import stays all or nothing. The constraints of the report
table (one report per location and day, the count checks) hold as for any insert.
"""

import datetime
from collections.abc import Iterable

from django.db import connection

from .models import CapacityReport

# (location_id, date, capacity, occupied, reserved, flagged, flag_reason)
ReportRow = tuple[int, datetime.date, int, int, int, bool, str]

_STAGING = "capacity_report_staging"


def copy_supported() -> bool:
    return connection.vendor == "postgresql"


def insert_new_reports(
    rows: Iterable[ReportRow],
    *,
    source: str,
    user_id: int | None,
    reason: str,
    now: datetime.datetime,
) -> int:
    """Insert these reports (none may exist yet) and their "+" history records; returns the
    number inserted."""
    report = CapacityReport._meta.db_table
    history = CapacityReport.history.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGING} (
                location_id bigint NOT NULL, date date NOT NULL, capacity integer NOT NULL,
                occupied integer NOT NULL, reserved integer NOT NULL, flagged boolean NOT NULL,
                flag_reason text NOT NULL
            ) ON COMMIT DROP
            """
        )
        cursor.execute(f"TRUNCATE {_STAGING}")
        columns = "location_id, date, capacity, occupied, reserved, flagged, flag_reason"
        with cursor.cursor.copy(f"COPY {_STAGING} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"""
            WITH inserted AS (
                INSERT INTO {report}
                    (location_id, date, capacity, occupied, reserved, source, reported_by_id,
                     flagged, flag_reason, version, created, updated)
                SELECT location_id, date, capacity, occupied, reserved, %(source)s, %(user)s,
                       flagged, flag_reason, 1, %(now)s, %(now)s
                FROM {_STAGING}
                ORDER BY location_id, date
                RETURNING id, location_id, date, capacity, occupied, reserved, source,
                          reported_by_id, flagged, flag_reason, version
            )
            INSERT INTO {history}
                (id, location_id, date, capacity, occupied, reserved, source, reported_by_id,
                 flagged, flag_reason, version, history_date, history_change_reason,
                 history_type, history_user_id)
            SELECT id, location_id, date, capacity, occupied, reserved, source, reported_by_id,
                   flagged, flag_reason, version, %(now)s, %(reason)s, '+', %(user)s
            FROM inserted
            """,
            {"source": source, "user": user_id, "now": now, "reason": reason},
        )
        inserted = cursor.rowcount
        cursor.execute(f"TRUNCATE {_STAGING}")
    return inserted
