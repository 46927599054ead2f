"""Glossary import and export: CSV for spreadsheets, TBX (ISO 30042) for CAT tools and term bases.

``csv_format`` and ``tbx_format`` read and write the files; ``rules`` matches what they read to the
glossary's terms and writes it, the same way for both. (How the glossary is applied to
translations is ``translation/glossary.py``.)

CSV layout (``export_csv`` writes it, ``import_csv`` reads it)::

    id,kind,note,fr,fr_aliases,fr_forms,fr_stem,en,en_aliases,en_forms,en_stem,…

four columns per content language: the preferred form, the aliases and the inflected forms (each
list joined with " | "; a line break also separates them), and whether words with the preferred
form's stem count ("yes"/"no"; 1/0, true/false, on/off are read too, and blank is "no"). On import
every column but one language column is optional, the delimiter may be ",", ";" or a tab (French
Excel writes ";"), and a UTF-8 byte order mark is ignored.

TBX: ``export_tbx`` writes TBX-Basic in the TBX v3 core structure (ISO 30042:2019, DCA style);
``import_tbx`` reads that and the older TBX v2 ``martif`` files most term bases still export. Per
language, the preferred form is a ``termSec`` with the administrative status preferredTerm; each
alias one with admittedTerm; each inflected form one with admittedTerm and the term type
``variant`` (TBX-Basic's "one of the alternate forms of a term"); matching by stem is a ``note``
"Babelpress: match by stem" on the language section.

Both imports follow the same rules:

* a row/entry updates the term whose id it carries (CSV ``id`` column; TBX ``conceptEntry id="c12"``,
  trusted only in files that Babelpress exported, because other tools number their entries too);
  otherwise the term that has one of its preferred forms in the same language (case-insensitive);
  otherwise it creates a term;
* a language given in a row/entry replaces that language's preferred form (and its aliases,
  inflected forms and stem matching, when the file gives them: always in TBX, when the
  ``<lang>_aliases``, ``<lang>_forms`` or ``<lang>_stem`` column exists in CSV);
* blank cells leave things as they are, except in CSV rows that carry the id of an existing term:
  such a row is the term as exported, so a blank note clears the note and a blank language removes
  that language's name (only for the columns the file has);
* everything runs in one transaction: if any row has an error nothing is written, and the report
  lists every error with its line number. ``dry_run=True`` runs the whole import and rolls back.
"""

from babelpress.translation.glossary_io.csv_format import csv_header, export_csv, import_csv
from babelpress.translation.glossary_io.rules import GlossaryImportError, ImportReport
from babelpress.translation.glossary_io.tbx_format import TBX_NAMESPACE, TBX_SOURCE, export_tbx, import_tbx

__all__ = [
    "GlossaryImportError",
    "ImportReport",
    "TBX_NAMESPACE",
    "TBX_SOURCE",
    "csv_header",
    "export_csv",
    "export_tbx",
    "import_csv",
    "import_tbx",
]
