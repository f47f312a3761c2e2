"""ChartSpec: the validated description of a chart. Model output chooses values here, never code."""

from __future__ import annotations

import re
from typing import Any, Literal

from matplotlib.colors import is_color_like
from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.tables.parsing import canonical_choice
from bot.tables.table import Table
from bot.words.wording import Phrase, later

ChartType = Literal[
    "bar", "barh", "stacked_bar", "line", "area", "stacked_area", "scatter", "pie", "donut",
    "bar_line",
]
CHART_TYPES: tuple[str, ...] = ChartType.__args__  # type: ignore[attr-defined]
Sort = Literal["none", "value_asc", "value_desc", "label_asc", "label_desc"]
Legend = Literal["auto", "hidden", "top", "bottom", "right", "left"]

_ALIASES = {
    "column": "bar", "columns": "bar", "vbar": "bar", "grouped_bar": "bar", "bars": "bar",
    "horizontal_bar": "barh", "hbar": "barh", "stacked": "stacked_bar",
    "stacked_column": "stacked_bar", "lines": "line", "line_chart": "line",
    "area_chart": "area", "points": "scatter", "dot": "scatter", "pie_chart": "pie",
    "doughnut": "donut", "ring": "donut", "combo": "bar_line", "bar+line": "bar_line",
}
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_NAMED = re.compile(r"^[a-z]{3,20}$")
MAX_LABEL_CHARS = 120
MAX_BARS = 1500  # more is unreadable, and slow to draw (500×39 bars took 13.5 s)


class ChartSpecError(ValueError):
    """The spec does not fit the table; the message is safe to show to a person.

    It is a Phrase, said in the person's language when the exception is shown: it may be
    raised in a chart worker process and shown in the bot's.
    """


