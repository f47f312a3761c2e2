"""The chart renderer: every chart type, its options, safety of data text, and the process pool."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from matplotlib import cbook, font_manager
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle, Wedge
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from PIL import Image

from bot.charts.render import (
    DPI,
    OTHER,
    ChartRenderer,
    build_figure,
    prepare_worker,
    remember_font_lookups,
    render_png,
)
from bot.charts.spec import CHART_TYPES, ChartSpec, ChartSpecError
from bot.tables.table import Table
from bot.words.wording import speaking, t

SIZES_IN = {"wide": (10, 6), "square": (8, 8), "tall": (7, 10)}


def sales() -> Table:
    return Table.build(
        ["Region", "Sales", "Profit"],
        [
            ["North", "$1,200", "$300"],
            ["South", "$950", None],
            ["East", "$1,800", "$420"],
            ["West", "$400", "-$20"],
        ],
        title="Sales by region",
    )


def shares() -> Table:
    return Table.build(
        ["Party", "Share"], [["Red", "40%"], ["Blue", "35%"], ["Green", "25%"]], title="Votes"
    )


def spec_for(chart_type: str, **options: object) -> ChartSpec:
    y = ("Sales",) if chart_type in ("pie", "donut") else ("Sales", "Profit")
    return ChartSpec.model_validate({"type": chart_type, "y": y, **options})


def png_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        image.load()
        return image.size


def bars(ax: Axes) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def wedges(fig: Figure) -> list[Wedge]:
    return [p for p in fig.axes[0].patches if isinstance(p, Wedge)]


def texts(fig: Figure) -> list[str]:
    found = fig.findobj(Text)
    return [t.get_text() for t in found if isinstance(t, Text) and t.get_text()]


def tick_labels(fig: Figure, axis: str = "y", index: int = 0) -> list[str]:
    fig.canvas.draw()
    ax = fig.axes[index]
    ticks = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in ticks if t.get_text()]


# ---------------------------------------------------------------- every type renders


@pytest.mark.parametrize("chart_type", CHART_TYPES)
def test_every_chart_type_renders_a_png_of_the_aspect_size(chart_type: str) -> None:
    png = render_png(sales(), spec_for(chart_type, value_labels=True, subtitle="Q3"))
    assert png_size(png) == (10 * DPI, 6 * DPI)


@pytest.mark.parametrize("aspect", ["wide", "square", "tall"])
def test_aspect_sets_the_image_size(aspect: str) -> None:
    png = render_png(sales(), ChartSpec(aspect=aspect, theme="dark"))
    width, height = SIZES_IN[aspect]
    assert png_size(png) == (width * DPI, height * DPI)


@pytest.mark.parametrize("chart_type", CHART_TYPES)
def test_missing_cells_are_gaps_not_crashes(chart_type: str) -> None:
    table = Table.build(
        ["Label", "A", "B"],
        [["one", 1, None], [None, 2, 3], ["three", None, 4], ["four", 5, None]],
    )
    spec = ChartSpec.model_validate(
        {"type": chart_type, "value_labels": True, "sort": "value_desc"}
    )
    assert png_size(render_png(table, spec)) == (10 * DPI, 6 * DPI)


# ---------------------------------------------------------------- data selection


def test_value_desc_sorts_bars_and_puts_missing_last() -> None:
    fig = build_figure(sales(), ChartSpec(y=("Profit",), sort="value_desc"))
    heights = [b.get_height() for b in bars(fig.axes[0])]
    present = [h for h in heights if h == h]
    assert present == sorted(present, reverse=True)
    assert tick_labels(fig, "x") == ["East", "North", "West", "South"]


def test_label_sort_is_numeric_aware() -> None:
    table = Table.build(["Year", "N"], [["2010", 1], ["9", 2], ["100", 3]])
    fig = build_figure(table, ChartSpec(sort="label_asc"))
    assert tick_labels(fig, "x") == ["9", "100", "2010"]


def test_top_n_keeps_n_bars_after_sorting() -> None:
    fig = build_figure(sales(), ChartSpec(y=("Sales",), sort="value_asc", top_n=2))
    assert [b.get_height() for b in bars(fig.axes[0])] == [400, 950]


def test_grouped_bars_draw_one_bar_per_cell() -> None:
    fig = build_figure(sales(), ChartSpec(type="bar"))
    assert len(bars(fig.axes[0])) == 8


def test_stacked_bars_sit_on_the_previous_series() -> None:
    table = Table.build(["L", "A", "B"], [["x", 1, 2], ["y", 3, 4]])
    fig = build_figure(table, ChartSpec(type="stacked_bar"))
    second = bars(fig.axes[0])[2:]
    assert [b.get_y() for b in second] == [1, 3]


def test_barh_puts_values_on_the_x_axis_first_row_on_top() -> None:
    fig = build_figure(sales(), ChartSpec(type="barh", y=("Sales",)))
    ax = fig.axes[0]
    assert [b.get_width() for b in bars(ax)] == [1200, 950, 1800, 400]
    assert ax.yaxis_inverted()


def test_scatter_uses_numeric_x_when_labels_are_numbers() -> None:
    table = Table.build(["Year", "Users"], [["2019", 5], ["2021", 9], ["2024", 20]])
    fig = build_figure(table, ChartSpec(type="scatter"))
    points = fig.axes[0].collections[0].get_offsets()
    assert [float(x) for x in points[:, 0]] == [2019, 2021, 2024]


def test_line_markers_follow_the_spec() -> None:
    with_markers = build_figure(sales(), ChartSpec(type="line", markers=True))
    without = build_figure(sales(), ChartSpec(type="line", markers=False))
    assert with_markers.axes[0].lines[0].get_marker() == "o"
    assert without.axes[0].lines[0].get_marker() in (None, "None", "")


# ---------------------------------------------------------------- axes


def test_log_y_sets_the_value_scale() -> None:
    fig = build_figure(sales(), ChartSpec(y=("Sales",), log_y=True))
    assert fig.axes[0].get_yscale() == "log"


def test_axis_limits_follow_the_spec() -> None:
    fig = build_figure(sales(), ChartSpec(y=("Sales",), y_min=0, y_max=5000))
    assert fig.axes[0].get_ylim() == (0, 5000)


def test_value_axis_shows_currency_with_separators() -> None:
    fig = build_figure(sales(), ChartSpec(y=("Sales",), y_max=2000))
    labels = tick_labels(fig)
    assert r"\$1,000" in labels
    assert r"\$2,000" in labels


def test_value_axis_shows_percent() -> None:
    labels = tick_labels(build_figure(shares(), ChartSpec(y_min=0, y_max=40)))
    assert "0%" in labels
    assert "40%" in labels


def test_large_values_use_compact_suffixes() -> None:
    table = Table.build(["Y", "Users"], [["a", 1_000_000], ["b", 4_000_000]])
    labels = tick_labels(build_figure(table, ChartSpec(y_min=0, y_max=4e6)))
    assert labels[:3] == ["0", "0.5M", "1.0M"]
    assert labels[-1] == "4.0M"


def test_default_titles_and_axis_labels() -> None:
    fig = build_figure(sales(), ChartSpec(y=("Sales",), subtitle="Q3 2024"))
    ax = fig.axes[0]
    assert fig.get_suptitle() == "Sales by region"
    assert ax.get_title() == "Q3 2024"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Region", "Sales")


def test_spec_titles_and_labels_override_defaults() -> None:
    spec = ChartSpec(y=("Sales",), title="Mine", x_label="Where", y_label="How much")
    fig = build_figure(sales(), spec)
    assert fig.get_suptitle() == "Mine"
    assert (fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()) == ("Where", "How much")


def test_grid_can_be_turned_off() -> None:
    on = build_figure(sales(), ChartSpec(grid=True)).axes[0]
    off = build_figure(sales(), ChartSpec(grid=False)).axes[0]
    assert any(line.get_visible() for line in on.get_ygridlines())
    assert not any(line.get_visible() for line in off.get_ygridlines())


def test_many_long_labels_are_rotated_thinned_and_truncated() -> None:
    table = Table.build(
        ["Country", "GDP"], [[f"Republic of Somewhere Number {i}", i + 1] for i in range(60)]
    )
    fig = build_figure(table, ChartSpec())
    ticks = [t for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert 5 < len(ticks) < 60
    assert all(t.get_rotation() >= 30 for t in ticks)
    assert all("…" in t.get_text() for t in ticks)
    assert len({t.get_text() for t in ticks}) == len(ticks)


def test_few_short_labels_stay_horizontal() -> None:
    ticks = build_figure(sales(), ChartSpec()).axes[0].get_xticklabels()
    assert [t.get_text() for t in ticks] == ["North", "South", "East", "West"]
    assert all(t.get_rotation() == 0 for t in ticks)


def test_tick_labels_are_readable_on_a_phone() -> None:
    fig = build_figure(sales(), ChartSpec())
    ticks = [*fig.axes[0].get_xticklabels(), *fig.axes[0].get_yticklabels()]
    assert min(t.get_fontsize() for t in ticks) >= 12
    title = fig.get_suptitle()
    assert title
    assert fig.texts[0].get_fontsize() > 12


# ---------------------------------------------------------------- pie, donut, bar_line


def test_pie_has_one_wedge_per_row() -> None:
    assert len(wedges(build_figure(shares(), ChartSpec(type="pie")))) == 3


def test_pie_skips_empty_and_zero_rows() -> None:
    table = Table.build(["L", "V"], [["a", 1], ["b", 0], ["c", None], ["d", 2]])
    assert len(wedges(build_figure(table, ChartSpec(type="pie")))) == 2


def test_donut_wedges_leave_a_hole() -> None:
    found = wedges(build_figure(shares(), ChartSpec(type="donut")))
    assert len(found) == 3
    assert all(w.width is not None and w.width < 1 for w in found)


def test_pie_with_very_many_slices_folds_the_rest_into_other() -> None:
    table = Table.build(["L", "V"], [[f"r{i}", i + 1] for i in range(40)])
    fig = build_figure(table, ChartSpec(type="pie"))
    assert len(wedges(fig)) == 20
    assert "Other" in texts(fig)


def test_bar_line_has_two_y_axes_with_the_last_column_as_line() -> None:
    fig = build_figure(sales(), ChartSpec(type="bar_line"))
    bar_ax, line_ax = fig.axes
    assert len(bars(bar_ax)) == 4
    assert len(line_ax.lines) == 1
    assert line_ax.get_ylabel() == "Profit"


def test_bar_line_draws_secondary_columns_as_lines() -> None:
    fig = build_figure(sales(), ChartSpec(type="bar_line", secondary_y=("Sales",)))
    bar_ax, line_ax = fig.axes
    heights = [b.get_height() for b in bars(bar_ax)]
    assert [h if h == h else None for h in heights] == [300, None, 420, -20]  # NaN: a gap
    assert len(line_ax.lines) == 1


# ---------------------------------------------------------------- layout: nothing clipped, covered


Box = tuple[str, Bbox]


def drawn_boxes(fig: Figure) -> tuple[list[Box], list[Bbox]]:
    """After drawing: (name, pixel box) of every title, axis label, tick label and legend,
    and the plot frames."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes: list[Box] = [("title", t.get_window_extent(renderer)) for t in fig.texts
                        if t.get_text()]
    boxes += [("outside legend", legend.get_window_extent(renderer)) for legend in fig.legends]
    frames = []
    for number, ax in enumerate(fig.axes):
        if ax.axison:
            frames.append(ax.bbox)
        if ax.title.get_text():
            boxes.append(("subtitle", ax.title.get_window_extent(renderer)))
        legend = ax.get_legend()
        if legend is not None:
            boxes.append((f"legend {number}", legend.get_window_extent(renderer)))
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            if axis.label.get_text():
                boxes.append((f"{name} label {number}", axis.label.get_window_extent(renderer)))
            boxes += [(f"{name} ticks {number}" + (" rotated" if label.get_rotation() else ""),
                       label.get_window_extent(renderer)) for label in drawn_tick_labels(axis)]
        boxes += [("text", t.get_window_extent(renderer)) for t in ax.texts if t.get_text()]
    return boxes, frames


