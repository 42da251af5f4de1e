"""`rnn-tui inspect --report`: the learning views' figures as tables (or JSON) for the three
comparison models, trained and untrained, without opening the app; and the memory lab, which
trains its own three small models live (tui/memory_report.py)."""

from __future__ import annotations

import json

import click
from rich import box
from rich.console import Console
from rich.table import Table

import lm
from lm.inspect import LabConfig, comparison_paths, report

from .memory_report import memory_tables, run_memory

# What `--report all` prints: the comparison models' figures. The memory lab is left out: it
# trains for about half a minute per seed, and `all` is meant to stay quick (within 30 s).
PARTS = ("gradient", "probe", "saturation")


def print_report(parts: tuple[str, ...], as_json: bool, lab: LabConfig | None = None,
                 seeds: tuple[int, ...] = (0,)) -> None:
    """`lab` (with "memory" in parts): the memory lab's settings, run once per seed."""
    if set(parts) - {"memory"} and not comparison_paths():
        raise lm.LMError("the comparison models are missing: run scripts/make_comparison_models.py")
    results = {}
    if "gradient" in parts:
        results["gradient"] = report.gradient_rows()
    if "probe" in parts:
        results["probe"] = report.probe_rows()
    if "saturation" in parts:
        results["saturation"] = report.saturation_rows()
    if "memory" in parts:
        labs = run_memory(lab or LabConfig(), seeds, Console(stderr=True))
        results["memory"] = [r.to_dict() for r in labs]
    if as_json:
        click.echo(json.dumps(results, indent=2))
        return
    console = Console()
    if "gradient" in results:
        console.print(_gradient_table(results["gradient"]))
    if "probe" in results:
        console.print(_probe_table(results["probe"]))
    if "saturation" in results:
        console.print(_saturation_table(results["saturation"]))
    if "memory" in results:
        for table in memory_tables(labs):
            console.print(table)


def _gradient_table(rows: list[dict]) -> Table:
    ks = [key for key in rows[0] if key.startswith("k=")]
    table = Table(title="gradient through time: ||dh_T/dh_(T-k)||, held-back text, mean of 4 "
                        "windows; k*: where it falls below 1/1000 of k=1", title_justify="left",
                  box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0), pad_edge=False)
    for name in ("cell", "model", *ks, "per step", "k*", "c, k=50"):
        table.add_column(name, justify="left" if name in ("cell", "model") else "right",
                         no_wrap=True, min_width=len(name))
    for r in rows:
        c50 = r["c k=50"]
        table.add_row(r["cell"], r["model"], *(f"{r[k]:.1e}" for k in ks), f"x{r['decay']:.3f}",
                      str(r["horizon"]) if r["horizon"] else f"> {r['max_k']}",
                      "" if c50 is None else f"{c50:.1e}")
    return table


def _probe_table(results: list[dict]) -> Table:
    gaps = [row["gap"] for row in results[0]["rows"]]
    table = Table(title=f"memory probe 'I <filler> ___ a boy': accuracy by filler length g "
                        f"({results[0]['rows'][0]['n']} per gap, chance 50 %)",
                  title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0), pad_edge=False)
    table.add_column("cell", no_wrap=True)
    table.add_column("model", no_wrap=True)
    for g in gaps:
        table.add_column(f"g={g}", justify="right")
    table.add_column("horizon", justify="right")
    for r in results:
        table.add_row(r["cell"], r["model"], *(f"{row['accuracy']:.0%}" for row in r["rows"]),
                      "none" if r["horizon"] is None else str(r["horizon"]))
    return table


def _saturation_table(rows: list[dict]) -> Table:
    table = Table(title="gate saturation, held-back text: units > 0.9 / < 0.1 over half the time",
                  title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0), pad_edge=False)
    for name in ("cell", "gate", "units", "mostly open", "mostly shut", "mean open", "mean shut"):
        table.add_column(name, justify="left" if name in ("cell", "gate") else "right")
    for r in rows:
        table.add_row(r["cell"], r["gate"], str(r["units"]),
                      str(r["mostly open (>0.9 half the time)"]),
                      str(r["mostly shut (<0.1 half the time)"]),
                      f"{r['mean open']:.2f}", f"{r['mean shut']:.2f}")
    return table
