"""CSV exports that spreadsheets open safely."""

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets.
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value) -> str:
    """The value as text, with a leading apostrophe if a spreadsheet would otherwise treat it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_TRIGGERS):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """Stream `rows` as a CSV download, one row at a time, so a long register needs no more memory than a short one."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # byte order mark: Excel then reads the file as UTF-8
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
