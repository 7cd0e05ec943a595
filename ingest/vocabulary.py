"""Reference vocabularies, read from the committed seeds in seeds/reference/.

The seeds are the single source of truth: dbt loads the same files into the
warehouse, and the parsers use them to recognise labels.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TypeVar

from ingest.text import squash

T = TypeVar("T")

REFERENCE_SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "reference"
LABEL_SUFFIX = "指标"  # "服务对象满意度" is printed for "服务对象满意度指标"
DEFAULT_MAX_REMEMBERED = 4096  # header cell texts remembered before starting afresh
LABEL_POINTS_RE = re.compile(r"[(（]\d+(?:\.\d+)?分[)）]$")  # "产出指标(50分)": the 一级 with its points


@dataclass(frozen=True)
class Heading:
    """A column heading as printed (spaces removed) and the field it names."""

    field: str
    heading: str
    preference: int  # where one heading names two fields, the lower preference is taken first


@dataclass(frozen=True)
class FundLineLabel:
    fund_line: str
    label: str  # label_zh of the seed
    printed_as: tuple[str, ...]  # texts (spaces removed) that name it in a table row or a sentence
    applies_to: frozenset[str]  # document kinds


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
    headings_of: dict[str, tuple[Heading, ...]] = field(default_factory=dict)  # table part -> headings
    unit_names: dict[str, str] = field(default_factory=dict)  # amount unit as printed -> 元 / 万元 / 亿元
    unit_factors: dict[str, int] = field(default_factory=dict)  # amount unit -> 元 per unit
    grades: tuple[tuple[str, Decimal, Decimal | None], ...] = ()  # (grade, min score, max score exclusive)
    fund_lines: tuple[FundLineLabel, ...] = ()  # in sort order
    _labels: dict[str, Label | None] = field(default_factory=dict, compare=False, repr=False)
    _named: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)
    _remembered: dict[Hashable, object] = field(default_factory=dict, compare=False, repr=False)

    def label(self, text: str) -> Label | None:
        """The framework label a printed cell stands for, if any ("满意 度指 标" -> 满意度指标)."""
        if text not in self._labels:  # the same few hundred label texts recur: remember them
            self._labels[text] = self._resolve(text)
        return self._labels[text]

    def remembered(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, remembered under ``key``: for what is read from the vocabulary and printed text
        alone (header rows recur in every table); a bounded few are kept."""
        try:
            return self._remembered[key]
        except KeyError:
            if len(self._remembered) > DEFAULT_MAX_REMEMBERED:
                self._remembered.clear()
            value = self._remembered[key] = compute()
            return value

    @cached_property
    def headings(self) -> frozenset[str]:
        """Every column heading of every table part: what makes a row a header row."""
        return frozenset(h.heading for part in self.headings_of.values() for h in part)

    @cached_property
    def unit_alternatives(self) -> str:
        """The amount units as printed, as regex alternatives, longest first ("万元|亿元|元|万|亿")."""
        return "|".join(re.escape(u) for u in sorted(self.unit_names, key=len, reverse=True))

    def fields_named(self, part: str, text: str) -> tuple[str, ...]:
        """Fields a header cell (spaces removed) of a table part may name, the preferred first."""
        key = (part, text)
        if key not in self._named:  # header cells recur in every table: remember them (a bounded few)
            if len(self._named) > DEFAULT_MAX_REMEMBERED:
                self._named.clear()
            named = sorted(
                {(h.preference, h.field) for h in self.headings_of.get(part, ()) if text.startswith(h.heading)}
            )
            self._named[key] = tuple(f for _, f in named)
        return self._named[key]

    def heading_of(self, part: str, field_name: str) -> str:
        """The preferred printed heading of a field (for messages): "adjusted" -> 全年预算数."""
        named = [h for h in self.headings_of.get(part, ()) if h.field == field_name]  # in the seed's order
        return min(named, key=lambda h: h.preference).heading if named else field_name

    def fund_line_labels(self, doc_kind: str) -> tuple[tuple[str, str], ...]:
        """(printed text, fund line code) naming a fund line in documents of a kind, in sort order."""
        return self._fund_line_labels[doc_kind]

    @cached_property
    def _fund_line_labels(self) -> dict[str, tuple[tuple[str, str], ...]]:
        kinds = {kind for f in self.fund_lines for kind in f.applies_to}
        return {
            kind: tuple((p, f.fund_line) for f in self.fund_lines if kind in f.applies_to for p in f.printed_as)
            for kind in kinds
        }

    def fund_line_label(self, code: str) -> str:
        return next(f.label for f in self.fund_lines if f.fund_line == code)

    def _resolve(self, text: str) -> Label | None:
        name = LABEL_POINTS_RE.sub("", squash(text))
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
    headings: dict[str, list[Heading]] = {}
    for row in _read("column_headings.csv", seed_dir):
        headings.setdefault(row["table_part"], []).append(Heading(row["field"], row["heading"], int(row["preference"])))
    units = _read("amount_units.csv", seed_dir)
    grades = sorted(_read("grades.csv", seed_dir), key=lambda row: -Decimal(row["min_score"]))
    fund_lines = sorted(_read("fund_lines.csv", seed_dir), key=lambda row: int(row["sort_order"]))
    return Vocabulary(
        level1_of={row["level2"]: row["level1"] for row in framework},
        level1_names=frozenset(row["level1"] for row in framework),
        towns={district: tuple(ts) for district, ts in towns.items()},
        headings_of={part: tuple(hs) for part, hs in headings.items()},
        unit_names={row["unit_printed"]: row["amount_unit"] for row in units},
        unit_factors={row["amount_unit"]: int(row["yuan_per_unit"]) for row in units},
        grades=tuple(
            (row["grade"], Decimal(row["min_score"]), Decimal(row["max_score_exclusive"] or "Infinity"))
            for row in grades
        ),
        fund_lines=tuple(
            FundLineLabel(
                row["fund_line"],
                row["label_zh"],
                tuple(row["printed_as"].split()),
                frozenset(row["applies_to"].split()),
            )
            for row in fund_lines
        ),
    )
