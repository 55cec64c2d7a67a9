"""National figures per target group (issue 23): coordinators enter them on a page or by
the API; the dashboard judges the crisis-shelter tipping point on the national occupancy."""

import datetime
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from capacity.choices import TargetGroup
from capacity.models import NationalFigure, OccupancyThreshold
from capacity.national.selectors import national_picture
from capacity.national.services import national_figure_record
from tests.factories import SafetyRegionFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
BAO_JULY = datetime.date(2022, 7, 7)


@pytest.fixture
def region(db):
    return SafetyRegionFactory(code="VR05", name="Twente")


@pytest.fixture
def coordinator(region):
    return UserFactory(role="coordinator", scope__region=region)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_json(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def test_a_coordinator_enters_the_national_figure_of_seed_000_on_the_page(coordinator):
    client = client_of(coordinator)
    response = client.post(
        "/national-figures/",
        {
            "target_group": "ukraine",
            "date": BAO_JULY.isoformat(),
            "available_places": "4919",
            "occupancy_percent": "92",
            "source": "Verslag BAO juli 2022, 10.2",
        },
    )
    assert response.status_code == 302
    figure = NationalFigure.objects.get()
    assert (figure.target_group, figure.date) == ("ukraine", BAO_JULY)
    assert (figure.available_places, figure.occupancy_rate) == (4919, Decimal("0.920"))
    assert figure.entered_by == coordinator
    page = client.get("/national-figures/").content.decode()
    assert "4.919" in page and "92%" in page


def test_a_second_figure_of_the_same_day_replaces_the_first(coordinator):
    for percent in ("92", "93,5"):
        client_of(coordinator).post(
            "/national-figures/",
            {"target_group": "ukraine", "date": "2022-07-07", "occupancy_percent": percent},
        )
    figure = NationalFigure.objects.get()
    assert figure.occupancy_rate == Decimal("0.935")
    assert figure.available_places is None


@pytest.mark.parametrize(
    ("data", "field_text"),
    [
        ({"target_group": "ukraine", "date": "2022-07-07"}, "allebei"),
        (
            {
                "target_group": "ukraine",
                "date": (TODAY + datetime.timedelta(days=1)).isoformat(),
                "available_places": "10",
            },
            "toekomst",
        ),
        ({"target_group": "ukraine", "date": "2022-07-07", "occupancy_percent": "120"}, "100"),
        ({"target_group": "martians", "date": "2022-07-07", "available_places": "1"}, "martians"),
    ],
)
def test_bad_input_on_the_page_saves_nothing(coordinator, data, field_text):
    response = client_of(coordinator).post("/national-figures/", data)
    assert response.status_code == 200
    assert field_text in response.content.decode()
    assert not NationalFigure.objects.exists()


@pytest.mark.parametrize("role", ["project_leader", "secretary", "provincial_reader"])
def test_other_roles_read_the_page_but_cannot_enter_figures(region, role):
    user = UserFactory(role=role, scope__region=region)
    client = client_of(user)
    page = client.get("/national-figures/")
    assert page.status_code == 200
    assert 'data-testid="national-form"' not in page.content.decode()
    response = client.post(
        "/national-figures/",
        {"target_group": "ukraine", "date": "2022-07-07", "available_places": "4919"},
    )
    assert response.status_code == 403
    assert not NationalFigure.objects.exists()
    api = post_json(
        client,
        "/api/v1/national-figures",
        {"target_group": "ukraine", "date": "2022-07-07", "available_places": 4919},
    )
    assert api.status_code == 403
    assert not NationalFigure.objects.exists()


def test_the_api_records_and_lists_national_figures(coordinator):
    client = client_of(coordinator)
    body = {
        "target_group": "ukraine",
        "date": "2022-07-07",
        "available_places": 4919,
        "occupancy_rate": 0.92,
        "source": "BAO juli 2022",
    }
    first = post_json(client, "/api/v1/national-figures", body)
    assert first.status_code == 201, first.content
    assert first.json()["level"] == "warning"
    again = post_json(client, "/api/v1/national-figures", {**body, "occupancy_rate": 0.96})
    assert again.status_code == 200
    assert again.json()["level"] == "tipping_point"
    rows = client.get("/api/v1/national-figures?target_group=ukraine").json()["results"]
    assert [(row["date"], row["occupancy_rate"]) for row in rows] == [("2022-07-07", 0.96)]
    assert client.get("/api/v1/national-figures?target_group=asylum").json()["results"] == []


@pytest.mark.parametrize(
    "body",
    [
        {"target_group": "ukraine", "date": "2022-07-07"},
        {"target_group": "ukraine", "date": "2022-07-07", "occupancy_rate": 1.5},
        {"target_group": "ukraine", "date": "2022-07-07", "available_places": -1},
        {"target_group": "ukraine", "date": "2999-01-01", "available_places": 5},
    ],
)
def test_the_api_refuses_bad_figures(coordinator, body):
    response = post_json(client_of(coordinator), "/api/v1/national-figures", body)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert not NationalFigure.objects.exists()


def test_the_national_picture_takes_the_latest_figure_per_group_in_one_query(
    django_assert_num_queries,
):
    for day, rate in ((datetime.date(2022, 6, 1), "0.880"), (BAO_JULY, "0.920")):
        national_figure_record(target_group="ukraine", date=day, occupancy_rate=Decimal(rate))
    national_figure_record(
        target_group="asylum", date=datetime.date(2022, 8, 1), occupancy_rate=Decimal("0.990")
    )
    with django_assert_num_queries(1):
        picture = {row.target_group: row for row in national_picture(on=datetime.date(2022, 7, 20))}
    assert picture["ukraine"].rate == Decimal("0.920")
    assert picture["ukraine"].level == "warning"
    assert picture["asylum"].figure is None  # dated after the day asked for
    assert picture["permit_holders"].level == "ok"


def test_the_dashboard_judges_the_tipping_point_on_the_national_occupancy(coordinator):
    # The region's own thresholds are a separate choice: set high, they do not move the
    # national verdict.
    OccupancyThreshold.objects.update_or_create(
        target_group=TargetGroup.UKRAINE,
        defaults={"warning": Decimal("0.990"), "tipping_point": Decimal("1.000")},
    )
    national_figure_record(
        target_group="ukraine", date=BAO_JULY, available_places=4919, occupancy_rate=Decimal("0.95")
    )
    page = client_of(coordinator).get("/", {"date": "2022-07-10"}).content.decode()
    section = page.split('data-testid="national-section"')[1].split("</section>")[0]
    row = section.split('data-testid="national-ukraine"')[1].split("</tr>")[0]
    assert "4.919" in row and "95%" in row and "Kantelpunt" in row
    assert "landelijke bezettingsgraad" in section
    earlier = client_of(coordinator).get("/", {"date": "2022-07-01"}).content.decode()
    row = earlier.split('data-testid="national-ukraine"')[1].split("</tr>")[0]
    assert "Nog geen landelijk cijfer" in row


def test_load_twente_seeds_the_national_figure_of_seed_000_once(db):
    from django.core.management import call_command

    call_command("load_twente", verbosity=0)
    call_command("load_twente", verbosity=0)
    figure = NationalFigure.objects.get()
    assert (figure.target_group, figure.date) == ("ukraine", BAO_JULY)
    assert (figure.available_places, figure.occupancy_rate) == (4919, Decimal("0.920"))
    assert NationalFigure.history.count() == 1
    row = next(row for row in national_picture(on=BAO_JULY) if row.target_group == "ukraine")
    assert row.level == "warning"
