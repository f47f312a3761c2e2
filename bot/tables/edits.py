"""Edit operations: the model says what changes, this module applies it, deterministically.

An answer's "edits" is a list of operations (see EDITS_HELP) applied in order to a copy of the
table. Cells an operation does not touch are carried over as the very same values, so they
cannot drift. Errors are EditError, in English, naming the edit and its bad part: they go back
to the model once. What changed is summed up as Phrases in numbers, for the person.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from bot.tables.formula import Budget, Formula, FormulaError, evaluate, matches, parse_formula
from bot.tables.table import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    Cell,
    Table,
    cell_number,
    clean_text,
    coerce_cell,
    format_cell,
    format_raw,
)
from bot.words.wording import Phrase, later, noop

MAX_EDITS = 50

EDITS_HELP = """\
"edits": a list of operations, applied in order (null when the data does not change):
 {"op": "set", "row": ROW, "column": NAME, "value": V}
 {"op": "add_row", "values": {NAME: V, ...}} (missing columns stay empty; optional "after": ROW)
 {"op": "delete_rows", "rows": [ROW, ...]} or {"op": "delete_rows", "where": EXPR}
 {"op": "keep_rows", "where": EXPR}
 {"op": "rename_row", "row": ROW, "to": LABEL}
 {"op": "add_column", "name": NAME, "formula": EXPR} or {"op": "add_column", "name": NAME,
  "values": {LABEL: V, ...}}
 {"op": "set_column", "column": NAME, "formula": EXPR}
 {"op": "delete_columns", "columns": [NAME, ...]}, {"op": "rename_column", "column": NAME,
  "to": NAME}
 {"op": "sort_rows", "column": NAME, "descending": true|false}, {"op": "transpose"},
 {"op": "fill_down", "column": NAME} (empty cells take the value above)
ROW: the row's label (text in the label column); where labels repeat, {"index": n} (1-based).
EXPR: arithmetic and comparisons over column names ([brackets] around a name with spaces),
numbers, "text", + - * / ^ ( ), < <= > >= = !=, and/or/not, round(x, digits), abs, min, max;
over all rows: sum(x), mean(x), min(x), max(x), count(x); prev(x) = the value in the row
before; empty(x). E.g. "Revenue * 1.1", "Sales < 10", "Sales / sum(Sales) * 100",
"Sales - prev(Sales)", "[Unit Price] * Quantity"."""

_OP_ALIASES = {
    "set_cell": "set", "update": "set", "add_rows": "add_row", "insert_row": "add_row",
    "delete_row": "delete_rows", "remove_rows": "delete_rows", "remove_row": "delete_rows",
    "filter_rows": "keep_rows", "filter": "keep_rows", "rename": "rename_row",
    "delete_column": "delete_columns", "remove_columns": "delete_columns",
    "remove_column": "delete_columns", "sort": "sort_rows", "compute_column": "add_column",
}
OPS = ("set", "add_row", "delete_rows", "keep_rows", "rename_row", "add_column", "set_column",
       "delete_columns", "rename_column", "sort_rows", "transpose", "fill_down")


class EditError(ValueError):
    """An edit that cannot be applied; the message is for the model (English)."""


@dataclass
class _Work:
    """The table being edited: plain lists, so an edit copies only what it changes."""

    columns: list[str]
    rows: list[list[Cell]]
    units: dict[str, str]

    @property
    def label_index(self) -> int:
        """The label column, as Table.label_column picks it: the first not all-numbers one."""
        for j in range(len(self.columns)):
            values = [row[j] for row in self.rows if row[j] is not None]
            if not (values and all(isinstance(v, float) for v in values)):
                return j
        return 0

    def labels(self) -> list[str]:
        j = self.label_index
        return [format_cell(row[j]) for row in self.rows]


@dataclass
class EditResult:
    """The edited table, what changed (Phrases for the person), and column renames/removals
    the chart settings must follow."""

    table: Table
    changes: tuple[Phrase, ...]
    renamed: dict[str, str] = field(default_factory=dict)
    removed: frozenset[str] = frozenset()
    reshaped: bool = False  # transposed: the chart's columns mean something else now


def label_key(label: str) -> str:
    """How row labels are matched: case, width and quotes don't matter; numbers by value."""
    text = unicodedata.normalize("NFKC", label).strip().strip("\"'“”‘’«»").strip().casefold()
    number = cell_number(text)
    return f"\x00{number!r}" if number is not None else text


def apply_edits(table: Table, raw: object) -> EditResult:
    """Apply the model's "edits" to the table; raises EditError naming the bad edit."""
    if not isinstance(raw, list):
        raise EditError('"edits" must be a list of operations, or null')
    if len(raw) > MAX_EDITS:
        raise EditError(f'"edits" may hold at most {MAX_EDITS} operations')
    work = _Work(list(table.columns), [list(row) for row in table.rows], dict(table.units))
    applier = _Applier(work)
    for n, edit in enumerate(raw, start=1):
        if not isinstance(edit, dict):
            raise EditError(f'edit {n} must be an object like {{"op": "set", ...}}')
        op = str(edit.get("op", "")).strip().lower().replace(" ", "_").replace("-", "_")
        op = _OP_ALIASES.get(op, op)
        if op not in OPS:
            raise EditError(f"edit {n}: there is no op “{edit.get('op')}” "
                            f"(ops: {', '.join(OPS)})")
        try:
            getattr(applier, op)(edit)
        except (EditError, FormulaError) as exc:
            raise EditError(f"edit {n} ({op}): {exc}") from None
    try:
        new = Table(columns=tuple(work.columns), rows=tuple(tuple(r) for r in work.rows),
                    title=table.title, units=work.units)
    except ValidationError as exc:
        raise EditError(f"the edited table is not valid: {exc.errors()[0]['msg']}") from None
    return EditResult(new, tuple(_merged(applier.changes)), applier.renamed,
                      frozenset(applier.removed), applier.reshaped)


@dataclass
class _Note:
    """One change in numbers; notes of the same kind in a row add up ("Added 3 rows")."""

    kind: str
    count: int
    fields: dict[str, object] = field(default_factory=dict)


_NOTES = {
    # kind: (one, many)
    "added_rows": (noop("Added {count} row"),
                     noop("Added {count} rows")),
    "deleted_rows": (noop("Removed {count} row"),
                     noop("Removed {count} rows")),
    "deleted_where": (noop("Removed {count} row where {condition}"),
                     noop("Removed {count} rows where {condition}")),
    "kept_where": (noop("Kept {kept} row where {condition}, removed {count}"),
                     noop("Kept {kept} rows where {condition}, removed {count}")),
    "changed_values": (noop("Changed {count} value in “{column}”"),
                     noop("Changed {count} values in “{column}”")),
    "filled": (noop("Filled {count} empty cell in “{column}”"),
                     noop("Filled {count} empty cells in “{column}”")),
    "deleted_columns": (noop("Removed column {names}"),
                     noop("Removed {count} columns: {names}")),
}


def _merged(notes: Sequence[_Note]) -> list[Phrase]:
    out: list[_Note] = []
    for note in notes:
        last = out[-1] if out else None
        if last and note.kind == last.kind and note.kind in ("added_rows", "deleted_rows"):
            last.count += note.count
        else:
            out.append(note)
    return [_phrase(note) for note in out]


def _phrase(note: _Note) -> Phrase:
    values = {"count": note.count, **note.fields}
    if note.kind == "kept_where":
        # "Kept 1 row" / "Kept 3 rows": the plural follows the rows kept
        one, many = _NOTES[note.kind]
        return Phrase(one if note.fields["kept"] == 1 else many, tuple(values.items()))
    if note.kind in _NOTES:
        one, many = _NOTES[note.kind]
        return Phrase(one if note.count == 1 else many, tuple(values.items()))
    return _SINGLE[note.kind](values)


_SINGLE = {
    "set": lambda v: later("Set {row} · {column} to {value} (was {old})", **v),
    "renamed_row": lambda v: later("Renamed row “{old}” to “{new}”", **v),
    "added_column": lambda v: later("Added column “{column}”", **v),
    "renamed_column": lambda v: later("Renamed column “{old}” to “{new}”", **v),
    "sorted_up": lambda v: later("Sorted rows by “{column}”, smallest first", **v),
    "sorted_down": lambda v: later("Sorted rows by “{column}”, largest first", **v),
    "transposed": lambda v: later("Swapped rows and columns", **v),
}


