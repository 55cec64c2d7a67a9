from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import AllocationPreviewView, AssignmentViewSet, ExchangeViewSet

router = SimpleRouter()
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("exchanges", ExchangeViewSet, basename="exchange")

urlpatterns = [
    path("allocations/preview/", AllocationPreviewView.as_view(), name="allocation-preview"),
    *router.urls,
]