def drawn_tick_labels(axis: Axis) -> list[Text]:
    """The tick labels drawn on an axis: those of ticks inside its view, with text."""
    locations = axis.get_majorticklocs()
    low, high = sorted(axis.get_view_interval())
    margin = (high - low) * 1e-9
    return [label for tick, location in zip(axis.get_major_ticks(len(locations)), locations,
                                            strict=True)
            if low - margin <= location <= high + margin
            for label in (tick.label1, tick.label2) if label.get_visible() and label.get_text()]


def layout_faults(fig: Figure) -> list[str]:
    """Texts cut by the figure's edge, texts of different kinds covering each other, and
    outside legends or axis labels covering the plot."""
    boxes, frames = drawn_boxes(fig)
    edge = fig.bbox.padded(0.5)
    faults = [f"{name} is cut: {box}" for name, box in boxes
              if not (edge.contains(box.x0, box.y0) and edge.contains(box.x1, box.y1))]
    for i, (name, box) in enumerate(boxes):
        for other, box2 in boxes[i + 1:]:
            # a rotated label's box is larger than its letters: it may reach the other axis'
            rotated = "rotated" in name + other and "ticks" in name and "ticks" in other
            if name != other and "text" not in (name, other) and not rotated \
                    and box.overlaps(box2):
                faults.append(f"{name} covers {other}")
        if name in ("outside legend", "title") or "label" in name:
            faults += [f"{name} covers the plot" for frame in frames if frame.overlaps(box)]
    return faults


