"""The backend's own checks on the ID token (mozilla-django-oidc checks signature, expiry and
nonce; these add issuer and audience), and the axes whitelist for provider callbacks."""

import time

import jwt
import pytest
from axes.models import AccessAttempt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import authenticate
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory

from accounts.oidc import OIDCBackend, is_oidc_attempt
from tests.factories import UserFactory

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = (
    KEY.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)


def id_token(**claims) -> str:
    now = int(time.time())
    payload = {
        "iss": "https://idp.example.nl",
        "aud": "opvang-twente",
        "sub": "s",
        "nonce": "n",
        "iat": now,
        "exp": now + 300,
        **claims,
    }
    return jwt.encode(payload, KEY, algorithm="RS256")


@pytest.fixture
def pinned(oidc_on, settings):
    settings.OIDC_RP_IDP_SIGN_KEY = PUBLIC_PEM
    return OIDCBackend()


def test_a_token_for_this_client_from_this_issuer_is_accepted(pinned):
    assert pinned.verify_token(id_token(), nonce="n")["sub"] == "s"
    assert pinned.verify_token(id_token(aud=["other", "opvang-twente"]), nonce="n")


@pytest.mark.parametrize(
    "claims",
    [{"aud": "another-client"}, {"aud": []}, {"iss": "https://evil.example"}, {"nonce": "x"}],
)
def test_a_token_for_someone_else_is_refused(pinned, claims):
    with pytest.raises(SuspiciousOperation):
        pinned.verify_token(id_token(**claims), nonce="n")


def test_an_expired_token_is_refused(pinned):
    with pytest.raises(jwt.ExpiredSignatureError):
        pinned.verify_token(id_token(exp=int(time.time()) - 10), nonce="n")


def test_the_backend_stays_out_of_password_logins(pinned, db):
    request = RequestFactory().post("/accounts/login/")
    assert pinned.authenticate(request, username="x", password="y") is None


def test_a_refused_provider_callback_does_not_count_towards_the_lockout(db, settings, oidc_on):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    assert is_oidc_attempt(None, {"nonce": "n", "code_verifier": "v"})
    for _ in range(3):
        request = RequestFactory().get("/accounts/oidc/callback/", REMOTE_ADDR="192.0.2.1")
        assert authenticate(request, nonce="n", code_verifier="v") is None
    assert not AccessAttempt.objects.exists()
    # Password guesses from the same address still do.
    UserFactory(username="coord")
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="192.0.2.1")
    assert authenticate(request, username="coord", password="fout") is None
    assert AccessAttempt.objects.filter(username="coord").exists()
