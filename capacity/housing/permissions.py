"""Who may see and report permit-holder housing: the rules of the capacity reports.

Coordinators, secretaries and provincial readers see their region's reports, project leaders
their own municipality's; coordinators (region) and project leaders (own municipality) write.
"""

from municipalities.models import Municipality, MunicipalityQuerySet, Role
from municipalities.roles import has_role, membership_of

from ..models import PermitHolderReport, PermitHolderReportQuerySet


def visible_municipalities(user) -> MunicipalityQuerySet:
    membership = membership_of(user)
    if membership is None or not has_role(user, *Role.values):
        return Municipality.objects.none()
    if has_role(user, Role.COORDINATOR, Role.SECRETARY, Role.PROVINCIAL_READER):
        return Municipality.objects.filter(safety_region_id=membership.safety_region_id)
    if membership.municipality_id is None:
        return Municipality.objects.none()
    return Municipality.objects.filter(pk=membership.municipality_id)


def visible_reports(user) -> PermitHolderReportQuerySet:
    return PermitHolderReport.objects.filter(municipality__in=visible_municipalities(user))


def can_view_municipality(user, municipality: Municipality) -> bool:
    membership = membership_of(user)
    if membership is None:
        return False
    if has_role(user, Role.COORDINATOR, Role.SECRETARY, Role.PROVINCIAL_READER):
        if municipality.safety_region_id == membership.safety_region_id:
            return True
    return has_role(user, Role.PROJECT_LEADER) and municipality.pk == membership.municipality_id
