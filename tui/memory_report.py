"""`rnn-tui inspect --report memory`: the memory lab (lm.inspect.memory) trained live, one run per
seed, with a progress line on stderr and a table per seed (or JSON)."""

from __future__ import annotations

import json
import signal
import threading
from contextlib import contextmanager
from dataclasses import asdict, replace

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from lm.inspect import LabConfig, LabProgress, LabResult, run_lab

# The short gaps a table always shows; beside them, quarters of max_gap and, with seq_len, the
# gaps either side of the cut (the JSON has every gap evaluated). Few enough for 80 columns.
SHORT_GAPS = (0, 1, 2, 5, 10)


@contextmanager
def stop_on_interrupt():
    """An Event that Ctrl-C (SIGINT) sets instead of raising: the lab ends after the step under
    way and its curves so far are printed, marked stopped."""
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def stream_memory(config: LabConfig, seed: int, echo) -> LabResult:
    """One lab as JSON lines (`--events jsonl`), for the app's lab view: a `lab_progress` event
    every config.every steps with every cell's curve, then `lab_done` with the result."""
    def progress(p: LabProgress) -> None:
        echo(json.dumps({"event": "lab_progress", **asdict(p)}))

    with stop_on_interrupt() as stop:
        result = run_lab(replace(config, seed=seed), progress, stop)
    echo(json.dumps({"event": "lab_done", "result": result.to_dict()}))
    return result


def run_memory(config: LabConfig, seeds: tuple[int, ...], err: Console) -> list[LabResult]:
    """One lab per seed, in turn; the progress line (on a terminal only) shows each cell's
    horizon as it moves. Ctrl-C stops the lab under way (its curves so far are kept)."""
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[horizons]}"), TimeElapsedColumn(),
                        console=err, disable=not err.is_terminal)
    results = []
    with progress:
        for seed in seeds:
            task = progress.add_task(f"memory lab, seed {seed}", total=config.steps, horizons="")

            def show(p: LabProgress, task=task) -> None:
                horizons = "  ".join(f"{c.cell} {_horizon(c.horizon, config.max_gap)}"
                                     for c in p.curves.values())
                progress.update(task, completed=p.step, horizons=f"horizon: {horizons}")

            with stop_on_interrupt() as stop:
                results.append(run_lab(replace(config, seed=seed), show, stop))
            if results[-1].stopped:
                break
    return results


def memory_tables(results: list[LabResult]) -> list[Text | Table]:
    """Per seed: a line saying how the lab ran (a table's title would be cut to its width), then
    a row per cell."""
    out: list[Text | Table] = []
    for result in results:
        out += [_heading(result), _table(result)]
    return out


def _heading(result: LabResult) -> Text:
    c = result.config
    truncation = f"truncated BPTT at seq_len {c.seq_len}" if c.seq_len else "no truncation"
    graded = "verb and fillers graded" if c.predict_fillers else "verb alone graded"
    stopped = " (stopped)" if result.stopped else ""
    return Text(f"memory lab, seed {c.seed}, {result.seconds:.0f} s{stopped}: verb accuracy by "
                f"gap g, {c.per_gap} sentences per gap, chance 50 %; "
                f"{'trained on ' if c.min_gap else ''}gaps {c.min_gap}-{c.max_gap}, "
                f"{result.steps} steps, {truncation}, {graded}")


def _table(result: LabResult) -> Table:
    c = result.config
    cut = {c.seq_len - 1, c.seq_len} if c.seq_len else set()  # either side of the cut
    quarters = (2, 4) if cut else (1, 2, 3, 4)  # room for the two gaps at the cut
    wanted = {*SHORT_GAPS, *cut, *(round(c.max_gap * k / 4) for k in quarters)}
    if c.min_gap:  # the gaps it trained on, from their start
        wanted |= {c.min_gap, (c.min_gap + c.max_gap) // 2}
    evaluated = next(iter(result.cells.values())).gaps
    gaps = sorted({min(evaluated, key=lambda e: abs(e - g)) for g in wanted if g <= c.max_gap})
    table = Table(box=box.SIMPLE_HEAD, padding=0, pad_edge=False)
    table.add_column("cell", no_wrap=True)
    for name in ("hidden", "params", *(f"g={g}" for g in gaps), "horizon", "s"):
        table.add_column(name, justify="right", no_wrap=True)
    for cell in result.cells.values():
        table.add_row(cell.cell, str(cell.hidden), f"{cell.params:,}",
                      *(f"{cell.at(g):.0%}" for g in gaps), _horizon(cell.horizon, c.max_gap),
                      f"{cell.seconds:.1f}")
    return table


def _horizon(horizon: int | None, max_gap: int) -> str:
    """'none' when gap 0 already fails; '>= max_gap' when no gap tried failed."""
    if horizon is None:
        return "none"
    return f">={horizon}" if horizon == max_gap else str(horizon)
