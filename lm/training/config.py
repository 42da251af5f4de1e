"""What a training run is asked to do: one frozen, validated config, torch-free so the CLI can
build its flags from it without loading torch."""

from __future__ import annotations

from dataclasses import dataclass, fields

from .. import defaults
from ..numbers import finite, whole
from . import recipe

DEFAULT_EPOCHS = 10

# What a resumed run may change: how long and where it runs, never what it computes.
RESUME_OVERRIDES = ("max_minutes", "device", "threads")


@dataclass(frozen=True)
class TrainConfig:
    corpus: tuple[str, ...] = defaults.CORPUS
    # None: the recipe's choice for the time budget (lm/training/recipe.py), like every field
    # below left at None that recipe.FIELDS names.
    cell: str | None = None
    tokenizer: str = "char"
    vocab_size: int = 2000  # sp only
    sp_type: str = "unigram"
    embed: int = 64
    hidden: int | None = None
    layers: int | None = None
    dropout: float | None = None
    tie_weights: bool = False
    seq_len: int | None = None
    batch_size: int | None = None
    lr: float | None = None
    weight_decay: float | None = None  # AdamW's, decoupled
    warmup_steps: int = 100
    min_lr_ratio: float = 0.05
    clip: float = 1.0
    epochs: int | None = None  # None: 10, or until the time budget or step count when there is one
    steps: int | None = None  # stop after this many updates: same seed, same run
    max_minutes: float | None = None  # a wall-clock budget: how far it gets depends on the machine
    split: tuple[float, float, float] = defaults.SPLIT
    seed: int = 1337
    eval_every: int = 1000  # steps
    sample_tokens: int = 160
    out: str | None = None
    resume: bool = False
    device: str = "auto"
    precision: str = "auto"  # auto: bf16 where the hardware does it natively, else fp32
    threads: int | None = None  # applied by the entry point (torch's threads are process-wide)
    from_recipe: tuple[str, ...] = ()  # the fields the recipe filled (said when a run starts)

    def __post_init__(self):
        unset = tuple(name for name in recipe.FIELDS if getattr(self, name) is None)
        chosen = recipe.for_budget(self.max_minutes)
        for name in unset:
            object.__setattr__(self, name, getattr(chosen, name))
        object.__setattr__(self, "from_recipe", tuple(unset or self.from_recipe))
        object.__setattr__(self, "corpus", tuple(self.corpus))
        object.__setattr__(self, "split", tuple(self.split))
        for problem in self.problems():
            raise ValueError(problem)

    def problems(self) -> list[str]:
        """What is wrong with this config, one line each (empty when it is fine)."""
        out = []
        if self.cell not in defaults.CELL_NAMES:
            out.append(f"cell must be one of {', '.join(defaults.CELL_NAMES)}, not {self.cell!r}")
        if self.tokenizer not in defaults.TOKENIZER_KINDS:
            out.append(f"tokenizer must be one of {', '.join(defaults.TOKENIZER_KINDS)}, "
                       f"not {self.tokenizer!r}")
        if self.tie_weights and self.embed != self.hidden:
            out.append("tied embeddings need --embed equal to --hidden")
        for name in ("embed", "hidden", "layers", "seq_len", "batch_size", "eval_every",
                     "sample_tokens"):
            if not whole(getattr(self, name)) or getattr(self, name) < 1:
                out.append(f"{name} must be a whole number of at least 1")
            elif getattr(self, name) > defaults.MODEL_LIMITS.get(name, float("inf")):
                out.append(f"{name} must be at most {defaults.MODEL_LIMITS[name]:,}, "
                           f"not {getattr(self, name):,}")
        for name in ("lr", "weight_decay", "min_lr_ratio", "clip", "dropout"):
            if not finite(getattr(self, name)):
                out.append(f"{name} must be a finite number, not {getattr(self, name)}")
        if finite(self.lr) and self.lr <= 0:
            out.append("lr must be above 0")
        if finite(self.weight_decay) and self.weight_decay < 0:
            out.append("weight decay must be 0 or more")
        if finite(self.dropout) and not 0 <= self.dropout < 1:
            out.append("dropout must be in [0, 1)")
        if self.max_minutes is not None and not (finite(self.max_minutes) and self.max_minutes > 0):
            out.append(f"max minutes must be a finite number above 0, not {self.max_minutes}")
        if self.epochs is not None and not (whole(self.epochs) and self.epochs >= 1):
            out.append("epochs must be a whole number of at least 1")
        if self.steps is not None and not (whole(self.steps) and self.steps >= 1):
            out.append("steps must be a whole number of at least 1")
        if not (whole(self.seed) and 0 <= self.seed < 2**63):
            out.append("seed must be from 0 to 2**63-1")
        if (len(self.split) != 3 or not all(finite(f) and f >= 0 for f in self.split)
                or not self.split[0] > 0 or abs(sum(self.split) - 1) > 1e-6):
            out.append("split must be three non-negative fractions summing to 1, like 0.9,0.05,0.05")
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "TrainConfig":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

