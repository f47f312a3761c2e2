"""A deterministic set of chart images with known tables, clean and photo-like.

Item i of a set draws chart type `types[i % T]` with distortion `distortions[(i // T) % D]`
in round `i // (T·D)`. The table of a (type, round) pair comes from `random.Random` seeded
with the set's seed, the type and the round, so every distortion of it shows the same data
(paired comparisons) and choosing a subset of types or distortions leaves the other tables
unchanged. Charts are drawn by the bot's own renderer (`bot.charts.render.render_png`, byte-stable
for a given matplotlib) and distorted with Pillow only.
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from bot.charts.render import render_png
from bot.charts.spec import CHART_TYPES, ChartSpec
from bot.tables.table import Table

DISTORTIONS: tuple[str, ...] = (
    "clean", "rotate", "perspective", "blur", "jpeg", "glare", "photo",
)
MIN_ROWS, MAX_ROWS = 3, 12
PIE_TYPES = frozenset({"pie", "donut"})
SINGLE_SERIES = PIE_TYPES
MULTI_SERIES = frozenset({"bar_line"})
NO_NEGATIVES = PIE_TYPES | {"stacked_area"}
LOG_TYPES = frozenset({"bar", "line", "scatter"})
PAPER = (236, 234, 228)
"""What a photo shows around a turned or tilted chart: a light grey desk or page."""

_LABELS: dict[str, tuple[str, ...]] = {
    "months": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
               "Dec"),
    "categories": ("Apples", "Bananas", "Cherries", "Dates", "Grapes", "Kiwis", "Lemons",
                   "Mangoes", "Oranges", "Pears", "Plums", "Quinces", "Figs", "Limes"),
    "countries": ("France", "Germany", "Japan", "Brazil", "Canada", "India", "Kenya", "Mexico",
                  "Norway", "Peru", "Spain", "Vietnam", "Egypt", "Chile"),
    "long": ("North American Operations", "Research and Development", "Customer Support Team",
             "Marketing and Communications", "Enterprise Software Sales",
             "International Logistics", "Human Resources Department", "Cloud Infrastructure",
             "Retail Store Network", "Manufacturing Plant East", "Legal and Compliance",
             "Product Design Studio", "Quality Assurance Lab", "Field Service Engineers"),
    "cjk": ("北京", "上海", "广州", "深圳", "成都", "杭州", "武汉", "南京", "重庆", "天津",
            "西安", "苏州", "长沙", "郑州"),
}
_SERIES: dict[str, tuple[str, ...]] = {
    "latin": ("Revenue", "Costs", "Profit"),
    "teams": ("Team A", "Team B", "Team C"),
    "cjk": ("收入", "支出", "利润"),
}
_VALUE_STYLES = ("small", "decimal", "percent", "large", "negative")


@dataclass(frozen=True)
class ChartItem:
    """One chart image of the set and the table it was drawn from."""

    id: str
    chart_type: str
    distortion: str
    truth: Table
    spec: ChartSpec
    image: bytes

    @property
    def extension(self) -> str:
        return "jpg" if self.image.startswith(b"\xff\xd8") else "png"


@dataclass(frozen=True)
class PlannedItem:
    index: int
    chart_type: str
    distortion: str
    round: int

    @property
    def id(self) -> str:
        return f"{self.index:03d}-{self.chart_type}-{self.distortion}"


def plan(count: int, types: Sequence[str] = CHART_TYPES,
         distortions: Sequence[str] = DISTORTIONS) -> list[PlannedItem]:
    """Which chart type, distortion and round each of `count` items gets."""
    if not types or not distortions:
        raise ValueError("choose at least one chart type and one distortion")
    per_round = len(types) * len(distortions)
    return [
        PlannedItem(i, types[i % len(types)], distortions[(i // len(types)) % len(distortions)],
                    i // per_round)
        for i in range(count)
    ]


def build_chart_set(seed: int, count: int, types: Sequence[str] = CHART_TYPES,
                    distortions: Sequence[str] = DISTORTIONS) -> list[ChartItem]:
    """Render and distort `count` charts; the same arguments give byte-identical items."""
    rendered: dict[tuple[str, int], tuple[Table, ChartSpec, bytes]] = {}
    items = []
    for planned in plan(count, types, distortions):
        key = (planned.chart_type, planned.round)
        if key not in rendered:
            table, spec = make_chart(seed, planned.chart_type, planned.round)
            rendered[key] = table, spec, render_png(table, spec)
        table, spec, png = rendered[key]
        rng = seeded(seed, planned.chart_type, planned.round, planned.distortion)
        image = distort(png, planned.distortion, rng)
        items.append(ChartItem(planned.id, planned.chart_type, planned.distortion, table, spec,
                               image))
    return items


def seeded(*parts: object) -> random.Random:
    """A generator seeded by its parts' text (str seeds are hashed stably, not by hash())."""
    return random.Random(":".join(map(str, parts)))  # noqa: S311 - test data, not secrets


# ---------------------------------------------------------------- tables


