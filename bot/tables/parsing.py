"""Read the data table out of a vision model's free-text answer.

Models answer in many shapes: markdown tables, CSV in code fences, JSON, DePlot's
linearised ``a | b <0x0A> c | d`` form, or whitespace-aligned text. Every shape found
becomes a candidate; the largest candidate that builds into a `Table` wins.

The answer is untrusted: it is only ever parsed (never evaluated), and the work is
bounded by capping the input length and the number of JSON parse attempts.
"""

from __future__ import annotations

import bisect
import csv
import json
import math
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import zip_longest
from typing import Any, NamedTuple

from bot.tables.table import MAX_COLUMNS, Table, TableError, format_raw, parse_number
from bot.words.wording import Phrase, later

MAX_INPUT_CHARS = 200_000
MAX_JSON_ATTEMPTS = 64
MAX_BUILD_ATTEMPTS = 16
_MAX_JSON_NESTING = 4
_MAX_UNIT_CHARS = 12
# Wider than any Table may be: enough to reject a candidate without building it all.
_WIDE = MAX_COLUMNS + 1

# Full-width ASCII forms (｜，１２３：) and the ideographic space, mapped to plain ASCII.
_FULLWIDTH = str.maketrans(
    {chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
)
_DEPLOT_BREAK = re.compile(r"<0x0a>", re.IGNORECASE)
_FENCE_LINE = re.compile(r"^[ \t]*(?:```|~~~)[^\n]*$", re.MULTILINE)
_OPENER = re.compile(r"[\[{]")
_DECODER = json.JSONDecoder()
_JSON_MARK = re.compile(r'\\.|[\[\]{}"]', re.DOTALL)
_CLOSERS = {"[": "]", "{": "}"}
# A JSON string (possibly unterminated) or a comma right before a closing bracket.
_TRAILING_COMMA = re.compile(r'"(?:[^"\\]|\\.)*(?:"|\\?\Z)|,(?=\s*[}\]])', re.DOTALL)
_PIPE = re.compile(r"(?<!\\)\|")
_RULE_CELL = re.compile(r"[\s:=+-]*")
_BORDER_LINE = re.compile(r"\+[-=:+ ]*\+")
_QUOTED = re.compile(r'"[^"]*"')
_WIDE_GAP = re.compile(r"\s{2,}")
_ALIGNED = "  "  # the "delimiter" of whitespace-aligned columns
_BOLD_LINE = re.compile(r"\*\*([^*]+)\*\*:?")
_HEADING = re.compile(r"#{1,6}\s+(.+)")
_TITLE_LABEL = re.compile(r"(?:chart\s+)?title\s*:\s*(.+)|(?:图表)?标题\s*:\s*(.+)", re.IGNORECASE)

_COLUMN_KEYS = ("columns", "headers", "header", "fields")
_BODY_KEYS = ("rows", "data", "values", "records", "items", "table")
_LABEL_KEYS = ("labels", "categories")
_SERIES_KEYS = ("datasets", "series")
_NAME_KEYS = ("name", "label", "title")

JsonCell = str | float | bool | None


class NoTableFound(ValueError):
    """The answer holds no usable table; the message is safe to show to a person."""


@dataclass(frozen=True)
class _Candidate:
    columns: Sequence[Any]
    rows: Sequence[Sequence[Any]]
    title: str = ""
    units: dict[str, str] = field(default_factory=dict)

    @property
    def cells(self) -> int:
        return len(self.columns) * len(self.rows)


@dataclass(frozen=True)
class _Line:
    text: str
    fenced: bool

    @property
    def blank(self) -> bool:
        return not self.text.strip()


class _Split(NamedTuple):
    delimiter: str
    fields: list[str]


@dataclass(frozen=True)
class RawTable:
    """The cells of the table `parse_table` builds, as the answer wrote them (text only)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    title: str


def parse_table(answer: str) -> Table:
    """Turn a model's answer into a Table; the largest table in the answer wins."""
    return _parse(answer)[0]


def parse_raw_table(answer: str) -> RawTable:
    """The same table as `parse_table`, its cells as written: no numbers read, no units or
    emphasis taken off (the form DePlot's reference metric scores). Full-width forms are read
    as ASCII, which the parser needs to find the table's delimiters."""
    candidate = _parse(answer)[1]

    def text(value: Any) -> str:
        return "" if value is None else str(value) if isinstance(value, str) else format_raw(value)

    return RawTable(tuple(text(c).strip() for c in candidate.columns),
                    tuple(tuple(text(c).strip() for c in row) for row in candidate.rows),
                    candidate.title)


def _parse(answer: str) -> tuple[Table, _Candidate]:
    text = _normalise(answer)
    if not text.strip():
        raise NoTableFound(later("The answer is empty."))
    candidates = [c for c in _candidates(text) if c.columns]
    candidates.sort(key=lambda c: c.cells, reverse=True)
    problem: str | Phrase = ""
    for candidate in candidates[:MAX_BUILD_ATTEMPTS]:
        try:
            return _build(candidate), candidate
        except TableError as exc:
            problem = problem or exc.reason
        except (ValueError, ArithmeticError):
            # Table.build should only raise TableError; never let odd cells escape.
            problem = problem or later("some cells could not be read")
    if problem:
        raise NoTableFound(later("The table in the answer could not be used: {problem}.",
                                 problem=problem))
    raise NoTableFound(later("No data table found in the answer."))


def _build(candidate: _Candidate) -> Table:
    # Checked before Table.build, which would first pad every row to the header's width.
    if len(candidate.columns) > MAX_COLUMNS:
        raise TableError(later("a table may have at most {limit} columns", limit=MAX_COLUMNS))
    return Table.build(
        candidate.columns, candidate.rows, title=candidate.title, units=candidate.units
    )


def find_json(text: str) -> object | None:
    """The first JSON object or array in text: fenced blocks first, then anywhere in prose."""
    return next((value for value, _ in _json_values(text[:MAX_INPUT_CHARS])), None)


def canonical_choice(value: object, aliases: Mapping[str, str]) -> object:
    """A model's spelling of a named choice ("Pie chart", "line-chart", "Average") as the name
    a Literal field expects: lower snake case, then a known alias replaced. Not text: as is."""
    if not isinstance(value, str):
        return value
    key = value.strip().lower().replace(" ", "_").replace("-", "_")
    return aliases.get(key, key)


def _normalise(text: str) -> str:
    text = text[:MAX_INPUT_CHARS].translate(_FULLWIDTH)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _DEPLOT_BREAK.sub("\n", text)


def _candidates(text: str) -> Iterator[_Candidate]:
    spans: list[tuple[int, int]] = []
    for value, span in _json_values(text):
        spans.append(span)
        yield from _json_candidates(value)
    yield from _text_candidates(_drop_spans(text, spans))


def _drop_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """Remove parsed JSON from text, keeping its newlines so line numbers stay put."""
    parts: list[str] = []
    last = 0
    for start, end in sorted(spans):
        if start < last:
            continue
        parts += [text[last:start], "\n" * text.count("\n", start, end)]
        last = end
    parts.append(text[last:])
    return "".join(parts)


# --- JSON -------------------------------------------------------------------------------


def _json_values(text: str) -> Iterator[tuple[object, tuple[int, int]]]:
    """Parsed JSON containers in text with their spans, fenced blocks first; bounded work."""
    covered: list[tuple[int, int]] = []
    attempts = 0
    for start, end in _fenced_spans(text):
        if attempts >= MAX_JSON_ATTEMPTS:
            return
        attempts += 1
        value = _loads(text[start:end])
        if value is not None:
            bisect.insort(covered, (start, end))
            yield value, (start, end)
    balanced: dict[int, int] | None = None
    for opener in _OPENER.finditer(text):
        start = opener.start()
        if attempts >= MAX_JSON_ATTEMPTS:
            return
        if _is_covered(covered, start):
            continue
        attempts += 1
        found = _decode_at(text, start)
        if found is None:
            balanced = _bracket_spans(text) if balanced is None else balanced
            found = _decode_span(text, start, balanced.get(start))
        if found is not None:
            value, end = found
            bisect.insort(covered, (start, end))
            yield value, (start, end)


def _fenced_spans(text: str) -> Iterator[tuple[int, int]]:
    """The contents of ``` / ~~~ fenced blocks; an unclosed fence runs to the end."""
    marks = list(_FENCE_LINE.finditer(text))
    for i in range(0, len(marks), 2):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        yield marks[i].end(), end


def _decode_at(text: str, start: int) -> tuple[object, int] | None:
    """The JSON value starting at start (text after it is ignored), with its end."""
    try:
        value, end = _DECODER.raw_decode(text, start)
    except (ValueError, RecursionError):
        return None
    return (value, end) if isinstance(value, dict | list) else None


def _decode_span(text: str, start: int, end: int | None) -> tuple[object, int] | None:
    """Retry a balanced span leniently (trailing commas) when strict decoding failed."""
    if end is None:
        return None
    value = _loads(text[start:end])
    return None if value is None else (value, end)


def _bracket_spans(text: str) -> dict[int, int]:
    """Where each balanced [...] / {...} starting at a position ends, in one linear pass.

    Quotes only count as JSON strings inside brackets, so most stray quotes in prose
    do not hide the JSON that follows.
    """
    ends: dict[int, int] = {}
    stack: list[int] = []
    in_string = False
    for mark in _JSON_MARK.finditer(text):
        char = mark.group()
        if in_string:
            in_string = char != '"'
        elif char == '"':
            in_string = bool(stack)
        elif char in _CLOSERS:
            stack.append(mark.start())
        elif char in "]}":
            if stack and _CLOSERS[text[stack[-1]]] == char:
                ends[stack.pop()] = mark.end()
            else:
                stack.clear()
    return ends


def _is_covered(covered: list[tuple[int, int]], position: int) -> bool:
    i = bisect.bisect_right(covered, (position, sys.maxsize)) - 1
    return i >= 0 and covered[i][1] > position


def _loads(snippet: str) -> object | None:
    value = _json_container(snippet)
    if value is None and "," in snippet:
        value = _json_container(_TRAILING_COMMA.sub(_drop_comma, snippet))
    return value


def _json_container(snippet: str) -> object | None:
    try:
        value = json.loads(snippet)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict | list) else None


