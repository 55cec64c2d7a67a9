from rest_framework.routers import SimpleRouter

from .api import ActionViewSet, MeetingViewSet

# No trailing slashes on API paths (NL GOV ADR /core/no-trailing-slash).
router = SimpleRouter(trailing_slash=False)
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("actions", ActionViewSet, basename="action")

urlpatterns = router.urls
