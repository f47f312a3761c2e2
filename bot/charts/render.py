"""The trusted chart renderer: a Table and a ChartSpec become a PNG.

Only this module's code draws; a model merely chooses ChartSpec values. Drawing uses
matplotlib's object-oriented API (Figure + FigureCanvasAgg) and never pyplot.
"""

from __future__ import annotations

import asyncio
import io
import logging
import math
import multiprocessing
import os
import pickle
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar, cast

import matplotlib
import numpy as np
import numpy.typing as npt
from matplotlib import colors as mcolors
from matplotlib import font_manager, ticker
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.patches import Wedge
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from matplotlib.typing import ColorType

from bot.charts.cache import RenderCache
from bot.charts.spec import ChartSpec
from bot.conversation import timings
from bot.png import encode_pixels
from bot.tables.table import (
    CURRENCY_SIGNS,
    Cell,
    Table,
    cell_number,
    display_width,
    format_number,
)
from bot.words.wording import noop, t

__all__ = ["ChartRenderer", "build_figure", "prepare_worker", "render_png"]

log = logging.getLogger(__name__)
T = TypeVar("T")

Floats = npt.NDArray[np.float64]
Entries = list[tuple[Artist, str]]
AxisName = Literal["x", "y"]

DPI = 120
ASPECTS: dict[str, tuple[float, float]] = {"wide": (10, 6), "square": (8, 8), "tall": (7, 10)}
PALETTE = (
    "#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F",
    "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC",
)
TITLE_SIZE = 18
SUBTITLE_SIZE = 13
LABEL_SIZE = 14
TICK_SIZE = 13
LEGEND_SIZE = 12
VALUE_SIZE = 12
MAX_VALUE_LABELS = 200
MAX_PIE_LABELS = 8
MAX_PIE_SLICES = 20
MAX_INSIDE_LEGEND = 6
MIN_LABELLED_SLICE = 0.02
MINUS = "\u2212"
OTHER = noop("Other")
"""A pie's slice of the smallest values, past MAX_PIE_SLICES."""

FALLBACK_FONTS = (
    "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Sans CJK TC",
    "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Droid Sans Fallback",
)
_CJK_FONT_FILES = frozenset(
    {"wqy-microhei.ttc", "wqy-zenhei.ttc", "NotoSansCJK-Regular.ttc", "DroidSansFallbackFull.ttf"}
)
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
MAX_REMEMBERED_FONT_LOOKUPS = 512  # a chart uses a dozen (sizes × weights)

# Matplotlib's font caches are shared; in-process renders (workers=0) take turns.
_DRAW_LOCK = threading.Lock()


@dataclass(frozen=True)
class Theme:
    background: str
    text: str
    muted: str
    grid: str
    spine: str


THEMES = {
    "light": Theme("#FFFFFF", "#1F2328", "#57606A", "#E3E6EA", "#9AA1A9"),
    "dark": Theme("#16181D", "#E6E8EB", "#A0A7B1", "#343A43", "#6B7380"),
}


# ---------------------------------------------------------------- matplotlib setup


def _installed_fallback_fonts() -> list[str]:
    """The CJK fallback families matplotlib knows, registering well-known files it missed."""
    known = {f.name for f in font_manager.fontManager.ttflist}
    if not known.intersection(FALLBACK_FONTS):
        for folder in _FONT_DIRS:
            root = Path(folder)
            if root.is_dir():
                for path in root.rglob("*"):
                    if path.name in _CJK_FONT_FILES:
                        font_manager.fontManager.addfont(str(path))
        known = {f.name for f in font_manager.fontManager.ttflist}
    return [name for name in FALLBACK_FONTS if name in known]


def cjk_fonts() -> list[str]:
    """The CJK fallback families charts are drawn with (empty: such labels draw as boxes)."""
    return [family for family in matplotlib.rcParams["font.family"] if family in FALLBACK_FONTS]


class _FallbackFontNoise(logging.Filter):
    """Drops matplotlib's font warnings about the optional fallback fonts (absent, no bold)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        about_fallback = any(isinstance(a, str) and a in FALLBACK_FONTS for a in args)
        return not (str(record.msg).startswith("findfont:") and about_fallback)


def _configure_matplotlib() -> None:
    """Agg backend, no TeX, and a font list with per-glyph fallback to installed CJK fonts.

    Only installed families are listed, so matplotlib never warns about absent ones.
    """
    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    matplotlib.rcParams["text.usetex"] = False
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", *_installed_fallback_fonts()]
    logging.getLogger("matplotlib.font_manager").addFilter(_FallbackFontNoise())


def remember_font_lookups(manager: object | None = None) -> bool:
    """Make matplotlib remember the font files it looks up; False when it cannot.

    Matplotlib looks up the font files for every text it measures or draws, hundreds of times
    a chart, copying the font properties and reading eleven rcParams each time: 5–8 % of a
    render. The answer depends only on the properties (the font settings are made once, above,
    and never change), so it is remembered. This replaces a private method of the process's
    font manager, so only processes that draw charts call it (`prepare_worker`); when a
    matplotlib release no longer has that method, charts are drawn as before, only slower.
    `manager` is matplotlib's font manager unless a test gives another.
    """
    if manager is None:
        manager = font_manager.fontManager
    if "_find_fonts_by_props" in vars(manager):
        return True  # already remembering
    find = getattr(manager, "_find_fonts_by_props", None)
    if not callable(find):
        log.info("matplotlib has no _find_fonts_by_props; font lookups are not remembered")
        return False
    remembered: dict[tuple[object, ...], list[str]] = {}

    def find_fonts(prop: object, fontext: str = "ttf", directory: object = None,
                   fallback_to_default: bool = True, rebuild_if_missing: bool = True
                   ) -> list[str]:
        props = font_manager.FontProperties._from_any(prop)  # type: ignore[attr-defined]
        key = (tuple(props.get_family()), props.get_style(), props.get_variant(),
               props.get_weight(), props.get_stretch(), props.get_size(), props.get_file(),
               props.get_math_fontfamily(), fontext, directory, fallback_to_default,
               rebuild_if_missing)
        paths = remembered.get(key)
        if paths is None:
            if len(remembered) >= MAX_REMEMBERED_FONT_LOOKUPS:
                remembered.clear()
            paths = find(props, fontext, directory, fallback_to_default, rebuild_if_missing)
            remembered[key] = paths
        return list(paths)

    setattr(manager, "_find_fonts_by_props", find_fonts)  # noqa: B010 - replaces a method
    return True


_configure_matplotlib()


# ---------------------------------------------------------------- text helpers


def escape_text(text: str) -> str:
    r"""Make data text literal for matplotlib: every '$' becomes '\$' so mathtext never runs."""
    return text.replace("$", r"\$")


def truncate(text: str, width: int) -> str:
    """Cut text to `width` display columns, ending with '…' when shortened."""
    if display_width(text) <= width:
        return text
    out, used = "", 1
    for ch in text:
        used += display_width(ch)
        if used > width:
            break
        out += ch
    return out.rstrip() + "…"


def truncate_middle(text: str, width: int) -> str:
    """Cut the middle out of text ('Republic of…Number 5') to fit `width` display columns."""
    if display_width(text) <= width:
        return text
    head = truncate(text, (width + 1) // 2 + 1)[:-1]
    tail_room = width - display_width(head) - 1
    tail = ""
    for ch in reversed(text):
        if display_width(ch + tail) > tail_room:
            break
        tail = ch + tail
    return head.rstrip() + "…" + tail.lstrip()


def shorten_all(labels: Sequence[str], width: int) -> list[str]:
    """Truncate labels at the end, or in the middle when that would make distinct ones equal."""
    ends = [truncate(t, width) for t in labels]
    if len(set(ends)) < len(set(labels)):
        return [truncate_middle(t, width) for t in labels]
    return ends


def wrap(text: str, width: int, max_lines: int) -> str:
    """Wrap at spaces (or anywhere in long words and CJK runs) into at most max_lines lines."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if display_width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while display_width(current) > width:
            head = truncate(current, width + 1)[:-1]
            lines.append(head)
            current = current[len(head):]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], truncate(" ".join(lines[max_lines - 1 :]), width)]
    return "\n".join(lines)


