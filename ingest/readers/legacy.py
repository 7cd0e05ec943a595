"""Legacy Word files (.doc): recognised, and skipped with a reason that says how to convert them.

No maintained converter of .doc installs from the package registries the build may use: the
Debian packages antiword and catdoc are unmaintained and LibreOffice is far too large for a
build machine. Saving the file anew is one step for whoever has it. (Legacy Excel .xls files
are read: ingest/readers/xls.py.)
"""

from __future__ import annotations

from ingest import formats
from ingest.model import DocumentRejected
from ingest.readers import Rows

HOW_TO_CONVERT = {
    formats.DOC: "legacy Word .doc: save it as .docx or PDF to have it read",
}


def read(data: bytes, name: str) -> Rows:
    fmt = formats.detect(data)
    raise DocumentRejected(f"legacy_{fmt}", HOW_TO_CONVERT[fmt])
