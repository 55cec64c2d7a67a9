"""Writes for assignments, shares and exchanges, and the distribution preview.

Expected business errors are Django ``ValidationError``s with Dutch messages: a dict keyed by
field (or CBS code for share rows) where the error belongs to one input, a plain message
otherwise. Views turn them into form errors, the API into 400 responses.

Split by concern: ``distribution`` (preview and computed shares), ``assignments`` (create,
update, adopt, close, agreed shares), ``exchanges`` and ``recompute`` (realisation and the worker).
"""

from .assignments import (
    DISTRIBUTION_FIELDS,
    EDITABLE_FIELDS,
    assignment_adopt,
    assignment_create,
    assignment_update,
    assignments_close,
    shares_agree,
    shares_set_status,
)
from .credits import credit_create, credit_remove
from .distribution import (
    Options,
    Preview,
    PreviewShare,
    assignment_preview,
    display_decimal,
    shares_compute,
)
from .exchanges import exchange_create, exchange_withdraw
from .provincial import provincial_task_create, provincial_task_split
from .recompute import (
    assignments_recompute,
    assignments_recompute_enqueue,
    carry_over_recompute,
    realisation_date,
    realisation_followup,
    realisation_recompute,
)

__all__ = [
    "DISTRIBUTION_FIELDS",
    "EDITABLE_FIELDS",
    "Options",
    "Preview",
    "PreviewShare",
    "assignment_adopt",
    "assignment_create",
    "assignment_preview",
    "assignment_update",
    "assignments_close",
    "assignments_recompute",
    "assignments_recompute_enqueue",
    "carry_over_recompute",
    "credit_create",
    "credit_remove",
    "display_decimal",
    "exchange_create",
    "exchange_withdraw",
    "provincial_task_create",
    "provincial_task_split",
    "realisation_date",
    "realisation_followup",
    "realisation_recompute",
    "shares_agree",
    "shares_set_status",
    "shares_compute",
]
