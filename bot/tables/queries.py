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

from bot.tables.parsing import canonical_choice
from bot.tables.table import CURRENCY_SIGNS, Table, format_cell, format_raw, parse_number
from bot.words.wording import Phrase, later, noop, t

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
    """A query that cannot be answered; the message (a Phrase, said when shown) is safe to show
    to a person."""


class Query(BaseModel):
    """What to compute: an operation over one value column and (optionally) some rows."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    op: Op
    column: str | None = None
    rows: tuple[str, ...] = ()

    @field_validator("op", mode="before")
    @classmethod
    def _alias_op(cls, value: object) -> object:
        return canonical_choice(value, _OP_ALIASES)

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
        return t("{answer} (Rows used: {rows}.)", answer=self.text, rows=self._rows_text())

    def _rows_text(self) -> str:
        comma = t(", ")
        if len(self.positions) != len(self.rows_used):
            return comma.join(self.rows_used)
        if self.table_rows >= 3 and len(set(self.positions)) == self.table_rows:
            return t("all {count} rows", count=self.table_rows)
        parts: list[str] = []
        start = 0
        for end in range(1, len(self.positions) + 1):
            if end < len(self.positions) and self.positions[end] == self.positions[end - 1] + 1:
                continue
            run = self.rows_used[start:end]
            parts.append(f"{run[0]}–{run[-1]}" if len(run) >= 3 else comma.join(run))
            start = end
        return comma.join(parts)


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
            if self.named and rows is None:
                raise QueryError(later("there are no {column} values in the chosen rows",
                                       column=self.column))
            raise QueryError(later("there are no {column} values in the table",
                                   column=self.column))
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
        raise QueryError(later("the result is too large to compute")) from None


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
            raise QueryError(later("the table has no column of numbers"))
        return values[0]
    found = name if name in table.columns else None
    if found is None:
        found = next((c for c in table.columns if _text_key(c) == _text_key(name)), None)
    if found is None:
        raise QueryError(later("there is no column called “{name}”", name=name))
    if found not in numeric and not allow_text:
        raise QueryError(later("the column “{name}” does not hold numbers", name=found))
    return found


def _find_row(rows: Sequence[_Row], label: str) -> _Row:
    key = _label_key(label)
    for row in rows:
        if _label_key(row.label) == key:
            return row
    raise QueryError(later("there is no row called “{label}”", label=label))


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
        raise QueryError(later("the result is too large to show"))
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
    return t("{items} and {last}", items=t(", ").join(labels[:-1]), last=labels[-1])


def _ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th… in English; each language words places its own way."""
    if 10 <= n % 100 <= 20:
        return t("{n}th", n=n)
    ending = n % 10
    if ending == 1:
        return t("{n}st", n=n)
    if ending == 2:
        return t("{n}nd", n=n)
    if ending == 3:
        return t("{n}rd", n=n)
    return t("{n}th", n=n)


def _pct(part: float, whole: float) -> float:
    return (part - whole) / abs(whole) * 100


def _v(row: _Row) -> float:
    assert row.value is not None
    return row.value


# --- operations -------------------------------------------------------------------------


def _sum(ctx: _Context) -> Answer:
    rows = ctx.values()
    total = math.fsum(_v(r) for r in rows)
    text = t("The total of {column} is {value}.", column=ctx.column, value=ctx.num(total))
    return ctx.answer(text, total, rows)


def _mean(ctx: _Context) -> Answer:
    rows = ctx.values()
    mean = statistics.fmean(_v(r) for r in rows)
    text = t("The average of {column} is {value}.", column=ctx.column, value=ctx.num(mean))
    return ctx.answer(text, mean, rows)


def _median(ctx: _Context) -> Answer:
    rows = ctx.values()
    median = float(statistics.median(_v(r) for r in rows))
    text = t("The median of {column} is {value}.", column=ctx.column,
             value=ctx.num(median))
    return ctx.answer(text, median, rows)


def _extreme(one: str, many: str,
             pick: Callable[[list[float]], float]) -> Callable[[_Context], Answer]:
    """`one` and `many` are the answer for one row and for several tied rows."""
    def run(ctx: _Context) -> Answer:
        rows = ctx.values()
        best = pick([_v(r) for r in rows])
        labels = [r.label for r in rows if r.value == best]
        text = t(one if len(labels) == 1 else many, labels=_join(labels), column=ctx.column,
                 value=ctx.num(best))
        return ctx.answer(text, best, rows)

    return run


