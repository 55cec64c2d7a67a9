import datetime

from django.core.management import call_command

from capacity.models import CapacityReport, Location, OccupancySnapshot
from capacity.selectors import capacity_outlook, occupancy_by_target_group, realised_places

DEC_2022 = datetime.date(2022, 12, 31)


def test_the_seed_has_the_cno_locations_and_the_azcs(twente):
    assert Location.objects.filter(type="cno").count() == 16
    assert set(Location.objects.filter(type="azc").values_list("place", "status")) == {
        ("Hengelo", "operational"),
        ("Almelo", "operational"),
        ("Albergen", "preparing"),
    }
    assert Location.objects.get(code="AZC-TUB").planned_capacity == 150
    assert CapacityReport.objects.filter(source="seed").count() == 18


def test_the_seeded_figures_match_the_seeds(twente):
    places = realised_places(on=DEC_2022)
    cno = sum(report.capacity for report in CapacityReport.objects.filter(location__type="cno"))
    assert cno == 379  # seed 002 appendix 4 (twente/fixtures/README.md)
    assert places[("GM0164", "asylum")] == 250 + 30
    assert sum(places.values()) == 379 + 644
    asylum = occupancy_by_target_group(on=DEC_2022)[0]
    assert (asylum.operational, asylum.occupied) == (1023, 361 + 612)
    assert asylum.level == "tipping_point"  # round(capacity x 0.95) everywhere


def test_the_cno_places_are_gone_after_july_2023(twente):
    assert sum(realised_places(on=datetime.date(2023, 8, 1)).values()) == 644 + 19  # Wierden
    outlook = {
        row["month"]: row["places"]
        for row in capacity_outlook(start=datetime.date(2023, 6, 1), months=4)
        if row["target_group"] == "asylum"
    }
    # Albergen (150, planned capacity) has no opening date, so it is not in the outlook.
    assert outlook[datetime.date(2023, 7, 1)] == 1023
    assert outlook[datetime.date(2023, 8, 1)] == 644 + 19  # Wierden has no end date


def test_loading_twice_changes_nothing(twente):
    snapshots = sorted(
        OccupancySnapshot.objects.values_list("municipality_id", "target_group", "date", "capacity")
    )
    counts = (Location.history.count(), CapacityReport.history.count())
    call_command("load_twente", verbosity=0)
    assert (Location.history.count(), CapacityReport.history.count()) == counts
    assert Location.objects.count() == 19 and CapacityReport.objects.count() == 18
    assert (
        sorted(
            OccupancySnapshot.objects.values_list(
                "municipality_id", "target_group", "date", "capacity"
            )
        )
        == snapshots
    )
