"""E-mail settings from the environment: EMAIL_URL, the EMAIL_* variables, or the console."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.twente.test_settings import run
from twente.settings import email_settings_from_url

SMTP = "django.core.mail.backends.smtp.EmailBackend"
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({name: getattr(settings, name) for name in ("
    "'EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD', "
    "'EMAIL_USE_TLS', 'EMAIL_USE_SSL', 'EMAIL_TIMEOUT', 'DEFAULT_FROM_EMAIL', 'SITE_URL')}))"
)


def probe(**env) -> dict:
    result = run(PROBE, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_starttls_url_with_an_encoded_password():
    assert email_settings_from_url("smtp+tls://mailer:p%40ss%2Fw0rd@smtp.example.nl:2587") == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "smtp.example.nl",
        "EMAIL_PORT": 2587,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "p@ss/w0rd",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [
        ("smtp+tls://smtp.example.nl", 587, True, False),
        ("smtp+ssl://smtp.example.nl", 465, False, True),
        ("smtp://relay.internal", 25, False, False),
    ],
)
def test_each_smtp_scheme_has_its_port_and_encryption(url, port, tls, ssl):
    found = email_settings_from_url(url)
    assert (found["EMAIL_PORT"], found["EMAIL_USE_TLS"], found["EMAIL_USE_SSL"]) == (port, tls, ssl)
    assert found["EMAIL_HOST_USER"] == found["EMAIL_HOST_PASSWORD"] == ""


@pytest.mark.parametrize(
    ("url", "backend"),
    [("console:", "console"), ("memory:", "locmem"), ("dummy:", "dummy")],
)
def test_the_development_backends(url, backend):
    assert email_settings_from_url(url) == {
        "EMAIL_BACKEND": f"django.core.mail.backends.{backend}.EmailBackend"
    }


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("smpt://smtp.example.nl", "unknown scheme 'smpt'"),
        ("smtp+tls://:587", "host name is missing"),
        ("smtp+tls://smtp.example.nl:abc", "port is not a number"),
    ],
)
def test_a_mistyped_url_fails_loudly(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        email_settings_from_url(url)


def test_without_environment_mail_goes_to_the_console():
    found = probe()
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert found["SITE_URL"] == "http://127.0.0.1:8000"
    assert found["EMAIL_TIMEOUT"] == 30


def test_email_url_configures_smtp():
    found = probe(
        EMAIL_URL="smtp+tls://user:pass@smtp.example.nl:587",
        DEFAULT_FROM_EMAIL="Opvang Twente <opvang@example.nl>",
        SITE_URL="https://opvang.example.nl/",
    )
    assert (found["EMAIL_BACKEND"], found["EMAIL_HOST"], found["EMAIL_PORT"]) == (
        SMTP,
        "smtp.example.nl",
        587,
    )
    assert (found["EMAIL_HOST_USER"], found["EMAIL_HOST_PASSWORD"]) == ("user", "pass")
    assert found["EMAIL_USE_TLS"] is True
    assert found["DEFAULT_FROM_EMAIL"] == "Opvang Twente <opvang@example.nl>"
    assert found["SITE_URL"] == "https://opvang.example.nl"


def test_the_email_variables_configure_smtp():
    found = probe(EMAIL_HOST="mail.example.nl", EMAIL_PORT="465", EMAIL_HOST_USER="u")
    assert (found["EMAIL_BACKEND"], found["EMAIL_HOST"], found["EMAIL_PORT"]) == (
        SMTP,
        "mail.example.nl",
        465,
    )
    assert (found["EMAIL_USE_SSL"], found["EMAIL_USE_TLS"]) == (True, False)
    assert probe(EMAIL_HOST="mail.example.nl")["EMAIL_USE_TLS"] is True  # 587 by default


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"EMAIL_URL": "smtp+tls://"}, "host name is missing"),
        (
            {"EMAIL_HOST": "m.example.nl", "EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"},
            "exclude",
        ),
        ({"SITE_URL": "opvang.example.nl"}, "SITE_URL must start with"),
    ],
)
def test_bad_mail_settings_stop_the_start(env, message):
    result = run(PROBE, **env)
    assert result.returncode != 0
    assert message in result.stderr
