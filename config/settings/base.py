"""Settings shared by every environment; environment files only override."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]

INSTALLED_APPS = [
    "core",  # the ground floor: tools every app may use (docs/architecture.md)
    "regions",  # the ground floor: administrative divisions
    "accounts",
    "notifications",
    "cases",
    "search",
    "similarity",
    "website",
    "audit",
    "security",
    "workspace",  # the admin's branding, menus and Chinese (before wagtail.admin: its templates win)
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.frontend_cache",  # purges the front cache: website/frontcache.py
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "django_tasks",
    # Before django_tasks_db: its `db_worker` command replaces the upstream one (background/worker.py).
    "background",
    # The database task queue (TASKS_BACKEND=database): its tables exist everywhere, used only then.
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

# The order matters for the security middleware: see security/middleware.py.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "security.middleware.SecurityHeadersMiddleware",
    "cases.api.middleware.ApiErrorShapeMiddleware",  # any non-JSON error under /api/ → the API's shape
    "security.input_guard.InputGuardMiddleware",  # NUL and non-UTF-8 input: 400, never a 500
    "security.middleware.RateLimitMiddleware",
    "website.cache_policy.CachePolicyMiddleware",  # outside sessions and CSRF: sees their cookies
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "security.middleware.SessionLimitMiddleware",
    "audit.context.AuditContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "website" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite (embedded) unless DATABASE_URL names another database, e.g. PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must behave like PostgreSQL under concurrent writes (docs/faults.md):
    # WAL lets readers go on while one writer writes; IMMEDIATE makes every transaction take the
    # write lock when it begins, so two racing writers queue instead of one failing with
    # "database is locked" when its read turns into a write; the busy timeout (seconds) is how
    # long a writer waits in that queue. The loser of a race then reads the winner's state: 409.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
        "init_command": "PRAGMA journal_mode=WAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and os.environ.get("PG_JIT", "off") == "off":
    # PostgreSQL compiles (JIT) any query whose estimated cost passes `jit_above_cost`; the library's
    # ranking statement over 100,000 published cases does, and spent ~590 ms per search compiling
    # to save nothing (docs/performance.md, issue 18). Off for our connections; PG_JIT=on leaves the
    # server's setting (behind a pooler that refuses the `options` startup parameter, set
    # `ALTER DATABASE … SET jit = off` there instead: docs/scale-out.md).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("PASSWORD_MIN_LENGTH", "8"))},
    },
    # Django's common-password list plus extras, with substitutions undone (security/data/README.md).
    {"NAME": "security.passwords.BreachedPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassValidator"},
]
LOGIN_URL = "wagtailadmin_login"
# Sign-in goes through the lockout (and, for API tokens, the TOTP check): security/backends.py.
AUTHENTICATION_BACKENDS = ["security.backends.LockoutModelBackend"]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


# --- Security (issue 8; every threshold documented in README.md, Configuration) ---------------
# Sign-in lockout: LOGIN_LOCKOUT_FAILURES failures of one (account, address) within
# LOGIN_FAILURE_WINDOW_SECONDS lock the pair for LOGIN_LOCKOUT_SECONDS; LOGIN_IP_MAX_FAILURES
# failures from one address (any accounts) lock the address. `manage.py unlock_user` lifts it.
LOGIN_LOCKOUT_FAILURES = env_int("LOGIN_LOCKOUT_FAILURES", 5)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 600)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 600)
LOGIN_IP_MAX_FAILURES = env_int("LOGIN_IP_MAX_FAILURES", 50)
# Sessions end after SESSION_IDLE_TIMEOUT seconds without a request, and SESSION_ABSOLUTE_TIMEOUT
# after sign-in; the admin warns SESSION_EXPIRY_WARNING seconds before and offers to extend.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 12 * 3600)
SESSION_EXPIRY_WARNING = env_int("SESSION_EXPIRY_WARNING", 120)
# Requests a page makes by itself do not count as activity: our status poll, Wagtail's
# editing-session ping (every few seconds while an edit form is open).
SESSION_PASSIVE_PATHS = [r"^/admin/security/session/status/$", r"^/admin/editing-sessions/ping/"]
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
# Sessions in the database, shared by every app server. Not `cached_db`: deactivating an account
# deletes its session rows (accounts.services.end_sessions), which a cached copy would outlive.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Optional TOTP second factor for the secretariat and administrators (off by default).
TOTP_ENABLED = env_bool("TOTP_ENABLED", False)
TOTP_REQUIRED = env_bool("TOTP_REQUIRED", False)
TOTP_ISSUER = os.environ.get("TOTP_ISSUER", "典型案例库")
# Reverse proxies in front of the app that append the client address to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Rate limits per client address (HTTP 429): the first matching rule counts the request.
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
RATE_LIMIT_SIGNIN_PER_MINUTE = env_int("RATE_LIMIT_SIGNIN_PER_MINUTE", 20)
RATE_LIMIT_SEARCH_PER_MINUTE = env_int("RATE_LIMIT_SEARCH_PER_MINUTE", 120)
RATE_LIMIT_OBJECTIONS_PER_HOUR = env_int("RATE_LIMIT_OBJECTIONS_PER_HOUR", 5)
RATE_LIMIT_PASSWORD_RESET_PER_HOUR = env_int("RATE_LIMIT_PASSWORD_RESET_PER_HOUR", 10)
RATE_LIMIT_OBJECTION_LOOKUPS_PER_HOUR = env_int("RATE_LIMIT_OBJECTION_LOOKUPS_PER_HOUR", 20)
RATE_LIMITS = [
    {"name": "signin", "path": r"^/(admin/login/|api/v1/auth/token$)", "methods": ["POST"],
     "limit": RATE_LIMIT_SIGNIN_PER_MINUTE, "window": 60},
    {"name": "objections", "path": r"^/(api/v1/cases/\d+/objections|notices/\d+/)$", "methods": ["POST"],
     "limit": RATE_LIMIT_OBJECTIONS_PER_HOUR, "window": 3600},
    {"name": "objection_lookup", "path": r"^/notices/lookup/$", "methods": ["POST"],
     "limit": RATE_LIMIT_OBJECTION_LOOKUPS_PER_HOUR, "window": 3600},
    # The CSV export runs the same search (up to 10,000 rows): one budget with the library and API.
    {"name": "search", "path": r"^/(cases/|cases\.csv|api/v1/cases)$", "methods": ["GET", "HEAD"],
     "limit": RATE_LIMIT_SEARCH_PER_MINUTE, "window": 60},
    {"name": "password_reset", "path": r"^/admin/password_reset/$", "methods": ["POST"],
     "limit": RATE_LIMIT_PASSWORD_RESET_PER_HOUR, "window": 3600},
]
# Limits per account rather than per address (security/ratelimit.py `hit_account`): past the
# limit the action is skipped or refused for that account, whatever address the requests come from.
RATE_LIMIT_RESET_EMAILS_PER_ACCOUNT_PER_HOUR = env_int("RATE_LIMIT_RESET_EMAILS_PER_ACCOUNT_PER_HOUR", 3)
RATE_LIMIT_ADOPTION_REPORTS_PER_DAY = env_int("RATE_LIMIT_ADOPTION_REPORTS_PER_DAY", 20)
ACCOUNT_RATE_LIMITS = [
    # Password-reset e-mails to one account: further requests get the same answer and send nothing.
    {"name": "password_reset_email", "limit": RATE_LIMIT_RESET_EMAILS_PER_ACCOUNT_PER_HOUR, "window": 3600},
    # Adoption reports (new or corrected) per account per day: past it a 429 (cases/adoptions.py).
    {"name": "adoption_reports", "limit": RATE_LIMIT_ADOPTION_REPORTS_PER_DAY, "window": 86400},
]
# Content-Security-Policy by path, first match wins; `frame-ancestors` is added per response
# ('none', or 'self' where X-Frame-Options is SAMEORIGIN, as for Wagtail's previews). Wagtail's
# admin needs inline scripts and styles; the public site and the API get none.
CONTENT_SECURITY_POLICIES = [
    (r"^/admin/", "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
                  "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; media-src 'self' blob:; "
                  "frame-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'"),
    (r"^/api/v1/docs$", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; "
                        "form-action 'none'"),
    (r"^/api/", "default-src 'none'; base-uri 'none'; form-action 'none'"),
    (r"", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
          "connect-src 'self'; media-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"),
]
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Audit events are kept AUDIT_RETENTION_DAYS (at least 180) days; `manage.py purge_audit_events`.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 180)

LANGUAGE_CODE = "zh-hans"
# Chinese only: every official and citizen reads zh-hans, whatever the browser asks for.
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "website" / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Case files are served through permission-checking views, never from MEDIA_URL.
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "典型案例库 <noreply@casebook.local>")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)  # a stuck SMTP server must not hold a worker forever
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", "")  # for EMAIL_BACKEND=...filebased.EmailBackend

# Background work (e-mail, Elasticsearch indexing, renditions, compilation PDFs):
# TASKS_BACKEND=database queues it in the database for `manage.py db_worker` processes (production);
# otherwise it runs inline, after commit, in the process that asked for it.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate").strip().lower()
if TASKS_BACKEND not in {"immediate", "database"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("TASKS_BACKEND 只能是 immediate 或 database（TASKS_BACKEND must be immediate or database).")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend" if TASKS_BACKEND == "database"
        else "django_tasks.backends.immediate.ImmediateBackend",
    }
}

# Wagtail
WAGTAIL_SITE_NAME = "典型案例库"
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# The admin in Chinese only (no language or time-zone choice in 帐号); Wagtail's own zh-hans
# catalogue, completed by workspace/locale where it lacks a string (docs/admin.md).
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai"]
# Wagtail's page moderation workflows are not ours (cases have their own lifecycle).
WAGTAIL_WORKFLOW_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# The front cache (Varnish, docs/deployment-cache.md), purged when cases change; off when unset.
# Several caches: comma-separated URLs; each gets every purge.
FRONTEND_CACHE_URL = os.environ.get("FRONTEND_CACHE_URL", "").strip()
if FRONTEND_CACHE_URL:
    WAGTAILFRONTENDCACHE = {
        f"cache{i}": {"BACKEND": "website.frontcache.PurgeBackend", "LOCATION": url.strip()}
        for i, url in enumerate(FRONTEND_CACHE_URL.split(","), start=1) if url.strip()
    }
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "jpg", "jpeg", "png", "zip"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# The image and document libraries check uploads like case files do (cases/upload_forms.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "cases.upload_forms.CheckedImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cases.upload_forms.CheckedDocumentForm"
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Draftail, reading a post that is not content state as HTML through the allow-list (security/richtext.py).
WAGTAILADMIN_RICH_TEXT_EDITORS = {"default": {"WIDGET": "security.widgets.SafeDraftailRichTextArea"}}
# 24 megapixels over all frames (6000×4000: more than a case photo needs); cases/uploads.py.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 24_000_000
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAIL_PASSWORD_RESET_ENABLED = True
# The admin's sign-in form: one message for every failure, and the lockout's (security/forms.py).
WAGTAILADMIN_USER_LOGIN_FORM = "security.forms.LockoutAwareLoginForm"
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "security.forms.ThrottledPasswordResetForm"  # noqa: S105 - a class path
# No third-party requests from the admin: no Gravatar (sends hashed e-mails abroad), no update check.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILUSERS_PASSWORD_ENABLED = True

# Casebook
CASEBOOK = {
    # Upload limits (bytes); the security issue tightens the checks behind them.
    "IMAGE_MAX_BYTES": WAGTAILIMAGES_MAX_UPLOAD_SIZE,
    "DOCUMENT_MAX_BYTES": WAGTAILDOCS_MAX_UPLOAD_SIZE,
    "API_TOKEN_HOURS": int(os.environ.get("API_TOKEN_HOURS", "12")),
    "ICP_NUMBER": os.environ.get("ICP_NUMBER", ""),
    # Who runs the site (主办单位), shown in the footer; empty: a neutral default (website_tags).
    "OPERATOR": os.environ.get("SITE_OPERATOR", ""),
    # Objectors' personal data is erased this many days after the ruling (manage.py erase_objector_data).
    "OBJECTION_RETENTION_DAYS": int(os.environ.get("OBJECTION_RETENTION_DAYS", "180")),
    # Task workers (background/recovery.py): a RUNNING task whose worker has not been seen for
    # this long is queued again; one claimed this many times without finishing is marked failed.
    "TASK_LEASE_SECONDS": float(os.environ.get("TASK_LEASE_SECONDS", "60")),
    "TASK_MAX_ATTEMPTS": int(os.environ.get("TASK_MAX_ATTEMPTS", "3")),
    # A publish, revoke or correction queues the compilation's rebuild (with the immediate task
    # backend: built after the commit, in that official's request); 0: it is only marked pending
    # and `manage.py build_compilations` (cron) builds it. Visitors' downloads never build.
    # Image uploads decoded at once per process, and how long one waits for its turn (s).
    "IMAGE_DECODE_CONCURRENCY": int(os.environ.get("IMAGE_DECODE_CONCURRENCY", "2")),
    "IMAGE_DECODE_WAIT_SECONDS": float(os.environ.get("IMAGE_DECODE_WAIT_SECONDS", "30")),
    "COMPILATION_BUILD_ON_CHANGE": os.environ.get("COMPILATION_BUILD_ON_CHANGE", "1") != "0",
}

# Search: Elasticsearch when ELASTICSEARCH_URL is set, else (and whenever it is down) the database.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
SEARCH_ES_INDEX = os.environ.get("SEARCH_ES_INDEX", "casebook-cases")
SEARCH_ES_ANALYZER = os.environ.get("SEARCH_ES_ANALYZER", "cjk")
# The synonym set behind the search analyzers (the dictionary of search/data/synonyms.txt, edited in the admin).
SEARCH_ES_SYNONYM_SET = os.environ.get("SEARCH_ES_SYNONYM_SET", "casebook-synonyms")
SEARCH_ES_TIMEOUT = os.environ.get("SEARCH_ES_TIMEOUT", "2")
# A secured cluster (docs/search.md, "Connecting to a secured cluster"); checked by `manage.py check`.
SEARCH_ES_CLOUD_ID = os.environ.get("SEARCH_ES_CLOUD_ID", "")
SEARCH_ES_CA_CERTS = os.environ.get("SEARCH_ES_CA_CERTS", "")
SEARCH_ES_FINGERPRINT = os.environ.get("SEARCH_ES_FINGERPRINT", "")
SEARCH_ES_VERIFY_CERTS = os.environ.get("SEARCH_ES_VERIFY_CERTS", "1")
SEARCH_ES_API_KEY = os.environ.get("SEARCH_ES_API_KEY", "")
SEARCH_ES_CLIENT_CERT = os.environ.get("SEARCH_ES_CLIENT_CERT", "")
SEARCH_ES_CLIENT_KEY = os.environ.get("SEARCH_ES_CLIENT_KEY", "")
SEARCH_ES_MAINTENANCE_TIMEOUT = os.environ.get("SEARCH_ES_MAINTENANCE_TIMEOUT", "120")
SEARCH_ES_SHARDS = os.environ.get("SEARCH_ES_SHARDS", "1")
SEARCH_ES_REPLICAS = os.environ.get("SEARCH_ES_REPLICAS", "1")
SEARCH_ES_RETRY_AFTER = os.environ.get("SEARCH_ES_RETRY_AFTER", "30")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "cases.api.pagination.EnvelopePagination",
    "DEFAULT_RENDERER_CLASSES": ["cases.api.renderers.UnicodeJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "EXCEPTION_HANDLER": "cases.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "典型案例库 Casebook API",
    "DESCRIPTION": "提升全民数字素养与技能典型案例库的 JSON API。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {},
}
