"""Table files: CSV and XLSX documents become tables; every bad file is refused in words."""

from __future__ import annotations

import datetime as dt
import io
import os
import struct
import time
import zipfile
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.tables import files as table_files
from bot.tables.files import (
    MAX_TABLE_FILE_BYTES,
    TableFileRejected,
    check_declared_table_file,
    is_table_file,
    read_table_file,
    write_xlsx,
)
from bot.tables.table import MAX_COLUMNS, MAX_ROWS, Table

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def read(data: bytes, name: str | None = "data.csv", mime: str | None = None) -> Table:
    return read_table_file(data, name, mime)


def rejected(data: bytes, name: str | None = "data.csv", mime: str | None = None) -> str:
    with pytest.raises(TableFileRejected) as info:
        read_table_file(data, name, mime)
    return str(info.value)


def xlsx(*sheets: list[list[Any]], active: int = 0,
         formats: dict[str, str] | None = None) -> bytes:
    """A workbook with one sheet per list of rows; formats maps 'A2' → number format (sheet 1+)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for i, rows in enumerate(sheets):
        sheet = book.create_sheet(f"Sheet{i + 1}")
        for row in rows:
            sheet.append(row)
        for ref, number_format in (formats or {}).items():
            sheet[ref].number_format = number_format
    book.active = active
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def rewrite_member(data: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    """The same zip with one member's bytes changed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info.filename, change(body) if info.filename == name else body)
    return out.getvalue()


# --- which documents are table files --------------------------------------------------------


@pytest.mark.parametrize(("name", "mime", "expected"), [
    ("sales.csv", "text/csv", True),
    ("SALES.CSV", None, True),
    ("sales.tsv", None, True),
    ("sales.txt", "text/plain", True),
    ("book.xlsx", XLSX_MIME, True),
    ("book.xlsm", None, True),
    ("old.xls", "application/vnd.ms-excel", True),
    ("export.csv", "application/vnd.ms-excel", True),
    (None, "text/csv; charset=utf-8", True),
    (None, "text/tab-separated-values", True),
    (None, XLSX_MIME, True),
    ("data", "application/vnd.ms-excel", True),
    ("chart.png", "image/png", False),
    ("report.pdf", "application/pdf", False),
    (None, "text/plain", False),
    (None, None, False),
])
def test_is_table_file(name: str | None, mime: str | None, expected: bool) -> None:
    assert is_table_file(name, mime) is expected


def test_declared_size_is_checked_before_download() -> None:
    check_declared_table_file(None)
    check_declared_table_file(MAX_TABLE_FILE_BYTES)
    with pytest.raises(TableFileRejected, match="up to 5 MB"):
        check_declared_table_file(MAX_TABLE_FILE_BYTES + 1)


