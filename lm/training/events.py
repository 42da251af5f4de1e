"""What a training run reports, in the order it happens. The same dataclasses feed the CLI's
progress bar and any on_event callback a script passes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..metrics import Metrics


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
