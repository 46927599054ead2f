"""An HTML file (uploaded in the admin, or given to `babelpress import FILE`), read as an article page."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from ..messages import Message, of as said
from ..extract import ExtractionError, extract_article
from ..models import ImportedItem
from .base import FILE, MAX_URL_LENGTH, Candidate, Defaults, Document, ImportFailed, ImportSource
from .page import candidate_from_extracted


class UploadSource(ImportSource):
    """Any file no other source recognises, read as a saved article page. Its address is the one
    given with it, else the page's own canonical link."""

    label = gettext_noop("an HTML file")
    reads = frozenset({FILE})
    file_types = (".html", ".htm", "text/html")
    catch_all = True

    def recognises(self, document: Document) -> bool:
        return True  # whether it holds an article, extraction tells, with the reason

    def story(self, document: Document, defaults: Defaults) -> Candidate:
        try:
            extracted = extract_article(document.text or document.content, document.url or None,
                                        declared_language=defaults.language)
            # Without an address given, the page's own canonical one (ignored, with a warning, when too long).
            canonical = extracted.canonical_url if len(extracted.canonical_url or "") <= MAX_URL_LENGTH else None
            candidate = candidate_from_extracted(extracted, url=document.url or canonical,
                                                 origin=ImportedItem.Origin.FILE)
        except ExtractionError as exc:
            raise ImportFailed(Message(gettext_noop("%(address)s: %(reason)s"), address=document.shown,
                                       reason=said(exc))) from None
        if not document.url and not candidate.original_url:
            candidate.warnings.append(Message(gettext_noop("the file does not say where it was published: add the "
                                                           "original link")))
        return candidate
