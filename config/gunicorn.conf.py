"""Gunicorn for `make serve`: the site with production settings, behind a reverse proxy.

Every value comes from the environment (README.md, "Serving in production"):
PORT, BIND_HOST, WEB_CONCURRENCY, GUNICORN_THREADS, GUNICORN_TIMEOUT, ACCESS_LOG,
FORWARDED_ALLOW_IPS, GUNICORN_MAX_REQUESTS.
"""

import os

wsgi_app = "config.wsgi:application"
raw_env = ["DJANGO_SETTINGS_MODULE=" + os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.production")]

# 127.0.0.1 by default: the reverse proxy runs on the same host. BIND_HOST=0.0.0.0 to listen
# on every interface (e.g. in a container whose port the proxy reaches).
bind = [f"{os.environ.get('BIND_HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"]

# Synchronous workers: each handles one request at a time, which suits a proxy that buffers
# requests and responses (nginx does). Two per core is a good start for a database-bound site.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))  # > 1 switches to the gthread worker
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # a stuck worker is killed and replaced
graceful_timeout = 30
keepalive = 5
# Recycle workers after this many requests (0: never), with jitter so they do not restart together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# Worker heartbeats in memory rather than on a possibly slow disk.
_SHM = "/dev/shm"  # noqa: S108 - gunicorn creates its own private files there
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None

# Which peers may set X-Forwarded-Proto (and so mark a request as HTTPS): the proxy's address.
# The client address for rate limits and lockouts comes from X-Forwarded-For as the app reads it
# (TRUSTED_PROXY_COUNT, core/net.py), not from gunicorn.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The proxy logs requests; ACCESS_LOG=1 logs them here too (to stdout). Errors go to stderr.
accesslog = "-" if os.environ.get("ACCESS_LOG", "0").lower() in {"1", "true", "yes", "on"} else None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "casebook"
# Gunicorn's control socket has one default path per user, which a second instance on the same
# host (another port, a benchmark) would take over: off unless GUNICORN_CONTROL_SOCKET names one.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket


def post_worker_init(worker):
    """Load jieba's dictionary (about a second) before the worker takes its first request."""
    from search.segment import _tokenizer

    _tokenizer()
