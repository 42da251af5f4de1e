"""Filling a DataTable all at once, with its column widths known from the first frame."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.widgets import DataTable

Cell = str | Text


def width_of(cell: Cell) -> int:
    return cell.cell_len if isinstance(cell, Text) else Text.from_markup(cell).cell_len


def fill(table: DataTable, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    """Replace the table's columns and rows, each column as wide as its widest cell.

    DataTable widens auto-width columns only on its next idle; a frame drawn before that (on a
    busy machine, or a screenshot) shows every column cut to its label's width. Widths given
    here hold from the first frame."""
    rows = [list(row) for row in rows]
    table.clear(columns=True)
    for i, label in enumerate(header):
        table.add_column(label, width=max([width_of(label), *(width_of(r[i]) for r in rows)]))
    table.add_rows(rows)
