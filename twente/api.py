from django.conf import settings
from rest_framework.authtoken.models import Token
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import SimpleRateThrottle


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class TokenClientThrottle(SimpleRateThrottle):
    """Rate limit per API token (settings.API_TOKEN_THROTTLE_RATE); sessions are not limited."""

    scope = "token"

    def get_rate(self) -> str:
        # Read at request time, not import time, so the rate follows the settings.
        return settings.API_TOKEN_THROTTLE_RATE

    def allow_request(self, request, view) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, Token):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
