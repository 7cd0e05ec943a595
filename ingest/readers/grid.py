"""Tables with merged cells laid out on a grid, in the convention every reader gives them.

A merged range keeps its text in its first (top-left) grid cell; the cells it covers are
empty, as in the sample layout (see ``ingest.readers``).
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_SPAN = 1000  # a rowspan / colspan beyond this is a broken page, not a table


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


def span(value: str | int | None) -> int:
    """A rowspan / colspan attribute as a count of grid cells (missing, 0 or unreadable: 1)."""
    try:
        n = int(str(value).strip()) if value is not None else 1
    except ValueError:
        return 1
    return min(max(n, 1), DEFAULT_MAX_SPAN)


def lay_out(rows: list[list[Cell]]) -> list[list[str]]:
    """Place the cells of each row on the grid, skipping columns taken by a rowspan from above."""
    taken: set[tuple[int, int]] = set()
    grid: list[dict[int, str]] = []
    for r, cells in enumerate(rows):
        while len(grid) <= r:
            grid.append({})
        c = 0
        for cell in cells:
            while (r, c) in taken:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
                    while len(grid) <= r + dr:
                        grid.append({})
                    grid[r + dr].setdefault(c + dc, "")
            grid[r][c] = cell.text
            c += cell.colspan
    grid = grid[: len(rows)]  # rowspans reaching past the last row cover nothing printed
    width = max((max(row) + 1 for row in grid if row), default=0)
    return [[row.get(c, "") for c in range(width)] for row in grid]
