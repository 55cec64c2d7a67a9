from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import MatchesView, PlacementViewSet

router = SimpleRouter()
router.register("placements", PlacementViewSet, basename="placement")

urlpatterns = [
    path("matches/", MatchesView.as_view(), name="api-matches"),
    *router.urls,
]