def _drop_comma(match: re.Match[str]) -> str:
    return "" if match.group() == "," else match.group()


def _json_candidates(value: object, depth: int = 0) -> Iterator[_Candidate]:
    if depth > _MAX_JSON_NESTING:
        return
    if isinstance(value, list):
        yield from _list_tables(value)
    elif isinstance(value, dict):
        title, units = _text(value.get("title")), _units(value.get("units"))
        for candidate in _dict_tables(value, depth):
            yield replace(candidate, title=candidate.title or title, units=candidate.units or units)
    elif isinstance(value, str) and depth > 0:
        yield from _text_candidates(_normalise(value))


def _dict_tables(obj: dict[str, Any], depth: int) -> Iterator[_Candidate]:
    """Tables in an object: columns+rows, a wrapped body, chart series, or column lists."""
    columns = _first_list(obj, _COLUMN_KEYS)
    has_body = any(key in obj for key in _BODY_KEYS)
    body = next((obj[key] for key in _BODY_KEYS if key in obj), None)
    if columns is not None and isinstance(body, list):
        names = [_column_name(c) for c in columns[:_WIDE]]
        yield _Candidate(names, _aligned_rows(names, body))
    elif has_body:
        yield from _json_candidates(body, depth + 1)
    series = _series_table(obj)
    if series is not None:
        yield series
    elif columns is None and not has_body:
        yield from _columnar_tables(obj)


