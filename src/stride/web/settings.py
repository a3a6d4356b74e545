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
    env_path,
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
#: Where people reach Stride, for the direct links in e-mails (``https://stride.example.org``).
#: E-mails are written outside any request, so the address cannot be guessed from one; in
#: production it defaults to https:// and the first of ``STRIDE_ALLOWED_HOSTS``.
STRIDE_SITE_URL = (env_str("STRIDE_SITE_URL") or (
    f"https://{ALLOWED_HOSTS[0]}" if IS_PRODUCTION else "http://127.0.0.1:8000")).rstrip("/")

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
    # Second factors for staff sign-in: TOTP, recovery codes (static tokens), passkeys.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
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
    "stride.web.notifications",
    "stride.web.stories",
    "stride.web.publication",
    "stride.web.site",
    "stride.web.fhir",
    "stride.web.demo",
    "stride.web.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "stride.web.platform.middleware.RequestContextMiddleware",
    "stride.web.platform.middleware.ContentSecurityPolicyMiddleware",
    "stride.web.platform.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session passed a second factor?
    "django_otp.middleware.OTPMiddleware",
    # Someone signed in with a password only, who must still pass (or set up) a second
    # factor, reaches the second-factor pages and sign-out, nothing else.
    "stride.web.accounts.middleware.SecondFactorMiddleware",
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
                "stride.web.platform.profile.programme",
                "stride.web.notifications.context.unread",
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
# Sign-in throttling (stride.web.accounts.throttle): growing delays per user name *and*
# client address, never a lock that someone else can set off for a user or for everyone
# behind one hospital address.
#: Failed sign-ins for one user name from one address before each further try must wait.
STRIDE_LOGIN_MAX_FAILURES = env_int("STRIDE_LOGIN_MAX_FAILURES", 5, minimum=1, maximum=100)
#: The first wait, in seconds; it doubles with every further failure.
STRIDE_LOGIN_FIRST_DELAY_SECONDS = env_int("STRIDE_LOGIN_FIRST_DELAY_SECONDS", 30, minimum=1,
                                           maximum=900)
#: Failed sign-ins from one address (any user names) within the window above which that
#: address waits before trying a name that has not signed in from there lately.
STRIDE_LOGIN_MAX_FAILURES_PER_IP = env_int(
    "STRIDE_LOGIN_MAX_FAILURES_PER_IP", 100, minimum=1, maximum=10_000
)
#: The longest wait, and the window of the per-address and per-name counts, in minutes.
STRIDE_LOGIN_LOCKOUT_MINUTES = env_int("STRIDE_LOGIN_LOCKOUT_MINUTES", 15, minimum=1, maximum=1440)
#: Lifetime of an e-mailed password-reset link (it also stops working once used).
STRIDE_PASSWORD_RESET_MINUTES = env_int("STRIDE_PASSWORD_RESET_MINUTES", 60, minimum=5,
                                        maximum=1440)
PASSWORD_RESET_TIMEOUT = STRIDE_PASSWORD_RESET_MINUTES * 60

# --- Second factors (stride.web.accounts.mfa) -------------------------------------------
#: Roles that must pass a second factor (TOTP, passkey or recovery code) after the password;
#: "none" for nobody. Production: every role that sees patient data, pseudonymised registry
#: extracts included. Demo and tests: nobody (the demo logins keep working with the
#: password; anyone may still set up a second factor, and must use it once they have one).
_STAFF_ROLES = ["coordinator", "clinician", "surgeon", "analyst", "admin"]
_mfa_roles = env_list("STRIDE_MFA_REQUIRED_ROLES", _STAFF_ROLES if IS_PRODUCTION else ["none"])
if _mfa_roles != ["none"] and not set(_mfa_roles) <= set(_STAFF_ROLES):
    raise SettingError(
        "STRIDE_MFA_REQUIRED_ROLES: use staff roles (" + ", ".join(_STAFF_ROLES)
        + ") separated by commas, or none; guardians sign in by e-mailed link."
    )
STRIDE_MFA_REQUIRED_ROLES = frozenset() if _mfa_roles == ["none"] else frozenset(_mfa_roles)
#: Recovery codes made at a time (each works once).
STRIDE_RECOVERY_CODES = 10
OTP_TOTP_ISSUER = "Stride"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Passkeys (WebAuthn) as a second factor only: the password always comes first.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_HELPER_CLASS = "stride.web.accounts.passkeys.StrideWebAuthnHelper"
OTP_WEBAUTHN_RP_NAME = "Stride"
#: The relying-party id passkeys are bound to: the site's domain (never an IP address;
#: changing it orphans every registered passkey). Default: the first allowed host.
_first_host = next((h.lstrip(".") for h in ALLOWED_HOSTS if h.lstrip(".") not in ("", "*")),
                   "localhost")