LONG_NAMES = [f"Republic of Somewhere Number {i}" for i in range(40)]
LAYOUT_CASES = {
    "bar": (sales(), ChartSpec(subtitle="Q3", value_labels=True)),
    "long title": (Table.build(["Year", "Sales"], [["2021", 5], ["2022", 7]],
                               title="A very long title " * 8), ChartSpec(subtitle="and " * 29)),
    "many long labels": (Table.build(["Country", "GDP"], [[n, i * 1000.5] for i, n in
                                                          enumerate(LONG_NAMES)]),
                         ChartSpec(value_labels=True)),
    "long labels, few": (Table.build(["Country", "GDP"], [[n, i] for i, n in
                                                          enumerate(LONG_NAMES[:4])]),
                         ChartSpec(type="line", aspect="tall")),
    "barh long labels": (Table.build(["Country", "GDP"], [[n, i] for i, n in
                                                          enumerate(LONG_NAMES[:25])]),
                         ChartSpec(type="barh", value_labels=True, aspect="square")),
    "cjk": (Table.build(["城市", "人口（万）", "面积（平方公里）"],
                        [["北京市", 2189, 16410], ["上海市", 2487, 6340], ["Москва", 1260, 2511]],
                        title="中国城市人口与面积"),
            ChartSpec(type="bar_line", subtitle="数据来源：统计局", value_labels=True)),
    "secondary axis": (sales(), ChartSpec(type="bar_line", y_label="Revenue in dollars")),
    "legend top": (sales(), ChartSpec(legend="top", subtitle="in dollars", theme="dark")),
    "legend bottom": (sales(), ChartSpec(type="stacked_bar", legend="bottom")),
    "legend left": (sales(), ChartSpec(type="barh", legend="left", aspect="tall")),
    "legend right": (sales(), ChartSpec(type="line", legend="right", aspect="square")),
    "legend right, cjk": (Table.build(["月", "北京的销售额", "上海的销售额"],
                                      [[f"{m}月", m, m * 2] for m in range(1, 13)]),
                          ChartSpec(type="area", legend="right")),
    "pie": (shares(), ChartSpec(type="pie", value_labels=True)),
    "pie, long names": (Table.build(["Party", "Share"], [[n, i + 1] for i, n in
                                                         enumerate(LONG_NAMES[:8])]),
                        ChartSpec(type="pie", subtitle="Seats")),
    "donut, many slices": (Table.build(["L", "V"], [[n, i + 1] for i, n in
                                                    enumerate(LONG_NAMES[:30])],
                                       title="Many slices"),
                           ChartSpec(type="donut", aspect="tall")),
    "log scale, big numbers": (Table.build(["Year", "Users"], [[str(2000 + i), 10 ** i]
                                                               for i in range(12)]),
                               ChartSpec(type="line", log_y=True, value_labels=True)),
}


