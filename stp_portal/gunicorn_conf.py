"""Gunicorn in production (docker compose and `make bench`): `gunicorn -c stp_portal/gunicorn_conf.py`."""

import multiprocessing
import os

wsgi_app = "stp_portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
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
# gunicorn's own lines (starting, workers booting, timeouts) in the same format as the app's (LOG_FORMAT, which the
# settings default to json when DEBUG is off): its loggers hand everything to the root logger, which the settings'
# LOGGING configures once the app is loaded (preload_app, below); until then, the root's handler writes JSON too.
DEBUG = os.environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
if (os.environ.get("LOG_FORMAT") or ("plain" if DEBUG else "json")) == "json":
    logconfig_dict = {
        "loggers": {
            name: {"level": "INFO", "handlers": [], "propagate": True} for name in ("gunicorn.error", "gunicorn.access")
        },
        "formatters": {
            "generic": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "{levelname}{name}{message}",
                "style": "{",
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": "time",
            }
        },
    }
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = True
