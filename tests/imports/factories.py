import factory

from imports.models import ImportKind, ImportRun, ImportStatus
from tests.factories import SafetyRegionFactory, UserFactory


class ImportRunFactory(factory.django.DjangoModelFactory):
    """A recorded run (no file behind it): for pages that list or show runs."""

    class Meta:
        model = ImportRun

    kind = ImportKind.CAPACITY_REPORTS
    file_name = factory.Sequence(lambda n: f"meldingen-{n}.csv")
    sha256 = "0" * 64
    size = 1234
    user = factory.SubFactory(UserFactory, role="coordinator")
    safety_region = factory.SubFactory(SafetyRegionFactory)
    status = ImportStatus.VALIDATED
