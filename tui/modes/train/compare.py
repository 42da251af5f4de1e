"""Compare runs: pick two or three of your runs and see their validation curves on one chart,
with each run's final and best bits per character in a table.

Everything here is read from the small files a run keeps beside its checkpoints (history.jsonl,
run.json): no checkpoint is loaded, so no torch, and the list is quick to draw.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, SelectionList, Static

import lm

from ...widgets.chart import Chart

MOST = 3  # runs on one chart: more is a tangle
COLOURS = ("cyan", "orange", "green")


class CompareView(Vertical):
    DEFAULT_CSS = """
    CompareView #compare-top { height: 1fr; }
    CompareView SelectionList { width: 50; height: 1fr; }
    CompareView Chart { width: 1fr; height: 1fr; }
    CompareView DataTable { height: auto; max-height: 8; }
    CompareView #compare-note { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [Binding("x", "axis", "steps/minutes")]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.runs: list[Path] = []
        self.order: list[Path] = []  # the picked runs, in the order picked
        self.by_time = False

    def compose(self) -> ComposeResult:
        yield Static(id="compare-note")
        with Horizontal(id="compare-top"):
            yield SelectionList[str](id="compare-runs")
            yield Chart(id="compare-chart")
        yield DataTable(id="compare-table", cursor_type="none", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("run", "cell", "size", "corpus", "steps",
                                              "final bpc", "best bpc")
        self.reload()

    def reload(self) -> None:
        """List the runs again (a run may have finished since)."""
        picked = set(self.order)
        self.runs = lm.list_runs()
        self.order = [r for r in self.order if r in self.runs]
        runs = self.query_one(SelectionList)
        with runs.prevent(SelectionList.SelectedChanged):
            runs.clear_options()
            runs.add_options([(_label(r), str(r), r in picked) for r in self.runs])
        self.draw()

    def pick(self, runs: list[Path]) -> None:
        """Select these runs (what a click in the list does; tests call it)."""
        selection = self.query_one(SelectionList)
        for run in runs:
            selection.select(str(run))

    @on(SelectionList.SelectedChanged)
    def _changed(self) -> None:
        selected = [Path(v) for v in self.query_one(SelectionList).selected]
        self.order = [r for r in self.order if r in selected] + \
            [r for r in selected if r not in self.order]
        if len(self.order) > MOST:  # the oldest pick makes room for the newest
            dropped = self.order.pop(0)
            self.query_one(SelectionList).deselect(str(dropped))
            return  # the deselection comes back here
        self.draw()

    def action_axis(self) -> None:
        self.by_time = not self.by_time
        self.draw()

    def draw(self) -> None:
        curves = {run: lm.read_history(run) for run in self.order}
        cards = {run: lm.read_card(run) for run in self.order}
        table = self.query_one(DataTable)
        table.clear()
        for n, (run, colour) in enumerate(zip(self.order, COLOURS), 1):
            card, points = cards[run], curves[run]
            row = [card.cell, card.size, card.corpus_label] if card else ["-", "-", "-"]
            table.add_row(Text(f"{n} {run.name}", style=colour), *row,
                          f"{points[-1]['step']:,}" if points else "-",
                          f"{points[-1]['val_bpc']:.3f}" if points else "-",
                          f"{min(p['val_bpc'] for p in points):.3f}" if points else "-")
        axis = "minutes of training" if self.by_time else "step"

        def chart(plt) -> None:
            plt.title("validation bits per char")
            plt.xlabel(axis)
            for n, ((run, points), colour) in enumerate(zip(curves.items(), COLOURS), 1):
                if not points:
                    continue
                xs = [p.get("elapsed", 0) / 60 if self.by_time else p["step"] for p in points]
                card = cards[run]  # the legend is short: the number ties it to the table's row
                plt.plot(xs, [p["val_bpc"] for p in points], color=colour, marker="braille",
                         label=f"{n} {card.cell} {card.size}" if card else f"{n} {run.name}")

        self.query_one(Chart).show(chart)
        missing = [r.name for r in self.order if not curves[r]]
        note = (f"pick up to {MOST} runs ({len(self.runs)} found); x: {axis}" if not missing else
                f"no validation history in {', '.join(missing)} (trained before runs kept one)")
        self.query_one("#compare-note", Static).update(note)


def _label(run: Path) -> Text:
    card = lm.read_card(run)
    if card is None:
        return Text(run.name)
    # One line (a selection list shows only the first): the name says the cell already.
    return Text.assemble(run.name, "  ", (f"{card.size} {card.best}", "dim"))
