from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from municipalities.models import Role
from municipalities.roles import has_role


class HasAnyRole(BasePermission):
    """An authenticated account without any of the four roles sees nothing."""

    message = _("Uw account heeft geen rol in dit systeem.")

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated) and has_role(
            request.user, *Role.values
        )