def make_chart(seed: int, chart_type: str, round_: int) -> tuple[Table, ChartSpec]:
    """The table and chart spec of one (type, round) pair of a set."""
    rng = seeded(seed, chart_type, round_)
    rows = rng.randint(MIN_ROWS, MAX_ROWS)
    label_kind = _label_kind(rng, chart_type)
    labels = _labels(rng, label_kind, rows)
    series = _series_names(rng, chart_type, label_kind)
    style = _value_style(rng, chart_type)
    log_y = chart_type in LOG_TYPES and style != "negative" and rng.random() < 0.2
    columns = _columns(rng, style, len(labels), len(series), log_y, chart_type)
    units = _units(rng, style, series)
    title = _title(label_kind, series, chart_type)
    table = Table.build([_label_header(label_kind), *series],
                        [[label, *values] for label, values in zip(labels, columns, strict=True)],
                        title=title, units=units)
    spec = ChartSpec(type=chart_type, log_y=log_y, value_labels=rng.random() < 0.4,
                     theme="dark" if rng.random() < 0.15 else "light",
                     aspect=_aspect(rng, chart_type))
    return table, spec


def _label_kind(rng: random.Random, chart_type: str) -> str:
    if chart_type == "scatter":
        return rng.choice(("years", "numbers"))
    return rng.choice(("years", "months", "quarters", "categories", "countries", "long", "cjk"))


def _labels(rng: random.Random, kind: str, rows: int) -> list[str]:
    if kind == "years":
        start = rng.randint(1990, 2024 - rows)
        return [str(start + i) for i in range(rows)]
    if kind == "numbers":
        return [str(x) for x in sorted(rng.sample(range(1, 200), rows))]
    if kind == "quarters":
        year = rng.randint(2015, 2022)
        return [f"Q{i % 4 + 1} {year + i // 4}" for i in range(rows)]
    if kind == "months":
        start = rng.randint(0, 12 - rows)
        return list(_LABELS["months"][start:start + rows])
    return rng.sample(_LABELS[kind], rows)


def _label_header(kind: str) -> str:
    return {"years": "Year", "numbers": "X", "quarters": "Quarter", "months": "Month",
            "cjk": "城市", "long": "Division", "countries": "Country"}.get(kind, "Category")


def _series_names(rng: random.Random, chart_type: str, label_kind: str) -> list[str]:
    if chart_type in SINGLE_SERIES:
        count = 1
    elif chart_type in MULTI_SERIES:
        count = rng.randint(2, 3)
    else:
        count = rng.randint(1, 3)
    pool = _SERIES["cjk"] if label_kind == "cjk" else _SERIES[rng.choice(("latin", "teams"))]
    return list(pool[:count])


def _value_style(rng: random.Random, chart_type: str) -> str:
    styles = [s for s in _VALUE_STYLES if not (s == "negative" and chart_type in NO_NEGATIVES)]
    return rng.choice(styles)


def _columns(rng: random.Random, style: str, rows: int, series: int, log_y: bool,
             chart_type: str) -> list[list[float]]:
    """Row-major values: one list of `series` numbers per row."""
    if chart_type in PIE_TYPES and style == "percent":
        return [[share] for share in _shares(rng, rows)]
    draw: Callable[[], float] = _log_value(rng) if log_y else _drawer(rng, style)
    return [[draw() for _ in range(series)] for _ in range(rows)]


def _drawer(rng: random.Random, style: str) -> Callable[[], float]:
    if style == "decimal":
        return lambda: round(rng.uniform(0.5, 50), 1)
    if style == "percent":
        return lambda: round(rng.uniform(1, 95), 1)
    if style == "large":
        scale = rng.choice((1e4, 1e5, 1e6, 1e7))
        return lambda: float(rng.randint(100, 999) * scale)
    if style == "negative":
        return lambda: float(rng.randint(-60, 90) or 5)
    return lambda: float(rng.randint(1, 100))


def _log_value(rng: random.Random) -> Callable[[], float]:
    """Values over several orders of magnitude, to three significant digits."""
    def draw() -> float:
        value = 10 ** rng.uniform(0, 5)
        digits = 2 - int(np.floor(np.log10(value)))
        return float(round(value, digits))
    return draw


def _shares(rng: random.Random, rows: int) -> list[float]:
    """Percentages with one decimal that add up to exactly 100."""
    weights = [rng.uniform(1, 10) for _ in range(rows)]
    tenths = [max(1, round(1000 * w / sum(weights))) for w in weights]
    tenths[tenths.index(max(tenths))] += 1000 - sum(tenths)
    return [t / 10 for t in tenths]


def _units(rng: random.Random, style: str, series: list[str]) -> dict[str, str]:
    """'%' on percentages; a '$' on half of the large-number charts."""
    unit = {"percent": "%", "large": "$" if rng.random() < 0.5 else ""}.get(style, "")
    return {name: unit for name in series} if unit else {}


