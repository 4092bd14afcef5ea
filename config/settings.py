"""The portal's one settings module.

Every difference between a laptop and production is an environment variable, listed with a one-line comment in
`.env.example`. With no variables at all the portal runs in its *embedded* mode: SQLite, files in `var/`, Celery
tasks in process, e-mail to the console, DEBUG on. Setting `DATABASE_URL` leaves the embedded mode: DEBUG is then off
unless asked for, and a real `SECRET_KEY` is required.

Bad values fail loudly at start-up (the small helpers below raise `ImproperlyConfigured`), because a typo in a
production variable must never silently fall back to a laptop default.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import environ
from botocore.config import Config as BotoConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """A boolean variable; anything but the usual spellings of true/false is an error, not False."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    """A whole-number variable with a lower bound."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# --- Mode -----------------------------------------------------------------------------------------------------------

# The embedded mode is "no database configured": the one-command start for a newcomer.
EMBEDDED = not env_str("DATABASE_URL")
DEBUG = env_bool("DEBUG", default=EMBEDDED)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not EMBEDDED:
        raise ImproperlyConfigured("SECRET_KEY is required when DATABASE_URL is set.")
    SECRET_KEY = "embedded-mode-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if EMBEDDED else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
if EMBEDDED:
    # The embedded database and files live here; create it so a bare `manage.py` works from a fresh clone.
    VAR_DIR.mkdir(parents=True, exist_ok=True)

# --- Applications ---------------------------------------------------------------------------------------------------

INSTALLED_APPS = [
    "config.admin.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "localflavor",
    "simple_history",
    "accounts",
    "onboarding",
    "documents",
    "billing",
    "outbox",
    "reminders",
    "finance",
    "privacy",
    "support",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.TurkishFirstLocaleMiddleware",
    # A NUL or other control character in the address never reaches a view or the database (404 / 400).
    "config.control_characters.RefuseControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes requires: it turns a login refused for lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
# After login: the applicant's "Başvurularım" (staff are sent on to the admin from there).
LOGIN_REDIRECT_URL = "onboarding:application-start"
LOGOUT_REDIRECT_URL = "home"
# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "onboarding.context_processors.portal",
                "support.context_processors.contacts",
            ],
            # `{{ form.field|as_field }}`: crispy's Bootstrap 5 markup, written by Python (config/form_fields.py).
            "libraries": {"form_fields": "config.form_fields", "fragments": "config.fragments"},
        },
    },
]

# The stock widgets written by Python, the same markup as their templates (config/form_renderer.py).
FORM_RENDERER = "config.form_renderer.FastWidgetRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Database -------------------------------------------------------------------------------------------------------

try:
    DATABASES = {
        "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
    }
except Exception as exc:  # django-environ raises several kinds for a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if DATABASES["default"].get("ENGINE") not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
    raise ImproperlyConfigured("DATABASE_URL is not a valid database URL: use postgres://user@host:port/name.")
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 0 if EMBEDDED else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time. A transaction that began by reading (the default, DEFERRED) and then writes
    # while another holds the write lock fails at once with "database is locked" (two tabs submitting: a 500).
    # IMMEDIATE takes the write lock at BEGIN, so writers queue for up to `timeout` seconds and then see each
    # other's work. The rollback journal stays (no WAL): the embedded database remains one file to copy.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, Celery ----------------------------------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL must be a redis:// or rediss:// URL, not {REDIS_URL!r}.")

if REDIS_URL:
    # A cache that may be down: misses and dropped writes instead of errors, short timeouts (config/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in the database only. A Redis copy (cached_db) made every logged-in page fail while Redis was down,
# and a logout written while it was down would leave the old session readable from Redis once it came back.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
# Without a broker, tasks run in process; eager mode still round-trips arguments through the serializer.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Istanbul"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must fail fast rather than hang a request when Redis is down; due work lives in the database.
# socket_timeout too: a Redis that accepts connections but never answers (frozen, or lost in a network split) must
# not hold a request for ever in the publish that follows its commit.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 3,
    "socket_timeout": 3,
    "max_retries": 2,
}
# One quick retry of a publish, then give up: the outbox sweep sends what a lost publish left behind.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}

# --- Files ----------------------------------------------------------------------------------------------------------


