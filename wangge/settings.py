"""One settings module, driven by the environment.

The embedded default (no variables set) runs on an SQLite file under var/ with secrets generated
once into var/secrets.json. WANGGE_ENV=production refuses to start without its secrets and turns on
the deploy hardening. See docs/CONFIGURATION.md for every variable.
"""

import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("WANGGE_VAR_DIR", BASE_DIR / "var"))
PRODUCTION = os.environ.get("WANGGE_ENV", "development") == "production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _local_secrets() -> dict[str, str]:
    """Secrets for the embedded default, generated once and kept in var/."""
    path = VAR_DIR / "secrets.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    wanted = {
        "SECRET_KEY": lambda: secrets.token_urlsafe(50),
        "WANGGE_FIELD_KEYS": lambda: _new_fernet_key(),
        "WANGGE_HASH_KEY": lambda: secrets.token_urlsafe(32),
    }
    missing = {name: make() for name, make in wanted.items() if name not in stored}
    if missing:
        stored.update(missing)
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(stored, indent=2))
        path.chmod(0o600)
    return stored


def _new_fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def secret(name: str) -> str:
    value = os.environ.get(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when WANGGE_ENV=production")
    return _local_secrets()[name]


SECRET_KEY = secret("SECRET_KEY")
# Fernet keys for personal fields, newest first; older keys still decrypt (see docs/SECURITY.md).
FIELD_ENCRYPTION_KEYS = env_list("WANGGE_FIELD_KEYS", []) or [secret("WANGGE_FIELD_KEYS")]
PERSONAL_DATA_HASH_KEY = secret("WANGGE_HASH_KEY")

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the API docs from its own static files, not a CDN
    "wangge.core",
    "wangge.workorders",
    "wangge.places",
    "wangge.inspections",
    "wangge.community",
    "wangge.vaccination",
    "wangge.economy",
    "wangge.sampling",
    "wangge.papers",
    "wangge.reports",
    "wangge.dashboard",
    "wangge.assessment",
    "wangge.maps",
    "wangge.field",
    "wangge.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "wangge.core.middleware.RequestIdMiddleware",
    "wangge.core.middleware.CleanInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wangge.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wangge.core.middleware.ContentSecurityPolicyMiddleware",
    "wangge.core.middleware.AuditContextMiddleware",
]

ROOT_URLCONF = "wangge.urls"
WSGI_APPLICATION = "wangge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "wangge" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wangge.core.context_processors.navigation",
                "wangge.workorders.context_processors.unread",
                "wangge.core.confirm.undo_offer",
                "wangge.maps.context_processors.map_settings",
            ],
            "builtins": ["wangge.core.templatetags.display"],  # moment, duration, since on every page
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'wangge.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        # A kept connection is checked before each request: after a database restart the next request
        # reconnects instead of failing once per worker.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets the dashboard read while an import writes; IMMEDIATE avoids lock-upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "wangge.core.passwords.MixedCharactersValidator"},
]
# Lock an account for LOGIN_LOCKOUT_MINUTES after this many failures within that window, and a client
# address after LOGIN_MAX_FAILURES_PER_ADDRESS (page, admin and API tokens alike: core/throttle.py).
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS", "30"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
AUTHENTICATION_BACKENDS = ["wangge.core.backends.ThrottledModelBackend"]
# Behind a reverse proxy: the header holding the client's address (e.g. HTTP_X_FORWARDED_FOR), believed
# only from the proxies' own addresses (core/clientip.py).
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", os.environ.get("SAMPLING_CLIENT_IP_HEADER", ""))
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ["127.0.0.1", "::1"] if CLIENT_IP_HEADER else [])

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# The maps' base layer (docs/MAPS.md): a tile URL template such as the town's intranet tile server
# "https://tiles.example.gov.cn/{z}/{x}/{y}.png" (天地图 with its key works too). Empty: no base layer,
# only our own boundaries, roads and points (an air-gapped intranet). MAP_TILE_SYSTEM: the coordinate
# system of those tiles (wgs84, cgcs2000, gcj02, bd09); our WGS-84 points are converted to it for display.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_SYSTEM = os.environ.get("MAP_TILE_SYSTEM", "wgs84")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
_TILE_HOST = "/".join(MAP_TILE_URL.split("/")[:3]) if MAP_TILE_URL.startswith("http") else ""
# Our own scripts only (no inline script, no eval); nothing loads from another host (SECURITY.md) but the
# map tiles' server when one is configured.
CONTENT_SECURITY_POLICY = os.environ.get("CONTENT_SECURITY_POLICY", "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'",
    f"img-src 'self' data: blob: {_TILE_HOST}".strip(),
    "font-src 'self' data:", "connect-src 'self'", "worker-src 'self'", "manifest-src 'self'",
    "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
]))
# The field forms use the camera (photos) and the location; nothing else may.
PERMISSIONS_POLICY = "camera=(self), geolocation=(self), microphone=(), payment=(), usb=()"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when WANGGE_ENV=production")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "wangge" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Front-end packages from npm are copied here by `make assets` (git-ignored).
VENDOR_STATIC_DIR = BASE_DIR / "wangge" / "static_build"
STATICFILES_DIRS = [BASE_DIR / "wangge" / "static", VENDOR_STATIC_DIR]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production the files are found where they lie, so no collectstatic is needed to serve.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
if os.environ.get("STORAGE_URL"):  # photos, attachments, briefs in S3-compatible object storage (DEPLOY.md)
    from wangge.core.storage_url import storage_from_url

    STORAGES["default"] = storage_from_url(os.environ["STORAGE_URL"])
