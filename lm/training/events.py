"""What a training run reports, in the order it happens. The same dataclasses feed the CLI's
progress bar and any on_event callback a script passes."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

from ..metrics import Metrics


@dataclass(frozen=True)
class Preparing:
    """Reading, tokenizer training or encoding, before the first step: `done` of `total` units
    (bytes or characters)."""
    what: str
    done: int
    total: int


@dataclass(frozen=True)
class Started:
    out_dir: Path
    epochs: int | None  # None: the time budget decides
    parameters: int
    train_tokens: int
    vocab_size: int
    total_steps: int
    resumed_at: int
    cache_hit: bool
    recipe: str | None = None  # what the recipe chose, in words (None: every flag was given)


@dataclass(frozen=True)
class Progress:
    step: int
    total_steps: int
    epoch: int
    loss: float
    lr: float
    grad_norm: float  # before clipping
    clipped: bool
    tokens_per_s: float
    elapsed: float
    fraction: float  # of the run done, by steps or by time budget
    pace: float = 1.0  # tokens/s of the last ~10 s against the run's best 10 s (see pace.py)


@dataclass(frozen=True)
class Evaluated:
    step: int
    val: Metrics
    best: bool


@dataclass(frozen=True)
class Sampled:
    step: int
    text: str


@dataclass(frozen=True)
class Saved:
    step: int
    path: Path


@dataclass
class TrainResult:
    out_dir: Path
    best_path: Path
    last_path: Path
    best_val: Metrics
    steps: int
    tokens_per_s: float
    elapsed: float
    interrupted: bool = False
    history: list[Evaluated] = field(default_factory=list)


# --- one event as a line of JSON (`rnn-tui train --events jsonl`) ----------------------------------

SCHEMA_VERSION = 1  # bump when a key changes meaning or goes; new keys may come without a bump


# The kind each event is sent as; a TrainResult is the "finished" event.
KINDS = {Preparing: "preparing", Started: "started", Progress: "progress", Evaluated: "evaluated",
         Sampled: "sampled", Saved: "saved", TrainResult: "finished"}
LEFT_OUT = {"history"}  # a TrainResult's evaluations went out one by one as they happened


def to_json(event: object) -> dict:
    """The event as a plain dict (JSON-ready): "event" (its kind), "schema", then its fields in
    their order, written the one way every event's are: a path as text, a Metrics as its
    <name>_loss and <name>_bpc (and for a validation, its perplexity), then what is worked out
    from them (a progress line's eta, which checkpoint was saved). A failure is
    failure_json(message)."""
    kind = KINDS.get(type(event))
    if kind is None:
        raise TypeError(f"not a training event: {type(event).__name__}")
    body = {"event": kind, "schema": SCHEMA_VERSION}
    for f in fields(event):
        if f.name not in LEFT_OUT:
            body.update(_plain(f.name, getattr(event, f.name), kind))
    if isinstance(event, Progress):
        body["eta"] = eta(event.fraction, event.elapsed)
        body["pace"] = body.pop("pace")  # last, as the schema has always listed it
    elif isinstance(event, Saved):
        body["kind"] = event.path.stem  # best or last
    return body


def _plain(name: str, value: object, kind: str) -> dict:
    if isinstance(value, Path):
        return {name: _path(value)}
    if isinstance(value, Metrics) or (value is None and name == "best_val"):
        out = {f"{name}_loss": value.loss if value else None,
               f"{name}_bpc": value.bpc if value else None}
        if kind == "evaluated":
            out[f"{name}_perplexity"] = value.perplexity
        return out
    return {name: value}


def failure_json(message: str) -> dict:
    """The last event of a run that ended on an error (the message is the CLI's one line)."""
    return {"event": "failed", "schema": SCHEMA_VERSION, "message": message}


def eta(fraction: float, elapsed: float) -> float | None:
    """Seconds left, if the rest of the run goes at the pace so far (None before any pace)."""
    if fraction <= 0:
        return None
    return max(0.0, elapsed * (1 - fraction) / fraction)


def _path(path: Path) -> str:
    return str(Path(path).absolute())  # a reader in another folder can open it
