"""Reference vocabularies, read from the committed seeds in seeds/reference/.

The seeds are the single source of truth: dbt loads the same files into the
warehouse, and the parsers use them to recognise labels.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ingest.text import squash

REFERENCE_SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "reference"
LABEL_SUFFIX = "指标"  # "服务对象满意度" is printed for "服务对象满意度指标"


@dataclass(frozen=True)
class Label:
    level: int  # 1 or 2
    name: str  # name in the framework
    level1: str  # the 一级 it belongs to (itself for level 1)


@dataclass(frozen=True)
class Vocabulary:
    level1_of: dict[str, str]  # 二级 name -> 一级 name
    level1_names: frozenset[str]
    towns: dict[str, tuple[tuple[str, str], ...]]  # district -> ((town, town_type), ...)
    _labels: dict[str, Label | None] = field(default_factory=dict, compare=False, repr=False)

    def label(self, text: str) -> Label | None:
        """The framework label a printed cell stands for, if any ("满意 度指 标" -> 满意度指标)."""
        if text not in self._labels:  # the same few hundred label texts recur: remember them
            self._labels[text] = self._resolve(text)
        return self._labels[text]

    def _resolve(self, text: str) -> Label | None:
        name = squash(text)
        for candidate in (name, name + LABEL_SUFFIX):
            if candidate in self.level1_names:
                return Label(1, candidate, candidate)
            if candidate in self.level1_of:
                return Label(2, candidate, self.level1_of[candidate])
        return None

    def districts(self) -> list[str]:
        return list(self.towns)


def _read(name: str, seed_dir: Path) -> list[dict[str, str]]:
    with open(seed_dir / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=4)
def load_vocabulary(seed_dir: Path = REFERENCE_SEEDS) -> Vocabulary:
    framework = _read("indicator_framework.csv", seed_dir)
    towns: dict[str, list[tuple[str, str]]] = {}
    for row in _read("towns.csv", seed_dir):
        towns.setdefault(row["district"], []).append((row["town"], row["town_type"]))
    return Vocabulary(
        level1_of={row["level2"]: row["level1"] for row in framework},
        level1_names=frozenset(row["level1"] for row in framework),
        towns={district: tuple(ts) for district, ts in towns.items()},
    )
