"""Above the region: the province and national overviews (selector, API, pages), and the
region dashboard opened for another region (`/?region=`), with who may see what."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capacity.choices import TargetGroup
from municipalities.models import Province, SafetyRegion
from tests.dashboard.factories import (
    adopted_task,
    days_ago,
    location_with_reports,
    snapshots_recompute,
    today,
)
from tests.factories import KeyFigureFactory, MunicipalityFactory, UserFactory
from tests.problems import field_errors
from twente.overview import area_overview

NATIONAL_API = "/api/v1/overview/national"
PROVINCE_API = "/api/v1/overview/province"


@pytest.fixture
def ijsselland(region) -> SafetyRegion:
    """IJsselland (VR04, Overijssel, like Twente) with two municipalities and a task."""
    vr04 = SafetyRegion.objects.get(code="VR04")
    for code, name, population in (("GM0148", "Dalfsen", 28_000), ("GM0193", "Zwolle", 130_000)):
        municipality = MunicipalityFactory(code=code, name=name, safety_region=vr04)
        KeyFigureFactory(municipality=municipality, population=population)
    adopted_task(code="asylum-vr04", region=vr04, total=1837, deadline=today())
    location_with_reports("AZC-ZWL", "GM0193", [(days_ago(2), 500, 480)])
    return vr04


@pytest.fixture
def gelderland_region(region) -> SafetyRegion:
    """Gelderland-Midden (VR07, another province) with one municipality and a location."""
    vr07 = SafetyRegion.objects.get(code="VR07")
    municipality = MunicipalityFactory(code="GM0202", name="Arnhem", safety_region=vr07)
    KeyFigureFactory(municipality=municipality, population=165_000)
    location_with_reports("AZC-ARN", "GM0202", [(days_ago(1), 300, 150)])
    return vr07


@pytest.fixture
def country(region, ijsselland, gelderland_region):
    adopted_task(code="asylum-vr05", total=2164, deadline=today())
    location_with_reports("AZC-ALM", "GM0141", [(days_ago(3), 394, 374)])
    location_with_reports(
        "UKR-ENS", "GM0153", [(days_ago(3), 100, 90)], target_group=TargetGroup.UKRAINE
    )
    snapshots_recompute()


def _user(role: str, region_code: str = "VR05", **scope):
    region = SafetyRegion.objects.get(code=region_code)
    return UserFactory(role=role, scope__region=region, **scope)


# The selector -------------------------------------------------------------------------------


def test_the_national_overview_sums_the_regions(country):
    overview = area_overview(on=today())

    assert overview.is_national
    assert len(overview.regions) == 25 and len(overview.provinces) == 12
    asylum = overview.group("asylum")
    assert asylum.required == 2164 + 1837
    assert asylum.operational == 394 + 500 + 300
    assert asylum.occupied == 374 + 480 + 150
    assert asylum.gap == 2164 + 1837 - (394 + 500 + 300)
    twente = next(r for r in overview.regions if r.code == "VR05")
    assert twente.municipality_count == 14 and twente.population == 633_917
    assert twente.group("asylum").operational == 394
    assert twente.group("ukraine").operational == 100
    overijssel = next(p for p in overview.provinces if p.code == "PV23")
    assert [r.code for r in overijssel.regions] == ["VR04", "VR05"]
    assert overijssel.group("asylum").operational == 894
    assert overijssel.group("asylum").required == 2164 + 1837


def test_a_target_group_without_any_task_has_no_required_figure(country):
    overview = area_overview(on=today())

    assert overview.group("permit_holders").required is None
    assert overview.group("permit_holders").gap is None
    # A region without a task adds its places but not a task.
    assert overview.group("ukraine").required is None
    assert overview.group("ukraine").operational == 100


def test_the_province_overview_holds_only_its_regions(country):
    overview = area_overview(province=Province.objects.get(code="PV23"), on=today())

    assert not overview.is_national
    assert [r.code for r in overview.regions] == ["VR04", "VR05"]
    assert overview.group("asylum").operational == 894  # not Arnhem's 300


def test_the_overview_of_an_earlier_date_leaves_out_later_reports(country):
    overview = area_overview(on=days_ago(2))

    # Arnhem reported yesterday, the others two and three days ago.
    assert overview.group("asylum").operational == 394 + 500


def test_the_area_overview_costs_the_same_queries_whatever_the_number_of_regions(country):
    with CaptureQueriesContext(connection) as small:
        area_overview(on=today())
    for index, region_code in enumerate(("VR01", "VR10", "VR20")):
        vr = SafetyRegion.objects.get(code=region_code)
        municipality = MunicipalityFactory(code=f"GM80{index:02d}", safety_region=vr)
        KeyFigureFactory(municipality=municipality)
        adopted_task(code=f"task-{region_code}", region=vr, total=100, deadline=today())
        location_with_reports(f"L-{region_code}", municipality.code, [(days_ago(1), 50, 10)])
    snapshots_recompute()

    with CaptureQueriesContext(connection) as large:
        overview = area_overview(on=today())

    assert len(large) == len(small) <= 6
    assert overview.group("asylum").required == 2164 + 1837 + 300


# The API ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "provincial_reader"])
def test_coordinators_and_provincial_readers_read_the_national_overview(api_client, country, role):
    api_client.force_authenticate(_user(role))

    response = api_client.get(NATIONAL_API)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"date", "target_groups", "provinces", "regions"}
    assert body["target_groups"][0]["operational"] == 1194
    assert len(body["regions"]) == 25 and len(body["provinces"]) == 12
    twente = next(r for r in body["regions"] if r["region"] == "VR05")
    assert twente == {
        "region": "VR05",
        "name": "Twente",
        "province": "PV23",
        "municipalities": 14,
        "population": 633917,
        "target_groups": twente["target_groups"],
    }


@pytest.mark.parametrize("role", ["project_leader", "secretary"])
def test_other_roles_get_403_on_the_national_and_province_overviews(api_client, country, role):
    scope = {"scope__municipality": None} if role != "project_leader" else {}
    user = _user(role, **scope)
    api_client.force_authenticate(user)

    assert api_client.get(NATIONAL_API).status_code == 403
    assert api_client.get(PROVINCE_API).status_code == 403


def test_the_national_overview_names_no_municipality_or_location(api_client, country):
    api_client.force_authenticate(_user("provincial_reader"))

    body = api_client.get(NATIONAL_API).content.decode()

    for detail in ("Almelo", "Zwolle", "Arnhem", "GM0141", "AZC-ALM", "AZC-ZWL"):
        assert detail not in body


def test_the_province_overview_defaults_to_the_users_own_province(api_client, country):
    api_client.force_authenticate(_user("provincial_reader"))

    response = api_client.get(PROVINCE_API)

    assert response.status_code == 200
    body = response.json()
    assert body["province"] == "PV23" and body["name"] == "Overijssel"
    assert [r["region"] for r in body["regions"]] == ["VR04", "VR05"]
    assert body["target_groups"][0]["operational"] == 894
    assert body["target_groups"][0]["required"] == 2164 + 1837


@pytest.mark.parametrize("role", ["coordinator", "provincial_reader"])
def test_another_province_is_refused(api_client, country, role):
    api_client.force_authenticate(_user(role))

    response = api_client.get(PROVINCE_API, {"province": "PV25"})

    assert response.status_code == 403
    assert "provincie" in response.json()["detail"]


def test_an_unknown_province_is_a_validation_error(api_client, country):
    api_client.force_authenticate(_user("provincial_reader"))

    response = api_client.get(PROVINCE_API, {"province": "PV99"})

    assert response.status_code == 400
    assert "Onbekende provincie" in str(field_errors(response))


def test_the_area_overviews_answer_304_while_nothing_changed(api_client, country):
    api_client.force_authenticate(_user("coordinator"))
    first = api_client.get(NATIONAL_API)

    again = api_client.get(NATIONAL_API, HTTP_IF_NONE_MATCH=first["ETag"])
    location_with_reports("AZC-HGL", "GM0164", [(days_ago(1), 10, 5)])
    snapshots_recompute()
    changed = api_client.get(NATIONAL_API, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_the_province_overview_exports_csv_with_a_row_per_area_and_group(api_client, country):
    api_client.force_authenticate(_user("provincial_reader"))

    response = api_client.get(PROVINCE_API, {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3 * 3  # the province and its two regions, three groups each
    twente_asylum = next(r for r in rows if r["code"] == "VR05" and r["target_group"] == "asylum")
    assert twente_asylum["level"] == "region" and twente_asylum["operational"] == "394"


def test_the_province_overview_exports_xlsx_with_a_named_sheet_and_dates(api_client, country):
    api_client.force_authenticate(_user("provincial_reader"))

    response = api_client.get(PROVINCE_API, {"format": "xlsx", "date": days_ago(3).isoformat()})

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Overzicht"
    dates = [row[4] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in sheet[1]][4] == "date" and len(dates) == 3 * 3
    assert all(cell.is_date and cell.number_format == "DD-MM-YYYY" for cell in dates)
    assert {cell.value.date() for cell in dates} == {days_ago(3)}


def test_the_national_export_has_the_country_every_province_and_region(api_client, country):
    api_client.force_authenticate(_user("coordinator"))

    response = api_client.get(NATIONAL_API, {"format": "csv"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert {r["level"] for r in rows} == {"country", "province", "region"}
    assert len(rows) == (1 + 12 + 25) * 3


# The pages ----------------------------------------------------------------------------------


def test_the_national_page_lists_every_region_and_links_only_readable_ones(client, country):
    client.force_login(_user("coordinator"))

    response = client.get("/dashboard/national/")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-region="VR') == 25
    assert 'href="/?region=VR05' in html  # the coordinator's own region
    assert 'href="/?region=VR04' not in html  # a coordinator reads only their own
    assert "Zwolle" not in html and "Almelo" not in html


def test_the_province_page_links_every_region_of_the_province_for_its_reader(client, country):
    client.force_login(_user("provincial_reader"))

    response = client.get("/dashboard/province/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-region="VR04"' in html and 'data-region="VR05"' in html
    assert 'data-region="VR07"' not in html
    assert 'href="/?region=VR04' in html and 'href="/?region=VR05' in html


def test_the_pages_above_the_region_refuse_other_roles_and_provinces(client, country):
    client.force_login(_user("project_leader", scope__municipality=None))
    assert client.get("/dashboard/national/").status_code == 403
    assert client.get("/dashboard/province/").status_code == 403

    client.force_login(_user("coordinator"))
    assert client.get("/dashboard/province/", {"province": "PV25"}).status_code == 403
    assert client.get("/dashboard/province/", {"province": "PV99"}).status_code == 404


def test_a_provincial_reader_opens_another_region_of_the_province(client, country):
    client.force_login(_user("provincial_reader"))

    response = client.get("/", {"region": "VR04"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Zwolle" in html and "Dalfsen" in html
    assert "Almelo" not in html.split('data-testid="municipality-table"')[1]
    assert 'data-testid="region-form"' in html
    # No links into pages scoped to the reader's own region.
    assert "/locations/?municipality=GM0193" not in html


def test_a_provincial_reader_is_refused_a_region_of_another_province(client, country):
    client.force_login(_user("provincial_reader"))

    assert client.get("/", {"region": "VR07"}).status_code == 403
    assert client.get("/dashboard/print/", {"region": "VR07"}).status_code == 403
    export = {"region": "VR07", "table": "municipalities", "format": "csv"}
    assert client.get("/dashboard/export/", export).status_code == 403


@pytest.mark.parametrize("role", ["coordinator", "project_leader", "secretary"])
def test_region_bound_roles_are_refused_another_region(client, country, role):
    client.force_login(_user(role))

    assert client.get("/", {"region": "VR04"}).status_code == 403
    assert client.get("/dashboard/print/", {"region": "VR04"}).status_code == 403
    export = {"region": "VR04", "table": "target_groups", "format": "csv"}
    assert client.get("/dashboard/export/", export).status_code == 403


def test_an_unknown_region_is_404(client, country):
    client.force_login(_user("provincial_reader"))

    assert client.get("/", {"region": "VR99"}).status_code == 404


def test_the_export_and_print_of_another_region_hold_that_regions_figures(client, country):
    client.force_login(_user("provincial_reader"))

    export = client.get(
        "/dashboard/export/", {"region": "VR04", "table": "municipalities", "format": "csv"}
    )
    printed = client.get("/dashboard/print/", {"region": "VR04"})

    assert export.status_code == 200
    text = export.content.decode("utf-8-sig")
    assert "Zwolle" in text and "Almelo" not in text
    assert printed.status_code == 200 and "Zwolle" in printed.content.decode()


def test_another_regions_dashboard_costs_the_same_queries_as_ones_own(
    client, country, django_assert_max_num_queries
):
    reader = _user("provincial_reader")
    client.force_login(reader)
    with CaptureQueriesContext(connection) as own:
        client.get("/")

    with django_assert_max_num_queries(len(own) + 1):
        response = client.get("/", {"region": "VR04"})

    assert response.status_code == 200


def test_an_account_without_any_region_gets_the_national_page_and_no_province(
    client, country, settings
):
    """No membership and no home region in the database: nothing to fall back on."""
    settings.HOME_REGION = "VR99"
    coordinator = UserFactory(role="coordinator")
    coordinator.membership.delete()
    client.force_login(coordinator)

    national = client.get("/dashboard/national/")

    assert national.status_code == 200
    assert "/dashboard/province/" not in national.content.decode()
    assert client.get("/dashboard/province/").status_code == 403
