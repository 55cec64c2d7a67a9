import pytest


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
