"""Relative Mapping Similarity (RMS), the table metric of DePlot, as Replot scores it, and
exact-table accuracy. `bot.evaluation.reference` scores under DePlot's reference rules
exactly; `eval` reports both. The differences are listed in the README ("How eval scores").

Source: Liu et al. 2023, "DePlot: One-shot visual language reasoning by plot-to-table
translation" (Findings of ACL 2023), §4 "Relative Mapping Similarity", and the authors'
reference code (google-research `deplot/metrics.py`). What is implemented here:

* Tables are read by Replot's own parser first: the score is of the numbers a person gets in
  their table (thousands separators, currency signs, "(12.5)", "−12.5", "1.2k" are numbers).
* A table is a list of entries (row header, column header, value): the first column names the
  rows, every other column header names a column, and each non-empty cell under it is a
  value. Empty cells (and the cells a short row lacks) are not entries on either side: a value
  the model left out lowers recall, never precision. The key of an entry is "row header" +
  " " + "column header" after `normalise_text`.
* Key similarity: 1 − NL when the normalised Levenshtein distance NL = lev(p, t) / max(|p|,
  |t|) is at most τ = TEXT_THETA = 0.5, else 0 (ANLS, as in the reference code).
* Value distance D_θ(p, t) = min(1, |p − t| / |t|), kept when below θ and set to 1 otherwise,
  θ = NUMBER_THETA = 0.1; so a 5 % error keeps 0.95 of an entry and a 10 % error keeps
  nothing. A target of 0 gives 0 for a predicted 0, else 1. A percentage may be written as a
  fraction: against a % target (a % unit or a header ending in '(%)') the prediction × 100
  counts too, and a predicted % against a plain target ÷ 100; the closer reading counts
  (0.349 for 34.9 %). Text values score the ANLS of their
  normalised texts, as in the reference code (a typo keeps partial credit).
* Matching: the one-to-one pairing of predicted and target entries that maximises the summed
  key similarity, an assignment problem solved exactly by `assignment`. A matched pair scores
  key similarity × value similarity; unmatched entries score 0.
* RMS precision = Σ scores / N_predicted, recall = Σ scores / N_target, F1 = their harmonic
  mean (0 when Σ = 0). A row written twice counts twice (it is twice in the person's table).
* Transposition: like the reference code, the prediction is scored as written and
  transposed (rows ↔ columns), and the orientation with the higher F1 counts.
* Empty tables: a missing prediction or one without entries scores 0 / 0 / 0 (the reference
  code gives such a prediction a vacuous precision of 1, which would flatter parse failures).
* Chart titles are not entries here (the reference code adds the title as one entry).

Exact-table accuracy: in one orientation the prediction holds exactly the target's keys, and
every value matches within EXACT_RELATIVE_TOLERANCE (text values equal after normalising).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import zip_longest

import numpy as np
import numpy.typing as npt

from bot.tables.table import Cell, Table, cell_number, format_cell

TEXT_THETA = 0.5
"""τ: a normalised edit distance above this makes two keys count as unrelated."""
NUMBER_THETA = 0.1
"""θ: a relative error at or above this makes a value count as wrong."""
EXACT_RELATIVE_TOLERANCE = 1e-6
"""Values this close (relative to the target) count as equal for exact-table accuracy."""
MAX_ENTRIES = 2000
"""Predicted entries beyond this are counted but never matched (bounds the matching work)."""

_UNIT_SUFFIX = re.compile(r"\s*[(\[]\s*[%$€£¥₹]\s*[)\]]\s*$|\s*[%$€£¥₹]$")
_PERCENT_HEADER = re.compile(r"(?:[(\[]\s*%\s*[)\]]|%)\s*$")
_EMPHASIS = re.compile(r"[*_`]+")
_SPACES = re.compile(r"\s+")


class Percent(float):
    """A number from a percentage column: 34.9 meaning 34.9 %."""


@dataclass(frozen=True)
class Entry:
    """One cell of a table as RMS sees it: a normalised key and the cell's value."""

    key: str
    value: Cell


@dataclass(frozen=True)
class TableScore:
    """How well a predicted table matches the target."""

    precision: float
    recall: float
    f1: float
    exact: bool
    transposed: bool

    @classmethod
    def zero(cls) -> TableScore:
        return cls(0.0, 0.0, 0.0, exact=False, transposed=False)


Grid = tuple[tuple[str, ...], tuple[tuple[Cell, ...], ...]]


