"""What a training run reports, in the order it happens. The same dataclasses feed the CLI's
progress bar and any on_event callback a script passes."""

from __future__ import annotations

from dataclasses import dataclass, field
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


def to_json(event: object) -> dict:
    """The event as a plain dict (JSON-ready): "event" (its kind), "schema", then its fields.
    A TrainResult is the "finished" event; a failure is failure_json(message)."""
    if isinstance(event, Preparing):
        body = {"event": "preparing", "what": event.what, "done": event.done, "total": event.total}
    elif isinstance(event, Started):
        body = {"event": "started", "out_dir": _path(event.out_dir), "epochs": event.epochs,
                "parameters": event.parameters, "train_tokens": event.train_tokens,
                "vocab_size": event.vocab_size, "total_steps": event.total_steps,
                "resumed_at": event.resumed_at, "cache_hit": event.cache_hit,
                "recipe": event.recipe}
    elif isinstance(event, Progress):
        body = {"event": "progress", "step": event.step, "total_steps": event.total_steps,
                "epoch": event.epoch, "loss": event.loss, "lr": event.lr,
                "grad_norm": event.grad_norm, "clipped": event.clipped,
                "tokens_per_s": event.tokens_per_s, "elapsed": event.elapsed,
                "fraction": event.fraction, "eta": eta(event.fraction, event.elapsed),
                "pace": event.pace}
    elif isinstance(event, Evaluated):
        v = event.val
        body = {"event": "evaluated", "step": event.step, "val_loss": v.loss, "val_bpc": v.bpc,
                "val_perplexity": v.perplexity, "best": event.best}
    elif isinstance(event, Sampled):
        body = {"event": "sampled", "step": event.step, "text": event.text}
    elif isinstance(event, Saved):
        body = {"event": "saved", "step": event.step, "path": _path(event.path),
                "kind": event.path.stem}  # best or last
    elif isinstance(event, TrainResult):
        best = event.best_val
        body = {"event": "finished", "out_dir": _path(event.out_dir),
                "best_path": _path(event.best_path), "last_path": _path(event.last_path),
                "best_val_loss": best.loss if best else None,
                "best_val_bpc": best.bpc if best else None, "steps": event.steps,
                "tokens_per_s": event.tokens_per_s, "elapsed": event.elapsed,
                "interrupted": event.interrupted}
    else:
        raise TypeError(f"not a training event: {type(event).__name__}")
    return {"event": body.pop("event"), "schema": SCHEMA_VERSION, **body}


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
