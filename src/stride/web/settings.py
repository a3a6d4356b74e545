"""Django settings for Stride, read from the environment through typed parsers.

``STRIDE_ENV`` selects the profile: ``production`` (the default, strict: a secret key and
allowed hosts are required, cookies are secure), ``demo`` (``make demo``: local HTTP, demo
key) or ``test`` (the test suite). A malformed variable stops start-up with a message that
names it; see :mod:`stride.web.env`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from stride.web.env import (
    SettingError,
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parents[3]
WEB_DIR = Path(__file__).resolve().parent

STRIDE_ENV = env_choice("STRIDE_ENV", "production", ("production", "demo", "test"))
IS_PRODUCTION = STRIDE_ENV == "production"

_secret = env_str("STRIDE_SECRET_KEY", required=IS_PRODUCTION)
if IS_PRODUCTION and _secret is not None and len(_secret) < 50:
    raise SettingError("STRIDE_SECRET_KEY must be at least 50 characters long in production.")
# Only demo and test runs may fall back to a fixed, public key: they hold synthetic data.
SECRET_KEY = _secret or "stride-demo-and-test-only-key-never-use-with-real-patient-data"

DEBUG = env_bool("STRIDE_DEBUG", False)
if DEBUG and IS_PRODUCTION:
    raise SettingError("STRIDE_DEBUG: debug pages show internals; it cannot be true in production.")

ALLOWED_HOSTS = env_list(
    "STRIDE_ALLOWED_HOSTS", [] if IS_PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if IS_PRODUCTION and not ALLOWED_HOSTS:
    raise SettingError(
        "STRIDE_ALLOWED_HOSTS is required in production (comma-separated host names)."
    )
CSRF_TRUSTED_ORIGINS = env_list("STRIDE_CSRF_TRUSTED_ORIGINS", [])

DATABASES = {
    "default": env_database("DATABASE_URL", "sqlite:///var/stride.sqlite3", base_dir=BASE_DIR)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "stride.web.platform",
    "stride.web.accounts",
    "stride.web.platform.audit",
    "stride.web.patients",
    "stride.web.documents",
    "stride.web.intake",
    "stride.web.coordination",
    "stride.web.portal",
    "stride.web.evaluation",
    "stride.web.treatment",
    "stride.web.followup",
    "stride.web.ionm",
    "stride.web.registry",
    "stride.web.outcomes",
    "stride.web.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "stride.web.platform.middleware.RequestContextMiddleware",
    "stride.web.platform.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "stride.web.urls"
WSGI_APPLICATION = "stride.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Accounts and passwords -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "patients:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    # Argon2id first; the others only verify (and upgrade) hashes made elsewhere.
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if STRIDE_ENV == "test":
    # Still Argon2id, with minimal cost so hundreds of test users hash in milliseconds.
    PASSWORD_HASHERS = ["stride.web.accounts.hashers.TestArgon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
#: Failed sign-ins for one user name within the window that lock that name.
STRIDE_LOGIN_MAX_FAILURES = env_int("STRIDE_LOGIN_MAX_FAILURES", 5, minimum=1, maximum=100)
#: Failed sign-ins from one IP address within the window that lock that address.
STRIDE_LOGIN_MAX_FAILURES_PER_IP = env_int(
    "STRIDE_LOGIN_MAX_FAILURES_PER_IP", 20, minimum=1, maximum=10_000
)
#: Length of the counting window and of the lockout, in minutes.
STRIDE_LOGIN_LOCKOUT_MINUTES = env_int("STRIDE_LOGIN_LOCKOUT_MINUTES", 15, minimum=1, maximum=1440)

# --- Sessions, cookies and headers ------------------------------------------------------
_secure_cookies = env_bool("STRIDE_SECURE_COOKIES", IS_PRODUCTION)
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# An idle timeout: the expiry moves forward with every request.
SESSION_COOKIE_AGE = env_int("STRIDE_SESSION_IDLE_MINUTES", 60, minimum=5, maximum=720) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _secure_cookies
CSRF_COOKIE_SECURE = _secure_cookies
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# The language choice is not secret, but it follows the same transport rules as the rest.
LANGUAGE_COOKIE_SECURE = _secure_cookies
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "stride.web.platform.error_pages.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("STRIDE_SSL_REDIRECT", IS_PRODUCTION)
SECURE_HSTS_SECONDS = 31_536_000 if IS_PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = IS_PRODUCTION
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("STRIDE_BEHIND_TLS_PROXY", False) else None
)
#: Content-Security-Policy sent with every response (see lib/middleware.py).
STRIDE_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

# --- Languages --------------------------------------------------------------------------
LANGUAGE_CODE = "en"
# The intake languages: families write from these countries first. The browser's
# Accept-Language picks the default; the switcher in base.html (Django's set_language view)
# overrides it with a cookie. Arabic is right-to-left (Django marks it bidi).
LANGUAGES = [
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("ar", "العربية"),
    ("ru", "Русский"),
    ("bg", "Български"),
]
LOCALE_PATHS = [WEB_DIR / "locale"]
FORMAT_MODULE_PATH = ["stride.web.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static files and e-mail ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [WEB_DIR / "static"]
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
if not IS_PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # demo and tests serve from the finders
# Documents, videos and letters: outside the web root and never given a URL of their own;
# they are served only by views that check access and write an audit event.
MEDIA_ROOT = Path(env_str("STRIDE_MEDIA_ROOT", str(BASE_DIR / "var" / "media")) or "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# --- Uploads and the public inquiry form ------------------------------------------------
#: Largest document (PDF, JPEG, PNG) and video accepted, in MB (10^6 bytes).
STRIDE_UPLOAD_DOCUMENT_MAX_BYTES = env_int(
    "STRIDE_UPLOAD_DOCUMENT_MAX_MB", 20, minimum=1, maximum=100) * 1_000_000
STRIDE_UPLOAD_VIDEO_MAX_BYTES = env_int(
    "STRIDE_UPLOAD_VIDEO_MAX_MB", 300, minimum=1, maximum=2000) * 1_000_000
#: Largest EDF+ rootlet-session recording (17 channels, 10 kHz, 5 min is about 100 MB).
STRIDE_UPLOAD_RECORDING_MAX_BYTES = env_int(
    "STRIDE_UPLOAD_RECORDING_MAX_MB", 300, minimum=1, maximum=2000) * 1_000_000
# The size limit is checked while the file streams in; files are written to disk as they
# arrive (never held whole in memory), then checked and moved under MEDIA_ROOT.
FILE_UPLOAD_HANDLERS = [
    "stride.web.platform.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
#: Inquiries accepted from one client address within the window (then a polite refusal).
STRIDE_INQUIRY_MAX_PER_CLIENT = env_int("STRIDE_INQUIRY_MAX_PER_CLIENT", 5, minimum=1,
                                        maximum=1000)
STRIDE_INQUIRY_WINDOW_MINUTES = env_int("STRIDE_INQUIRY_WINDOW_MINUTES", 60, minimum=1,
                                        maximum=10_080)
#: Lifetime of an e-mailed portal sign-in link, and how many may be asked for per window.
STRIDE_SIGNIN_LINK_MINUTES = env_int("STRIDE_SIGNIN_LINK_MINUTES", 30, minimum=5, maximum=1440)
STRIDE_SIGNIN_LINK_MAX_PER_WINDOW = env_int("STRIDE_SIGNIN_LINK_MAX_PER_WINDOW", 5, minimum=1,
                                            maximum=1000)
#: Address the acknowledgement and sign-in e-mails come from.
DEFAULT_FROM_EMAIL = env_str("STRIDE_FROM_EMAIL", "Stride <no-reply@stride.invalid>")

EMAIL_BACKEND = {
    "production": "django.core.mail.backends.smtp.EmailBackend",
    "demo": "django.core.mail.backends.console.EmailBackend",
    "test": "django.core.mail.backends.locmem.EmailBackend",
}[STRIDE_ENV]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_choice(
        "STRIDE_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))},
}

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded database lives under var/; make sure the folder is there on a fresh clone.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    if STRIDE_ENV == "test":
        # Tests use a database file set up as in production (WAL, busy timeout, immediate
        # writes), never SQLite's in-memory database: that one is shared by all the threads
        # of a live test server through one connection, so concurrency would go untested.
        # One file per test run (process), so that runs side by side never meet.
        DATABASES["default"]["TEST"] = {"NAME": str(
            Path(tempfile.gettempdir()) / f"stride-test-{os.getpid()}.sqlite3")}
