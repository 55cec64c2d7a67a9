"""A small two-region world for the cross-cutting API tests.

Twente (VR05) has Enschede and Hengelo, each with a location; IJsselland (VR04, the same
province) has Deventer. Twente has an assignment with shares, an exchange between Enschede
and Hengelo, and a meeting with an action. One account per role the matrix asks about.
"""

import datetime
from dataclasses import dataclass

import pytest

from allocation.models import Assignment, Exchange
from allocation.services import exchange_create
from capacity.models import CapacityReport, Location
from meetings.models import Entry, Meeting
from municipalities.models import Municipality
from tests.allocation.factories import assignment_with_shares
from tests.capacity.factories import CapacityReportFactory, LocationFactory
from tests.factories import KeyFigureFactory, MunicipalityFactory, SafetyRegionFactory, UserFactory
from tests.meetings.factories import ActionFactory, AgendaItemFactory, MeetingFactory


@dataclass
class World:
    enschede: Municipality
    hengelo: Municipality
    deventer: Municipality
    location: Location  # Enschede's
    other_location: Location  # Hengelo's
    report: CapacityReport  # of Enschede's location
    assignment: Assignment  # Twente's, with shares
    exchange: Exchange  # Enschede gives Hengelo places of the assignment
    meeting: Meeting
    action: Entry


@pytest.fixture(autouse=True)
def _tasks_in_process(eager_celery):
    """Recomputes enqueued by API writes run in-process, also with REDIS_URL set."""


@pytest.fixture
def world(db) -> World:
    twente = SafetyRegionFactory(code="VR05", name="Twente")
    ijsselland = SafetyRegionFactory(code="VR04", name="IJsselland")
    enschede = MunicipalityFactory(code="GM0153", name="Enschede", safety_region=twente)
    hengelo = MunicipalityFactory(code="GM0164", name="Hengelo", safety_region=twente)
    deventer = MunicipalityFactory(code="GM0150", name="Deventer", safety_region=ijsselland)
    for municipality, inhabitants in ((enschede, 160_640), (hengelo, 81_476), (deventer, 101_236)):
        KeyFigureFactory(municipality=municipality, population=inhabitants)
    location = LocationFactory(code="LOC-ENS", name="Noodopvang Enschede", municipality=enschede)
    other_location = LocationFactory(
        code="LOC-HEN", name="Noodopvang Hengelo", municipality=hengelo
    )
    report = CapacityReportFactory(location=location, date=datetime.date(2023, 1, 2))
    CapacityReportFactory(location=other_location, date=datetime.date(2023, 1, 2))
    assignment = assignment_with_shares(code="asylum-2023", total=100, region=twente)
    exchange = exchange_create(
        from_municipality=enschede,
        from_assignment=assignment,
        to_municipality=hengelo,
        places=5,
        reason="Hengelo neemt plaatsen over",
        date=datetime.date(2023, 2, 1),
    )
    meeting = MeetingFactory()
    action = ActionFactory(item=AgendaItemFactory(meeting=meeting))
    return World(
        enschede=enschede,
        hengelo=hengelo,
        deventer=deventer,
        location=location,
        other_location=other_location,
        report=report,
        assignment=assignment,
        exchange=exchange,
        meeting=meeting,
        action=action,
    )


ROLES = [
    "anonymous",
    "no_role",
    "provincial_reader",
    "project_leader",
    "project_leader_elsewhere",
    "secretary",
    "coordinator",
    "coordinator_elsewhere",
]


def make_user(role: str, world: World):
    """The account behind a matrix role; `None` for anonymous callers.

    `project_leader` works for Enschede, whose objects the matrix touches;
    `project_leader_elsewhere` works for Hengelo (same region, other municipality);
    `coordinator_elsewhere` coordinates IJsselland (VR04).
    """
    twente = world.enschede.safety_region
    if role == "anonymous":
        return None
    if role == "no_role":
        return UserFactory(username="no-role", scope__region=twente)
    if role == "project_leader":
        return UserFactory(
            username="pl-ens", role="project_leader", scope__municipality=world.enschede
        )
    if role == "project_leader_elsewhere":
        return UserFactory(
            username="pl-hen", role="project_leader", scope__municipality=world.hengelo
        )
    if role == "coordinator_elsewhere":
        return UserFactory(
            username="coord-vr04",
            role="coordinator",
            scope__region=world.deventer.safety_region,
        )
    return UserFactory(username=role, role=role, scope__region=twente)
