"""gunicorn configuration for the production recipe (see deploy/README.md).

    gunicorn -c deploy/gunicorn.conf.py lms.wsgi

Every value can be overridden from the environment (the systemd unit reads
/etc/lms/environment), so the same file serves production, the proxy test
and the load bench:

    GUNICORN_BIND      where to listen (default 127.0.0.1:8000; nginx proxies
                       to it; a unix socket as unix:/run/lms/gunicorn.sock)
    GUNICORN_WORKERS   worker processes (default 2 x CPUs + 1)
    GUNICORN_THREADS   threads per worker (default 1: sync workers)
    GUNICORN_TIMEOUT   seconds before a silent worker is killed (default 60;
                       above the database statement timeout, 30 s)
    GUNICORN_MAX_REQUESTS  recycle a worker after this many requests (default
                       2000, with jitter), a guard against slow leaks
    GUNICORN_ACCESSLOG "-" for stdout (default: none, nginx logs requests)
"""

import multiprocessing
import os


def _int(name, default):
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max(1, max_requests // 10) if max_requests else 0
# Load the application once in the master: workers fork with it ready.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in {"1", "true", "yes", "on"}
# nginx in front buffers slow clients; gunicorn trusts X-Forwarded-* only
# from it (Django reads them, see TRUSTED_PROXY_COUNT and
# SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = "lms"
# The request line and headers limits stay at gunicorn's defaults; nginx's
# client_max_body_size bounds uploads.