def _char_points(size: float) -> float:
    """Rough width of one narrow character at a font size, in points."""
    return 0.62 * size


# ---------------------------------------------------------------- numbers


def _exact_decimals(values: Sequence[float], limit: int) -> int:
    """The fewest decimals (up to limit) that print every value without rounding."""
    for decimals in range(limit + 1):
        if all(abs(round(v, decimals) - v) <= 1e-9 * max(1.0, abs(v)) for v in values):
            return decimals
    return limit


def _compact_scale(magnitude: float) -> tuple[float, str]:
    for divisor, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if magnitude >= divisor:
            return divisor, suffix
    return 1.0, ""


def with_unit(body: str, negative: bool, unit: str) -> str:
    """Attach sign and unit: '12%', '−$1,200', '3 kg'."""
    sign = MINUS if negative else ""
    if not unit:
        return sign + body
    if unit == "%":
        return f"{sign}{body}%"
    if unit in CURRENCY_SIGNS:
        return f"{sign}{unit}{body}"
    return f"{sign}{body} {unit}"


def format_value(
    value: float,
    unit: str = "",
    decimals: int | None = None,
    *,
    scale: tuple[float, str] | None = None,
    group_from: float = 1e3,
) -> str:
    """A number for people: thousands separators, M/B/T above a million, and the unit."""
    divisor, suffix = scale if scale is not None else _compact_scale(abs(value))
    scaled = abs(value) / divisor
    if decimals is None:
        decimals = _exact_decimals([scaled], 2 if scaled >= 1 or suffix else 4)
    grouping = "," if abs(value) >= group_from else ""
    body = f"{scaled:{grouping}.{decimals}f}"
    negative = value < 0 and any(ch in "123456789" for ch in body)
    return with_unit(body + suffix, negative, unit)


class ValueFormatter(ticker.Formatter):
    """Value-axis ticks: separators, compact large numbers, the unit, '$' escaped."""

    def __init__(self, unit: str = "", *, log_scale: bool = False, group_from: float = 1e3):
        self.unit = unit
        self.log_scale = log_scale
        self.group_from = group_from
        self.ticks: list[float] = []

    def set_locs(self, locs: list[float]) -> None:
        super().set_locs(locs)
        self.ticks = [float(v) for v in locs]

    def __call__(self, x: float, pos: int | None = None) -> str:
        locs = self.ticks or [x]
        scale = _compact_scale(max(abs(v) for v in locs))
        if self.log_scale:
            scale = _compact_scale(abs(x))
            decimals = _exact_decimals([abs(x) / scale[0]], 6)
        else:
            decimals = _exact_decimals([abs(v) / scale[0] for v in locs], 6)
        if x == 0:
            decimals, scale = 0, (1.0, "")
        text = format_value(x, self.unit, decimals, scale=scale, group_from=self.group_from)
        return escape_text(text)


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class ChartData:
    """The rows to draw after sorting and top_n; NaN marks a missing number."""

    x: str
    ys: list[str]
    series: list[str]
    x_cells: list[Cell]
    labels: list[str]
    values: dict[str, Floats]

    @property
    def positions(self) -> Floats:
        return np.arange(len(self.labels), dtype=np.float64)


def _value(cell: Cell) -> float:
    number = cell_number(cell)
    return math.nan if number is None else number


def _label(cell: Cell) -> str:
    if cell is None:
        return ""
    return format_number(cell) if isinstance(cell, float) else cell


def _label_key(cell: Cell) -> tuple[int, float, str]:
    number = cell_number(cell)
    if number is not None:
        return 0, number, ""
    return 1, 0.0, _label(cell).casefold()


def _sorted_rows(
    rows: list[tuple[Cell, ...]], sort: str, x_index: int, y_index: int
) -> list[tuple[Cell, ...]]:
    """Sort by the first value column or by label; rows missing the key stay last."""
    if sort == "none":
        return rows
    column = y_index if sort.startswith("value") else x_index
    present = [r for r in rows if r[column] is not None]
    missing = [r for r in rows if r[column] is None]
    if sort.startswith("value"):
        present.sort(key=lambda r: _value(r[column]), reverse=sort == "value_desc")
    else:
        present.sort(key=lambda r: _label_key(r[column]), reverse=sort == "label_desc")
    return present + missing


def prepare(table: Table, spec: ChartSpec) -> ChartData:
    """Pick, sort and trim the rows the chart shows."""
    x = spec.resolved_x(table)
    ys = spec.resolved_y(table)
    series = list(dict.fromkeys([*ys, *spec.secondary_y]))
    index = {name: table.columns.index(name) for name in [x, *series]}
    rows = _sorted_rows(list(table.rows), spec.sort, index[x], index[ys[0]])
    if spec.top_n is not None:
        rows = rows[: spec.top_n]
    values = {name: np.array([_value(r[index[name]]) for r in rows]) for name in series}
    x_cells = [r[index[x]] for r in rows]
    return ChartData(x, ys, series, x_cells, [_label(c) for c in x_cells], values)


def shared_unit(table: Table, columns: Sequence[str]) -> str:
    """The unit all the columns share, or '' when they differ."""
    units = {table.units.get(name, "") for name in columns}
    return units.pop() if len(units) == 1 else ""


def valid_color(color: str | None, fallback: str) -> str:
    return color if color is not None and mcolors.is_color_like(color) else fallback


def contrast_text(color: ColorType) -> str:
    """Dark or white text, whichever reads better on the colour."""
    r, g, b = mcolors.to_rgb(color)
    return "#1F2328" if 0.299 * r + 0.587 * g + 0.114 * b > 0.6 else "#FFFFFF"


# ---------------------------------------------------------------- chart context


@dataclass
class Chart:
    fig: Figure
    ax: Axes
    table: Table
    spec: ChartSpec
    data: ChartData
    theme: Theme
    other: str = OTHER

    def color(self, index: int) -> str:
        """The colour of series (or pie slice) number `index`."""
        chosen = self.spec.colors[index] if index < len(self.spec.colors) else None
        return valid_color(chosen, PALETTE[index % len(PALETTE)])

    def series_color(self, column: str) -> str:
        return self.color(self.data.series.index(column))

    def value_text(self, value: float, column: str) -> str:
        unit = self.table.units.get(column, "")
        return escape_text(format_value(value, unit, self.spec.decimals))

    def wants_value_labels(self, columns: Sequence[str]) -> bool:
        """value_labels is on and the labels would not bury the chart."""
        count = len(self.data.labels) * len(columns)
        return self.spec.value_labels and count <= MAX_VALUE_LABELS


# ---------------------------------------------------------------- axes


def style_axes(ax: Axes, theme: Theme, grid: Literal["x", "y", "both"] | None) -> None:
    ax.set_facecolor(theme.background)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(theme.spine)
    ax.tick_params(which="both", colors=theme.spine, labelcolor=theme.text, labelsize=TICK_SIZE)
    if grid is not None:
        ax.grid(True, axis=grid, color=theme.grid, linewidth=0.8)
        ax.set_axisbelow(True)


def _category_layout(
    labels: Sequence[str], avail_pt: float
) -> tuple[list[str], float, int]:
    """Fit category labels along an x axis: (texts, rotation, step between shown labels)."""
    count = max(1, len(labels))
    pitch = avail_pt / count
    char = _char_points(TICK_SIZE)
    widest = max((display_width(t) for t in labels), default=0)
    if widest * char <= pitch * 0.9:
        return list(labels), 0.0, 1
    columns = int(pitch * 0.9 / char)
    if count <= 6 and columns >= 6:
        return [wrap(t, columns, 3) for t in labels], 0.0, 1
    step = math.ceil(count / max(1, int(avail_pt / (TICK_SIZE * 1.7))))
    return shorten_all(labels, 20), 45.0 if count > 12 else 30.0, step


def category_axis(chart: Chart, ax: Axes, axis: AxisName) -> None:
    """Put the row labels on an axis: wrapped, rotated, truncated and thinned to stay legible."""
    labels = chart.data.labels
    positions = list(range(len(labels)))
    width_in, height_in = chart.fig.get_size_inches()
    if axis == "y":
        avail = float(height_in) * 72 * 0.75
        step = math.ceil(len(labels) / max(1, int(avail / (TICK_SIZE * 1.5))))
        texts = [escape_text(t) for t in shorten_all(labels, 28)]
        ax.set_yticks(positions[::step], labels=texts[::step])
        ax.tick_params(axis="y", length=0)
        return
    fitted, rotation, step = _category_layout(labels, float(width_in) * 72 * 0.85)
    texts = [escape_text(t) for t in fitted]
    if rotation:
        ax.set_xticks(
            positions[::step], labels=texts[::step], rotation=rotation, ha="right",
            rotation_mode="anchor",
        )
    else:
        ax.set_xticks(positions[::step], labels=texts[::step])
    ax.tick_params(axis="x", length=0)


def value_axis(
    chart: Chart, ax: Axes, axis: AxisName, columns: Sequence[str], *, primary: bool = True
) -> None:
    """Scale, limits, tick format and label of a value axis."""
    spec = chart.spec
    log_scale = spec.log_y and primary
    target = ax.yaxis if axis == "y" else ax.xaxis
    if log_scale:
        (ax.set_yscale if axis == "y" else ax.set_xscale)("log")
        target.set_minor_formatter(ticker.NullFormatter())
    if primary:
        low = spec.y_min
        if log_scale and low is not None and low <= 0:
            low = None
        (ax.set_ylim if axis == "y" else ax.set_xlim)(low, spec.y_max)
    unit = shared_unit(chart.table, columns)
    target.set_major_formatter(ValueFormatter(unit, log_scale=log_scale))
    default = columns[0] if len(columns) == 1 else None
    label = (spec.y_label if primary else None) or default
    if label:
        target.set_label_text(escape_text(label), fontsize=LABEL_SIZE, color=chart.theme.text)


def x_axis_label(chart: Chart, ax: Axes, axis: AxisName) -> None:
    label = chart.spec.x_label or chart.data.x
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_label_text(escape_text(label), fontsize=LABEL_SIZE, color=chart.theme.text)


