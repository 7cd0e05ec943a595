"""Report header facts shared by every document kind: fiscal year, unit, district and town."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.text import squash
from ingest.vocabulary import Vocabulary

YEAR_RE = re.compile(r"[(（]\s*(20\d{2})\s*年度?\s*[)）]")  # "(2023年度)", "（2024 年度）"
YEAR_PREFIX_RE = re.compile(r"^\s*(20\d{2})\s*年")  # "2024 年上海市闵行区虹桥镇人民政府（本级）"
UNKNOWN_TOWN_RE = re.compile(r"^([\u4e00-\u9fff]{1,8}?(?:街道|镇|乡))")


def find_fiscal_year(text: str) -> int | None:
    match = YEAR_RE.search(text) or YEAR_PREFIX_RE.search(text)
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class Place:
    district: str | None
    town: str | None
    in_reference: bool  # the town is in seeds/reference/towns.csv


def locate(unit_name: str | None, vocabulary: Vocabulary) -> Place:
    """District and town (镇 / 街道 / 乡) named in a unit name; None where it names none."""
    if not unit_name:
        return Place(None, None, False)
    name = squash(unit_name)
    district = next((d for d in vocabulary.districts() if d in name), None)
    if district is None:
        matches = {(d, t) for d, towns in vocabulary.towns.items() for t, _ in towns if t in name}
        if len(matches) == 1:
            ((district, town),) = matches
            return Place(district, town, True)
        return Place(None, None, False)
    rest = name[name.index(district) + len(district) :]
    known = [t for t, _ in vocabulary.towns[district] if rest.startswith(t)]
    if known:
        return Place(district, max(known, key=len), True)
    match = UNKNOWN_TOWN_RE.match(rest)
    return Place(district, match.group(1) if match else None, False)
