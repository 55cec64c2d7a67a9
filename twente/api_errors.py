"""Problem details (RFC 9457, `application/problem+json`) for every error of the API.

One DRF exception handler (`REST_FRAMEWORK["EXCEPTION_HANDLER"]`) answers every exception an
API view raises, so views never build an error response by hand:

- business errors (`municipalities.errors.BusinessError` and its kinds) with their status
  (400, 403, 404, 409) and Dutch message;
- Django's `ValidationError` from a service (400), `PermissionDenied` (403) and `Http404`
  (404, never Django's "No X matches the given query.");
- DRF's own exceptions: validation errors (400), 401, 403, 405, 406, 415, 429, ...

Validation errors list each field in `invalidParams` (`name`, `code`, `reason`); messages that
concern no single field go in `detail`. Errors raised outside DRF's views under the API (an
unknown path, a trailing slash, a server error) are turned into the same shape by
`twente.middleware.ApiMiddleware`.
"""

from http import HTTPStatus

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from municipalities.errors import BusinessError

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: gettext_lazy("Ongeldige invoer"),
    401: gettext_lazy("Niet ingelogd"),
    403: gettext_lazy("Geen toegang"),
    404: gettext_lazy("Niet gevonden"),
    405: gettext_lazy("Methode niet toegestaan"),
    406: gettext_lazy("Antwoordformaat niet beschikbaar"),
    409: gettext_lazy("Conflict"),
    415: gettext_lazy("Formaat van de invoer niet ondersteund"),
    429: gettext_lazy("Te veel verzoeken"),
    500: gettext_lazy("Interne fout"),
    503: gettext_lazy("Tijdelijk niet beschikbaar"),
}
NOT_FOUND = gettext_lazy("Er is niets op dit adres, of het gevraagde bestaat niet.")
INVALID = gettext_lazy("De invoer is niet in orde; zie invalidParams per veld.")
SERVER_ERROR = gettext_lazy(
    "Er ging iets mis aan onze kant. Probeer het later opnieuw; blijft het misgaan, meld het "
    "dan bij het functioneel beheer."
)


def problem_type(status: int) -> str:
    """The `type` of a problem: the status code's definition in the HTTP standard."""
    if status == 429:
        return "https://www.rfc-editor.org/rfc/rfc6585#section-4"
    return f"https://www.rfc-editor.org/rfc/rfc9110#status.{status}"


def problem_title(status: int) -> str:
    title = TITLES.get(status)
    if title is not None:
        return str(title)
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return str(status)


def problem_response(
    request,
    status: int,
    detail: str,
    *,
    code: str | None = None,
    invalid_params: list[dict] | None = None,
    headers: dict | None = None,
) -> JsonResponse:
    body = {
        "type": problem_type(status),
        "title": problem_title(status),
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if code:
        body["code"] = code
    if invalid_params is not None:
        body["invalidParams"] = invalid_params
    response = JsonResponse(
        body,
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def generic_detail(status: int) -> str:
    """The message of an error that carries none of its own (outside DRF's views)."""
    if status == 404:
        return str(NOT_FOUND)
    if status >= 500:
        return str(SERVER_ERROR)
    return problem_title(status)


def _param(name: str, reason: str, code: str | None) -> dict:
    return {"name": name, "code": code or "invalid", "reason": reason}


def _django_errors(exc: DjangoValidationError) -> tuple[list[str], list[dict]]:
    """A service's ValidationError as (general messages, invalidParams)."""
    if not hasattr(exc, "error_dict"):
        return list(exc.messages), []
    general, params = [], []
    for field, errors in exc.error_dict.items():
        for error in errors:
            for message in error.messages:
                if field == NON_FIELD_ERRORS:
                    general.append(message)
                else:
                    params.append(_param(field, message, error.code))
    return general, params


def _drf_errors(detail, prefix: str = ""):
    """DRF's nested error detail (dicts of fields, lists, nested serializers) as
    (name, message, code) triples; name "" for errors of the input as a whole."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key == api_settings.NON_FIELD_ERRORS_KEY:
                name = prefix
            elif isinstance(key, int) or str(key).isdigit():
                name = f"{prefix}[{key}]"
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            yield from _drf_errors(value, name)
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            if isinstance(item, dict | list):
                yield from _drf_errors(item, f"{prefix}[{index}]")
            else:
                yield prefix, str(item), getattr(item, "code", None)
    else:
        yield prefix, str(detail), getattr(detail, "code", None)


def _validation_problem(request, general: list[str], params: list[dict], code: str = "invalid"):
    detail = " ".join(general) if general else str(INVALID)
    return problem_response(request, 400, detail, code=code, invalid_params=params)


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every error as problem details (see the module docstring)."""
    request = context["request"]
    response = _problem_for(exc, request)
    if response is not None:
        # As DRF's own handler: an error undoes the request's writes in ATOMIC_REQUESTS.
        set_rollback()
    return response


def _problem_for(exc, request):
    if isinstance(exc, BusinessError):
        if isinstance(exc, DjangoValidationError):
            general, params = _django_errors(exc)
            if exc.status_code == 400:
                return _validation_problem(request, general, params, exc.code)
            detail = " ".join(general + [param["reason"] for param in params])
        else:
            detail = str(exc)
        return problem_response(
            request, exc.status_code, detail or problem_title(exc.status_code), code=exc.code
        )
    if isinstance(exc, DjangoValidationError):
        return _validation_problem(request, *_django_errors(exc))
    if isinstance(exc, Http404):
        return problem_response(request, 404, str(NOT_FOUND), code="not_found")
    if isinstance(exc, DjangoPermissionDenied):
        detail = str(exc) or str(exceptions.PermissionDenied.default_detail)
        return problem_response(request, 403, detail, code="permission_denied")
    if isinstance(exc, exceptions.ValidationError):
        general, params = [], []
        for name, message, code in _drf_errors(exc.detail):
            if name:
                params.append(_param(name, message, code))
            else:
                general.append(message)
        return _validation_problem(request, general, params)
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        detail = " ".join(message for _name, message, _code in _drf_errors(exc.detail))
        return problem_response(
            request,
            exc.status_code,
            detail or problem_title(exc.status_code),
            code=exc.default_code,
            headers=headers,
        )
    return None
