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
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    },
}
# `check --deploy` is about deployment settings; drf-spectacular would also generate the whole
# OpenAPI schema there (needing a migrated database). tests/api/test_schema.py checks the schema.
SPECTACULAR_SETTINGS = {**SPECTACULAR_SETTINGS, "ENABLE_DJANGO_DEPLOY_CHECK": False}  # noqa: F405
