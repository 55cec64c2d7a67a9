"""The reference and seed data of `load_twente`, one loader per app, run in dependency order."""

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def load_all(*, directory: Path = FIXTURES) -> dict[str, int]:
    from municipalities.services import groups_ensure, reference_data_load

    groups_ensure()
    counts = reference_data_load(directory=directory)
    from capacity.seed import load as capacity_load

    counts |= capacity_load(directory=directory)
    from allocation.seed import load as allocation_load  # after capacity: realisation

    counts |= allocation_load(directory=directory)
    from meetings.seed import load as meetings_load  # last: meetings point at everything

    counts |= meetings_load(directory=directory)
    return counts
