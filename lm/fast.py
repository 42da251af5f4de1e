"""The per-token inference path: the training model's weights, stepped one token at a time
without nn.LSTM's per-call overhead.

Layer 0's input projection is folded into a per-token table (embedding @ W_ih + biases), so a
step starts with a row lookup instead of a matmul. Every layer then needs one matmul against
its pre-transposed W_hh (and, above layer 0, one against W_ih). The results equal the training
model's to float rounding; a test holds them to 1e-5.
"""

from __future__ import annotations

import torch

from .model import RNNLM

# A state is one tensor per layer: (batch, 2H) for the LSTM (h and c side by side), (batch, H)
# for the tanh RNN and the GRU.
State = list[torch.Tensor]


class FastRNN:
    """Steps a trained RNNLM; `step` takes ids (batch,) and a state, returns logits and a state."""

    def __init__(self, model: RNNLM, banned: list[int] | tuple[int, ...] = ()):
        c = model.config
        self.cell, self.layers, self.hidden = c.cell, c.layers, c.hidden
        self.vocab_size = c.vocab_size
        model = _cpu_copy(model)  # the per-token path runs on the CPU whatever trained it
        with torch.no_grad():
            rnn = model.rnn
            w_ih = [getattr(rnn, f"weight_ih_l{k}").detach() for k in range(c.layers)]
            self.w_hh_t = [getattr(rnn, f"weight_hh_l{k}").detach().t().contiguous()
                           for k in range(c.layers)]
            b_ih = [getattr(rnn, f"bias_ih_l{k}").detach() for k in range(c.layers)]
            b_hh = [getattr(rnn, f"bias_hh_l{k}").detach() for k in range(c.layers)]
            emb = model.embedding.weight.detach()
            # The GRU's reset gate multiplies (W_hn h + b_hn), so b_hn stays apart from the input.
            if self.cell == "gru":
                self.table = emb @ w_ih[0].t() + b_ih[0]
                self.w_ih_t = [None] + [w.t().contiguous() for w in w_ih[1:]]
                self.b_in = [None] + b_ih[1:]
                self.b_hh = b_hh
            else:
                self.table = emb @ w_ih[0].t() + b_ih[0] + b_hh[0]
                self.w_ih_t = [None] + [w.t().contiguous() for w in w_ih[1:]]
                self.b_in = [None] + [bi + bh for bi, bh in zip(b_ih[1:], b_hh[1:])]
            self.head_w_t = model.head.weight.detach().t().contiguous()
            self.head_b = model.head.bias.detach().clone()
            self.start = [row.unsqueeze(0).clone() for row in model.start_state.detach()]
            # Added to logits, it rules out the unknown and control ids in one call.
            self.ban = torch.zeros(c.vocab_size)
            self.ban[list(banned)] = float("-inf")

    def start_state(self) -> tuple[torch.Tensor, State]:
        """Logits and state at the start of a text (the trained start state)."""
        top = self.start[-1][:, : self.hidden]
        return torch.addmm(self.head_b, top, self.head_w_t)[0], [s.clone() for s in self.start]

    def zero_state(self, batch: int = 1) -> State:
        width = 2 * self.hidden if self.cell == "lstm" else self.hidden
        return [torch.zeros(batch, width) for _ in range(self.layers)]

    def step(self, ids: torch.Tensor, state: State) -> tuple[torch.Tensor, State]:
        with torch.inference_mode():
            return self._step(ids, state)

    def _step(self, ids: torch.Tensor, state: State) -> tuple[torch.Tensor, State]:
        # Every torch call costs a few microseconds of dispatch, about what a 256-wide matmul
        # costs, so the cells are written in as few calls as they allow (split, lerp, addcmul,
        # in-place activations on tensors this step made itself).
        H = self.hidden
        x = self.table.index_select(0, ids)
        new_state = []
        for k in range(self.layers):
            pre = x if k == 0 else torch.addmm(self.b_in[k], x, self.w_ih_t[k])
            s = state[k]
            if self.cell == "lstm":
                h, c = s.split(H, dim=1)
                gates = pre.addmm_(h, self.w_hh_t[k])
                i, f, g, o = gates.split(H, dim=1)
                c = torch.addcmul(f.sigmoid_() * c, i.sigmoid_(), g.tanh_())
                h = o.sigmoid_() * c.tanh()
                new_state.append(torch.cat([h, c], dim=1))
            elif self.cell == "gru":
                hh = torch.addmm(self.b_hh[k], s, self.w_hh_t[k])
                in_rz, in_n = pre.split((2 * H, H), dim=1)
                hh_rz, hh_n = hh.split((2 * H, H), dim=1)
                r, z = in_rz.add_(hh_rz).sigmoid_().split(H, dim=1)
                # h' = (1 - z) * n + z * h  ==  lerp(n, h, z)
                h = torch.lerp(torch.addcmul(in_n, r, hh_n).tanh_(), s, z)
                new_state.append(h)
            else:
                h = pre.addmm_(s, self.w_hh_t[k]).tanh_()
                new_state.append(h)
            x = h
        logits = torch.addmm(self.head_b, x, self.head_w_t)
        return logits, new_state


def _cpu_copy(model: RNNLM) -> RNNLM:
    if next(model.parameters()).device.type == "cpu":
        return model
    import copy

    return copy.deepcopy(model).cpu()


def from_hidden(hidden, cell: str) -> State:
    """nn.RNN's hidden layout, (layers, batch, H) or (h, c), as a FastRNN state."""
    if cell == "lstm":
        h, c = hidden
        return [torch.cat([h[k], c[k]], dim=1) for k in range(h.shape[0])]
    return [hidden[k] for k in range(hidden.shape[0])]


def paragraph_start_state(model: RNNLM, ids: torch.Tensor, newline: int, streams: int = 64,
                          length: int = 256, warmup: int = 64) -> torch.Tensor:
    """The mean hidden state just after a newline in the text, read by `streams` warm readers.

    A model trained by truncated BPTT almost never starts from a zero state, so a new text should
    not start there either: it starts where the model's memory usually is at a line start.
    """
    fast = FastRNN(model)
    span = max(1, len(ids) - length)
    offsets = torch.linspace(0, span - 1, streams).long().unique()
    rows = torch.stack([ids[o : o + length] for o in offsets.tolist()
                        if len(ids[o : o + length]) == length]) if len(ids) > length else ids[None]
    state = fast.zero_state(rows.shape[0])
    picked: list[list[torch.Tensor]] = []
    everything: list[list[torch.Tensor]] = []
    for t in range(rows.shape[1]):
        _, state = fast.step(rows[:, t], state)
        if t < min(warmup, rows.shape[1] // 2):
            continue
        everything.append(state)
        hit = rows[:, t] == newline
        if hit.any():
            picked.append([s[hit] for s in state])
    chosen = picked or [[s for s in st] for st in everything]
    return torch.stack([torch.cat([st[k] for st in chosen]).mean(0) for k in range(fast.layers)])
