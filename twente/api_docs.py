"""`/api/docs/`: Swagger UI on the published OpenAPI document, in the app's frame.

The page is drf-spectacular's CSP-friendly split view (the init script is a separate request,
so the site's Content-Security-Policy stays as it is) with the app's own template: Dutch
title and heading, a link back to the app, and styles that give Swagger UI's texts enough
contrast (WCAG 2.1 AA).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    url_name = "openapi-json"
    template_name = "api/docs.html"
    title = _("API-documentatie · Opvang Twente")