def test_real_size_is_checked_too() -> None:
    data = b"Year,Sales\n" + b"2021,10\n" * (MAX_TABLE_FILE_BYTES // 8 + 1)
    assert "up to 5 MB" in rejected(data)


# --- CSV: encodings -------------------------------------------------------------------------


def test_utf8_csv_with_title_from_file_name() -> None:
    table = read(b"Year,Sales\n2021,10\n2022,12\n", "sales_by_year (2).csv")
    assert table.columns == ("Year", "Sales")
    assert table.rows == (("2021", 10.0), ("2022", 12.0))
    assert table.title == "sales by year"


@pytest.mark.parametrize(("name", "title"), [
    (None, ""), ("C:\\Users\\me\\Q3  report.csv", "Q3 report"), (".csv", ""),
])
def test_titles(name: str | None, title: str) -> None:
    assert read(b"a,b\nx,1\n", name).title == title


def test_utf8_bom_does_not_reach_the_first_column_name() -> None:
    table = read("Città,Vendite\nRoma,5\n".encode("utf-8-sig"))
    assert table.columns == ("Città", "Vendite")
    assert table.rows == (("Roma", 5.0),)


def test_gbk_chinese_export() -> None:
    data = "城市,销售额\n北京,1200\n上海,980\n广州,\n".encode("gbk")
    table = read(data, "销售.csv")
    assert table.columns == ("城市", "销售额")
    assert table.rows == (("北京", 1200.0), ("上海", 980.0), ("广州", None))
    assert table.title == "销售"


def test_cp1252_latin_text_is_not_mistaken_for_chinese() -> None:
    data = "Stadt,Umsatz\nMünchen,10\nKöln,12\nDüsseldorf,7\n".encode("cp1252")
    assert read(data).rows == (("München", 10.0), ("Köln", 12.0), ("Düsseldorf", 7.0))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32(encoding: str) -> None:
    data = "Name\tValue\nÄpfel\t3\n梨\t4\n".encode(encoding)
    table = read(data, "fruit.txt")
    assert table.columns == ("Name", "Value")
    assert table.rows == (("Äpfel", 3.0), ("梨", 4.0))


# --- CSV: delimiters and cells ----------------------------------------------------------------


def test_semicolon_file_with_decimal_commas() -> None:
    data = ("Land;Anteil;Umsatz;Datum\n"
            "Deutschland;3,5;1.234,50 €;01.02.2024\n"
            "Österreich;12,25;980,00 €;02.02.2024\n"
            "Schweiz;7;1.000.000,5 €;03.02.2024\n").encode()
    table = read(data)
    assert table.columns == ("Land", "Anteil", "Umsatz", "Datum")
    assert table.rows == (
        ("Deutschland", 3.5, 1234.5, "01.02.2024"),
        ("Österreich", 12.25, 980.0, "02.02.2024"),
        ("Schweiz", 7.0, 1_000_000.5, "03.02.2024"),
    )
    assert table.units == {"Umsatz": "€"}


def test_semicolon_file_with_decimal_points_keeps_them() -> None:
    table = read(b"Item;Price;Count\nA;1.5;1,234\nB;2.25;2\n")
    assert table.rows == (("A", 1.5, 1234.0), ("B", 2.25, 2.0))


def test_decimal_comma_percent_gets_a_unit() -> None:
    table = read(b"Partei;Stimmen\nA;31,2 %\nB;28,9 %\n")
    assert table.rows == (("A", 31.2), ("B", 28.9))
    assert table.units == {"Stimmen": "%"}


def test_tab_separated() -> None:
    table = read(b"Year\tSales, EUR\tCost\n2021\t10\t4\n2022\t12\t5\n", "x.tsv")
    assert table.columns == ("Year", "Sales, EUR", "Cost")
    assert table.rows == (("2021", 10.0, 4.0), ("2022", 12.0, 5.0))


def test_pipe_separated() -> None:
    assert read(b"a|b\nx|1\ny|2\n").rows == (("x", 1.0), ("y", 2.0))


def test_excel_sep_line_sets_the_delimiter() -> None:
    table = read(b"sep=;\r\nName;Note\r\nA;1,5\r\nB;x,y\r\n")
    assert table.columns == ("Name", "Note")
    assert table.rows == (("A", 1.5), ("B", "x,y"))


def test_quoted_fields_with_commas_and_newlines() -> None:
    data = b'City,"Note, long",Value\n"Paris, FR","two\r\nlines",3\n"Rome",plain,4\n'
    table = read(data)
    assert table.columns == ("City", "Note, long", "Value")
    assert table.rows == (("Paris, FR", "two lines", 3.0), ("Rome", "plain", 4.0))


def test_thousands_separators_currency_and_percent() -> None:
    data = b'Region,Revenue,Growth,Users\nNorth,"$1,234,567",12%,"12,000"\nSouth,$950,-3.5%,800\n'
    table = read(data)
    assert table.rows == (("North", 1_234_567.0, 12.0, 12_000.0), ("South", 950.0, -3.5, 800.0))
    assert table.units == {"Revenue": "$", "Growth": "%"}


def test_header_less_numeric_file_gets_invented_names() -> None:
    table = read(b"2021,10,4\n2022,12,5\n")
    assert table.columns == ("Column 1", "Column 2", "Column 3")
    assert table.rows == (("2021", 10.0, 4.0), ("2022", 12.0, 5.0))


def test_year_header_with_blank_corner_is_still_a_header() -> None:
    table = read(b",2021,2022\nSales,10,12\nCost,4,5\n")
    assert table.columns == ("Column 1", "2021", "2022")
    assert table.rows == (("Sales", 10.0, 12.0), ("Cost", 4.0, 5.0))


def test_blank_rows_and_columns_are_skipped() -> None:
    data = b"\n,,\n,Year,,Sales,\n\n,2021,,10,\n , , , ,\n,2022,,12,\n,,,,\n"
    table = read(data)
    assert table.columns == ("Year", "Sales")
    assert table.rows == (("2021", 10.0), ("2022", 12.0))


def test_row_longer_than_header_gets_a_named_column() -> None:
    table = read(b"Name,Value\nA,1,extra\nB,2\n")
    assert table.columns == ("Name", "Value", "Column 3")
    assert table.rows == (("A", 1.0, "extra"), ("B", 2.0, None))


def test_text_file_that_is_a_table() -> None:
    assert read(b"a;b\nx;1\n", "notes.txt", "text/plain").rows == (("x", 1.0),)


def test_text_file_that_is_prose() -> None:
    message = rejected(b"Dear team,\nplease find the numbers\n", "notes.txt", "text/plain")
    assert "doesn't look like a table" in message


# --- CSV: refusals --------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"  \r\n\n ", b",,,\n,,\n", "\ufeff".encode()])
def test_empty_files(data: bytes) -> None:
    assert "empty" in rejected(data)


def test_header_only() -> None:
    assert "no data rows" in rejected(b"Year,Sales\n\n")


def test_too_many_rows_names_the_limit() -> None:
    body = "".join(f"r{i},{i}\n" for i in range(MAX_ROWS + 1))
    message = rejected(("Name,Value\n" + body).encode())
    assert f"more than {MAX_ROWS} rows" in message


def test_exactly_max_rows_is_fine() -> None:
    body = "".join(f"r{i},{i}\n" for i in range(MAX_ROWS))
    assert len(read(("Name,Value\n" + body).encode()).rows) == MAX_ROWS


def test_too_many_columns_names_the_limit() -> None:
    header = ",".join(f"c{j}" for j in range(MAX_COLUMNS + 1))
    values = ",".join(str(j) for j in range(MAX_COLUMNS + 1))
    message = rejected(f"{header}\n{values}\n".encode())
    assert f"{MAX_COLUMNS + 1} columns" in message
    assert f"at most {MAX_COLUMNS}" in message


def test_exactly_max_columns_is_fine() -> None:
    header = ",".join(f"c{j}" for j in range(MAX_COLUMNS))
    values = ",".join(str(j) for j in range(MAX_COLUMNS))
    assert len(read(f"{header}\n{values}\n".encode()).columns) == MAX_COLUMNS


def test_binary_named_csv() -> None:
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20
    assert "doesn't look like a text table" in rejected(data)


def test_table_error_becomes_a_rejection_with_its_message() -> None:
    assert "the table has no rows" in rejected(b"Sales\nn/a\n-\n")


def test_unexpected_parser_error_is_wrapped() -> None:
    data = b'Name,Note\nA,"' + b"x" * 200_000 + b'"\n'
    assert rejected(data).startswith("I couldn't read that file")


# --- XLSX -----------------------------------------------------------------------------------


def test_xlsx_numbers_text_dates_and_percent() -> None:
    data = xlsx([
        ["Month", "Sales", "Share", "Day", "At"],
        ["Jan", 10, 0.125, dt.date(2024, 1, 31), dt.datetime(2024, 1, 31, 13, 30)],
        [2024, 12.5, 0.5, dt.datetime(2024, 2, 1), dt.time(9, 15)],
        ["Line\nbreak", "#DIV/0!", None, None, None],
    ], formats={"C2": "0.0%", "C3": "0%"})
    table = read(data, "Q1 book.xlsx", XLSX_MIME)
    assert table.title == "Q1 book"
    assert table.columns == ("Month", "Sales", "Share", "Day", "At")
    assert table.rows == (
        ("Jan", 10.0, 12.5, "2024-01-31", "2024-01-31 13:30"),
        ("2024", 12.5, 50.0, "2024-02-01", "09:15"),
        ("Line break", None, None, None, None),
    )
    assert table.units == {"Share": "%"}


def test_xlsx_formula_with_cached_value_and_without() -> None:
    data = xlsx([["Item", "Total", "Twice"], ["a", 21, "=B2*2"], ["b", 5, "=B3*2"]])
    cached = rewrite_member(data, "xl/worksheets/sheet1.xml",
                            lambda xml: xml.replace(b"<f>B2*2</f><v />", b"<f>B2*2</f><v>42</v>"))
    assert read(cached, "f.xlsx").rows == (("a", 21.0, 42.0), ("b", 5.0, None))
    assert read(data, "f.xlsx").rows == (("a", 21.0, None), ("b", 5.0, None))


def test_xlsx_first_sheet_empty_second_has_data() -> None:
    table = read(xlsx([], [["City", "Pop"], ["Oslo", 700]]), "cities.xlsx")
    assert table.rows == (("Oslo", 700.0),)


def test_xlsx_active_sheet_wins() -> None:
    data = xlsx([["A", "B"], ["first", 1]], [["A", "B"], ["second", 2]], active=1)
    assert read(data, "b.xlsx").rows == (("second", 2.0),)


def test_xlsx_without_any_data() -> None:
    assert "no data in any sheet" in rejected(xlsx([], [[None, ""]]), "e.xlsx")


def test_xlsx_header_only() -> None:
    assert "no data rows" in rejected(xlsx([["Year", "Sales"]]), "h.xlsx")


def test_xlsx_too_many_rows() -> None:
    rows: list[list[Any]] = [["N", "V"], *([f"r{i}", i] for i in range(MAX_ROWS + 1))]
    assert f"at most {MAX_ROWS}" in rejected(xlsx(rows), "big.xlsx")


def test_xlsx_too_many_columns() -> None:
    rows: list[list[Any]] = [[f"c{j}" for j in range(MAX_COLUMNS + 1)],
                             list(range(MAX_COLUMNS + 1))]
    assert f"at most {MAX_COLUMNS}" in rejected(xlsx(rows), "wide.xlsx")


def test_xlsx_reading_is_bounded() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Value"])
    sheet.append(["a", 1])
    sheet.cell(row=1_000_000, column=1, value="far away")
    sheet.cell(row=1, column=16_000, value="far right")
    buf = io.BytesIO()
    book.save(buf)
    started = time.perf_counter()
    assert read(buf.getvalue(), "sparse.xlsx").rows == (("a", 1.0),)
    assert time.perf_counter() - started < 2


def test_xlsx_data_at_the_edge_of_the_window_is_too_wide() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "Value"])
    sheet.append(["a", 1])
    sheet.cell(row=2, column=table_files.XLSX_SCAN_COLUMNS, value=5)
    buf = io.BytesIO()
    book.save(buf)
    assert f"more than {MAX_COLUMNS} columns" in rejected(buf.getvalue(), "w.xlsx")


