"""Where people look at permit holders: the overview, the dashboard with its outlook, the print
page, the exports and the province's overview, on the reference data (load_twente: the first
half of 2023 with appendix 3's shares, Enschede 193 and Hengelo 98, and the second half
following it)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from allocation.services import realisation_recompute
from municipalities.models import Municipality, SafetyRegion
from tests.capacity.permit_holder_factories import PermitHolderReportFactory
from tests.factories import UserFactory
from twente.dashboard.selectors import housing_outlook
from twente.overview import area_overview, overview_as_of

D = datetime.date


@pytest.fixture
def housing(twente):
    """Enschede and Hengelo report from January to March 2023; Enschede again in August."""
    enschede = Municipality.objects.get(code="GM0153")
    hengelo = Municipality.objects.get(code="GM0164")
    for municipality, day, housed, linked in [
        (enschede, D(2023, 1, 31), 25, 30),
        (enschede, D(2023, 3, 31), 40, 22),
        (hengelo, D(2023, 2, 28), 60, 5),
        (enschede, D(2023, 8, 15), 40, 10),
    ]:
        PermitHolderReportFactory(municipality=municipality, date=day, housed=housed, linked=linked)
    realisation_recompute()


@pytest.fixture
def coordinator_client(client, twente):
    client.force_login(UserFactory(username="coord-ph", role="coordinator"))
    return client


def _figures(overview, code: str):
    return next(m for m in overview.municipalities if m.code == code).group("permit_holders")


def test_the_overview_holds_permit_holders_to_the_persons_housed_as_of_the_date(housing):
    region = SafetyRegion.objects.get(code="VR05")
    overview = overview_as_of(region=region, on=D(2023, 3, 1))
    enschede = _figures(overview, "GM0153")
    assert (enschede.required, enschede.realised, enschede.gap) == (193, 25, 168)
    assert (enschede.linked, enschede.carried_over, enschede.counts_housed) == (30, 0, True)
    assert _figures(overview, "GM0141").realised == 0  # Almelo reported nothing
    group = overview.group("permit_holders")
    assert (group.required, group.realised, group.linked) == (764, 85, 35)
    assert group.gap == 764 - 85
    # Tasks of places count the operational places of their types: the regular asylum task
    # the AZCs (Hengelo 250, Almelo 394), not the CNO places.
    asylum = overview.group("asylum")
    assert (asylum.realised, asylum.operational) == (644, 644 + 379)


def test_after_the_deadline_the_next_half_year_carries_the_arrears(housing):
    overview = overview_as_of(region=SafetyRegion.objects.get(code="VR05"), on=D(2023, 9, 1))
    assert overview.tasks["permit_holders"].code == "permit-holders-2023-h2"
    enschede = _figures(overview, "GM0153")
    assert (enschede.carried_over, enschede.arrears, enschede.realised) == (193 - 65, 128, 40)
    hengelo = _figures(overview, "GM0164")
    assert hengelo.carried_over == 98 - 60
    group = overview.group("permit_holders")
    assert group.carried_over == 764 - 125
    assert group.required == 786 + 764 - 125


def test_the_outlook_names_the_municipalities_that_will_not_make_the_half_year(housing):
    # 1 April: 13 weeks done, 90 days (12 6/7 weeks) to go.
    overview = overview_as_of(region=SafetyRegion.objects.get(code="VR05"), on=D(2023, 4, 1))
    outlook = housing_outlook(overview)
    assert (outlook.weeks_done, outlook.weeks_left) == (Decimal(13), Decimal(90) / 7)
    behind = {row.code: row for row in outlook.behind}
    # Enschede: 65 in 13 weeks is 5 a week; 65 + 5 × 12.86 = 129, short of 193.
    assert behind["GM0153"].per_week == 5
    assert (behind["GM0153"].projected, behind["GM0153"].short) == (129, 64)
    assert behind["GM0153"].needed_per_week == Decimal(193 - 65) / (Decimal(90) / 7)
    # Hengelo: 60 in 13 weeks, at that pace 119 by the deadline: it makes its 98.
    assert "GM0164" not in behind
    # Those that housed nobody will not make it either; the largest shortfall comes first:
    # Almelo's 88, before Enschede's 64.
    assert len(outlook.behind) == 13
    assert [row.code for row in outlook.behind[:2]] == ["GM0141", "GM0153"]


def test_after_the_deadline_the_outlook_is_the_final_result(housing):
    overview = overview_as_of(region=SafetyRegion.objects.get(code="VR05"), on=D(2023, 6, 30))
    outlook = housing_outlook(overview)
    assert outlook.ended
    assert [row.code for row in outlook.behind][:1] == ["GM0153"]
    assert outlook.behind[0].projected == 65


def test_there_is_no_outlook_before_the_period_starts(twente):
    overview = overview_as_of(region=SafetyRegion.objects.get(code="VR05"), on=D(2022, 12, 1))
    # The first half year's task is not in force before its period starts (issue 23).
    assert "permit_holders" not in overview.tasks
    assert housing_outlook(overview) is None


def test_the_dashboard_shows_housing_pipeline_carry_over_and_outlook(housing, coordinator_client):
    content = coordinator_client.get("/", {"date": "2023-04-01"}).content.decode()
    assert 'data-testid="housing-outlook"' in content
    behind = content[content.index('data-testid="housing-behind"') :]
    enschede = behind[behind.index('data-municipality="GM0153"') :]
    assert 'data-field="projected">129<' in enschede[: enschede.index("</tr>")]
    progress = content[content.index('data-testid="progress-table"') :]
    row = progress[progress.index('data-municipality="GM0153"') :]
    cell = row[row.index('data-field="permit_holders_progress"') :]
    assert "65 van 193 gehuisvest" in cell[: cell.index("</td>")]
    assert "22 gekoppeld" in cell[: cell.index("</td>")]
    groups = content[content.index('data-testid="target-group-table"') :]
    row = groups[groups.index('data-target-group="permit_holders"') :]
    assert 'data-field="realised">125 <span class="dashboard-muted">gehuisvest' in row


def test_the_print_page_shows_the_same(housing, coordinator_client):
    content = coordinator_client.get("/dashboard/print/", {"date": "2023-09-01"}).content.decode()
    assert "639 achterstand uit de vorige periode" in content  # the region's: 764 - 125
    assert 'data-testid="housing-outlook"' in content
    assert "Huisvesting statushouders melden" not in content  # no links on paper


def test_the_exports_carry_housed_pipeline_and_carry_over(housing, coordinator_client):
    response = coordinator_client.get(
        "/dashboard/export/", {"table": "municipalities", "format": "csv", "date": "2023-09-01"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    enschede = next(row for row in rows if row["CBS-code"] == "GM0153")
    assert enschede["Statushouders: gerealiseerd"] == "40"
    assert enschede["Statushouders: gekoppeld"] == "10"
    assert enschede["Statushouders: meegenomen uit vorige taakstelling"] == "128"
    groups = coordinator_client.get(
        "/dashboard/export/", {"table": "target_groups", "format": "csv", "date": "2023-03-01"}
    )
    rows = list(csv.DictReader(io.StringIO(groups.content.decode("utf-8-sig")), delimiter=";"))
    permit_holders = next(row for row in rows if row["Doelgroep"] == "Statushouders")
    assert (permit_holders["Gerealiseerd"], permit_holders["Gekoppeld"]) == ("85", "35")
    assert permit_holders["Tekort"] == str(764 - 85)
    assert permit_holders["Begindatum"] == "01-01-2023"


def test_the_overview_api_shows_permit_holders_as_persons_housed(housing, api_client):
    api_client.force_authenticate(UserFactory(username="prov-ph", role="provincial_reader"))
    body = api_client.get("/api/v1/overview", {"date": "2023-03-01"}).json()
    group = next(row for row in body["target_groups"] if row["target_group"] == "permit_holders")
    assert {key: group[key] for key in ("required", "realisation", "realised", "linked")} == {
        "required": 764,
        "realisation": "housed",
        "realised": 85,
        "linked": 35,
    }
    assert (group["carried_over"], group["gap"]) == (0, 764 - 85)


def test_the_province_overview_sums_the_regions_housing(housing, api_client):
    overview = area_overview(
        province=SafetyRegion.objects.get(code="VR05").province, on=D(2023, 3, 1)
    )
    twente = next(region for region in overview.regions if region.code == "VR05")
    figures = twente.group("permit_holders")
    assert (figures.required, figures.realised, figures.linked) == (764, 85, 35)
    # IJsselland has no permit-holder task in the reference data: nothing to count against.
    ijsselland = next(region for region in overview.regions if region.code == "VR04")
    assert ijsselland.group("permit_holders").realised is None
    province = overview.group("permit_holders")
    assert (province.required, province.realised, province.gap) == (764, 85, 764 - 85)
    api_client.force_authenticate(UserFactory(username="prov-ph", role="provincial_reader"))
    body = api_client.get("/api/v1/overview/province", {"date": "2023-03-01"}).json()
    group = next(row for row in body["target_groups"] if row["target_group"] == "permit_holders")
    assert (group["realised"], group["linked"], group["realisation"]) == (85, 35, "housed")


def test_the_province_page_shows_housed_against_task(housing, coordinator_client):
    content = coordinator_client.get("/dashboard/province/", {"date": "2023-03-01"}).content
    assert "85 van 764 gehuisvest, 35 gekoppeld" in content.decode()
