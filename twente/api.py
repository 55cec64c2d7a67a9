from django.conf import settings
from django.db.models import QuerySet
from rest_framework.authtoken.models import Token
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import SimpleRateThrottle

UNIQUE_TAIL = {"pk", "-pk", "id", "-id"}


def totally_ordered(queryset):
    """The queryset with its ordering completed by the primary key.

    Page boundaries are only stable when no two rows compare equal: with `?ordering=name` and
    two locations of the same name, the database may return them in either order on each
    request, and a client paging through would see one twice and miss the other.
    """
    if not isinstance(queryset, QuerySet) or queryset.query.combinator:
        return queryset
    query = queryset.query
    ordering = list(query.order_by) or (
        list(queryset.model._meta.ordering) if query.default_ordering else []
    )
    if ordering and isinstance(ordering[-1], str) and ordering[-1] in UNIQUE_TAIL:
        return queryset
    return queryset.order_by(*ordering, "pk")


class Pagination(PageNumberPagination):
    """`page_size` up to 500 (larger values are capped; 0, negative or non-numeric values give
    the default of 50); every page in a total order (see `totally_ordered`)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        return super().paginate_queryset(totally_ordered(queryset), request, view)


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
