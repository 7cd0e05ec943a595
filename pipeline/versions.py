"""The version of everything besides the parsers that decides what a build publishes.

A build records it (ops.build_runs.project_version) next to the parser version;
a later build whose files, parser version and project version all match the
published build's has nothing to do.  It is a hash of the dbt project (models,
macros, reference seeds, data tests, dbt_project.yml, profiles.yml), the
consistency rules (quality/), the build code (pipeline/) and the pinned
package versions (constraints.txt): any change to one of them rebuilds.
"""

from __future__ import annotations

from hashlib import sha256
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
PROJECT_FOLDERS = ("models", "macros", "seeds/reference", "tests/dbt", "quality", "pipeline")
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "constraints.txt")


def _project_files(root: Path) -> list[Path]:
    files = [root / name for name in PROJECT_FILES if (root / name).is_file()]
    for folder in PROJECT_FOLDERS:
        files += (p for p in (root / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return sorted(files)


def project_version(root: Path = PROJECT_DIR) -> str:
    """Hash of the paths and contents of the project files that shape the warehouse."""
    digest = sha256()
    for path in _project_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]
