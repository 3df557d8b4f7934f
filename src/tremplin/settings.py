"""Django settings for Tremplin, read from environment variables (see docs/configuration in
README). Every variable is parsed strictly: a bad value stops start-up naming the variable."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from tremplin.env import Env, ImproperlyConfiguredEnv

env = Env()

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = env.path("TREMPLIN_VAR_DIR", Path.cwd() / "var")

DEBUG = env.bool("DEBUG", False)


def _secret_key() -> str:
    key = env.str("SECRET_KEY")
    if key:
        if len(key) < 50:
            raise ImproperlyConfiguredEnv("SECRET_KEY", "***", "at least 50 characters long")
        return key
    # No key given: keep one per installation in the var directory, created on first start.
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env.str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfiguredEnv("SITE_URL", SITE_URL, "an http:// or https:// URL")

HTTPS = SITE_URL.startswith("https://")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", HTTPS)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# The preload directive only matters once the domain is submitted to hstspreload.org.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy on every response (django-csp; core/csp.py): scripts, styles,
# fonts and requests from this site only, nothing inline runs. Images may also be data:
# URLs (the TOTP QR code). Frames: a campaign's video player only. Forms post here, or go
# on to Stripe's checkout page. Inline <style> elements: only the brand colours, each
# allowed by its hash. No inline style= attribute either.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-src": ["'none'"],  # but a page's video player (core/csp.py)
        "base-uri": ["'self'"],
        "form-action": ["'self'", "https://checkout.stripe.com"],
        "frame-ancestors": ["'none'"],
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "tremplin.core",
    "tremplin.calls",
    "tremplin.jury",
    "tremplin.campaigns",
    "tremplin.funding",
    "tremplin.payments",
    "tremplin.sandbox",
    "tremplin.tracking",
    "tremplin.kit",
    "tremplin.coaching",
    "tremplin.donors",
    "tremplin.privacy",
    "tremplin.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cached public pages are served from here, before the session and the rest.
    "tremplin.core.pagecache.PageCacheMiddleware",
    # Below the page cache: a cached page keeps the policy made for it (core/csp.py).
    "tremplin.core.csp.CSPMiddleware",
    # Too large a body is refused (413) before anything reads it (nothing above does).
    "tremplin.core.middleware.RequestBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "tremplin.core.middleware.StaffMFAMiddleware",
    "tremplin.core.middleware.InvalidFormStatusMiddleware",
    # Counts the tracked landing visits (?canal=) of campaign pages: an aggregate counter,
    # no cookie (tracking/visits.py, docs/tracking.md).
    "tremplin.tracking.middleware.ChannelVisitMiddleware",
]

ROOT_URLCONF = "tremplin.urls"
FORM_RENDERER = "tremplin.core.rendering.FormRenderer"
WSGI_APPLICATION = "tremplin.wsgi.application"

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
                "tremplin.core.context_processors.site",
            ],
        },
    }
]

DATABASES = {"default": env.database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tremplin.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's cache: the page cache of public pages (core.pagecache), the organiser's list of
# applications and allauth's rate limits (log-in attempts, codes…). ``locmem://``, the
# default, keeps it in each process's memory: right for the demo and the tests, but with
# several worker processes each one counts its own attempts. In production, a shared
# cache: CACHE_URL=redis://host:6379/0 (`check --deploy` says so: core/checks.py).
CACHES = {"default": env.cache("CACHE_URL", "locmem://")}

# How many reverse proxies of ours stand in front of the application, each appending the
# address it received the request from to X-Forwarded-For. 0 (the default): the header is
# ignored, and the client address is the connection's (REMOTE_ADDR), so that nobody can
# choose the address their rate limits count against. Read by allauth's get_client_ip.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", 0, minimum=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXIES

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"

# django-allauth: e-mail only, verified; password or a one-time code; TOTP for staff.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Tremplin] "
ACCOUNT_ADAPTER = "tremplin.core.adapters.AccountAdapter"
# The login-code form prefills the address from ?email= (jury invitations link there).
ACCOUNT_FORMS = {"request_login_code": "tremplin.core.forms.LoginCodeForm"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tremplin"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # remember the chosen language for a year
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Paris"

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", VAR_DIR / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", False)
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", True)
# An uploaded file above this size is written to a temporary file as it arrives.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The body of a request, less its files: the forms' text fields (Django's default).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The jury deliberation form posts four fields per candidate: room for 1,000 candidates.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_PERMISSIONS = 0o640

EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}[env.choice("EMAIL_BACKEND", ("console", "smtp", "locmem"), "console")]
EMAIL_HOST = env.str("EMAIL_HOST", "localhost")
EMAIL_PORT = env.int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfiguredEnv("EMAIL_USE_SSL", "true", "compatible with EMAIL_USE_TLS=true")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "Tremplin <noreply@tremplin.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: the Django Tasks API; the database backend by default.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A task still RUNNING this many seconds after a worker took it is taken for dead (its
# worker was killed): `tremplin worker` (every minute) and `tremplin recover-tasks` queue it
# again, then mark it FAILED once it has been tried TASK_MAX_ATTEMPTS times
# (core/task_recovery.py). Keep it well above the longest run of any task.
TASK_RUNNING_TIMEOUT = env.int("TASK_RUNNING_TIMEOUT", 15 * 60, minimum=60)
TASK_MAX_ATTEMPTS = env.int("TASK_MAX_ATTEMPTS", 3, minimum=1)
# An SMTP server that hangs fails the e-mail task instead of holding it past that timeout.
EMAIL_TIMEOUT = 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A refused request (403, 400) is logged on one line, without its traceback.
    "filters": {"client_errors": {"()": "tremplin.core.logging.ClientErrorsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.request": {"filters": ["client_errors"]},
    },
}

# Who runs this installation: shown on the legal notice, privacy and accessibility pages.
TREMPLIN_OPERATOR = {
    "name": env.str("OPERATOR_NAME", "Tremplin"),
    "address": env.str("OPERATOR_ADDRESS", ""),
    "publication_director": env.str("OPERATOR_PUBLICATION_DIRECTOR", ""),
    "email": env.str("OPERATOR_EMAIL", ""),
    "dpo_email": env.str("OPERATOR_DPO_EMAIL", ""),
    "host": env.str("OPERATOR_HOST", ""),
}

# Uploads accepted from makers.
TREMPLIN_MAX_IMAGE_BYTES = 5 * 1024 * 1024
TREMPLIN_MAX_PDF_BYTES = 10 * 1024 * 1024
TREMPLIN_MAX_IMAGES_PER_APPLICATION = 6
# The largest request body accepted, checked on Content-Length before the body is read
# (core.middleware.RequestBodyLimitMiddleware, 413): by default room for the largest form,
# an application with all its images and two PDF documents, plus 2 MB for the rest.
MAX_REQUEST_BODY = env.int(
    "MAX_REQUEST_BODY",
    TREMPLIN_MAX_IMAGES_PER_APPLICATION * TREMPLIN_MAX_IMAGE_BYTES
    + 2 * TREMPLIN_MAX_PDF_BYTES
    + 2 * 1024 * 1024,
    minimum=DATA_UPLOAD_MAX_MEMORY_SIZE,
)

# Payments (see payments/providers/ and sandbox/conf.py). The sandbox is the built-in
# simulated payment service; its chaos setting duplicates, delays and reorders webhooks.
# SANDBOX_ENABLED: the sandbox takes test cards (4242…) as payments, so it is off unless
# asked for (`tremplin demo` and the tests turn it on); off, /sandbox/ is not mounted, the
# provider is not offered and a programme set to it cannot take payments. `check --deploy`
# fails when it is on with an https SITE_URL (core/checks.py, tremplin.E002).
SANDBOX_ENABLED = env.bool("SANDBOX_ENABLED", False)
# The provider of a programme that has not chosen one: none ("") unless the sandbox is on.
PAYMENTS_DEFAULT_PROVIDER = env.choice(
    "PAYMENTS_DEFAULT_PROVIDER", ("sandbox", "stripe"), "sandbox" if SANDBOX_ENABLED else ""
)
if PAYMENTS_DEFAULT_PROVIDER == "sandbox" and not SANDBOX_ENABLED:
    raise ImproperlyConfiguredEnv(
        "PAYMENTS_DEFAULT_PROVIDER", "sandbox", "stripe (or set SANDBOX_ENABLED=true)"
    )
# Checkouts started per 10 minutes, at most, from one address and for one e-mail address
# (counted in the shared cache; 0: no limit). More answer 429 and create nothing.
CHECKOUT_LIMIT_PER_IP = env.int("CHECKOUT_LIMIT_PER_IP", 20, minimum=0)
CHECKOUT_LIMIT_PER_EMAIL = env.int("CHECKOUT_LIMIT_PER_EMAIL", 5, minimum=0)
SANDBOX_WEBHOOK_SECRET = env.str("SANDBOX_WEBHOOK_SECRET", "")
SANDBOX_WEBHOOK_TRANSPORT = env.choice("SANDBOX_WEBHOOK_TRANSPORT", ("http", "inprocess"), "http")
SANDBOX_WEBHOOK_DELIVERY = env.choice("SANDBOX_WEBHOOK_DELIVERY", ("task", "poll"), "task")
SANDBOX_CHAOS = env.bool("SANDBOX_CHAOS", False)
SANDBOX_CHAOS_MAX_DUPLICATES = env.int("SANDBOX_CHAOS_MAX_DUPLICATES", 3, minimum=1)
SANDBOX_CHAOS_MAX_DELAY = env.int("SANDBOX_CHAOS_MAX_DELAY", 2, minimum=0)
SANDBOX_REFUND_FAILURES = env.int("SANDBOX_REFUND_FAILURES", 0, minimum=0)

# Contributors' space and tax receipts (donors/). The link in every contribution e-mail
# opens the space for this many days; the code it sends lasts DONORS_CODE_MINUTES and allows
# DONORS_CODE_ATTEMPTS tries; a verified browser keeps the space open DONORS_SESSION_HOURS.
# Codes sent per hour, at most, to one address and from one client address (shared cache).
DONORS_LINK_MAX_AGE_DAYS = env.int("DONORS_LINK_MAX_AGE_DAYS", 365, minimum=1)
DONORS_CODE_MINUTES = env.int("DONORS_CODE_MINUTES", 15, minimum=1)
DONORS_CODE_ATTEMPTS = env.int("DONORS_CODE_ATTEMPTS", 5, minimum=1)
DONORS_SESSION_HOURS = env.int("DONORS_SESSION_HOURS", 2, minimum=1)
DONORS_CODES_PER_EMAIL = env.int("DONORS_CODES_PER_EMAIL", 5, minimum=0)
DONORS_CODES_PER_IP = env.int("DONORS_CODES_PER_IP", 20, minimum=0)
# The administration's tolerance for a reward given to a donor: its value is not deducted
# from the receipt while it is at most this percentage of the gift and the rewards of the
# donor's year stay within the yearly ceiling (in euros; 73 € since 2021 — revalued every
# five years by an arrêté, check it in BOI-IR-RICI-250-10-20-10).
RECEIPT_REWARD_TOLERANCE_PERCENT = env.int("RECEIPT_REWARD_TOLERANCE_PERCENT", 25, minimum=0)
RECEIPT_REWARD_CEILING_EUROS = env.int("RECEIPT_REWARD_CEILING_EUROS", 73, minimum=0)
# Personal data (privacy app): the retention periods the privacy page states and
# `tremplin retention` applies — the page reads these very settings, so the two never
# disagree. In years unless named otherwise; an organiser may set longer periods for its
# programmes, up to the legal limits of privacy/retention.py (LIMITS).
RETENTION_ACCOUNT_YEARS = env.int("RETENTION_ACCOUNT_YEARS", 3, minimum=1)
# The account's owner is told this many days before the account is deleted (once).
RETENTION_ACCOUNT_WARNING_DAYS = env.int("RETENTION_ACCOUNT_WARNING_DAYS", 30, minimum=1)
RETENTION_DRAFT_YEARS = env.int("RETENTION_DRAFT_YEARS", 1, minimum=1)
RETENTION_NOT_SELECTED_YEARS = env.int("RETENTION_NOT_SELECTED_YEARS", 2, minimum=1)
RETENTION_LAUREATE_YEARS = env.int("RETENTION_LAUREATE_YEARS", 10, minimum=1)
# Contributions are accounting records: the contributor's identity is kept this long after
# the campaign closed (Code de commerce L123-22: ten years), then erased; amounts stay.
RETENTION_CONTRIBUTION_YEARS = env.int("RETENTION_CONTRIBUTION_YEARS", 10, minimum=10)
# A personal data export can be downloaded once, within this many days.
PRIVACY_EXPORT_DAYS = env.int("PRIVACY_EXPORT_DAYS", 7, minimum=1)
# Workshop registrations made without an account: deleted this many years after the workshop.
RETENTION_WORKSHOP_REGISTRATION_YEARS = env.int(
    "RETENTION_WORKSHOP_REGISTRATION_YEARS", 1, minimum=1
)
# Coaching (#12): anonymous workshop registrations per hour from one address (counted in
# the shared cache; 0: no limit); more answer 429 and register nobody.
WORKSHOP_REGISTRATIONS_PER_IP = env.int("WORKSHOP_REGISTRATIONS_PER_IP", 10, minimum=0)

# The communication kit makes a 30-second teaser video of each campaign with ffmpeg (the
# binary shipped by imageio-ffmpeg, or IMAGEIO_FFMPEG_EXE); about 6 seconds of CPU each.
KIT_TEASER = env.bool("KIT_TEASER", True)
