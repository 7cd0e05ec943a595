"""Legacy Office files (.doc, .xls): recognised, and skipped with a reason that says how to convert them.

No maintained converter installs from the package registries the build may use: the Debian
packages antiword and catdoc are unmaintained, LibreOffice is far too large for a build
machine, and xlrd reads .xls only. Saving the file anew is one step for whoever has it.
"""

from __future__ import annotations

from ingest import formats
from ingest.model import DocumentRejected
from ingest.readers import Rows

HOW_TO_CONVERT = {
    formats.DOC: "legacy Word .doc: save it as .docx or PDF to have it read",
    formats.XLS: "legacy Excel .xls: save it as .xlsx or PDF to have it read",
}


def read(data: bytes, name: str) -> Rows:
    fmt = formats.detect(data)
    raise DocumentRejected(f"legacy_{fmt}", HOW_TO_CONVERT[fmt])
