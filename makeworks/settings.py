"""Settings for makeworks: one file, read from the environment, with defaults that boot a laptop.

Development needs nothing: SQLite, eager Celery, local-memory cache, console e-mail, local media.
Production sets DJANGO_ENV=production, SECRET_KEY, DATABASE_URL, REDIS_URL and SITE_URL.
"""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from makeworks.lib.csp import origin_source
from makeworks.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DJANGO_ENV = env_str("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be 'development' or 'production', got {DJANGO_ENV!r}")
PRODUCTION = DJANGO_ENV == "production"

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production")
    # A fixed key is fine on a laptop: it signs nothing that leaves the machine.
    SECRET_KEY = "development-only-key-never-used-in-production-0123456789abcdef"  # noqa: S105

# Encrypts the issuers' private signing keys at rest (badges.openbadges.signing). Changing it makes the
# stored keys unreadable, so it is kept apart from SECRET_KEY, which operators may rotate freely.
BADGE_KEY_SECRET = env_str("BADGE_KEY_SECRET")
if not BADGE_KEY_SECRET:
    if PRODUCTION:
        raise ImproperlyConfigured("BADGE_KEY_SECRET must be set when DJANGO_ENV=production")
    # A fixed secret is fine on a laptop: the keys it protects sign only demo badges.
    BADGE_KEY_SECRET = "development-only-badge-key-secret-never-used-in-production"  # noqa: S105
elif PRODUCTION and len(BADGE_KEY_SECRET) < 32:
    raise ImproperlyConfigured("BADGE_KEY_SECRET must be at least 32 characters long")

DEBUG = env_bool("DEBUG", default=not PRODUCTION)

# The public origin. Every absolute URL the app prints (badge ids, e-mails, exports) starts with it.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env_str("SITE_NAME", "makeworks")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [urlsplit(SITE_URL).hostname or "127.0.0.1", "127.0.0.1", "localhost", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_countries",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "django_filters",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "accounts",
    # The audit log sits below every domain: each writes to it, it imports none of them.
    "audit",
    "directory",
    "badges",
    "passport",
    "machinery_map",
    # The front-door tier: each may import every domain, and no domain imports them.
    # The hub staff console (console/).
    "console",
    # The partner API (api/), with its API keys and Idempotency-Key answers under the app label
    # "partners" they always had.
    "api",
    "api.keys",
    # The home page, which gathers every domain's news, and the about, privacy, terms and contact pages.
    "pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (see the end of this file).
    "csp.middleware.CSPMiddleware",
    "makeworks.middleware.PermissionsPolicyMiddleware",
    # WhiteNoise serves static files in every mode (see WHITENOISE_USE_FINDERS below), so any server
    # started on the app, gunicorn included, has its styles and scripts.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything that may answer early, so CORS headers are on every /api/v1/ response.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A French browser (or someone who chose French) at an unprefixed page goes to its /fr/ twin.
    "makeworks.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Answers 503 with the reason when BADGE_KEY_SECRET is wrong (badges.keyring), not a 500.
    "badges.middleware.BadgeKeySecretMiddleware",
]

ROOT_URLCONF = "makeworks.urls"
WSGI_APPLICATION = "makeworks.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "makeworks.context_processors.site",
            ],
        },
    },
]

