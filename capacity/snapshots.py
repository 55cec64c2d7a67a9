"""The occupancy snapshots of a set of municipalities, rebuilt by one set-based statement.

`rebuild` deletes the rows from `from_date` on and writes them again with one
`INSERT ... SELECT`, on PostgreSQL and SQLite alike (both have window functions), instead of
one grouped query per change date: a national rebuild was 975 queries that each read the whole
report table (issue 18).

What the statement computes, step by step (the CTEs below, in order):

- `days`: per municipality, the dates on which its figures can change: a report date, an
  opening date, the day after a contract end (lifecycle.change_dates), and `from_date`.
- `probes`: each location operational on such a day by the lifecycle rule
  (lifecycle.operational_q: running or closed, opened, not past its contract end).
- `asof`: the latest report of each probed location on or before the day. Probes and reports
  go into one stream ordered per location by date, reports before probes of the same day, and a
  running MAX of the report dates carries each location's latest report forward: one sort
  instead of a correlated "latest report" subquery per location and day.
- `computed`: per municipality, target group and day the count of locations with a report,
  their summed places and the latest report date; a target group without locations gives zeros.
- `written`: only rows that differ from the row before them (for the first rebuilt day: from the
  row still valid on the day before `from_date`, or zeros), so an unchanged day adds nothing.
- `valid_until` of each written row is the date of the next written row.

tests/capacity/test_snapshots.py holds it to the day-by-day rebuild it replaced.
"""

import datetime
from collections.abc import Sequence

from django.db import connection

from .choices import LocationStatus, TargetGroup
from .models import CapacityReport, Location, OccupancySnapshot


def rebuild(*, municipality_ids: Sequence[int], from_date: datetime.date | None) -> int:
    """Rewrite the snapshots of these municipalities from `from_date` (None: all of them).

    Runs inside the caller's transaction (which holds the municipalities' row locks). Returns
    the number of rows written."""
    ids = sorted(set(municipality_ids))
    if not ids:
        return 0
    snapshot = OccupancySnapshot._meta.db_table
    in_ids = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        if from_date is None:
            cursor.execute(f"DELETE FROM {snapshot} WHERE municipality_id IN ({in_ids})", ids)
        else:
            cursor.execute(
                f"DELETE FROM {snapshot} WHERE municipality_id IN ({in_ids}) AND date >= %s",
                [*ids, _param(from_date)],
            )
        sql, params = _insert_statement(ids, from_date)
        cursor.execute(sql, params)
        written = cursor.rowcount
        if from_date is not None:
            # A row still valid on from_date now ends where its first rebuilt successor starts.
            cursor.execute(
                f"""
                UPDATE {snapshot} SET valid_until = (
                    SELECT MIN(next.date) FROM {snapshot} next
                    WHERE next.municipality_id = {snapshot}.municipality_id
                      AND next.target_group = {snapshot}.target_group
                      AND next.date >= %s
                )
                WHERE municipality_id IN ({in_ids}) AND date < %s
                  AND (valid_until IS NULL OR valid_until >= %s)
                """,
                [_param(from_date), *ids, _param(from_date), _param(from_date)],
            )
    return written


def _param(day: datetime.date):
    # SQLite stores dates as ISO text; comparing against text keeps its indexes usable.
    return day.isoformat() if connection.vendor == "sqlite" else day


def _day_after(column: str) -> str:
    if connection.vendor == "sqlite":
        return f"date({column}, '+1 day')"
    return f"({column} + 1)"


