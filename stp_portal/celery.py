"""The Celery application: configuration comes from Django settings prefixed CELERY_."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stp_portal.settings.base")

app = Celery("stp_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _create_embedded_transport_folders(sender, **kwargs):
    """The filesystem transport, the file result backend and beat's schedule file expect their folders to exist."""
    if sender.conf.broker_url.startswith("filesystem://"):
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            Path(sender.conf.broker_transport_options[key]).mkdir(parents=True, exist_ok=True)
    if sender.conf.beat_schedule_filename:  # beat's own schedule file, whatever the broker
        Path(sender.conf.beat_schedule_filename).parent.mkdir(parents=True, exist_ok=True)
    if sender.conf.result_backend.startswith("file://"):
        Path(sender.conf.result_backend.removeprefix("file://")).mkdir(parents=True, exist_ok=True)