@pytest.mark.parametrize("case", LAYOUT_CASES)
def test_no_label_is_clipped_or_covered(case: str) -> None:
    table, spec = LAYOUT_CASES[case]
    assert layout_faults(build_figure(table, spec)) == []


@pytest.mark.parametrize("case", ["legend bottom", "legend left", "legend right, cjk",
                                  "secondary axis", "donut, many slices"])
def test_the_print_size_export_keeps_the_layout(case: str) -> None:
    """/export draws the same figure at twice the dpi (and the SVG at 72)."""
    table, spec = LAYOUT_CASES[case]
    fig = build_figure(table, spec)
    for dpi in (2 * DPI, 72):
        fig.set_dpi(dpi)
        assert layout_faults(fig) == []


def test_layout_faults_are_found() -> None:
    """The check above is meaningful: a label pushed off the figure, or onto another, is
    reported."""
    fig = build_figure(sales(), ChartSpec(subtitle="Q3"))
    fig.axes[0].set_position((0.0, 0.0, 1.0, 0.99))
    faults = layout_faults(fig)
    assert any("cut" in fault for fault in faults)
    assert "title covers the plot" in faults


def test_the_plot_fills_the_figure_left_by_its_labels() -> None:
    """The plot is not shrunk more than its labels need: at most a few points of each edge's
    margin is not taken by a label, title or legend."""
    fig = build_figure(sales(), ChartSpec(legend="right", y_label="Money"))
    boxes, frames = drawn_boxes(fig)
    everything = Bbox.union([frame for frame in frames] + [box for _, box in boxes])
    slack = 12 * DPI / 72
    assert everything.x0 < slack and everything.y0 < slack
    assert fig.bbox.x1 - everything.x1 < slack and fig.bbox.y1 - everything.y1 < slack


