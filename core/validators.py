"""Validators shared by model fields, forms and API serializers."""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# The elements of HTML (and the SVG and MathML roots): a name in angle brackets that is not one of these, such as
# "<name>@nhs.net" or "a <b and c> d" with an unknown name, is ordinary text.
HTML_ELEMENTS = frozenset(
    """a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big blink blockquote
    body br button canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir div dl
    dt em embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr
    html i iframe image img input ins isindex kbd keygen label legend li link listing main map mark marquee math
    menu menuitem meta meter nav nobr noembed noframes noscript object ol optgroup option output p param picture
    plaintext portal pre progress q rb rp rt rtc ruby s samp script search section select slot small source span
    strike strong style sub summary sup svg table tbody td template textarea tfoot th thead time title tr track tt
    u ul var video wbr xmp""".split()  # noqa: SIM905 - 140 names read better as words
)
# Elements that do harm even when the tag is never closed ("<script", "<img src=x onerror=…"): refused on sight.
_DANGEROUS = "script|iframe|frame|frameset|object|embed|applet|style|link|meta|base|img|image|svg|math|form|input"
# A whole tag: `<b>`, `</div>`, `<img src="x">`, `<br/>`; an unclosed dangerous one; or an HTML comment. "a<b",
# "cost < budget" and "benefit > cost" are not tags: the name must follow "<" (or "</") at once and, unless the
# element is dangerous, end at a ">".
_TAG = re.compile(
    rf"<(?P<name>[a-z][a-z0-9]*)(?:[\s/][^<>]*)?>"
    rf"|</(?P<closing>[a-z][a-z0-9]*)\s*>"
    rf"|<(?P<dangerous>{_DANGEROUS})(?=[\s/>]|$)"
    rf"|<!--",
    re.IGNORECASE,
)


def markup_in(value: str) -> str:
    """The first HTML tag in `value`, or "" when there is none (angle brackets in ordinary text are not tags)."""
    for match in _TAG.finditer(value or ""):
        name = match.group("name") or match.group("closing")
        if name is None or name.lower() in HTML_ELEMENTS:
            return match.group(0)
    return ""


def reject_markup(value: str) -> None:
    """Text is plain text: an HTML tag is refused rather than silently stored. "<" and ">" in ordinary text ("cost <
    budget") are accepted; every page escapes them on output."""
    if markup_in(value):
        raise ValidationError("Remove the HTML tags, like <b> or <script>", code="markup")


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
