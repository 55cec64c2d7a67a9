from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def get_user_with_membership(backend: ModelBackend, user_id):
    """ModelBackend.get_user, with the user's membership (region, province, municipality) in
    the same query: `municipalities.roles.membership_of` reads it on every page."""
    from municipalities.models import Membership

    user_model = get_user_model()
    try:
        user = user_model._default_manager.select_related(
            "membership__safety_region__province", "membership__municipality"
        ).get(pk=user_id)
    except user_model.DoesNotExist:
        return None
    try:
        user._membership = user.membership
    except Membership.DoesNotExist:
        user._membership = None
    return user if backend.user_can_authenticate(user) else None


class LocalPasswordBackend(ModelBackend):
    """Username and password. With LOCAL_LOGIN=false it accepts no password at all, so the
    admin's form and any other path are closed too, not just the login page's form."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LOCAL_LOGIN:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    get_user = get_user_with_membership
