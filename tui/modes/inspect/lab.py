"""The memory lab as a view (F7, key 6): a tanh RNN, an LSTM and a GRU of equal size learn "he
… is / they … are" across g fillers, trained live in a child process (`rnn-tui inspect --report
memory --events jsonl`, lm.inspect.memory), their accuracy by gap drawn as it moves.

The child process keeps the app responsive while it trains (it is niced, one thread), and a
training run is the same one the command line prints.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, ProgressBar, Static
from textual_plotext import Plot

import lm

from ...child import CliProcess
from ...widgets.chart import Chart
from ...widgets.table import Cell, fill
from .charts import View

CAPTION = ("The tutorial's claim, tested: a tanh RNN's hidden state forgets what it saw many steps "
           "ago (its gradient through time vanishes), an LSTM's or a GRU's gates keep it. Three "
           "cells of about 12,000 weights each learn which verb agrees with a subject g filler "
           "words back ('he … is', 'they … are'), the same batches for all; the window is the "
           "BPTT length the gradient flows through (empty: the whole sentence).")
SHOWN_GAPS = (0, 1, 2, 5, 10, 20, 30, 45, 60)  # the table's columns, those within max gap


def horizon_text(horizon: int | None, max_gap: int) -> str:
    if horizon is None:
        return "none"
    return f">={horizon}" if horizon >= max_gap else str(horizon)


class LabView(View):
    def compose(self) -> ComposeResult:
        yield Static(CAPTION, id="lab-note", classes="note")
        with Horizontal(id="lab-options"):
            yield Label("max gap")
            yield Input("60", type="integer", max_length=3, compact=True, id="lab-max-gap")
            yield Label("window")
            yield Input("", type="integer", max_length=3, compact=True, placeholder="none",
                        id="lab-seq-len")
            yield Label("seed")
            yield Input("0", type="integer", max_length=6, compact=True, id="lab-seed")
        yield Static(Text.assemble(("s", "bold"), " starts the lab (and stops it)"),
                     id="lab-status")
        yield ProgressBar(id="lab-progress", show_eta=False)
        yield Chart(id="lab-chart")
        yield DataTable(id="lab-table", cursor_type="none", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False

    def options(self) -> tuple[list[str], int, int | None] | str:
        """The command's flags, the max gap and the window; or why the options are wrong."""
        try:
            max_gap = int(self.query_one("#lab-max-gap", Input).value or 60)
            window = self.query_one("#lab-seq-len", Input).value.strip()
            seq_len = int(window) if window else None
            seed = int(self.query_one("#lab-seed", Input).value or 0)
        except ValueError:
            return "the options must be whole numbers"
        if not 1 <= max_gap <= 200:
            return "max gap: 1 to 200"
        if seq_len is not None and seq_len < 1:
            return "window: 1 or more, or empty for none"
        args = ["--max-gap", str(max_gap), "--seed", str(seed)]
        return args + (["--seq-len", str(seq_len)] if seq_len else []), max_gap, seq_len

    def status(self, text: Text | str) -> None:
        self.query_one("#lab-status", Static).update(Text(text) if isinstance(text, str) else text)

    def show(self, event: dict, max_gap: int, seq_len: int | None, done: bool = False) -> None:
        """A `lab_progress` event (or the `lab_done` result's cells) drawn: the curves, the
        table (the chart's text equivalent) and the step."""
        curves = event["curves"] if "curves" in event else event["cells"]
        bar = self.query_one(ProgressBar)
        bar.display = not done
        if "step" in event:
            bar.update(total=event["steps"], progress=event["step"])

        def draw(plt: Plot) -> None:
            plt.title("verb accuracy vs gap")
            plt.xlabel("g: filler words between subject and verb")
            for cell, c in curves.items():
                plt.plot(list(c["gaps"]), list(c["accuracy"]), color=lm.CELLS[cell].colour,
                         marker="hd", label=f"{cell} (horizon {horizon_text(c['horizon'], max_gap)})")
            plt.hline(0.5, color="gray")
            if seq_len is not None and seq_len <= max_gap:
                plt.vline(seq_len, "gray")
            plt.ylim(0, 1.02)

        self.query_one(Chart).show(draw)
        gaps = [g for g in SHOWN_GAPS if g <= max_gap] + ([max_gap] if max_gap not in SHOWN_GAPS
                                                          else [])
        rows: list[list[Cell]] = []
        for cell, c in curves.items():
            by_gap = dict(zip(c["gaps"], c["accuracy"]))
            rows.append([cell, *(f"{by_gap[g]:.0%}" if g in by_gap else "" for g in gaps),
                         horizon_text(c["horizon"], max_gap)])
        fill(self.query_one(DataTable), ["cell", *(f"g={g}" for g in gaps), "horizon"], rows)


class Lab:
    """Mixed into InspectScreen: the lab's child process, started and stopped by `s` (or Enter
    in its options), its events drawn into the LabView."""

    lab_process: CliProcess | None = None

    def action_lab(self) -> None:
        if self.lab_process is not None and self.lab_process.running:
            self.lab_process.stop()  # SIGINT: the lab ends after this step and reports
            self.query_one(LabView).status("stopping…")
            return
        view = self.query_one(LabView)
        options = view.options()
        if isinstance(options, str):
            view.status(Text(options, style="red"))
            return
        args, max_gap, seq_len = options
        if self.setup.lab_steps is not None:
            args += ["--steps", str(self.setup.lab_steps)]
        self.lab_process = CliProcess(["inspect", "--report", "memory", "--events", "jsonl",
                                       *args])
        self.run_lab(self.lab_process, max_gap, seq_len)

    @on(Input.Submitted, "#lab-options Input")
    def _lab_submitted(self) -> None:
        if self.lab_process is None or not self.lab_process.running:
            self.action_lab()

    @work(exclusive=True, group="lab")
    async def run_lab(self, process: CliProcess, max_gap: int, seq_len: int | None) -> None:
        view = self.query_one(LabView)
        view.status("starting (torch loads in the child process)…")
        await process.start()
        done = None
        async for event in process.events():
            if event["event"] == "lab_progress":
                view.show(event, max_gap, seq_len)
                view.status(Text.assemble(
                    ("training", "bold"), f": step {event['step']:,} of {event['steps']:,}, "
                    f"{event['seconds']:.0f} s · ", ("s", "bold"), " stops"))
            elif event["event"] == "lab_done":
                done = event["result"]
        code = await process.wait()
        if done is None:
            view.status(Text(f"the lab failed: {process.error}", style="red") if code
                        else "stopped")
            return
        view.show(done, max_gap, seq_len, done=True)
        view.status(Text.assemble(
            ("stopped" if done["stopped"] else "done", "bold"),
            f" after {done['steps']:,} steps, {done['seconds']:.0f} s · seed "
            f"{done['config']['seed']} · ", ("s", "bold"), " runs it again"))

    async def finish(self) -> None:
        """The app is quitting: a lab still training is stopped, not left behind."""
        if self.lab_process is not None:
            await self.lab_process.close(5)