# ---------------------------------------------------------------- value labels


def label_bars(
    chart: Chart, ax: Axes, bars: BarContainer, values: Floats, column: str, *, inside: bool
) -> None:
    texts = [chart.value_text(v, column) if math.isfinite(v) else "" for v in values]
    color = contrast_text(chart.series_color(column)) if inside else chart.theme.text
    ax.bar_label(
        bars, labels=texts, label_type="center" if inside else "edge",
        padding=0 if inside else 3, fontsize=VALUE_SIZE, color=color,
    )


def label_points(
    chart: Chart, ax: Axes, xs: Floats, ys: Floats, column: str, *, at: Floats | None = None
) -> None:
    """Write each value just above its point, or centred on the heights `at` (stacked bands)."""
    if at is None:
        ax.margins(y=0.12)
    heights = ys if at is None else at
    lift, va = (0, "center") if at is not None else (7, "bottom")
    for x, value, height in zip(xs, ys, heights, strict=True):
        if math.isfinite(x) and math.isfinite(value) and math.isfinite(height):
            ax.annotate(
                chart.value_text(float(value), column), (float(x), float(height)),
                xytext=(0, lift), textcoords="offset points", ha="center", va=va,
                fontsize=VALUE_SIZE, color=chart.theme.text,
            )


# ---------------------------------------------------------------- drawers


def draw_bars(chart: Chart, *, horizontal: bool = False, stacked: bool = False) -> Entries:
    ax, data = chart.ax, chart.data
    columns = data.ys
    width = 0.8 if stacked else 0.8 / len(columns)
    above = np.zeros(len(data.labels))
    below = np.zeros(len(data.labels))
    entries: Entries = []
    for i, column in enumerate(columns):
        values = data.values[column]
        base = np.where(values >= 0, above, below) if stacked else np.zeros(len(values))
        offset = 0.0 if stacked else (i - (len(columns) - 1) / 2) * width
        style: dict[str, Any] = {
            "color": chart.series_color(column), "edgecolor": chart.theme.background,
            "linewidth": 0.6 if stacked else 0,
        }
        if horizontal:
            bars = ax.barh(data.positions + offset, values, height=width, left=base, **style)
        else:
            bars = ax.bar(data.positions + offset, values, width=width, bottom=base, **style)
        if stacked:
            filled = np.nan_to_num(values)
            above, below = above + np.maximum(filled, 0), below + np.minimum(filled, 0)
        if chart.wants_value_labels(columns):
            label_bars(chart, ax, bars, values, column, inside=stacked)
        entries.append((bars.patches[0], column))
    if chart.wants_value_labels(columns) and not stacked:
        if horizontal:
            ax.margins(x=0.1)
        else:
            ax.margins(y=0.1)
    value_axis(chart, ax, "x" if horizontal else "y", columns)
    category_axis(chart, ax, "y" if horizontal else "x")
    x_axis_label(chart, ax, "y" if horizontal else "x")
    if horizontal:
        ax.invert_yaxis()
    return entries


def draw_lines(chart: Chart, *, fill: bool = False) -> Entries:
    ax, data = chart.ax, chart.data
    entries: Entries = []
    for column in data.ys:
        values = data.values[column]
        color = chart.series_color(column)
        (line,) = ax.plot(
            data.positions, values, color=color, linewidth=2.5, markersize=6,
            marker="o" if chart.spec.markers else None,
        )
        if fill:
            ax.fill_between(data.positions, values, color=color, alpha=0.25, linewidth=0)
        if chart.wants_value_labels(data.ys):
            label_points(chart, ax, data.positions, values, column)
        entries.append((line, column))
    value_axis(chart, ax, "y", data.ys)
    category_axis(chart, ax, "x")
    x_axis_label(chart, ax, "x")
    return entries


def draw_stacked_area(chart: Chart) -> Entries:
    ax, data = chart.ax, chart.data
    layers = [np.nan_to_num(data.values[c]) for c in data.ys]
    bands = ax.stackplot(
        data.positions, *layers, colors=[chart.series_color(c) for c in data.ys], alpha=0.85,
        edgecolor=chart.theme.background, linewidth=0.8,
    )
    if chart.wants_value_labels(data.ys):
        tops = np.cumsum(layers, axis=0)
        for column, layer, top in zip(data.ys, layers, tops, strict=True):
            label_points(chart, ax, data.positions, data.values[column], column,
                         at=top - layer / 2)
    value_axis(chart, ax, "y", data.ys)
    category_axis(chart, ax, "x")
    x_axis_label(chart, ax, "x")
    return [(band, column) for band, column in zip(bands, data.ys, strict=True)]


def draw_scatter(chart: Chart) -> Entries:
    """Points at numeric x when every x cell reads as a number, else at category positions."""
    ax, data = chart.ax, chart.data
    numbers = [cell_number(c) for c in data.x_cells]
    numeric = any(n is not None for n in numbers) and all(
        n is not None for n, c in zip(numbers, data.x_cells, strict=True) if c is not None
    )
    xs = np.array([math.nan if n is None else n for n in numbers]) if numeric else data.positions
    entries: Entries = []
    for column in data.ys:
        values = data.values[column]
        points = ax.scatter(
            xs, values, s=56, color=chart.series_color(column), alpha=0.9,
            edgecolors=chart.theme.background, linewidths=0.8,
        )
        if chart.wants_value_labels(data.ys):
            label_points(chart, ax, xs, values, column)
        entries.append((points, column))
    value_axis(chart, ax, "y", data.ys)
    if numeric:
        unit = chart.table.units.get(data.x, "")
        ax.xaxis.set_major_formatter(ValueFormatter(unit, group_from=1e4))
    else:
        category_axis(chart, ax, "x")
    x_axis_label(chart, ax, "x")
    return entries


def _slice_label(chart: Chart, value: float, fraction: float, column: str) -> str:
    text = chart.value_text(value, column)
    if chart.table.units.get(column) == "%":
        return text
    return f"{text}\n{fraction:.0%}"


