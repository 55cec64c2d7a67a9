from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import CapacityOutlookView, CapacityReportViewSet, LocationViewSet
from .housing.api import PermitHolderReportViewSet
from .national.api import NationalFigureViewSet

# No trailing slashes on API paths (NL GOV ADR /core/no-trailing-slash).
router = SimpleRouter(trailing_slash=False)
router.register("locations", LocationViewSet, basename="location")
router.register("capacity-reports", CapacityReportViewSet, basename="capacity-report")
router.register("permit-holder-reports", PermitHolderReportViewSet, basename="permit-holder-report")
router.register("national-figures", NationalFigureViewSet, basename="national-figure")

urlpatterns = [
    path("capacity-outlook", CapacityOutlookView.as_view(), name="capacity-outlook"),
    *router.urls,
]
