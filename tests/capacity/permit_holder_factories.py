import datetime

import factory

from capacity.models import PermitHolderReport
from tests.factories import MunicipalityFactory


class PermitHolderReportFactory(factory.django.DjangoModelFactory):
    """A housing report saved directly (no recompute); the services are tested on their own."""

    class Meta:
        model = PermitHolderReport

    municipality = factory.SubFactory(MunicipalityFactory)
    date = datetime.date(2023, 3, 31)
    housed = 10
    housed_amv = 0
    linked = 5
