"""Whole files: bad ones are skipped with one reason, good ones in any encoding parse the same."""

import pytest

from ingest import service
from ingest.service import discover, parse_file
from tests.conftest import FIXTURES, SAMPLE_REPORTS

INVALID = FIXTURES / "invalid"
EXPECTED_REASONS = {
    "empty.txt": "empty_file",
    "binary.txt": "binary_file",
    "unrecognised.txt": "unrecognised",
    "truncated_project_table.txt": "truncated_table",
    "truncated_dept_table.txt": "truncated_table",
    "truncated_narrative.txt": "truncated_report",
    "truncated_character.txt": "truncated_file",
}


@pytest.mark.parametrize(("name", "code"), sorted(EXPECTED_REASONS.items()))
def test_bad_file_is_skipped_with_one_reason(name, code):
    result = parse_file(INVALID, name)
    assert result.skipped
    assert [(issue.severity, issue.code) for issue in result.issues] == [("error", code)]
    assert result.reason


def test_every_invalid_fixture_has_an_expected_reason():
    assert set(discover(INVALID)) - {"README.md"} == set(EXPECTED_REASONS)


def test_a_parser_bug_costs_one_file_not_the_build(monkeypatch):
    def broken(text, vocabulary):
        raise KeyError("boom")

    monkeypatch.setattr(service, "parse_document", broken)
    result = parse_file(SAMPLE_REPORTS, "001_d843cb21d2372b47.txt")
    assert result.skipped
    assert result.issues[0].code == "parser_failed"
    assert "KeyError" in result.reason


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-16"])
def test_reencoded_file_parses_to_the_same_reports(tmp_path, encoding):
    original = parse_file(SAMPLE_REPORTS, "002_9036fe76fdcdc1b3.txt")
    text = (SAMPLE_REPORTS / "002_9036fe76fdcdc1b3.txt").read_text(encoding="utf-8")
    (tmp_path / "report.txt").write_bytes(text.encode(encoding))
    again = parse_file(tmp_path, "report.txt")
    assert again.document.reports == original.document.reports


def test_discover_lists_every_file_recursively_but_hidden_ones(tmp_path):
    """The content decides what a file is: every file is listed, whatever its name ends with."""
    (tmp_path / "2024" / "颛桥镇").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    for name in ("a.txt", "2024/颛桥镇/b.TXT", ".hidden.txt", "notes.json", "2024/c.pdf", ".git/config"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert discover(tmp_path) == ["2024/c.pdf", "2024/颛桥镇/b.TXT", "a.txt", "notes.json"]
