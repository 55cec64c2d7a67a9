"""Which meeting or action a user may open: one whose body is in their reach (the rule of
`meetings.readers`, which the lists apply through `visible_to`). Shared by the pages, the
exports and the API.

An existing meeting or action outside that reach gives 403 (PermissionDenied), not 404, as
for locations and assignments: the caller may know it exists and must learn it is not theirs.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from municipalities.models import Role
from municipalities.roles import has_role, region_of

from .models import Body, BodyQuerySet, Entry, Meeting
from .readers import reach_of


def check_body_readable(user, body: Body) -> None:
    """403 with the reason unless `user` reads `body`'s minutes (no query: compares ids)."""
    refusal = reach_of(user).refusal(body)
    if refusal is not None:
        raise PermissionDenied(refusal)


def _get(queryset, pk):
    """One row by primary key; 404 also for a key that is not a number (API paths)."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404(_("Niet gevonden.")) from None


def meeting_for(user, pk, queryset) -> Meeting:
    """The meeting `pk` from `queryset` (which selects its body); 404 when it does not exist,
    403 when its body is out of the user's reach."""
    meeting = _get(queryset, pk)
    check_body_readable(user, meeting.body)
    return meeting


def action_for(user, pk, queryset) -> Entry:
    """As `meeting_for`, for an entry from `queryset` (which selects item__meeting__body)."""
    entry = _get(queryset, pk)
    check_body_readable(user, entry.item.meeting.body)
    return entry


def bodies_kept_by(user) -> BodyQuerySet:
    """The bodies whose minutes `user` keeps in the admin: a superuser all of them, a
    secretary those of their own safety region. A provincial body (the PRT) is kept by
    nobody but a superuser: the regions of the province all read it, and two regional
    secretaries editing the same minutes would overwrite each other."""
    if user.is_superuser:
        return Body.objects.all()
    if not has_role(user, Role.SECRETARY):
        return Body.objects.none()
    return Body.objects.of_region(region_of(user))


def user_keeps_body(user, body: Body) -> bool:
    """As `bodies_kept_by`, for one body, without a query (compares ids)."""
    if user.is_superuser:
        return True
    region = region_of(user)
    return (
        has_role(user, Role.SECRETARY) and region is not None and body.safety_region_id == region.pk
    )
