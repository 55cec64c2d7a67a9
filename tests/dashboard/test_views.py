"""The dashboard page, its printable overview and its exports, through the test client."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from capacity.choices import TargetGroup
from municipalities.models import Municipality, SafetyRegion
from tests.dashboard.factories import (
    adopted_task,
    days_ago,
    location_with_reports,
    snapshots_recompute,
    today,
)
from tests.factories import UserFactory
from tests.meetings.factories import ActionFactory

HOME = reverse("home")
MAP = reverse("dashboard:map")


@pytest.fixture
def coordinator_client(client, region):
    client.force_login(UserFactory(username="coord", role="coordinator"))
    return client


def _seeds_ukraine_figures() -> None:
    """The seeds' Ukraine sentence: 2,475 operational places, 2,189 occupied (88%)."""
    location_with_reports(
        "UKR-ENS", "GM0153", [(days_ago(2), 1475, 1300)], target_group=TargetGroup.UKRAINE
    )
    location_with_reports(
        "UKR-HGL", "GM0164", [(days_ago(2), 1000, 889)], target_group=TargetGroup.UKRAINE
    )
    snapshots_recompute()


def test_the_regional_picture_reads_as_the_seeds_sentence(coordinator_client):
    _seeds_ukraine_figures()

    content = coordinator_client.get(HOME).content.decode()

    assert "in Twente 2.475 operationele plekken, 2.189 bezet: 88%" in content
    assert "Regionaal beeld Twente" in content


@pytest.mark.parametrize(
    "role", ["coordinator", "project_leader", "secretary", "provincial_reader"]
)
def test_every_role_sees_the_regional_picture(client, region, role):
    client.force_login(UserFactory(role=role))

    response = client.get(HOME)

    assert response.status_code == 200
    assert len(response.context["municipalities"]) == 14
    assert 'data-testid="target-group-table"' in response.content.decode()


def test_an_account_without_a_role_gets_403_and_anonymous_the_login(client, region):
    assert client.get(HOME).status_code == 302
    for path in (HOME, reverse("dashboard:print"), reverse("dashboard:export")):
        client.force_login(UserFactory(username="nobody"))
        assert client.get(path).status_code == 403


def test_a_user_sees_the_region_of_their_membership(client, region):
    ijsselland = SafetyRegion.objects.get(code="VR04")
    client.force_login(UserFactory(role="coordinator", scope__region=ijsselland))
    location_with_reports("ENS-1", "GM0153", [(days_ago(1), 60, 50)])
    snapshots_recompute()

    response = client.get(HOME)

    assert response.context["picture"].region == ijsselland
    assert response.context["picture"].total.operational == 0
    assert "Regionaal beeld IJsselland" in response.content.decode()


def test_thresholds_are_flagged_in_words_not_only_colour(coordinator_client):
    location_with_reports("ENS-1", "GM0153", [(days_ago(1), 100, 95)])
    location_with_reports(
        "UKR-1", "GM0153", [(days_ago(1), 100, 93)], target_group=TargetGroup.UKRAINE
    )
    snapshots_recompute()

    content = coordinator_client.get(HOME).content.decode()
    table = content[content.index('data-testid="target-group-table"') :]
    asylum = table[table.index('data-target-group="asylum"') :].split("</tr>")[0]
    ukraine = table[table.index('data-target-group="ukraine"') :].split("</tr>")[0]

    assert "95,0%" in asylum and "Kantelpunt" in asylum
    assert "93,0%" in ukraine and "Waarschuwing" in ukraine


def test_the_task_and_gap_per_target_group(coordinator_client):
    adopted_task(code="asylum-2024-01", total=2164, deadline=today() + datetime.timedelta(days=30))
    location_with_reports("ENS-1", "GM0153", [(days_ago(1), 1137, 1000)])
    snapshots_recompute()

    content = coordinator_client.get(HOME).content.decode()
    row = content[
        content.index('data-target-group="asylum"', content.index("target-group-table")) :
    ]
    row = row.split("</tr>")[0]

    assert reverse("allocation:assignment-detail", args=["asylum-2024-01"]) in row
    assert re.search(r'data-field="required">2\.164<', row)
    assert re.search(r'data-field="gap"><span class="dashboard-nowrap">1\.027</span>', row)


def _asylum_row(content: str) -> str:
    table = content.index("target-group-table")
    return content[content.index('data-target-group="asylum"', table) :].split("</tr>")[0]