# ---------------------------------------------------------------- legend, colours, theme


def test_legend_hidden_shows_none() -> None:
    fig = build_figure(sales(), ChartSpec(legend="hidden"))
    assert fig.axes[0].get_legend() is None
    assert not fig.legends


def test_auto_legend_only_with_several_series() -> None:
    single = build_figure(sales(), ChartSpec(y=("Sales",)))
    several = build_figure(sales(), ChartSpec())
    assert single.axes[0].get_legend() is None
    legend = several.axes[0].get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["Sales", "Profit"]


@pytest.mark.parametrize("where", ["bottom", "right", "left"])
def test_legend_outside_the_plot(where: str) -> None:
    fig = build_figure(sales(), ChartSpec(legend=where))
    assert len(fig.legends) == 1


def test_legend_on_top_clears_the_subtitle() -> None:
    fig = build_figure(sales(), ChartSpec(legend="top", subtitle="Q3"))
    fig.canvas.draw()
    ax = fig.axes[0]
    legend = ax.get_legend()
    assert legend is not None
    assert ax.title.get_window_extent().y0 >= legend.get_window_extent().y1


def test_colours_are_applied_per_series() -> None:
    fig = build_figure(sales(), ChartSpec(colors=("#ff0000", "navy")))
    faces = [b.get_facecolor() for b in bars(fig.axes[0])]
    assert faces[:4] == [to_rgba("#ff0000")] * 4
    assert faces[4:] == [to_rgba("navy")] * 4


def test_pie_colours_are_applied_per_slice() -> None:
    colours = ("red", "blue", "green")
    fig = build_figure(shares(), ChartSpec(type="pie", colors=colours))
    assert [w.get_facecolor() for w in wedges(fig)] == [to_rgba(c) for c in colours]


def test_unknown_colour_names_are_refused_by_the_spec() -> None:
    with pytest.raises(ValueError, match="not a colour name"):
        ChartSpec(y=("Sales",), colors=("blurple",))
    fig = build_figure(sales(), ChartSpec(y=("Sales",), colors=("Dark Red",)))
    assert bars(fig.axes[0])[0].get_facecolor() == to_rgba("darkred")


def test_dark_theme_has_a_dark_background() -> None:
    fig = build_figure(sales(), ChartSpec(theme="dark"))
    red, green, blue, _ = fig.get_facecolor()
    assert red + green + blue < 0.5
    with Image.open(io.BytesIO(render_png(sales(), ChartSpec(theme="dark")))) as image:
        corner = image.convert("RGB").getpixel((3, 3))
    assert isinstance(corner, tuple)
    assert sum(corner) < 150


# ---------------------------------------------------------------- value labels


def test_bar_value_labels_show_formatted_values() -> None:
    fig = build_figure(sales(), ChartSpec(y=("Sales",), value_labels=True))
    assert {r"\$1,200", r"\$950", r"\$1,800", r"\$400"} <= set(texts(fig))


def test_value_labels_follow_decimals() -> None:
    table = Table.build(["L", "V"], [["a", 1234.5678], ["b", 2]])
    fig = build_figure(table, ChartSpec(type="line", value_labels=True, decimals=1))
    assert {"1,234.6", "2.0"} <= set(texts(fig))


def test_pie_value_labels_show_values() -> None:
    fig = build_figure(shares(), ChartSpec(type="pie", value_labels=True))
    assert {"40%", "35%", "25%"} <= set(texts(fig))


def test_negative_values_use_a_real_minus_sign() -> None:
    fig = build_figure(sales(), ChartSpec(y=("Profit",), value_labels=True))
    assert "\u2212\\$20" in texts(fig)


def test_no_value_labels_unless_asked() -> None:
    fig = build_figure(sales(), ChartSpec(y=("Sales",)))
    assert r"\$1,200" not in texts(fig)


# ---------------------------------------------------------------- safety


def test_dollar_signs_in_data_are_drawn_literally() -> None:
    table = Table.build(["$x$", "$y$"], [["$a$", 1], ["$b$ and $c$", 2]], title="$x^2$ costs")
    fig = build_figure(table, ChartSpec(subtitle="$\\frac{1}{2}$", value_labels=True))
    drawn = texts(fig)
    assert r"\$x^2\$ costs" in drawn
    assert r"\$a\$" in drawn
    assert not any(cbook.is_math_text(text) for text in drawn)
    assert png_size(render_png(table, ChartSpec(type="pie"))) == (10 * DPI, 6 * DPI)


@pytest.mark.parametrize(
    ("table", "spec", "message"),
    [
        (sales(), ChartSpec(type="pie", y=("Profit",)), "negative"),
        (
            Table.build(["L", "V"], [["a", 0], ["b", 1]]),
            ChartSpec(log_y=True),
            "log scale",
        ),
        (sales(), ChartSpec(y=("Nope",)), "no column"),
        (sales(), ChartSpec(x="Nope"), "no column"),
        (sales(), ChartSpec(y=("Region",)), "does not hold numbers"),
    ],
)
def test_invalid_specs_raise_chart_spec_error(table: Table, spec: ChartSpec, message: str) -> None:
    with pytest.raises(ChartSpecError, match=message):
        render_png(table, spec)
    with pytest.raises(ChartSpecError, match=message):
        build_figure(table, spec)


def test_too_many_bars_is_a_chart_spec_error() -> None:
    table = Table.build(
        ["L", *(f"S{j}" for j in range(10))], [[f"r{i}", *range(10)] for i in range(200)]
    )
    with pytest.raises(ChartSpecError, match="too many"):
        build_figure(table, ChartSpec(type="bar"))
    assert png_size(render_png(table, ChartSpec(type="line"))) == (10 * DPI, 6 * DPI)


# ---------------------------------------------------------------- fonts


def font_installed(lang: str) -> bool | None:
    """Whether fontconfig knows a font for the language; None without fontconfig."""
    if shutil.which("fc-list") is None:
        return None
    command = ["fc-list", f":lang={lang}"]
    listed = subprocess.run(command, capture_output=True, text=True, check=False)
    return bool(listed.stdout.strip())


def missing_glyph_warnings(table: Table, spec: ChartSpec) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render_png(table, spec)
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


@pytest.mark.skipif(not font_installed("zh"), reason="no CJK font installed (fc-list :lang=zh)")
def test_chinese_text_renders_without_missing_glyphs() -> None:
    table = Table.build(
        ["城市", "人口（万）"], [["北京", 2189], ["上海", 2487], ["Москва", 1260]],
        title="中国城市人口",
    )
    spec = ChartSpec(subtitle="数据来源：统计局", value_labels=True, legend="bottom")
    assert missing_glyph_warnings(table, spec) == []


@pytest.mark.skipif(font_installed("hi") is not False, reason="a Devanagari font may be installed")
def test_missing_glyphs_are_detected() -> None:
    """The check above is meaningful: a script no installed font covers does warn."""
    table = Table.build(["L", "V"], [["नमस्ते", 1]])
    assert missing_glyph_warnings(table, ChartSpec())


# ---------------------------------------------------------------- renderer


@pytest.fixture(scope="module")
def process_renderer() -> Iterator[ChartRenderer]:
    renderer = ChartRenderer(workers=1)
    yield renderer
    renderer.close()


async def test_renderer_renders_in_a_worker_process(process_renderer: ChartRenderer) -> None:
    await process_renderer.warm_up()
    png = await process_renderer.render(sales(), ChartSpec(type="line", aspect="square"))
    assert png_size(png) == (8 * DPI, 8 * DPI)


async def test_chart_spec_error_crosses_the_process_boundary(
    process_renderer: ChartRenderer,
) -> None:
    with pytest.raises(ChartSpecError, match="negative"):
        await process_renderer.render(sales(), ChartSpec(type="pie", y=("Profit",)))
    assert await process_renderer.render(shares(), ChartSpec(type="pie"))


async def test_renderer_in_a_thread() -> None:
    renderer = ChartRenderer(workers=0)
    await renderer.warm_up()
    png = await renderer.render(shares(), ChartSpec(type="donut", aspect="tall"))
    assert png_size(png) == (7 * DPI, 10 * DPI)
    with pytest.raises(ChartSpecError):
        await renderer.render(sales(), ChartSpec(y=("Nope",)))
    renderer.close()
    with pytest.raises(RuntimeError, match="closed"):
        await renderer.render(shares(), ChartSpec())


def test_renderer_rejects_negative_workers() -> None:
    with pytest.raises(ValueError, match="workers"):
        ChartRenderer(workers=-1)


