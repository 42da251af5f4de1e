"""The memory lab: train a tanh RNN, an LSTM and a GRU of about the same size, side by side, on
the agreement language (lm.inspect.agreement) and see how long a gap each one bridges.

The claim under test is the tutorial's: a plain tanh RNN's hidden state forgets what it saw many
steps ago (its gradient through time vanishes, so it never learns to keep the subject), while
the LSTM's and the GRU's gates learn to hold it.

The rules, the same for every cell: one Adam optimiser each with the same learning rate, the
same batches in the same order, the same steps and gradient clipping, torch's own init (the
LSTM's forget-gate bias at +1, as lm.cells gives every LSTM here); only the cell and its hidden
width differ, the width chosen so each cell has about `params` parameters. Each step draws one
gap g uniformly from min_gap..max_gap (0..max_gap by default) and a batch of sentences with that
gap.

What is graded: the verb, and (predict_fillers, the default) each next filler, as a language
model is graded on every word. The loss is the verb's cross-entropy plus the mean over the
fillers, so a sentence's verb weighs as much as all its fillers together (the verb would be lost
among 60 fillers otherwise). Predicting the fillers gives the hidden state work to do between the
subject and the verb - it must follow the fillers' grammar - and that is where the cells part.
Graded on the verb alone, with nothing else to do, all three (the tanh RNN too) carried the
subject across all 60 gaps within 1,000 steps on seeds 0-2 (docs/learning-views.md).

Truncated BPTT: with `seq_len` L the input is fed in chunks of L tokens, counted back from the
verb, the hidden state carried forward but detached between chunks, so no gradient from the verb
reaches the subject once g + 1 > L. That caps how far the gradient reaches, not how far the
state carries: a cell that learns to hold the subject over the short gaps (where a verb may
come too) can keep holding it past L. In our runs the GRU did, to gap 60 with L = 2.

Accuracy at gap g: the share of a fixed, seeded set of `per_gap` sentences with that gap where
the model gives the agreeing verb more probability than the other one. The sets are prefixes of
one set of the longest sentences (so one pass scores every gap; the gaps' sets are not
independent of each other). The horizon is the longest gap g such that the accuracy is at least
`threshold` (90 %) at g and at every smaller gap evaluated, so one lucky long gap past a failure
does not count; None when gap 0 already fails. It can be no longer than max_gap.

Deterministic for a fixed seed and torch thread count; the global torch RNG is left as it was.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Callable, Sequence

import torch
from torch import nn

from ..cells import spec
from ..defaults import CELL_NAMES
from ..model import RNNLM, ModelConfig, detach
from ..numbers import finite, whole
from .agreement import VERB_IDS, VOCAB, Batch, sentences

EVAL_SEED_OFFSET = 10_007  # the evaluation sentences never share a generator with training's


@dataclass(frozen=True)
class LabConfig:
    max_gap: int = 60
    min_gap: int = 0  # training draws gaps from min_gap..max_gap (evaluation: every gap)
    seq_len: int | None = None  # None: no truncation, the gradient runs back to the subject
    predict_fillers: bool = True  # False: the verb alone is graded
    steps: int = 2000
    batch: int = 32
    lr: float = 3e-3
    clip: float = 1.0  # gradient-norm clipping, for every cell alike
    params: int = 12_000  # each cell gets the hidden width that comes closest to this
    embed: int = 16
    cells: tuple[str, ...] = CELL_NAMES
    seed: int = 0
    per_gap: int = 200
    eval_gaps: tuple[int, ...] | None = None  # None: see `gaps`
    every: int = 100  # steps between progress reports (each evaluates every cell)
    threshold: float = 0.9

    def __post_init__(self):
        for name in ("max_gap", "steps", "batch", "params", "embed", "per_gap", "every", "seed"):
            if not whole(getattr(self, name)):
                raise ValueError(f"{name} must be a whole number, not {getattr(self, name)!r}")
        for name in ("steps", "batch", "params", "embed", "per_gap", "every"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, not {getattr(self, name)}")
        if self.max_gap < 0 or self.seed < 0:
            raise ValueError(f"max_gap and seed must be 0 or more, not {self.max_gap}, {self.seed}")
        if not (whole(self.min_gap) and 0 <= self.min_gap <= self.max_gap):
            raise ValueError(f"min_gap must be a whole number from 0 to max_gap ({self.max_gap}), "
                             f"not {self.min_gap!r}")
        if self.seq_len is not None and not (whole(self.seq_len) and self.seq_len >= 1):
            raise ValueError(f"seq_len must be a whole number from 1 up, not {self.seq_len!r}")
        for name in ("lr", "clip"):
            value = getattr(self, name)
            if not (finite(value) and value > 0):
                raise ValueError(f"{name} must be a finite number above 0, not {value!r}")
        if not (finite(self.threshold) and 0 < self.threshold <= 1):
            raise ValueError(f"threshold must be in (0, 1], not {self.threshold!r}")
        for cell in self.cells:
            spec(cell)  # raises for an unknown cell
        if not isinstance(self.predict_fillers, bool):
            raise ValueError("predict_fillers must be True or False")
        if not self.cells or len(set(self.cells)) < len(self.cells):
            raise ValueError(f"cells must name each cell once, not {self.cells!r}")
        if not self.gaps or any(not whole(g) or not 0 <= g <= self.max_gap for g in self.gaps):
            raise ValueError(f"eval_gaps must be whole numbers from 0 to max_gap ({self.max_gap})")

    @property
    def gaps(self) -> tuple[int, ...]:
        """The gaps evaluated: eval_gaps, or every gap from 0 to max_gap."""
        if self.eval_gaps is not None:
            return tuple(sorted(set(self.eval_gaps)))
        return tuple(range(self.max_gap + 1))


@dataclass(frozen=True)
class CellCurve:
    """One cell at one moment: accuracy by gap (aligned with `gaps`), its horizon, and the mean
    verb loss over the steps since the last report."""

    cell: str
    gaps: tuple[int, ...]
    accuracy: tuple[float, ...]
    horizon: int | None
    loss: float | None  # None: no step since the last report


@dataclass(frozen=True)
class LabProgress:
    step: int
    steps: int
    seconds: float  # wall time since the lab started
    curves: dict[str, CellCurve]


@dataclass(frozen=True)
class CellResult:
    cell: str
    hidden: int
    params: int
    gaps: tuple[int, ...]
    accuracy: tuple[float, ...]
    horizon: int | None
    loss: float | None  # the verb's mean loss over the last report's steps
    steps: int
    seconds: float  # this cell's own training and evaluation time

    def at(self, gap: int) -> float:
        return self.accuracy[self.gaps.index(gap)]


@dataclass(frozen=True)
class LabResult:
    config: LabConfig
    cells: dict[str, CellResult]
    seconds: float  # the whole lab's wall time
    stopped: bool = False  # cancelled before config.steps
    steps: int = 0

    def to_dict(self) -> dict:
        return {"config": asdict(self.config), "seconds": self.seconds, "stopped": self.stopped,
                "steps": self.steps, "cells": {k: asdict(v) for k, v in self.cells.items()}}


def gap_horizon(gaps: Sequence[int], accuracy: Sequence[float],
                threshold: float = 0.9) -> int | None:
    """The longest gap answered right at least `threshold` of the time there and at every
    smaller gap evaluated; None when the smallest gap already falls short."""
    best = None
    for gap, acc in sorted(zip(gaps, accuracy)):
        if acc < threshold:
            break
        best = gap
    return best


def parameter_count(cell: str, hidden: int, embed: int) -> int:
    """An RNNLM's parameters over the agreement vocabulary: embedding, one recurrent layer (a
    W_ih, W_hh and two biases per block of the cell), the head."""
    blocks = spec(cell).blocks
    return VOCAB * embed + blocks * hidden * (embed + hidden + 2) + hidden * VOCAB + VOCAB


def hidden_for(cell: str, params: int, embed: int) -> int:
    """The hidden width whose parameter count comes closest to `params`."""
    return min(range(1, 2049), key=lambda h: (abs(parameter_count(cell, h, embed) - params), h))


def unrolled_logits(net: RNNLM, ids: torch.Tensor, seq_len: int | None) -> torch.Tensor:
    """The logits after every input token, (batch, time, vocab): the last row is the verb's.
    With seq_len, the input goes in chunks counted back from the end (so the verb's chunk is
    always a full one), the hidden state detached between them."""
    n = ids.shape[1]
    if seq_len is None or n <= seq_len:
        return net(ids)[0]
    first = n - (n - 1) // seq_len * seq_len  # 1..seq_len tokens before the full chunks
    logits, state = net(ids[:, :first])
    out = [logits]
    for start in range(first, n, seq_len):
        logits, state = net(ids[:, start:start + seq_len], detach(state))
        out.append(logits)
    return torch.cat(out, dim=1)


def lab_loss(logits: torch.Tensor, batch: Batch,
             predict_fillers: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """(what training minimises, the verb's own loss). The verb's cross-entropy, plus with
    predict_fillers the mean cross-entropy of each next filler, so one sentence's verb weighs as
    much as all its fillers together (the verb would be lost among 60 fillers otherwise)."""
    verb = nn.functional.cross_entropy(logits[:, -1], batch.target)
    if not predict_fillers or batch.gap == 0:
        return verb, verb
    fillers = nn.functional.cross_entropy(logits[:, :-1].flatten(0, 1), batch.ids[:, 1:].flatten())
    return verb + fillers, verb


def accuracy_by_gap(net: RNNLM, evaluation: Batch, gaps: Sequence[int]) -> tuple[float, ...]:
    """The share of sentences where the agreeing verb gets more probability than the other, at
    each gap. A sentence's first g + 1 tokens are a sentence with gap g, and the model reads left
    to right, so one pass over the longest sentences scores every gap at once."""
    with torch.no_grad():
        pair = net(evaluation.ids)[0][:, list(gaps)][..., VERB_IDS]  # (n, gaps, 2)
    right = pair.argmax(dim=-1) == evaluation.verb[:, None]
    return tuple(right.float().mean(dim=0).tolist())


@dataclass
class _Trainee:
    cell: str
    net: RNNLM
    optimiser: torch.optim.Optimizer
    seconds: float = 0.0
    losses: list[float] = field(default_factory=list)

    def step(self, batch: Batch, config: LabConfig) -> None:
        start = time.perf_counter()
        self.net.train()
        loss, verb = lab_loss(unrolled_logits(self.net, batch.ids, config.seq_len), batch,
                              config.predict_fillers)
        self.optimiser.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(self.net.parameters(), config.clip)
        self.optimiser.step()
        self.losses.append(verb.item())
        self.seconds += time.perf_counter() - start

    def curve(self, evaluation: Batch, config: LabConfig) -> CellCurve:
        start = time.perf_counter()
        self.net.eval()
        gaps = config.gaps
        accuracy = accuracy_by_gap(self.net, evaluation, gaps)
        loss = sum(self.losses) / len(self.losses) if self.losses else None
        self.losses.clear()
        self.seconds += time.perf_counter() - start
        return CellCurve(self.cell, gaps, accuracy, gap_horizon(gaps, accuracy, config.threshold),
                         loss)


def _trainee(cell: str, config: LabConfig) -> _Trainee:
    hidden = hidden_for(cell, config.params, config.embed)
    # Each cell's weights are drawn from the lab's seed, by torch's own init for that cell.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(config.seed)
        net = RNNLM(ModelConfig(vocab_size=VOCAB, cell=cell, embed=config.embed, hidden=hidden,
                                layers=1))
    return _Trainee(cell, net, torch.optim.Adam(net.parameters(), lr=config.lr))


def evaluation_set(config: LabConfig) -> Batch:
    """The fixed sentences every report scores, the same for every cell: `per_gap` sentences
    with the longest gap evaluated, whose prefixes are the sentences of every shorter gap."""
    generator = torch.Generator().manual_seed(config.seed + EVAL_SEED_OFFSET)
    return sentences(max(config.gaps), config.per_gap, generator)


Progress = Callable[[LabProgress], None]


def run_lab(config: LabConfig = LabConfig(), on_progress: Progress | None = None,
            stop=None) -> LabResult:
    """Train every cell in `config.cells`, interleaved step by step on the same batches.

    `on_progress` gets a LabProgress every `config.every` steps and at the end; `stop` (a
    threading.Event, or anything with is_set()) ends the lab after the current step, and the
    result then holds the curves at that point with stopped=True.
    """
    start = time.perf_counter()
    trainees = [_trainee(cell, config) for cell in config.cells]
    evaluation = evaluation_set(config)
    data = torch.Generator().manual_seed(config.seed)
    step, stopped = 0, False
    while step < config.steps:
        if stop is not None and stop.is_set():
            stopped = True
            break
        gap = int(torch.randint(config.min_gap, config.max_gap + 1, (), generator=data))
        batch = sentences(gap, config.batch, data)
        for trainee in trainees:
            trainee.step(batch, config)
        step += 1
        if on_progress is not None and step % config.every == 0 and step < config.steps:
            on_progress(LabProgress(step, config.steps, time.perf_counter() - start,
                                    {t.cell: t.curve(evaluation, config) for t in trainees}))
    curves = {t.cell: t.curve(evaluation, config) for t in trainees}
    seconds = time.perf_counter() - start
    if on_progress is not None:
        on_progress(LabProgress(step, config.steps, seconds, curves))
    cells = {t.cell: CellResult(t.cell, t.net.config.hidden, t.net.num_parameters(), c.gaps,
                                c.accuracy, c.horizon, c.loss, step, t.seconds)
             for t, c in zip(trainees, curves.values())}
    return LabResult(config, cells, seconds, stopped, step)
