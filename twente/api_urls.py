"""Every path of the REST API under /api/v1/, without trailing slashes (NL GOV ADR
/core/no-trailing-slash): routers are `SimpleRouter(trailing_slash=False)` and paths have no
final slash; `tests/api/test_conventions.py` holds every API route to it."""

from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularYAMLAPIView
from rest_framework.routers import SimpleRouter

from municipalities.api import MunicipalityViewSet

from .api_overview import NationalOverviewView, OverviewView, ProvinceOverviewView

router = SimpleRouter(trailing_slash=False)
router.register("municipalities", MunicipalityViewSet, basename="municipality")

urlpatterns = [
    # The OpenAPI document, public (NL GOV ADR /core/publish-openapi).
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi-json"),
    path("openapi.yaml", SpectacularYAMLAPIView.as_view(), name="openapi-yaml"),
    path("overview", OverviewView.as_view(), name="api-overview"),
    path("overview/province", ProvinceOverviewView.as_view(), name="api-overview-province"),
    path("overview/national", NationalOverviewView.as_view(), name="api-overview-national"),
    path("", include("capacity.api_urls")),
    path("", include("meetings.api_urls")),
    path("", include("allocation.api_urls")),
    path("", include("matching.api_urls")),
    path("", include(router.urls)),
]
