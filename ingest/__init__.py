"""Parse published budget performance self-evaluations (预算绩效自评) into typed rows.

``ingest.parse.parse_document`` turns the text of one file into reports (pure,
no I/O); ``ingest.service`` reads files and parses a whole folder in parallel;
``ingest.seeds`` writes the rows as the dbt seeds the warehouse is built from.
"""

from hashlib import sha256
from pathlib import Path

SEED_SCHEMA_VERSION = "1"  # bump when the columns of the parsed seeds change

_PACKAGE = Path(__file__).resolve().parent
_VOCABULARY = (
    "indicator_framework.csv",
    "towns.csv",
    "column_headings.csv",
    "amount_units.csv",
    "grades.csv",
    "fund_lines.csv",
)


def _code_fingerprint() -> str:
    """Hash of the parsers' code and vocabulary: any change to them re-parses every file."""
    digest = sha256()
    files = [*sorted(_PACKAGE.glob("*.py")), *(_PACKAGE.parent / "seeds" / "reference" / n for n in _VOCABULARY)]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# Recorded with every parsed file; incremental builds re-parse files read by another version.
PARSER_VERSION = f"{SEED_SCHEMA_VERSION}.{_code_fingerprint()}"