class _Applier:
    def __init__(self, work: _Work) -> None:
        self.work = work
        self.changes: list[_Note] = []
        self.renamed: dict[str, str] = {}
        self.removed: set[str] = set()
        self.reshaped = False
        self.budget = Budget()

    # --- looking things up ---

    def column(self, edit: dict[str, Any], key: str = "column") -> str:
        name = edit.get(key)
        if not isinstance(name, str) or not name.strip():
            raise EditError(f'"{key}" must be a column name')
        found = self.find_column(name)
        if found is None:
            raise EditError(f"there is no column called “{name}” (columns: "
                            f"{', '.join(self.work.columns)})")
        return found

    def find_column(self, name: str) -> str | None:
        if name in self.work.columns:
            return name
        key = label_key(name)
        return next((c for c in self.work.columns if label_key(c) == key), None)

    def row(self, ref: object, key: str = "row") -> int:
        """The 0-based position of a row given by label or {"index": n}."""
        if isinstance(ref, dict):
            index = ref.get("index")
            if isinstance(index, bool) or not isinstance(index, int | float) or index != int(index):
                raise EditError(f'"{key}": {{"index": n}} needs a whole number n')
            if not 1 <= index <= len(self.work.rows):
                raise EditError(f'"{key}": there is no row {int(index)} '
                                f"(the table has {len(self.work.rows)} rows)")
            return int(index) - 1
        if isinstance(ref, bool) or not isinstance(ref, str | int | float):
            raise EditError(f'"{key}" must be a row label or {{"index": n}}')
        label = format_raw(float(ref)) if isinstance(ref, int | float) else ref
        wanted = label_key(label)
        found = [i for i, text in enumerate(self.work.labels()) if label_key(text) == wanted]
        if not found:
            raise EditError(f"there is no row “{label}”")
        if len(found) > 1:
            places = ", ".join(str(i + 1) for i in found[:10])
            raise EditError(f"“{label}” names {len(found)} rows (positions {places}); "
                            'use {"index": n}')
        return found[0]

    def formula(self, edit: dict[str, Any], key: str) -> Formula:
        return parse_formula(edit.get(key), self.work.columns)

    def cell(self, value: object, j: int) -> Cell:
        """A value written into column j: the label column keeps text as written."""
        if isinstance(value, dict | list):
            raise EditError("a cell value must be a number, text or null")
        if j == self.work.label_index and len(self.work.columns) > 1:
            if value is None:
                return None
            text = clean_text(format_raw(float(value)) if isinstance(value, int | float)
                              and not isinstance(value, bool) else str(value))
            return text[:MAX_CELL_CHARS] or None
        cell, unit = coerce_cell(value)
        if unit:
            self.work.units.setdefault(self.work.columns[j], unit)
        return cell

    def new_name(self, raw: object, key: str) -> str:
        if not isinstance(raw, str) or not clean_text(raw):
            raise EditError(f'"{key}" must be a non-empty name')
        name = clean_text(raw)[:MAX_CELL_CHARS]
        if self.find_column(name) is not None:
            raise EditError(f"there is already a column called “{name}”")
        return name

    def remove_rows(self, doomed: set[int]) -> None:
        if len(doomed) >= len(self.work.rows):
            raise EditError("that would remove every row; the table must keep at least one")
        self.work.rows = [r for i, r in enumerate(self.work.rows) if i not in doomed]

    # --- the operations ---

    def set(self, edit: dict[str, Any]) -> None:
        i = self.row(edit.get("row"))
        column = self.column(edit)
        j = self.work.columns.index(column)
        if "value" not in edit:
            raise EditError('"value" is missing')
        old = self.work.rows[i][j]
        new = self.cell(edit["value"], j)
        self.work.rows[i][j] = new
        self.changes.append(_Note("set", 1, {
            "row": self.work.labels()[i] or f"#{i + 1}", "column": column,
            "value": format_cell(new) or "—", "old": format_cell(old) or "—"}))

    def add_row(self, edit: dict[str, Any]) -> None:
        if len(self.work.rows) >= MAX_ROWS:
            raise EditError(f"the table already has {MAX_ROWS} rows, the most it may have")
        values = edit.get("values")
        if isinstance(values, list):
            if len(values) > len(self.work.columns):
                raise EditError(f'"values" has {len(values)} cells but there are '
                                f"{len(self.work.columns)} columns")
            values = dict(zip(self.work.columns, values, strict=False))
        if not isinstance(values, dict) or not values:
            raise EditError('"values" must be an object like {"Year": "2025", "Sales": 50}')
        row: list[Cell] = [None] * len(self.work.columns)
        for name, value in values.items():
            column = self.find_column(str(name))
            if column is None:
                raise EditError(f"there is no column called “{name}” (columns: "
                                f"{', '.join(self.work.columns)}); add it first with add_column")
            j = self.work.columns.index(column)
            row[j] = self.cell(value, j)
        if all(c is None for c in row):
            raise EditError("the new row is empty")
        at = len(self.work.rows)
        if edit.get("after") is not None:
            at = self.row(edit["after"], "after") + 1
        self.work.rows.insert(at, row)
        self.changes.append(_Note("added_rows", 1))

    def delete_rows(self, edit: dict[str, Any]) -> None:
        if edit.get("where") is not None:
            formula = self.formula(edit, "where")
            hit = matches(formula, self.work, self.budget)
            doomed = {i for i, yes in enumerate(hit) if yes}
            self.remove_rows(doomed)
            self.changes.append(_Note("deleted_where", len(doomed),
                                      {"condition": formula.source}))
            return
        refs = edit.get("rows")
        if not isinstance(refs, list) or not refs:
            raise EditError('give "rows": [labels] or "where": a condition')
        if len(refs) > MAX_ROWS:
            raise EditError(f'"rows" may name at most {MAX_ROWS} rows')
        doomed = {self.row(ref, "rows") for ref in refs}
        self.remove_rows(doomed)
        self.changes.append(_Note("deleted_rows", len(doomed)))

    def keep_rows(self, edit: dict[str, Any]) -> None:
        formula = self.formula(edit, "where")
        hit = matches(formula, self.work, self.budget)
        doomed = {i for i, yes in enumerate(hit) if not yes}
        self.remove_rows(doomed)
        self.changes.append(_Note("kept_where", len(doomed), {
            "condition": formula.source, "kept": len(self.work.rows)}))

    def rename_row(self, edit: dict[str, Any]) -> None:
        i = self.row(edit.get("row"))
        j = self.work.label_index
        old = format_cell(self.work.rows[i][j])
        new = self.cell(edit.get("to"), j)
        if new is None or isinstance(new, float):
            raise EditError('"to" must be the new label')
        self.work.rows[i][j] = new
        self.changes.append(_Note("renamed_row", 1, {"old": old, "new": new}))

    def add_column(self, edit: dict[str, Any]) -> None:
        if len(self.work.columns) >= MAX_COLUMNS:
            raise EditError(f"the table already has {MAX_COLUMNS} columns, the most it may have")
        name = self.new_name(edit.get("name"), "name")
        if edit.get("formula") is not None:
            cells = self.computed(self.formula(edit, "formula"))
        else:
            values = edit.get("values")
            if not isinstance(values, dict):
                raise EditError('give "formula": an expression, or "values": {label: value}')
            cells = [None] * len(self.work.rows)
            for label, value in values.items():
                cell, _ = coerce_cell(value)
                cells[self.row(label, "values")] = cell
        self.work.columns.append(name)
        for row, cell in zip(self.work.rows, cells, strict=True):
            row.append(cell)
        self.changes.append(_Note("added_column", 1, {"column": name}))

    def set_column(self, edit: dict[str, Any]) -> None:
        name = edit.get("column")
        if isinstance(name, str) and self.find_column(name) is None:
            self.add_column({"name": name, "formula": edit.get("formula")})
            return
        column = self.column(edit)
        j = self.work.columns.index(column)
        cells = self.computed(self.formula(edit, "formula"))
        changed = 0
        for row, cell in zip(self.work.rows, cells, strict=True):
            if row[j] != cell:
                row[j] = cell
                changed += 1
        self.changes.append(_Note("changed_values", changed, {"column": column}))

    def computed(self, formula: Formula) -> list[Cell]:
        out: list[Cell] = []
        for value in evaluate(formula, self.work, self.budget):
            if isinstance(value, bool):
                out.append("yes" if value else "no")
            elif isinstance(value, str):
                out.append(value[:MAX_CELL_CHARS] or None)
            elif value is None:
                out.append(None)
            else:  # 12 significant digits: "Revenue * 1.1" gives 655.05, not 655.0500000000001
                out.append(float(f"{value:.12g}"))
        return out

    def delete_columns(self, edit: dict[str, Any]) -> None:
        names = edit.get("columns")
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not names:
            raise EditError('"columns" must be a list of column names')
        doomed = list(dict.fromkeys(self.column({"column": n}) for n in names))
        if len(doomed) >= len(self.work.columns):
            raise EditError("that would remove every column")
        keep = [j for j, c in enumerate(self.work.columns) if c not in doomed]
        self.work.columns = [self.work.columns[j] for j in keep]
        self.work.rows = [[row[j] for j in keep] for row in self.work.rows]
        for name in doomed:
            self.work.units.pop(name, None)
        self.removed.update(doomed)
        self.changes.append(_Note("deleted_columns", len(doomed), {
            "names": ", ".join(f"“{n}”" for n in doomed)}))

    def rename_column(self, edit: dict[str, Any]) -> None:
        old = self.column(edit)
        new = self.new_name(edit.get("to"), "to")
        self.work.columns[self.work.columns.index(old)] = new
        if old in self.work.units:
            self.work.units[new] = self.work.units.pop(old)
        first = next((k for k, v in self.renamed.items() if v == old), old)
        self.renamed[first] = new
        self.changes.append(_Note("renamed_column", 1, {"old": old, "new": new}))

    def sort_rows(self, edit: dict[str, Any]) -> None:
        column = self.column(edit)
        j = self.work.columns.index(column)
        descending = edit.get("descending", False)
        if not isinstance(descending, bool):
            raise EditError('"descending" must be true or false')

        def key(row: list[Cell]) -> tuple[int, float, str]:
            number = cell_number(row[j])
            if number is not None:
                return 0, number, ""
            return 1, 0.0, label_key(format_cell(row[j]))

        present = [r for r in self.work.rows if r[j] is not None]
        missing = [r for r in self.work.rows if r[j] is None]
        present.sort(key=key, reverse=descending)
        self.work.rows = present + missing
        self.changes.append(_Note("sorted_down" if descending else "sorted_up", 1,
                                  {"column": column}))

    def transpose(self, edit: dict[str, Any]) -> None:
        work = self.work
        j = work.label_index
        if len(work.rows) + 1 > MAX_COLUMNS:
            raise EditError(f"a table of {len(work.rows)} rows cannot be turned: it would have "
                            f"more than {MAX_COLUMNS} columns")
        labels = [text or f"Row {i + 1}" for i, text in enumerate(work.labels())]
        others = [k for k in range(len(work.columns)) if k != j]
        if not others:
            raise EditError("a table with only one column cannot be turned")
        units = {work.units.get(work.columns[k], "") for k in others}
        unit = units.pop() if len(units) == 1 else ""  # kept when every value column shares it
        work.rows = [[work.columns[k], *(row[k] for row in work.rows)] for k in others]
        work.columns = [work.columns[j], *_distinct(labels)]
        work.units = {c: unit for c in work.columns[1:]} if unit else {}
        self.reshaped = True
        self.changes.append(_Note("transposed", 1))

    def fill_down(self, edit: dict[str, Any]) -> None:
        column = self.column(edit)
        j = self.work.columns.index(column)
        above: Cell = None
        filled = 0
        for row in self.work.rows:
            if row[j] is None and above is not None:
                row[j] = above
                filled += 1
            above = row[j]
        self.changes.append(_Note("filled", filled, {"column": column}))


def _distinct(names: Sequence[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        candidate, n = name, 2
        while candidate in out:
            candidate, n = f"{name} ({n})", n + 1
        out.append(candidate)
    return out


def table_changes(old: Table, new: Table) -> tuple[Phrase, ...]:
    """What a whole new table (from a model ignoring "edits") changed, in numbers."""
    notes: list[_Note] = []
    added = [c for c in new.columns if c not in old.columns]
    gone = [c for c in old.columns if c not in new.columns]
    notes.extend(_Note("added_column", 1, {"column": c}) for c in added)
    if gone:
        notes.append(_Note("deleted_columns", len(gone),
                           {"names": ", ".join(f"“{n}”" for n in gone)}))
    if len(new.rows) > len(old.rows):
        notes.append(_Note("added_rows", len(new.rows) - len(old.rows)))
    elif len(new.rows) < len(old.rows):
        notes.append(_Note("deleted_rows", len(old.rows) - len(new.rows)))
    else:
        for name in new.columns:
            if name in old.columns:
                before, after = old.column(name), new.column(name)
                changed = sum(1 for a, b in zip(before, after, strict=True) if a != b)
                if changed:
                    notes.append(_Note("changed_values", changed, {"column": name}))
    return tuple(_phrase(n) for n in notes)
