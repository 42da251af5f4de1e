"""The chart views: gradient through time, the memory probe and gate saturation (plotext)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Container, Vertical
from textual.widgets import DataTable, ProgressBar, Static
from textual_plotext import Plot

import lm

from ...widgets.chart import Chart
from ...widgets.table import Cell, fill

if TYPE_CHECKING:
    from lm.inspect.gradient import GradientCurve
    from lm.inspect.probe import ProbeRow

TINY = 1e-30  # a gradient that underflowed to 0 still has a place on a log axis
KS = (1, 10, 20, 50)


class View(Vertical, can_focus=True):
    """A tab's body. It takes the focus, so the screen's keys reach it and not the tab bar."""


# --- gradient through time ----------------------------------------------------------------------

def _name(cell: str, trained: bool, forget_bias: float | None) -> str:
    if trained:
        return cell
    return f"{cell} untrained" + (f" f={forget_bias:g}" if lm.CELLS[cell].forget_gate else "")


def _sci(values: list[float], k: int) -> str:
    """3.3e-5: short enough for five columns at 60 columns."""
    if k > len(values):
        return "—"
    mantissa, exponent = f"{values[k - 1]:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"


class GradientView(View):
    def compose(self) -> ComposeResult:
        yield Static(id="gradient-note", classes="note")
        yield Chart(id="gradient-chart")
        yield DataTable(id="gradient-table", cursor_type="none", zebra_stripes=True)

    def show(self, curves: dict[tuple[str, bool], GradientCurve | str | None],
             forget_bias: float, borrowed: bool = False, window: int | None = None) -> None:
        """curves: (cell, trained) -> the curve, or why it failed, or None while computing;
        borrowed: the lens's text was too short, so the curves read the default paragraph;
        window: the truncated-BPTT length the trained models learned with (marked)."""
        pending = sum(c is None for c in curves.values())
        self.query_one("#gradient-note", Static).update(Text.assemble(
            ("‖∂h_T/∂h_T−k‖", "bold"), " of the top layer over the text: how much step T−k still "
            "moves step T. Decay: the factor per step; k*: where it falls below 1/1000 of k=1. ",
            ("f", "bold"), f": the untrained LSTM's forget-gate bias ({forget_bias:g} now).",
            (" Read on the default paragraph: your text is short." if borrowed else "", "dim"),
            (f"\nThe line at k={window}: the trained models' BPTT window (seq_len {window}). "
             "Training never sent a gradient further back than this, so nothing beyond it was "
             "learned on purpose, whatever the gates." if window else "", ""),
            (f"  computing {pending} of {len(curves)}…" if pending else "", "dim")))

        def draw(plt: Plot) -> None:
            plt.title("gradient norm vs k (log scale)")
            plt.xlabel("k: steps back")
            drawn = [(key, c) for key, c in curves.items() if c is not None and not isinstance(c, str)]
            for (cell, trained), curve in drawn:
                plt.plot(curve.ks, [max(v, TINY) for v in curve.h], color=lm.CELLS[cell].colour,
                         marker="hd" if trained else "·", label=_name(cell, trained, forget_bias))
            if window:
                plt.vline(window, "gray")
            if drawn:  # plotext's log axis fails without data
                plt.yscale("log")
                values = [max(v, TINY) for _, c in drawn for v in c.h]
                low, high = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
                every = max(1, (high - low) // 6)  # at most about seven labelled decades
                decades = [10.0 ** e for e in range(low, high + 1, every)]
                plt.yticks(decades, [f"1e{e}" for e in range(low, high + 1, every)])

        self.query_one(Chart).show(draw)
        rows: list[list[Cell]] = []
        for (cell, trained), curve in curves.items():
            name = _name(cell, trained, forget_bias)
            if curve is None or isinstance(curve, str):
                rows.append([name, Text(curve or "computing…", style="dim"), *[""] * 5])
                continue
            horizon = str(curve.horizon) if curve.horizon is not None else f">{len(curve.ks)}"
            rows.append([name, *(_sci(curve.h, k) for k in KS), f"×{curve.decay:.3f}", horizon])
            if curve.c is not None:  # the LSTM's cell-state path
                rows.append(["  └ c", *(_sci(curve.c, k) for k in KS), "", ""])
        fill(self.query_one(DataTable), ["model", *(f"k={k}" for k in KS), "decay", "k*"], rows)


# --- the memory probe ---------------------------------------------------------------------------

class ProbeView(View):
    def compose(self) -> ComposeResult:
        yield Static(id="probe-note", classes="note")
        yield ProgressBar(id="probe-progress", show_eta=False)
        yield Chart(id="probe-chart")
        yield DataTable(id="probe-table", cursor_type="none", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False

    def progress(self, done: int, total: int) -> None:
        bar = self.query_one(ProgressBar)
        bar.display = done < total
        bar.update(total=total, progress=done)

    def show(self, rows: dict[str, list[ProbeRow] | str | None], trained: bool,
             horizons: dict[str, int | None]) -> None:
        """rows: cell -> its rows, or why it failed, or None before it runs."""
        ran = {cell: r for cell, r in rows.items() if r and not isinstance(r, str)}
        self.query_one("#probe-note", Static).update(Text.assemble(
            ("“I <filler> ___ a boy”", "bold"), ": does the model still pick the verb that "
            "agrees with the subject after a gap of filler? Accuracy (95 % interval) per gap; "
            "the grey line is chance. ",
            ("r", "bold"), f" runs it on the {'trained' if trained else 'untrained'} models.",
            *((("  (not run yet)", "dim"),) if not ran else ())))

        def draw(plt: Plot) -> None:
            plt.title("accuracy vs gap")
            plt.xlabel("gap (characters of filler)")
            for cell, cell_rows in ran.items():
                plt.plot([r.gap for r in cell_rows], [r.accuracy for r in cell_rows],
                         color=lm.CELLS[cell].colour, marker="hd", label=cell)
            if ran:
                first = next(iter(ran.values()))
                plt.hline(first[0].chance, color="gray")
                plt.xticks([r.gap for r in first])
            plt.ylim(0, 1)

        self.query_one(Chart).show(draw)
        table_rows: list[list[Cell]] = []
        gaps = sorted({r.gap for cell_rows in ran.values() for r in cell_rows})
        for gap in gaps:
            cells: list[Cell] = []
            for cell in rows:
                row = next((r for r in ran.get(cell, ()) if r.gap == gap), None)
                cells.append(f"{row.accuracy:.0%} ({row.low:.0%}–{row.high:.0%})" if row else "")
            table_rows.append([str(gap), *cells])
        if ran:
            table_rows.append([Text("≥ 90 % up to", style="bold"),
                               *(str(horizons.get(c)) if horizons.get(c) is not None else "—"
                                 for c in rows)])
        for cell, r in rows.items():
            if isinstance(r, str):
                table_rows.append([cell, Text(r, style="red"), *[""] * (len(rows) - 1)])
        fill(self.query_one(DataTable), ["gap", *rows], table_rows)


# --- gate saturation ----------------------------------------------------------------------------

def gated() -> list[str]:
    """The cells with gates that open and shut."""
    return [cell for cell in lm.CELL_NAMES if lm.CELLS[cell].sigmoid_gates]


class GatesView(View):
    def compose(self) -> ComposeResult:
        yield Static(id="gates-note", classes="note")
        with Container(id="gates-charts"):
            for cell in gated():
                yield Chart(id=f"gates-{cell}")
        yield Static(id="gates-summary")

    def show(self, trained: bool, saturation: dict[str, dict | str | None]) -> None:
        """saturation: cell -> {channel: (H, 2) tensor}, or why it failed, or None (computing)."""
        self.query_one("#gates-note", Static).update(Text.assemble(
            "Each dot is a unit of a sigmoid gate: how often it was open (> 0.9, x) and shut "
            "(< 0.1, y) over 4,000 characters of held-back text (the validation split, never "
            "trained on; not your text: a gate's habits show over more than a line). The tanh RNN "
            "has no gates.",
            (f"  ({'trained' if trained else 'untrained'} models; t toggles)", "dim")))
        summary = []
        for cell in gated():
            sat = saturation.get(cell)
            chart = self.query_one(f"#gates-{cell}", Chart)
            if not isinstance(sat, dict):
                chart.show(lambda plt, cell=cell, sat=sat: plt.title(
                    f"{cell}: {sat or 'computing…'}"))
                continue

            def draw(plt: Plot, cell=cell, sat=sat) -> None:
                plt.title(f"{cell}: units by saturation")
                for channel, frac in sat.items():
                    plt.scatter(frac[:, 0].tolist(), frac[:, 1].tolist(), marker="•",
                                label=channel.label())
                plt.xlim(0, 1)
                plt.ylim(0, 1)
                plt.xlabel("open →")
                plt.ylabel("shut ↑")

            chart.show(draw)
            for channel, frac in sat.items():
                right = int((frac[:, 0] > 0.5).sum())
                left = int((frac[:, 1] > 0.5).sum())
                summary.append(f"{cell} {channel.label()}: {right}/{len(frac)} units open, "
                               f"{left} shut more than half the time")
        self.query_one("#gates-summary", Static).update("\n".join(summary))