def _title(label_kind: str, series: list[str], chart_type: str) -> str:
    if label_kind == "cjk":
        return f"各城市{series[0]}"
    if chart_type in PIE_TYPES:
        return f"{series[0]} by {_label_header(label_kind).lower()}"
    names = series[0] if len(series) == 1 else f"{', '.join(series[:-1])} and {series[-1]}"
    return f"{names} by {_label_header(label_kind).lower()}"


def _aspect(rng: random.Random, chart_type: str) -> str:
    if chart_type in PIE_TYPES:
        return rng.choice(("square", "wide"))
    if chart_type == "barh":
        return rng.choice(("wide", "tall"))
    return rng.choice(("wide", "wide", "square"))


# ---------------------------------------------------------------- distortions


def distort(png: bytes, distortion: str, rng: random.Random) -> bytes:
    """The chart as a PNG (or JPEG for 'jpeg' and 'photo') after one distortion."""
    if distortion == "clean":
        return png
    with Image.open(io.BytesIO(png)) as opened:
        image = opened.convert("RGB")
    if distortion == "jpeg":
        return _jpeg(image, rng.randint(8, 20))
    if distortion == "photo":
        image = _rotate(image, rng.uniform(1, 3) * rng.choice((-1, 1)))
        image = _glare(_perspective(image, rng, 0.04), rng)
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.2)))
        return _jpeg(image, rng.randint(60, 80))
    steps: dict[str, Callable[[Image.Image], Image.Image]] = {
        "rotate": lambda im: _rotate(im, rng.uniform(2, 5) * rng.choice((-1, 1))),
        "perspective": lambda im: _perspective(im, rng, 0.07),
        "blur": lambda im: im.filter(ImageFilter.GaussianBlur(rng.uniform(1.2, 2.2))),
        "glare": lambda im: _glare(im, rng),
    }
    if distortion not in steps:
        raise ValueError(f"unknown distortion {distortion!r}")
    return _png(steps[distortion](image))


def _rotate(image: Image.Image, degrees: float) -> Image.Image:
    return image.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True,
                        fillcolor=PAPER)


def _perspective(image: Image.Image, rng: random.Random, strength: float) -> Image.Image:
    """A camera not square to the page: each corner moves inwards by up to `strength`."""
    w, h = image.size
    source = [(0, 0), (w, 0), (w, h), (0, h)]
    signs = [(1, 1), (-1, 1), (-1, -1), (1, -1)]
    target = [(x + sx * rng.uniform(0, strength) * w, y + sy * rng.uniform(0, strength) * h)
              for (x, y), (sx, sy) in zip(source, signs, strict=True)]
    return image.transform((w, h), Image.Transform.PERSPECTIVE,
                           _perspective_coefficients(target, source),
                           resample=Image.Resampling.BICUBIC, fillcolor=PAPER)


def _perspective_coefficients(output: Sequence[tuple[float, float]],
                              source: Sequence[tuple[float, float]]) -> tuple[float, ...]:
    """The 8 coefficients Pillow maps each output pixel back to a source pixel with."""
    matrix, vector = [], []
    for (x, y), (u, v) in zip(output, source, strict=True):
        matrix.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        matrix.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        vector += [u, v]
    solved = np.linalg.solve(np.array(matrix, dtype=float), np.array(vector, dtype=float))
    return tuple(float(c) for c in solved)


def _glare(image: Image.Image, rng: random.Random) -> Image.Image:
    """A soft bright spot, as from a lamp reflected on glossy paper or a screen."""
    w, h = image.size
    cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
    rx, ry = rng.uniform(0.25, 0.45) * w, rng.uniform(0.25, 0.45) * h
    ys, xs = np.mgrid[0:h, 0:w]
    reach = np.clip(1 - np.hypot((xs - cx) / rx, (ys - cy) / ry), 0, 1)
    alpha = np.round(255 * rng.uniform(0.55, 0.8) * reach ** 1.5).astype(np.uint8)
    white = Image.new("RGB", image.size, (255, 255, 250))
    return Image.composite(white, image, Image.fromarray(alpha, mode="L"))


def _jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# ---------------------------------------------------------------- saving


def save_chart_set(items: Sequence[ChartItem], directory: Path, *, seed: int) -> Path:
    """Write DIR/<id>.png|jpg, DIR/<id>.csv (the truth) and DIR/manifest.json."""
    directory.mkdir(parents=True, exist_ok=True)
    records = []
    for item in items:
        image_name, truth_name = f"{item.id}.{item.extension}", f"{item.id}.csv"
        (directory / image_name).write_bytes(item.image)
        (directory / truth_name).write_text(item.truth.to_csv(), encoding="utf-8")
        records.append({
            "id": item.id, "chart_type": item.chart_type, "distortion": item.distortion,
            "image": image_name, "truth": truth_name, "title": item.truth.title,
            "units": item.truth.units, "spec": item.spec.model_dump(mode="json"),
        })
    manifest = directory / "manifest.json"
    manifest.write_text(json.dumps({"seed": seed, "count": len(items), "items": records},
                                   ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest
