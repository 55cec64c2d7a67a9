"""Settings for the Twente shelter-capacity coordination system.

Everything that differs between a laptop and production comes from the environment (see
README). Without any environment the project runs as a development install: SQLite, Celery in
eager mode, DEBUG on. With DEBUG off, a missing SECRET_KEY or ALLOWED_HOSTS is an error rather
than a silent insecure default.
"""

import json
import os
import re
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
# Templates, static files, translations and fixtures ship inside the package, so an install
# from a wheel (outside the checkout) finds them; BASE_DIR only places run-time files.
PACKAGE_DIR = Path(__file__).resolve().parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def envmap(name: str, default: str) -> dict[str, list[str]]:
    """`value=target,value=target` (or a JSON object of value: target or [targets])."""
    raw = (os.getenv(name) or default).strip()
    if raw.startswith("{"):
        try:
            parsed = json.loads(raw)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} is not valid JSON: {exc}") from exc
        if not isinstance(parsed, dict):
            raise ImproperlyConfigured(f"{name} must be a JSON object")
        return {str(k): [v] if isinstance(v, str) else list(v) for k, v in parsed.items()}
    mapping: dict[str, list[str]] = {}
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        value, sep, target = item.rpartition("=")
        if not sep or not value.strip() or not target.strip():
            raise ImproperlyConfigured(f"{name}: {item!r} is not of the form value=role")
        mapping.setdefault(value.strip(), []).append(target.strip())
    return mapping


def envregex(name: str, default: str) -> re.Pattern:
    value = os.getenv(name) or default
    try:
        pattern = re.compile(value)
    except re.error as exc:
        raise ImproperlyConfigured(f"{name} is not a valid regular expression: {exc}") from exc
    if pattern.groups != 1:
        raise ImproperlyConfigured(f"{name} must have exactly one group (the code), got {value!r}")
    return pattern


DEBUG = envbool("DEBUG", "true")

SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

# The safety region a single-region deployment serves; users get it unless told otherwise.
HOME_REGION = os.getenv("HOME_REGION", "VR05")

# Dashboard: a municipality whose latest report is older than this many days is flagged.
STALE_REPORT_DAYS = envint("STALE_REPORT_DAYS", "14")
# Map tiles. Standard: the Dutch government's base map, PDOK BRT-Achtergrondkaart (style
# "standaard", WMTS tiles in Web Mercator; open data of the Kadaster, which asks for this
# attribution). Another tile server: set MAP_TILE_URL, MAP_TILE_ATTRIBUTION and its origin in
# MAP_TILE_ORIGINS (the Content-Security-Policy's img-src). MAP_TILE_URL empty: no tiles, the
# locations on a blank background with the municipalities' names; the map falls back to that
# too when the tiles cannot be loaded (offline).
PDOK_BRT_TILE_URL = (
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
)
PDOK_BRT_ATTRIBUTION = "Kaartgegevens © Kadaster (BRT-Achtergrondkaart, PDOK)"
PDOK_ORIGIN = "https://service.pdok.nl"
MAP_TILE_URL = os.getenv("MAP_TILE_URL", PDOK_BRT_TILE_URL)
_pdok_tiles = MAP_TILE_URL.startswith(f"{PDOK_ORIGIN}/")
MAP_TILE_ATTRIBUTION = os.getenv(
    "MAP_TILE_ATTRIBUTION", PDOK_BRT_ATTRIBUTION if _pdok_tiles else ""
)
MAP_TILE_ORIGINS = envlist("MAP_TILE_ORIGINS", PDOK_ORIGIN if _pdok_tiles else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "simple_history",
    "csp",
    "axes",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "imports",
    "municipalities",
    "capacity",
    "allocation",
    "meetings",
    "matching",
    "twente",
    "accounts",
]

MIDDLEWARE = [
    # First, so that its API headers land on every API response, the HTTPS redirect included.
    "twente.middleware.ApiMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Django's, without slash redirects for API paths.
    "twente.middleware.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks the user verified once the second factor is given (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    "twente.middleware.LoginRequiredMiddleware",
    # After the login check: a signed-in account that owes a second factor gets nothing else.
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "twente.middleware.ServiceUnavailableMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "twente.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "twente.context_processors.user_scope",
            ],
        },
    },
]

WSGI_APPLICATION = "twente.wsgi.application"

DATABASE_URL = os.getenv("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.getenv("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username/IP before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Local passwords (off with LOCAL_LOGIN=false), then the organisation's identity provider.
    "accounts.backends.LocalPasswordBackend",
    "accounts.oidc.OIDCBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", "15") / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# A refused OpenID Connect login is no password guess: it must not lock out an office's IP.
AXES_WHITELIST_CALLABLE = "accounts.oidc.is_oidc_attempt"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Signing in (README "Inloggen met het organisatie-account"). OpenID Connect through
# mozilla-django-oidc is on when OIDC_RP_CLIENT_ID is set; without it only local accounts exist.
OIDC_RP_CLIENT_ID = os.getenv("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.getenv("OIDC_RP_CLIENT_SECRET", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
# The provider's discovery document (or its issuer URL); endpoints set one by one win over it.
OIDC_OP_DISCOVERY_URL = os.getenv("OIDC_OP_DISCOVERY_URL", "")
OIDC_OP_ISSUER = os.getenv("OIDC_OP_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.getenv("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.getenv("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.getenv("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.getenv("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_OP_LOGOUT_ENDPOINT = os.getenv("OIDC_OP_LOGOUT_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.getenv("OIDC_RP_SIGN_ALGO") or "RS256"
# The provider's public signing key (PEM), pinned; empty: taken from the provider's JWKS.
OIDC_RP_IDP_SIGN_KEY = os.getenv("OIDC_RP_IDP_SIGN_KEY", "") or None
OIDC_RP_SCOPES = os.getenv("OIDC_RP_SCOPES") or "openid email profile"
if OIDC_ENABLED:
    if not OIDC_RP_CLIENT_SECRET:
        raise ImproperlyConfigured("OIDC_RP_CLIENT_SECRET must be set with OIDC_RP_CLIENT_ID")
    if not OIDC_OP_DISCOVERY_URL and not (
        OIDC_OP_AUTHORIZATION_ENDPOINT
        and OIDC_OP_TOKEN_ENDPOINT
        and (OIDC_OP_JWKS_ENDPOINT or OIDC_RP_IDP_SIGN_KEY)
    ):
        raise ImproperlyConfigured(
            "OIDC needs OIDC_OP_DISCOVERY_URL, or OIDC_OP_AUTHORIZATION_ENDPOINT, "
            "OIDC_OP_TOKEN_ENDPOINT and OIDC_OP_JWKS_ENDPOINT (or OIDC_RP_IDP_SIGN_KEY)"
        )
# Authorization code flow with PKCE; the ID token is kept to end the provider's session.
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_STORE_ID_TOKEN = True
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc-callback"
OIDC_TIMEOUT = envint("OIDC_TIMEOUT_SECONDS", "10")
OIDC_VERIFY_SSL = envbool("OIDC_VERIFY_SSL", "true")
# Claims -> role and membership, applied at every login (README has Entra ID and Keycloak).
# An empty value means the default, so a compose file may pass them all through.
OIDC_USERNAME_CLAIM = os.getenv("OIDC_USERNAME_CLAIM") or "preferred_username"
OIDC_ROLES_CLAIM = os.getenv("OIDC_ROLES_CLAIM") or "roles"
OIDC_ROLE_MAP = envmap(
    "OIDC_ROLE_MAP",
    "coordinator=coordinator,project_leader=project_leader,secretary=secretary,"
    "provincial_reader=provincial_reader",
)
OIDC_MUNICIPALITY_CLAIM = os.getenv("OIDC_MUNICIPALITY_CLAIM") or "municipality"
OIDC_MUNICIPALITY_PATTERN = envregex("OIDC_MUNICIPALITY_PATTERN", r"^(GM\d{4})$")
OIDC_REGION_CLAIM = os.getenv("OIDC_REGION_CLAIM") or "safety_region"
OIDC_REGION_PATTERN = envregex("OIDC_REGION_PATTERN", r"^(VR\d{2})$")
# Accounts from the provider use the provider's second factor; false: they set up TOTP here too.
OIDC_TRUST_PROVIDER_MFA = envbool("OIDC_TRUST_PROVIDER_MFA", "true")
# Local username/password logins (the admin's too); off leaves only the organisation's account.
LOCAL_LOGIN = envbool("LOCAL_LOGIN", "true")
if not LOCAL_LOGIN and not OIDC_ENABLED:
    raise ImproperlyConfigured("LOCAL_LOGIN=false needs OpenID Connect (OIDC_RP_CLIENT_ID)")
# Whom a person without a role should ask for one (shown on the "no role yet" page).
ACCESS_CONTACT = os.getenv("ACCESS_CONTACT") or _(
    "het functioneel beheer van de coördinatie van de veiligheidsregio"
)

# Two-factor (TOTP with recovery codes, django-otp) for local logins: always for superusers and
# staff (the admin), for these roles, or for every account with TWO_FACTOR_ALL_ROLES.
TWO_FACTOR_ROLES = envlist("TWO_FACTOR_ROLES", "coordinator,secretary")
TWO_FACTOR_ALL_ROLES = envbool("TWO_FACTOR_ALL_ROLES", "false")
# Demo accounts of a development install may skip it, never production (README).
TWO_FACTOR_BYPASS = envbool("TWO_FACTOR_BYPASS", "false")
if TWO_FACTOR_BYPASS and not DEBUG:
    raise ImproperlyConfigured("TWO_FACTOR_BYPASS is only allowed with DEBUG on")
OTP_TOTP_ISSUER = os.getenv("OTP_TOTP_ISSUER") or "Opvang Twente"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security: production (DEBUG off) gets the settings `check --deploy` asks for.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A working day; the session ends with the browser too, for shared office machines.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
# Uploads (CSV/XLSX imports) are read, never stored where the web server would execute them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_UPLOAD_BYTES = envint("IMPORT_MAX_UPLOAD_BYTES", str(25 * 1024 * 1024))
# An upload waits here (private, mode 0700) for its confirmation, at most a day.
IMPORT_UPLOAD_DIR = Path(
    os.getenv("IMPORT_UPLOAD_DIR", str(Path(tempfile.gettempdir()) / "twente-imports"))
)
# The kinds of import file and the spec of each, kept beside the app whose rows it writes; the
# `imports` package imports no app and finds them here.
IMPORT_SPECS = {
    "municipalities": "municipalities.import_spec.MUNICIPALITIES",
    "population": "municipalities.import_spec.POPULATION",
    "locations": "capacity.import_spec.LOCATIONS",
    "capacity-reports": "capacity.import_spec.CAPACITY_REPORTS",
    "permit-holders": "capacity.housing.import_spec.PERMIT_HOLDERS",
}
# Who may import which kind, for which municipalities (roles live in `municipalities`).
IMPORT_SCOPE = "municipalities.import_spec.import_scope_for"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", str(BASE_DIR / "media")))
# Meeting attachments live outside every root the web server serves (static and media) and
# are handed out only by the download view, which checks the meeting's read rule.
PRIVATE_MEDIA_ROOT = Path(os.getenv("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))
ATTACHMENT_MAX_BYTES = envint("ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024))


def _overlaps(one: Path, other: Path) -> bool:
    one, other = one.resolve(), other.resolve()
    return one == other or other in one.parents or one in other.parents


for _served in (STATIC_ROOT, MEDIA_ROOT):
    for _name, _private in (
        ("PRIVATE_MEDIA_ROOT", PRIVATE_MEDIA_ROOT),
        ("IMPORT_UPLOAD_DIR", IMPORT_UPLOAD_DIR),
    ):
        if _overlaps(_private, _served):
            raise ImproperlyConfigured(
                f"{_name} ({_private}) must lie outside {_served}, which the web server serves."
            )
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", str(365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")
    # Behind a TLS-terminating proxy (nginx, a load balancer) that sets X-Forwarded-Proto.
    if envbool("BEHIND_TLS_PROXY", "true"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *MAP_TILE_ORIGINS],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

REDIS_URL = os.getenv("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Recompute tasks are idempotent, so a task lost with a killed worker is simply run again.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task whose whole worker died unacknowledged (machine crash, `kill -9`) is handed out again
# after this many seconds; a pool process that dies alone is requeued at once (above). Keep it
# above the longest task plus its longest retry countdown (300 s), or a task still running is
# delivered a second time (harmless for the idempotent recomputes, but wasted work).
TASK_VISIBILITY_TIMEOUT = envint("CELERY_VISIBILITY_TIMEOUT", "3600")
if TASK_VISIBILITY_TIMEOUT <= 0:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must be a positive number of seconds")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": TASK_VISIBILITY_TIMEOUT}
# Celery beat reads its schedule from the database (django-celery-beat), so the application
# manager sees and pauses the nightly jobs in the admin; crontabs are Amsterdam wall-clock time.
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

REST_FRAMEWORK = {
    # Token first, so an anonymous API caller gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "twente.permissions.HasAnyRole",
    ],
    "DEFAULT_PAGINATION_CLASS": "twente.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["twente.api.TokenClientThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    # Every error as problem details (RFC 9457), one shape for every app (twente/api_errors.py).
    "EXCEPTION_HANDLER": "twente.api_errors.exception_handler",
}
# The API's full version: the `API-Version` header of every API response and the schema's
# `info.version` (NL GOV ADR /core/version-header); the major one is in the path (/api/v1).
API_VERSION = "1.0.0"
# Whom API clients ask (the schema's `info.contact`, NL GOV ADR /core/doc-openapi-contact);
# set the real addresses in production.
API_CONTACT = {
    "name": os.getenv("API_CONTACT_NAME", "Functioneel beheer Opvang Twente"),
    "email": os.getenv("API_CONTACT_EMAIL", "functioneel-beheer@example.org"),
    "url": os.getenv("API_CONTACT_URL") or os.getenv("SITE_URL", "http://127.0.0.1:8000"),
}
# Machine clients (token auth) are rate limited; people in the browser are not.
API_TOKEN_THROTTLE_RATE = os.getenv("API_TOKEN_THROTTLE_RATE", "600/minute")

SPECTACULAR_SETTINGS = {
    "TITLE": "Opvangcapaciteit Twente API",
    "DESCRIPTION": (
        "Figures on reception places in the safety region Twente: municipalities, locations, "
        "capacity reports, tasks (assignments) and meetings. Authenticate with "
        "`Authorization: Token <key>`."
    ),
    "VERSION": API_VERSION,
    "CONTACT": API_CONTACT,
    "SERVE_INCLUDE_SCHEMA": False,
    # Published without login (NL GOV ADR /core/publish-openapi).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Paths relative to the server `/api/v1` (the hook adds `servers`).
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Some read-only fields appear only where they apply (e.g. action fields on kind A).
    "COMPONENT_NO_READ_ONLY_REQUIRED": True,
    # A location's status appears in several components (Location, LocationUpdate): one name.
    "ENUM_NAME_OVERRIDES": {
        "LocationStatusEnum": "capacity.choices.LocationStatus",
        "LocationTypeEnum": "capacity.choices.LocationType",
        "ShareStatusEnum": "allocation.choices.ShareStatus",
        "CreditKindEnum": "allocation.choices.CreditKind",
        # The minutes' entry kinds keep the name they had before credits had a kind.
        "KindEnum": "meetings.models.EntryKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "twente.schema.add_error_responses",
    ],
}

# Structured (JSON) logs in production, one object per line, for the log collector.
LOG_FORMAT = os.getenv("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- E-mail and notifications (reminders, digests, alerts: twente.notifications) -----------


def email_settings_from_url(url: str) -> dict:
    """The EMAIL_* settings an `EMAIL_URL` stands for, e.g.
    `smtp+tls://user:pass@smtp.example.nl:587` (STARTTLS), `smtp+ssl://...:465` (TLS from
    the first byte), `smtp://host:25` (plain), `console:`, `memory:` or `dummy:`. User and
    password are percent-decoded, so a password may hold any character (`%40` for `@`).
    Anything else is an error: a typo must not quietly send the mail nowhere."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    simple = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "memory": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
    }
    if scheme in simple:
        return {"EMAIL_BACKEND": simple[scheme]}
    smtp = {
        "smtp": (25, False, False),
        "smtp+tls": (587, True, False),
        "smtp+ssl": (465, False, True),
    }
    if scheme not in smtp:
        raise ImproperlyConfigured(
            f"EMAIL_URL: unknown scheme {scheme!r}; use smtp, smtp+tls, smtp+ssl, console, "
            "memory or dummy"
        )
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL: the SMTP server's host name is missing")
    default_port, use_tls, use_ssl = smtp[scheme]
    try:
        port = parts.port or default_port
    except ValueError as exc:
        raise ImproperlyConfigured(f"EMAIL_URL: the port is not a number ({exc})") from exc
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }


# EMAIL_URL wins; else the usual EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL; with neither, mail is printed on the
# console, so the embedded default (`make run`) needs no mail server.
if os.getenv("EMAIL_URL"):
    vars().update(email_settings_from_url(os.environ["EMAIL_URL"]))
elif os.getenv("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = envint("EMAIL_PORT", "587")
    EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "true" if EMAIL_PORT == 587 else "false")
    EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", "true" if EMAIL_PORT == 465 else "false")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
if globals().get("EMAIL_USE_TLS") and globals().get("EMAIL_USE_SSL"):
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other")
# A mail server that does not answer must not hold a worker for ever; the task retries.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "30")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "Opvang Twente <noreply@localhost>")
SERVER_EMAIL = os.getenv("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# The address people open the app at: links in e-mails are absolute (a worker has no request).
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, got {SITE_URL!r}")

# The notification app composes capacity, meetings and municipalities (STYLE.md: twente/ composes).
INSTALLED_APPS += ["twente.notifications"]
