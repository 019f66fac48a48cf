"""Settings for つなぐ, read from the environment only (see README「設定」).

SQLite is the default so that the demo needs no server; DATABASE_URL selects PostgreSQL.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url

from tsunagu.lib.env import env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent

# The fallback key is public; production refuses it (see README「本番運用」).
INSECURE_DEFAULT_SECRET_KEY = "insecure-tsunagu-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Reverse proxies whose X-Real-IP header gives the client's address (e.g. 127.0.0.1 for nginx
# on the same server). Empty: the connection's own address is used.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")

INSTALLED_APPS = [
    "tsunagu.apps.TsunaguAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "tsunagu.audit",
    "tsunagu.organizations",
    "tsunagu.accounts",
    "tsunagu.confidentiality",
    "tsunagu.meetings",
    "tsunagu.cases",
    "tsunagu.issues",
    "tsunagu.resources",
    "tsunagu.reports",
    "tsunagu.prefecture",
    "tsunagu.ops",
]
# The demo (`manage.py load_demo`: public logins and passwords) exists only where nobody relies
# on the installation: with the public development SECRET_KEY, which production refuses
# (check_production), or when asked for with TSUNAGU_DEMO=1 (scripts/demo does).
DEMO = env_bool("TSUNAGU_DEMO", SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY)
if DEMO:
    INSTALLED_APPS.append("tsunagu.demo")

MIDDLEWARE = [
    "tsunagu.lib.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Early, so that the time it logs covers the whole request (static files included).
    "tsunagu.lib.request_log.RequestLogMiddleware",
    "tsunagu.lib.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After messages (it leaves one) and before the login check (it logs out).
    "tsunagu.accounts.middleware.IdleTimeoutMiddleware",
    "tsunagu.accounts.middleware.LoginRequiredMiddleware",
    "tsunagu.accounts.middleware.ActiveMembershipMiddleware",
    # After ActiveMembershipMiddleware, whose memberships it reads.
    "tsunagu.accounts.middleware.TwoFactorRequiredMiddleware",
    # Records what a response shows of case content (one audit entry) and sets no-store.
    "tsunagu.confidentiality.gate.DisclosureMiddleware",
]

ROOT_URLCONF = "tsunagu.urls"
WSGI_APPLICATION = "tsunagu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tsunagu.accounts.context_processors.membership",
            ],
            "builtins": ["tsunagu.lib.templatetags.tsunagu_tags"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'tsunagu.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's ModelBackend, refusing logins locked by too many failures (see below).
AUTHENTICATION_BACKENDS = ["tsunagu.accounts.backends.ThrottledModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=1)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Logged out after this many seconds without a request (accounts.middleware); 0 turns it off.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 1800)

# Login throttling (accounts/throttle.py): LOGIN_FAILURE_LIMIT failures of one login ID, or
# LOGIN_IP_FAILURE_LIMIT from one address, within LOGIN_LOCKOUT_MINUTES lock it for as long.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 20, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)

# Two-factor authentication (TOTP) is required for these roles and optional for the others.
TOTP_REQUIRED_ROLES = env_list("TOTP_REQUIRED_ROLES", "city_admin,core_center")
TOTP_ISSUER = os.environ.get("TOTP_ISSUER", "つなぐ")

# Security headers. Django's defaults already are these; they are spelled out so that nobody
# loosens them without noticing. The Content-Security-Policy header comes from
# tsunagu.lib.security (Django 5.2 has none built in): nothing from outside the site.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# htmx sends the token from the page (hx-headers in base.html); no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "tsunagu.accounts.views.csrf_failure"

# HTTPS: SECURE_COOKIES=1 says the site is served over HTTPS (directly or behind a proxy).
# Then cookies are sent over HTTPS only, plain HTTP is redirected (unless DEBUG) and browsers
# are told to use HTTPS from then on (HSTS; not for subdomains, which in a municipal domain
# may be other systems). Behind a proxy that terminates TLS, set TRUST_X_FORWARDED_PROTO=1
# only if the proxy overwrites X-Forwarded-Proto: otherwise the redirect would loop.
HTTPS = env_bool("SECURE_COOKIES")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS and not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS and not DEBUG else 0)
if env_bool("TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "ja"
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# Uploaded files (scanned pledges). Never served as public files: views hand them out after
# the access gate.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Uploads waiting for their confirm step (imports): temporary files, outside the checkout.
UPLOAD_STAGING_DIR = Path(
    os.environ.get("UPLOAD_STAGING_DIR", Path(tempfile.gettempdir()) / "tsunagu-uploads")
)

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Tests and the demo run without collectstatic having been run in advance.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)

PAGE_SIZE = 25

# One JSON line per request on "tsunagu.requests" (tsunagu/lib/request_log.py): user id,
# status, duration; never query strings or case content. REQUEST_LOG=0 turns it off.
REQUEST_LOG = env_bool("REQUEST_LOG", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # The middleware writes the JSON itself; a prefix would make the line unparseable.
        "json": {"format": "%(message)s"},
    },
    "filters": {
        "one_line_refusals": {"()": "tsunagu.lib.request_log.OneLineRefusals"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "json_console": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "loggers": {
        "tsunagu.requests": {"handlers": ["json_console"], "level": "INFO", "propagate": False},
        # A 403 or 404 is one line, without the traceback Django attaches to a 403.
        "django.request": {"filters": ["one_line_refusals"]},
        # WeasyPrint reports each layout step at INFO: one line per page of every PDF.
        "weasyprint": {"level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
