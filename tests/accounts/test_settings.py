"""The sign-in settings from the environment, each case in a fresh interpreter."""

import json
import sys

from tests.twente.test_settings import PRODUCTION, run

PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'oidc': settings.OIDC_ENABLED, 'map': settings.OIDC_ROLE_MAP, "
    "'bypass': settings.TWO_FACTOR_BYPASS, 'local': settings.LOCAL_LOGIN, "
    "'pattern': settings.OIDC_MUNICIPALITY_PATTERN.pattern}))"
)
OIDC = {
    "OIDC_RP_CLIENT_ID": "opvang",
    "OIDC_RP_CLIENT_SECRET": "geheim",
    "OIDC_OP_DISCOVERY_URL": "https://login.example.nl/realms/opvang",
}


def probe(**env) -> dict:
    result = run(PROBE, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_by_default_oidc_is_off_and_local_logins_need_the_second_factor():
    found = probe()
    assert found["oidc"] is False and found["local"] is True and found["bypass"] is False
    assert found["map"]["coordinator"] == ["coordinator"]


def test_the_client_id_switches_oidc_on():
    assert probe(**OIDC)["oidc"] is True


def test_the_role_map_reads_pairs_or_json():
    found = probe(OIDC_ROLE_MAP="Opvang.Coordinator=coordinator, Opvang.PL=project_leader")
    assert found["map"] == {"Opvang.Coordinator": ["coordinator"], "Opvang.PL": ["project_leader"]}
    found = probe(OIDC_ROLE_MAP='{"/opvang/beheer": ["coordinator", "secretary"]}')
    assert found["map"] == {"/opvang/beheer": ["coordinator", "secretary"]}


def test_bad_sign_in_settings_are_refused_at_start():
    cases = [
        ({"OIDC_RP_CLIENT_ID": "opvang"}, "OIDC_RP_CLIENT_SECRET must be set"),
        (
            {"OIDC_RP_CLIENT_ID": "opvang", "OIDC_RP_CLIENT_SECRET": "x"},
            "OIDC needs OIDC_OP_DISCOVERY_URL",
        ),
        ({"LOCAL_LOGIN": "false"}, "LOCAL_LOGIN=false needs OpenID Connect"),
        ({"OIDC_ROLE_MAP": "coordinator"}, "is not of the form value=role"),
        ({"OIDC_MUNICIPALITY_PATTERN": "GM\\d{4}"}, "exactly one group"),
        ({"OIDC_REGION_PATTERN": "(VR"}, "not a valid regular expression"),
        ({**PRODUCTION, "TWO_FACTOR_BYPASS": "true"}, "only allowed with DEBUG on"),
    ]
    for env, message in cases:
        result = run(PROBE, **env)
        assert result.returncode != 0, env
        assert message in result.stderr, (env, result.stderr[-500:])


def test_the_bypass_is_allowed_in_a_development_install():
    assert probe(TWO_FACTOR_BYPASS="true")["bypass"] is True


def test_the_check_names_unknown_roles():
    result = run(
        [sys.executable, "manage.py", "check"],
        OIDC_ROLE_MAP="x=admin",
        TWO_FACTOR_ROLES="coordinator,beheerder",
    )
    assert result.returncode != 0
    assert "accounts.E001" in result.stderr and "accounts.E002" in result.stderr


def test_empty_mapping_variables_mean_the_defaults():
    found = probe(OIDC_ROLE_MAP="", OIDC_MUNICIPALITY_PATTERN="")
    assert found["map"]["coordinator"] == ["coordinator"]
    assert found["pattern"] == r"^(GM\d{4})$"
