"""Where a run stands: everything a resumed run needs to continue exactly where it stopped."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import torch

from ..cells import Hidden
from ..metrics import Metrics


@dataclass
class RunState:
    step: int = 0  # optimizer steps taken
    epoch: int = 0
    chunk: int = 0  # next chunk of the epoch's streams
    elapsed: float = 0.0  # wall seconds spent, across resumes
    hidden: Hidden | None = None  # the state carried into the next chunk (truncated BPTT)
    best: Metrics | None = None  # best validation so far
    optimizer: dict[str, Any] | None = None
    torch_rng: torch.Tensor | None = None
    corpus_sha256: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Tensors and plain containers only: what a checkpoint can hold without running code."""
        return {
            "optimizer": self.optimizer,
            "torch_rng": self.torch_rng,
            "step": self.step,
            "epoch": self.epoch,
            "chunk": self.chunk,
            "elapsed": self.elapsed,
            "hidden": to_device(self.hidden, "cpu"),
            "best": asdict(self.best) if self.best else None,
            "corpus_sha256": self.corpus_sha256,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "RunState":
        hidden = d["hidden"]
        if isinstance(hidden, list):
            hidden = tuple(hidden)
        return cls(step=d["step"], epoch=d["epoch"], chunk=d["chunk"], elapsed=d["elapsed"],
                   hidden=hidden, best=Metrics(**d["best"]) if d["best"] else None,
                   optimizer=d["optimizer"], torch_rng=d["torch_rng"],
                   corpus_sha256=d["corpus_sha256"])


def to_device(hidden: Hidden | None, device) -> Hidden | None:
    if hidden is None:
        return None
    if isinstance(hidden, (tuple, list)):
        return tuple(h.to(device) for h in hidden)
    return hidden.to(device)
