"""Who may do what: roles are Django groups; scope comes from the user's membership."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied

from .models import Membership, Municipality, Role, SafetyRegion


def roles_of(user) -> frozenset[str]:
    """The role names of a user, cached on the user object for the rest of the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(name for name in names if name in Role.values)
        user._role_names = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user).intersection(roles))


def membership_of(user) -> Membership | None:
    if not user.is_authenticated:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def municipality_of(user) -> Municipality | None:
    membership = membership_of(user)
    return membership.municipality if membership else None


def region_of(user) -> SafetyRegion | None:
    membership = membership_of(user)
    return membership.safety_region if membership else None


def primary_role(user) -> str | None:
    """The role shown in the header: the most powerful one a user has."""
    names = roles_of(user)
    for role in (Role.COORDINATOR, Role.SECRETARY, Role.PROJECT_LEADER, Role.PROVINCIAL_READER):
        if role.value in names:
            return role.value
    return None


def role_required(*roles: str) -> Callable:
    """View decorator: 403 unless the user has one of `roles` (login is enforced globally)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied("U heeft geen toegang tot deze pagina.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
