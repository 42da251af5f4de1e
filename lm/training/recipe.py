"""The defaults that give the best model for the minutes a user gives: the recipe.

Chosen by training on tinyshakespeare for the tokens a 2-core CPU reaches in 5 minutes, and the
2x384 in 10 (benchmarks/bench_recipe.py; issue #14's closing notes have the tables). What it
showed:
- Updates matter more than tokens at these budgets: a 2x256 LSTM trains as fast at batch 16 or
  32 as at 64 x 128 per step (the matrices are too small to fill the cores), so smaller batches
  buy 2-4x the updates. Batch 32 x 64 was as good as 16 x 64 or 32 x 32.
- A GRU learns faster than an LSTM of the same width (1.47 against 1.52 nats at 5 minutes), and
  a higher peak learning rate (5e-3) helps both; 8e-3 is past the best.
- Dropout costs at these budgets: the model is far from fitting the text. Weight decay does
  not: AdamW's decay at 0.1 instead of 0.01 took the 2x256 GRU from 1.466 to 1.447 nats on the
  same 2,700 updates, and with it a higher peak rate pays (7e-3: 1.439; 1e-2 with decay 0.2:
  1.438; 7e-3 with 0.2: 1.442). Clipping at 5 instead of 1, a floor of 0 for the rate, or
  batch 16 for twice the updates changed nothing (within 0.002).
- At 5 minutes a 2x384 GRU reaches the 2x256's loss on half the tokens, so past ~7 minutes the
  wider one wins. Tuned apart on 2,900 updates (its 10 minutes here): with the 2x256's rate and
  decay it ties the 2x256 on its 5,480 (1.428 nats each); the rate is what pays: 1e-2 with decay
  0.2 gave 1.415, 1.4e-2 with 0.2 or 0.3 gave 1.410, and 2e-2 is past a cliff (1.432 with decay
  0.2, 1.504 with 0.1). Decay 0.4 at 1e-2 (1.423) and dropout 0.1 (1.429) cost, as did Adam's
  beta2 at 0.99 (1.420; 1.426 at 2e-2) and one 512-wide layer for its 3,530 updates (1.437).
  The seed alone moves the chosen one by as much: 1.409 (seed 1337, used above), 1.415, 1.421,
  1.419 (seeds 1-3); read differences under ~0.01 here as noise.
  Beyond 20 minutes (and with no budget: 10 epochs) the wide, regularised model the defaults
  were before is kept, as a GRU; those budgets were not re-measured.

A flag the user gives always wins over the recipe; the recipe fills only what was left unset.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Recipe:
    cell: str
    hidden: int
    layers: int
    dropout: float
    batch_size: int
    seq_len: int
    lr: float
    weight_decay: float

    def summary(self) -> str:
        return (f"{self.cell.upper()} {self.layers}x{self.hidden}, dropout {self.dropout:g}, "
                f"batch {self.batch_size} x {self.seq_len}, lr {self.lr:g}, "
                f"weight decay {self.weight_decay:g}")


FIELDS = tuple(f.name for f in fields(Recipe))  # the TrainConfig fields a recipe may fill
# (up to this many minutes, recipe); the last one also serves runs with no time budget.
TIERS = (
    (7.5, Recipe("gru", 256, 2, 0.0, 32, 64, 7e-3, 0.1)),
    (20.0, Recipe("gru", 384, 2, 0.0, 32, 64, 1.4e-2, 0.3)),
    (math.inf, Recipe("gru", 512, 2, 0.2, 32, 64, 3e-3, 0.01)),
)


def for_budget(minutes: float | None) -> Recipe:
    """The recipe for a time budget (None, or a budget that is not a number: the longest)."""
    if isinstance(minutes, (int, float)) and math.isfinite(minutes) and minutes > 0:
        return next(r for limit, r in TIERS if minutes <= limit)
    return TIERS[-1][1]


def describe_tiers() -> str:
    """The tiers in words, for `rnn-tui train --help`."""
    out = []
    for limit, r in TIERS:
        when = f"up to {limit:g} min" if math.isfinite(limit) else "longer, or no --max-minutes"
        out.append(f"{when}: {r.summary()}")
    return "; ".join(out)


def chosen(config) -> str | None:
    """What the recipe set in a TrainConfig, in words (None when the user gave every field)."""
    if not config.from_recipe:
        return None
    budget = f"{config.max_minutes:g} min" if config.max_minutes else "no time budget"
    line = f"recipe for {budget}: {Recipe(**{f: getattr(config, f) for f in FIELDS}).summary()}"
    given = [f"--{f.replace('_', '-')}" for f in FIELDS if f not in config.from_recipe]
    return line + (f" (with your {', '.join(given)})" if given else "")
