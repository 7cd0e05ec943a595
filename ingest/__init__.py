"""Parse published budget performance self-evaluations (预算绩效自评) into typed rows.

``ingest.formats`` tells a file's format from its bytes, ``ingest.readers`` turns it into
rows of cells, ``ingest.parse.parse_rows`` turns rows into reports (pure, no I/O);
``ingest.service`` reads files and parses a whole folder in parallel; ``ingest.seeds``
writes the rows as the dbt seeds the warehouse is built from.
"""

from functools import cache
from hashlib import sha256
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

SEED_SCHEMA_VERSION = "2"  # bump when the columns of the parsed seeds change

_PACKAGE = Path(__file__).resolve().parent
_VOCABULARY = (
    "indicator_framework.csv",
    "towns.csv",
    "column_headings.csv",
    "amount_units.csv",
    "grades.csv",
    "fund_lines.csv",
)
_READER_LIBRARIES = ("pdfplumber", "pdfminer.six", "python-docx", "openpyxl")


def _code_fingerprint() -> str:
    """Hash of the parsers' and readers' code, vocabulary and reading libraries' versions."""
    digest = sha256()
    files = [*sorted(_PACKAGE.rglob("*.py")), *(_PACKAGE.parent / "seeds" / "reference" / n for n in _VOCABULARY)]
    for path in files:
        digest.update(path.relative_to(_PACKAGE.parent).as_posix().encode())
        digest.update(path.read_bytes())
    for library in _READER_LIBRARIES:
        try:
            digest.update(f"{library} {version(library)}".encode())
        except PackageNotFoundError:
            digest.update(f"{library} missing".encode())
    return digest.hexdigest()[:12]


@cache
def parser_version() -> str:
    """Recorded with every parsed file; incremental builds re-parse files read by another version.

    Any change to the parsers' code, vocabulary or reading libraries re-parses every file.
    Computed when first asked (importing ingest reads no file).
    """
    return f"{SEED_SCHEMA_VERSION}.{_code_fingerprint()}"


def __getattr__(name: str):
    if name == "PARSER_VERSION":  # the name callers import; computed lazily
        return parser_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