OTP_WEBAUTHN_RP_ID = env_str("STRIDE_WEBAUTHN_RP_ID", _first_host if IS_PRODUCTION
                             else "localhost") or "localhost"
#: Origins a passkey ceremony may come from. Default: https:// and each allowed host;
#: demo and tests also accept http://localhost on any port (see passkeys.py).
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("STRIDE_WEBAUTHN_ORIGINS", [
    f"https://{h.lstrip('.')}" for h in ALLOWED_HOSTS if h.lstrip(".") not in ("", "*")
] if IS_PRODUCTION else ["http://localhost:8000"]) or [f"https://{OTP_WEBAUTHN_RP_ID}"]

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
#: Behind a TLS-terminating proxy (docs/operations.md), which must set X-Forwarded-Proto and
#: add the client's address to X-Forwarded-For: Django trusts the first for "is this HTTPS",
#: and stride.web.operations.proxy (in wsgi.py) takes the client's address from the entry
#: the nearest proxy added (``STRIDE_PROXY_HOPS`` proxies in a row), so that rate limits and
#: the audit trail see the person, not the proxy. Never set it for a server that can be
#: reached without going through the proxy: anyone could then claim HTTPS and any address.
STRIDE_BEHIND_TLS_PROXY = env_bool("STRIDE_BEHIND_TLS_PROXY", False)
STRIDE_PROXY_HOPS = env_int("STRIDE_PROXY_HOPS", 1, minimum=1, maximum=5)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if STRIDE_BEHIND_TLS_PROXY else None
)
# A load balancer's or monitor's health check may speak plain HTTP to the server itself.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
# HSTS preloading binds the whole domain and its subdomains to HTTPS in every browser, for
# months after it is withdrawn: a decision for the domain's owner, not for this program (the
# TLS proxy can add "preload"). `manage.py check --deploy` is otherwise clean (a test keeps it).
SILENCED_SYSTEM_CHECKS = ["security.W021"]
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
#: Where ``manage.py collectstatic`` puts the static files that WhiteNoise serves in production.
STATIC_ROOT = env_path("STRIDE_STATIC_ROOT", BASE_DIR / "var" / "static", base_dir=BASE_DIR)
STATICFILES_DIRS = [WEB_DIR / "static"]
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
if not IS_PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # demo and tests serve from the finders
# Documents, videos and letters: outside the web root and never given a URL of their own;
# they are served only by views that check access and write an audit event.
MEDIA_ROOT = Path(env_str("STRIDE_MEDIA_ROOT", str(BASE_DIR / "var" / "media")) or "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production: hashed, compressed copies from collectstatic, cached for a year by browsers.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
                    if IS_PRODUCTION else
                    "django.contrib.staticfiles.storage.StaticFilesStorage"},
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
#: Most pixels (width × height) of an image (JPEG, PNG), read from its header and refused
#: above this before anything is decoded. At most Pillow's own decompression-bomb
#: threshold (Image.MAX_IMAGE_PIXELS, 89.5 Mpx), which stays on behind it; 50 Mpx holds a
#: 48 Mpx phone photo and an A4 page scanned at 600 dpi (35 Mpx).
STRIDE_UPLOAD_IMAGE_MAX_PIXELS = env_int(
    "STRIDE_UPLOAD_IMAGE_MAX_MEGAPIXELS", 50, minimum=1, maximum=89) * 1_000_000
#: Longest time the check of one video (ffprobe, then ffmpeg's copy without metadata) may
#: take before the video is refused as "could not be checked".
STRIDE_UPLOAD_VIDEO_CHECK_SECONDS = env_int(
    "STRIDE_UPLOAD_VIDEO_CHECK_SECONDS", 120, minimum=5, maximum=3600)