def test_xlsx_content_under_a_csv_name_is_read_as_xlsx() -> None:
    assert read(xlsx([["a", "b"], ["x", 1]]), "export.csv").rows == (("x", 1.0),)


# --- XLSX: hostile and broken files --------------------------------------------------------------


def zip_bomb(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * size)
    return out.getvalue()


def test_zip_bomb_is_refused_before_opening() -> None:
    data = zip_bomb(20 * 1024 * 1024)
    assert len(data) < 100_000
    assert "unpacks to far more" in rejected(data, "bomb.xlsx", XLSX_MIME)


def test_total_unpacked_size_is_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    data = xlsx([["a", "b"], ["x", 1]])
    monkeypatch.setattr(table_files, "MAX_XLSX_UNPACKED_BYTES", 1000)
    assert "unpacks to far more" in rejected(data, "book.xlsx")


def test_zip_that_lies_about_sizes_stops_at_the_declared_size() -> None:
    data = bytearray(rewrite_member(
        xlsx([["a", "b"], ["x", 1]]), "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"</sheetData>", b"</sheetData>" + b" " * 30_000_000)))
    member, patched = b"xl/worksheets/sheet1.xml", 0
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(member)] == member:
                struct.pack_into("<I", data, start + size_at, 1000)
                patched += 1
            start += 4
    assert patched == 2  # the local header and the central directory both say 1000 bytes
    message = rejected(bytes(data), "liar.xlsx")
    assert message.startswith(("That doesn't look like a valid .xlsx", "I couldn't read"))


def test_random_bytes_named_xlsx() -> None:
    assert "valid .xlsx" in rejected(os.urandom(2000), "book.xlsx", XLSX_MIME)


def test_broken_zip_named_xlsx() -> None:
    assert "valid .xlsx" in rejected(b"PK\x03\x04" + os.urandom(500), "book.xlsx")


def test_zip_that_is_not_a_workbook() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "valid .xlsx" in rejected(out.getvalue(), "book.xlsx")


@pytest.mark.parametrize("data", [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), b"junk"])
def test_old_xls_asks_for_xlsx_or_csv(data: bytes) -> None:
    message = rejected(data, "old.xls", "application/vnd.ms-excel")
    assert ".xls" in message
    assert ".xlsx or .csv" in message