def test_a_task_past_its_deadline_stops_being_shown_as_active_after_the_nightly_run(
    coordinator_client,
):
    deadline = days_ago(400)
    adopted_task(code="asylum-old", total=2164, deadline=deadline)
    location_with_reports("ENS-1", "GM0153", [(days_ago(500), 1137, 1000)])
    snapshots_recompute()
    # Past its deadline it is no longer in force, even before the nightly job closes it.
    assert 'data-field="required">2.164<' not in _asylum_row(
        coordinator_client.get(HOME).content.decode()
    )

    call_command("run_scheduled", verbosity=0)

    now = _asylum_row(coordinator_client.get(HOME).content.decode())
    assert "asylum-old" not in now and "geen vastgestelde taakstelling" in now
    assert 'data-field="gap">–<' in now  # no shortfall against a task that is over
    # The figures of a day before the deadline still hold the region to it.
    then = coordinator_client.get(
        HOME, {"date": (deadline - datetime.timedelta(days=1)).isoformat()}
    )
    assert 'data-field="required">2.164<' in _asylum_row(then.content.decode())


def test_a_chosen_date_shows_the_figures_of_that_date(coordinator_client):
    location_with_reports("ENS-1", "GM0153", [(days_ago(20), 80, 40), (days_ago(2), 120, 60)])
    snapshots_recompute()

    then = coordinator_client.get(HOME, {"date": days_ago(10).isoformat()})
    now = coordinator_client.get(HOME)

    assert then.context["picture"].date == days_ago(10)
    assert then.context["picture"].overview.group("asylum").operational == 80
    assert f"Stand op {days_ago(10):%d-%m-%Y}" in then.content.decode()
    assert now.context["picture"].overview.group("asylum").operational == 120


def test_a_future_date_shows_today_and_a_bad_date_says_so(coordinator_client):
    future = coordinator_client.get(HOME, {"date": "2999-01-01"})
    assert future.context["picture"].date == today()

    bad = coordinator_client.get(HOME, {"date": "31-02-2024"})
    assert bad.status_code == 200
    assert bad.context["picture"].date == today()
    assert "Voer een geldige datum in." in bad.content.decode()


def test_the_municipality_table_sorts_on_the_server(coordinator_client):
    response = coordinator_client.get(HOME, {"sort": "-population"})
    content = response.content.decode()

    names = [row.name for row in response.context["municipalities"]]
    assert names[0] == "Enschede" and names[-1] == "Tubbergen"
    header = re.search(r'<th[^>]*aria-sort="descending"[^>]*>(.*?)</th>', content, re.S).group(1)
    assert "Inwoners" in header and "sort=population" in header  # next click: ascending
    assert 'href="?sort=-asylum_gap#per-gemeente"' in content


def test_sorting_keeps_the_chosen_date(coordinator_client):
    content = coordinator_client.get(HOME, {"date": days_ago(7).isoformat()}).content.decode()

    assert f"date={days_ago(7).isoformat()}&amp;sort=-population" in content


def test_a_municipality_links_to_its_locations(coordinator_client):
    location_with_reports("ENS-1", "GM0153", [(days_ago(1), 60, 50)])
    location_with_reports("ALM-1", "GM0141", [(days_ago(1), 60, 50)])
    snapshots_recompute()
    link = f"{reverse('capacity:location-list')}?municipality=GM0153"

    assert f'href="{link}"' in coordinator_client.get(HOME).content.decode()
    locations = coordinator_client.get(link).content.decode()
    assert "ENS-1" in locations and "ALM-1" not in locations


def test_stale_reports_are_flagged_in_the_table(coordinator_client, settings):
    settings.STALE_REPORT_DAYS = 14
    location_with_reports("ENS-1", "GM0153", [(days_ago(20), 60, 50)])
    location_with_reports("ALM-1", "GM0141", [(days_ago(3), 60, 50)])
    snapshots_recompute()

    content = coordinator_client.get(HOME).content.decode()

    def row(code):
        return content[content.index(f'data-municipality="{code}"') :].split("</tr>")[0]

    assert 'data-testid="stale"' in row("GM0153")
    assert 'data-testid="stale"' not in row("GM0141")


