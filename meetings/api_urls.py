from rest_framework.routers import SimpleRouter

from .annotation_api import AnnotationViewSet
from .api import ActionViewSet, MeetingViewSet
from .portfolio_api import PortfolioViewSet

# No trailing slashes on API paths (NL GOV ADR /core/no-trailing-slash).
router = SimpleRouter(trailing_slash=False)
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("actions", ActionViewSet, basename="action")
router.register("annotations", AnnotationViewSet, basename="annotation")
router.register("portfolios", PortfolioViewSet, basename="portfolio")

urlpatterns = router.urls
