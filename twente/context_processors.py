from django.conf import settings

from municipalities.models import Role
from municipalities.roles import membership_of, primary_role, roles_of


def user_scope(request) -> dict:
    """Header facts: the user's region, municipality and role, read once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    membership = membership_of(user)
    role = primary_role(user)
    return {
        "scope_region": membership.safety_region if membership else None,
        "scope_municipality": membership.municipality if membership else None,
        "scope_role_label": Role(role).label if role else "",
        "scope_roles": roles_of(user),
        "home_region_code": settings.HOME_REGION,
    }
