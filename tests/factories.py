import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from municipalities.models import KeyFigure, Membership, Municipality, Province, SafetyRegion

PASSWORD = "correct-horse-battery-staple"


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ["code"]

    code = "PV23"
    name = "Overijssel"


class SafetyRegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafetyRegion
        django_get_or_create = ["code"]

    code = "VR05"
    name = "Twente"
    province = factory.SubFactory(ProvinceFactory)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["code"]

    # Stays within GM9000-GM9999 (six characters, clear of real CBS codes) however long the run.
    code = factory.Sequence(lambda n: f"GM{9000 + n % 1000:04d}")
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    safety_region = factory.SubFactory(SafetyRegionFactory)


class KeyFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyFigure

    municipality = factory.SubFactory(MunicipalityFactory)
    date = datetime.date(2022, 1, 1)
    population = 25_000


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        # set_password only changes the instance; store it so force_login sessions stay valid.
        if create:
            instance.save()

    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """`UserFactory(role="coordinator", municipality=m, region=r)` sets group and scope."""
        if not create or not extracted:
            return
        group, _ = Group.objects.get_or_create(name=extracted)
        self.groups.add(group)

    @factory.post_generation
    def scope(self, create, extracted, **kwargs):
        if not create:
            return
        municipality = kwargs.get("municipality")
        region = kwargs.get("region") or (
            municipality.safety_region if municipality else SafetyRegionFactory()
        )
        Membership.objects.update_or_create(
            user=self, defaults={"safety_region": region, "municipality": municipality}
        )
