from django.conf import settings
from django.core.checks import Error, register

from municipalities.models import Role


@register()
def sign_in_settings(app_configs, **kwargs) -> list[Error]:
    errors = []
    for value, roles in settings.OIDC_ROLE_MAP.items():
        unknown = [role for role in roles if role not in Role.values]
        if unknown:
            errors.append(
                Error(
                    f"OIDC_ROLE_MAP maps {value!r} to unknown role(s) {', '.join(unknown)}",
                    hint=f"Roles: {', '.join(Role.values)}",
                    id="accounts.E001",
                )
            )
    unknown = [role for role in settings.TWO_FACTOR_ROLES if role not in Role.values]
    if unknown:
        errors.append(
            Error(
                f"TWO_FACTOR_ROLES names unknown role(s) {', '.join(unknown)}",
                hint=f"Roles: {', '.join(Role.values)}",
                id="accounts.E002",
            )
        )
    return errors
