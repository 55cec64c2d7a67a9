"""`manage.py load_demo` refuses what it must not do (tests/twente/test_demo.py: what it does)."""

import io

import pytest
from django.core.management import CommandError, call_command

from capacity.models import Location


@pytest.mark.django_db
def test_it_refuses_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=io.StringIO())
    assert not Location.objects.exists()


@pytest.mark.django_db
def test_it_asks_for_the_reference_data_first(settings):
    settings.DEBUG = True

    with pytest.raises(CommandError, match="load_twente"):
        call_command("load_demo", stdout=io.StringIO())
    assert not Location.objects.exists()
