"""Digests as PDF, with WeasyPrint: the HTML of the digest's own page (rendered with `for_print`, which swaps the site
layout for a bare document) laid out by the print stylesheet that the page also uses when a browser prints it.

WeasyPrint is told to fetch nothing: the stylesheet is read from disk and the page has no images, so rendering never
reaches the network, whatever a title or description says. It is imported only when a PDF is made: importing it
parses its own stylesheets, which every management command and worker would otherwise pay for.
"""

import logging
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

PRINT_STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "digest-print.css"


@cache
def _stylesheet():
    # WeasyPrint logs each step of every rendering (and of its own import) at INFO; only its warnings belong in
    # our log.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import CSS

    return CSS(filename=str(PRINT_STYLESHEET))


def render_pdf(html: str) -> bytes:
    """A tagged (accessible) PDF of `html`. Links are made absolute against SITE_URL, so they work from the file."""
    stylesheet = _stylesheet()
    from weasyprint import HTML, URLFetcher

    document = HTML(string=html, base_url=f"{settings.SITE_URL}/", url_fetcher=URLFetcher(allowed_protocols=()))
    return document.write_pdf(stylesheets=[stylesheet], pdf_tags=True)


def digest_pdf(request, digest) -> bytes:
    """The reader's copy of a built digest as a PDF: the page's template, for print. For the page and the API."""
    from .selectors.digests import digest_for_reader

    context = {
        "digest": digest,
        "partnership": digest.partnership,
        "reading": digest_for_reader(digest, request.user),
        "for_print": True,
    }
    return render_pdf(render_to_string("reporting/digest_detail.html", context, request=request))
