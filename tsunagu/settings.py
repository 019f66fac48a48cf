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
    # Form widgets' templates, so that templates/django/forms/ can override them (FORM_RENDERER).
    "django.forms",
    "tsunagu.audit",
    "tsunagu.organizations",
    "tsunagu.accounts",
    "tsunagu.confidentiality",
    "tsunagu.meetings",
    "tsunagu.cases",
    "tsunagu.centerwork",
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

# Forms render through the project's templates: labels without Django's ":", errors said once
# (templates/django/forms/), selects without "---------".
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: it starts when a plan's estimated cost passes jit_above_cost, and the
    # statistics page's per-meeting agenda counts (estimated high, each a cheap index probe)
    # spent 70–110 ms compiling for a query that runs in tens of milliseconds. Pages here run
    # short queries; JIT pays off only for long analytical ones.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "reports:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
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

# ---------------------------------------------------------------------------------------------
# Background work and email (tsunagu/lib/background.py, tsunagu/ops/worker.py,
# tsunagu/notifications). Kept in one block; each value is checked here, so a mistyped
# variable stops the start instead of silently sending nothing.
# ---------------------------------------------------------------------------------------------
from django.core.exceptions import ImproperlyConfigured, ValidationError  # noqa: E402
from django.core.validators import validate_email  # noqa: E402


def _env_int(name: str, default: int, low: int, high: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ImproperlyConfigured(f"{name} は {low}〜{high} の整数で指定してください（{raw!r}）。")
    return int(raw)


def _env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, "").strip().lower() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} は {', '.join(choices)} のどれかです（{value!r}）。")
    return value


INSTALLED_APPS += ["django_tasks", "django_tasks_db", "tsunagu.notifications"]
TEMPLATES[0]["OPTIONS"]["context_processors"].append(
    "tsunagu.notifications.context_processors.unread_count"
)

# Tasks run in a separate worker (manage.py run_worker). The database backend keeps them in
# the application's own database; TASKS_BACKEND=django_tasks_rq.RQBackend moves them to RQ.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    # RQ on Redis (pip install django-tasks-rq; worker: manage.py rqworker --job-class
    # django_tasks_rq.Job default). Not used by the tests: see the operations docs.
    if not os.environ.get("REDIS_URL", "").startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured(
            "TASKS_BACKEND が RQ のときは REDIS_URL（redis://...）が必要です。"
        )
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ["REDIS_URL"], "DEFAULT_TIMEOUT": 3600}}
# A task whose worker died is run again up to this many attempts in all, then marked failed.
TASK_MAX_ATTEMPTS = _env_int("TASK_MAX_ATTEMPTS", 3, 1, 10)
# A task running this long on a worker whose process cannot be checked (another host) is
# taken as abandoned.
TASK_STALE_SECONDS = _env_int("TASK_STALE_SECONDS", 2 * 60 * 60, 60, 7 * 24 * 60 * 60)

# Email. EMAIL_DELIVERY: smtp (the municipality's relay), file (var/mail/, the default: the
# demo shows notifications in the app without a mail server) or console.
EMAIL_DELIVERY = _env_choice("EMAIL_DELIVERY", "file", ("smtp", "file", "console"))
EMAIL_BACKEND = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}[EMAIL_DELIVERY]
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", BASE_DIR / "var" / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost").strip()
EMAIL_PORT = _env_int("EMAIL_PORT", 25, 1, 65535)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
_email_security = _env_choice("EMAIL_SECURITY", "none", ("none", "starttls", "ssl"))
EMAIL_USE_TLS = _email_security == "starttls"
EMAIL_USE_SSL = _email_security == "ssl"
EMAIL_TIMEOUT = _env_int("EMAIL_TIMEOUT", 30, 1, 600)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tsunagu@localhost").strip()
try:
    validate_email(DEFAULT_FROM_EMAIL)
except ValidationError as error:
    raise ImproperlyConfigured(
        f"DEFAULT_FROM_EMAIL はメールアドレスです（{DEFAULT_FROM_EMAIL!r}）。"
    ) from error
if EMAIL_DELIVERY == "smtp" and (EMAIL_HOST_USER and not EMAIL_HOST_PASSWORD):
    raise ImproperlyConfigured("EMAIL_HOST_USER を指定したときは EMAIL_HOST_PASSWORD も必要です。")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people open from an email (links, unsubscribe); no trailing slash.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").strip().rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL は http:// か https:// で始まります（{SITE_URL!r}）。")
# Reminders go this many days before a meeting unless its body says otherwise; a meeting left
# unclosed this many days after its date is reported to its organisers.
NOTIFY_REMINDER_DAYS = _env_int("NOTIFY_REMINDER_DAYS", 2, 0, 60)
NOTIFY_UNCLOSED_DAYS = _env_int("NOTIFY_UNCLOSED_DAYS", 14, 1, 365)
# How many days before the city's due day a center hears its monthly report is due.
NOTIFY_REPORT_DUE_DAYS = _env_int("NOTIFY_REPORT_DUE_DAYS", 3, 0, 27)
# An import confirmed with more rows than this is saved by a background task, the page
# showing its progress; smaller ones are saved at once.
IMPORT_BACKGROUND_ROWS = _env_int("IMPORT_BACKGROUND_ROWS", 2000, 1, 1_000_000)