def test_the_page_keeps_to_the_content_security_policy(coordinator_client):
    location_with_reports(
        "ENS-1", "GM0153", [(days_ago(1), 60, 50)], latitude="52.2", longitude="6.9"
    )
    snapshots_recompute()

    response = coordinator_client.get(HOME)
    content = response.content.decode()

    assert "script-src 'self'" in response["Content-Security-Policy"]
    for tag in re.findall(r"<script[^>]*>", content):
        assert " src=" in tag or 'type="application/json"' in tag, tag
    assert " style=" not in content
    # The map's points come after the page, from their own endpoint (connect-src 'self').
    assert f'data-url="{MAP}?"' in content and "ENS-1" not in content
    assert "connect-src 'self'" in response["Content-Security-Policy"]
    assert [point["code"] for point in coordinator_client.get(MAP).json()] == ["ENS-1"]


def test_the_pictures_have_text_alternatives(coordinator_client):
    location_with_reports(
        "ENS-1", "GM0153", [(days_ago(1), 60, 50)], latitude="52.2", longitude="6.9"
    )
    location_with_reports("ENS-2", "GM0153", [(days_ago(1), 40, 30)])
    snapshots_recompute()

    content = coordinator_client.get(HOME).content.decode()

    for canvas in re.findall(r"<canvas[^>]*>", content):
        assert 'role="img"' in canvas and "aria-label=" in canvas
    assert content.count("Toon als tabel") == 3
    assert 'data-testid="trend-table"' in content and 'data-testid="outlook-table"' in content
    map_table = content[content.index('data-testid="map-table"') :].split("</table>")[0]
    rows = re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", map_table, re.S)
    assert len(rows) == 2  # the header and Enschede, the only municipality with locations
    assert re.findall(r">(\d+)</td>", rows[1]) == ["2", "100", "80"]


def test_task_progress_is_shown_as_bars_with_text(coordinator_client):
    task = adopted_task(code="asylum", total=1944, deadline=today())
    share = task.shares.get(municipality__code="GM0153").computed_share
    location_with_reports("ENS-1", "GM0153", [(days_ago(1), 100, 50)])
    snapshots_recompute()

    content = coordinator_client.get(HOME).content.decode()

    assert f'<progress class="dashboard-progress__bar" max="{share}" value="100"' in content
    assert f"100 van {share} (" in content


def test_the_print_page_is_one_overview_without_links(coordinator_client):
    adopted_task(code="asylum", total=1944, deadline=today())
    response = coordinator_client.get(reverse("dashboard:print"), {"sort": "-population"})
    content = response.content.decode()

    assert response.status_code == 200
    assert "Taakstellingen en stand opvang, Veiligheidsregio Twente" in content
    tables = content[content.index("target-group-table") : content.rindex("</table>")]
    assert "<a " not in tables
    assert [row.name for row in response.context["picture"].municipalities][0] == "Enschede"
    assert "data-print hidden" in content


def test_the_municipality_table_exports_as_csv(coordinator_client, settings):
    settings.STALE_REPORT_DAYS = 14
    adopted_task(code="asylum", total=1944, deadline=today())
    location_with_reports("ENS-1", "GM0153", [(days_ago(20), 200, 187)])
    snapshots_recompute()

    response = coordinator_client.get(
        reverse("dashboard:export"), {"table": "municipalities", "format": "csv"}
    )

    assert response["Content-Type"].startswith("text/csv")
    assert (
        f"overzicht-vr05-per-gemeente-{today().isoformat()}.csv" in response["Content-Disposition"]
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    assert len(rows) == 14
    enschede = next(row for row in rows if row["CBS-code"] == "GM0153")
    assert enschede["Asielzoekers: gerealiseerd"] == "200"
    assert enschede["Asielzoekers: bezettingsgraad (%)"] == "93,5"
    assert enschede["Laatste melding"] == f"{days_ago(20):%d-%m-%Y}"
    assert enschede["Melding verouderd"] == "ja"
    assert enschede["Statushouders: taak"] == ""


def test_the_target_group_table_exports_as_xlsx_for_a_date(coordinator_client):
    location_with_reports("ENS-1", "GM0153", [(days_ago(20), 80, 40), (days_ago(2), 120, 60)])
    snapshots_recompute()

    response = coordinator_client.get(
        reverse("dashboard:export"),
        {"table": "target_groups", "format": "xlsx", "date": days_ago(10).isoformat()},
    )

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Doelgroep", "Taakstelling", "Deadline", "Taak", "Operationeel")
    assert rows[1][0] == "Asielzoekers" and rows[1][4] == 80 and rows[1][5] == 40
    assert rows[-1][0] == "Totaal"


def test_the_municipality_table_exports_as_xlsx_with_a_named_sheet_and_dates(
    coordinator_client,
):
    task = adopted_task(code="asylum", total=1944, deadline=today())
    location_with_reports("ENS-1", "GM0153", [(days_ago(20), 200, 187)])
    snapshots_recompute()

    municipalities = coordinator_client.get(
        reverse("dashboard:export"), {"table": "municipalities", "format": "xlsx"}
    )
    groups = coordinator_client.get(
        reverse("dashboard:export"), {"table": "target_groups", "format": "xlsx"}
    )

    sheet = openpyxl.load_workbook(io.BytesIO(municipalities.content)).active
    assert sheet.title == "Per gemeente"
    header = [cell.value for cell in sheet[1]]
    enschede = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "GM0153")
    last_report = enschede[header.index("Laatste melding")]
    assert (last_report.is_date, last_report.number_format) == (True, "DD-MM-YYYY")
    assert last_report.value.date() == days_ago(20)
    sheet = openpyxl.load_workbook(io.BytesIO(groups.content)).active
    assert sheet.title == "Per doelgroep"
    asylum = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "Asielzoekers")
    assert asylum[2].is_date and asylum[2].value.date() == task.deadline
    assert asylum[2].number_format == "DD-MM-YYYY"


