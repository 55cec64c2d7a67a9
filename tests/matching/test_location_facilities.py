"""The facilities a location offers (capacity.Location), as the phone team matches on them."""

import pytest

from capacity.models import Location

from .factories import location_with_room

pytestmark = pytest.mark.django_db


def test_a_coordinator_sets_facilities_in_the_location_form(client, coordinator):
    location = location_with_room(code="X", municipality__safety_region__code="VR05")
    client.force_login(coordinator)
    form = client.get(f"/locations/{location.code}/edit/").content.decode()
    assert 'name="accessible"' in form and 'name="pets"' in form
    data = {
        "version": location.version,
        "name": location.name,
        "municipality": location.municipality.pk,
        "place": location.place,
        "type": location.type,
        "target_group": location.target_group,
        "status": location.status,
        "accessible": "on",
        "pets": "on",
    }
    response = client.post(f"/locations/{location.code}/edit/", data)
    assert response.status_code == 302, response.content.decode()
    saved = Location.objects.get(pk=location.pk)
    assert (saved.accessible, saved.ground_floor, saved.family_rooms, saved.pets) == (
        True,
        False,
        False,
        True,
    )
    detail = client.get(f"/locations/{location.code}/").content.decode()
    facilities = detail.split('data-testid="location-facilities">')[1].split("</dd>")[0]
    assert "rolstoeltoegankelijk" in facilities and "huisdieren" in facilities
    assert "gezinskamers" not in facilities


def test_the_location_api_reads_and_writes_facilities(api_client, coordinator):
    location = location_with_room(code="X")
    api_client.force_authenticate(coordinator)
    response = api_client.patch(
        f"/api/v1/locations/{location.code}",
        {"family_rooms": True, "version": location.version},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["family_rooms"] is True
    assert Location.objects.get(pk=location.pk).family_rooms is True