def test_remembered_font_lookups_answer_as_matplotlib_does():
    prepare_worker()  # what a render worker does first
    manager = font_manager.fontManager
    assert "_find_fonts_by_props" in vars(manager)  # the remembering lookup is installed
    for prop in (FontProperties(size=13), FontProperties(size=20, weight="bold"),
                 FontProperties(family=["DejaVu Sans", "WenQuanYi Micro Hei"], style="italic"),
                 "DejaVu Sans"):
        for _ in range(2):  # asked, then remembered
            assert manager._find_fonts_by_props(prop) == \
                font_manager.FontManager._find_fonts_by_props(manager, prop)


def test_importing_the_renderer_leaves_matplotlib_alone() -> None:
    """Only processes that draw charts change matplotlib's font manager (`check` imports
    bot.charts.render too)."""
    probe = ("import bot.charts.render, matplotlib.font_manager as fm; "
             "print('_find_fonts_by_props' in vars(fm.fontManager))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).resolve().parent.parent)
    assert done.stdout.strip() == "False"


class FontManagerWithout:
    """A font manager of a matplotlib release that renamed the method remembered."""

    def find_fonts(self, prop: object) -> list[str]:
        return ["DejaVuSans.ttf"]


def test_a_matplotlib_without_the_font_lookup_is_left_as_it_is() -> None:
    manager = FontManagerWithout()
    assert remember_font_lookups(manager) is False
    assert vars(manager) == {}
    assert manager.find_fonts("x") == ["DejaVuSans.ttf"]


# ---------------------------------------------------------------- the person's language


def test_the_pie_slice_of_the_rest_is_named_by_the_caller() -> None:
    table = Table.build(["L", "V"], [[f"r{i}", i + 1] for i in range(40)])
    fig = build_figure(table, ChartSpec(type="pie"), other="Sonstige")
    assert "Sonstige" in texts(fig)
    assert "Other" not in texts(fig)


async def test_the_renderer_names_the_rest_in_the_persons_language() -> None:
    table = Table.build(["L", "V"], [[f"r{i}", i + 1] for i in range(40)])
    spec = ChartSpec(type="pie", legend="right")
    renderer = ChartRenderer(workers=0)
    try:
        english = await renderer.render(table, spec)
        with speaking("de"):
            german = await renderer.render(table, spec)
            assert t(OTHER) == "Sonstige"
        assert german != english  # not the English chart from the cache
        with speaking("de"):
            assert await renderer.render(table, spec) == german
    finally:
        renderer.close()


# ---------------------------------------------------------------- texts drawn again


def _pixels(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("RGB")).astype(int)


def test_texts_drawn_from_kept_pixels_are_the_same_bytes_as_a_fresh_process_draws() -> None:
    """A worker keeps each text's rendered glyphs; a chart drawn from them is the one a fresh
    process draws (CJK labels, value labels, title): the chart set of `bot eval` and the
    render cache rely on a chart being the same bytes wherever it is drawn."""
    code = (
        "import sys\n"
        "from bot.charts.render import render_png, prepare_worker\n"
        "from tests.test_chart import text_chart\n"
        "prepare_worker()\n"
        "table, spec = text_chart()\n"
        "sys.stdout.buffer.write(render_png(table, spec))\n"
    )
    fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                           cwd=Path(__file__).resolve().parent.parent).stdout
    prepare_worker()
    table, spec = text_chart()
    render_png(table, spec)
    assert render_png(table, spec) == fresh


def text_chart() -> tuple[Table, ChartSpec]:
    table = Table.build(["Region", "Sales"], [["North 北部", 1200], ["South", 950],
                                              ["East", 1800]], title="Sales by region")
    return table, ChartSpec(value_labels=True)


def test_a_kept_text_takes_the_colour_it_is_drawn_in() -> None:
    table, _ = text_chart()
    render_png(table, ChartSpec(theme="light"))  # the title's pixels are kept, drawn dark
    title_band = _pixels(render_png(table, ChartSpec(theme="dark")))[:40, 300:900]
    assert title_band.sum(axis=2).max() > 600  # drawn light on the dark background
