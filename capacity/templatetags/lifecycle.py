"""`{% effective_status location on %}`: a location's state on a date, as a badge with words."""

import datetime

from django import template

from capacity.lifecycle import EffectiveStatus, effective_status_text, location_effective_status

register = template.Library()

BADGE = {
    EffectiveStatus.OPERATIONAL: "success",
    EffectiveStatus.WINDING_DOWN: "warning",
    EffectiveStatus.CLOSED: "danger",
    EffectiveStatus.CONTRACT_ENDED: "danger",
}


@register.inclusion_tag("capacity/_effective_status.html")
def effective_status(location, on: datetime.date) -> dict:
    # Lists annotate `effective_status` in SQL; a single location is computed here, by the
    # same rule (capacity/lifecycle.py).
    state = getattr(location, "effective_status", None) or location_effective_status(location, on)
    return {
        "state": state,
        "badge": BADGE.get(state, "neutral"),
        "text": effective_status_text(location, on),
    }