def pie_slices(chart: Chart, column: str) -> list[tuple[str, float, str]]:
    """(name, value, colour) per positive value; past MAX_PIE_SLICES the smallest become one
    slice named `chart.other` ("Other" in the person's language)."""
    values = chart.data.values[column]
    slices = [
        (chart.data.labels[i], float(v), chart.color(i))
        for i, v in enumerate(values) if math.isfinite(v) and v > 0
    ]
    if len(slices) <= MAX_PIE_SLICES:
        return slices
    ranked = sorted(range(len(slices)), key=lambda k: slices[k][1], reverse=True)
    shown = sorted(ranked[: MAX_PIE_SLICES - 1])
    rest = sum(slices[k][1] for k in ranked[MAX_PIE_SLICES - 1 :])
    return [*(slices[k] for k in shown), (chart.other, rest, chart.theme.muted)]


def draw_pie(chart: Chart, *, hole: float = 0.0) -> Entries:
    """One wedge per positive value; names on the wedges when few, else in a legend."""
    ax, column = chart.ax, chart.data.ys[0]
    names, kept, colors = zip(*pie_slices(chart, column), strict=True)
    wedge_style: dict[str, Any] = {"edgecolor": chart.theme.background, "linewidth": 1.5}
    if hole:
        wedge_style["width"] = 1 - hole
    ax.pie(kept, colors=colors, startangle=90, counterclock=False, wedgeprops=wedge_style)
    wedges = [p for p in ax.patches if isinstance(p, Wedge)]
    for wedge in wedges:
        wedge.set_in_layout(False)  # inside the axes' limits; lay_out needs only the labels
    fractions = np.array(kept) / sum(kept)
    on_wedges = chart.spec.legend == "hidden" or (
        chart.spec.legend == "auto" and len(kept) <= MAX_PIE_LABELS
    )
    for wedge, name, value, fraction in zip(wedges, names, kept, fractions, strict=True):
        if fraction < MIN_LABELLED_SLICE:
            continue
        if on_wedges:
            _wedge_text(chart, wedge, 1.12, escape_text(truncate(name, 24)), chart.theme.text)
        if chart.spec.value_labels:
            text = _slice_label(chart, value, float(fraction), column)
            middle = 1 - (1 - hole) / 2 if hole else 0.62
            _wedge_text(chart, wedge, middle, text, contrast_text(wedge.get_facecolor()))
    ax.set_aspect("equal")
    return [] if on_wedges else [(w, n) for w, n in zip(wedges, names, strict=True)]


def _wedge_text(chart: Chart, wedge: Wedge, radius: float, text: str, color: str) -> None:
    angle = math.radians((wedge.theta1 + wedge.theta2) / 2)
    x, y = radius * math.cos(angle), radius * math.sin(angle)
    outside = radius > 1
    ha = ("left" if x >= 0 else "right") if outside else "center"
    chart.ax.text(x, y, text, ha=ha, va="center", fontsize=VALUE_SIZE + (1 if outside else 0),
                  color=color)


def _bar_line_columns(chart: Chart) -> tuple[list[str], list[str]]:
    """Columns drawn as bars and as lines: lines are secondary_y, else the last y column."""
    ys = chart.data.ys
    lines = list(chart.spec.secondary_y) or ys[-1:]
    bars = [c for c in ys if c not in lines]
    if not bars:
        bars, lines = lines[:1], lines[1:] or lines
    return bars, lines


def draw_bar_line(chart: Chart) -> Entries:
    """Grouped bars on the left axis, lines on a second y-axis on the right."""
    ax, data = chart.ax, chart.data
    bars, lines = _bar_line_columns(chart)
    entries = draw_bars(replace(chart, data=replace(data, ys=bars)))
    twin = ax.twinx()
    style_axes(twin, chart.theme, None)
    twin.spines["right"].set_visible(True)
    twin.spines["right"].set_color(chart.theme.spine)
    for column in lines:
        values = data.values[column]
        (line,) = twin.plot(
            data.positions, values, color=chart.series_color(column), linewidth=2.5,
            markersize=6, marker="o" if chart.spec.markers else None,
        )
        if chart.wants_value_labels(lines):
            label_points(chart, twin, data.positions, values, column)
        entries.append((line, column))
    value_axis(chart, twin, "y", lines, primary=False)
    return entries


Drawer = Callable[[Chart], Entries]
DRAWERS: dict[str, Drawer] = {
    "bar": draw_bars,
    "barh": lambda c: draw_bars(c, horizontal=True),
    "stacked_bar": lambda c: draw_bars(c, stacked=True),
    "line": draw_lines,
    "area": lambda c: draw_lines(c, fill=True),
    "stacked_area": draw_stacked_area,
    "scatter": draw_scatter,
    "pie": draw_pie,
    "donut": lambda c: draw_pie(c, hole=0.55),
    "bar_line": draw_bar_line,
}
GRID_AXIS: dict[str, Literal["x", "y", "both"] | None] = {
    "barh": "x", "scatter": "both", "pie": None, "donut": None,
}


# ---------------------------------------------------------------- legend and titles


def _legend_columns(fig: Figure, labels: Sequence[str], *, side: bool) -> int:
    """Columns for a legend: as few as fit the height beside the plot, or the width above it."""
    if side:
        rows = max(1, int(fig.get_figheight() * 72 * 0.8 / (LEGEND_SIZE * 1.75)))
        return math.ceil(len(labels) / rows)
    widest = max((display_width(t) for t in labels), default=1)
    entry_pt = widest * _char_points(LEGEND_SIZE) + 40
    return max(1, min(len(labels), int(fig.get_figwidth() * 72 * 0.9 / entry_pt)))


