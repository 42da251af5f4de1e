"""`rnn-tui train`: its flags (most default to the recipe for --max-minutes) and the run."""

from __future__ import annotations

import os
import signal
import sys
import threading

import click

import lm

from .click_style import CONTEXT
from .train_flags import EPILOG, options

@click.command(context_settings=CONTEXT, epilog=EPILOG)
@options
def train(events: str | None, in_app: bool, nproc: int | None, **opts) -> None:
    """Train a language model; prints val_bpc=<best> as its last line.

    The model's shape and schedule follow the time you give (--max-minutes) unless you set them:
    the recipe, measured for the best model per CPU-minute. The run says what it chose.
    """
    if in_app:
        _train_in_app(opts)
        return
    from .train_launch import Quiet, ThreadsByMeasure, torchrun

    if nproc is not None:
        sys.exit(torchrun(nproc))
    from .train_events import EventLines

    stop = threading.Event()
    rank = int(os.environ.get("RANK", "0"))  # under torchrun, rank 0 alone reports
    lines = EventLines(stop) if events and rank == 0 else None
    try:
        config = lm.TrainConfig(**opts)  # checks every flag before any work
    except ValueError as e:
        if lines:
            lines.write(lm.failure_json(str(e)))
        raise click.UsageError(str(e)) from None
    # Under torchrun each process gets its share of the cores.
    local = int(os.environ.get("LOCAL_WORLD_SIZE", "1"))
    lm.set_threads(config.threads or max(1, lm.available_cores() // local))

    from rich.console import Console

    from .train_view import TrainView

    def on_sigint(signum, frame):
        # A second Ctrl-C aborts, except under torchrun: it passes the terminal's Ctrl-C on to
        # every worker again, and ends one that will not stop itself.
        if stop.is_set() and "RANK" not in os.environ:
            raise KeyboardInterrupt
        stop.set()
        if not lines and rank == 0:  # with --events, stderr is for errors alone
            click.echo("\nstopping after this step and saving (Ctrl-C again to abort)", err=True)

    def on_sigterm(signum, frame):
        stop.set()  # torchrun's way to stop a worker: save and end, never abort mid-save

    previous = signal.signal(signal.SIGINT, on_sigint), signal.signal(signal.SIGTERM, on_sigterm)
    try:
        with lines or (TrainView(Console(stderr=True)) if rank == 0 else Quiet()) as view:
            on_event = view if config.threads else ThreadsByMeasure(view, quiet=bool(lines))
            result = lm.train(config, on_event=on_event, stop=stop)
            if lines:
                lines(result)  # the "finished" event
                if lines.error:
                    raise lm.LMError(lines.error)
    finally:
        if rank == 0 and "RANK" not in os.environ:  # a torchrun worker keeps them to its exit
            signal.signal(signal.SIGINT, previous[0])
            signal.signal(signal.SIGTERM, previous[1])
    if lines or rank != 0:
        return
    if result.interrupted:
        click.echo(f"interrupted: saved {result.last_path}; continue with "
                   f"rnn-tui train --resume --out {result.out_dir}", err=True)
    click.echo(f"best checkpoint {result.best_path} ({result.steps} steps, "
               f"{result.tokens_per_s:,.0f} tokens/s, {result.elapsed / 60:.1f} min)", err=True)
    click.echo(f"val_bpc={result.best_val.bpc:.4f}")


def _train_in_app(opts: dict) -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        click.echo(click.get_current_context().get_help())  # not a terminal: nothing to draw on
        return
    from .app import make_app
    from .modes.train import TrainingSetup

    app = make_app(mode="train", setup=TrainingSetup(opts))
    app.run()
    sys.exit(app.return_code or 0)