def _list_tables(items: list[Any]) -> Iterator[_Candidate]:
    """An array of records, or of rows whose first row (if all text) is the header."""
    if not items:
        return
    if all(isinstance(item, dict) for item in items):
        names = list(dict.fromkeys(str(key) for item in items for key in item))[:_WIDE]
        yield _Candidate(names, [[_cell(item.get(n)) for n in names] for item in items])
    elif all(isinstance(item, list) for item in items):
        header, *body = items
        if header and all(isinstance(name, str) for name in header):
            yield _Candidate(header, [[_cell(v) for v in row] for row in body])
        else:
            width = max(len(row) for row in items)
            yield _Candidate([""] * width, [[_cell(v) for v in row] for row in items])


def _aligned_rows(names: list[str], body: list[Any]) -> list[list[JsonCell]]:
    rows: list[list[JsonCell]] = []
    for row in body:
        if isinstance(row, list):
            rows.append([_cell(v) for v in row])
        elif isinstance(row, dict):
            rows.append([_cell(row.get(name)) for name in names])
    return rows


def _series_table(obj: dict[str, Any]) -> _Candidate | None:
    """Chart.js-like data: {"labels": [...], "datasets": [{"label": ..., "data": [...]}]}."""
    labels = _first_list(obj, _LABEL_KEYS)
    if labels is None:
        return None
    series = _first_list(obj, _SERIES_KEYS)
    if series is not None and all(isinstance(s, dict) for s in series):
        series = series[:_WIDE]
        names = [_column_name(s) for s in series]
        values = [_first_list(s, ("data", "values")) or [] for s in series]
    else:
        single = _first_list(obj, ("values", "data"))
        if single is None:
            return None
        names, values = ["Value"], [single]
    rows = [
        [_cell(label), *(_cell(v[i]) if i < len(v) else None for v in values)]
        for i, label in enumerate(labels)
    ]
    return _Candidate(["Label", *names], rows)


