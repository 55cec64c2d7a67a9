"""One read model (`capacity.figures.FigureSet`): the overview API, the dashboard and the
province page, fed the same data, show the same numbers."""

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from capacity.choices import LocationType, TargetGroup
from capacity.models import CapacityReport
from tests.dashboard.factories import (
    adopted_task,
    days_ago,
    location_with_reports,
    snapshots_recompute,
    today,
)
from tests.factories import UserFactory

FIELDS = ("required", "realised", "operational", "occupied", "free", "rate", "gap")


@pytest.fixture
def twente_figures(region):
    adopted_task(code="asylum-task", total=900, deadline=today(), location_types=["azc"])
    location_with_reports("AZC-ALM", "GM0141", [(days_ago(3), 394, 374)], type=LocationType.AZC)
    location_with_reports("CNO-ENS", "GM0153", [(days_ago(2), 120, 119)], type=LocationType.CNO)
    ukraine = location_with_reports(
        "UKR-HGL", "GM0164", [(days_ago(1), 1000, 889)], target_group=TargetGroup.UKRAINE
    )
    CapacityReport.objects.filter(location=ukraine).update(reserved=11)
    snapshots_recompute()


def _number(cell: str) -> str:
    text = re.sub(r"<[^>]+>", " ", cell)
    found = re.search(r"-?[\d.]+(,\d+)?%?", text)
    if found is None:
        return "-"
    return found.group(0).replace(".", "").replace(",", ".")


def _rows(html: str, table: str) -> dict[str, dict[str, str]]:
    """{target group: {field: the number as shown}} of the table with data-testid=`table`
    (dashboard) or the first table with per-group rows (province page)."""
    if table:
        html = html[html.index(f'data-testid="{table}"') :]
    html = html[: html.index("</tbody>")]
    rows = {}
    for group, body in re.findall(r'data-target-group="(\w+)">(.*?)</tr>', html, re.S):
        cells = dict(re.findall(r'data-field="(\w+)">(.*?)</td>', body, re.S))
        rows[group] = {field: _number(cells[field]) for field in FIELDS}
    return rows


def _percent(occupied: int, operational: int) -> str:
    if not operational:
        return "-"
    exact = Decimal(occupied) * 100 / Decimal(operational)
    return f"{exact.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _shown(value) -> str:
    return "-" if value is None else str(value)


def test_the_api_the_dashboard_and_the_province_page_show_the_same_figures(
    client, api_client, twente_figures
):
    user = UserFactory(username="coord", role="coordinator")
    api_client.force_authenticate(user)
    client.force_login(user)

    api = {
        row["target_group"]: row
        for row in api_client.get("/api/v1/overview", {"region": "VR05"}).json()["target_groups"]
    }
    dashboard = _rows(client.get(reverse("home")).content.decode(), "target-group-table")
    province = client.get(reverse("dashboard:province"), {"province": "PV23"})
    # Twente is the only region of Overijssel with figures here: the province's are Twente's.
    area = _rows(province.content.decode(), "")

    reserved = {"asylum": 0, "permit_holders": 0, "ukraine": 11}
    for group in TargetGroup.values:
        figures = api[group]
        expected = {
            "required": _shown(figures["required"]),
            "realised": _shown(figures["realised"]),
            "operational": str(figures["operational"]),
            "occupied": str(figures["occupied"]),
            "free": str(max(figures["operational"] - figures["occupied"] - reserved[group], 0)),
            "rate": _percent(figures["occupied"], figures["operational"]),
            "gap": _shown(figures["gap"]),
        }
        assert dashboard[group] == expected, group
        assert area[group] == expected, group

    asylum = api["asylum"]
    # The task counts AZC places only: the CNO's 120 are operational, not realised.
    assert (asylum["operational"], asylum["realised"], asylum["gap"]) == (514, 394, 506)
    assert asylum["occupancy_rate"] == 0.96  # 493 / 514
    assert (api["ukraine"]["occupancy_rate"], dashboard["ukraine"]["free"]) == (0.89, "100")