def _insert_statement(ids: list[int], from_date: datetime.date | None) -> tuple[str, list]:
    report = CapacityReport._meta.db_table
    location = Location._meta.db_table
    snapshot = OccupancySnapshot._meta.db_table
    in_ids = ", ".join(["%s"] * len(ids))
    groups = ", ".join(["(%s)"] * len(TargetGroup.values))
    running = [LocationStatus.OPERATIONAL.value, LocationStatus.CLOSED.value]
    after_end = _day_after("contract_end")
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    params: list = []

    # Only the reports the rebuilt days can see: from from_date on, and each location's latest
    # one before it (the figures it carries into from_date).
    if from_date is None:
        reports_sql = f"""
            SELECT r.id, r.location_id, r.date FROM {report} r
            JOIN {location} l ON l.id = r.location_id WHERE l.municipality_id IN ({in_ids})"""
        params += ids
        days_from = ""
        from_day = ""
        carried_sql = f"""
            SELECT municipality_id AS m, target_group AS g, locations AS n, capacity, occupied,
                   reserved, last_report_date AS last_report
            FROM {snapshot} WHERE 1 = 0"""
    else:
        start = _param(from_date)
        reports_sql = f"""
            SELECT r.id, r.location_id, r.date FROM {report} r
            JOIN {location} l ON l.id = r.location_id
            WHERE l.municipality_id IN ({in_ids}) AND r.date >= %s
            UNION ALL
            SELECT r.id, r.location_id, r.date FROM {report} r
            JOIN (
                SELECT r2.location_id, MAX(r2.date) AS date FROM {report} r2
                JOIN {location} l ON l.id = r2.location_id
                WHERE l.municipality_id IN ({in_ids}) AND r2.date < %s
                GROUP BY r2.location_id
            ) before ON before.location_id = r.location_id AND before.date = r.date"""
        params += [*ids, start, *ids, start]
        days_from = " AND {column} >= %s"
        from_day = " UNION SELECT m, %s FROM ids"
        carried_sql = f"""
            SELECT municipality_id AS m, target_group AS g, locations AS n, capacity, occupied,
                   reserved, last_report_date AS last_report
            FROM {snapshot}
            WHERE municipality_id IN ({in_ids}) AND date < %s
              AND (valid_until IS NULL OR valid_until >= %s)"""

    def since(column: str) -> str:
        return days_from.format(column=column)

    sql = f"""
    INSERT INTO {snapshot}
        (municipality_id, target_group, date, valid_until, locations, capacity, occupied,
         reserved, last_report_date)
    WITH
    ids(m) AS (VALUES {", ".join(["(%s)"] * len(ids))}),
    target_groups(g) AS (VALUES {groups}),
    reports AS ({reports_sql}),
    days AS (
        SELECT DISTINCT l.municipality_id AS m, r.date AS day
        FROM reports r JOIN {location} l ON l.id = r.location_id
        WHERE 1 = 1{since("r.date")}
        UNION
        SELECT municipality_id, opened_on FROM {location}
        WHERE municipality_id IN ({in_ids}) AND opened_on IS NOT NULL{since("opened_on")}
        UNION
        SELECT municipality_id, {after_end} FROM {location}
        WHERE municipality_id IN ({in_ids}) AND contract_end IS NOT NULL{since(after_end)}
        {from_day}
    ),
    probes AS (
        SELECT l.id AS location_id, d.m, l.target_group AS g, d.day
        FROM days d JOIN {location} l ON l.municipality_id = d.m
        WHERE l.status IN (%s, %s)
          AND (l.opened_on IS NULL OR l.opened_on <= d.day)
          AND (l.contract_end IS NULL OR l.contract_end >= d.day)
    ),
    stream AS (
        SELECT location_id, m, g, day, 1 AS probe, NULL AS report_date FROM probes
        UNION ALL
        SELECT location_id, NULL, NULL, date, 0, date FROM reports
    ),
    asof AS (
        SELECT location_id, m, g, day, probe,
               MAX(report_date) OVER (
                   PARTITION BY location_id ORDER BY day, probe ROWS UNBOUNDED PRECEDING
               ) AS latest
        FROM stream
    ),
    totals AS (
        SELECT a.m, a.g, a.day, COUNT(r.id) AS n, SUM(r.capacity) AS capacity,
               SUM(r.occupied) AS occupied, SUM(r.reserved) AS reserved,
               MAX(r.date) AS last_report
        FROM asof a JOIN {report} r ON r.location_id = a.location_id AND r.date = a.latest
        WHERE a.probe = 1
        GROUP BY a.m, a.g, a.day
    ),
    computed AS (
        SELECT d.m, tg.g, d.day,
               COALESCE(t.n, 0) AS n, COALESCE(t.capacity, 0) AS capacity,
               COALESCE(t.occupied, 0) AS occupied, COALESCE(t.reserved, 0) AS reserved,
               t.last_report,
               ROW_NUMBER() OVER w AS position,
               LAG(COALESCE(t.n, 0)) OVER w AS prev_n,
               LAG(COALESCE(t.capacity, 0)) OVER w AS prev_capacity,
               LAG(COALESCE(t.occupied, 0)) OVER w AS prev_occupied,
               LAG(COALESCE(t.reserved, 0)) OVER w AS prev_reserved,
               LAG(t.last_report) OVER w AS prev_last_report
        FROM days d CROSS JOIN target_groups tg
        LEFT JOIN totals t ON t.m = d.m AND t.g = tg.g AND t.day = d.day
        WINDOW w AS (PARTITION BY d.m, tg.g ORDER BY d.day)
    ),
    carried AS ({carried_sql}),
    compared AS (
        SELECT c.*,
               CASE WHEN c.position = 1 THEN COALESCE(k.n, 0) ELSE c.prev_n END AS before_n,
               CASE WHEN c.position = 1 THEN COALESCE(k.capacity, 0)
                    ELSE c.prev_capacity END AS before_capacity,
               CASE WHEN c.position = 1 THEN COALESCE(k.occupied, 0)
                    ELSE c.prev_occupied END AS before_occupied,
               CASE WHEN c.position = 1 THEN COALESCE(k.reserved, 0)
                    ELSE c.prev_reserved END AS before_reserved,
               CASE WHEN c.position = 1 THEN k.last_report
                    ELSE c.prev_last_report END AS before_last_report
        FROM computed c LEFT JOIN carried k ON k.m = c.m AND k.g = c.g
    ),
    written AS (
        SELECT m, g, day, n, capacity, occupied, reserved, last_report
        FROM compared
        WHERE n <> before_n OR capacity <> before_capacity OR occupied <> before_occupied
           OR reserved <> before_reserved OR last_report {distinct} before_last_report
    )
    SELECT m, g, day, LEAD(day) OVER (PARTITION BY m, g ORDER BY day), n, capacity, occupied,
           reserved, last_report
    FROM written
    """
    # The placeholders in the order they appear in the statement.
    ordered: list = [*ids, *TargetGroup.values, *params]
    if from_date is None:
        ordered += [*ids, *ids]
        ordered += running
    else:
        start = _param(from_date)
        ordered += [start]  # days: report dates since
        ordered += [*ids, start]  # opening dates since
        ordered += [*ids, start]  # days after a contract end since
        ordered += [start]  # from_date itself
        ordered += running
        ordered += [*ids, start, start]  # carried
    return sql, ordered
