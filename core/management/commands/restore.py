"""Restore a folder written by `backup` into the configured database and MEDIA_ROOT, once its checksums match; then
migrate and check the audit trail (core/backups.py, docs/operations.md)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder: check its files against the manifest, restore the database with pg_restore in "
        "one transaction, unpack the documents into MEDIA_ROOT, migrate, and check the audit trail. Refuses a "
        "database that already has tables unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="A folder written by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "Replace a database that already has tables. They are not dropped: schema public is renamed to "
                "public_replaced_<UTC time>, to be dropped by hand once the restore is checked."
            ),
        )

    def handle(self, *args, backup: Path, force: bool, **options):
        started = time.monotonic()
        try:
            # migrate's "Applying …" and its " OK" share a line: hand it the raw stream, not a second wrapper.
            restored = backup_restore(folder=backup, force=force, progress=self.stdout.write, stdout=self.stdout._out)
        except BackupError as error:
            raise CommandError(f"Restore stopped: {error}") from None
        if restored.replaced_schema:
            self.stdout.write(
                f"The replaced tables are in schema {restored.replaced_schema}; once satisfied, drop them with "
                f"DROP SCHEMA {restored.replaced_schema} CASCADE;"
            )
        if not restored.audit_intact:
            raise CommandError(f"Restored, but the audit trail's check failed: {restored.audit_problem}")
        files = "1 file" if restored.documents == 1 else f"{restored.documents} files"
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup taken at {restored.manifest['taken_at']} (the database and {files} under "
                f"MEDIA_ROOT) in {time.monotonic() - started:.1f} s; the audit trail is intact."
            )
        )
