"""The project version: what decides that a build with unchanged files still has to rebuild."""

from __future__ import annotations

import shutil

from pipeline.versions import PROJECT_DIR, PROJECT_FILES, PROJECT_FOLDERS, project_version


def copy_project(target):
    for folder in PROJECT_FOLDERS:
        shutil.copytree(PROJECT_DIR / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in PROJECT_FILES:
        shutil.copy(PROJECT_DIR / name, target / name)
    return target


def test_any_model_macro_seed_check_or_setting_changes_the_version(tmp_path):
    root = copy_project(tmp_path / "project")
    version = project_version(root)
    assert version == project_version(PROJECT_DIR)  # the paths inside the project count, not where it lies
    for path in (
        "models/marts/dim_report.sql",
        "macros/printed_numbers.sql",
        "seeds/reference/dq_rules.csv",
        "quality/rules.py",
        "tests/dbt/assert_no_fatal_findings.sql",
        "dbt_project.yml",
    ):
        changed = root / path
        original = changed.read_bytes()
        changed.write_bytes(original + b"\n")
        assert project_version(root) != version, path
        changed.write_bytes(original)
    assert project_version(root) == version


def test_an_added_or_removed_model_changes_the_version(tmp_path):
    root = copy_project(tmp_path / "project")
    version = project_version(root)
    added = root / "models" / "marts" / "extra.sql"
    added.write_text("select 1 as one\n", encoding="utf-8")
    assert project_version(root) != version
    added.unlink()
    (root / "models" / "marts" / "dq_rule_summary.sql").unlink()
    assert project_version(root) != version


def test_compiled_python_caches_do_not_count(tmp_path):
    root = copy_project(tmp_path / "project")
    version = project_version(root)
    (root / "quality" / "__pycache__").mkdir()
    (root / "quality" / "__pycache__" / "rules.cpython-311.pyc").write_bytes(b"\0")
    assert project_version(root) == version