#: The file fields each page takes, by URL name (field: kind); every other file part of a
#: request is turned away before a byte of it is written, and a page not listed takes
#: none. A new file field is declared here too (a test compares this with the forms).
STRIDE_UPLOAD_FIELDS: dict[str, dict[str, str]] = {
    "intake:inquiry": {"mri_report": "document", "medical_documents": "document",
                       "walking_video": "video"},
    "portal:upload": {"upload_document": "document", "upload_video": "video"},
    "followup:family-report": {"upload_video": "video"},
    "ionm:upload": {"recording": "recording"},
    "patients:consent-record": {"consent_paper": "document"},
    "patients:consent-withdraw": {"withdrawal_paper": "document"},
    # A referring hospital's FHIR Bundle (JSON; fhir.views checks its own smaller limit).
    "fhir:import": {"bundle": "document"},
    "admin:platform_programmeprofile_add": {"logo_file": "document"},
    "admin:platform_programmeprofile_change": {"logo_file": "document"},
    "site:my-profile": {"photo": "document"},
}
#: How many files a field above takes (one unless listed here); parts past the count are
#: turned away unread. The inquiry form: up to 5 MRI reports (a report photographed page by
#: page is often 2-4 photos), 5 other medical documents (clinic letters, x-ray and therapy
#: reports) and 2 videos (walking seen from the front and from the side). With the kinds'
#: limits above, one inquiry may bring 10 × 20 MB + 2 × 300 MB = 800 MB at the defaults; a
#: proxy in front should allow request bodies that large on /inquiry/ only.
STRIDE_UPLOAD_MAX_FILES: dict[str, dict[str, int]] = {
    "intake:inquiry": {"mri_report": 5, "medical_documents": 5, "walking_video": 2},
}
#: The pages above that take files from someone not signed in.
STRIDE_UPLOAD_PUBLIC_PAGES = frozenset({"intake:inquiry"})
# Each file is decided on before it is written and counted while it streams in; accepted
# ones are written to disk as they arrive (never held whole in memory) in a folder of the
# project's own, then checked and moved under MEDIA_ROOT (stride.web.platform.uploads).
FILE_UPLOAD_HANDLERS = ["stride.web.platform.uploads.SizeLimitedUploadHandler"]
FILE_UPLOAD_TEMP_DIR = str(env_path("STRIDE_UPLOAD_TEMP_DIR", BASE_DIR / "var" / "tmp" / "uploads",
                                    base_dir=BASE_DIR))
if not IS_PRODUCTION:
    # On a fresh clone (make demo, make test) the folder is not there yet, and Django's
    # system check refuses to start without it.
    Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
#: A request with more file parts than this is refused whole (the inquiry form takes the
#: most, 12: see STRIDE_UPLOAD_MAX_FILES; an empty file field counts as one part too; up
#: to here the extra parts are turned away one by one, unread).
DATA_UPLOAD_MAX_NUMBER_FILES = 20
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

# --- Production: SMTP, the background worker, health (docs/operations.md) ----------------
#: The mail server (production's backend is SMTP). ``STRIDE_EMAIL_SECURITY``: ``starttls``
#: (port 587 or 25), ``tls`` (implicit TLS, port 465) or ``none`` (a relay on this machine).
EMAIL_HOST = env_str("STRIDE_EMAIL_HOST", "localhost") or "localhost"
EMAIL_PORT = env_int("STRIDE_EMAIL_PORT", 25, minimum=1, maximum=65_535)
EMAIL_HOST_USER = env_str("STRIDE_EMAIL_USER", "") or ""
EMAIL_HOST_PASSWORD = env_str("STRIDE_EMAIL_PASSWORD", "") or ""
_email_security = env_choice("STRIDE_EMAIL_SECURITY", "starttls", ("starttls", "tls", "none"))
EMAIL_USE_TLS = _email_security == "starttls"
EMAIL_USE_SSL = _email_security == "tls"
#: A mail server that stops answering fails the attempt after this long (it is retried).
EMAIL_TIMEOUT = env_int("STRIDE_EMAIL_TIMEOUT_SECONDS", 20, minimum=1, maximum=300)
#: Who sends a queued e-mail: ``worker`` (production: ``manage.py run_worker`` does, so no
#: page waits for the mail server) or ``on-commit`` (demo and tests: the request itself,
#: when its transaction commits; the worker, if one runs, still retries failures).
STRIDE_MAIL_DELIVERY = env_choice("STRIDE_MAIL_DELIVERY",
                                  "worker" if IS_PRODUCTION else "on-commit",
                                  ("worker", "on-commit"))
#: How often the worker (stride.web.operations.worker) runs each job.
STRIDE_WORKER_MAIL_SECONDS = env_int("STRIDE_WORKER_MAIL_SECONDS", 5, minimum=1, maximum=3600)
STRIDE_WORKER_CONSULTATION_REMINDER_MINUTES = env_int(
    "STRIDE_WORKER_CONSULTATION_REMINDER_MINUTES", 5, minimum=1, maximum=60)
STRIDE_WORKER_FOLLOWUP_REMINDER_MINUTES = env_int(
    "STRIDE_WORKER_FOLLOWUP_REMINDER_MINUTES", 60, minimum=1, maximum=1440)
#: ``/health/`` calls the worker stale when its last heartbeat is older than this.
STRIDE_WORKER_STALE_SECONDS = env_int("STRIDE_WORKER_STALE_SECONDS", 60, minimum=15,
                                      maximum=86_400)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One line per event, with its time and source: the server's and the worker's logs.
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
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
