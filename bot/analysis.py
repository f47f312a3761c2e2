"""Questions about a table, computed in code: the query a model gives, and the answer to it.

The instruct model only picks an operation, a column and row labels; every number in the
answer is computed here from the table, and the answer names the rows it read.
"""

from __future__ import annotations

import itertools
import math
import statistics
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from bot.table import CURRENCY_SIGNS, Table, format_cell, format_raw, parse_number

Op = Literal[
    "sum", "mean", "median", "min", "max", "count", "range", "growth", "max_growth",
    "min_growth", "share", "difference", "ratio", "cagr", "rank",
]
OPS: tuple[str, ...] = Op.__args__  # type: ignore[attr-defined]
MAX_QUERY_ROWS = 500
MINUS = "−"

_OP_ALIASES = {
    "total": "sum", "average": "mean", "avg": "mean", "minimum": "min", "maximum": "max",
    "diff": "difference", "cagr_growth": "cagr", "spread": "range",
}
_QUOTES = "\"'“”‘’«»「」"

QUERY_HELP = """\
A query: {"op": OP, "column": "<value column, or null for the first>", "rows": [<labels>]}.
rows: labels exactly as in the table; [] = all rows.
Over the rows: sum, mean, median, min, max, count, range (max − min), growth (first → last, %),
cagr (compound % per step), max_growth / min_growth (the row with the biggest / smallest
% change from the row before).
One row: share (% of the column total), rank (place, largest first).
Two rows: difference (first − second), ratio (first ÷ second)."""


class QueryError(ValueError):
    """A query that cannot be answered; the message is safe to show to a person."""


