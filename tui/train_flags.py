"""The train command's flags, in one place: `rnn-tui train` takes them, and the app's training
form parses what it holds with the same options (so the two can never disagree)."""

from __future__ import annotations

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


# Every train flag, in the order --help lists them.
FLAGS = [
    click.option("--corpus", multiple=True, default=DEFAULTS["corpus"], show_default=True,
        help="Bundled corpus name, UTF-8 file, or folder of .txt files (repeatable)."),
    click.option("--cell", type=click.Choice(lm.CELL_NAMES), default=None,
        help=f"Recurrent cell: tanh RNN, LSTM or GRU {RECIPE}."),
    click.option("--tokenizer", type=click.Choice(list(lm.TOKENIZER_KINDS)), default=DEFAULTS["tokenizer"],
        show_default=True, help="Characters, or sentencepiece subwords."),
    click.option("--vocab-size", type=click.IntRange(min=2), default=DEFAULTS["vocab_size"],
        show_default=True, help="Sentencepiece vocabulary (lowered if the corpus is small)."),
    click.option("--sp-type", type=click.Choice(["unigram", "bpe"]), default=DEFAULTS["sp_type"],
        show_default=True, help="Sentencepiece model type."),
    click.option("--hidden", type=click.IntRange(min=1), default=None,
        help=f"Hidden state size per layer {RECIPE}."),
    click.option("--layers", type=click.IntRange(min=1), default=None, help=f"{RECIPE}"),
    click.option("--embed", type=click.IntRange(min=1), default=DEFAULTS["embed"], show_default=True,
        help="Embedding size."),
    click.option("--dropout", type=click.FloatRange(0, 1, max_open=True), default=None,
        help=f"Dropout on embeddings, between layers and before the head {RECIPE}."),
    click.option("--tie-weights", is_flag=True, help="Share embedding and output weights (--embed = --hidden)."),
    click.option("--seq-len", type=click.IntRange(min=1), default=None,
        help=f"Steps of backpropagation through time per chunk {RECIPE}."),
    click.option("--batch-size", type=click.IntRange(min=1), default=None,
        help=f"Parallel text streams {RECIPE}."),
    click.option("--lr", type=click.FloatRange(min=0, min_open=True), default=None,
        help=f"Peak learning rate (AdamW, warmup then cosine decay) {RECIPE}."),
    click.option("--weight-decay", type=click.FloatRange(min=0), default=None,
        help=f"AdamW's decoupled weight decay {RECIPE}."),
    click.option("--epochs", type=click.IntRange(min=1), default=None,
        help="Passes over the training text [default: 10, or unlimited with --max-minutes]."),
    click.option("--steps", type=click.IntRange(min=1), default=None,
        help="Stop after this many updates (reproducible: same seed, same model)."),
    click.option("--max-minutes", type=click.FloatRange(min=0, min_open=True), default=None,
        help="Wall-clock budget; the learning rate anneals to reach its floor at the end. "
        "Not reproducible: how far it gets depends on the machine."),
    click.option("--split", default=",".join(map(str, DEFAULTS["split"])), show_default=True,
        callback=_split,
        help="Train, validation and test fractions (contiguous blocks)."),
    click.option("--seed", type=int, default=DEFAULTS["seed"], show_default=True),
    click.option("--eval-every", type=click.IntRange(min=1), default=DEFAULTS["eval_every"],
        show_default=True, help="Steps between validations (each saves, and prints a sample)."),
    click.option("--out", type=click.Path(file_okay=False), default=None,
        help="Run folder for best.pt and last.pt [default: a new folder in the user data dir]."),
    click.option("--resume", is_flag=True, help="Continue the run in --out (default: the latest run)."),
    click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True),
    click.option("--precision", type=click.Choice(["auto", "fp32", "bf16"]), default="auto",
        show_default=True, help="auto: bf16 autocast on CPUs with AMX, else fp32 (on a GPU bf16 must be asked for)."),
    click.option("--threads", type=click.IntRange(min=1), default=None,
        help="CPU threads for torch [default: all cores available]."),
    click.option("--events", type=click.Choice(["jsonl"]), default=None,
        help="Print each training event as a line of JSON on stdout (schema: docs/events.md) "
        "instead of the progress bar."),
    click.option("--app", "in_app", is_flag=True,
        help="Open the app's training mode, its form filled from these flags."),
    click.option("--nproc", type=click.IntRange(min=1), default=None,
        help="Data-parallel processes on this machine: runs this command under torchrun "
        "(DDP; the global batch is split across them). See docs/training.md for several machines."),
]


def options(command):
    """Every train flag, applied to a click command function (last first, as decorators are)."""
    for flag in reversed(FLAGS):
        command = flag(command)
    return command


EPILOG = f"The recipe: {describe_tiers()}."
# The same options on a command that does nothing: what the app's form parses its text with.
PARSER = click.command(context_settings=CONTEXT, epilog=EPILOG)(options(lambda **opts: None))
