from django.contrib.auth.middleware import LoginRequiredMiddleware as BaseLoginRequired


class LoginRequiredMiddleware(BaseLoginRequired):
    """Login required for every page, except views marked `login_not_required`.

    API endpoints are left to DRF: a machine client must get 401 with a WWW-Authenticate
    header, not a redirect to an HTML login form. DRF's default permission is IsAuthenticated.
    """

    api_prefixes = ("/api/v1/", "/api/schema/")

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(self.api_prefixes):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