class Query(BaseModel):
    """What to compute: an operation over one value column and (optionally) some rows."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    op: Op
    column: str | None = None
    rows: tuple[str, ...] = ()

    @field_validator("op", mode="before")
    @classmethod
    def _alias_op(cls, value: object) -> object:
        if isinstance(value, str):
            key = value.strip().lower().replace(" ", "_").replace("-", "_")
            return _OP_ALIASES.get(key, key)
        return value

    @field_validator("column", mode="before")
    @classmethod
    def _column_text(cls, value: object) -> object:
        return _as_label(value)

    @field_validator("rows", mode="before")
    @classmethod
    def _row_labels(cls, value: object) -> object:
        if value is None:
            return ()
        if not isinstance(value, list | tuple):
            value = [value]
        if len(value) > MAX_QUERY_ROWS:
            raise ValueError(f"at most {MAX_QUERY_ROWS} rows")
        return tuple(_as_label(v) for v in value)


@dataclass(frozen=True)
class Answer:
    """The computed result: a sentence for the person, the number, and the rows read.

    ``value`` is the number the sentence states (a percentage for growth, share and cagr);
    ``positions`` are the table indices of ``rows_used``, ``table_rows`` the table's length.
    """

    text: str
    value: float | None
    rows_used: tuple[str, ...]
    positions: tuple[int, ...] = field(default=(), repr=False)
    table_rows: int = field(default=0, repr=False)

    def with_rows(self) -> str:
        """The text and which rows it used: ranges of neighbours, or "all N rows"."""
        if not self.rows_used:
            return self.text
        return f"{self.text} (Rows used: {self._rows_text()}.)"

    def _rows_text(self) -> str:
        if len(self.positions) != len(self.rows_used):
            return ", ".join(self.rows_used)
        if self.table_rows >= 3 and len(set(self.positions)) == self.table_rows:
            return f"all {self.table_rows} rows"
        parts: list[str] = []
        start = 0
        for end in range(1, len(self.positions) + 1):
            if end < len(self.positions) and self.positions[end] == self.positions[end - 1] + 1:
                continue
            run = self.rows_used[start:end]
            parts.append(f"{run[0]}–{run[-1]}" if len(run) >= 3 else ", ".join(run))
            start = end
        return ", ".join(parts)


@dataclass(frozen=True)
class _Row:
    index: int
    label: str
    value: float | None


@dataclass(frozen=True)
class _Context:
    """A query resolved against a table: the value column, every row, the rows named."""

    column: str
    unit: str
    rows: tuple[_Row, ...]
    named: tuple[_Row, ...]

    def selection(self) -> list[_Row]:
        """The rows named (in table order, once each), or all rows if none were named."""
        if not self.named:
            return list(self.rows)
        return sorted({r.index: r for r in self.named}.values(), key=lambda r: r.index)

    def values(self, rows: Sequence[_Row] | None = None) -> list[_Row]:
        """Rows with a value, from ``rows`` or the selection; QueryError if there are none."""
        found = [r for r in (self.selection() if rows is None else rows) if r.value is not None]
        if not found:
            where = "the chosen rows" if self.named and rows is None else "the table"
            raise QueryError(f"there are no {self.column} values in {where}")
        return found

    def answer(self, text: str, value: float | None, used: Sequence[_Row]) -> Answer:
        ordered = sorted({r.index: r for r in used}.values(), key=lambda r: r.index)
        return Answer(text, value, tuple(r.label for r in ordered),
                      tuple(r.index for r in ordered), len(self.rows))

    def num(self, value: float) -> str:
        return format_value(value, self.unit)


def run_query(table: Table, query: Query) -> Answer:
    """Compute a query on a table. Raises QueryError with a person-readable reason."""
    ctx = _resolve(table, query)
    try:
        return _HANDLERS[query.op](ctx)
    except (OverflowError, ZeroDivisionError):
        raise QueryError("the result is too large to compute") from None


# --- resolving the query ----------------------------------------------------------------


def _resolve(table: Table, query: Query) -> _Context:
    column = _find_column(table, query.column, allow_text=query.op == "count")
    j, k = table.columns.index(column), table.columns.index(table.label_column)
    rows = tuple(
        _Row(i, format_cell(row[k]) or f"row {i + 1}", _as_value(row[j]))
        for i, row in enumerate(table.rows)
    )
    named = tuple(_find_row(rows, label) for label in query.rows)
    return _Context(column, table.units.get(column, ""), rows, named)


def _find_column(table: Table, name: str | None, *, allow_text: bool) -> str:
    numeric = table.numeric_columns()
    if name is None:
        values = [c for c in numeric if c != table.label_column] or numeric
        if not values:
            raise QueryError("the table has no column of numbers")
        return values[0]
    found = name if name in table.columns else None
    if found is None:
        found = next((c for c in table.columns if _text_key(c) == _text_key(name)), None)
    if found is None:
        raise QueryError(f"there is no column called “{name}”")
    if found not in numeric and not allow_text:
        raise QueryError(f"the column “{found}” does not hold numbers")
    return found


def _find_row(rows: Sequence[_Row], label: str) -> _Row:
    key = _label_key(label)
    for row in rows:
        if _label_key(row.label) == key:
            return row
    raise QueryError(f"there is no row called “{label}”")


def _as_label(value: object) -> object:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_raw(float(value))
    return value


def _as_value(cell: object) -> float | None:
    if isinstance(cell, float):
        return cell
    return None if cell is None else 1.0  # a text cell, only read by count


def _text_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().strip(_QUOTES).strip().casefold()


def _label_key(label: str) -> str:
    text = _text_key(label)
    number = parse_number(text)
    return f"\x00{number[0]!r}{number[1]}" if number else text


# --- formatting ---------------------------------------------------------------------------


def format_value(value: float, unit: str = "") -> str:
    """A number for a sentence: thousands separators, ≤ 3 decimals, the column's unit."""
    body = _digits(abs(value), 3)
    sign = MINUS if value < 0 and body != "0" else ""
    if unit == "%":
        return f"{sign}{body}%"
    if unit in CURRENCY_SIGNS:
        return f"{sign}{unit}{body}"
    return f"{sign}{body} {unit}" if unit else sign + body


def format_change(percent: float) -> str:
    """A percentage change with its sign: "+25%", "−8.3%", "0%"."""
    body = _digits(abs(percent), 1)
    if body == "0":
        return "0%"
    return f"{'+' if percent > 0 else MINUS}{body}%"