def _count(ctx: _Context) -> Answer:
    rows = [r for r in ctx.selection() if r.value is not None]
    n = len(rows)
    if ctx.named:
        if n == 0:
            text = t("{column} has no values in the chosen rows.", column=ctx.column)
        elif n == 1:
            text = t("{column} has {count} value in the chosen rows.", column=ctx.column, count=n)
        else:
            text = t("{column} has {count} values in the chosen rows.", column=ctx.column,
                     count=n)
    elif n == 0:
        text = t("{column} has no values.", column=ctx.column)
    elif n == 1:
        text = t("{column} has {count} value.", column=ctx.column, count=n)
    else:
        text = t("{column} has {count} values.", column=ctx.column, count=n)
    return ctx.answer(text, float(n), rows)


def _range(ctx: _Context) -> Answer:
    rows = ctx.values()
    low = min(rows, key=_v)
    high = max(rows, key=_v)
    spread = _v(high) - _v(low)
    text = t("{column} ranges from {low} ({low_label}) to {high} ({high_label}), "
             "a spread of {spread}.", column=ctx.column, low=ctx.num(_v(low)),
             low_label=low.label, high=ctx.num(_v(high)), high_label=high.label,
             spread=ctx.num(spread))
    return ctx.answer(text, spread, rows)


def _ends(ctx: _Context, too_few: Phrase) -> tuple[_Row, _Row]:
    rows = ctx.values()
    if len(rows) < 2:
        raise QueryError(too_few)
    return rows[0], rows[-1]


def _growth(ctx: _Context) -> Answer:
    first, last = _ends(ctx, later("growth needs at least two rows with {column} values",
                                   column=ctx.column))
    if first.value == 0:
        raise QueryError(later("growth from “{label}” cannot be computed: its value is 0",
                               label=first.label))
    change = _pct(_v(last), _v(first))
    text = t("From {first} to {last}, {column} changed {change} "
             "(from {first_value} to {last_value}).",
             first=first.label, last=last.label, column=ctx.column,
             change=format_change(change), first_value=ctx.num(_v(first)),
             last_value=ctx.num(_v(last)))
    return ctx.answer(text, change, (first, last))


def _cagr(ctx: _Context) -> Answer:
    first, last = _ends(ctx, later("compound growth needs at least two rows with {column} "
                                   "values", column=ctx.column))
    if _v(first) <= 0 or _v(last) < 0:
        raise QueryError(later("compound growth needs positive values at the start and end"))
    steps = last.index - first.index
    rate = ((_v(last) / _v(first)) ** (1 / steps) - 1) * 100
    values = {"first": first.label, "last": last.label, "column": ctx.column,
              "change": format_change(rate), "steps": steps,
              "first_value": ctx.num(_v(first)), "last_value": ctx.num(_v(last))}
    if steps == 1:
        text = t("From {first} to {last}, {column} changed {change} per period, compounded "
                 "over {steps} period (from {first_value} to {last_value}).", **values)
    else:
        text = t("From {first} to {last}, {column} changed {change} per period, compounded "
                 "over {steps} periods (from {first_value} to {last_value}).", **values)
    return ctx.answer(text, rate, (first, last))


def _steps(ctx: _Context) -> list[tuple[_Row, _Row, float]]:
    rows = ctx.selection()
    if len(rows) < 2:
        raise QueryError(later("a change from row to row needs at least two rows of {column}",
                               column=ctx.column))
    steps = [(a, b, _pct(_v(b), _v(a))) for a, b in itertools.pairwise(rows)
             if a.value and b.value is not None]
    if not steps:
        raise QueryError(later("no change can be computed: every previous {column} value "
                               "is 0 or missing", column=ctx.column))
    return steps


def _step_growth(largest: bool) -> Callable[[_Context], Answer]:
    def run(ctx: _Context) -> Answer:
        steps = _steps(ctx)
        prev, row, change = (max if largest else min)(steps, key=lambda s: s[2])
        if largest and change > 0:
            message = noop("{label} grew fastest: {change} (from {before} to {after}).")
        elif largest:
            message = noop("{label} had the largest change: {change} (from {before} to {after}).")
        elif change < 0:
            message = noop("{label} fell the most: {change} (from {before} to {after}).")
        else:
            message = noop("{label} grew slowest: {change} (from {before} to {after}).")
        text = t(message, label=row.label, change=format_change(change),
                 before=ctx.num(_v(prev)), after=ctx.num(_v(row)))
        return ctx.answer(text, change, [r for s in steps for r in s[:2]])

    return run


