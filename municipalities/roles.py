"""Who may do what: roles are Django groups; scope comes from the user's membership."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .models import Membership, Municipality, Province, Role, SafetyRegion


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
    """The user's membership with its region, province and municipality (one query, cached on
    the user object for the rest of the request)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_membership"):
        user._membership = (
            Membership.objects.select_related("safety_region__province", "municipality")
            .filter(user=user)
            .first()
        )
    return user._membership


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
                raise PermissionDenied(_("U heeft geen toegang tot deze pagina."))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Reading above one's own municipality: regions, provinces and the country -----------------

# The refusals, the same on the pages and in the API.
REGION_REFUSED = _("U heeft geen toegang tot de cijfers van deze regio.")
PROVINCE_REFUSED = _("U heeft geen toegang tot de cijfers van deze provincie.")
COUNTRY_REFUSED = _("U heeft geen toegang tot het landelijke overzicht.")


def home_region_of(user) -> SafetyRegion | None:
    """The user's region; an account without a membership (an administrator) has the home
    region of this installation."""
    return region_of(user) or SafetyRegion.objects.filter(code=settings.HOME_REGION).first()


def may_read_region(user, region: SafetyRegion) -> bool:
    """Everybody reads their own region's figures; provincial readers every region of their
    province (the provincial table divides the province's task between them)."""
    own = home_region_of(user)
    if own is None or not roles_of(user):
        return False
    if own.pk == region.pk:
        return True
    return has_role(user, Role.PROVINCIAL_READER) and own.province_id == region.province_id


def may_read_province(user, province: Province) -> bool:
    """The sums per region of a province: its provincial readers, and the coordinators of its
    regions (they sit at the provincial table)."""
    own = home_region_of(user)
    if own is None or not has_role(user, Role.COORDINATOR, Role.PROVINCIAL_READER):
        return False
    return own.province_id == province.pk


def may_read_country(user) -> bool:
    """The national sums per province and region (no municipality or location detail)."""
    return has_role(user, Role.COORDINATOR, Role.PROVINCIAL_READER)


def readable_regions(user):
    """The regions whose dashboard a user may open, by code (one query)."""
    own = home_region_of(user)
    if own is None or not roles_of(user):
        return SafetyRegion.objects.none()
    if has_role(user, Role.PROVINCIAL_READER):
        return SafetyRegion.objects.filter(province_id=own.province_id).order_by("code")
    return SafetyRegion.objects.filter(pk=own.pk)


def reads_other_regions(user) -> bool:
    """Whether `readable_regions` can hold more than the user's own region."""
    return has_role(user, Role.PROVINCIAL_READER)