@pytest.mark.parametrize(
    "params", [{"table": "secrets", "format": "csv"}, {"table": "municipalities", "format": "pdf"}]
)
def test_an_unknown_export_is_404(coordinator_client, params):
    assert coordinator_client.get(reverse("dashboard:export"), params).status_code == 404


def test_the_municipality_list_moved_to_its_own_page(coordinator_client):
    response = coordinator_client.get(reverse("municipalities"))

    assert response.status_code == 200
    assert len(response.context["municipalities"]) == 14
    assert f'href="{reverse("municipalities")}"' in coordinator_client.get(HOME).content.decode()


def _arrange(locations: int, offset: int) -> None:
    codes = list(Municipality.objects.values_list("code", flat=True))
    groups = TargetGroup.values
    for n in range(locations):
        location_with_reports(
            f"LOC-{offset + n}",
            codes[n % len(codes)],
            [(days_ago(7 * week + n % 7), 60, 30 + week % 20) for week in range(30)],
            target_group=groups[n % 3],
            latitude="52.3",
            longitude="6.7",
        )
    snapshots_recompute()


# Session, user with membership, roles (3); open actions (1), task deadlines (1); the
# overview: active tasks, their shares, municipalities with their snapshot rows (3), the
# housing reports of the permit-holder task (1); the national figures (1), the number of
# locations yet to open the user may not name (1), the tasks in force with their parts and
# the places they count (3, whatever the number of tasks). The thresholds, the places per
# location type, the trend, the outlook and the placements of the last 7 days come from the
# read cache, the map's points from their own endpoint.
DASHBOARD_QUERIES = 14
# What the read cache saves when the figures changed.
DASHBOARD_CACHE_MISSES = 5


def test_the_dashboard_costs_the_same_queries_for_5_and_60_locations(
    coordinator_client, django_assert_num_queries
):
    for group in TargetGroup.values:
        adopted_task(code=f"{group}-task", target_group=group, deadline=today())
    ActionFactory(due_date=days_ago(3))
    _arrange(5, 0)
    with django_assert_num_queries(DASHBOARD_QUERIES + DASHBOARD_CACHE_MISSES):
        coordinator_client.get(HOME, {"sort": "-asylum_gap"})
    with django_assert_num_queries(DASHBOARD_QUERIES):
        small = coordinator_client.get(HOME, {"sort": "-asylum_gap"})
    _arrange(55, 100)
    with django_assert_num_queries(DASHBOARD_QUERIES + DASHBOARD_CACHE_MISSES):
        coordinator_client.get(HOME, {"sort": "-asylum_gap"})
    with django_assert_num_queries(DASHBOARD_QUERIES):
        large = coordinator_client.get(HOME, {"sort": "-asylum_gap"})

    assert small.context["picture"].total.operational == 5 * 60
    assert large.context["picture"].total.operational == 60 * 60
    # Session, user with membership, roles, and the points once per change of the figures.
    with django_assert_num_queries(4):
        assert len(coordinator_client.get(MAP).json()) == 60
    with django_assert_num_queries(3):
        assert len(coordinator_client.get(MAP).json()) == 60
