"""Edit operations: each does what it says, leaves every other cell as it was, and undoes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.charts.spec import ChartSpec, fit_chart, following
from bot.sessions.store import Session, decode_session, encode_session
from bot.tables.edits import EditError, apply_edits, table_changes
from bot.tables.table import Cell, Table
from bot.words.wording import speaking

SALES = Table.build(["Year", "Sales", "Cost", "Region"],
                    [["2021", 10, 4, "North"], ["2022", 12, 5, "South"],
                     ["2023", 7, 6, "North"], ["2024", 30, None, "East"]],
                    title="Sales", units={"Sales": "$"})


def said(result: Any) -> list[str]:
    return [str(change) for change in result.changes]


def test_every_op_in_one_edit() -> None:
    result = apply_edits(SALES, [
        {"op": "add_row", "values": {"Year": 2025, "Sales": 50}},
        {"op": "delete_rows", "where": "Sales < 10"},
        {"op": "add_column", "name": "Margin", "formula": "Sales - Cost"},
        {"op": "rename_column", "column": "Sales", "to": "Revenue"},
        {"op": "set_column", "column": "Revenue", "formula": "Revenue * 1.1"},
        {"op": "sort_rows", "column": "Revenue", "descending": True},
        {"op": "set", "row": "2025", "column": "Cost", "value": "12"},
        {"op": "rename_row", "row": 2025, "to": "2025e"},
        {"op": "fill_down", "column": "Region"},
        {"op": "delete_columns", "columns": ["Margin"]},
    ])
    assert result.table.columns == ("Year", "Revenue", "Cost", "Region")
    assert result.table.rows == (("2025e", 55.0, 12.0, None), ("2024", 33.0, None, "East"),
                                 ("2022", 13.2, 5.0, "South"), ("2021", 11.0, 4.0, "North"))
    assert result.table.units == {"Revenue": "$"}
    assert result.renamed == {"Sales": "Revenue"} and result.removed == {"Margin"}
    assert said(result) == [
        "Added 1 row", "Removed 1 row where Sales < 10", "Added column “Margin”",
        "Renamed column “Sales” to “Revenue”", "Changed 4 values in “Revenue”",
        "Sorted rows by “Revenue”, largest first", "Set 2025 · Cost to 12 (was —)",
        "Renamed row “2025” to “2025e”", "Filled 0 empty cells in “Region”",
        "Removed column “Margin”",
    ]


def test_rows_by_label_or_position_and_where_after() -> None:
    doubled = Table.build(["Name", "X"], [["a", 1], ["b", 2], ["a", 3]])
    with pytest.raises(EditError, match=r"“a” names 2 rows \(positions 1, 3\); use"):
        apply_edits(doubled, [{"op": "set", "row": "a", "column": "X", "value": 9}])
    result = apply_edits(doubled, [
        {"op": "set", "row": {"index": 3}, "column": "x", "value": 9},
        {"op": "add_row", "values": {"Name": "c", "X": "1,5"}, "after": "b"},  # a decimal comma,
        {"op": "add_row", "values": ["d", 4]},
    ])
    assert result.table.rows == (("a", 1.0), ("b", 2.0), ("c", 1.5), ("a", 9.0), ("d", 4.0))
    assert said(result) == ["Set a · X to 9 (was 3)", "Added 2 rows"]


def test_percent_of_total_difference_and_fill_down() -> None:
    table = Table.build(["Month", "Sales", "Team"],
                        [["Jan", 10, "A"], ["Feb", 30, None], ["Mar", 60, None]])
    result = apply_edits(table, [
        {"op": "add_column", "name": "Share %", "formula": "round(Sales / sum(Sales) * 100, 1)"},
        {"op": "add_column", "name": "Change", "formula": "Sales - prev(Sales)"},
        {"op": "fill_down", "column": "Team"},
        {"op": "keep_rows", "where": "Sales > 15"},
    ])
    assert result.table.rows == (("Feb", 30.0, "A", 30.0, 20.0), ("Mar", 60.0, "A", 60.0, 30.0))
    assert said(result)[2:] == ["Filled 2 empty cells in “Team”",
                                "Kept 2 rows where Sales > 15, removed 1"]


def test_add_column_with_values_and_transpose() -> None:
    result = apply_edits(SALES, [
        {"op": "add_column", "name": "Target", "values": {"2021": 11, "2024": "25"}},
        {"op": "delete_columns", "columns": ["Region"]},
        {"op": "transpose"},
    ])
    assert result.table.columns == ("Year", "2021", "2022", "2023", "2024")
    assert result.table.rows[0] == ("Sales", 10.0, 12.0, 7.0, 30.0)
    assert result.table.rows[2] == ("Target", 11.0, None, None, 25.0)
    assert result.reshaped


@pytest.mark.parametrize(("edits", "says"), [
    ("rows", '"edits" must be a list'),
    ([{"op": "explode"}], "edit 1: there is no op “explode”"),
    (["add"], "edit 1 must be an object"),
    ([{"op": "set", "row": "1999", "column": "Sales", "value": 1}],
     "edit 1 (set): there is no row “1999”"),
    ([{"op": "set", "row": "2021", "column": "Profit", "value": 1}],
     "there is no column called “Profit” (columns: Year, Sales, Cost, Region)"),
    ([{"op": "set", "row": "2021", "column": "Sales", "value": {"x": 1}}], "a cell value"),
    ([{"op": "set", "row": {"index": 9}, "column": "Sales", "value": 1}], "no row 9"),
    ([{"op": "delete_rows", "where": "Sales > 0"}], "remove every row"),
    ([{"op": "delete_rows", "where": "__import__('os').system('x')"}],
     "edit 1 (delete_rows): “.” at position 17 is not allowed"),
    ([{"op": "keep_rows", "where": "Sales * 2"}], "not a condition"),
    ([{"op": "add_column", "name": "Sales", "formula": "1"}], "already a column"),
    ([{"op": "rename_column", "column": "Sales", "to": "cost"}], "already a column"),
    ([{"op": "add_row", "values": {"Profit": 1}}], "add it first with add_column"),
    ([{"op": "add_row", "values": {"Year": None}}], "the new row is empty"),
    ([{"op": "delete_columns", "columns": ["Year", "Sales", "Cost", "Region"]}],
     "every column"),
    ([{"op": "sort_rows", "column": "Sales", "descending": "yes"}], "true or false"),
    ([{"op": "set_column", "column": "Sales", "formula": "Sales ** 1000"}], "at most 64"),
    ([{"op": "add_row", "values": {"Year": "x"}}] * 51, "at most 50 operations"),
])
def test_errors_name_the_edit_and_the_bad_part(edits: object, says: str) -> None:
    with pytest.raises(EditError) as caught:
        apply_edits(SALES, edits)
    assert says in str(caught.value)


def test_the_row_limit_holds() -> None:
    full = Table.build(["N", "X"], [[f"r{i}", i] for i in range(500)])
    with pytest.raises(EditError, match="already has 500 rows"):
        apply_edits(full, [{"op": "add_row", "values": {"N": "new", "X": 1}}])


def test_changes_are_said_in_the_persons_language() -> None:
    result = apply_edits(SALES, [{"op": "add_row", "values": {"Year": "2025"}},
                                 {"op": "delete_rows", "where": "Sales < 11"}])
    with speaking("ru"):
        assert said(result) == ["Добавлено строк: 1", "Удалено строк, где Sales < 11: 2"]
    with speaking("de"):
        assert said(result) == ["1 Zeile hinzugefügt", "2 Zeilen entfernt, wo Sales < 11"]


def test_a_whole_new_table_is_summed_up_too() -> None:
    grown = Table.build(SALES.columns, [*SALES.rows, ("2025", 1, 1, "West")])
    assert [str(c) for c in table_changes(SALES, grown)] == ["Added 1 row"]
    changed = Table.build(SALES.columns, [SALES.rows[0], ("2022", 99, 5, "South"),
                                          *SALES.rows[2:]])
    assert [str(c) for c in table_changes(SALES, changed)] == ["Changed 1 value in “Sales”"]


def test_the_chart_follows_renamed_and_removed_columns() -> None:
    spec = ChartSpec(type="bar_line", y=("Sales", "Cost"), secondary_y=("Cost",))
    result = apply_edits(SALES, [{"op": "rename_column", "column": "Sales", "to": "Revenue"},
                                 {"op": "delete_columns", "columns": ["Cost"]}])
    moved = following(spec, result.table, result.renamed, result.removed)
    assert moved.y == ("Revenue",) and moved.secondary_y == ()


# --- properties ----------------------------------------------------------------------------

ID = "Id"
VALUES = ("A", "B", "C")
numbers = st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: round(v, 3)))


@st.composite
def tables(draw: st.DrawFn) -> Table:
    count = draw(st.integers(1, 25))
    labels = draw(st.lists(st.sampled_from(["x", "y", "z", "2021", "2022", "Ünï", "a b"]),
                           min_size=count, max_size=count))
    rows = [(labels[i], *(draw(numbers) for _ in VALUES), f"id{i}") for i in range(count)]
    return Table(columns=("Label", *VALUES, ID), rows=tuple(rows))


def conditions(columns: list[str]) -> st.SearchStrategy[str]:
    column = st.sampled_from([f"[{c}]" for c in columns])
    compare = st.builds(lambda c, op, n: f"{c} {op} {n}", column,
                        st.sampled_from(["<", "<=", ">", ">=", "=", "!="]),
                        st.integers(-1000, 1000))
    return st.one_of(compare, st.builds(lambda a, b: f"{a} or {b}", compare, compare),
                     st.builds(lambda a: f"not {a}", compare),
                     st.builds(lambda c: f"empty({c})", column))


def formulas(columns: list[str]) -> st.SearchStrategy[str]:
    column = st.sampled_from([f"[{c}]" for c in columns])
    return st.one_of(
        st.builds(lambda c, n: f"{c} * {n}", column, st.integers(-5, 5)),
        st.builds(lambda a, b: f"{a} + {b}", column, column),
        st.builds(lambda c: f"{c} - prev({c})", column),
        st.builds(lambda c: f"round({c} / sum({c}) * 100, 2)", column),
    )


@st.composite
def one_edit(draw: st.DrawFn, table: Table) -> dict[str, Any]:
    """A valid-looking op for the table; never touches the Id column, which tracks rows."""
    values = [c for c in table.columns if c not in (ID, "Label")]
    n = len(table.rows)
    row = st.builds(lambda i: {"index": i}, st.integers(1, n))
    ops: list[st.SearchStrategy[dict[str, Any]]] = [
        st.fixed_dictionaries({"op": st.just("add_row"), "values": st.fixed_dictionaries(
            {"Label": st.text("pqr", min_size=1, max_size=3), ID: st.just("new")})}),
        st.fixed_dictionaries({"op": st.just("delete_rows"), "where": conditions(values)}),
        st.fixed_dictionaries({"op": st.just("keep_rows"), "where": conditions(values)}),
        st.fixed_dictionaries({"op": st.just("delete_rows"),
                               "rows": st.lists(row, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"op": st.just("rename_row"), "row": row,
                               "to": st.text("klm", min_size=1, max_size=3)}),
        st.fixed_dictionaries({"op": st.just("sort_rows"), "column": st.sampled_from(values),
                               "descending": st.booleans()}),
        st.fixed_dictionaries({"op": st.just("fill_down"), "column": st.sampled_from(values)}),
    ]
    if values:
        ops += [
            st.fixed_dictionaries({"op": st.just("set"), "row": row,
                                   "column": st.sampled_from(values), "value": numbers}),
            st.fixed_dictionaries({"op": st.just("set_column"),
                                   "column": st.sampled_from(values),
                                   "formula": formulas(values)}),
            st.fixed_dictionaries({"op": st.just("rename_column"),
                                   "column": st.sampled_from(values),
                                   "to": st.sampled_from(["P", "Q", "R"])}),
        ]
        if len(values) > 1:
            ops.append(st.fixed_dictionaries({"op": st.just("delete_columns"),
                                              "columns": st.lists(st.sampled_from(values),
                                                                  min_size=1, max_size=1)}))
    if len(table.columns) < 8:
        ops.append(st.fixed_dictionaries({"op": st.just("add_column"),
                                          "name": st.sampled_from(["S", "T", "U"]),
                                          "formula": formulas(values or ["Label"])}))
    return draw(st.one_of(ops))


def touched(before: Table, edit: dict[str, Any]) -> tuple[set[str], set[tuple[str, str]]]:
    """Which whole columns and which (row id, column) cells the op may write."""
    op = edit["op"]
    ids = before.column(ID)
    if op in ("set_column", "fill_down"):
        return {edit["column"]}, set()
    if op == "set":
        return set(), {(str(ids[edit["row"]["index"] - 1]), edit["column"])}
    if op == "rename_row":
        return set(), {(str(ids[edit["row"]["index"] - 1]), before.label_column)}
    return set(), set()


def by_id(table: Table) -> dict[str, dict[str, Cell]]:
    return {str(row[table.columns.index(ID)]): dict(zip(table.columns, row, strict=True))
            for row in table.rows if row[table.columns.index(ID)] != "new"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.data())
def test_cells_no_op_touches_stay_byte_identical(table: Table, data: st.DataObject) -> None:
    current = table
    for _ in range(data.draw(st.integers(1, 6))):
        edit = data.draw(one_edit(current))
        try:
            result = apply_edits(current, [edit])
        except EditError as exc:  # e.g. a rule that would remove every row, or a name taken
            assert str(exc).startswith("edit 1 (")
            continue
        columns, cells = touched(current, edit)
        renamed = result.renamed
        old, new = by_id(current), by_id(result.table)
        if edit["op"] not in ("delete_rows", "keep_rows"):
            assert set(new) == set(old)
        assert set(new) <= set(old)
        for row_id, after in new.items():
            for name, cell in old[row_id].items():
                if name in columns or (row_id, name) in cells or name in result.removed:
                    continue
                moved = renamed.get(name, name)
                assert repr(after[moved]) == repr(cell), (edit, row_id, name)
        current = result.table


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.data())
def test_apply_then_undo_restores_exactly(table: Table, data: st.DataObject) -> None:
    edits = [data.draw(one_edit(table)) for _ in range(data.draw(st.integers(1, 4)))]
    try:
        edited = apply_edits(table, edits).table
    except EditError:
        return
    session = Session(conversation="telegram:1", table=table, chart=ChartSpec())
    stored = encode_session(session.changed(table=edited, chart=ChartSpec()))
    undone = decode_session("telegram:1", 1, stored).undone()
    assert undone is not None and undone.table == table
    assert undone.table.to_csv() == table.to_csv()
    redone = undone.redone()
    assert redone is not None and redone.table == edited


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
              st.text(max_size=12)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.fixed_dictionaries(
    {"op": st.sampled_from(["set", "add_row", "delete_rows", "keep_rows", "rename_row",
                            "add_column", "set_column", "delete_columns", "rename_column",
                            "sort_rows", "transpose", "fill_down", "nope"])},
    optional={k: json_values for k in ("row", "rows", "column", "columns", "value", "values",
                                       "where", "formula", "name", "to", "after",
                                       "descending")}), min_size=1, max_size=4))
def test_any_model_output_is_applied_or_refused_clearly(edits: list[dict[str, Any]]) -> None:
    try:
        result = apply_edits(SALES, edits)
    except EditError as exc:
        assert str(exc).startswith(("edit ", "the edited table"))
        return
    fit_chart(result.table, ChartSpec()) if result.table.numeric_columns() else None


def test_a_table_too_big_for_bars_is_drawn_as_lines_and_said_so() -> None:
    big = Table.build(["Year", "A", "B", "C", "D"],
                      [[str(1600 + i), i, i * 2, 3, 4] for i in range(400)])
    spec, note = fit_chart(big, ChartSpec())
    assert spec.type == "line" and not spec.markers
    spec.check(big)
    assert str(note) == ("400 rows are too many to draw as bars, so this is a line chart; say "
                         "“bar chart of the top 20” to see bars.")
    kept, none = fit_chart(big, ChartSpec(top_n=20))
    assert kept == ChartSpec(top_n=20) and none is None


def test_few_rows_with_many_columns_show_the_first_columns() -> None:
    wide = Table.build(["Name", *(f"V{j}" for j in range(39))],
                       [[f"r{i}", *range(39)] for i in range(50)])
    spec, note = fit_chart(wide, ChartSpec())
    assert spec.type == "bar" and spec.y == tuple(f"V{j}" for j in range(8))
    assert "first 8 of 39 value columns" in str(note)


def test_an_undrawable_chart_falls_back_to_one_that_fits() -> None:
    negative = Table.build(["Year", "Change"], [["2021", -3], ["2022", 5]])
    spec, note = fit_chart(negative, ChartSpec(type="pie", title="Change"))
    assert spec.type == "bar"
    assert "a pie chart cannot show negative numbers" in str(note)
