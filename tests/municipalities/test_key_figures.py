import datetime

from municipalities.models import Municipality
from tests.factories import KeyFigureFactory, MunicipalityFactory


def test_population_on_a_date_uses_the_figure_valid_then(db):
    municipality = MunicipalityFactory()
    KeyFigureFactory(municipality=municipality, date=datetime.date(2022, 1, 1), population=100)
    KeyFigureFactory(municipality=municipality, date=datetime.date(2023, 1, 1), population=120)

    assert municipality.population_on(datetime.date(2021, 12, 31)) is None
    assert municipality.population_on(datetime.date(2022, 6, 1)) == 100
    assert municipality.population_on(datetime.date(2023, 1, 1)) == 120
    assert municipality.population_on() == 120


def test_key_figures_of_all_municipalities_come_in_one_query(db, django_assert_num_queries):
    for n in range(20):
        municipality = MunicipalityFactory()
        KeyFigureFactory(municipality=municipality, date=datetime.date(2022, 1, 1), population=n)
        KeyFigureFactory(
            municipality=municipality,
            date=datetime.date(2023, 1, 1),
            population=None,
            land_area_km2=10 + n,
        )

    with django_assert_num_queries(1):
        rows = list(Municipality.objects.with_key_figures(on=datetime.date(2023, 6, 1)))

    assert len(rows) == 20
    # A newer row with only a land area does not hide the older population figure.
    assert all(row.population is not None and row.land_area_km2 is not None for row in rows)
