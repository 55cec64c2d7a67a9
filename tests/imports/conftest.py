import datetime
from pathlib import Path

import pytest

from tests.capacity.factories import LocationFactory
from tests.factories import MunicipalityFactory

from .files import write_csv


@pytest.fixture(autouse=True)
def _private_upload_dir(settings, tmp_path):
    """Uploads waiting for confirmation go to a directory of the test's own."""
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")


@pytest.fixture
def enschede(db):
    return MunicipalityFactory(code="GM0153", name="Enschede")


@pytest.fixture
def hengelo(db):
    return MunicipalityFactory(code="GM0164", name="Hengelo")


@pytest.fixture
def locations(enschede, hengelo):
    """Two locations in Enschede and one in Hengelo, all in VR05 (Twente)."""
    return {
        "ENS-1": LocationFactory(code="ENS-1", municipality=enschede),
        "ENS-2": LocationFactory(code="ENS-2", municipality=enschede),
        "HGL-1": LocationFactory(code="HGL-1", municipality=hengelo),
    }


@pytest.fixture
def reports_csv(tmp_path, locations) -> Path:
    return write_csv(
        tmp_path,
        "meldingen.csv",
        [
            ["location", "date", "capacity", "occupied"],
            ["ENS-1", "2023-01-02", 60, 50],
            ["ENS-2", "02-01-2023", 40, 40],
            ["HGL-1", "2-1-2023", 25, 20],
            ["ENS-1", "2023-01-09", 60, 55],
        ],
    )


DAY = datetime.date(2023, 1, 2)
