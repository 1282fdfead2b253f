"""Gunicorn in production (docker compose and `make bench`): `gunicorn -c stp_portal/gunicorn_conf.py`."""

import multiprocessing
import os

from stp_portal.settings.logs import JSON_FORMATTER, log_format

wsgi_app = "stp_portal.wsgi:application"


def bind_address() -> str:
    """GUNICORN_BIND, the address gunicorn listens on (stp_portal/healthcheck.py asks it there)."""
    return os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")


bind = bind_address()
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Recycle workers now and then so a slow leak cannot grow a worker without bound.
max_requests = 2000
max_requests_jitter = 200
timeout = 60
graceful_timeout = 30
keepalive = 5
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log (the benchmark)
errorlog = "-"
# gunicorn's own lines (starting, workers booting, timeouts) written as the app's are: its loggers hand everything to
# the root logger, which the settings' LOGGING configures once the app is loaded (preload_app, below); until then, the
# root's handler uses the same formatter.
if log_format() == "json":
    logconfig_dict = {
        "loggers": {
            name: {"level": "INFO", "handlers": [], "propagate": True} for name in ("gunicorn.error", "gunicorn.access")
        },
        "formatters": {"generic": JSON_FORMATTER},
    }
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = True
