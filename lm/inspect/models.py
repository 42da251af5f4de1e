"""The three comparison models the learning views put side by side, trained and untrained."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import torch

from ..cells import spec
from ..defaults import CELL_NAMES
from ..errors import LMError
from ..language_model import LanguageModel, load
from ..model import RNNLM

COMPARE_CELLS = CELL_NAMES  # those with a checkpoint in compare_dir() are shown
# Untrained copies are drawn from this seed, so "untrained" is the same network every time.
UNTRAINED_SEED = 0
# torch's init draws from its global generator: one untrained model is built at a time, so the
# learning views' workers (a thread each) always get the same network for the same seed.
_SEEDED = threading.Lock()


def compare_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "shipped" / "compare"


def comparison_paths() -> dict[str, Path]:
    """cell -> the shipped comparison checkpoint, for those present."""
    return {cell: compare_dir() / f"{cell}.pt" for cell in COMPARE_CELLS
            if (compare_dir() / f"{cell}.pt").is_file()}


def load_comparison(cell: str, *, trained: bool = True,
                    forget_bias: float | None = None) -> LanguageModel:
    """One comparison model; trained=False gives the same architecture freshly initialised.

    forget_bias (untrained LSTM only) sets the forget gate's bias: +1 is what training starts
    from here, 0 is what nn.LSTM alone would give.
    """
    path = comparison_paths().get(cell)
    if path is None:
        raise LMError(f"no comparison model for {cell!r}: run scripts/make_comparison_models.py")
    model = load(path)
    return model if trained else untrained(model, forget_bias=forget_bias)


def untrained(model: LanguageModel, *, seed: int = UNTRAINED_SEED,
              forget_bias: float | None = None) -> LanguageModel:
    """The same architecture and tokenizer with freshly initialised weights (a fixed seed)."""
    with _SEEDED:  # the global generator is shared: two threads seeding it at once interleave
        generator_state = torch.random.get_rng_state()
        try:
            torch.manual_seed(seed)
            net = RNNLM(model.net.config)
        finally:
            torch.random.set_rng_state(generator_state)
    if forget_bias is not None:
        cell = spec(model.cell)
        if cell.forget_gate is None:
            raise LMError(f"the {cell.label} has no forget gate")
        cell.set_forget_bias(net.rnn, net.config.hidden, forget_bias)
    net.eval()
    meta = {**model.meta, "trained": False}
    label = f"untrained-{model.name}" + ("" if forget_bias is None else f"-fb{forget_bias:g}")
    return replace(model, net=net, meta=meta, path=model.path.with_name(f"{label}.pt"))