def test_password_protected_xlsx() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    assert "password" in rejected(data, "secret.xlsx")


def test_other_spreadsheet_formats_are_explained() -> None:
    assert ".xlsx or .csv" in rejected(zip_bomb(10), "sheet.ods")


# --- nothing but TableFileRejected escapes ------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400),
       name=st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a.xls", None]))
def test_any_bytes_give_a_table_or_a_rejection(data: bytes, name: str | None) -> None:
    try:
        read_table_file(data, name, None)
    except TableFileRejected as exc:
        assert str(exc)


_BOOK = xlsx([["Name", "Value", "When"], ["a", 1, dt.date(2024, 1, 1)], ["b", 2.5, None]])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(_BOOK) - 1), st.integers(0, 255)),
                min_size=1, max_size=8))
def test_damaged_xlsx_gives_a_table_or_a_rejection(flips: list[tuple[int, int]]) -> None:
    data = bytearray(_BOOK)
    for at, value in flips:
        data[at] = value
    try:
        read_table_file(bytes(data), "book.xlsx", XLSX_MIME)
    except TableFileRejected as exc:
        assert str(exc)


# --- writing ------------------------------------------------------------------------------------


def test_the_table_as_a_workbook_keeps_numbers_units_and_text() -> None:
    table = Table.build(
        ["Year", "Share", "Revenue", "Weight", "Note"],
        [["2021", "12.5%", "$1,200", "3元", '=HYPERLINK("http://evil")'],
         ["2022", "30%", "$900.5", "4.25元", None],
         ["2023", None, "$10", "5元", "中文"]],
        title="Sales: by [year]?")
    data = write_xlsx(table)

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Sales by year"
    assert [c.value for c in sheet[1]] == ["Year", "Share", "Revenue", "Weight", "Note"]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert [(c.value, c.number_format) for c in sheet[2][1:4]] == [
        (0.125, "0.0%"), (1200, '"$"#,##0.0'), (3, '"¥"#,##0.00')]
    assert sheet["E2"].value == '=HYPERLINK("http://evil")' and sheet["E2"].data_type == "s"
    assert sheet["B4"].value is None and sheet["E4"].value == "中文"

    back = read_table_file(data, "Sales_by_year.xlsx", XLSX_MIME)
    assert back.columns == table.columns and back.rows == table.rows
    assert back.units["Share"] == "%"


def test_an_untitled_table_gets_a_named_sheet() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(write_xlsx(Table.build(["a"], [[1]])))).active
    assert sheet.title == "Table" and sheet["A2"].number_format == "#,##0"
