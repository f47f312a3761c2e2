"""Table: the data a chart shows, with typed cells, and its text forms (CSV, monospace)."""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from bot.words.wording import Phrase, later, t

Cell = float | str | None

MAX_ROWS = 500
MAX_COLUMNS = 40
MAX_CELL_CHARS = 120
MAX_TITLE_CHARS = 200

_EMPTY_MARKERS = {"", "-", "—", "–", "n/a", "na", "none", "null", "nan", "?"}
CURRENCY_SIGNS = frozenset("$€£¥₹₩₽₺฿₫")
_NUMBER = re.compile(
    r"""^\(?\s*(?P<sign>[-+−])?\s*
        (?P<cur1>[$€£¥₹₩₽₺฿₫]|US\$|RMB|CNY|USD|EUR)?\s*
        (?P<sign2>[-+−])?
        (?P<num>\d{1,3}(?:[,\s ']\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?|\.\d+)
        \s*(?P<scale>[kKmMbB]|bn|千|万|亿)?\s*
        (?P<unit>%|[$€£¥₹₩₽₺฿₫]|元|円|USD|EUR|RMB|CNY)?\s*\)?$""",
    re.VERBOSE,
)
_SCALES = {
    "k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "b": 1e9, "B": 1e9, "bn": 1e9,
    "千": 1e3, "万": 1e4, "亿": 1e8,
}


class TableError(ValueError):
    """A table that cannot be built; the message is safe to show to a person.

    It is a Phrase (said in the language of the moment it is shown) or plain text; `reason`
    gives it as it came, to put into another message without saying it yet.
    """

    @property
    def reason(self) -> str | Phrase:
        return reason_of(self)


def reason_of(exc: BaseException) -> str | Phrase:
    """An exception's message as it was given: a Phrase stays unsaid, anything else is str()."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, Phrase | str) else str(exc)


def parse_number(text: str) -> tuple[float, str] | None:
    """Read a human-written number: '1,234.5', '$1.2k', '12%', '(30)', '−5 元'.

    Returns (value, unit) where unit is '%', a currency sign or '' — or None if
    the text is not a number.
    """
    s = unicodedata.normalize("NFKC", text).strip()
    if not s or len(s) > 40:
        return None
    m = _NUMBER.match(s)
    if m is None:
        return None
    num = m["num"]
    if s.startswith("(") != s.endswith(")"):
        return None
    if re.fullmatch(r"0,\d+|\d+,(\d{1,2}|\d{4,})", num):
        num = num.replace(",", ".")  # a decimal comma: "3,5", "1234,56"
    digits = re.sub(r"[,\s ']", "", num)
    try:
        value = float(digits)
    except ValueError:
        return None
    if m["scale"]:
        value *= _SCALES[m["scale"]]
    negative = (m["sign"] or m["sign2"] or "") in ("-", "−") or (
        s.startswith("(") and s.endswith(")")
    )
    if negative:
        value = -value
    if not math.isfinite(value):
        return None
    unit = m["unit"] or m["cur1"] or ""
    unit = {"USD": "$", "US$": "$", "EUR": "€", "RMB": "¥", "CNY": "¥", "元": "¥", "円": "¥"}.get(
        unit, unit
    )
    return value, unit


def coerce_cell(value: Any) -> tuple[Cell, str]:
    """Turn one raw cell (text, number, None) into a typed cell and the unit it carried."""
    if value is None or isinstance(value, bool):
        return (None if value is None else str(value).lower()), ""
    if isinstance(value, int | float):
        try:
            f = float(value)
        except OverflowError:
            return None, ""
        return (f if math.isfinite(f) else None), ""
    text = clean_text(str(value))
    if text.lower() in _EMPTY_MARKERS:
        return None, ""
    parsed = parse_number(text)
    if parsed is not None:
        return parsed
    return text[:MAX_CELL_CHARS], ""


def clean_text(text: str) -> str:
    """Strip markdown emphasis, control characters and surrounding space from a label."""
    text = re.sub(r"\s+", " ", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch == " ")
    text = re.sub(r"^(\*\*|__|`)(.*)\1$", r"\2", text.strip())
    return text.strip()


def format_number(value: float, significant: int = 6) -> str:
    """Print a number the way a person would write it in a table cell: no exponent, whole part
    kept in full, at most `significant` significant digits after that."""
    if not math.isfinite(value):
        return ""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    whole = len(str(int(abs(value)))) if abs(value) >= 1 else 0
    text = format(Decimal(f"{value:.{max(significant, whole)}g}"), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def cell_number(cell: Cell) -> float | None:
    """A cell as a number: floats as they are, numeric-looking text parsed, else None."""
    if isinstance(cell, float):
        return cell
    if isinstance(cell, str):
        parsed = parse_number(cell)
        return parsed[0] if parsed else None
    return None


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """Text a spreadsheet opening a CSV file will show, never evaluate (OWASP's CSV injection
    advice: prefix what could start a formula with an apostrophe)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def format_cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return format_number(cell)
    return cell


