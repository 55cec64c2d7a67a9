from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import MatchesView, PlacementViewSet

# No trailing slashes on API paths (NL GOV ADR /core/no-trailing-slash).
router = SimpleRouter(trailing_slash=False)
router.register("placements", PlacementViewSet, basename="placement")

urlpatterns = [
    path("matches", MatchesView.as_view(), name="api-matches"),
    *router.urls,
]