# Database: SQLite on a laptop, PostgreSQL wherever DATABASE_URL says so.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a command writes; IMMEDIATE avoids "database is locked"
    # upgrades from read to write locks inside a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs tens of milliseconds and pays off only for long analytical queries; every
    # query here is a short one, so it only ever made them slower. random_page_cost 1.1 instead of 4
    # tells the planner that data sits on SSD or in memory, so it looks rows up by index rather than
    # scanning whole tables (the value PostgreSQL's own documentation suggests for SSDs).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = env_str(
        "DATABASE_OPTIONS", "-c jit=off -c random_page_cost=1.1"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis, when given, is both the Celery broker and the shared cache, so limits hold across processes.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # An unreachable Redis reads as an empty cache (makeworks.cache): rate limits fail open with a
    # warning instead of every log-in and API call answering 500; a hung one is given up on in a second.
    CACHES = {
        "default": {
            "BACKEND": "makeworks.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
# Without a broker, tasks run in-process at once, which is what a laptop and the default test run want.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Redis hands a task that was taken but not acknowledged (its worker was killed) to another worker after
# the visibility timeout. It must outlast the longest task, counting a retry's countdown, which a worker
# holds unacknowledged: up to 600 s (the e-mail tasks' retry_backoff_max) plus one chunk of ten e-mails
# (passport.services.delivery.TASK_CHUNK), a few minutes at most. An award e-mail's send claim lasts as
# long (passport.services.delivery). Redis's default of an hour left killed batches unsent for an hour.
TASK_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 15 * 60)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": TASK_VISIBILITY_TIMEOUT,
    # A broker that does not answer fails the publish within seconds (makeworks.celery.enqueue then logs
    # it and the sweep queues the work later), rather than holding up the request that committed it.
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
# Celery beat (the `beat` service of docker-compose.yml): badges from other issuers are checked again
# daily, so a revoked or expired one is flagged on the passport within a day.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "reverify-external-badges": {
        "task": "passport.tasks.reverify_all_external_badges",
        "schedule": 24 * 60 * 60,
    },
    # Idempotency-Key answers are replayed for 24 hours; hourly, older ones are deleted so the table
    # holds about a day of API writes rather than every write ever made.
    "purge-idempotency-records": {
        "task": "api.keys.tasks.purge_idempotency_records",
        "schedule": 60 * 60,
    },
    # After-commit work whose task never reached the broker (it was down) or was lost is queued again
    # from the rows that record it (makeworks.celery): badges to bake and e-mail, messages to deliver.
    "sweep-undelivered-assertions": {"task": "passport.tasks.sweep_undelivered_assertions", "schedule": 60},
    "sweep-undelivered-messages": {"task": "directory.tasks.sweep_undelivered_messages", "schedule": 60},
    # Files checked for a confirm step wait in the database (accounts.CheckedUpload) for an hour at most.
    "purge-checked-uploads": {"task": "accounts.tasks.purge_checked_uploads", "schedule": 60 * 60},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# Seconds a mail server may take to answer, so a send never outlasts its claim (passport.services.delivery).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 60)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "makeworks <noreply@makeworks.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people reach the site's operators (the contact, privacy and terms pages show it).
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "contact@makeworks.example")

# Argon2 first: new passwords are hashed with it, older hashes are upgraded at the next log-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/leaflet", xstatic.pkg.leaflet.BASE_DIR),
    ("vendor/leaflet-markercluster", xstatic.pkg.leaflet_markercluster.BASE_DIR),
]
# Production serves the collected, hashed files. Elsewhere WhiteNoise finds each file in the source
# folders when it is asked for (nothing to collect, edits show at once), so `gunicorn makeworks.wsgi`
# works on a laptop without DEBUG; runserver still serves them itself when DEBUG is on.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            # WhiteNoise's compressed manifest, which tolerates the source maps vendor packages omit.
            "makeworks.staticfiles.ProductionStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Photos are resized on upload; this caps what a request body may carry before that.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Maps: tiles come from a tile server named here; empty means the map draws markers on a blank
# background, which is what tests and offline demos use.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
)
# Optional online geocoder (a Nominatim-compatible /search endpoint) for places the local
# gazetteer does not know. Empty means local only; the app never calls out unless this is set.
GEOCODER_URL = env_str("GEOCODER_URL")
# Verifying a badge fetches URLs strangers give us; only globally routable addresses are fetched (SSRF).
# For tests only: also fetch loopback (127.0.0.0/8, ::1), where their stand-in issuers listen. No
# setting opens any other private range.
VERIFY_ALLOW_LOOPBACK = env_bool("VERIFY_ALLOW_LOOPBACK", default=False)