def _columnar_tables(obj: dict[str, Any]) -> Iterator[_Candidate]:
    """A column-oriented object: {"Year": [2020, 2021], "Sales": [1, 2]}."""
    lists = {
        str(key): value
        for key, value in obj.items()
        if isinstance(value, list) and value and not any(isinstance(v, dict | list) for v in value)
    }
    if len(lists) >= 2:
        names = list(lists)[:_WIDE]
        rows = [[_cell(v) for v in row] for row in zip_longest(*(lists[n] for n in names))]
        yield _Candidate(names, rows)


def _first_list(obj: dict[str, Any], keys: Sequence[str]) -> list[Any] | None:
    return next((obj[key] for key in keys if isinstance(obj.get(key), list)), None)


def _cell(value: object) -> JsonCell:
    """A JSON value as a cell; containers and non-finite or huge numbers become empty."""
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            return None
        return number if math.isfinite(number) else None
    return None


def _column_name(value: object) -> str:
    if isinstance(value, dict):
        return next((_text(value.get(key)) for key in _NAME_KEYS if _text(value.get(key))), "")
    cell = _cell(value)
    return "" if cell is None else format_raw(cell)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _units(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {
        str(k): v.strip()
        for k, v in value.items()
        if isinstance(v, str) and 0 < len(v.strip()) <= _MAX_UNIT_CHARS
    }


# --- Text: pipe tables, delimited and aligned text ----------------------------------------


def _text_candidates(text: str) -> Iterator[_Candidate]:
    lines = _lines(text)
    yield from _pipe_candidates(lines)
    yield from _delimited_candidates(lines)


def _lines(text: str) -> list[_Line]:
    """Split text into lines, noting which are inside a code fence (fence lines go blank)."""
    lines: list[_Line] = []
    fenced = False
    for raw in text.split("\n"):
        if raw.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            lines.append(_Line("", fenced=False))
        else:
            lines.append(_Line(raw.strip(" "), fenced))
    return lines


def _pipe_candidates(lines: Sequence[_Line]) -> Iterator[_Candidate]:
    start = 0
    while start < len(lines):
        end = start
        while end < len(lines) and _is_pipe_line(lines[end].text):
            end += 1
        if end == start:
            start += 1
            continue
        rows = [_split_pipes(line.text) for line in lines[start:end]]
        candidate = _pipe_table(rows, _title_above(lines, start))
        if candidate is not None:
            yield candidate
        start = end


def _is_pipe_line(text: str) -> bool:
    return "|" in text or _BORDER_LINE.fullmatch(text.strip()) is not None


def _split_pipes(line: str) -> list[str]:
    text = line.strip()
    text = text.removeprefix("|")
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return [cell.strip().replace("\\|", "|") for cell in _PIPE.split(text)]


def _pipe_table(rows: list[list[str]], title: str) -> _Candidate | None:
    """A markdown / DePlot table: drops rule rows and reads DePlot's optional TITLE row."""
    kept = [row for row in rows if not _is_rule(row)]
    has_rule = len(kept) < len(rows)
    if kept and kept[0][0].upper() == "TITLE":
        title = " | ".join(kept[0][1:]).strip() or title
        kept = kept[1:]
    if not kept or len(kept[0]) < 2 or (len(rows) < 2 and not has_rule):
        return None
    return _Candidate(kept[0], kept[1:], title)


def _is_rule(row: list[str]) -> bool:
    """A separator row such as |---|:---:| or a +----+ grid border."""
    return all(_RULE_CELL.fullmatch(cell) for cell in row) and any(
        "-" in cell or "=" in cell for cell in row
    )


def _delimited_candidates(lines: Sequence[_Line]) -> Iterator[_Candidate]:
    """Runs of lines split the same way (same delimiter, same field count) form a table."""
    splits = [_split_delimited(line.text) for line in lines]
    start = 0
    while start < len(lines):
        first = splits[start]
        if first is None:
            start += 1
            continue
        rows = [first.fields]
        end = start + 1
        while end < len(lines) and (split := splits[end]) is not None and _same_shape(split, first):
            rows.append(split.fields)
            end += 1
        aligned = first.delimiter == _ALIGNED
        candidate = _delimited_table(rows, lines[start].fenced, aligned, _title_above(lines, start))
        if candidate is not None:
            yield candidate
        start = end


def _split_delimited(text: str) -> _Split | None:
    """Split a line on tab, semicolon, comma (CSV quoting) or, failing those, wide gaps."""
    if "|" in text or not text.strip():
        return None
    unquoted = _QUOTED.sub("", text)
    for delimiter in ("\t", ";", ","):
        if delimiter in unquoted:
            fields = _csv_fields(text, delimiter)
            return _Split(delimiter, fields) if len(fields) >= 2 else None
    fields = _WIDE_GAP.split(text.strip())
    return _Split(_ALIGNED, fields) if len(fields) >= 2 else None


def _csv_fields(line: str, delimiter: str) -> list[str]:
    try:
        row = next(csv.reader([line], delimiter=delimiter, skipinitialspace=True), [])
    except csv.Error:
        return []
    return [cell.strip() for cell in row]


def _same_shape(split: _Split, first: _Split) -> bool:
    return split.delimiter == first.delimiter and len(split.fields) == len(first.fields)


def _delimited_table(
    rows: list[list[str]], fenced: bool, aligned: bool, title: str
) -> _Candidate | None:
    """A header and data rows that hold numbers (which tells a table from prose).

    Unfenced whitespace-aligned text, the most ambiguous shape, needs two data rows.
    """
    min_lines = 3 if aligned and not fenced else 2
    if len(rows) < min_lines or not _has_number(rows[1:]):
        return None
    return _Candidate(rows[0], rows[1:], title)


def _has_number(rows: list[list[str]]) -> bool:
    return any(parse_number(cell) is not None for row in rows for cell in row[1:])


def _title_above(lines: Sequence[_Line], start: int) -> str:
    """The title on the nearest non-blank line above a table, if that line is a title."""
    for line in reversed(lines[max(0, start - 3) : start]):
        if not line.blank:
            return _title_line(line.text.strip())
    return ""


def _title_line(text: str) -> str:
    bold = _BOLD_LINE.fullmatch(text)
    if bold:
        return bold.group(1).strip().rstrip(":").strip()
    plain = text.replace("**", "").replace("__", "")
    heading = _HEADING.fullmatch(plain)
    if heading:
        return heading.group(1).rstrip("# ").strip()
    label = _TITLE_LABEL.fullmatch(plain)
    if label:
        return (label.group(1) or label.group(2) or "").strip()
    return ""
