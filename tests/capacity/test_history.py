import datetime

from capacity.history import location_history
from capacity.services import location_update, report_submit
from tests.factories import MunicipalityFactory, UserFactory

from .factories import LocationFactory

DAY = datetime.date(2023, 3, 6)


def test_every_change_is_kept_with_who_and_what(db, django_assert_max_num_queries):
    author = UserFactory(username="jansen", role="project_leader")
    coordinator = UserFactory(username="de-vries", role="coordinator")
    location = LocationFactory(name="Oud")
    hengelo = MunicipalityFactory(code="GM0164", name="Hengelo")
    location = location_update(location=location, user=author, name="Nieuw")
    location = location_update(location=location, user=coordinator, municipality=hengelo)
    report_submit(location=location, date=DAY, capacity=60, occupied=50, source="api", user=author)
    report_submit(
        location=location, date=DAY, capacity=60, occupied=55, source="form", user=coordinator
    )
    with django_assert_max_num_queries(3):
        entries = location_history(location)
    described = [
        (e.who, e.subject, e.action, [(c.field, c.old, c.new) for c in e.changes]) for e in entries
    ]
    assert described == [
        (
            "de-vries",
            "Melding 06-03-2023",
            "gewijzigd",
            [("bezet", "50", "55"), ("bron", "API", "Formulier")],
        ),
        ("jansen", "Melding 06-03-2023", "aangemaakt", []),
        (
            "de-vries",
            "Locatie",
            "gewijzigd",
            [("gemeente", location_municipality_before(entries), "Hengelo")],
        ),
        ("jansen", "Locatie", "gewijzigd", [("naam", "Oud", "Nieuw")]),
        ("systeem", "Locatie", "aangemaakt", []),
    ]


def location_municipality_before(entries):
    change = next(c for e in entries for c in e.changes if c.field == "gemeente")
    return change.old