def score_table(prediction: Table | None, target: Table) -> TableScore:
    """RMS precision / recall / F1 and exact match, over the better of the two orientations."""
    wanted = entries(grid_of(target))
    if prediction is None or not wanted:
        return TableScore.zero()
    best = TableScore.zero()
    for transposed in (False, True):
        grid = grid_of(prediction)
        found = entries(transpose(grid) if transposed else grid)
        precision, recall, f1 = rms(found, wanted)
        if f1 > best.f1:
            best = TableScore(precision, recall, f1, exact_match(found, wanted), transposed)
    return best


def rms(predicted: Sequence[Entry], target: Sequence[Entry]) -> tuple[float, float, float]:
    """(precision, recall, F1) of Relative Mapping Similarity between two entry lists."""
    if not predicted or not target:
        return 0.0, 0.0, 0.0
    candidates = predicted[:MAX_ENTRIES]
    keys = key_similarities(candidates, target)
    total = sum(
        keys[i, j] * value_similarity(candidates[i].value, target[j].value)
        for i, j in assignment(1.0 - keys)
    )
    if total <= 0:
        return 0.0, 0.0, 0.0
    precision, recall = total / len(predicted), total / len(target)
    return precision, recall, 2 * precision * recall / (precision + recall)


def exact_match(predicted: Sequence[Entry], target: Sequence[Entry]) -> bool:
    """The same keys, and every value equal within EXACT_RELATIVE_TOLERANCE."""
    if len(predicted) != len(target):
        return False
    pairs = zip(sorted(predicted, key=lambda e: e.key), sorted(target, key=lambda e: e.key),
                strict=True)
    return all(p.key == t.key and _same_value(p.value, t.value) for p, t in pairs)


# ---------------------------------------------------------------- tables as entries


def grid_of(table: Table) -> Grid:
    """The table as (header, rows); numbers of a % column (by its unit, or a header ending in
    '%' or '(%)') marked as `Percent`."""
    marked = [table.units.get(name) == "%" or bool(_PERCENT_HEADER.search(name.strip("*_` ")))
              for name in table.columns]
    rows = tuple(
        tuple(Percent(cell) if flag and isinstance(cell, float) else cell
              for cell, flag in zip(row, marked, strict=True))
        for row in table.rows)
    return table.columns, rows


def transpose(grid: Grid) -> Grid:
    """Rows become columns: the first column becomes the header and the header a column."""
    header, rows = grid
    columns = list(zip_longest(header, *rows, fillvalue=None))
    new_header = tuple(format_cell(cell) for cell in columns[0])
    return new_header, tuple(tuple(column) for column in columns[1:])


def entries(grid: Grid) -> list[Entry]:
    """One entry per non-empty cell outside the first column, keyed by its row and column
    headers."""
    header, rows = grid
    found: list[Entry] = []
    for row in rows:
        row_key = normalise_text(format_cell(row[0]))
        for name, cell in zip(header[1:], row[1:], strict=False):
            if cell is not None and format_cell(cell).strip():
                found.append(Entry(f"{row_key} {normalise_text(name)}", cell))
    return found