MEDIA_URL = "/media/"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                         "LOCATION": os.environ["REDIS_URL"]}

# Every handler formats with MaskingFormatter: ID and mobile numbers masked in the whole line, tracebacks
# included, and the request id on every line (docs/PRIVACY.md). Django's own loggers use the same handler.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "wangge.core.logging.MaskPersonalDataFilter"}},
    "formatters": {"masked": {
        "()": "wangge.core.logging.MaskingFormatter",
        "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s",
    }},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["mask_personal_data"],
            "formatter": "masked",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Replace Django's default handlers (an unmasked console and mail_admins) by ours.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
WANGGE_SITE_TITLE = _("Wangge")
# `flush` refuses a database that holds a change record unless --force; the test suite sets this.
WANGGE_ALLOW_FLUSH = False

# Ledger imports: files up to this size run within the request, larger ones in the background.
IMPORT_INLINE_MAX_BYTES = int(os.environ.get("IMPORT_INLINE_MAX_BYTES", str(256 * 1024)))
# A whole-list export longer than this is written by the worker, not in the request (core/export_jobs.py).
EXPORT_INLINE_MAX_ROWS = int(os.environ.get("EXPORT_INLINE_MAX_ROWS", "20000"))
# Workbooks are parsed in a child process capped at this much memory above the app's own (sandbox.py).
IMPORT_READ_MEMORY_MB = int(os.environ.get("IMPORT_READ_MEMORY_MB", "1536"))
# Rows one ledger file may hold, and how many are checked and written at a time (memory stays flat).
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "1000000"))
IMPORT_CHUNK_ROWS = int(os.environ.get("IMPORT_CHUNK_ROWS", "10000"))
# An API inspection carries its photos as base64 in one JSON body (one request, one idempotent submission).
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(30 * 1024 * 1024)))
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
# "Posted but not scanned": this many days in a row below this share of the expected scans.
VENUE_SCAN_FLAG_DAYS = int(os.environ.get("VENUE_SCAN_FLAG_DAYS", "3"))
VENUE_SCAN_FLAG_RATIO = float(os.environ.get("VENUE_SCAN_FLAG_RATIO", "0.2"))
# Plausibility of field submissions (docs/INSPECTIONS.md): flagged, never refused, beyond these.
INSPECTION_RADIUS_M = int(os.environ.get("INSPECTION_RADIUS_M", "500"))
INSPECTION_FUTURE_MINUTES = int(os.environ.get("INSPECTION_FUTURE_MINUTES", "10"))
INSPECTION_TRAVEL_MINUTES = int(os.environ.get("INSPECTION_TRAVEL_MINUTES", "60"))
INSPECTION_MAX_SPEED_KMH = int(os.environ.get("INSPECTION_MAX_SPEED_KMH", "120"))

