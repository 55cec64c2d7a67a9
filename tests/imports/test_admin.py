"""The admin's way into the imports is a link to the upload page; its export stays."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, reverse

from tests.factories import UserFactory

CHANGE_LISTS = {
    "admin:municipalities_municipality_changelist": "municipalities",
    "admin:municipalities_keyfigure_changelist": "population",
    "admin:capacity_location_changelist": "locations",
    "admin:capacity_capacityreport_changelist": "capacity-reports",
    "admin:capacity_permitholderreport_changelist": "permit-holders",
}


@pytest.fixture
def admin_user(db):
    return UserFactory(username="beheer", is_superuser=True, is_staff=True)


@pytest.mark.parametrize(("name", "kind"), CHANGE_LISTS.items())
def test_every_change_list_links_to_the_upload_page_with_its_kind(client, admin_user, name, kind):
    client.force_login(admin_user)
    page = client.get(reverse(name)).content.decode()
    assert f'href="{reverse("imports:list")}?kind={kind}"' in page


@pytest.mark.parametrize("name", [name.replace("changelist", "import") for name in CHANGE_LISTS])
def test_the_admin_has_no_import_of_its_own(name):
    with pytest.raises(NoReverseMatch):
        reverse(name)


def test_the_upload_page_opens_with_the_kind_chosen(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("imports:list"), {"kind": "locations"}).content.decode()
    assert '<option value="locations" selected>' in page


def test_staff_without_an_import_role_see_no_import_link(client, db):
    secretary = UserFactory(role="secretary", is_staff=True)
    secretary.user_permissions.add(Permission.objects.get(codename="view_location"))
    client.force_login(secretary)
    page = client.get(reverse("admin:capacity_location_changelist"))
    assert page.status_code == 200
    assert reverse("imports:list") not in page.content.decode()
    assert client.get(reverse("imports:list")).status_code == 403


def test_the_admin_still_exports(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:capacity_location_export")).status_code == 200
    assert 'class="export_link"' in client.get(reverse(CHANGE_LISTS_FIRST)).content.decode()


CHANGE_LISTS_FIRST = next(iter(CHANGE_LISTS))