def add_legend(chart: Chart, entries: Entries) -> Legend | None:
    """Place the legend the spec asks for ('auto': only for more than one series).

    Returns the legend when it sits just above the plot, so the subtitle can clear it.
    """
    where = chart.spec.legend
    if where == "hidden" or not entries or (where == "auto" and len(entries) < 2):
        return None
    handles = [h for h, _ in entries]
    labels = [escape_text(truncate(t, 30)) for _, t in entries]
    style: dict[str, Any] = {
        "fontsize": LEGEND_SIZE, "labelcolor": chart.theme.text, "frameon": False,
    }
    owner = chart.fig.axes[-1]  # topmost axes, so twin lines never cover it
    inside = chart.spec.type not in ("pie", "donut") and len(entries) <= MAX_INSIDE_LEGEND
    if where == "auto" and inside:
        style.update(frameon=True, facecolor=chart.theme.background,
                     edgecolor=chart.theme.grid, framealpha=0.9)
        owner.legend(handles, labels, loc="best", **style)
    elif where == "top":
        return owner.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 1.0),
                            ncols=_legend_columns(chart.fig, labels, side=False), **style)
    elif where == "bottom":  # placed by lay_out, like the two below
        chart.fig.legend(handles, labels, loc="lower center", borderaxespad=0,
                         ncols=_legend_columns(chart.fig, labels, side=False), **style)
    else:
        chart.fig.legend(handles, labels, loc="upper left" if where == "left" else "upper right",
                         borderaxespad=0, ncols=_legend_columns(chart.fig, labels, side=True),
                         **style)
    return None


def add_titles(chart: Chart, top_legend: Legend | None) -> Text | None:
    """Title (spec's, else the table's) above everything, subtitle just above the plot;
    returns the title."""
    spec, fig = chart.spec, chart.fig
    title = spec.title if spec.title is not None else chart.table.title
    columns = int(fig.get_figwidth() * 72 * 0.92 / _char_points(TITLE_SIZE))
    shown = None
    if title:
        shown = fig.suptitle(escape_text(wrap(title, columns, 2)), fontsize=TITLE_SIZE,
                             fontweight="bold", color=chart.theme.text)
    if spec.subtitle:
        pad = 6.0
        if top_legend is not None:
            box = top_legend.get_window_extent()
            pad += box.height * 72 / fig.dpi + 8
        chart.ax.set_title(escape_text(wrap(spec.subtitle, int(columns * 1.3), 2)),
                           fontsize=SUBTITLE_SIZE, color=chart.theme.muted, pad=pad)
    return shown


# ---------------------------------------------------------------- layout


PAD_PT = 3.0
"""Space around the plot's labels, the title and an outside legend (constrained layout's)."""
MAX_LAYOUT_PASSES = 3


def _pixels(ax: Axes) -> Bbox:
    """Where the axes' frame is drawn now (after any fixed aspect), in pixels."""
    return ax.get_position(original=False).transformed(ax.figure.transSubfigure)


def _tick_locations(fig: Figure) -> list[list[float]]:
    return [list(axis.get_majorticklocs()) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)]


def lay_out(chart: Chart, title: Text | None) -> None:
    """Size and place the plot so that every label, title and legend fits the figure.

    What constrained layout finds in two rounds of measuring every text, this finds from one
    measurement of how far the labels reach past the plot's frame: that reach does not depend
    on where the frame is, unless the value axis gets other ticks in its new size or the plot
    keeps a fixed aspect (a pie), and only then is it measured again.
    """
    fig = chart.fig
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    pad = PAD_PT * fig.dpi / 72
    width, height = fig.bbox.width, fig.bbox.height
    area = Bbox.from_extents(pad, pad, width - pad, height - pad)
    if title is not None:
        title.set_y(1 - pad / height)
        area.y1 -= title.get_window_extent(renderer).height + 2 * pad
    for legend in fig.legends:  # an outside legend: beside, or under, the plot's area
        box = legend.get_window_extent(renderer)
        if chart.spec.legend == "bottom":
            strip = Bbox.from_extents(0, pad, width, area.y1)
            area.y0 += box.height + 2 * pad
        elif chart.spec.legend == "left":
            strip = Bbox.from_extents(pad, 0, width, area.y1)
            area.x0 += box.width + 2 * pad
        else:
            strip = Bbox.from_extents(0, 0, width - pad, area.y1)
            area.x1 -= box.width + 2 * pad
        # in figure fractions: an export draws the same figure at another dpi
        legend.set_bbox_to_anchor(strip.transformed(fig.transFigure.inverted()),
                                  transform=fig.transFigure)
    fixed_aspect = any(ax.get_aspect() != "auto" for ax in fig.axes)
    for _ in range(MAX_LAYOUT_PASSES):
        ticks = _tick_locations(fig)
        frame = _pixels(chart.ax)
        reach = Bbox.union([extent for ax in fig.axes
                            if (extent := ax.get_tightbbox(renderer, for_layout_only=True))])
        place = Bbox.from_extents(
            area.x0 + frame.x0 - reach.x0, area.y0 + frame.y0 - reach.y0,
            area.x1 - (reach.x1 - frame.x1), area.y1 - (reach.y1 - frame.y1))
        was = chart.ax.get_position().transformed(fig.transSubfigure)
        for ax in fig.axes:
            ax.set_position(place.transformed(fig.transSubfigure.inverted()))
        if fixed_aspect:  # the labels move with the plot's size: again until it settles
            if abs(place.get_points() - was.get_points()).max() < 1:
                return
        elif _tick_locations(fig) == ticks:
            _pin_axis_labels(fig, frame, place)
            return


def _pin_axis_labels(fig: Figure, measured: Bbox, placed: Bbox) -> None:
    """Keep each axis label where the measuring put it, relative to the plot's frame.

    Matplotlib would otherwise measure every tick label of the axis and of its siblings again
    when drawing, to find the same place. `measured` is the frame the labels were placed
    beside, `placed` the frame's final place (both in pixels).
    """
    for ax in fig.axes:
        x_label, y_label = ax.xaxis.label, ax.yaxis.label
        if x_label.get_text() and ax.xaxis.get_label_position() == "bottom":
            below = x_label.get_position()[1] - measured.y0  # pixels, negative
            ax.xaxis.set_label_coords(0.5, below / placed.height)
        if y_label.get_text():
            if str(ax.yaxis.get_label_position()) == "left":  # typed as the x axis's
                beside = y_label.get_position()[0] - measured.x0
                ax.yaxis.set_label_coords(beside / placed.width, 0.5)
            else:
                beside = y_label.get_position()[0] - measured.x1
                ax.yaxis.set_label_coords(1 + beside / placed.width, 0.5)


