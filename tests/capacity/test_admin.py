import datetime

from django.contrib.auth import get_user_model

from capacity.selectors import realised_places
from tests.factories import MunicipalityFactory

from .factories import CapacityReportFactory, LocationFactory

DAY = datetime.date(2023, 3, 6)


def test_a_report_changed_in_the_admin_reaches_the_totals(
    client, db, django_capture_on_commit_callbacks
):
    admin = get_user_model().objects.create_superuser("beheer", "b@example.org", "x" * 12)
    location = LocationFactory(municipality=MunicipalityFactory(code="GM0153"))
    report = CapacityReportFactory(location=location, date=DAY, capacity=60, occupied=50)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/capacity/capacityreport/{report.pk}/change/",
            {
                "location": location.pk,
                "date": DAY.isoformat(),
                "capacity": 80,
                "occupied": 50,
                "reserved": 0,
                "source": "form",
                "reported_by": "",
                "flag_reason": "",
                "seen_version": 1,
            },
        )
    assert response.status_code == 302
    assert realised_places(on=DAY) == {("GM0153", "asylum"): 80}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/capacity/capacityreport/{report.pk}/delete/", {"post": "yes"})
    assert realised_places(on=DAY) == {}


def test_the_admin_refuses_impossible_counts(client, db):
    admin = get_user_model().objects.create_superuser("beheer", "b@example.org", "x" * 12)
    report = CapacityReportFactory(date=DAY)
    client.force_login(admin)
    response = client.post(
        f"/admin/capacity/capacityreport/{report.pk}/change/",
        {
            "location": report.location_id,
            "date": DAY.isoformat(),
            "capacity": 10,
            "occupied": 50,
            "reserved": 0,
            "source": "form",
        },
    )
    assert response.status_code == 200
    assert "Bezet (50) kan niet hoger zijn dan de capaciteit (10)." in response.content.decode()
