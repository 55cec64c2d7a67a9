from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import CapacityOutlookView, CapacityReportViewSet, LocationViewSet
from .housing.api import PermitHolderReportViewSet

router = SimpleRouter()
router.register("locations", LocationViewSet, basename="location")
router.register("capacity-reports", CapacityReportViewSet, basename="capacity-report")
router.register("permit-holder-reports", PermitHolderReportViewSet, basename="permit-holder-report")

urlpatterns = [
    path("capacity-outlook/", CapacityOutlookView.as_view(), name="capacity-outlook"),
    *router.urls,
]
