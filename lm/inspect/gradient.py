"""The vanishing gradient, measured: how much h_T still depends on h_{T-k}, as the norm of the
Jacobian dh_T/dh_{T-k} for k = 1..K, by autograd through the cell's equations over real text.

A tanh RNN multiplies its gradient by about the same matrix at every step, so the norm falls
(or grows) geometrically; an LSTM's cell state and a GRU's update gate add a path the gradient can
travel with little loss. The per-step decay rate and the horizon (where the norm falls below a
thousandth of its k=1 value) put one number on each.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from ..cells import hidden_parts
from ..errors import LMError
from ..language_model import LanguageModel
from ..model import RNNLM

# The horizon: where the Jacobian's norm has fallen below this fraction of its k=1 value.
HORIZON_FRACTION = 1e-3


@dataclass
class GradientCurve:
    cell: str
    trained: bool
    ks: list[int]  # 1..max_k
    h: list[float]  # ||dh_T/dh_{T-k}|| (Frobenius), top layer, geometric mean over windows
    c: list[float] | None  # the LSTM's cell-state path ||dc_T/dc_{T-k}||, else None
    decay: float  # per-step factor of a geometric fit to h
    horizon: int | None  # smallest k with h < h[k=1] / 1000; None if not within max_k

    def at(self, k: int) -> float:
        return self.h[k - 1]


def gradient_through_time(model: LanguageModel, text: str, *, max_k: int = 60,
                          windows: int = 4) -> GradientCurve:
    """The curve over `windows` stretches of `text`, each reading max_k tokens under autograd."""
    ids = model.tokenizer.encode(text)
    if len(ids) < max_k + 2:
        raise LMError(f"the text is too short: {max_k} steps back need at least {max_k + 2} "
                      f"tokens, it has {len(ids)}")
    ends = sorted(set(torch.linspace(max_k + 1, len(ids), windows).long().tolist()))
    logs_h, logs_c = [], []
    for end in ends:
        start_parts = state_before(model.net, ids[: end - max_k])
        h, c = jacobian_norms(model.net, ids[end - max_k : end], start_parts)
        logs_h.append(torch.log(torch.tensor(h).clamp_min(1e-300)))
        if c is not None:
            logs_c.append(torch.log(torch.tensor(c).clamp_min(1e-300)))
    h_mean = torch.stack(logs_h).mean(0).exp().tolist()
    c_mean = torch.stack(logs_c).mean(0).exp().tolist() if logs_c else None
    ks = list(range(1, max_k + 1))
    return GradientCurve(model.cell, bool(model.meta.get("trained", True)), ks, h_mean, c_mean,
                         _decay(h_mean), _horizon(h_mean))


def state_before(net: RNNLM, ids: list[int]) -> list[tuple[torch.Tensor, ...]]:
    """Each layer's state parts ((h,) or (h, c), each (1, H)) after reading ids from the start state."""
    hidden = net.start_hidden(1)
    if ids:
        with torch.no_grad():
            _, hidden = net(torch.tensor([ids]), hidden)
    parts = hidden_parts(hidden)
    return [tuple(p[k].detach().clone() for p in parts) for k in range(net.config.layers)]


def jacobian_norms(net: RNNLM, ids: list[int], start: list[tuple[torch.Tensor, ...]]
                   ) -> tuple[list[float], list[float] | None]:
    """Reading ids (K tokens) from the `start` state: for k = 1..K, ||dh_K/dh_{K-k}|| of the top
    layer (and ||dc_K/dc_{K-k}|| for the LSTM), exact, by one batched backward pass."""
    states = unroll_parts(net, ids, start, track_top=True)
    top = len(start) - 1
    hs = [s[top][0] for s in states]  # h after 0..K tokens
    norms_h = _norms(hs)
    norms_c = _norms([s[top][1] for s in states]) if len(start[top]) == 2 else None
    return norms_h, norms_c


def unroll_parts(net: RNNLM, ids: list[int], start: list[tuple[torch.Tensor, ...]], *,
                 track_top: bool = False) -> list[list[tuple[torch.Tensor, ...]]]:
    """Every layer's state parts after 0..K tokens, computed by the cell's equations from the
    training model's weights (detached: only the states are differentiated)."""
    spec, rnn = net.spec, net.rnn
    weights = [tuple(getattr(rnn, f"{w}_l{k}").detach() for w in
                     ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
               for k in range(net.config.layers)]
    embedding = net.embedding.weight.detach()
    parts = [tuple(p.detach().requires_grad_(track_top and k == len(start) - 1) for p in layer)
             for k, layer in enumerate(start)]
    states = [parts]
    with torch.enable_grad():
        for token in ids:
            x = embedding[token][None]
            new = []
            for k, (w_ih, w_hh, b_ih, b_hh) in enumerate(weights):
                layer_parts = spec.equations(x @ w_ih.t() + b_ih, parts[k], w_hh, b_hh)
                # Each part as its own node, so d/dc_t holds h_t fixed (h_t was made from c_t
                # within the step): the partials of the state map, one state variable at a time.
                new.append(tuple(p.clone() for p in layer_parts))
                x = layer_parts[0]
            parts = new
            states.append(parts)
    return states


def _norms(path: list[torch.Tensor]) -> list[float]:
    """||d path[-1] / d path[-1-k]|| for k = 1..len-1: one backward pass per output unit, batched."""
    out = path[-1]
    width = out.shape[-1]
    eye = torch.eye(width, dtype=out.dtype).reshape(width, *out.shape)
    earlier = path[-2::-1]  # k = 1, 2, ...
    grads = torch.autograd.grad(out, earlier, grad_outputs=eye, is_grads_batched=True,
                                retain_graph=True, allow_unused=True)
    return [0.0 if g is None else float(g.norm()) for g in grads]


def _decay(h: list[float]) -> float:
    """exp of the slope of log h against k (least squares): the factor lost per step."""
    ks = torch.arange(1, len(h) + 1, dtype=torch.float64)
    logs = torch.log(torch.tensor(h, dtype=torch.float64).clamp_min(1e-300))
    kc = ks - ks.mean()
    slope = float((kc * (logs - logs.mean())).sum() / (kc * kc).sum())
    return math.exp(slope)


def _horizon(h: list[float]) -> int | None:
    floor = h[0] * HORIZON_FRACTION
    return next((k for k, v in enumerate(h, start=1) if v < floor), None)
