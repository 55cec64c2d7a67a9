from rest_framework.routers import SimpleRouter

from .api import ActionViewSet, MeetingViewSet

router = SimpleRouter()
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("actions", ActionViewSet, basename="action")

urlpatterns = router.urls