def _targets(ctx: _Context, low: int, high: int, wrong_count: Phrase) -> tuple[_Row, ...]:
    """The rows the query named, checked for number (`wrong_count` says how many are needed)
    and for values."""
    if not low <= len(ctx.named) <= high:
        raise QueryError(wrong_count)
    for row in ctx.named:
        if row.value is None:
            raise QueryError(later("“{label}” has no {column} value", label=row.label,
                                   column=ctx.column))
    return ctx.named


def _share(ctx: _Context) -> Answer:
    named = _targets(ctx, 1, MAX_QUERY_ROWS, later("a share needs at least one row"))
    rows = ctx.values(ctx.rows)
    total = math.fsum(_v(r) for r in rows)
    if total == 0:
        raise QueryError(later("the total of {column} is 0, so there are no shares",
                               column=ctx.column))
    unique = {r.index: r for r in named}.values()
    part = math.fsum(_v(r) for r in unique)
    share = part / total * 100
    values = {"labels": _join([r.label for r in unique]), "share": _digits(share, 1),
              "column": ctx.column, "part": ctx.num(part), "total": ctx.num(total)}
    if len(unique) == 1:
        text = t("{labels} is {share}% of the total {column} ({part} of {total}).", **values)
    else:
        text = t("{labels} together are {share}% of the total {column} ({part} of {total}).",
                 **values)
    return ctx.answer(text, share, rows)


def _difference(ctx: _Context) -> Answer:
    a, b = _targets(ctx, 2, 2, later("a difference needs exactly two rows"))
    diff = _v(a) - _v(b)
    values = {"column": ctx.column, "a": a.label, "b": b.label, "a_value": ctx.num(_v(a)),
              "b_value": ctx.num(_v(b))}
    if diff == 0:
        text = t("In {column}, {a} and {b} are equal ({a_value} vs {b_value}).", **values)
    else:
        amount = (t("{amount} percentage points", amount=format_value(abs(diff)))
                  if ctx.unit == "%" else ctx.num(abs(diff)))
        if diff > 0:
            text = t("In {column}, {a} is {amount} more than {b} ({a_value} vs {b_value}).",
                     amount=amount, **values)
        else:
            text = t("In {column}, {a} is {amount} less than {b} ({a_value} vs {b_value}).",
                     amount=amount, **values)
    return ctx.answer(text, diff, (a, b))


def _ratio(ctx: _Context) -> Answer:
    a, b = _targets(ctx, 2, 2, later("a ratio needs exactly two rows"))
    if b.value == 0:
        raise QueryError(later("cannot divide by “{label}”: its {column} value is 0",
                               label=b.label, column=ctx.column))
    ratio = _v(a) / _v(b)
    text = t("In {column}, {a} is {ratio} times {b} ({a_value} vs {b_value}).",
             column=ctx.column, a=a.label, b=b.label, ratio=format_value(ratio),
             a_value=ctx.num(_v(a)), b_value=ctx.num(_v(b)))
    return ctx.answer(text, ratio, (a, b))


def _rank(ctx: _Context) -> Answer:
    (row,) = _targets(ctx, 1, 1, later("a rank needs exactly one row"))
    rows = ctx.values(ctx.rows)
    place = 1 + sum(1 for r in rows if _v(r) > _v(row))
    tied = any(r.value == row.value and r.index != row.index for r in rows)
    values = {"label": row.label, "place": _ordinal(place), "count": len(rows),
              "column": ctx.column, "value": ctx.num(_v(row))}
    if tied:
        text = t("{label} ranks {place} (tied) of {count} by {column} ({value}).", **values)
    else:
        text = t("{label} ranks {place} of {count} by {column} ({value}).", **values)
    return ctx.answer(text, float(place), rows)


_HANDLERS: dict[str, Callable[[_Context], Answer]] = {
    "sum": _sum,
    "mean": _mean,
    "median": _median,
    "min": _extreme(noop("{labels} has the lowest {column}: {value}."),
                    noop("{labels} have the lowest {column}: {value}."), min),
    "max": _extreme(noop("{labels} has the highest {column}: {value}."),
                    noop("{labels} have the highest {column}: {value}."), max),
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