def s3_private_storage(bucket_name: str) -> dict:
    """Applicants' files in an S3-compatible bucket (a function: the S3 tests run this very shape on a bucket)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket_name,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            # No ACL on uploads: S3 objects are private unless granted otherwise, and a bucket with ACLs disabled
            # (AWS's default since 2023) refuses every PUT that names one, even "private".
            "default_acl": None,
            # The portal serves files through a view that checks who is asking; no code hands out a URL. Should one
            # ever be made, it is signed and lives five minutes.
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            "location": "private",
            # A download spills to a temporary file beyond 2 MB (as uploads do) instead of filling worker memory.
            "max_memory_size": 2 * 1024 * 1024,
            # An unreachable store must fail a request in seconds, not hold a worker for botocore's 60 s default.
            "client_config": BotoConfig(
                connect_timeout=3, read_timeout=20, retries={"max_attempts": 3, "mode": "standard"}
            ),
        },
    }


# Applicants' files are private: an S3-compatible bucket in production, or, for a single-host install, a folder named
# on purpose. Never a silent fallback to the web host's disk, where a second host or a redeploy would lose them.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
PRIVATE_FILES_DIR = env_str("PRIVATE_FILES_DIR")
if AWS_STORAGE_BUCKET_NAME and PRIVATE_FILES_DIR:
    raise ImproperlyConfigured("Set AWS_STORAGE_BUCKET_NAME or PRIVATE_FILES_DIR, not both: files go to one place.")
if PRIVATE_FILES_DIR and not Path(PRIVATE_FILES_DIR).is_absolute():
    raise ImproperlyConfigured(f"PRIVATE_FILES_DIR must be an absolute path, not {PRIVATE_FILES_DIR!r}.")
if AWS_STORAGE_BUCKET_NAME:
    PRIVATE_STORAGE = s3_private_storage(AWS_STORAGE_BUCKET_NAME)
elif PRIVATE_FILES_DIR or EMBEDDED:
    PRIVATE_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # base_url None: these files have no public URL at all.
        "OPTIONS": {"location": PRIVATE_FILES_DIR or str(VAR_DIR / "private"), "base_url": None},
    }
else:
    raise ImproperlyConfigured(
        "AWS_STORAGE_BUCKET_NAME is required when DATABASE_URL is set (applicants' files go to private S3-compatible "
        "storage); for a single-host install, set PRIVATE_FILES_DIR to the folder that keeps them instead."
    )

STORAGES = {
    "default": PRIVATE_STORAGE,
    "private": PRIVATE_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
if EMBEDDED:
    STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(PRIVATE_FILES_DIR) if PRIVATE_FILES_DIR else VAR_DIR / "private"

# Uploads above this size stream to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
PORTAL_UPLOAD_MAX_BYTES = env_int("PORTAL_UPLOAD_MAX_MB", 20, minimum=1) * 1024 * 1024
# Phone cameras save up to 108 MP (12000 × 9000); JPEGs are decoded reduced, PNGs within a memory budget (see
# documents/filecheck.py). Pillow refuses anything above ~178 MP whatever this says.
PORTAL_UPLOAD_MAX_PIXELS = env_int("PORTAL_UPLOAD_MAX_MEGAPIXELS", 120, minimum=1) * 1_000_000

# --- E-mail (Django 6.1 MAILERS; the old EMAIL_* settings must not be mixed in) ----------------------------------

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Toplu SMS Başvuru <basvuru@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
SMTP_HOST = env_str("SMTP_HOST")
if SMTP_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": SMTP_HOST,
                "port": env_int("SMTP_PORT", 587, minimum=1),
                "username": env_str("SMTP_USER"),
                "password": env_str("SMTP_PASSWORD"),
                "use_tls": env_bool("SMTP_USE_TLS", True),
                "timeout": env_int("SMTP_TIMEOUT", 10, minimum=1),
            },
        }
    }
elif EMBEDDED or DEBUG:
    MAILERS = {"default": {"BACKEND": "config.mail.ReadableConsoleBackend"}}
else:
    raise ImproperlyConfigured("SMTP_HOST is required outside the embedded mode (e-mail must reach applicants).")

# --- Passwords and accounts -----------------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Brute-force protection (django-axes): 5 failures for one e-mail address lock it for 15 minutes, whether or not an
# account exists, so the lockout page says nothing about which addresses are registered.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_USERNAME_FORM_FIELD = "username"
# Login matches e-mail addresses without regard to case, so the failure counter must too (or AYSE@… escapes it).
AXES_USERNAME_CALLABLE = "accounts.lockout.login_failure_key"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# axes.W006 asks to lock by IP address too. The lock is per e-mail address on purpose — an office behind one NAT must
# not be locked out by one person's typos — and an address's failures are summed over every IP and user agent, so
# rotating them does not escape it (accounts/tests/test_lockout.py).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# --- Internationalisation -------------------------------------------------------------------------------------------

LANGUAGE_CODE = "tr"
LANGUAGES = [("tr", _("Türkçe")), ("en", _("İngilizce"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date order per language: the English formats are day-first too (config/formats/en/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Istanbul"
USE_I18N = True
USE_TZ = True

# --- Security -------------------------------------------------------------------------------------------------------

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("BEHIND_TLS_PROXY", False):
    # Only behind a proxy that always sets this header; otherwise clients could spoof HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The health check is plain HTTP from the load balancer.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- What is due, and reminders (onboarding/due.py, reminders/) ----------------------------------------------------

# Days from an item's start to its deadline: a draft's last change, a rejection, the approval of the scans
# (originals), submission (the corporate line), registration (the e-mail address).
PORTAL_DUE_DAYS = {
    "draft": env_int("PORTAL_DUE_DRAFT_DAYS", 30, minimum=1),
    "rejected": env_int("PORTAL_DUE_REJECTED_DAYS", 14, minimum=1),
    "originals": env_int("PORTAL_DUE_ORIGINALS_DAYS", 21, minimum=1),
    "corporate_line": env_int("PORTAL_DUE_CORPORATE_LINE_DAYS", 30, minimum=1),
    "confirm_email": env_int("PORTAL_DUE_CONFIRM_EMAIL_DAYS", 7, minimum=1),
}
# Originals not received this many days after the applicant recorded the cargo are chased.
PORTAL_ORIGINALS_TRANSIT_DAYS = env_int("PORTAL_ORIGINALS_TRANSIT_DAYS", 7, minimum=1)
# Reviewers hear about a document that has waited this long for a decision.
PORTAL_REVIEW_SLA_HOURS = env_int("PORTAL_REVIEW_SLA_HOURS", 48, minimum=1)
# An applicant is reminded of an item this many days after it became due, and then no more.
PORTAL_REMINDER_CADENCE_DAYS = [1, 3, 7, 14]
# Reminders wait for the morning: none are sent from 21:00 to 08:00 Istanbul time.
PORTAL_REMINDER_QUIET_HOURS = (env_int("PORTAL_QUIET_FROM_HOUR", 21), env_int("PORTAL_QUIET_UNTIL_HOUR", 8))
if not all(0 <= hour <= 23 for hour in PORTAL_REMINDER_QUIET_HOURS):
    raise ImproperlyConfigured("PORTAL_QUIET_FROM_HOUR and PORTAL_QUIET_UNTIL_HOUR must be hours from 0 to 23.")

# Characters the operator appends to every bulk message (its short code, about five since BTK's 2016 decision);
# the SMS part count (billing/sms.py) counts them.
PORTAL_SMS_OPERATOR_RESERVE = env_int("PORTAL_SMS_OPERATOR_RESERVE", 5)

# --- The reseller (the guide's values are the defaults) ------------------------------------------------------------

PORTAL_RESELLER_NAME = env_str("PORTAL_RESELLER_NAME", "Asist Bilgi Teknolojileri ve Elektronik Haberleşme Ltd. Şti.")
PORTAL_OPERATOR_NAME = env_str("PORTAL_OPERATOR_NAME", "Turkcell")
PORTAL_CARGO_ADDRESS = env_str(
    "PORTAL_CARGO_ADDRESS",
    "Teknopark İstanbul Teknoloji Geliştirme Bölgesi, Sanayi Mah. Havaalanı İç Yolu Cad. No:3 Kat 1 / 107, "
    "Pendik – İstanbul",
)

# The data controller under KVKK (the footer, the notice, the request form): the reseller, reached by post, KEP and
# e-mail. Data subjects' requests from the portal's form are e-mailed to `requests_email`.
PORTAL_DATA_CONTROLLER = {
    "name": PORTAL_RESELLER_NAME,
    "address": env_str(
        "PORTAL_DATA_CONTROLLER_ADDRESS",
        "Teknopark İstanbul, Sanayi Mah. Teknopark Bulvarı No:1, 34906 Pendik / İstanbul",
    ),
    "kep": env_str("PORTAL_DATA_CONTROLLER_KEP", "asistbilgi@hs01.kep.tr"),
    "email": env_str("PORTAL_DATA_CONTROLLER_EMAIL", "kvkk@example.com.tr"),
    "requests_email": env_str(
        "PORTAL_KVKK_REQUESTS_EMAIL", env_str("PORTAL_DATA_CONTROLLER_EMAIL", "kvkk@example.com.tr")
    ),
}
# Requests a day through the form from one IP address or one e-mail address (more are refused, not recorded).
PORTAL_KVKK_REQUESTS_PER_DAY = env_int("PORTAL_KVKK_REQUESTS_PER_DAY", 3, minimum=1)
# Who applicants call or write to (the help page and footer); the phone as +90…, shown as Turks write it.
PORTAL_SUPPORT = {
    "phone": env_str("PORTAL_SUPPORT_PHONE", "+902163950000"),
    "email": env_str("PORTAL_SUPPORT_EMAIL", "destek@example.com.tr"),
    "hours": env_str("PORTAL_SUPPORT_HOURS", "09.00–18.00"),
}

# --- Billing (issue 9; billing-facts.md) ---------------------------------------------------------------------------

# ÖİV is owed by the authorised operator; whether the reseller charges it itself depends on its own BTK authorisation.
PORTAL_CHARGE_OIV = env_bool("PORTAL_CHARGE_OIV", True)
# Pages served again while nothing on them changed (onboarding.page_cache). Off: every page is rendered for its
# request (a switch for an incident, and for measuring the cost of a first visit: benchmarks/pages.py --cold).
PORTAL_PAGE_CACHE = env_bool("PORTAL_PAGE_CACHE", True)
# The 3-character unit prefix of statement numbers (ABC2026000000001): capitals or digits.
PORTAL_STATEMENT_PREFIX = env_str("PORTAL_STATEMENT_PREFIX", "TSP")
if not re.fullmatch(r"[A-Z0-9]{3}", PORTAL_STATEMENT_PREFIX):
    raise ImproperlyConfigured("PORTAL_STATEMENT_PREFIX must be three capital letters or digits, e.g. TSP.")
# Statements for a month are issued from the first day of the next; VUK 231/5 gives seven days.
PORTAL_STATEMENT_ISSUE_DAYS = env_int("PORTAL_STATEMENT_ISSUE_DAYS", 7, minimum=1)
# The seller on every statement (VUK 230, TTK 39/2): the reseller's own registration.
PORTAL_SELLER = {
    "name": PORTAL_RESELLER_NAME,
    "address": env_str(
        "PORTAL_SELLER_ADDRESS",
        "Teknopark İstanbul, Sanayi Mah. Teknopark Bulvarı No:1, 34906 Pendik / İstanbul",
    ),
    "tax_office": env_str("PORTAL_SELLER_TAX_OFFICE", "Pendik"),
    "tax_number": env_str("PORTAL_SELLER_TAX_NUMBER", "0860366718"),
    "mersis": env_str("PORTAL_SELLER_MERSIS", "0086036671800016"),
    "website": env_str("PORTAL_SELLER_WEBSITE", "https://www.example.com.tr"),
    "email": env_str("PORTAL_SELLER_EMAIL", "muhasebe@example.com.tr"),
}
# Where a package order is paid (bank transfer with the order code in the description): the payment seam's default.
PORTAL_BANK_ACCOUNT = {
    "bank": env_str("PORTAL_BANK_NAME", "Türkiye İş Bankası"),
    "holder": PORTAL_RESELLER_NAME,
    "iban": env_str("PORTAL_BANK_IBAN", "TR33 0006 1005 1978 6457 8413 26"),
}
# Days an unpaid package order stays open before it may be cancelled by the customer or finance.
PORTAL_ORDER_PAYMENT_DAYS = env_int("PORTAL_ORDER_PAYMENT_DAYS", 7, minimum=1)

# --- Logging --------------------------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "pypdf": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        # axes logs every successful login at INFO; lockouts (WARNING) are what operators need.
        "axes": {"level": "WARNING"},
    },
}
