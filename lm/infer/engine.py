"""The per-token engine: the training model's weights, stepped one token at a time without
nn.LSTM's per-call overhead.

Layer 0's input projection is folded into a per-token table (embedding @ W_ih + biases), so a
step starts with a row lookup instead of a matmul. Every layer then needs one matmul against
its pre-transposed W_hh (and, above layer 0, one against W_ih); the cell's own arithmetic is
its spec's fused step (lm.cells). The results equal the training model's to float rounding; a
test holds them to 1e-5 for every cell.
"""

from __future__ import annotations

import copy
from functools import cached_property

import torch

from ..cells import Trace
from ..data import window
from ..hardware import INFERENCE_THREADS
from ..model import RNNLM
from ..tokenizers import Tokenizer

# The most tokens of a text any path reads (a session's window): beyond it a text costs no more.
WINDOW = 4096

# A state is one row tensor per layer: (batch, width), h (and c) side by side as the spec lays
# them out.
State = list[torch.Tensor]


class Engine:
    """Steps a trained RNNLM: `step` takes ids (batch,) and a state, returns logits and a state."""

    def __init__(self, net: RNNLM, tokenizer: Tokenizer | None = None,
                 threads: int | None = INFERENCE_THREADS):
        c = net.config
        # Torch threads for the token-at-a-time calls of sessions and the facade (None: the
        # process's setting); see lm.hardware.inference_threads.
        self.threads = threads
        self.spec, self.layers, self.hidden = net.spec, c.layers, c.hidden
        self.vocab_size = c.vocab_size
        self.tokenizer = tokenizer
        if next(net.parameters()).device.type != "cpu":  # the per-token path runs on the CPU
            net = copy.deepcopy(net).cpu()
        with torch.no_grad():
            rnn = net.rnn
            self.folded = [self.spec.fold(*(getattr(rnn, f"{w}_l{k}").detach().clone()
                                            for w in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")))
                           for k in range(c.layers)]
            self.table = net.embedding.weight.detach() @ self.folded[0].w_ih_t + self.folded[0].b_in
            self.head_w_t = net.head.weight.detach().t().contiguous()
            self.head_b = net.head.bias.detach().clone()
            self.start = [row.unsqueeze(0).clone() for row in net.start_state.detach()]
            # Reading a whole text at once is nn's fused loop's job (see read); stepping is ours.
            # A copy in eval mode: the model given may be training (dropout on).
            self.reader = copy.deepcopy(net.rnn).eval().requires_grad_(False)
            self.embedding = net.embedding.weight.detach().clone()
            # Added to logits, it rules out the unknown and control ids in one call.
            self.ban = torch.zeros(c.vocab_size)
            if tokenizer is not None:
                self.ban[list(tokenizer.special_ids)] = float("-inf")

    @cached_property
    def pieces(self) -> list[str]:
        """The text of every token id on its own."""
        return [self.tokenizer.decode([i]) for i in range(self.vocab_size)]

    def start_state(self) -> tuple[torch.Tensor, State]:
        """Logits and state at the start of a text (the trained start state)."""
        top = self.spec.top_h(self.start[-1], self.hidden)
        return torch.addmm(self.head_b, top, self.head_w_t)[0], [s.clone() for s in self.start]

    def read(self, ids: list[int]) -> tuple[torch.Tensor, State]:
        """Logits and state after reading ids from the start state, in one call of the training
        model's fused loop: a few times faster than stepping when only the end state is needed.
        Only the last WINDOW ids are read, as a session reads them: time and memory stay bounded
        however long the text."""
        if not ids:
            return self.start_state()
        ids = ids[-WINDOW:]
        with torch.inference_mode():
            x = self.embedding[torch.tensor([ids])]
            start = self.spec.to_nn(torch.stack(self.start), self.hidden)  # (layers, 1, width)
            out, hidden = self.reader(x, start)
            logits = torch.addmm(self.head_b, out[0, -1:], self.head_w_t)[0]
        return logits, self.spec.to_rows(hidden)

    def read_rows(self, ids: list[int], state: State) -> tuple[torch.Tensor, State]:
        """Every row reads the same ids from its own state, in one fused call: the logits after
        each id (batch, len(ids), vocab) and the end state. Worth it over stepping from a few
        tokens on, for the dozens of rows a blank's rescoring keeps."""
        with torch.inference_mode():
            batch = state[0].shape[0]
            x = self.embedding[torch.tensor(ids)].expand(batch, -1, -1)
            out, hidden = self.reader(x, self.spec.to_nn(torch.stack(state), self.hidden))
            return out @ self.head_w_t + self.head_b, self.spec.to_rows(hidden)

    def zero_state(self, batch: int = 1) -> State:
        return [torch.zeros(batch, self.spec.width(self.hidden)) for _ in range(self.layers)]

    def step(self, ids: torch.Tensor, state: State,
             trace: list[Trace] | None = None) -> tuple[torch.Tensor, State]:
        """Logits after one token per row, and the new state. With `trace` (a list), one dict of
        gate activations per layer is appended to it."""
        with torch.inference_mode():
            x = self.table.index_select(0, ids)
            new_state = []
            for k, layer in enumerate(self.folded):
                pre = x if k == 0 else torch.addmm(layer.b_in, x, layer.w_ih_t)
                gates = {} if trace is not None else None
                row = self.spec.step(pre, state[k], layer, gates)
                if trace is not None:
                    trace.append(gates)
                new_state.append(row)
                x = self.spec.top_h(row, self.hidden)
            return torch.addmm(self.head_b, x, self.head_w_t), new_state


def paragraph_start_state(net: RNNLM, ids: torch.Tensor, newline: int, streams: int = 64,
                          length: int = 256, warmup: int = 64) -> torch.Tensor:
    """The mean hidden state just after a newline in the text, read by `streams` warm readers.

    A model trained by truncated BPTT almost never starts from a zero state, so a new text should
    not start there either: it starts where the model's memory usually is at a line start.
    """
    engine = Engine(net)
    span = max(1, len(ids) - length)
    offsets = torch.linspace(0, span - 1, streams).long().unique()
    # Windows, not all of `ids`: they may be a memory map of a corpus larger than memory.
    rows = torch.stack([window(ids, o, o + length) for o in offsets.tolist()
                        if len(ids[o : o + length]) == length]) if len(ids) > length \
        else window(ids, 0, len(ids))[None]
    state = engine.zero_state(rows.shape[0])
    picked: list[State] = []
    everything: list[State] = []
    for t in range(rows.shape[1]):
        _, state = engine.step(rows[:, t], state)
        if t < min(warmup, rows.shape[1] // 2):
            continue
        everything.append(state)
        hit = rows[:, t] == newline
        if hit.any():
            picked.append([s[hit] for s in state])
    chosen = picked or everything
    return torch.stack([torch.cat([st[k] for st in chosen]).mean(0) for k in range(engine.layers)])
