"""The console log's format, read by the settings' LOGGING and by stp_portal/gunicorn_conf.py, so that the app's lines
and gunicorn's own are written alike: one JSON object per line in production (for a log collector), plain lines on a
laptop."""

from django.core.exceptions import ImproperlyConfigured

from .environment import env_bool, env_str

FORMATS = ("plain", "json")
# python-json-logger's formatter: time in UTC (ISO 8601), level, logger, the request id where the record has one.
JSON_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "{levelname}{name}{request_id}{message}",
    "style": "{",
    "rename_fields": {"levelname": "level", "name": "logger"},
    "timestamp": "time",
}


def log_format() -> str:
    """LOG_FORMAT, json unless DEBUG is on."""
    value = env_str("LOG_FORMAT") or ("plain" if env_bool("DEBUG", False) else "json")
    if value not in FORMATS:
        raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {value!r}.")
    return value
