"""The new-run form: the CLI's `train` flags that matter most, prefilled from its defaults.

What the form holds is an argument list for `rnn-tui train`, and it is checked as the CLI checks
it: parsed by the train command's own options, then built into an lm.TrainConfig. So a value
the form lets through is one the CLI takes, and its message is the CLI's, on one line.
Whether a corpus path exists is the run's to say: its one-line error comes back from the process.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

import click
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, Static

import corpora as registry
import lm

from ... import train_flags

DEFAULTS = train_flags.DEFAULTS  # lm.TrainConfig's, which are the CLI's
# The fields the form shows; every other flag may go in "more flags".
SHOWN = ("corpus", "cell", "tokenizer", "hidden", "layers", "embed", "max_minutes", "steps",
         "eval_every", "seed")
NOT_FLAGS = ("events", "in_app", "nproc")  # the run's own business


@dataclass
class TrainingSetup:
    """What the form starts with: parsed `train` options (rnn-tui train --app passes its own)."""
    opts: dict = field(default_factory=dict)


class TrainForm(Vertical):
    DEFAULT_CSS = """
    TrainForm { height: auto; padding: 0 1; }
    TrainForm Grid { grid-size: 4; grid-columns: 12 1fr 12 1fr; grid-rows: 3; height: auto;
                     grid-gutter: 0 1; }
    TrainForm Label { padding: 1 0 0 0; }
    TrainForm #form-error { color: $error; height: auto; min-height: 1; margin: 1 0 0 0; }
    TrainForm #form-hint { color: $text-muted; height: auto; }
    TrainForm #form-buttons { height: 3; margin: 1 0 0 0; }
    """

    class Start(Message):
        """The user asked to start a run with these `train` arguments (already checked)."""

        def __init__(self, args: list[str]):
            super().__init__()
            self.args = args

    def __init__(self, setup: TrainingSetup | None = None, **kwargs):
        super().__init__(**kwargs)
        self.opts = {**DEFAULTS, **(setup.opts if setup else {})}

    def compose(self) -> ComposeResult:
        o = self.opts
        corpus = list(o["corpus"]) or list(DEFAULTS["corpus"])
        bundled = corpus[0] if corpus[0] in registry.names() else None
        with Grid():
            yield Label("corpus")
            yield Select([(n, n) for n in registry.names()], value=bundled or Select.NULL,
                         prompt="bundled corpus", id="form-corpus")
            yield Label("or a path")
            yield Input(value="" if bundled else corpus[0], id="form-path",
                        placeholder="a UTF-8 file or a folder of .txt")
            yield Label("cell")
            yield Select([(c, c) for c in lm.CELL_NAMES], value=o["cell"] or Select.NULL,
                         prompt="by minutes", id="form-cell")
            yield Label("tokenizer")
            yield Select([(label, kind) for kind, label in lm.TOKENIZER_KINDS.items()],
                         value=o["tokenizer"], allow_blank=False, id="form-tokenizer")
            yield Label("hidden")
            yield Input(_blank(o["hidden"]), type="integer", id="form-hidden",
                        placeholder="by minutes")
            yield Label("layers")
            yield Input(_blank(o["layers"]), type="integer", id="form-layers",
                        placeholder="by minutes")
            yield Label("embed")
            yield Input(str(o["embed"]), type="integer", id="form-embed")
            yield Label("seed")
            yield Input(str(o["seed"]), type="integer", id="form-seed")
            yield Label("minutes")
            yield Input(_blank(o["max_minutes"]), type="number", id="form-minutes",
                        placeholder="no limit")
            yield Label("steps")
            yield Input(_blank(o["steps"]), type="integer", id="form-steps",
                        placeholder="no limit")
            yield Label("eval every")
            yield Input(str(o["eval_every"]), type="integer", id="form-eval-every")
            yield Label("more flags")
            yield Input(shlex.join(other_flags(o)), id="form-more",
                        placeholder="--batch-size 16 --lr 2e-3 --threads 1 …")
        yield Static(id="form-error")
        yield Static("Cell and size left empty follow the minutes (the recipe). Without minutes "
                     "or steps a run goes 10 epochs. Enter or F5 starts it; the board shows it as "
                     "it learns.", id="form-hint")
        with Horizontal(id="form-buttons"):
            yield Button("Start training", variant="primary", id="form-start")

    # --- what the form says ----------------------------------------------------------------

    def args(self) -> list[str]:
        """The `rnn-tui train` arguments the fields spell (checked or not)."""
        def value(name: str) -> str:
            return self.query_one(f"#form-{name}", Input).value.strip()

        path = value("path")
        corpus = path or self.query_one("#form-corpus", Select).value
        out = ["--corpus", str(corpus)] if corpus not in (Select.NULL, "") else []
        cell = self.query_one("#form-cell", Select).value
        out += ["--cell", str(cell)] if cell is not Select.NULL else []
        out += ["--tokenizer", str(self.query_one("#form-tokenizer", Select).value)]
        for name in ("hidden", "layers"):  # left empty: the recipe for the minutes decides
            out += [f"--{name}", value(name)] if value(name) else []
        for name in ("embed", "seed", "eval-every"):
            out += [f"--{name}", value(name)]
        if value("minutes"):
            out += ["--max-minutes", value("minutes")]
        if value("steps"):
            out += ["--steps", value("steps")]
        try:
            out += shlex.split(value("more"))
        except ValueError as e:  # an open quote
            out += [f"--more-flags-unreadable={e}"]
        return out

    def problem(self) -> str | None:
        """What the CLI would refuse in these arguments, in one line (None: it takes them)."""
        return check(self.args())

    def show_error(self, message: str | None) -> None:
        self.query_one("#form-error", Static).update(message or "")

    @on(Input.Changed)
    @on(Select.Changed)
    def _recheck(self) -> None:
        self.show_error(self.problem())

    @on(Input.Submitted)
    @on(Button.Pressed, "#form-start")
    def submit(self) -> None:
        problem = self.problem()
        self.show_error(problem)
        if problem is None:
            self.post_message(self.Start(self.args()))


def check(args: list[str]) -> str | None:
    """The train command's own parsing, then TrainConfig's checks; the first problem, or None."""
    if not any(a == "--corpus" or a.startswith("--corpus=") for a in args):
        return "pick a bundled corpus or type a path"
    try:
        with train_flags.PARSER.make_context("train", list(args)) as ctx:
            opts = {k: v for k, v in ctx.params.items() if k not in NOT_FLAGS}
    except click.exceptions.Exit:
        return "--help is not a training flag"
    except click.ClickException as e:
        return e.format_message().replace("\n", " ")
    if ctx.params.get("events") or ctx.params.get("in_app"):
        return "--events and --app are the app's to set"
    if ctx.params.get("nproc"):
        return "--nproc runs from the command line: rnn-tui train --nproc N"
    try:
        lm.TrainConfig(**opts)
    except ValueError as e:
        return str(e)
    return None


def other_flags(opts: dict) -> list[str]:
    """The options the form has no field for, as flags (those not at their default)."""
    out: list[str] = []
    for param in train_flags.PARSER.params:
        name = param.name
        if name in SHOWN or name in NOT_FLAGS or not isinstance(param, click.Option):
            continue
        value = opts.get(name)
        if value is None or value is False or value == DEFAULTS.get(name, param.default):
            continue
        flag = max(param.opts, key=len)
        if value is True:
            out.append(flag)
        elif isinstance(value, (tuple, list)):
            out += [flag, ",".join(map(str, value))] if name == "split" else \
                [x for v in value for x in (flag, str(v))]
        else:
            out += [flag, str(value)]
    # A second corpus and after: the form shows the first.
    for extra in list(opts.get("corpus") or [])[1:]:
        out += ["--corpus", extra]
    return out


def _blank(value) -> str:
    return "" if value is None else str(value)
