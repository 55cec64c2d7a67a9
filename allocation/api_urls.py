from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import AllocationPreviewView, AssignmentViewSet, ExchangeViewSet
from .credits_api import CreditViewSet

# No trailing slashes on API paths (NL GOV ADR /core/no-trailing-slash).
router = SimpleRouter(trailing_slash=False)
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("exchanges", ExchangeViewSet, basename="exchange")
router.register("credits", CreditViewSet, basename="credit")

urlpatterns = [
    path("allocations/preview", AllocationPreviewView.as_view(), name="allocation-preview"),
    *router.urls,
]
