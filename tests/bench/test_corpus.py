"""The generated corpus: deterministic, with the quirks it claims, and read back exactly by the parsers."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter

import pytest

from bench.corpus import generate
from ingest.decoding import decode
from ingest.service import discover, parse_file
from ingest.text import squash
from ingest.vocabulary import load_vocabulary
from tests.ingest.test_gold import mismatches

REPORTS = 1500


def digest(folder) -> str:
    total = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            total.update(str(path.relative_to(folder)).encode())
            total.update(path.read_bytes())
    return total.hexdigest()


def report_files(folder) -> list[str]:
    """The corpus's reports: discovery lists every file, and the truth files sit beside the reports."""
    return [name for name in discover(folder) if not name.endswith(".json")]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    generate(REPORTS, folder, seed=7, workers=2)
    return folder


def test_generation_is_deterministic(corpus, tmp_path):
    generate(REPORTS, tmp_path / "again", seed=7, workers=1)
    assert digest(tmp_path / "again") == digest(corpus)
    generate(REPORTS, tmp_path / "other", seed=8, workers=2)
    assert digest(tmp_path / "other") != digest(corpus)


def test_every_report_file_has_its_truth_file(corpus):
    files = report_files(corpus)
    assert all((corpus / name).with_suffix(".json").exists() for name in files)
    truths = [json.loads((corpus / name).with_suffix(".json").read_text(encoding="utf-8")) for name in files]
    assert sum(len(t["reports"]) for t in truths) == REPORTS
    assert {t["doc_kind"] for t in truths} == {"dept_table", "project_table", "dept_narrative"}


def spaced_labels(texts: list[str]) -> set[str]:
    """Framework labels printed with a space inside them, as PDF extraction leaves them."""
    vocabulary = load_vocabulary()
    labels = set()
    for text in texts:
        for cell in re.split(r"[\t\n]", text):
            cell = cell.strip()
            if " " in cell and vocabulary.label(cell) is not None and vocabulary.label(cell).name == squash(cell):
                labels.add(squash(cell))
    return labels


def test_the_quirks_are_there(corpus):
    vocabulary = load_vocabulary()
    texts = {name: (corpus / name).read_bytes() for name in report_files(corpus)}
    encodings = Counter(decode(data).encoding for data in texts.values())
    assert {"utf-8", "gb18030", "utf-8-sig"} <= set(encodings)
    decoded = [decode(data).text for data in texts.values()]
    assert any("8, " in t and ". " in t for t in decoded)  # spaced digits
    assert any("\n\t指标" in t for t in decoded)  # a 二级 label wrapped onto a later line
    spaced = spaced_labels(decoded)
    assert any(label in vocabulary.level1_names for label in spaced)  # "产出 指标"
    assert any(label in vocabulary.level1_of for label in spaced)  # "服务对象 满意度指标"
    assert any(t.count("财政项目支出绩效自评表") > 1 for t in decoded)  # several projects per file


def test_the_parsers_read_the_corpus_exactly(corpus):
    errors, compared = [], 0
    for name in report_files(corpus):
        result = parse_file(corpus, name)
        assert not result.skipped, (name, result.reason)
        truth = json.loads((corpus / name).with_suffix(".json").read_text(encoding="utf-8"))
        errors += [f"{name}: {e}" for e in mismatches(result.document, truth)]
        compared += 1
    assert errors == []
    assert compared > 500