# Retention of personal data in days, per kind (docs/PRIVACY.md gives each purpose and reason). After it,
# `wangge purge` (daily) anonymises the rows. Override with PERSONAL_DATA_RETENTION=code=days,code=days.
PERSONAL_DATA_RETENTION = {
    "screening_results": 180,  # after the round's date: a round is followed up within weeks
    "care_visit_notes": 730,  # after the visit: two years of a person's history of care
    "former_residents": 365,  # after moving out or death: a year for late follow-up and corrections
    "supply_distributions": 1095,  # after the day: three years, the audit period of emergency supplies
    "resident_need_orders": 730,  # after closing: as long as the care visits they came from
    "enterprise_contacts": 365,  # after the enterprise moved out or was deregistered
    "inspection_photos": 365,  # after the inspection: a year covers the re-inspections and objections
    "login_failures": 90,  # after the attempt: long enough to investigate an attack
    "import_files": 7,  # after the upload: the uploader corrects the marked file within days (issue #22)
    "import_uploads": 1,  # after the check: a checked file is imported the same day or uploaded again
    "export_files": 1,  # after it was written: a long export is downloaded the same day or made again
    "vaccination_census": 730,  # after the answer: two campaigns' worth of mobilisation history
    "vaccination_contacts": 730,  # after the contact: as long as the census answers
    "vaccination_reactions": 1825,  # after the visit: five years, as adverse-reaction reports are kept
    "public_report_phones": 365,  # after the order closed: a year covers the rating and a reopened report
}
for _item in env_list("PERSONAL_DATA_RETENTION", []):
    _code, _sep, _days = _item.partition("=")
    PERSONAL_DATA_RETENTION[_code.strip()] = int(_days)

# Mail (self-service password reset, optional e-mailed alerts). Without EMAIL_HOST nothing is ever sent:
# the reset page sends people to an administrator instead of failing.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "wangge@localhost")

# Notification channels besides the inbox (docs/NOTIFICATIONS.md): each is offered to users once its
# server is named. E-mail uses the EMAIL_* settings above.
WECOM_API_BASE = os.environ.get("WECOM_API_BASE", "https://qyapi.weixin.qq.com").rstrip("/")
WECOM_CORP_ID = os.environ.get("WECOM_CORP_ID", "")
WECOM_SECRET = os.environ.get("WECOM_SECRET", "")
WECOM_AGENT_ID = os.environ.get("WECOM_AGENT_ID", "")
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
NOTIFY_TIMEOUT = int(os.environ.get("NOTIFY_TIMEOUT", "10"))  # seconds per attempt
# The address the links in e-mails and messages point to (e.g. https://wangge.example.gov.cn).
SITE_URL = os.environ.get("WANGGE_SITE_URL", "").rstrip("/")

# Background work: Celery with Redis when CELERY_BROKER_URL is set; otherwise tasks run in-process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"

# Public reports and the 12345 hotline (docs/PUBLIC_REPORTS.md): limits of the public page, the window and
# distance within which two reports are the same problem.
PUBLIC_REPORT_PER_IP_HOUR = int(os.environ.get("PUBLIC_REPORT_PER_IP_HOUR", "20"))
PUBLIC_REPORT_PER_PHONE_DAY = int(os.environ.get("PUBLIC_REPORT_PER_PHONE_DAY", "5"))
PUBLIC_REPORT_LOOKUPS_PER_MINUTE = int(os.environ.get("PUBLIC_REPORT_LOOKUPS_PER_MINUTE", "20"))
PUBLIC_REPORT_WRONG_DIGITS_PER_HOUR = int(os.environ.get("PUBLIC_REPORT_WRONG_DIGITS_PER_HOUR", "5"))
PUBLIC_REPORT_DUPLICATE_HOURS = int(os.environ.get("PUBLIC_REPORT_DUPLICATE_HOURS", "72"))
PUBLIC_REPORT_DUPLICATE_METRES = int(os.environ.get("PUBLIC_REPORT_DUPLICATE_METRES", "100"))
PUBLIC_REPORT_CAPTCHA_MINUTES = int(os.environ.get("PUBLIC_REPORT_CAPTCHA_MINUTES", "30"))

# Elderly vaccination (docs/VACCINATION.md): the day ages are counted on for the 60+ register (empty:
# today; pages take ?as_of=) and the days from a dose to its follow-up.
VACCINATION_REFERENCE_DATE = os.environ.get("VACCINATION_REFERENCE_DATE", "") or None
VACCINATION_FOLLOWUP_DAYS = int(os.environ.get("VACCINATION_FOLLOWUP_DAYS", "7"))
