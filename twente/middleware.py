import logging

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as BaseLoginRequired
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.common import CommonMiddleware as BaseCommonMiddleware
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from .api_errors import PROBLEM_CONTENT_TYPE, generic_detail, problem_response

logger = logging.getLogger(__name__)


class LoginRequiredMiddleware(BaseLoginRequired):
    """Login required for every page, except views marked `login_not_required`.

    API endpoints are left to DRF: a machine client must get 401 with a WWW-Authenticate
    header, not a redirect to an HTML login form. DRF's default permission is IsAuthenticated.
    """

    api_prefixes = ("/api/v1/", "/api/schema/")

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(self.api_prefixes):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class ServiceUnavailableMiddleware:
    """When the database or Redis is down, say so (503) instead of showing a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from redis.exceptions import ConnectionError as RedisConnectionError

        if not isinstance(exception, OperationalError | InterfaceError | RedisConnectionError):
            return None
        logger.error("service unavailable: %s", exception.__class__.__name__, exc_info=exception)
        message = _(
            "Het systeem is tijdelijk niet bereikbaar: de database of de takenwachtrij "
            "antwoordt niet. Probeer het over enkele minuten opnieuw."
        )
        if request.path.startswith("/api/"):
            return problem_response(request, 503, message, code="service_unavailable")
        return HttpResponse(render_to_string("503.html", {"message": message}), status=503)


# The REST API proper: problem details for every error, no trailing-slash redirects.
API_PREFIXES = ("/api/v1/", "/api/schema/")
# Published without login, to be read from anywhere (NL GOV ADR /core/publish-openapi).
PUBLIC_SCHEMA_PATHS = ("/api/v1/openapi.json", "/api/v1/openapi.yaml", "/api/schema/")
# The transport security module of the NL GOV API Design Rules, on every API response.
API_SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
# JSON is never framed nor runs anything; the docs page (HTML) keeps the site's policy.
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"


def is_api_path(path: str) -> bool:
    return path == "/api/v1" or path.startswith(API_PREFIXES)


class ApiMiddleware:
    """The headers of every response under /api/ (redirects included), and problem details
    for the errors that never reached a DRF view under the API: an unknown path, a trailing
    slash, a server error. First in MIDDLEWARE, so that it sees every response last."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/api/"):
            return response
        if (
            is_api_path(request.path)
            and response.status_code >= 400
            and response.get("Content-Type", "") != PROBLEM_CONTENT_TYPE
        ):
            response = self._as_problem(request, response)
        response["API-Version"] = settings.API_VERSION
        for name, value in API_SECURITY_HEADERS.items():
            response[name] = value
        if not response.get("Content-Type", "").startswith("text/html"):
            response["Content-Security-Policy"] = API_CONTENT_SECURITY_POLICY
        if request.path in PUBLIC_SCHEMA_PATHS:
            response["Access-Control-Allow-Origin"] = "*"
        return response

    @staticmethod
    def _as_problem(request, response):
        problem = problem_response(
            request, response.status_code, generic_detail(response.status_code)
        )
        for name in ("Allow", "WWW-Authenticate", "Retry-After"):
            if name in response:
                problem[name] = response[name]
        return problem


class CommonMiddleware(BaseCommonMiddleware):
    """Django's, except that API paths are never redirected to their slashed form: the API's
    paths have no trailing slash, and one with a slash is a 404 (NL GOV ADR
    /core/no-trailing-slash)."""

    def should_redirect_with_slash(self, request):
        if is_api_path(request.path_info):
            return False
        return super().should_redirect_with_slash(request)
