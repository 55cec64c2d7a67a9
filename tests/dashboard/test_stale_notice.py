"""The dashboard never opens on an old picture without saying so: when even the region's
latest report is older than STALE_REPORT_DAYS, the top of the page names its date and links
to the picture on that day."""

import pytest
from django.urls import reverse

from tests.dashboard.factories import days_ago, location_with_reports, snapshots_recompute
from tests.factories import UserFactory

HOME = reverse("home")


@pytest.fixture
def coordinator_client(client, region, settings):
    settings.STALE_REPORT_DAYS = 14
    client.force_login(UserFactory(username="coord", role="coordinator"))
    return client


def test_old_reports_are_named_at_the_top_with_a_link_to_their_day(coordinator_client):
    location_with_reports("ENS-1", "GM0153", [(days_ago(40), 60, 50)])
    location_with_reports("ALM-1", "GM0141", [(days_ago(30), 60, 50)])
    snapshots_recompute()
    latest = days_ago(30)

    content = coordinator_client.get(HOME).content.decode()

    notice = content[content.index('data-testid="stale-notice"') :].split("</div>")[0]
    assert f"De laatste meldingen zijn van {latest:%d-%m-%Y}" in notice
    assert f'href="{HOME}?date={latest.isoformat()}"' in notice
    assert content.index('data-testid="stale-notice"') < content.index('id="per-doelgroep"')


def test_the_linked_day_and_recent_reports_need_no_notice(coordinator_client):
    location_with_reports("ENS-1", "GM0153", [(days_ago(30), 60, 50)])
    location_with_reports("ALM-1", "GM0141", [(days_ago(3), 60, 50)])
    snapshots_recompute()

    today = coordinator_client.get(HOME).content.decode()
    back_then = coordinator_client.get(HOME, {"date": days_ago(30).isoformat()}).content.decode()

    # One municipality is behind (the table flags it), but the region has fresh figures.
    assert 'data-testid="stale-notice"' not in today
    assert 'data-testid="stale"' in today
    assert 'data-testid="stale-notice"' not in back_then


def test_a_region_without_any_report_says_so(coordinator_client):
    content = coordinator_client.get(HOME).content.decode()

    assert 'data-testid="no-reports-notice"' in content
    assert 'data-testid="stale-notice"' not in content


def test_the_link_keeps_another_region(client, region, settings):
    settings.STALE_REPORT_DAYS = 14
    from municipalities.models import SafetyRegion
    from tests.factories import MunicipalityFactory

    ijsselland = SafetyRegion.objects.get(code="VR04")
    MunicipalityFactory(code="GM0150", name="Deventer", safety_region=ijsselland)
    location_with_reports("DEV-1", "GM0150", [(days_ago(30), 60, 50)])
    snapshots_recompute()
    client.force_login(UserFactory(username="prov", role="provincial_reader"))

    content = client.get(HOME, {"region": "VR04"}).content.decode()

    assert f'href="{HOME}?region=VR04&amp;date={days_ago(30).isoformat()}"' in content
