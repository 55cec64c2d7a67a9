"""Who may find places and place people.

- coordinators (the phone team) find and place anywhere in their safety region;
- project leaders place only into their own municipality's locations (403 otherwise) and
  find places there through the API;
- secretaries and provincial readers have no part in matching (403).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from capacity.models import Location
from municipalities.models import Role
from municipalities.roles import has_role, membership_of

from .models import Placement, PlacementQuerySet, PlacementRequest

NO_MATCHING = _("Alleen het telefoonteam (coördinatoren) en projectleiders kunnen plaatsen.")
NOT_YOURS = _("U mag alleen plaatsen in locaties van uw eigen gemeente.")
NOT_YOUR_REGION = _("Deze locatie of plaatsing ligt buiten uw veiligheidsregio.")
MATCHERS = (Role.COORDINATOR, Role.PROJECT_LEADER)


def may_match(user) -> bool:
    return has_role(user, *MATCHERS)


def check_can_place(user, location: Location) -> None:
    """403 unless the user may place people into (or end placements of) `location`."""
    membership = membership_of(user)
    if membership is None or not may_match(user):
        raise PermissionDenied(NO_MATCHING)
    if has_role(user, Role.COORDINATOR):
        if location.municipality.safety_region_id == membership.safety_region_id:
            return
        if not has_role(user, Role.PROJECT_LEADER):
            raise PermissionDenied(NOT_YOUR_REGION)
    if location.municipality_id != membership.municipality_id:
        raise PermissionDenied(NOT_YOURS)


def check_can_use_request(user, request: PlacementRequest) -> None:
    membership = membership_of(user)
    if (
        membership is None
        or not has_role(user, Role.COORDINATOR)
        or request.region_id != membership.safety_region_id
    ):
        raise PermissionDenied(NOT_YOUR_REGION)


def visible_placements(user) -> PlacementQuerySet:
    """Coordinators: the region's placements; project leaders: their municipality's."""
    membership = membership_of(user)
    if membership is None or not may_match(user):
        return Placement.objects.none()
    if has_role(user, Role.COORDINATOR):
        return Placement.objects.filter(
            location__municipality__safety_region_id=membership.safety_region_id
        )
    if membership.municipality_id is None:
        return Placement.objects.none()
    return Placement.objects.filter(location__municipality_id=membership.municipality_id)
