"""Production: everything from the environment; refuses to start when unsafe."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = os.environ.get("DEBUG", "").lower() in {"1", "true", "yes", "on"}  # noqa: F405
if DEBUG:
    raise ImproperlyConfigured("生产环境不得开启 DEBUG（DEBUG must be off in production).")
_INSECURE_KEYS = {"", "dev-only-insecure-key-do-not-use-in-production", "test-only-secret-key"}
if SECRET_KEY in _INSECURE_KEYS or len(SECRET_KEY) < 32:  # noqa: F405
    raise ImproperlyConfigured(
        "请通过环境变量 SECRET_KEY 设置至少 32 个字符的随机密钥"
        "（set SECRET_KEY to a random value of at least 32 characters)."
    )
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("请设置 ALLOWED_HOSTS（comma-separated host names).")

SESSION_COOKIE_SECURE = os.environ.get("SECURE_COOKIES", "1") == "1"  # noqa: F405
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# HTTPS only: redirect plain HTTP, and tell browsers (HSTS) to use nothing else for a year.
# A local benchmark over plain HTTP sets SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)  # noqa: F405
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)  # noqa: F405

# --- Several app servers (docs/scale-out.md): no state of their own --------------------------
# Static files: `collectstatic` writes hashed, gzipped copies; WhiteNoise serves them straight
# from the WSGI process (hashed names cached for a year, immutable), before any other middleware.
MIDDLEWARE = [
    *MIDDLEWARE[:1],  # noqa: F405 - SecurityMiddleware first: HSTS and nosniff on static files too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],  # noqa: F405
]
WHITENOISE_MAX_AGE = env_int("STATIC_MAX_AGE", 3600)  # noqa: F405 - files without a hash in the name
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", STATIC_ROOT))  # noqa: F405 - where collectstatic writes

# Media (case images, attachments, renditions, compilation PDFs): MEDIA_STORAGE=filesystem keeps
# them in MEDIA_ROOT, which every app server and worker must mount (a shared volume);
# MEDIA_STORAGE=s3 keeps them in a private S3-compatible bucket. Either way they are streamed by
# the permission-checking views (/files/...), never linked to directly.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem").strip().lower()  # noqa: F405
if MEDIA_STORAGE == "filesystem":
    _media = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    if not os.environ.get("AWS_STORAGE_BUCKET_NAME"):  # noqa: F405
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 需要 AWS_STORAGE_BUCKET_NAME（the bucket name).")
    _media = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],  # noqa: F405
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,  # noqa: F405
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,  # noqa: F405
            "location": os.environ.get("AWS_LOCATION", ""),  # noqa: F405 - a key prefix in the bucket
            # "path" for most self-hosted S3-compatible servers (MinIO, Ceph); unset: the SDK decides.
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,  # noqa: F405
            # Keys come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or an instance role).
            "default_acl": "private",
            # Unsigned URLs: a storage URL that leaks anywhere is a dead link to a private object,
            # never a working, permission-free link (the views stream every file themselves).
            "querystring_auth": False,
            # Two uploads called 照片.jpg must not overwrite each other (Django's default is to rename).
            "file_overwrite": False,
            # Larger downloads spool to a temporary file instead of memory while they are streamed.
            "max_memory_size": FILE_UPLOAD_MAX_MEMORY_SIZE,  # noqa: F405
        },
    }
else:
    raise ImproperlyConfigured("MEDIA_STORAGE 只能是 filesystem 或 s3（MEDIA_STORAGE must be filesystem or s3).")
STORAGES = {
    "default": _media,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Caches shared by every app server: Redis when REDIS_URL is set, else tables in the database
# (`manage.py createcachetable` after `migrate`). "renditions" is Wagtail's rendition lookup cache.
# Redis through sharedcache/backend.py: while Redis is down, reads miss and writes are skipped
# (the pages come from the database), never a 500 (docs/faults.md).
REDIS_URL = os.environ.get("REDIS_URL", "")  # noqa: F405
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "casebook")  # noqa: F405
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "sharedcache.backend.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{CACHE_KEY_PREFIX}:{alias}",
            "TIMEOUT": timeout,
        }
        for alias, timeout in (("default", 300), ("renditions", 24 * 3600))
    }
else:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": f"casebook_cache_{alias}",
            "TIMEOUT": timeout,
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
        for alias, timeout in (("default", 300), ("renditions", 24 * 3600))
    }
# `check --deploy` is about deployment settings; drf-spectacular would also generate the whole
# OpenAPI schema there (needing a migrated database). tests/api/test_schema.py checks the schema.
SPECTACULAR_SETTINGS = {**SPECTACULAR_SETTINGS, "ENABLE_DJANGO_DEPLOY_CHECK": False}  # noqa: F405
