"""Signing a benchmark's test client in as a user who has given the second factor.

Coordinators and secretaries owe a second factor (accounts/, issue 19); without it every page
redirects to its set-up and the API treats the session as signed out, so a benchmark would
time redirects. This gives the user a confirmed authenticator device and marks the session
as verified with it, as django_otp.login does after a correct code.
"""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def sign_in_verified(client, user) -> None:
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Benchmark", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