# How many proxies in front of the app (nginx, a load balancer) append the client's address to
# X-Forwarded-For: behind N, the client is the Nth address from the right (makeworks.lib.requests.
# client_address); with 0 the header is ignored, as anyone can send it. Every per-client limit (log-in,
# contact form, /verify/, the API) counts by that address. API_TRUSTED_PROXIES is its former name.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", env_int("API_TRUSTED_PROXIES", 0))
# allauth reads the client through accounts.adapter, which asks client_address; its own reader agrees.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# The partner API (/api/v1/, see api/urls.py). Keys (api.keys: partners.APIKey) or a browser session
# authenticate; every view names its own permissions, so nothing is writable by default.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so a request without credentials is answered 401 with a Bearer challenge, not 403.
        "api.authentication.APIKeyAuthentication",
        # Browsers signed in to the site; DRF enforces CSRF on their writes.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.ORJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        # Bounded depth and size: a deeply nested body is a 400, not a RecursionError.
        "makeworks.lib.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "makeworks.lib.api.base.PagePagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.APIKeyThrottle",
        "api.throttling.SessionUserThrottle",
        "api.throttling.AnonymousClientThrottle",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    # Our throttles read the client through makeworks.lib.requests.client_address; this keeps DRF's own
    # get_ident in step with it.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
# Requests per window ("count/second|minute|hour|day") per API key, per signed-in person and per
# anonymous client address, counted in the default cache (Redis when REDIS_URL: one count for every
# web process). Read at each request, so tests and the bench can change them.
API_THROTTLE_RATES = {
    "key": env_str("API_THROTTLE_KEY", "1200/minute"),
    "user": env_str("API_THROTTLE_USER", "300/minute"),
    "anonymous": env_str("API_THROTTLE_ANONYMOUS", "120/minute"),
}
# How long an anonymous public read may be cached by browsers and shared caches.
API_PUBLIC_MAX_AGE = env_int("API_PUBLIC_MAX_AGE", 60)
SPECTACULAR_SETTINGS = {
    "TITLE": "makeworks API",
    "DESCRIPTION": (
        "The partner API of makeworks: the Directory (listings, taxonomies, nodes, hubs), Open Badges "
        "issuers, badge classes, assertions and endorsements, public Maker Passports, the Map of "
        "Machinery (equipment types, processes, machines), and badge verification. Public data needs no key; "
        "writes need an API key (`Authorization: Bearer mw_live_...`) holding the scope they name. "
        "Errors are JSON objects with `code`, `message` and `fields`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The docs pages load Swagger UI and Redoc from our own static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ListingKindEnum": "directory.models.ListingKind",
        "VocabularyEnum": "directory.models.Vocabulary",
    },
}
# Public reads may be fetched by any web page; nothing is ever sent with cookies (no credentials), so
# a page elsewhere cannot act as a signed-in visitor.
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]

# Accounts (django-allauth): people sign in with an e-mail address, which they must verify; they may
# add several. Its e-mails go out through Celery (accounts.adapter). Failed log-ins are limited per
# address and per IP in the shared cache, so the limits hold across web processes.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_MAX_EMAIL_ADDRESSES = 5
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = urlsplit(SITE_URL).scheme or "http"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# Two-factor authentication (allauth.mfa): staff who issue badges can protect their accounts with an
# authenticator app, and an issuer can require it (badges.permissions); recovery codes let someone who
# lost their phone back in without an administrator.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Content-Security-Policy (django-csp): scripts and styles come from our own static files only, never
# inline, so injected markup cannot run. Images may also come as data: URIs (embedded badge images), as
# blob: URLs (a photo previewed before upload), from the map's tile server and from where media and badge
# URLs point; the video facade frames the two
# players makeworks/lib/video.py knows by name (a PeerTube listing adds its own instance, see
# directory.views.browse). The API docs pages add a nonce for what their UIs inject (api.docs).
_IMAGE_ORIGINS = [origin_source(url) for url in (MAP_TILE_URL, str(MEDIA_URL), SITE_URL)]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *sorted({origin for origin in _IMAGE_ORIGINS if origin})],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Powerful browser features no page uses, refused to the page and to anything it frames. Fullscreen,
# autoplay and picture-in-picture stay at the browser's default: the video players ask for them.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")},
}
