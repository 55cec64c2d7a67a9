"""Whose minutes a user reads: the one rule behind the meeting pages, their exports and the API.

- Coordinators, project leaders and secretaries read the bodies of their own safety region
  (TRA, BAO) and of its province (the PRT): the tables their region sits at.
- A provincial reader reads the bodies of their own province (the PRT) only, never a region's
  TRA or BAO, not even of the region their account is registered in: the provincial table is
  theirs, a region's table is the municipalities' business.
- An account with both kinds of role reads both; an account without a region reads nothing.

`reach_of(user)` states the rule once; its `q()` filters querysets (the queryset methods
`visible_to`) and `refusal()` judges one body already fetched, without a query.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipalities.models import Role
from municipalities.roles import has_role, region_of

# The refusals of an existing meeting or action outside the reach (403, pages and API alike).
OTHER_REGION = _("Dit overleg hoort bij een andere veiligheidsregio of provincie.")
REGIONAL_TABLE = _(
    "Als provinciale lezer leest u de overleggen van uw provincie (de provinciale regietafel), "
    "niet die van de regionale tafels."
)

REGIONAL_ROLES = (Role.COORDINATOR, Role.PROJECT_LEADER, Role.SECRETARY)


@dataclass(frozen=True)
class Reach:
    """The bodies a user reads: those of `region_id` and those of `province_id` (None: none)."""

    region_id: int | None = None
    province_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return self.region_id is None and self.province_id is None

    def q(self, *, prefix: str = "") -> Q:
        """The rows whose body (reached through `prefix`, e.g. "body__") is in reach. Only for
        a non-empty reach: an empty one is `queryset.none()`, decided by the caller."""
        q = Q()
        if self.region_id is not None:
            q |= Q(**{f"{prefix}safety_region_id": self.region_id})
        if self.province_id is not None:
            q |= Q(**{f"{prefix}province_id": self.province_id})
        return q

    def includes(self, body) -> bool:
        return (self.region_id is not None and body.safety_region_id == self.region_id) or (
            self.province_id is not None and body.province_id == self.province_id
        )

    def refusal(self, body) -> str | None:
        """None when `body` is in reach, else the reason to give (compares ids, no query)."""
        if self.includes(body):
            return None
        if self.region_id is None and self.province_id is not None and body.province_id is None:
            return REGIONAL_TABLE
        return OTHER_REGION


def reach_of(user) -> Reach:
    """The rule (see the module docstring), from the user's roles and membership (both cached
    on the user for the request, so asking again costs nothing)."""
    region = region_of(user)
    if region is None:
        return Reach()
    if has_role(user, *REGIONAL_ROLES):
        return Reach(region_id=region.pk, province_id=region.province_id)
    if has_role(user, Role.PROVINCIAL_READER):
        return Reach(province_id=region.province_id)
    return Reach()
