"""RMS under DePlot's reference rules, exactly: the scoring of google-research's
`deplot/metrics.py` (`table_datapoints_precision_recall`, with pix2struct's `anls_metric`),
written anew here so that Replot's numbers can be set beside published ones.

A table is DePlot's text form: an optional first line ``title | <title>``, then one line per
row, cells separated by `` | `` (space, bar, space); the first of those lines is the header.
The reference, rule by rule:

* The whole text is lower-cased; each cell is stripped of surrounding space, nothing more (no
  Unicode normalisation, no markdown or unit removal). A bar without spaces stays in its cell.
* Every cell after the first of a row is an entry keyed ``f"{row label} {column header}"``;
  the title is one more entry, keyed ``title``. Entries are kept in a dict: a repeated key
  keeps the last value written. A short row gives fewer entries (the cells it lacks are not
  entries); read transposed, rows are padded with empty cells, which then are entries.
* A value is a number when Python's ``float()`` reads it, or reads it without its trailing
  ``%`` (then divided by 100): ``34.9%`` is 0.349. ``1,200``, ``$5``, ``(3)`` and ``−2`` are
  text; ``1_000`` and full-width digits are numbers (Python's float() accepts them).
* A pair scores ANLS(keys) × (1 − D(values)) when both values are numbers and the target is
  not 0, with D = min(1, |t − p| / |t|) kept below θ = 0.1 and 1 from there; else ANLS(keys)
  when the two texts are equal; else ANLS(keys) × ANLS(values). ANLS(a, b) = 1 − lev(a, b) /
  max(|a|, |b|) when that distance is at most τ = 0.5, else 0.
* Pairs come from one optimal one-to-one assignment on key ANLS alone (scipy's
  ``linear_sum_assignment`` there, `metric.assignment` here; where several pairings are equally
  good for the keys, the two solvers may pick different ones).
* Precision = Σ / predicted entries, recall = Σ / target entries; both tables empty: 1, 1, 1;
  no target entries: 0, 1, 0; no predicted entries: 1, 0, 0.
* The prediction is read transposed and as written; the higher F1 counts (transposed first
  when equal). Corpus figures are means over charts; versions of the reference before 2025
  averaged recall under the name F1 (`append(r)`), fixed since.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import zip_longest

import numpy as np

from bot.evaluation.metric import assignment, levenshtein

TEXT_THETA = 0.5
NUMBER_THETA = 0.1
SEPARATOR = " | "
TITLE_LINE = "title |"


@dataclass(frozen=True)
class ReferenceTable:
    """A table as the reference parses it: lower-cased, stripped text cells."""

    title: str | None
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ReferenceScore:
    precision: float
    recall: float
    f1: float


def linearise(columns: Sequence[str], rows: Sequence[Sequence[str]], title: str | None) -> str:
    """Cells as DePlot's text form: a title line, the header, one line per row. A line break
    inside a cell becomes a space (it would otherwise start a new row)."""
    def line(cells: Sequence[str]) -> str:
        return SEPARATOR.join(" ".join(cell.split("\n")) for cell in cells)

    lines = [f"{TITLE_LINE} {' '.join(title.splitlines())}"] if title is not None else []
    return "\n".join([*lines, line(columns), *(line(row) for row in rows)])


def parse(text: str, *, transposed: bool = False) -> ReferenceTable:
    """Read DePlot's text form the way the reference does."""
    lines = text.lower().splitlines()
    if not lines:
        return ReferenceTable(None, (), ())
    title = None
    if lines[0].startswith(TITLE_LINE):
        title, lines = lines[0][len(TITLE_LINE):].strip(), lines[1:]
    if not lines:
        return ReferenceTable(title, (), ())
    rows = [tuple(cell.strip() for cell in line.split(SEPARATOR)) for line in lines]
    if transposed:
        rows = [tuple(column) for column in zip_longest(*rows, fillvalue="")]
    return ReferenceTable(title, rows[0], tuple(rows[1:]))


def datapoints(table: ReferenceTable) -> list[tuple[str, str]]:
    """(key, value) entries in the order the reference's dict keeps them."""
    found: dict[str, str] = {}
    if table.title is not None:
        found["title"] = table.title
    if table.rows and len(table.header) > 1:
        for row in table.rows:
            for header, cell in zip(table.header[1:], row[1:], strict=False):
                found[f"{row[0]} {header}"] = cell
    return list(found.items())


def anls(target: str, prediction: str, theta: float = TEXT_THETA) -> float:
    """1 − normalised Levenshtein distance, or 0 above `theta` (pix2struct's anls_metric)."""
    longest = max(len(target), len(prediction))
    if longest == 0:
        return 1.0  # never reached by the reference's callers (keys hold a space)
    distance = levenshtein(target, prediction) / longest
    return 1 - distance if distance <= theta else 0.0


def to_number(text: str) -> float | None:
    """Python's float() of the text, a trailing '%' read as /100; else None."""
    try:
        if text.endswith("%"):
            return float(text.rstrip("%")) / 100.0
        return float(text)
    except ValueError:
        return None


def relative_distance(target: float, prediction: float, theta: float = NUMBER_THETA) -> float:
    """min(1, |t − p| / |t|), 1 from `theta` on; for a target of 0: 0 if p is 0 else 1."""
    if not target:
        return float(not prediction)
    distance = min(abs((target - prediction) / target), 1)
    return distance if distance < theta else 1.0


def pair_score(target: tuple[str, str], prediction: tuple[str, str]) -> float:
    """How much one matched pair of entries counts."""
    key = anls(target[0], prediction[0])
    predicted, wanted = to_number(prediction[1]), to_number(target[1])
    if predicted is not None and wanted:
        return key * (1 - relative_distance(wanted, predicted))
    if target[1] == prediction[1]:
        return key
    return key * anls(target[1], prediction[1])


def table_score(target: ReferenceTable, prediction: ReferenceTable) -> ReferenceScore:
    """Precision, recall and F1 of one reading of the prediction."""
    wanted, found = datapoints(target), datapoints(prediction)
    if not wanted and not found:
        return ReferenceScore(1.0, 1.0, 1.0)
    if not wanted:
        return ReferenceScore(0.0, 1.0, 0.0)
    if not found:
        return ReferenceScore(1.0, 0.0, 0.0)
    cost = np.array([[1 - anls(t, p) for p, _ in found] for t, _ in wanted])
    total = sum(pair_score(wanted[i], found[j]) for i, j in assignment(cost))
    if total == 0:
        return ReferenceScore(0.0, 0.0, 0.0)
    precision, recall = total / len(found), total / len(wanted)
    return ReferenceScore(precision, recall, 2 * precision * recall / (precision + recall))


def reference_score(target_text: str, prediction_text: str) -> ReferenceScore:
    """RMS of a predicted table text against the target text, the better orientation."""
    target = parse(target_text)
    readings = [table_score(target, parse(prediction_text, transposed=transposed))
                for transposed in (True, False)]
    return max(readings, key=lambda score: score.f1)