# ---------------------------------------------------------------- public API


SCAFFOLD_TICKS = 8
"""Ticks made beforehand on each axis of a chart's plot: enough for most charts (a chart that
needs more makes them as it draws)."""

_scaffolds: dict[tuple[str, str, str | None, int], bytes] = {}


TextKey = tuple[object, ...]
Stamp = tuple[npt.NDArray[np.uint8], int, int]


class _StampRecorder:
    """Stands in for the Agg renderer while a text is drawn: passes every call on, and keeps
    the coverage bitmaps the text was drawn with (a glyph each), relative to its whole-pixel
    origin."""

    def __init__(self, renderer: Any, x: int, y: int) -> None:
        self._renderer, self._x, self._y = renderer, x, y
        self.stamps: list[Stamp] | None = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._renderer, name)

    def draw_text_image(self, image: Any, x: int, y: int, angle: float, gc: Any) -> None:
        self._renderer.draw_text_image(image, x, y, angle, gc)
        if self.stamps is None:
            return
        if not isinstance(image, np.ndarray) or angle or image.ndim != 2:
            self.stamps = None  # drawn in a way this cannot replay: drawn afresh each time
            return
        self.stamps.append((image.astype(np.uint8, copy=True), int(x) - self._x,
                            int(y) - self._y))


class _Renderer(RendererAgg):
    """RendererAgg that draws a text it drew before from the coverage it kept.

    Charts repeat their texts ("2021", "Sales", "0", "20"), and FreeType laying out and
    rendering their glyphs one by one is a third of drawing a chart. Each text is drawn with
    its origin on a whole pixel (at most half a pixel from where matplotlib would put it), so
    the coverage fits any later place; the colour comes from the drawing context each time.
    """

    MAX_TEXTS = 4096

    def __init__(self, width: float, height: float, dpi: float) -> None:
        super().__init__(width, height, dpi)  # type: ignore[no-untyped-call]
        self._texts: dict[TextKey, list[Stamp] | None] = {}

    def draw_text(self, gc: Any, x: float, y: float, s: str, prop: Any, angle: float,
                  ismath: bool | str = False, mtext: Any = None) -> None:
        if ismath or not gc.get_antialiased():
            super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)  # type: ignore[no-untyped-call]
            return
        left, bottom = round(x), round(y)
        key = (s, _font_key(prop), float(angle), getattr(mtext, "get_fontfeatures", None)
               and mtext.get_fontfeatures(), getattr(mtext, "get_language", None)
               and mtext.get_language())
        if key in self._texts:
            stamps = self._texts[key]
            if stamps is not None:  # the same calls as drawing it afresh: the same pixels
                for image, dx, dy in stamps:
                    self._renderer.draw_text_image(image, left + dx, bottom + dy, 0, gc)
                return
        recorder = _StampRecorder(self._renderer, left, bottom)
        self._renderer, agg = recorder, self._renderer
        try:
            super().draw_text(gc, left, bottom, s, prop, angle, ismath, mtext)  # type: ignore[no-untyped-call]
        finally:
            self._renderer = agg
        if len(self._texts) >= self.MAX_TEXTS:
            self._texts.clear()
        self._texts[key] = recorder.stamps


def _font_key(prop: font_manager.FontProperties) -> tuple[object, ...]:
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
            prop.get_stretch(), prop.get_size_in_points(), prop.get_file(),
            prop.get_math_fontfamily())


class _Canvas(FigureCanvasAgg):
    """An Agg canvas drawing on one renderer per chart size, kept by the process.

    Matplotlib remembers the sizes of the texts it measures per renderer; a new renderer per
    chart would measure "2021" or "Sales" again for every chart (and clear a fresh 3 MB
    buffer). Charts are drawn one at a time in a process (see _DRAW_LOCK), and the pixels are
    copied out before the next chart is drawn.
    """

    _renderers: ClassVar[dict[tuple[float, float, float], RendererAgg]] = {}

    def get_renderer(self) -> RendererAgg:
        width, height = self.figure.bbox.size
        key = (float(width), float(height), float(self.figure.dpi))
        renderer = self._renderers.get(key)
        if renderer is None:
            renderer = _Renderer(width, height, self.figure.dpi)
            if self.figure.dpi == DPI:  # the chart sizes; an export's is drawn once
                self._renderers[key] = renderer
        self.renderer = renderer
        return renderer


def _scaffold(aspect: str, theme: str, grid: Literal["x", "y", "both"] | None,
              ticks: int) -> Figure:
    """A new figure holding one empty, styled plot with `ticks` ticks made on each axis.

    Making a plot and its ticks is about a fifth of a chart's time, and the same for every
    chart of a size and theme: the first is pickled, and later ones are copies of it. The
    bytes are this process's own, made here, never from outside.
    """
    key = (aspect, theme, grid, ticks)
    blob = _scaffolds.get(key)
    if blob is None:
        fig = Figure(figsize=ASPECTS[aspect], dpi=DPI, facecolor=THEMES[theme].background)
        ax = fig.add_subplot()
        style_axes(ax, THEMES[theme], grid)
        for spine in ax.spines.values():
            spine.set_in_layout(False)  # the frame; lay_out measures what lies outside it
        ax.xaxis.get_major_ticks(ticks)
        ax.yaxis.get_major_ticks(ticks)
        blob = _scaffolds[key] = pickle.dumps(fig, protocol=pickle.HIGHEST_PROTOCOL)
    fig = pickle.loads(blob)  # noqa: S301 - bytes this process pickled above
    _Canvas(fig)
    return cast(Figure, fig)


def build_figure(table: Table, spec: ChartSpec, *, other: str = OTHER) -> Figure:
    """Draw the chart the spec describes; raises ChartSpecError when it does not fit the table.

    `other` names a pie's slice of the smallest values, in the person's language: charts are
    drawn in worker processes, so the caller says it (`t(OTHER)`).
    """
    spec.check(table)
    data = prepare(table, spec)
    matplotlib.rcParams["text.usetex"] = False
    theme = THEMES[spec.theme]
    grid = GRID_AXIS.get(spec.type, "y") if spec.grid else None
    ticks = 0 if spec.type in ("pie", "donut") else SCAFFOLD_TICKS
    fig = _scaffold(spec.aspect, spec.theme, grid, ticks)
    chart = Chart(fig, fig.axes[0], table, spec, data, theme, other)
    entries = DRAWERS[spec.type](chart)
    lay_out(chart, add_titles(chart, add_legend(chart, entries)))
    return fig


