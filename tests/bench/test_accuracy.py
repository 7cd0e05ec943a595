"""The round-trip measure itself: hand-altered gold files cost exactly what was altered."""

from __future__ import annotations

import json
import shutil

import pytest

from bench.accuracy import round_trip
from tests.conftest import GOLD_DIR, load_gold

pytestmark = pytest.mark.build

PROJECTS = "002_9036fe76fdcdc1b3.json"  # eight project tables


@pytest.fixture
def truth(tmp_path):
    """A copy of the gold files, and a way to edit one of them."""
    folder = tmp_path / "truth"
    shutil.copytree(GOLD_DIR, folder)

    def edit(name, change):
        path = folder / name
        document = json.loads(path.read_text(encoding="utf-8"))
        change(document)
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    return folder, edit


def test_the_gold_files_round_trip_exactly(sample_build, truth, tmp_path):
    folder, _ = truth
    accuracy = round_trip(sample_build.warehouse, folder, tmp_path / "scratch")
    assert (accuracy.mismatched, accuracy.share) == (0, 1.0)


def test_a_cent_off_is_one_mismatch(sample_build, truth, tmp_path):
    folder, edit = truth

    def cent_more(document):
        line = document["reports"][0]["fund_lines"][0]
        line["executed_yuan"] = round(line["executed_yuan"] + 0.01, 2)

    edit(PROJECTS, cent_more)
    accuracy = round_trip(sample_build.warehouse, folder, tmp_path / "scratch")
    assert accuracy.mismatched == 1
    assert accuracy.examples[0][0] == "executed_yuan"


def test_a_different_label_is_one_mismatch(sample_build, truth, tmp_path):
    folder, edit = truth
    edit(PROJECTS, lambda d: d["reports"][1]["indicators"][0].update(level2="质量指标"))
    accuracy = round_trip(sample_build.warehouse, folder, tmp_path / "scratch")
    assert [e[0] for e in accuracy.examples] == ["level2"]


def test_an_indicator_the_truth_lacks_is_a_mismatch(sample_build, truth, tmp_path):
    folder, edit = truth
    edit(PROJECTS, lambda d: d["reports"][2]["indicators"].pop())
    accuracy = round_trip(sample_build.warehouse, folder, tmp_path / "scratch")
    assert [e[0] for e in accuracy.examples] == ["row without truth"]


def test_a_null_in_the_truth_must_be_null_in_the_marts(sample_build, truth, tmp_path):
    """The truth leaves a field null where the source is ambiguous: a value there is a mismatch."""
    folder, edit = truth
    compared = round_trip(sample_build.warehouse, folder, tmp_path / "before").compared
    edit(PROJECTS, lambda d: d["reports"][0]["indicators"][0].update(level1=None))
    accuracy = round_trip(sample_build.warehouse, folder, tmp_path / "after")
    assert (accuracy.mismatched, accuracy.compared) == (1, compared)
    assert accuracy.examples[0][0] == "level1"


def test_null_fields_of_the_gold_are_compared(sample_build, truth, tmp_path):
    """Every field counts, null or not: 12 reports × 12, 45 fund lines × 4, 157 indicators × 13, and the 权重."""
    folder, _ = truth
    accuracy = round_trip(sample_build.warehouse, folder, tmp_path / "scratch")
    weights = sum(len(r.get("level1_weights") or {}) for g in load_gold() for r in g["reports"])
    assert accuracy.compared == 12 * 12 + 45 * 4 + 157 * 13 + weights
