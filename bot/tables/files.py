"""Table files: a CSV or XLSX file a person sends becomes the chat's Table, no model involved;
and the chat's Table written as an Excel workbook (`write_xlsx`).

Everything a file can do wrong ends as TableFileRejected, whose message says what happened
and what to do. Work is bounded: at most 5 MB in, an xlsx may unpack to at most 50 MB (and
not suspiciously far beyond its size), and only as many rows and columns are read as a
Table may hold, plus one to tell that a file is too big.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import logging
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath
from typing import Any

import openpyxl
from openpyxl.styles import Font

from bot.tables.table import (
    CURRENCY_SIGNS,
    MAX_COLUMNS,
    MAX_ROWS,
    Table,
    TableError,
    clean_text,
    format_cell,
    format_raw,
    parse_number,
)
from bot.words.wording import Phrase, later, noop

log = logging.getLogger(__name__)

MAX_TABLE_FILE_BYTES = 5 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_XLSX_RATIO = 100
MAX_XLSX_MEMBERS = 2000
XLSX_SCAN_ROWS = 10 * MAX_ROWS
"""Sheet rows looked at, blank ones included: room for gaps, never a million rows."""
XLSX_SCAN_COLUMNS = 2 * MAX_COLUMNS
"""Sheet columns looked at; data in the last one means the sheet is too wide."""

_MB = 1024 * 1024
_RATIO_FLOOR = 1 * _MB
_SAMPLE_CHARS = 64 * 1024
_SNIFF_CHARS = 8 * 1024
_DELIMITERS = ",;\t|"
_TEXT_TABLE_CONSISTENCY = 0.8
"""A .txt file is a table only if this share of its rows split into the same 2+ columns."""
_XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
_OLD_XLS = noop("I can't read old Excel .xls files. Save it as .xlsx or .csv and send it again.")
_OTHER_SHEET_SUFFIXES = {
    ".xls": _OLD_XLS,
    ".ods": noop("I can't read OpenDocument .ods files. "
                 "Save it as .xlsx or .csv and send it again."),
    ".numbers": noop("I can't read Apple Numbers files. "
                     "Save it as .xlsx or .csv and send it again."),
}
"""Spreadsheet files we do not read, with what to say about each."""
_TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
_TABLE_MIME_TYPES = frozenset({
    "text/csv", "text/x-csv", "application/csv", "application/x-csv",
    "text/comma-separated-values", "text/x-comma-separated-values",
    "text/tab-separated-values",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel.sheet.macroenabled.12",
    "application/vnd.ms-excel",  # old .xls, but also what Windows calls a .csv
    "application/vnd.oasis.opendocument.spreadsheet",
})
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!",
                           "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"})
_EU_NUMBER = re.compile(
    r"(?P<pre>\D*?)(?P<int>\d{1,3}(?:[.\s']\d{3})+|\d+)(?:,(?P<frac>\d+))?(?P<post>\D*)"
)
_EXCEL_SEP_LINE = re.compile(r"sep=([^\r\n\"])[ \t]*(?:\r\n|\r|\n)", re.IGNORECASE)
_LINE_BREAKS = re.compile(r"\s*[\r\n\v\f\x85\u2028\u2029]+\s*")
_DECIMAL_COMMA = re.compile(r",\d{1,2}(?!\d)|,\d{4,}")

_UNREADABLE = noop(
    "I couldn't read that file as a table. Save it as .csv (UTF-8) or .xlsx and send it again."
)
_NOT_XLSX = noop(
    "That doesn't look like a valid .xlsx file. Save it as .csv (UTF-8) or .xlsx and send it again."
)
_EMPTY = noop("That file is empty. Send a CSV or XLSX file with a header row and some data.")


class TableFileRejected(ValueError):
    """A table file we will not use; the message is short, person-readable and says what to do.

    It is a Phrase, said in the person's language when the exception is shown.
    """


def is_table_file(file_name: str | None, mime_type: str | None) -> bool:
    """Whether a document should be read as a table (or refused with an explanation)."""
    suffix = _suffix(file_name)
    known = _TEXT_SUFFIXES | _XLSX_SUFFIXES | _OTHER_SHEET_SUFFIXES.keys()
    return suffix in known or _mime(mime_type) in _TABLE_MIME_TYPES


def check_declared_table_file(file_size: int | None) -> None:
    """Reject by the size Telegram declares, before downloading the file."""
    if file_size is not None:
        _check_size(file_size)


def read_table_file(data: bytes, file_name: str | None, mime_type: str | None) -> Table:
    """Read a CSV or XLSX file into a Table; any problem raises TableFileRejected."""
    try:
        return _read(data, file_name, mime_type)
    except TableFileRejected:
        raise
    except Exception as exc:
        log.warning("table file %r unreadable: %s: %s", file_name, type(exc).__name__, exc)
        raise TableFileRejected(Phrase(_UNREADABLE)) from exc


def _read(data: bytes, file_name: str | None, mime_type: str | None) -> Table:
    _check_size(len(data))
    if not data.strip():
        raise TableFileRejected(Phrase(_EMPTY))
    suffix = _suffix(file_name)
    title = _title(file_name)
    if data.startswith(_OLE_MAGIC):
        raise TableFileRejected(_ole_message(suffix))
    if suffix in _OTHER_SHEET_SUFFIXES:
        raise TableFileRejected(Phrase(_OTHER_SHEET_SUFFIXES[suffix]))
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data, title)
    if suffix in _XLSX_SUFFIXES:
        raise TableFileRejected(Phrase(_NOT_XLSX))
    needs_columns = suffix == ".txt" or (suffix not in _TEXT_SUFFIXES
                                         and _mime(mime_type) not in _TABLE_MIME_TYPES)
    return _read_csv(data, title, prefer_tab=suffix == ".tsv", needs_columns=needs_columns)


def _check_size(size: int) -> None:
    if size > MAX_TABLE_FILE_BYTES:
        raise TableFileRejected(later(
            "That file is {size} MB; I can read table files up to {limit} MB. "
            "Send a smaller CSV or XLSX file.",
            size=f"{size / _MB:.1f}", limit=MAX_TABLE_FILE_BYTES // _MB,
        ))


def _ole_message(suffix: str) -> Phrase:
    if suffix in _XLSX_SUFFIXES:
        return later("That Excel file seems to be password-protected. Remove the password "
                     "(or save it as .csv) and send it again.")
    return Phrase(_OLD_XLS)


def _suffix(file_name: str | None) -> str:
    return PurePosixPath((file_name or "").replace("\\", "/")).suffix.lower()


def _mime(mime_type: str | None) -> str:
    return (mime_type or "").split(";")[0].strip().lower()


def _title(file_name: str | None) -> str:
    """A title from the file name: 'sales_by_year (2).csv' → 'sales by year'."""
    stem = PurePosixPath((file_name or "").replace("\\", "/")).stem
    if stem.lower() in _TEXT_SUFFIXES | _XLSX_SUFFIXES:
        return ""
    stem = re.sub(r"[_\s]+", " ", stem)
    return clean_text(re.sub(r"\s*\(\d+\)$", "", stem))


# --- shared: rows of raw cells → header and body ------------------------------------------------


def _shape(grid: list[list[Any]]) -> tuple[list[str], list[list[Any]]]:
    """Drop blank rows and columns, split off the header and enforce the table limits."""
    rows = _drop_blank_columns([row for row in grid if not _blank_row(row)])
    rows = [[_one_line(cell) for cell in row] for row in rows]
    if not rows:
        raise TableFileRejected(Phrase(_EMPTY))
    header, body = _split_header(rows)
    if not body:
        raise TableFileRejected(later(
            "That file has a header row but no data rows. Add some data and send it again."
        ))
    if len(body) > MAX_ROWS:
        raise TableFileRejected(later(
            "That table has more than {limit} rows; I can take at most {limit}. "
            "Trim it and send it again.",
            limit=MAX_ROWS,
        ))
    return header, body


def _build(header: list[str], body: list[list[Any]], title: str) -> Table:
    try:
        return Table.build(header, body, title=title)
    except TableError as exc:
        raise TableFileRejected(later(
            "I couldn't use that table: {reason}. Save it as .csv (UTF-8) or .xlsx and send it "
            "again.",
            reason=exc.reason,
        )) from exc


def _too_wide(count: int | None) -> TableFileRejected:
    """Too many columns: `count` of them, or None when only "more than the limit" is known."""
    if count is None:
        return TableFileRejected(later(
            "That table has more than {limit} columns; I can take at most {limit}. "
            "Remove some columns and send it again.",
            limit=MAX_COLUMNS,
        ))
    return TableFileRejected(later(
        "That table has {count} columns; I can take at most {limit}. "
        "Remove some columns and send it again.",
        count=count, limit=MAX_COLUMNS,
    ))


def _one_line(cell: Any) -> Any:
    """Line breaks inside a cell become spaces (Table would drop them, gluing words)."""
    return _LINE_BREAKS.sub(" ", cell) if isinstance(cell, str) else cell


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _blank_row(row: Sequence[Any]) -> bool:
    return all(_blank(cell) for cell in row)


def _drop_blank_columns(rows: list[list[Any]]) -> list[list[Any]]:
    """Keep the columns with a value somewhere, padding short rows; refuse too many."""
    used = sorted({j for row in rows for j, cell in enumerate(row) if not _blank(cell)})
    if len(used) > MAX_COLUMNS:
        raise _too_wide(len(used))
    return [[row[j] if j < len(row) else None for j in used] for row in rows]


def _split_header(rows: list[list[Any]]) -> tuple[list[str], list[list[Any]]]:
    """The first row names the columns, unless every cell in it is a number."""
    first = rows[0]
    if all(_is_number(cell) for cell in first):
        return [""] * len(first), rows
    return ["" if _blank(cell) else format_raw(cell) for cell in first], rows[1:]


def _is_number(cell: Any) -> bool:
    if isinstance(cell, bool):
        return False
    if isinstance(cell, int | float):
        return True
    return isinstance(cell, str) and parse_number(cell) is not None


# --- CSV ---------------------------------------------------------------------------------


def _read_csv(data: bytes, title: str, *, prefer_tab: bool, needs_columns: bool) -> Table:
    text = _decode(data)
    if not text.strip():
        raise TableFileRejected(Phrase(_EMPTY))
    _check_is_text(text)
    text, delimiter, consistency = _pick_delimiter(text, prefer_tab=prefer_tab)
    if needs_columns and consistency < _TEXT_TABLE_CONSISTENCY:
        raise TableFileRejected(later(
            "That text file doesn't look like a table: I need columns separated by commas, "
            "semicolons, tabs or |. Send a .csv or .xlsx file."
        ))
    header, body = _shape(_csv_rows(text, delimiter))
    if _uses_decimal_comma(body):
        body = [row[:1] + [_decimal_point(cell) for cell in row[1:]] for row in body]
    return _build(header, body, title)


def _decode(data: bytes) -> str:
    """Text from bytes: BOMs, UTF-16 without BOM, UTF-8, GB18030, then cp1252/latin-1."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    utf16 = _bomless_utf16(data[:4096])
    if utf16:
        return data.decode(utf16, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    chinese = _gb18030_text(data)
    if chinese is not None:
        return chinese
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _bomless_utf16(sample: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when NUL bytes sit on one side of each pair (ASCII text)."""
    half = len(sample) // 2
    if half < 2:
        return None
    even = sample[0: half * 2: 2].count(0) / half
    odd = sample[1: half * 2: 2].count(0) / half
    if odd > 0.25 and even < 0.02:
        return "utf-16-le"
    if even > 0.25 and odd < 0.02:
        return "utf-16-be"
    return None


def _gb18030_text(data: bytes) -> str | None:
    """GB18030 text, if it decodes and reads as Chinese rather than accented Latin.

    Latin text often decodes as GB18030 too ('ü' + 'n' is a valid pair), but real Chinese
    text is nearly all in GB2312, whose bytes are both 0xA1 or above.
    """
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    wide = [ch for ch in text[:_SAMPLE_CHARS] if ord(ch) > 0x7F]
    common = sum(1 for ch in wide if _in_gb2312(ch))
    return text if wide and common >= 0.8 * len(wide) else None


def _in_gb2312(ch: str) -> bool:
    try:
        return len(ch.encode("gb2312")) == 2
    except UnicodeEncodeError:
        return False


def _check_is_text(text: str) -> None:
    sample = text[:_SAMPLE_CHARS]
    controls = sum(1 for ch in sample
                   if ch not in "\t\r\n" and unicodedata.category(ch) == "Cc")
    if controls > max(4, len(sample) // 100):
        raise TableFileRejected(later(
            "That file doesn't look like a text table (CSV). "
            "Save it as .csv (UTF-8) or .xlsx and send it again."
        ))


def _pick_delimiter(text: str, *, prefer_tab: bool) -> tuple[str, str, float]:
    """(text, delimiter, consistency): Excel's 'sep=;' first line decides, else detection."""
    declared = _EXCEL_SEP_LINE.match(text)
    if declared is None:
        return text, *_detect_delimiter(text, "\t" if prefer_tab else None)
    text = text[declared.end():]
    return text, declared[1], _consistency(_head(text, _SAMPLE_CHARS), declared[1])


def _detect_delimiter(text: str, preferred: str | None) -> tuple[str, float]:
    """The delimiter that splits a sample into the most consistent rows of 2+ columns.

    csv.Sniffer's guess and the preferred delimiter win ties; comma if nothing fits.
    """
    sample = _head(text, _SAMPLE_CHARS)
    order = list(dict.fromkeys(d for d in (_sniff(sample), preferred, *_DELIMITERS) if d))
    scores = {d: _consistency(sample, d) for d in order}
    best = max(order, key=lambda d: scores[d])
    return (best, scores[best]) if scores[best] > 0 else (",", 0.0)


def _head(text: str, limit: int) -> str:
    """At most limit characters of text, cut at a line end when there is one."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit)
    return text[: cut if cut > 0 else limit]


def _sniff(sample: str) -> str | None:
    try:
        return csv.Sniffer().sniff(_head(sample, _SNIFF_CHARS), delimiters=_DELIMITERS).delimiter
    except csv.Error:
        return None


def _consistency(sample: str, delimiter: str) -> float:
    """Share of non-blank rows with the most common width; 0 if that width is below 2."""
    try:
        widths = [len(row) for row in csv.reader(io.StringIO(sample, newline=""),
                                                 delimiter=delimiter)
                  if not _blank_row(row)]
    except csv.Error:
        return 0.0
    if not widths:
        return 0.0
    width, count = Counter(widths).most_common(1)[0]
    return count / len(widths) if width >= 2 else 0.0


def _csv_rows(text: str, delimiter: str) -> list[list[Any]]:
    """Non-blank rows, stopping once there is one more than a table may hold."""
    rows: list[list[Any]] = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        if not _blank_row(row):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
    return rows


def _uses_decimal_comma(rows: Iterable[Sequence[Any]]) -> bool:
    """Whether value cells write '1.234,5' / '3,5' and none can only be read as '1.5'."""
    comma = point = False
    for row in rows:
        for cell in row[1:]:
            if not isinstance(cell, str):
                continue
            as_point, as_comma = parse_number(cell), _comma_number(cell)
            if as_comma is not None and (as_point is None or _DECIMAL_COMMA.search(cell)):
                comma = True
            elif as_point is not None and as_comma is None:
                point = True
    return comma and not point


def _decimal_point(cell: Any) -> Any:
    """'1.234,5 €' → '1234.5 €' when the cell is a decimal-comma number; else unchanged."""
    if isinstance(cell, str) and _comma_number(cell) is not None:
        return _rewrite_comma_number(cell)
    return cell


def _rewrite_comma_number(cell: str) -> str | None:
    m = _EU_NUMBER.fullmatch(cell.strip())
    if m is None:
        return None
    integer = re.sub(r"[.\s']", "", m["int"])
    fraction = f".{m['frac']}" if m["frac"] else ""
    return f"{m['pre']}{integer}{fraction}{m['post']}"


def _comma_number(cell: str) -> tuple[float, str] | None:
    rewritten = _rewrite_comma_number(cell)
    return None if rewritten is None else parse_number(rewritten)


# --- XLSX --------------------------------------------------------------------------------


def _read_xlsx(data: bytes, title: str) -> Table:
    _check_zip(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        log.info("xlsx not opened: %s: %s", type(exc).__name__, exc)
        raise TableFileRejected(Phrase(_NOT_XLSX)) from exc
    try:
        grid = _first_sheet_with_data(book)
    finally:
        book.close()
    return _build(*_shape(grid), title)


def _check_zip(data: bytes) -> None:
    """Refuse archives that are broken or unpack to far more than is reasonable.

    zipfile stops every member at its declared size (and checks its CRC), so the declared
    sizes checked here bound what openpyxl will ever unpack.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise TableFileRejected(Phrase(_NOT_XLSX)) from exc
    total = sum(m.file_size for m in members)
    inflated = any(m.file_size > _RATIO_FLOOR
                   and m.file_size > MAX_XLSX_RATIO * max(m.compress_size, 1) for m in members)
    if len(members) > MAX_XLSX_MEMBERS or total > MAX_XLSX_UNPACKED_BYTES or inflated:
        raise TableFileRejected(later(
            "That .xlsx file unpacks to far more data than a table needs, so I won't open it. "
            "Send a smaller sheet or save it as .csv."
        ))


def _first_sheet_with_data(book: Any) -> list[list[Any]]:
    """The active sheet's cells if it has any, else those of the first sheet that does."""
    sheets = list(book.worksheets)
    active = book.active
    ordered = ([active] if active in sheets else []) + [s for s in sheets if s is not active]
    ordered.sort(key=lambda sheet: getattr(sheet, "sheet_state", "visible") != "visible")
    for sheet in ordered:
        grid = _sheet_grid(sheet)
        if grid:
            return grid
    raise TableFileRejected(later(
        "That workbook has no data in any sheet. Send a file with a header row and some data."
    ))


def _sheet_grid(sheet: Any) -> list[list[Any]]:
    """Non-blank rows of a sheet, reading a bounded window and stopping once too many."""
    rows: list[list[Any]] = []
    for cells in sheet.iter_rows(max_row=XLSX_SCAN_ROWS, max_col=XLSX_SCAN_COLUMNS):
        row = [_xlsx_value(cell) for cell in cells]
        if _blank_row(row):
            continue
        if len(row) >= XLSX_SCAN_COLUMNS and not _blank(row[XLSX_SCAN_COLUMNS - 1]):
            raise _too_wide(None)
        rows.append(row)
        if len(rows) > MAX_ROWS + 1:
            break
    return rows


def _xlsx_value(cell: Any) -> Any:
    """A cell's value as Table.build takes it: dates as ISO text, percent formats as '12%'."""
    value = getattr(cell, "value", None)
    if isinstance(value, str):
        return None if value.strip() in _EXCEL_ERRORS else value
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return _iso(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _percent_text(value, str(getattr(cell, "number_format", "") or ""))
    return value


def _iso(value: dt.datetime | dt.date | dt.time | dt.timedelta) -> str:
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _percent_text(value: float, number_format: str) -> float | str:
    """0.125 shown as '12.5%' in Excel becomes '12.5%', so the column gets the % unit."""
    if "%" not in number_format:
        return value
    text = f"{round(value * 100, 10):.10f}".rstrip("0").rstrip(".")
    return f"{text}%" if len(text) <= 30 else value


# --- writing: the chat's table as an Excel workbook ----------------------------------------------

_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_MAX_SHEET_NAME = 31
_MAX_COLUMN_WIDTH = 60


def write_xlsx(table: Table) -> bytes:
    """The table as an .xlsx workbook: numbers stay numbers, shown with their units (a %
    column as Excel percentages), every text cell stored as text (nothing a chart image said
    becomes a formula), the header bold and frozen."""
    book = openpyxl.Workbook()
    sheet = book.active
    name = " ".join(_SHEET_NAME_BAD.sub(" ", table.title).split())
    sheet.title = name[:_MAX_SHEET_NAME] or "Table"
    book.properties.title = table.title or None
    formats = [_number_format(table, j) for j in range(len(table.columns))]
    percent = [table.units.get(column) == "%" for column in table.columns]
    for j, name in enumerate(table.columns, start=1):
        _text_cell(sheet.cell(row=1, column=j), name).font = Font(bold=True)
    for i, row in enumerate(table.rows, start=2):
        for j, value in enumerate(row):
            cell = sheet.cell(row=i, column=j + 1)
            if isinstance(value, float):
                cell.value = value / 100 if percent[j] else value
                cell.number_format = formats[j]
            elif value is not None:
                _text_cell(cell, value)
    for j, column in enumerate(table.columns):
        letter = openpyxl.utils.get_column_letter(j + 1)
        longest = max([len(column), *(len(format_cell(row[j])) for row in table.rows)])
        sheet.column_dimensions[letter].width = min(_MAX_COLUMN_WIDTH, longest + 2)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text_cell(cell: Any, text: str) -> Any:
    cell.value = text
    cell.data_type = "s"  # openpyxl would take "=…" for a formula
    return cell


def _number_format(table: Table, index: int) -> str:
    """An Excel number format for a column: thousands separators, the decimals its values
    use (at most 6), and its unit ('0.0%', '"$"#,##0', '#,##0" kg"')."""
    column = table.columns[index]
    decimals = max((_decimals(row[index]) for row in table.rows
                    if isinstance(row[index], float)), default=0)
    fraction = "." + "0" * decimals if decimals else ""
    unit = table.units.get(column, "")
    if unit == "%":
        return f"0{fraction}%"
    body = f"#,##0{fraction}"
    if not unit:
        return body
    quoted = unit.replace('"', "")
    return f'"{quoted}"{body}' if unit in CURRENCY_SIGNS else f'{body}" {quoted}"'


def _decimals(value: Any) -> int:
    text = f"{value:.6f}".rstrip("0")
    return min(6, len(text.split(".", 1)[1])) if "." in text else 0