def normalise_text(text: str) -> str:
    """NFKC, case-folded, markdown emphasis and a trailing unit ('(%)', '$') removed, spaces
    collapsed: 'Share (%)' and '**share**' both become 'share'."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _UNIT_SUFFIX.sub("", _EMPHASIS.sub("", text))
    return _SPACES.sub(" ", text).strip()


# ---------------------------------------------------------------- similarities


def key_similarities(
    predicted: Sequence[Entry], target: Sequence[Entry]
) -> npt.NDArray[np.float64]:
    """Matrix of 1 − NL_τ between every predicted key (rows) and target key (columns)."""
    cache: dict[tuple[str, str], float] = {}
    out = np.zeros((len(predicted), len(target)))
    for i, p in enumerate(predicted):
        for j, t in enumerate(target):
            pair = (p.key, t.key)
            if pair not in cache:
                cache[pair] = text_similarity(p.key, t.key)
            out[i, j] = cache[pair]
    return out


def text_similarity(a: str, b: str, theta: float = TEXT_THETA) -> float:
    """1 − NL_τ(a, b): 1 − normalised Levenshtein distance, or 0 when that distance > τ."""
    longest = max(len(a), len(b))
    if a == b:
        return 1.0
    if abs(len(a) - len(b)) / longest > theta:
        return 0.0
    distance = levenshtein(a, b) / longest
    return 1.0 - distance if distance <= theta else 0.0


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions, each costing 1)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def value_similarity(predicted: Cell, target: Cell, theta: float = NUMBER_THETA) -> float:
    """1 − D_θ for numbers (a percentage also read as a fraction); ANLS for text."""
    p, t = cell_number(predicted), cell_number(target)
    if p is not None and t is not None:
        readings = [p]
        if _is_percent(target):
            readings.append(p * 100)  # 0.349 for 34.9 %
        elif _is_percent(predicted):
            readings.append(p / 100)  # 34.9 % for 0.349
        return max(1.0 - relative_distance(reading, t, theta) for reading in readings)
    if p is None and t is None:
        a, b = _cell_text(predicted), _cell_text(target)
        return 1.0 if a == b else text_similarity(a, b)
    return 0.0


def _is_percent(cell: Cell) -> bool:
    return isinstance(cell, Percent) or (isinstance(cell, str) and cell.rstrip().endswith("%"))


def relative_distance(predicted: float, target: float, theta: float = NUMBER_THETA) -> float:
    """D_θ: min(1, |p − t| / |t|), or 1 when that reaches θ; for t = 0, 0 if p = 0 else 1."""
    if target == 0:
        return 0.0 if predicted == 0 else 1.0
    distance = min(1.0, abs(predicted - target) / abs(target))
    return distance if distance < theta else 1.0


def _cell_text(cell: Cell) -> str:
    return normalise_text(format_cell(cell))


def _same_value(predicted: Cell, target: Cell) -> bool:
    p, t = cell_number(predicted), cell_number(target)
    if p is not None and t is not None:
        return math.isclose(p, t, rel_tol=EXACT_RELATIVE_TOLERANCE, abs_tol=1e-12)
    return p is None and t is None and _cell_text(predicted) == _cell_text(target)


# ---------------------------------------------------------------- assignment


def assignment(cost: npt.NDArray[np.float64]) -> list[tuple[int, int]]:
    """A minimum-cost one-to-one matching of a rectangular cost matrix, as (row, column) pairs.

    Every row is matched when rows ≤ columns, else every column. This is the Hungarian method
    in its shortest-augmenting-path form (Kuhn–Munkres with potentials, O(n²·m)), with the
    inner scan over columns done by numpy.
    """
    rows, columns = cost.shape
    if rows == 0 or columns == 0:
        return []
    if rows > columns:
        return sorted((r, c) for c, r in assignment(cost.T))
    owner = _augment_all(np.asarray(cost, dtype=np.float64))
    return sorted((int(owner[j]) - 1, j - 1) for j in range(1, columns + 1) if owner[j])


def _augment_all(cost: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """owner[j] = 1-based row matched to 1-based column j (0: none), rows ≤ columns."""
    rows, columns = cost.shape
    u = np.zeros(rows + 1)
    v = np.zeros(columns + 1)
    owner = np.zeros(columns + 1, dtype=np.int64)
    way = np.zeros(columns + 1, dtype=np.int64)
    for row in range(1, rows + 1):
        owner[0] = row
        free_column = _shortest_path(cost, row, u, v, owner, way)
        while free_column:
            previous = int(way[free_column])
            owner[free_column] = owner[previous]
            free_column = previous
    return owner


def _shortest_path(cost: npt.NDArray[np.float64], row: int, u: npt.NDArray[np.float64],
                   v: npt.NDArray[np.float64], owner: npt.NDArray[np.int64],
                   way: npt.NDArray[np.int64]) -> int:
    """Grow alternating paths from `row` (updating potentials) to an unmatched column."""
    columns = cost.shape[1]
    slack = np.full(columns + 1, np.inf)
    used = np.zeros(columns + 1, dtype=bool)
    column = 0
    while True:
        used[column] = True
        current = int(owner[column])
        reduced = cost[current - 1] - u[current] - v[1:]
        free = ~used[1:]
        better = free & (reduced < slack[1:])
        slack[1:][better] = reduced[better]
        way[1:][better] = column
        masked = np.where(free, slack[1:], np.inf)
        nearest = int(np.argmin(masked)) + 1
        delta = masked[nearest - 1]
        u[owner[used]] += delta
        v[used] -= delta
        slack[1:][free] -= delta
        column = nearest
        if owner[column] == 0:
            return column
