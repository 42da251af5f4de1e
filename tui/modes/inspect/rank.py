"""Find the unit: a regex (or a preset's name) over the text ranks every unit of the three
models by how well it follows the feature; Enter on a row shows that unit in the lens."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from ...widgets.table import fill
from .lens import Focus
from .work import Ranked


RANK_HEADER = ("model", "channel", "unit", "r")


class Ranking:
    """Mixed into InspectScreen: the box, the error line and the table of #rank."""

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "rank-input":
            return
        if pattern := event.value.strip():
            self.rank(pattern, self.trained, self.text)  # a worker: posts Ranked
            return
        self.mask, self.ranked = None, []
        self.query_one("#rank-error", Static).update("")
        self.query_one("#rank-table", DataTable).clear()
        self.draw_lens()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "rank-input":
            self.query_one("#rank-table", DataTable).focus()

    def on_ranked(self, message: Ranked) -> None:
        if message.pattern != self.query_one("#rank-input", Input).value.strip():
            return  # the keys outran it
        self.query_one("#rank-error", Static).update(message.error or "")  # one line (tcss)
        self.mask, self.ranked = message.mask, message.rows or []
        fill(self.query_one("#rank-table", DataTable), RANK_HEADER,
             [[cell, score.channel.label(), str(score.unit + 1), f"{score.r:+.2f}"]
              for cell, score in self.ranked])
        self.draw_lens()  # the feature's characters underlined

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a ranked unit: the lens shows that model, channel and unit."""
        if event.data_table.id != "rank-table":
            return
        cell, score = self.ranked[event.cursor_row]
        if not hasattr(trace := self._trace(cell), "channels"):  # t was pressed: not in yet
            return
        self.cell = cell
        self.focus[cell] = Focus(trace.channels().index(score.channel), score.unit)
        self.draw_lens()
        self.draw_unrolled()
        self.query_one("#lens-models").focus()
