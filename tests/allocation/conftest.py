import pytest

from municipalities.services import reference_data_load
from twente.seeding import FIXTURES


@pytest.fixture
def region(db):
    """Provinces, safety regions and Twente's 14 municipalities with their 2022 population:
    the part of `load_twente` the allocation needs, without locations and meetings."""
    reference_data_load(directory=FIXTURES)
