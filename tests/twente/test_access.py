import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


def test_anonymous_is_redirected_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("path", ["/admin/", "/api/docs/"])
def test_anonymous_cannot_reach_other_pages(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_login_page_and_health_are_public(client, db):
    assert client.get(reverse("login")).status_code == 200
    assert client.get("/health/").status_code == 200


def test_logging_in_through_the_form_shows_the_region_and_role(client, twente):
    user = UserFactory(username="coordinator", role="coordinator")
    response = client.post(
        reverse("login"), {"username": "coordinator", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"] == user
    content = response.content.decode()
    assert "Veiligheidsregio Twente" in content
    assert "Coördinator" in content
    assert "Uitloggen" in content


def test_wrong_password_is_refused_in_dutch(client, twente):
    UserFactory(username="coordinator", role="coordinator")
    response = client.post(reverse("login"), {"username": "coordinator", "password": "wrong"})
    assert response.status_code == 200
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in response.content.decode()


def test_home_lists_the_fourteen_municipalities(client, twente):
    client.force_login(UserFactory(role="project_leader"))
    response = client.get("/")
    assert response.status_code == 200
    names = [m.name for m in response.context["municipalities"]]
    assert len(names) == 14 and "Enschede" in names and "Wierden" in names
    assert "633.917" in response.content.decode()


def test_an_account_without_a_role_is_refused(client, twente):
    client.force_login(UserFactory(username="nobody"))
    assert client.get("/").status_code == 403


@pytest.mark.parametrize("role", ["coordinator", "project_leader", "provincial_reader"])
def test_only_the_secretary_role_is_staff_for_the_admin(client, twente, role):
    client.force_login(UserFactory(role=role))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_english_is_available(client, twente):
    client.force_login(UserFactory(role="coordinator"))
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()
    assert "Log out" in response.content.decode()


def test_logout_ends_the_session(client, twente):
    client.force_login(UserFactory(role="coordinator"))
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302
