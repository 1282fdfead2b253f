"""Import an NHS reference file (ODS etr/eccg/ect, ONS STP/ICB lookups, ICB partner list) from the command line."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from core.audit import SYSTEM
from partnerships.models import Partnership
from partnerships.services.imports import ImportRejected, organisations_import


class Command(BaseCommand):
    help = (
        "Import partnerships, organisations and memberships from an NHS Digital ODS file (etr, eccg, ect) or an "
        "ONS/ICB lookup. The whole file is checked first: one bad row and nothing is imported. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file to import.")
        parser.add_argument(
            "--partnership", metavar="CODE", help="Import only the rows of this partnership (its ODS code, e.g. QMF)."
        )

    def handle(self, *args, file: Path, partnership: str | None, **options):
        if not file.is_file():
            raise CommandError(f"There is no file at {file}.")
        scope = None
        if partnership:
            scope = Partnership.objects.filter(code=partnership.strip().upper()).first()
            if scope is None:
                raise CommandError(f"There is no partnership {partnership}. Import an STP or ICB list first.")

        def progress(total: int, description: str) -> tqdm:
            return tqdm(total=total, desc=description, unit="rows", file=self.stderr._out, leave=False)

        with file.open("rb") as handle:
            try:
                result = organisations_import(actor=SYSTEM, file=handle, partnership=scope, progress=progress)
            except ImportRejected as rejected:
                for line, message in rejected.errors:
                    self.stderr.write(f"Line {line}: {message}" if line else message)
                problems = f"{len(rejected.errors)} problem{'s' if len(rejected.errors) != 1 else ''}"
                raise CommandError(f"{file.name} was not imported: {problems}. Nothing was changed.") from None
        self.stdout.write(f"{result.file_name}: {result.layout}, {result.rows} rows.")
        for label in ("partnerships", "organisations", "memberships"):
            self.stdout.write(f"  {label.capitalize()}: {getattr(result, label)}.")
        if result.skipped:
            self.stdout.write(f"  {result.skipped} rows belong to other partnerships and were skipped.")
        for note in result.notes:
            self.stdout.write(f"  {note}")
        for line, warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"  Line {line}: {warning}"))
        self.stdout.write(self.style.SUCCESS("Imported."))
