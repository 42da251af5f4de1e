"""`rnn-tui inspect`: the learning views (the app's F7), their figures as tables or JSON
(`--report`), and the memory lab trained live (`--report memory`, `--events jsonl` for the app)."""

from __future__ import annotations

import sys

import click

import lm

from .click_style import CONTEXT

# The memory lab's defaults, as lm.inspect.LabConfig has them (here so --help never imports
# torch; tests/test_memory_lab.py holds them equal), and its limits: past these a run takes hours.
LAB_GAP, LAB_STEPS, MAX_GAP, MAX_STEPS = 60, 2000, 500, 100_000
LAB_THREADS = 1  # tiny matrices: two threads trained it no faster (6.1 s vs 6.0 s, 400 steps)


@click.command(context_settings=CONTEXT)
@click.option("--text", default=None,
              help="Text for the cell lens [default: a paragraph of everyday English].")
@click.option("--report", "parts", multiple=True, type=click.Choice(["gradient", "probe",
              "saturation", "memory", "all"]), help="Print these figures instead of opening the "
              "app (repeatable). all: gradient, probe and saturation; memory trains three small "
              "models live, about 30 s a seed.")
@click.option("--json", "as_json", is_flag=True, help="With --report: print JSON.")
@click.option("--seed", "seeds", type=click.IntRange(0, 2**31 - 1), multiple=True,
              help="Memory lab: the seed to train from (repeatable: one run each) [default: 0].")
@click.option("--max-gap", type=click.IntRange(0, MAX_GAP), default=None,
              help=f"Memory lab: sentences hold 0 to this many fillers [default: {LAB_GAP}].")
@click.option("--min-gap", type=click.IntRange(0, MAX_GAP), default=None,
              help="Memory lab: train on gaps from this many fillers up only (evaluation still "
                   "reads every gap) [default: 0].")
@click.option("--seq-len", type=click.IntRange(min=1), default=None,
              help="Memory lab: truncated BPTT, the gradient cut every this many tokens "
                   "[default: none].")
@click.option("--steps", type=click.IntRange(1, MAX_STEPS), default=None,
              help=f"Memory lab: training steps for each cell [default: {LAB_STEPS}].")
@click.option("--events", type=click.Choice(["jsonl"]), default=None,
              help="Memory lab: print its progress as JSON lines, one seed (what the app reads).")
@click.option("--verb-only", is_flag=True,
              help="Memory lab: grade the verb alone, not the fillers between.")
def inspect(text, parts, as_json, seeds, max_gap, min_gap, seq_len, steps, events, verb_only):
    """Look inside a tanh RNN, an LSTM and a GRU: the cell lens, the gradient through time, a
    memory probe, the unrolled cell and gate saturation (the app's F7). --report memory trains
    the memory lab: the three cells, at equal size, learning subject-verb agreement across a gap."""
    if as_json and not parts:
        raise click.UsageError("--json goes with --report (gradient, probe, saturation, memory "
                               "or all)")
    lab_flags = {"--seed": seeds, "--max-gap": max_gap is not None,
                 "--min-gap": min_gap is not None, "--seq-len": seq_len,
                 "--steps": steps, "--verb-only": verb_only, "--events": events}
    given = [flag for flag, value in lab_flags.items() if value]
    if given and "memory" not in parts:
        raise click.UsageError(f"{given[0]} goes with --report memory")
    if events and (set(parts) != {"memory"} or as_json or len(seeds) > 1):
        raise click.UsageError("--events jsonl streams --report memory alone, for one seed")
    if events:
        from .memory_report import stream_memory

        stream_memory(_lab_config(max_gap, min_gap, seq_len, steps, verb_only),
                      seeds[0] if seeds else 0, lambda line: click.echo(line))
        return
    if parts:
        from .inspect_report import PARTS, print_report

        wanted = (PARTS if "all" in parts else ()) + tuple(p for p in parts if p != "all")
        lab = (_lab_config(max_gap, min_gap, seq_len, steps, verb_only) if "memory" in parts
               else None)
        print_report(tuple(dict.fromkeys(wanted)), as_json, lab, seeds or (0,))
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        click.echo(click.get_current_context().get_help())
        return
    from .app import make_app
    from .modes.inspect import InspectSetup

    lm.set_threads(1)  # as the app's model load does: the views' numbers then never vary with it
    # The writing screen under it loads the shipped model after the first frame.
    app = make_app(mode="inspect", setup=InspectSetup(text=text))
    app.run()
    sys.exit(app.return_code or 0)


def _lab_config(max_gap, min_gap, seq_len, steps, verb_only):
    from lm.inspect import LabConfig

    if min_gap is not None and min_gap > (LAB_GAP if max_gap is None else max_gap):
        raise click.BadParameter(f"{min_gap} is above --max-gap", param_hint="'--min-gap'")
    lm.set_threads(LAB_THREADS)
    given = {"max_gap": max_gap, "min_gap": min_gap, "seq_len": seq_len, "steps": steps}
    return LabConfig(**{k: v for k, v in given.items() if v is not None},
                     predict_fillers=not verb_only)
