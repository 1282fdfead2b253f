"""The reporting app's models: each partnership's board digest schedule and the digests built for it. The dashboard
stores nothing: it reads every other app."""

from .digests import PERIOD_DAYS, Digest, DigestFrequency, DigestSchedule, DigestStatus, Weekday, period_for

__all__ = ["PERIOD_DAYS", "Digest", "DigestFrequency", "DigestSchedule", "DigestStatus", "Weekday", "period_for"]
