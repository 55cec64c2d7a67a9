from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from accounts import views as accounts_views
from municipalities.views import municipality_list

from .api_docs import ApiDocsView
from .dashboard.views import dashboard
from .health import health
from .notifications.views import counts_status, set_language

# One login page for the whole site, the admin included: the organisation's account, the local
# form and the second factor live there, not on the admin's own form.
admin.site.login = accounts_views.admin_login
admin.site.logout = accounts_views.logout  # ends the provider's session too

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
    path("api/v1/", include("twente.api_urls")),
    # The completeness page composes capacity's reporting status and the reminders sent.
    path("counts/status/", counts_status, name="counts-status"),
    path("notifications/", include("twente.notifications.urls")),
    path("", include("capacity.urls")),
    path("", include("meetings.urls")),
    path("", include("allocation.urls")),
    path("", include("matching.urls")),
    path("imports/", include("imports.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # DRF marks its views login-exempt; a person opening the docs should see the login form.
    path("api/docs/", login_required(ApiDocsView.as_view()), name="api-docs"),
]
