"""Template filters for figure sets (`capacity.figures`)."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def percent(rate: Decimal | None) -> Decimal | None:
    """A figure set's rate (a fraction) in percent, for `floatformat`; None stays None."""
    return None if rate is None else rate * 100
