"""`rnn-tui train`: its flags (most default to the recipe for --max-minutes) and the run."""

from __future__ import annotations

import os
import signal
import sys
import threading
from dataclasses import fields

import click

import lm
from lm.training.recipe import describe_tiers

from .click_style import CONTEXT

DEFAULTS = {f.name: f.default for f in fields(lm.TrainConfig)}
# The flags the recipe sets when they are not given (lm/training/recipe.py).
RECIPE = "[default: the recipe for --max-minutes]"


def _split(ctx, param, value):
    try:
        return lm.parse_split(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from None


@click.command(context_settings=CONTEXT, epilog=f"The recipe: {describe_tiers()}.")
@click.option("--corpus", multiple=True, default=DEFAULTS["corpus"], show_default=True,
              help="Bundled corpus name, UTF-8 file, or folder of .txt files (repeatable).")
@click.option("--cell", type=click.Choice(lm.CELL_NAMES), default=None,
              help=f"Recurrent cell: tanh RNN, LSTM or GRU {RECIPE}.")
@click.option("--tokenizer", type=click.Choice(["char", "sp"]), default=DEFAULTS["tokenizer"],
              show_default=True, help="Characters, or sentencepiece subwords.")
@click.option("--vocab-size", type=click.IntRange(min=2), default=DEFAULTS["vocab_size"],
              show_default=True, help="Sentencepiece vocabulary (lowered if the corpus is small).")
@click.option("--sp-type", type=click.Choice(["unigram", "bpe"]), default=DEFAULTS["sp_type"],
              show_default=True, help="Sentencepiece model type.")
@click.option("--hidden", type=click.IntRange(min=1), default=None,
              help=f"Hidden state size per layer {RECIPE}.")
@click.option("--layers", type=click.IntRange(min=1), default=None, help=f"{RECIPE}")
@click.option("--embed", type=click.IntRange(min=1), default=DEFAULTS["embed"], show_default=True,
              help="Embedding size.")
@click.option("--dropout", type=click.FloatRange(0, 1, max_open=True), default=None,
              help=f"Dropout on embeddings, between layers and before the head {RECIPE}.")
@click.option("--tie-weights", is_flag=True, help="Share embedding and output weights (--embed = --hidden).")
@click.option("--seq-len", type=click.IntRange(min=1), default=None,
              help=f"Steps of backpropagation through time per chunk {RECIPE}.")
@click.option("--batch-size", type=click.IntRange(min=1), default=None,
              help=f"Parallel text streams {RECIPE}.")
@click.option("--lr", type=click.FloatRange(min=0, min_open=True), default=None,
              help=f"Peak learning rate (AdamW, warmup then cosine decay) {RECIPE}.")
@click.option("--weight-decay", type=click.FloatRange(min=0), default=None,
              help=f"AdamW's decoupled weight decay {RECIPE}.")
@click.option("--epochs", type=click.IntRange(min=1), default=None,
              help="Passes over the training text [default: 10, or unlimited with --max-minutes].")
@click.option("--steps", type=click.IntRange(min=1), default=None,
              help="Stop after this many updates (reproducible: same seed, same model).")
@click.option("--max-minutes", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Wall-clock budget; the learning rate anneals to reach its floor at the end. "
                   "Not reproducible: how far it gets depends on the machine.")
@click.option("--split", default=",".join(map(str, DEFAULTS["split"])), show_default=True,
              callback=_split,
              help="Train, validation and test fractions (contiguous blocks).")
@click.option("--seed", type=int, default=DEFAULTS["seed"], show_default=True)
@click.option("--eval-every", type=click.IntRange(min=1), default=DEFAULTS["eval_every"],
              show_default=True, help="Steps between validations (each saves, and prints a sample).")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Run folder for best.pt and last.pt [default: a new folder in the user data dir].")
@click.option("--resume", is_flag=True, help="Continue the run in --out (default: the latest run).")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True)
@click.option("--precision", type=click.Choice(["auto", "fp32", "bf16"]), default="auto",
              show_default=True, help="auto: bf16 autocast on CPUs with AMX, else fp32 (on a GPU bf16 must be asked for).")
@click.option("--threads", type=click.IntRange(min=1), default=None,
              help="CPU threads for torch [default: all cores available].")
@click.option("--events", type=click.Choice(["jsonl"]), default=None,
              help="Print each training event as a line of JSON on stdout (schema: docs/events.md) "
                   "instead of the progress bar.")
@click.option("--app", "in_app", is_flag=True,
              help="Open the app's training mode, its form filled from these flags.")
@click.option("--nproc", type=click.IntRange(min=1), default=None,
              help="Data-parallel processes on this machine: runs this command under torchrun "
                   "(DDP; the global batch is split across them). See docs/training.md for several machines.")
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
    from .screens.training import TrainingSetup

    app = make_app(training=TrainingSetup(opts))
    app.run()
    sys.exit(app.return_code or 0)
