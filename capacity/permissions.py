"""Who may see and change which locations and counts; shared by the pages and the API.

- coordinators see and change everything in their safety region;
- project leaders see and change their own municipality's locations only (a project leader
  who is also coordinator has the coordinator's reach);
- secretaries and provincial readers read the region's locations, and change nothing;
- a location yet to open is named only to its region's coordinators and its own
  municipality's project leaders (`discretion.py`); to everybody else it does not exist (404).
Objects outside a user's reach give 403 (PermissionDenied), not 404: the caller may know the
object exists, and must learn they may not touch it.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality, MunicipalityQuerySet, Role
from municipalities.roles import has_role, membership_of

from .discretion import check_named, named_only
from .models import Location, LocationQuerySet

NOT_YOURS = _("U mag alleen locaties en tellingen van uw eigen gemeente bekijken en wijzigen.")
READ_ONLY = _("Uw rol mag locaties en tellingen alleen inzien.")


def _is_coordinator(user) -> bool:
    return has_role(user, Role.COORDINATOR)


def visible_locations(user) -> LocationQuerySet:
    return named_only(user, _locations_in_reach(user))


def _locations_in_reach(user) -> LocationQuerySet:
    membership = membership_of(user)
    if membership is None or not has_role(user, *Role.values):
        return Location.objects.none()
    if has_role(user, Role.COORDINATOR, Role.SECRETARY, Role.PROVINCIAL_READER):
        return Location.objects.filter(municipality__safety_region_id=membership.safety_region_id)
    if membership.municipality_id is None:
        return Location.objects.none()
    return Location.objects.filter(municipality_id=membership.municipality_id)


def editable_municipalities(user) -> MunicipalityQuerySet:
    membership = membership_of(user)
    if membership is None:
        return Municipality.objects.none()
    if _is_coordinator(user):
        return Municipality.objects.filter(safety_region_id=membership.safety_region_id)
    if has_role(user, Role.PROJECT_LEADER) and membership.municipality_id is not None:
        return Municipality.objects.filter(pk=membership.municipality_id)
    return Municipality.objects.none()


def editable_locations(user) -> LocationQuerySet:
    """The locations whose counts and placements the user may write, by code: the forms'
    choices. Every write still checks the object itself (`check_can_edit`, matching's
    `check_can_place`), so a location outside this list gives 403, not a silent pass."""
    return Location.objects.filter(municipality__in=editable_municipalities(user)).order_by("code")


def may_write(user) -> bool:
    return has_role(user, Role.COORDINATOR, Role.PROJECT_LEADER)


def can_edit_municipality(user, municipality: Municipality) -> bool:
    membership = membership_of(user)
    if membership is None or municipality is None:
        return False
    if _is_coordinator(user) and municipality.safety_region_id == membership.safety_region_id:
        return True
    return has_role(user, Role.PROJECT_LEADER) and municipality.pk == membership.municipality_id


def can_view_location(user, location: Location) -> bool:
    membership = membership_of(user)
    if membership is None:
        return False
    if has_role(user, Role.COORDINATOR, Role.SECRETARY, Role.PROVINCIAL_READER):
        if location.municipality.safety_region_id == membership.safety_region_id:
            return True
    return has_role(user, Role.PROJECT_LEADER) and (
        location.municipality_id == membership.municipality_id
    )


def check_can_edit(user, municipality: Municipality) -> None:
    if not may_write(user):
        raise PermissionDenied(READ_ONLY)
    if not can_edit_municipality(user, municipality):
        raise PermissionDenied(NOT_YOURS)


def location_for_view(user, code: str) -> Location:
    location = get_object_or_404(Location.objects.select_related("municipality"), code=code)
    check_named(user, location)
    if not can_view_location(user, location):
        raise PermissionDenied(NOT_YOURS)
    return location


def location_for_edit(user, code: str) -> Location:
    location = get_object_or_404(Location.objects.select_related("municipality"), code=code)
    check_can_edit(user, location.municipality)
    return location
