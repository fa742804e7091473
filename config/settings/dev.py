"""Local development: DEBUG on, console e-mail, a throwaway secret key."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")  # noqa: F405
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# The audit log is in the database; in development its log lines only drown the console.
LOGGING["loggers"]["casebook.audit"] = {"level": "WARNING"}  # noqa: F405
