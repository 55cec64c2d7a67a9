"""The phone team's placements of the last 7 days on the dashboard (issue 10)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from matching.choices import Category, PlacementStatus
from tests.factories import MunicipalityFactory, UserFactory
from tests.matching.factories import PlacementFactory, UkraineLocationFactory


def test_the_dashboard_lists_the_placements_of_the_last_seven_days(client, twente):
    enschede = MunicipalityFactory(code="GM0153")
    location = UkraineLocationFactory(municipality=enschede)
    PlacementFactory(location=location, people=3, category=Category.THIRD_COUNTRY_UKRAINE)
    PlacementFactory(location=location, people=2)
    PlacementFactory(
        location=location, people=4, status=PlacementStatus.CANCELLED, ended_at=timezone.now()
    )
    PlacementFactory(
        location=location, people=9, placed_at=timezone.now() - datetime.timedelta(days=10)
    )
    client.force_login(UserFactory(role="coordinator"))

    response = client.get(reverse("home"))

    rows = {
        (row["category"], row["placements"], row["people"])
        for row in response.context["dashboard"].placements
    }
    assert rows == {("third_country_ukraine", 1, 3), ("regular", 1, 2)}
    content = response.content.decode()
    assert 'data-testid="placements-table"' in content
    assert "Ontheemden uit Oekraïne" in content


def test_without_placements_the_dashboard_says_so(client, twente):
    client.force_login(UserFactory(role="project_leader"))
    response = client.get(reverse("home"))
    assert 'data-testid="placements-none"' in response.content.decode()
    # Project leaders do not get the link to the phone team's pages.
    assert reverse("matching:placements") not in response.content.decode()
