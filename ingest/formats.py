"""What a file is, told from its bytes (magic numbers first, then the text), never from its name.

One place decides the format of every file; ``ingest.readers`` has one reader per format.
Legacy Office files (OLE compound documents) are recognised so that they can be skipped by
name with a reason that says how to convert them.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile

PDF, HTML, DOCX, XLSX, DOC, XLS, TEXT = "pdf", "html", "docx", "xlsx", "doc", "xls", "text"
FORMATS = (PDF, HTML, DOCX, XLSX, DOC, XLS, TEXT)

PDF_MAGIC = b"%PDF-"
DEFAULT_PDF_MAGIC_WINDOW = 1024  # readers accept the header anywhere in the first KiB, as Acrobat does
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Directory entries of an OLE compound file name their streams in UTF-16LE.
OLE_WORD_STREAM = "WordDocument".encode("utf-16-le")
OLE_EXCEL_STREAMS = ("Workbook".encode("utf-16-le"), "Book\x00".encode("utf-16-le"))
DOCX_PART = "word/document.xml"
XLSX_PART = "xl/workbook.xml"
HTML_SNIFF_BYTES = 4096
HTML_START_RE = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|table)\b", re.S
)


class UnknownFormat(Exception):
    """The bytes are of a kind no reader handles (an archive, another Office file …)."""


def _is_html(data: bytes) -> bool:
    head = data[:HTML_SNIFF_BYTES]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        sample = head.decode("utf-16", errors="ignore")
    elif not head.removeprefix(codecs.BOM_UTF8).lstrip().startswith(b"<"):
        return False  # the common case, report text: decided without decoding
    else:
        # Tags are ASCII in UTF-8, GB18030 and Latin-1 alike; a UTF-8 BOM is dropped as whitespace would be.
        sample = head.removeprefix(codecs.BOM_UTF8).decode("latin-1")
    return HTML_START_RE.match(sample.lower()) is not None


def _zip_format(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile as err:
        raise UnknownFormat(f"a ZIP archive that cannot be opened ({err}): corrupt or cut off") from err
    if DOCX_PART in names:
        return DOCX
    if XLSX_PART in names:
        return XLSX
    raise UnknownFormat("a ZIP archive that is neither a Word .docx nor an Excel .xlsx document")


def _ole_format(data: bytes) -> str:
    if OLE_WORD_STREAM in data:
        return DOC
    if any(stream in data for stream in OLE_EXCEL_STREAMS):
        return XLS
    raise UnknownFormat("a legacy Office (OLE) file that is neither a Word .doc nor an Excel .xls document")


def detect(data: bytes) -> str:
    """The format of a file's bytes, one of ``FORMATS``; raises UnknownFormat for other binary kinds.

    Anything that is not a known binary format is TEXT: whether it really is text (and in
    which encoding) is for ``ingest.decoding`` to say.
    """
    if PDF_MAGIC in data[:DEFAULT_PDF_MAGIC_WINDOW]:
        return PDF
    if data.startswith(ZIP_MAGIC):
        return _zip_format(data)
    if data.startswith(OLE_MAGIC):
        return _ole_format(data)
    if _is_html(data):
        return HTML
    return TEXT