def render_png(table: Table, spec: ChartSpec, *, other: str = OTHER) -> bytes:
    """The chart as PNG bytes; raises ChartSpecError when the spec does not fit the table.

    One draw lays out and paints the figure (`savefig` would draw twice), and the canvas's
    opaque pixels are written by bot/png.py's fast writer.
    """
    with _DRAW_LOCK:
        fig = build_figure(table, spec, other=other)
        fig.canvas.draw()
        canvas = fig.canvas
        assert isinstance(canvas, FigureCanvasAgg)
        # encoded before the next chart draws on the same renderer's buffer
        return encode_pixels(np.asarray(canvas.buffer_rgba()), DPI)  # type: ignore[no-untyped-call]


EXPORT_SCALE = 2  # print size: twice the pixels of the chart sent as a photo


def render_files(table: Table, spec: ChartSpec, *, other: str = OTHER) -> tuple[bytes, bytes]:
    """The chart to keep: a PNG at print size and an SVG whose text stays text (editable in
    Inkscape, Illustrator or slides; text from the table is escaped by matplotlib's writer)."""
    with _DRAW_LOCK:
        fig = build_figure(table, spec, other=other)
        png, svg = io.BytesIO(), io.BytesIO()
        fig.savefig(png, format="png", dpi=DPI * EXPORT_SCALE, metadata={"Software": None})
        with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "replot"}):
            fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return png.getvalue(), svg.getvalue()


def _render_timed(table: Table, spec: ChartSpec, other: str) -> tuple[bytes, float]:
    """render_png and the milliseconds it took where it ran (a worker's own clock)."""
    started = time.perf_counter()
    png = render_png(table, spec, other=other)
    return png, (time.perf_counter() - started) * 1000


WARM_UP_TABLE = Table(columns=("Label", "Value"), rows=(("a", 1.0), ("中", 2.0)), title="$ …")


def _warm_up_render() -> None:
    render_png(WARM_UP_TABLE, ChartSpec(value_labels=True))


def prepare_worker() -> None:
    """Ready this process to draw charts fast: remembered font lookups (see
    `remember_font_lookups`); the bot's render workers and `ChartRenderer(workers=0)` call it."""
    remember_font_lookups()


def _init_worker() -> None:
    """Pool initializer: load fonts and caches before the first real chart."""
    prepare_worker()
    try:
        _warm_up_render()
    except Exception:
        log.exception("chart worker warm-up failed")


def _cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


class ChartRenderer:
    """Renders off the event loop in a process pool sized to the cores.

    workers=0 renders in a thread instead (tests, tiny deployments). A crashed worker
    fails its render with BrokenProcessPool and the pool is rebuilt for the next one.
    """

    def __init__(self, workers: int | None = None, cache: RenderCache | None = None) -> None:
        if workers is not None and workers < 0:
            raise ValueError("workers must be 0 or more")
        self._workers = _cpu_count() if workers is None else workers
        if not self._workers:
            prepare_worker()  # charts are drawn in this process
        self._pool = self._new_pool() if self._workers else None
        self._closed = False
        self.cache = RenderCache() if cache is None else cache

    @property
    def workers(self) -> int:
        """Worker processes (0: charts are drawn in a thread of this process)."""
        return self._workers

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
        )

    async def render(self, table: Table, spec: ChartSpec) -> bytes:
        """PNG bytes of the chart; ChartSpecError from the worker propagates unchanged."""
        if self._closed:
            raise RuntimeError("the chart renderer is closed")
        other = t(OTHER)
        key = self.cache.key(table, spec, other)
        png = self.cache.get(key)
        if png is None:
            png = await self._render(table, spec, other)
            self.cache.put(key, png)
        return png

    async def _render(self, table: Table, spec: ChartSpec, other: str) -> bytes:
        """Render off the loop; the update's timings get `render` (all of it, from asking to
        having the PNG) and `render_wait` (the part spent queued for a worker or passing data)."""
        started = time.perf_counter()
        png, drawing_ms = await self.in_worker(partial(_render_timed, other=other), table, spec)
        total_ms = (time.perf_counter() - started) * 1000
        timings.add("render", total_ms)
        timings.add("render_wait", max(0.0, total_ms - drawing_ms))
        return png

    async def render_files(self, table: Table, spec: ChartSpec) -> tuple[bytes, bytes]:
        """`render_files` (print-size PNG, SVG) off the event loop."""
        with timings.phase("render"):
            return await self.in_worker(partial(render_files, other=t(OTHER)), table, spec)

    async def in_worker(self, work: Callable[..., T], *args: Any) -> T:
        """`work(*args)` in a worker (or a thread when there are none): drawing, and other
        blocking work on pictures (the read check's rescaled copy of a photo), which would
        otherwise hold the bot's own process and slow every other chat's reply. `work` and
        its arguments must pickle. A crashed worker fails this call and the pool is rebuilt
        for the next one."""
        if self._closed:
            raise RuntimeError("the chart renderer is closed")
        pool = self._pool
        try:
            if pool is None:
                return await asyncio.to_thread(work, *args)
            return await asyncio.get_running_loop().run_in_executor(pool, work, *args)
        except BrokenProcessPool:
            if pool is not None and self._pool is pool and not self._closed:
                pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
            raise

    async def warm_up(self) -> None:
        """Start every worker and render a tiny chart in each, so the first real one is fast."""
        spec = ChartSpec(value_labels=True)
        jobs = [self._render(WARM_UP_TABLE, spec, OTHER) for _ in range(max(1, self._workers))]
        await asyncio.gather(*jobs)

    def close(self) -> None:
        """Stop the workers; pending renders are cancelled."""
        self._closed = True
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
