import datetime

import pytest

from tests.factories import ProvinceFactory, SafetyRegionFactory

# The real SMTP server of the notifications tests, for the meeting pack (test_pack).
from tests.notifications.conftest import mail_settings, smtp, smtp_port  # noqa: F401

from .factories import ActionFactory, AgendaItemFactory, BodyFactory, MeetingFactory


@pytest.fixture
def fourteen(db):
    """Twente's 14 municipalities (the reference data only: quicker than all of load_twente)."""
    from municipalities.services import groups_ensure, reference_data_load
    from twente.seeding import FIXTURES

    groups_ensure()
    reference_data_load(directory=FIXTURES)


@pytest.fixture
def seeded(fourteen):
    """The 14 municipalities and the meetings of the seed documents."""
    from meetings.seed import load
    from twente.seeding import FIXTURES

    return load(directory=FIXTURES)


@pytest.fixture
def area():
    """Twente and IJsselland (Overijssel) each with a TRA; the PRT of Overijssel; a body of
    Gelderland's region VR06 and the PRT of Gelderland. One meeting with an open action each."""
    overijssel = ProvinceFactory(code="PV23", name="Overijssel")
    gelderland = ProvinceFactory(code="PV25", name="Gelderland")
    twente = SafetyRegionFactory(code="VR05", name="Twente", province=overijssel)
    ijsselland = SafetyRegionFactory(code="VR04", name="IJsselland", province=overijssel)
    gelderland_noord = SafetyRegionFactory(code="VR06", name="NOG", province=gelderland)
    bodies = {
        "tra_twente": BodyFactory(code="TRA", safety_region=twente),
        "tra_ijsselland": BodyFactory(
            code="TRA", name="Regietafel IJsselland", safety_region=ijsselland
        ),
        "prt_overijssel": BodyFactory(code="PRT", safety_region=None, province=overijssel),
        "rt_gelderland": BodyFactory(code="RT", safety_region=gelderland_noord),
        "prt_gelderland": BodyFactory(code="PRT", safety_region=None, province=gelderland),
    }
    meetings = {}
    for n, (key, body) in enumerate(bodies.items()):
        meeting = MeetingFactory(body=body, date=datetime.date(2024, 1, 10 + n))
        ActionFactory(item=AgendaItemFactory(meeting=meeting), text=f"Actie van {key}")
        meetings[key] = meeting
    return {
        "twente": twente,
        "ijsselland": ijsselland,
        "overijssel": overijssel,
        "gelderland": gelderland,
        "bodies": bodies,
        "meetings": meetings,
    }
