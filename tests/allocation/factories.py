import datetime

import factory

from allocation.choices import AssignmentStatus, Issuer, Key, Method
from allocation.models import Assignment
from allocation.services import assignment_create
from capacity.choices import TargetGroup
from municipalities.models import SafetyRegion
from tests.factories import SafetyRegionFactory


class AssignmentFactory(factory.django.DjangoModelFactory):
    """An assignment row without shares; use `assignment_with_shares` for a computed one."""

    class Meta:
        model = Assignment
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"task-{n}")
    title = factory.Sequence(lambda n: f"Taakstelling {n}")
    target_group = TargetGroup.ASYLUM
    issuer = Issuer.PROVINCE
    region = factory.SubFactory(SafetyRegionFactory)
    total = 100
    deadline = datetime.date(2024, 1, 1)
    reference_date = datetime.date(2022, 1, 1)
    key = Key.POPULATION
    method = Method.LARGEST_REMAINDER
    status = AssignmentStatus.DRAFT


_counter = iter(range(1, 1_000_000))


def assignment_with_shares(**fields) -> Assignment:
    """An assignment created through the service, so its shares are computed (region VR05)."""
    n = next(_counter)
    defaults = {
        "code": f"task-{n}",
        "title": f"Taakstelling {n}",
        "target_group": TargetGroup.ASYLUM,
        "issuer": Issuer.PROVINCE,
        "region": SafetyRegion.objects.get(code="VR05"),
        "total": 1944,
        "deadline": datetime.date(2024, 1, 1),
        "reference_date": datetime.date(2022, 1, 1),
    }
    return assignment_create(**{**defaults, **fields})