def _digits(value: float, decimals: int) -> str:
    """A non-negative number with at most ``decimals`` decimals (3 significant when < 1)."""
    if not math.isfinite(value):
        raise QueryError("the result is too large to show")
    if value == 0:
        return "0"
    if value >= 1e15 or value < 1e-6:
        return f"{value:.3g}"
    if value < 1:
        decimals = max(decimals, 2 - math.floor(math.log10(value)))
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _join(labels: Sequence[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _pct(part: float, whole: float) -> float:
    return (part - whole) / abs(whole) * 100


def _v(row: _Row) -> float:
    assert row.value is not None
    return row.value


# --- operations -------------------------------------------------------------------------


def _sum(ctx: _Context) -> Answer:
    rows = ctx.values()
    total = math.fsum(_v(r) for r in rows)
    return ctx.answer(f"The total of {ctx.column} is {ctx.num(total)}.", total, rows)


def _mean(ctx: _Context) -> Answer:
    rows = ctx.values()
    mean = statistics.fmean(_v(r) for r in rows)
    return ctx.answer(f"The average of {ctx.column} is {ctx.num(mean)}.", mean, rows)


def _median(ctx: _Context) -> Answer:
    rows = ctx.values()
    median = float(statistics.median(_v(r) for r in rows))
    return ctx.answer(f"The median of {ctx.column} is {ctx.num(median)}.", median, rows)


def _extreme(word: str, pick: Callable[[list[float]], float]) -> Callable[[_Context], Answer]:
    def run(ctx: _Context) -> Answer:
        rows = ctx.values()
        best = pick([_v(r) for r in rows])
        labels = [r.label for r in rows if r.value == best]
        verb = "has" if len(labels) == 1 else "have"
        text = f"{_join(labels)} {verb} the {word} {ctx.column}: {ctx.num(best)}."
        return ctx.answer(text, best, rows)

    return run


def _count(ctx: _Context) -> Answer:
    rows = [r for r in ctx.selection() if r.value is not None]
    where = " in the chosen rows" if ctx.named else ""
    amount = f"{len(rows)} value{'' if len(rows) == 1 else 's'}" if rows else "no values"
    return ctx.answer(f"{ctx.column} has {amount}{where}.", float(len(rows)), rows)


def _range(ctx: _Context) -> Answer:
    rows = ctx.values()
    low = min(rows, key=_v)
    high = max(rows, key=_v)
    spread = _v(high) - _v(low)
    text = (f"{ctx.column} ranges from {ctx.num(_v(low))} ({low.label}) to "
            f"{ctx.num(_v(high))} ({high.label}), a spread of {ctx.num(spread)}.")
    return ctx.answer(text, spread, rows)


def _ends(ctx: _Context, what: str) -> tuple[_Row, _Row]:
    rows = ctx.values()
    if len(rows) < 2:
        raise QueryError(f"{what} needs at least two rows with {ctx.column} values")
    return rows[0], rows[-1]


def _growth(ctx: _Context) -> Answer:
    first, last = _ends(ctx, "growth")
    if first.value == 0:
        raise QueryError(f"growth from “{first.label}” cannot be computed: its value is 0")
    change = _pct(_v(last), _v(first))
    text = (f"From {first.label} to {last.label}, {ctx.column} changed {format_change(change)} "
            f"(from {ctx.num(_v(first))} to {ctx.num(_v(last))}).")
    return ctx.answer(text, change, (first, last))


def _cagr(ctx: _Context) -> Answer:
    first, last = _ends(ctx, "compound growth")
    if _v(first) <= 0 or _v(last) < 0:
        raise QueryError("compound growth needs positive values at the start and end")
    steps = last.index - first.index
    rate = ((_v(last) / _v(first)) ** (1 / steps) - 1) * 100
    periods = f"{steps} period{'' if steps == 1 else 's'}"
    text = (f"From {first.label} to {last.label}, {ctx.column} changed "
            f"{format_change(rate)} per period, compounded over {periods} "
            f"(from {ctx.num(_v(first))} to {ctx.num(_v(last))}).")
    return ctx.answer(text, rate, (first, last))


def _steps(ctx: _Context) -> list[tuple[_Row, _Row, float]]:
    rows = ctx.selection()
    if len(rows) < 2:
        raise QueryError(f"a change from row to row needs at least two rows of {ctx.column}")
    steps = [(a, b, _pct(_v(b), _v(a))) for a, b in itertools.pairwise(rows)
             if a.value and b.value is not None]
    if not steps:
        raise QueryError(f"no change can be computed: every previous {ctx.column} value "
                         "is 0 or missing")
    return steps


def _step_growth(largest: bool) -> Callable[[_Context], Answer]:
    def run(ctx: _Context) -> Answer:
        steps = _steps(ctx)
        prev, row, change = (max if largest else min)(steps, key=lambda s: s[2])
        if largest:
            verb = "grew fastest" if change > 0 else "had the largest change"
        else:
            verb = "fell the most" if change < 0 else "grew slowest"
        text = (f"{row.label} {verb}: {format_change(change)} "
                f"(from {ctx.num(_v(prev))} to {ctx.num(_v(row))}).")
        return ctx.answer(text, change, [r for s in steps for r in s[:2]])

    return run


def _targets(ctx: _Context, op: str, low: int, high: int) -> tuple[_Row, ...]:
    """The rows the query named, checked for number and for values."""
    if not low <= len(ctx.named) <= high:
        count = {1: "one row", 2: "two rows"}.get(low, f"{low} rows")
        amount = f"exactly {count}" if low == high else f"at least {count}"
        raise QueryError(f"{op} needs {amount}")
    for row in ctx.named:
        if row.value is None:
            raise QueryError(f"“{row.label}” has no {ctx.column} value")
    return ctx.named


def _share(ctx: _Context) -> Answer:
    named = _targets(ctx, "a share", 1, MAX_QUERY_ROWS)
    rows = ctx.values(ctx.rows)
    total = math.fsum(_v(r) for r in rows)
    if total == 0:
        raise QueryError(f"the total of {ctx.column} is 0, so there are no shares")
    unique = {r.index: r for r in named}.values()
    part = math.fsum(_v(r) for r in unique)
    share = part / total * 100
    subject = _join([r.label for r in unique]) + (" together" if len(unique) > 1 else "")
    verb = "is" if len(unique) == 1 else "are"
    text = (f"{subject} {verb} {_digits(share, 1)}% of the total {ctx.column} "
            f"({ctx.num(part)} of {ctx.num(total)}).")
    return ctx.answer(text, share, rows)


def _difference(ctx: _Context) -> Answer:
    a, b = _targets(ctx, "a difference", 2, 2)
    diff = _v(a) - _v(b)
    both = f"({ctx.num(_v(a))} vs {ctx.num(_v(b))})"
    if diff == 0:
        text = f"In {ctx.column}, {a.label} and {b.label} are equal {both}."
    else:
        amount = (f"{format_value(abs(diff))} percentage points" if ctx.unit == "%"
                  else ctx.num(abs(diff)))
        more = "more" if diff > 0 else "less"
        text = f"In {ctx.column}, {a.label} is {amount} {more} than {b.label} {both}."
    return ctx.answer(text, diff, (a, b))


def _ratio(ctx: _Context) -> Answer:
    a, b = _targets(ctx, "a ratio", 2, 2)
    if b.value == 0:
        raise QueryError(f"cannot divide by “{b.label}”: its {ctx.column} value is 0")
    ratio = _v(a) / _v(b)
    text = (f"In {ctx.column}, {a.label} is {format_value(ratio)} times {b.label} "
            f"({ctx.num(_v(a))} vs {ctx.num(_v(b))}).")
    return ctx.answer(text, ratio, (a, b))


def _rank(ctx: _Context) -> Answer:
    (row,) = _targets(ctx, "a rank", 1, 1)
    rows = ctx.values(ctx.rows)
    place = 1 + sum(1 for r in rows if _v(r) > _v(row))
    tied = any(r.value == row.value and r.index != row.index for r in rows)
    text = (f"{row.label} ranks {_ordinal(place)}{' (tied)' if tied else ''} of {len(rows)} "
            f"by {ctx.column} ({ctx.num(_v(row))}).")
    return ctx.answer(text, float(place), rows)


_HANDLERS: dict[str, Callable[[_Context], Answer]] = {
    "sum": _sum,
    "mean": _mean,
    "median": _median,
    "min": _extreme("lowest", min),
    "max": _extreme("highest", max),
    "count": _count,
    "range": _range,
    "growth": _growth,
    "max_growth": _step_growth(largest=True),
    "min_growth": _step_growth(largest=False),
    "share": _share,
    "difference": _difference,
    "ratio": _ratio,
    "cagr": _cagr,
    "rank": _rank,
}
