"""Validators shared by model fields, forms and API serializers."""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]")


def reject_markup(value: str) -> None:
    """Text is plain text: anything that looks like an HTML tag is refused rather than silently stored."""
    if value and _MARKUP.search(value):
        raise ValidationError("Remove the HTML tags (text between < and >). Enter plain text only.", code="markup")


@deconstructible
class FileRules:
    """An uploaded document: at most `max_megabytes`, with one of `extensions`, whose first bytes match its type."""

    # The first bytes of each accepted kind of document, so a renamed executable is not accepted as a PDF.
    SIGNATURES = {
        "pdf": (b"%PDF",),
        "docx": (b"PK\x03\x04",),
        "xlsx": (b"PK\x03\x04",),
        "pptx": (b"PK\x03\x04",),
        "odt": (b"PK\x03\x04",),
        "ods": (b"PK\x03\x04",),
        "doc": (b"\xd0\xcf\x11\xe0",),
        "xls": (b"\xd0\xcf\x11\xe0",),
        "csv": (b"",),
        "txt": (b"",),
    }

    def __init__(self, *, max_megabytes: int = 10, extensions: tuple[str, ...] = ("pdf", "docx", "doc", "odt")):
        self.max_megabytes = max_megabytes
        self.extensions = tuple(extensions)

    def __call__(self, file) -> None:
        name = getattr(file, "name", "") or ""
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        allowed = ", ".join(ext.upper() for ext in self.extensions)
        if extension not in self.extensions:
            raise ValidationError(f"The file must be a {allowed}.", code="file_type")
        if file.size > self.max_megabytes * 1024 * 1024:
            raise ValidationError(f"The file must be smaller than {self.max_megabytes} MB.", code="file_size")
        if file.size == 0:
            raise ValidationError("The file is empty.", code="file_empty")
        position = file.tell() if hasattr(file, "tell") else 0
        file.seek(0)
        head = file.read(8)
        file.seek(position)
        if not any(head.startswith(signature) for signature in self.SIGNATURES.get(extension, (b"",))):
            raise ValidationError(f"The file is not a real {extension.upper()}.", code="file_content")

    def __eq__(self, other) -> bool:
        return isinstance(other, FileRules) and (self.max_megabytes, self.extensions) == (
            other.max_megabytes,
            other.extensions,
        )
