"""The map's points (`/dashboard/map/`): loaded after the dashboard, from the read cache, with
an ETag that confirms a client's copy without reading anything, and the dashboard's rules on
who may see which region."""

import pytest
from django.urls import reverse

from capacity.choices import LocationStatus
from capacity.models import CapacityReport
from municipalities.models import SafetyRegion
from tests.dashboard.factories import days_ago, location_with_reports, snapshots_recompute
from tests.factories import MunicipalityFactory, UserFactory

MAP = reverse("dashboard:map")


@pytest.fixture
def mapped(region):
    location_with_reports(
        "AZC-ALM", "GM0141", [(days_ago(3), 394, 374)], latitude="52.35", longitude="6.66"
    )
    location_with_reports("NO-COORDS", "GM0153", [(days_ago(3), 50, 40)])
    location_with_reports(
        "AZC-TUB", "GM0183", [], status=LocationStatus.PREPARING, planned_capacity=150,
        latitude="52.4", longitude="6.8",
    )  # fmt: skip
    vr04 = SafetyRegion.objects.get(code="VR04")
    MunicipalityFactory(code="GM0193", name="Zwolle", safety_region=vr04)
    location_with_reports(
        "AZC-ZWL", "GM0193", [(days_ago(2), 500, 480)], latitude="52.5", longitude="6.1"
    )
    snapshots_recompute()


def _login(client, role="coordinator", **scope):
    client.force_login(UserFactory(role=role, **scope))
    return client


def test_the_points_are_the_regions_locations_with_coordinates_counted_or_to_open(client, mapped):
    response = _login(client).get(MAP)

    assert response.status_code == 200
    points = {point["code"]: point for point in response.json()}
    assert sorted(points) == ["AZC-ALM", "AZC-TUB"]  # not Zwolle's, not without coordinates
    assert (points["AZC-ALM"]["places"], points["AZC-ALM"]["occupied"]) == (394, 374)
    assert points["AZC-TUB"]["upcoming"] and points["AZC-TUB"]["places"] == 150
    assert response["Cache-Control"] == "private, no-cache"


def test_another_region_follows_the_dashboards_rules(client, mapped):
    coordinator = _login(client)
    assert coordinator.get(MAP, {"region": "VR04"}).status_code == 403
    assert coordinator.get(reverse("home"), {"region": "VR04"}).status_code == 403

    reader = _login(client, role="provincial_reader")
    response = reader.get(MAP, {"region": "VR04"})
    assert [point["code"] for point in response.json()] == ["AZC-ZWL"]


def test_no_account_no_points(client, mapped):
    response = client.get(MAP)

    assert response.status_code == 302 and "ENS" not in response.content.decode()


def test_a_bad_date_gives_todays_points_and_a_later_date_is_today(client, mapped):
    logged_in = _login(client)
    today = logged_in.get(MAP).json()

    assert logged_in.get(MAP, {"date": "not-a-date"}).json() == today
    assert logged_in.get(MAP, {"date": "2999-01-01"}).json() == today
    # Before Almelo's report: Tubbergen to open only.
    earlier = logged_in.get(MAP, {"date": days_ago(10).isoformat()}).json()
    assert [point["code"] for point in earlier] == ["AZC-TUB"]


def test_the_etag_confirms_a_copy_without_reading_the_figures(
    client, mapped, django_assert_num_queries
):
    logged_in = _login(client)
    first = logged_in.get(MAP)
    etag = first["ETag"]

    # Session, user with membership, roles; nothing of the figures.
    with django_assert_num_queries(3):
        again = logged_in.get(MAP, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert logged_in.get(MAP, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_recomputed_report_and_a_changed_location_give_new_points(client, mapped):
    logged_in = _login(client)
    first = logged_in.get(MAP)

    # A new report counts once the worker has recomputed the municipality.
    CapacityReport.objects.filter(location__code="AZC-ALM").update(capacity=400)
    snapshots_recompute()
    after_report = logged_in.get(MAP, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after_report.status_code == 200 and after_report["ETag"] != first["ETag"]
    assert {p["code"]: p["places"] for p in after_report.json()}["AZC-ALM"] == 400

    # A location saved (here: given coordinates) is on the map at once.
    location = location_with_reports("NEW", "GM0153", [(days_ago(1), 10, 5)])
    location.latitude, location.longitude = "52.2", "6.9"
    location.save()
    after_location = logged_in.get(MAP, HTTP_IF_NONE_MATCH=after_report["ETag"])
    assert after_location.status_code == 200
    assert "NEW" in {point["code"] for point in after_location.json()}


def test_each_language_has_its_own_copy_of_the_labelled_points(client, mapped):
    logged_in = _login(client)
    dutch = logged_in.get(MAP, HTTP_ACCEPT_LANGUAGE="nl")
    english = logged_in.get(MAP, HTTP_ACCEPT_LANGUAGE="en")

    assert dutch["ETag"] != english["ETag"]
    assert (
        logged_in.get(MAP, HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=dutch["ETag"]).status_code
        == 200
    )
