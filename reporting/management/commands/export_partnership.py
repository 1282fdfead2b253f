"""Export a partnership's complete record as one zip archive, for a Freedom of Information request or for leaving
the service: every register as CSV and JSON, the documents, the audit chain and its check, and a README."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from partnerships.models import Partnership

from ...services.archive import build_partnership_archive, progress_steps


class Command(BaseCommand):
    help = (
        "Write a partnership's complete record (registers, documents, audit trail and its check) to one zip: "
        "by default var/exports/<CODE>-<date>.zip."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", metavar="CODE", help="The partnership's ODS code, e.g. QZZ.")
        parser.add_argument("--output", metavar="FILE.zip", help="Where to write the archive.")

    def handle(self, *args, code: str, output: str | None, **options):
        code = code.strip().upper()
        partnership = Partnership.objects.filter(code=code).first()
        if partnership is None:
            raise CommandError(f"There is no partnership {code}.")
        path = Path(output) if output else settings.VAR_DIR / "exports" / f"{code}-{timezone.localdate()}.zip"
        path.parent.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        # A progress bar with counts, rate and time left, as seed_scale and import_organisations show.
        with tqdm(total=progress_steps(partnership), desc="Archive", unit="parts", file=self.stderr._out) as bar:

            def step(name: str) -> None:
                bar.set_postfix_str(name)
                bar.update()

            summary = build_partnership_archive(partnership, path, progress=step)
        records = sum(each.rows for each in summary.files if each.rows is not None and each.name.endswith(".csv"))
        documents = sum(each.name.startswith("documents/") for each in summary.files)
        missing = f", {len(summary.missing_documents)} missing" if summary.missing_documents else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{partnership.code}: {len(summary.files) + 1} files, {records} records, {documents} documents"
                f"{missing}; audit chain {'intact' if summary.chain_intact else 'BROKEN'}; written to {path} in "
                f"{time.monotonic() - started:.1f} s."
            )
        )
