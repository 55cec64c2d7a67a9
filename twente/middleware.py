import logging

from django.contrib.auth.middleware import LoginRequiredMiddleware as BaseLoginRequired
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

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
        message = (
            "Het systeem is tijdelijk niet bereikbaar: de database of de takenwachtrij "
            "antwoordt niet. Probeer het over enkele minuten opnieuw."
        )
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=503)
        return HttpResponse(render_to_string("503.html", {"message": message}), status=503)