class Table(BaseModel):
    """A rectangular data table: named columns, rows of typed cells, optional title and units.

    The first column usually holds the labels (categories, years); units record
    what symbol a numeric column carried ('%', '$', '¥').
    """

    model_config = ConfigDict(frozen=True)

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    title: str = ""
    units: dict[str, str] = {}

    @field_validator("columns")
    @classmethod
    def _check_columns(cls, columns: tuple[str, ...]) -> tuple[str, ...]:
        if not columns:
            raise ValueError(later("a table needs at least one column"))
        if len(columns) > MAX_COLUMNS:
            raise ValueError(later("a table may have at most {limit} columns", limit=MAX_COLUMNS))
        return tuple(_unique_names(columns))

    @field_validator("title")
    @classmethod
    def _check_title(cls, title: str) -> str:
        return clean_text(title)[:MAX_TITLE_CHARS]

    @model_validator(mode="after")
    def _check_shape(self) -> Table:
        if len(self.rows) > MAX_ROWS:
            raise ValueError(later("a table may have at most {limit} rows", limit=MAX_ROWS))
        width = len(self.columns)
        for i, row in enumerate(self.rows, start=1):
            if len(row) != width:
                raise ValueError(later("row {row} has {cells} cells but there are {width} columns",
                                       row=i, cells=len(row), width=width))
            for cell in row:
                if isinstance(cell, float) and not math.isfinite(cell):
                    raise ValueError(later("row {row} holds a number that is not finite", row=i))
                if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                    raise ValueError(later("row {row} holds a cell longer than {limit} chars",
                                           row=i, limit=MAX_CELL_CHARS))
        unknown = set(self.units) - set(self.columns)
        if unknown:
            object.__setattr__(
                self, "units", {k: v for k, v in self.units.items() if k in self.columns}
            )
        return self

    @classmethod
    def build(
        cls,
        columns: Sequence[Any],
        rows: Iterable[Sequence[Any]],
        title: str = "",
        units: dict[str, str] | None = None,
    ) -> Table:
        """Build a table from loose values: cells are coerced, short rows padded, units kept.

        The first column keeps its cells as text (labels such as years stay "2021").
        Raises TableError with a person-readable message when no sensible table results.
        """
        names = [clean_text(str(c)) if c is not None else "" for c in columns]
        names = [n or f"Column {i + 1}" for i, n in enumerate(names)]
        if not names:
            raise TableError(later("the table has no columns"))
        if len(names) > MAX_COLUMNS:
            raise TableError(later("a table may have at most {limit} columns", limit=MAX_COLUMNS))
        width = len(names)
        seen_units: dict[int, str] = {}
        typed_rows: list[tuple[Cell, ...]] = []
        for raw in rows:
            cells = list(raw)[:width] + [None] * max(0, width - len(raw))
            typed: list[Cell] = []
            for j, value in enumerate(cells):
                if j == 0 and width > 1:
                    label = None if value is None else clean_text(format_raw(value))
                    typed.append(label[:MAX_CELL_CHARS] if label else None)
                    continue
                cell, unit = coerce_cell(value)
                if unit:
                    seen_units.setdefault(j, unit)
                typed.append(cell)
            if any(c is not None for c in typed):
                typed_rows.append(tuple(typed))
        if not typed_rows:
            raise TableError(later("the table has no rows"))
        merged = dict(units or {})
        for j, unit in seen_units.items():
            merged.setdefault(_unique_names(names)[j], unit)
        try:
            return cls(columns=tuple(names), rows=tuple(typed_rows), title=title, units=merged)
        except ValueError as exc:
            raise TableError(_first_error(exc)) from exc

    @property
    def label_column(self) -> str:
        """The column that names the rows: the first mostly-text column, else the first."""
        for name in self.columns:
            if name not in self.numeric_columns():
                return name
        return self.columns[0]

    def numeric_columns(self) -> list[str]:
        """Columns whose non-empty cells are all numbers (and at least one is)."""
        out = []
        for j, name in enumerate(self.columns):
            values = [row[j] for row in self.rows if row[j] is not None]
            if values and all(isinstance(v, float) for v in values):
                out.append(name)
        return out

    def column(self, name: str) -> list[Cell]:
        j = self.columns.index(name)
        return [row[j] for row in self.rows]

    def to_csv(self) -> str:
        """CSV text. Text that a spreadsheet would run as a formula (a label a chart image
        carried, "=HYPERLINK(…)") is written with a leading apostrophe, so it stays text."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([inert(c) for c in self.columns])
        for row in self.rows:
            writer.writerow([format_number(c, 15) if isinstance(c, float) else inert(format_cell(c))
                             for c in row])
        return buf.getvalue()

    def to_text(self, marked: Collection[tuple[int, int]] = (), mark: str = "?") -> str:
        """The table as aligned monospace text (for a <pre> block); the cells `marked` by
        (row, column) index are followed by `mark`."""
        grid = [list(self.columns)] + [
            [format_cell(c) + (mark if (i, j) in marked else "") for j, c in enumerate(row)]
            for i, row in enumerate(self.rows)]
        widths = [max(display_width(r[j]) for r in grid) for j in range(len(self.columns))]
        numeric = set(self.numeric_columns())
        lines = []
        for i, row in enumerate(grid):
            parts = []
            for j, text in enumerate(row):
                pad = " " * (widths[j] - display_width(text))
                right = self.columns[j] in numeric and i > 0
                parts.append(pad + text if right else text + pad)
            lines.append("  ".join(parts).rstrip())
            if i == 0:
                lines.append("  ".join("─" * w for w in widths))
        return "\n".join(lines)

    def summary(self) -> str:
        """One line, in the language of the moment: what the table holds."""
        n_rows, n_columns = len(self.rows), len(self.columns)
        rows = t("{count} row", count=n_rows) if n_rows == 1 else t("{count} rows", count=n_rows)
        columns = (t("{count} column", count=n_columns) if n_columns == 1
                   else t("{count} columns", count=n_columns))
        names = ", ".join(self.columns)
        if self.title:
            return t("“{title}”: {rows} × {columns} ({names})",
                     title=self.title, rows=rows, columns=columns, names=names)
        return t("{rows} × {columns} ({names})", rows=rows, columns=columns, names=names)


def format_raw(value: Any) -> str:
    if isinstance(value, float):
        return format_number(value)
    return str(value)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _unique_names(names: Sequence[str]) -> list[str]:
    out: list[str] = []
    for raw in names:
        name = clean_text(str(raw))[:MAX_CELL_CHARS] or f"Column {len(out) + 1}"
        candidate, n = name, 2
        while candidate in out:
            candidate, n = f"{name} ({n})", n + 1
        out.append(candidate)
    return out


def _first_error(exc: ValueError) -> str | Phrase:
    """The first problem pydantic found: our own validators' Phrase as it was raised (to be
    said when shown), else pydantic's own English text."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        found = errors()
        if found:
            raised = found[0].get("ctx", {}).get("error")
            if isinstance(raised, ValueError) and isinstance(reason_of(raised), Phrase):
                return reason_of(raised)
            return str(found[0].get("msg", exc)).removeprefix("Value error, ")
    return str(exc)
