"""Back up the database (pg_dump, custom format) and the uploaded documents (MEDIA_ROOT) into a new folder, with a
manifest of checksums that `restore` checks (core/backups.py, docs/operations.md)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a backup of the PostgreSQL database and of MEDIA_ROOT into a new folder inside FOLDER (by default "
        "stp-portal-<UTC date and time>Z): database.dump, media.tar.gz and manifest.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="Where backups are kept; each backup is a new folder in it.")
        parser.add_argument("--name", help="The new backup folder's name, instead of one made from the time.")

    def handle(self, *args, folder: Path, name: str | None, **options):
        started = time.monotonic()
        try:
            backup = backup_create(parent=folder, name=name, progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(f"No backup was written: {error}") from None
        self.stdout.write(
            self.style.SUCCESS(f"Backup written to {backup.folder} in {time.monotonic() - started:.1f} s.")
        )
