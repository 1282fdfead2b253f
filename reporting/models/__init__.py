"""The reporting app's models: each partnership's board digest schedule and the digests built for it, and the archives
of a partnership's complete record that its lead asks for. The dashboard stores nothing: it reads every other app."""

from .digests import PERIOD_DAYS, Digest, DigestFrequency, DigestSchedule, DigestStatus, Weekday, period_for
from .exports import ExportStatus, PartnershipExport

__all__ = [
    "ExportStatus",
    "PartnershipExport",
    "PERIOD_DAYS",
    "Digest",
    "DigestFrequency",
    "DigestSchedule",
    "DigestStatus",
    "Weekday",
    "period_for",
]
