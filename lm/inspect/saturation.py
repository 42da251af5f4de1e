"""How often each gate is shut or wide open: per unit, the fraction of steps its value is above
0.9 (right-saturated) and below 0.1 (left-saturated). Units near (1, 0) always let through
(an LSTM forget gate that remembers); near (0, 1) always block; in the middle they decide per
character."""

from __future__ import annotations

import torch

from ..cells import spec
from .trace import Channel, TextTrace


def saturation(trace: TextTrace, *, lo: float = 0.1, hi: float = 0.9) -> dict[Channel, torch.Tensor]:
    """gate channel -> (H, 2): columns are the fraction of steps > hi and the fraction < lo."""
    # Only the sigmoids open and shut; g and n are tanh candidates.
    gates = spec(trace.cell).sigmoid_gates
    out = {}
    for channel, values in trace.values.items():
        if channel.name in gates and len(values):
            out[channel] = torch.stack([(values > hi).float().mean(0), (values < lo).float().mean(0)],
                                       dim=1)
    return out
