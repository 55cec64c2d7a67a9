import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

PASSWORD = "een-lang-wachtwoord-2024"


@pytest.fixture
def password_env(monkeypatch):
    monkeypatch.setenv("USER_PASSWORD", PASSWORD)


def test_it_creates_a_project_leader_for_one_municipality(twente, password_env):
    call_command("add_user", "pl", "--role", "project_leader", "--municipality", "GM0153")
    user = get_user_model().objects.get(username="pl")
    assert user.check_password(PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == ["project_leader"]
    assert user.membership.municipality.name == "Enschede"
    assert user.membership.safety_region.code == "VR05"


def test_a_coordinator_gets_the_home_region(twente, password_env):
    call_command("add_user", "co", "--role", "coordinator")
    assert get_user_model().objects.get(username="co").membership.safety_region.code == "VR05"


def test_a_secretary_may_use_the_admin(twente, password_env):
    call_command("add_user", "se", "--role", "secretary")
    assert get_user_model().objects.get(username="se").is_staff


def test_a_project_leader_needs_a_municipality(twente, password_env):
    with pytest.raises(CommandError, match="projectleider hoort bij één gemeente"):
        call_command("add_user", "pl", "--role", "project_leader")
    assert not get_user_model().objects.filter(username="pl").exists()


def test_it_refuses_an_unknown_municipality(twente, password_env):
    with pytest.raises(CommandError, match="Onbekende gemeente"):
        call_command("add_user", "pl", "--role", "project_leader", "--municipality", "GM9999")


def test_it_refuses_a_municipality_outside_the_region(twente, password_env):
    with pytest.raises(CommandError, match="hoort niet bij veiligheidsregio"):
        call_command(
            "add_user",
            "pl",
            "--role",
            "project_leader",
            "--municipality",
            "GM0153",
            "--region",
            "VR04",
        )


def test_it_refuses_an_unknown_role(twente, password_env):
    with pytest.raises(CommandError):
        call_command("add_user", "x", "--role", "admin")


def test_it_applies_the_password_validators(twente, monkeypatch):
    monkeypatch.setenv("USER_PASSWORD", "123")
    with pytest.raises(CommandError, match="te kort"):
        call_command("add_user", "co", "--role", "coordinator")
    assert not get_user_model().objects.filter(username="co").exists()


def test_demo_accounts_refuse_to_run_in_production(twente, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="nooit in productie"):
        call_command("demo_accounts")


def test_demo_accounts_print_their_passwords_once(twente, settings, capsys):
    settings.DEBUG = True
    call_command("demo_accounts")
    first = capsys.readouterr().out
    assert "coordinator" in first and "wachtwoord: demo-" in first
    call_command("demo_accounts")
    assert "bestaan al" in capsys.readouterr().out
    assert (
        get_user_model().objects.get(username="projectleider").membership.municipality.code
        == "GM0153"
    )


def test_it_sets_the_email_address_for_the_notifications(twente, password_env):
    call_command("add_user", "co", "--role", "coordinator", "--email", " co@example.nl ")
    assert get_user_model().objects.get(username="co").email == "co@example.nl"
    # Provisioning again without --email keeps the address.
    call_command("add_user", "co", "--role", "coordinator")
    assert get_user_model().objects.get(username="co").email == "co@example.nl"


def test_it_refuses_an_invalid_email_address(twente, password_env):
    with pytest.raises(CommandError, match="Ongeldig e-mailadres"):
        call_command("add_user", "co", "--role", "coordinator", "--email", "co@")
    assert not get_user_model().objects.filter(username="co").exists()


def test_demo_accounts_have_an_email_address(twente, settings, capsys):
    settings.DEBUG = True
    call_command("demo_accounts")
    assert (
        get_user_model().objects.get(username="projectleider").email
        == "projectleider@opvang-twente.example"
    )
