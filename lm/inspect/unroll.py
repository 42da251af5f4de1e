"""The picture the tutorial draws: one cell, unrolled over the last few tokens, the same W_xh and
W_hh at every step, with the live values of its state and gates under each step."""

from __future__ import annotations

from dataclasses import dataclass

from ..language_model import LanguageModel
from .trace import Channel, TextTrace


@dataclass
class Unrolled:
    cell: str
    layer: int
    tokens: list[str]
    steps: list[dict[str, list[float]]]  # per step: "h" (and "c", the gates) -> the first units
    w_xh_shape: tuple[int, int]
    w_hh_shape: tuple[int, int]
    w_xh_norm: float
    w_hh_norm: float


def unroll(model: LanguageModel, trace: TextTrace, *, last: int = 8, units: int = 4,
           layer: int = 0) -> Unrolled:
    rnn = model.net.rnn
    w_xh, w_hh = getattr(rnn, f"weight_ih_l{layer}"), getattr(rnn, f"weight_hh_l{layer}")
    first = max(0, len(trace.tokens) - last)
    names = [ch.name for ch in trace.channels() if ch.layer == layer]
    steps = [{name: trace.values[Channel(layer, name)][t, :units].tolist() for name in names}
             for t in range(first, len(trace.tokens))]
    return Unrolled(trace.cell, layer, trace.tokens[first:], steps, tuple(w_xh.shape),
                    tuple(w_hh.shape), float(w_xh.detach().norm()), float(w_hh.detach().norm()))
