"""The one base of the business errors every app's services raise.

It lives here, at the bottom of the dependency graph (every app uses `municipalities`), so
that `capacity`, `allocation`, `matching` and `meetings` can raise it without importing the
project package. The API's exception handler (`twente.api_errors`) maps each kind to its HTTP
status and answers with problem details; pages show the message. A subclass picks the kind:

    class NoRoomError(ConflictError): ...

A business error that is also a Django `ValidationError` (say `StaleVersionError`) keeps
working where forms expect one, and its field messages become the problem's `invalidParams`.
"""


class BusinessError(Exception):
    """An expected refusal with a Dutch message for the person or client asking (400)."""

    status_code = 400
    code = "invalid"


class BadRequestError(BusinessError):
    """The request cannot be carried out as asked: impossible numbers, rules broken."""


class ForbiddenError(BusinessError):
    """The caller's role, region or municipality does not allow it."""

    status_code = 403
    code = "permission_denied"


class NotFoundError(BusinessError):
    """What the request names does not exist (or not for the caller)."""

    status_code = 404
    code = "not_found"


class ConflictError(BusinessError):
    """The state changed under the caller (someone else saved; no room any more)."""

    status_code = 409
    code = "conflict"
