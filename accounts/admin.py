"""The application manager's view of sign-ins (read-only), provider identities, and the reset
of a user's second factor."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import ExternalIdentity, SignInEvent
from .services import second_factor_reset


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the services only: nobody adds, changes or deletes a line by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SignInEvent)
class SignInEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "method", "username", "ip_address", "actor"]
    list_filter = ["kind", "method", "at"]
    search_fields = ["username", "ip_address"]
    list_select_related = ["actor"]
    date_hierarchy = "at"
    fields = [
        "at",
        "kind",
        "method",
        "user",
        "username",
        "actor",
        "ip_address",
        "user_agent",
        "detail",
    ]


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(ReadOnlyAdmin):
    list_display = ["user", "issuer", "subject", "last_login_at"]
    search_fields = ["user__username", "subject"]
    list_select_related = ["user"]
    fields = ["user", "issuer", "subject", "last_login_at", "last_claims"]


# The devices are managed through the flow (set up, recovery codes) and the reset below, so
# that each change is in the audit; django-otp's own device pages would bypass it.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = [*UserAdmin.list_display, "has_second_factor"]
    actions = ["reset_second_factor"]

    def get_queryset(self, request):
        devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(second_factor=Exists(devices))

    @admin.display(boolean=True, description=_("tweestapsverificatie"), ordering="second_factor")
    def has_second_factor(self, obj) -> bool:
        return obj.second_factor

    @admin.action(
        description=_("Tweestapsverificatie wissen (nieuwe app instellen bij volgende login)"),
        permissions=["change"],
    )
    def reset_second_factor(self, request, queryset):
        done = [
            user.get_username()
            for user in queryset
            if second_factor_reset(user=user, actor=request.user, request=request)
        ]
        if done:
            self.message_user(
                request,
                _("Tweestapsverificatie gewist voor: %(list)s.") % {"list": ", ".join(done)},
                messages.SUCCESS,
            )
        else:
            self.message_user(request, _("Geen van deze accounts had een app."), messages.INFO)
