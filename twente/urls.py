from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts import views as accounts_views
from municipalities.api import MunicipalityViewSet
from municipalities.views import municipality_list

from .api_overview import NationalOverviewView, OverviewView, ProvinceOverviewView
from .dashboard.views import dashboard
from .health import health
from .notifications.views import counts_status, set_language

# One login page for the whole site, the admin included: the organisation's account, the local
# form and the second factor live there, not on the admin's own form.
admin.site.login = accounts_views.admin_login
admin.site.logout = accounts_views.logout  # ends the provider's session too

router = DefaultRouter()
router.register("municipalities", MunicipalityViewSet, basename="municipality")

urlpatterns = [
    path("", dashboard, name="home"),
    path("dashboard/", include("twente.dashboard.urls")),
    path("municipalities/", municipality_list, name="municipalities"),
    path("health/", health, name="health"),
    path("accounts/login/", accounts_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts_views.logout, name="logout"),
    path("accounts/", include("accounts.urls")),
    # Django's language switch, which also remembers the choice for the e-mails.
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/overview/", OverviewView.as_view(), name="api-overview"),
    path(
        "api/v1/overview/province/",
        ProvinceOverviewView.as_view(),
        name="api-overview-province",
    ),
    path(
        "api/v1/overview/national/",
        NationalOverviewView.as_view(),
        name="api-overview-national",
    ),
    path("api/v1/", include("capacity.api_urls")),
    path("api/v1/", include("meetings.api_urls")),
    path("api/v1/", include("allocation.api_urls")),
    path("api/v1/", include("matching.api_urls")),
    path("api/v1/", include(router.urls)),
    # The completeness page composes capacity's reporting status and the reminders sent.
    path("counts/status/", counts_status, name="counts-status"),
    path("notifications/", include("twente.notifications.urls")),
    path("", include("capacity.urls")),
    path("", include("meetings.urls")),
    path("", include("allocation.urls")),
    path("", include("matching.urls")),
    path("imports/", include("twente.imports.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # DRF marks its views login-exempt; a person opening the docs should see the login form.
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
]


def not_found(request, exception):
    """API callers get JSON for unknown paths too; people get the Dutch page."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Niet gevonden."}, status=404)
    return page_not_found(request, exception)


handler404 = not_found
