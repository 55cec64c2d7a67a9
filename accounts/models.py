"""Who signed in, how and from where; and which provider identity an account belongs to."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SignInKind(models.TextChoices):
    LOGIN = "login", _("Ingelogd")
    LOGIN_FAILED = "login_failed", _("Inloggen mislukt")
    LOGOUT = "logout", _("Uitgelogd")
    REFUSED = "refused", _("Geweigerd: geen rol")
    ROLES_CHANGED = "roles_changed", _("Rol of lidmaatschap gewijzigd door claims")
    SECOND_FACTOR_SETUP = "second_factor_setup", _("Tweestapsverificatie ingesteld")
    SECOND_FACTOR_PASSED = "second_factor_passed", _("Tweede factor gegeven")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("Tweede factor onjuist")
    RECOVERY_CODE_USED = "recovery_code_used", _("Herstelcode gebruikt")
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed", _("Nieuwe herstelcodes gemaakt")
    SECOND_FACTOR_RESET = "second_factor_reset", _("Tweestapsverificatie gewist")


class SignInMethod(models.TextChoices):
    LOCAL = "local", _("Lokaal account")
    OIDC = "oidc", _("Organisatie-account (OpenID Connect)")


class SignInEvent(models.Model):
    """One line of the sign-in audit: written by accounts.services only, never changed."""

    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    kind = models.CharField(_("gebeurtenis"), max_length=32, choices=SignInKind.choices)
    method = models.CharField(_("manier"), max_length=8, choices=SignInMethod.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sign_in_events",
        verbose_name=_("gebruiker"),
    )
    # As typed or as the provider named it: kept when the account is gone or never existed.
    username = models.CharField(_("gebruikersnaam"), max_length=150, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uitgevoerd door"),
        help_text=_("Wie het deed, als dat niet de gebruiker zelf was (bijv. een reset)."),
    )
    ip_address = models.GenericIPAddressField("IP-adres", null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("aanmeldgebeurtenis")
        verbose_name_plural = _("aanmeldgebeurtenissen")
        indexes = [models.Index(fields=["user", "-at"], name="signin_user_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username} {self.at:%d-%m-%Y %H:%M}"


class ExternalIdentity(models.Model):
    """The provider's stable identifier (issuer + subject) of an account made from claims.

    Accounts are found by this pair, never by e-mail address: an address can change or be
    reused, and matching on it would let a provider account take over a local one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_identity",
        verbose_name=_("gebruiker"),
    )
    issuer = models.CharField(_("identity provider (issuer)"), max_length=255)
    subject = models.CharField(_("kenmerk bij de provider (sub)"), max_length=255)
    last_login_at = models.DateTimeField(_("laatst ingelogd"), null=True, blank=True)
    # What the mapping last saw (only the claims it reads), for whoever has to explain a role.
    last_claims = models.JSONField(_("laatste claims"), default=dict, blank=True)

    class Meta:
        verbose_name = _("organisatie-account")
        verbose_name_plural = _("organisatie-accounts")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="identity_unique_subject")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.subject})"