class ChartSpec(BaseModel):
    """What to draw. Every field has a safe default; unknown keys from a model are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    type: ChartType = "bar"
    x: str | None = Field(default=None, description="label column; default: the table's labels")
    y: tuple[str, ...] = Field(default=(), description="value columns; default: all numeric")
    title: str | None = Field(default=None, max_length=MAX_LABEL_CHARS)
    subtitle: str | None = Field(default=None, max_length=MAX_LABEL_CHARS)
    x_label: str | None = Field(default=None, max_length=MAX_LABEL_CHARS)
    y_label: str | None = Field(default=None, max_length=MAX_LABEL_CHARS)
    sort: Sort = "none"
    top_n: int | None = Field(default=None, ge=1, le=500)
    log_y: bool = False
    y_min: float | None = None
    y_max: float | None = None
    value_labels: bool = False
    decimals: int | None = Field(default=None, ge=0, le=6)
    legend: Legend = "auto"
    colors: tuple[str, ...] = Field(default=(), max_length=40)
    theme: Literal["light", "dark"] = "light"
    markers: bool = True
    grid: bool = True
    aspect: Literal["wide", "square", "tall"] = "wide"
    secondary_y: tuple[str, ...] = Field(default=(), description="bar_line: columns drawn as lines")

    @field_validator("type", mode="before")
    @classmethod
    def _alias_type(cls, value: object) -> object:
        return canonical_choice(value, _ALIASES)

    @field_validator("y", "secondary_y", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        if isinstance(value, str):
            return (value,)
        return value

    @field_validator("colors")
    @classmethod
    def _check_colors(cls, colors: tuple[str, ...]) -> tuple[str, ...]:
        out = []
        for c in colors:
            name = c.strip().lower().replace(" ", "")
            if not (_HEX.match(name) or (_NAMED.match(name) and is_color_like(name))):
                raise ValueError(f"colour {c!r} is not a colour name or #hex code")
            out.append(name)
        return tuple(out)

    def resolved_x(self, table: Table) -> str:
        return self.x if self.x in table.columns else table.label_column

    def resolved_y(self, table: Table) -> list[str]:
        if self.y:
            return list(self.y)
        x = self.resolved_x(table)
        return [c for c in table.numeric_columns() if c != x]

    def check(self, table: Table) -> None:
        """Raise ChartSpecError when this chart cannot be drawn from the table."""
        if self.x is not None and self.x not in table.columns:
            raise ChartSpecError(later("there is no column called “{name}”", name=self.x))
        numeric = set(table.numeric_columns())
        ys = self.resolved_y(table)
        for name in (*ys, *self.secondary_y):
            if name not in table.columns:
                raise ChartSpecError(later("there is no column called “{name}”", name=name))
            if name not in numeric:
                raise ChartSpecError(later("column “{name}” does not hold numbers", name=name))
        if not ys:
            raise ChartSpecError(later("the table has no column of numbers to draw"))
        values = [v for name in ys for v in table.column(name) if isinstance(v, float)]
        if self.type in ("pie", "donut"):
            drawn = [v for v in table.column(ys[0]) if isinstance(v, float)]
            if any(v < 0 for v in drawn):
                raise ChartSpecError(later("a pie chart cannot show negative numbers"))
            if not any(v > 0 for v in drawn):
                raise ChartSpecError(later("a pie chart needs at least one positive number"))
        if self.log_y and any(v <= 0 for v in values):
            raise ChartSpecError(later("a log scale needs every value above zero"))
        if self.y_min is not None and self.y_max is not None and self.y_min >= self.y_max:
            raise ChartSpecError(later("the axis minimum must be below its maximum"))
        if self.type == "bar_line" and not self.secondary_y and len(ys) < 2:
            raise ChartSpecError(later("a bar-and-line chart needs two columns of numbers"))
        if self.type in ("bar", "barh", "stacked_bar", "bar_line"):
            bars = min(len(table.rows), self.top_n or len(table.rows)) * len(ys)
            if bars > MAX_BARS:
                raise ChartSpecError(later(
                    "{bars} bars are too many to draw; show fewer rows or use a line chart",
                    bars=f"{bars:,}"))


BAR_TYPES = ("bar", "barh", "stacked_bar", "bar_line")
FEW_BAR_ROWS = 60  # up to this many rows, trimming columns keeps bars readable
MAX_FALLBACK_SERIES = 8


def following(spec: ChartSpec, table: Table, renamed: dict[str, str],
              removed: frozenset[str] = frozenset(), reshaped: bool = False) -> ChartSpec:
    """The spec after the table's columns were renamed or removed (or the table turned):
    settings that name columns follow them, or fall back to their defaults."""
    if reshaped:
        return spec.model_copy(update={"x": None, "y": (), "secondary_y": ()})

    def moved(name: str) -> str | None:
        name = renamed.get(name, name)
        return name if name in table.columns and name not in removed else None

    x = moved(spec.x) if spec.x else None
    y = tuple(n for n in (moved(c) for c in spec.y) if n)
    secondary = tuple(n for n in (moved(c) for c in spec.secondary_y) if n)
    return spec.model_copy(update={"x": x, "y": y, "secondary_y": secondary})


def fit_chart(table: Table, spec: ChartSpec) -> tuple[ChartSpec, Phrase | None]:
    """The spec when it can be drawn from the table; else the nearest chart that can, and a
    note saying what was chosen and how to change it. A table is never refused for its chart.
    """
    try:
        spec.check(table)
        return spec, None
    except ChartSpecError as exc:
        reason = exc.args[0]
    ys = spec.resolved_y(table)
    numeric = set(table.numeric_columns())
    rows = min(len(table.rows), spec.top_n or len(table.rows))
    too_many_bars = spec.type in BAR_TYPES and all(n in numeric for n in ys) and ys and (
        rows * len(ys) > MAX_BARS)
    if too_many_bars:
        if rows <= FEW_BAR_ROWS:
            shown = max(1, min(MAX_FALLBACK_SERIES, MAX_BARS // max(rows, 1)))
            fewer = spec.model_copy(update={"y": tuple(ys[:shown]), "secondary_y": ()})
            if _draws(fewer, table):
                return fewer, later("This shows the first {shown} of {count} value columns; "
                                    "tell me which ones you want to see.",
                                    shown=shown, count=len(ys))
        line = spec.model_copy(update={"type": "line", "secondary_y": (), "markers": False,
                                       "y": tuple(ys[:MAX_FALLBACK_SERIES])})
        if _draws(line, table):
            note = later("{rows} rows are too many to draw as bars, so this is a line chart; "
                         "say “bar chart of the top 20” to see bars.", rows=rows)
            if len(ys) > MAX_FALLBACK_SERIES:
                note = later("{first} This shows the first {shown} of {count} value columns.",
                             first=note, shown=MAX_FALLBACK_SERIES, count=len(ys))
            return line, note
    for candidate in _fallbacks(spec, table):
        if _draws(candidate, table):
            return candidate, later("I couldn't draw the chart as it was ({reason}), so I drew "
                                    "one that fits; tell me what you'd like instead.",
                                    reason=reason)
    raise ChartSpecError(reason)


def _fallbacks(spec: ChartSpec, table: Table) -> list[ChartSpec]:
    numeric = [c for c in table.numeric_columns() if c != table.label_column]
    out = [
        spec.model_copy(update={"log_y": False, "y_min": None, "y_max": None}),
        ChartSpec(type=spec.type),
        ChartSpec(type="bar"),
        ChartSpec(type="line"),
    ]
    if numeric:
        out.append(ChartSpec(type="line", y=tuple(numeric[:MAX_FALLBACK_SERIES])))
    return out


def _draws(spec: ChartSpec, table: Table) -> bool:
    try:
        spec.check(table)
    except ChartSpecError:
        return False
    return True


_PORTABLE_KEYWORDS = frozenset({"type", "enum", "anyOf", "items", "properties", "description"})


def spec_json_schema() -> dict[str, Any]:
    """ChartSpec as the JSON schema of an answer's "chart", for guided decoding.

    Every setting is optional (an answer names only those it changes) and only keywords every
    structured-output backend takes are kept: the limits (lengths, ranges) are checked when
    the answer is validated, and a backend that refuses a keyword would turn structured output
    off for every request.
    """
    properties = ChartSpec.model_json_schema()["properties"]
    return {"type": "object",
            "properties": {name: _portable(field) for name, field in properties.items()}}


def _portable(schema: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for key, value in schema.items():
        if key not in _PORTABLE_KEYWORDS:
            continue
        if key == "properties":
            value = {name: _portable(field) for name, field in value.items()}
        elif key == "items":
            value = _portable(value)
        elif key == "anyOf":
            value = [_portable(option) for option in value]
        kept[key] = value
    return kept
