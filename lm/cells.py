"""The three recurrent cells, one spec each: everything that differs between a tanh RNN, an LSTM
and a GRU lives here, and nowhere else branches on the cell's name.

A spec says
- which torch module trains it (nn.RNN / nn.LSTM / nn.GRU: their fused kernels do the BPTT),
- how its hidden state is laid out (h, or h and c side by side),
- how it is initialised (the LSTM's forget-gate bias),
- how its biases fold for the per-token path, and the fused step that path runs,
- the names of its gates, in the order torch stacks their weights, which of them are sigmoids,
  which holds the forget bias, and how to read them out of a step,
- what the learning views call it, the colour they draw it in, and its box in the unrolled view.

Adding a cell is one new spec and its entry in CELLS.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, TypeAlias

from .defaults import CELL_NAMES

if TYPE_CHECKING:
    import torch
    from torch import nn
else:
    class _Torch:
        """torch, imported on first use: the cells' facts (names, gates, labels, colours) are
        read by the app's first frame and by `--help`, which must not wait for torch. The first
        attribute read puts the real module in this one's place, so the per-token step pays
        nothing."""

        def __getattr__(self, name):
            import torch

            globals()["torch"] = torch
            return getattr(torch, name)

    torch = _Torch()

# nn.RNN's hidden layout: (layers, batch, H), or the pair (h, c) for the LSTM.
Hidden: TypeAlias = "torch.Tensor | tuple[torch.Tensor, torch.Tensor]"
# Gate name -> its activation for each row of the batch, (batch, H): filled when a step is traced.
Trace: TypeAlias = "dict[str, torch.Tensor]"


def hidden_parts(hidden: Hidden) -> tuple[torch.Tensor, ...]:
    """A hidden state's parts as a tuple: (h,), or (h, c)."""
    return hidden if isinstance(hidden, tuple) else (hidden,)


def map_hidden(fn: Callable[[torch.Tensor], torch.Tensor], hidden: Hidden) -> Hidden:
    """fn applied to each part of a hidden state, in the same layout."""
    return tuple(fn(part) for part in hidden) if isinstance(hidden, tuple) else fn(hidden)


@dataclass(frozen=True)
class Folded:
    """One layer's weights as the per-token step wants them: transposed, biases pre-added."""

    w_ih_t: torch.Tensor  # (input, G*H); layer 0 uses the embedding table instead
    w_hh_t: torch.Tensor  # (H, G*H)
    b_in: torch.Tensor  # added to the input projection
    b_hh: torch.Tensor | None  # kept apart where the cell multiplies it by a gate (GRU)


class CellSpec(ABC):
    name: str
    label: str  # as the learning views title it
    colour: str  # its colour in every chart that compares cells
    box: str  # what its box says in the unrolled drawing
    module_name: str  # the torch.nn module that trains it
    module_options: dict = {}
    gates: tuple[str, ...] = ()  # in torch's weight order
    sigmoid_gates: tuple[str, ...] = ()  # those in 0..1 that open and shut (the rest are tanh)
    state: tuple[str, ...] = ("h",)  # what the carried state holds, side by side
    state_update: str = ""  # how a state beyond h is written, for the unrolled drawing
    forget_gate: str | None = None  # the gate whose bias sets how long it keeps its memory

    def make(self, embed: int, hidden: int, layers: int, dropout: float) -> nn.RNNBase:
        module = getattr(torch.nn, self.module_name)
        rnn = module(embed, hidden, layers, batch_first=True,
                     dropout=dropout if layers > 1 else 0.0, **self.module_options)
        self.init_(rnn, hidden)
        return rnn

    def init_(self, rnn: nn.RNNBase, hidden: int) -> None:
        """Torch's own init, unless a cell needs more."""

    def set_forget_bias(self, rnn: nn.RNNBase, hidden: int, value: float) -> None:
        """Put the forget gate's whole bias at `value` (nn adds bias_ih and bias_hh: it goes on
        the first, the second's share is zeroed)."""
        if self.forget_gate is None:
            raise ValueError(f"the {self.label} has no forget gate")
        block = self.gates.index(self.forget_gate)
        with torch.no_grad():
            for name, p in rnn.named_parameters():
                if name.startswith("bias_"):
                    p[block * hidden : (block + 1) * hidden].fill_(
                        value if name.startswith("bias_ih") else 0.0)

    @property
    def blocks(self) -> int:
        """How many H-row blocks its weight matrices stack: one per gate, or one with none."""
        return max(1, len(self.gates))

    def width(self, hidden: int) -> int:
        """Columns of one layer's state row: H, or 2H for (h, c)."""
        return len(self.state) * hidden

    # --- between nn's layout and rows of one tensor per layer ------------------------------------

    def to_rows(self, hidden: Hidden) -> list[torch.Tensor]:
        """nn's (layers, batch, H) layout as one (batch, width) tensor per layer."""
        parts = hidden_parts(hidden)
        return [torch.cat([p[k] for p in parts], dim=1) for k in range(parts[0].shape[0])]

    def to_nn(self, rows: torch.Tensor, hidden: int) -> Hidden:
        """(layers, batch, width) rows in nn's layout."""
        parts = tuple(rows[..., i * hidden : (i + 1) * hidden].contiguous()
                      for i in range(len(self.state)))
        return parts if len(parts) > 1 else parts[0]

    def zeros(self, layers: int, batch: int, hidden: int, device=None) -> Hidden:
        return self.to_nn(torch.zeros(layers, batch, self.width(hidden), device=device), hidden)

    @staticmethod
    def top_h(row: torch.Tensor, hidden: int) -> torch.Tensor:
        """The h that the next layer (or the head) reads, from a state row."""
        return row[:, :hidden]

    # --- the per-token path ----------------------------------------------------------------------

    def fold(self, w_ih, w_hh, b_ih, b_hh) -> Folded:
        return Folded(w_ih.t().contiguous(), w_hh.t().contiguous(), b_ih + b_hh, None)

    # --- the equations, for autograd ---------------------------------------------------------------

    @abstractmethod
    def equations(self, xp: torch.Tensor, parts: tuple[torch.Tensor, ...], w_hh: torch.Tensor,
                  b_hh: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """One step as the tutorial writes it, out of place so autograd runs through it (the
        gradient through time differentiates this): `xp` = W_ih x + b_ih, `parts` the state
        (h,) or (h, c), with nn's weight layout. Returns the new parts."""

    @abstractmethod
    def step(self, pre: torch.Tensor, s: torch.Tensor, layer: Folded,
             trace: Trace | None = None) -> torch.Tensor:
        """One step of one layer: `pre` is the input projection (b_in added, fresh: it is
        written in place), `s` the layer's state row. Returns the new state row; with `trace`,
        records the gate activations in it."""


class TanhRNN(CellSpec):
    """h' = tanh(W_ih x + W_hh h + b): no gates, so its gradient through time shrinks (or grows)
    by about the same factor at every step."""

    name, label, colour, box = "rnn", "tanh RNN", "red", "tanh"
    module_name = "RNN"
    module_options = {"nonlinearity": "tanh"}

    def equations(self, xp, parts, w_hh, b_hh):
        (h,) = parts
        return (torch.tanh(xp + h @ w_hh.t() + b_hh),)

    def step(self, pre, s, layer, trace=None):
        return pre.addmm_(s, layer.w_hh_t).tanh_()


class LSTM(CellSpec):
    """A cell state c beside h, written through input (i), forget (f) and output (o) gates from
    a candidate g: c' = f*c + i*g, h' = o*tanh(c'). Where f stays near 1, c carries its memory
    (and its gradient) across many steps."""

    name, label, colour, box = "lstm", "LSTM", "blue", "lstm"
    module_name = "LSTM"
    gates = ("i", "f", "g", "o")
    sigmoid_gates = ("i", "f", "o")
    state = ("h", "c")
    state_update = "f·c+i·g"
    forget_gate = "f"

    def init_(self, rnn, hidden):
        # A forget-gate bias of 1 lets the cell keep its memory early in training (on bias_ih;
        # torch's own init of bias_hh stays).
        block = self.gates.index(self.forget_gate)
        with torch.no_grad():
            for name, p in rnn.named_parameters():
                if name.startswith("bias_ih"):
                    p[block * hidden : (block + 1) * hidden].fill_(1.0)

    def equations(self, xp, parts, w_hh, b_hh):
        h, c = parts
        i, f, g, o = (xp + h @ w_hh.t() + b_hh).chunk(4, dim=-1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(c), c

    def step(self, pre, s, layer, trace=None):
        # Every torch call costs a few microseconds of dispatch, about what a 256-wide matmul
        # costs, so the step is written in as few calls as it allows.
        h, c = s.chunk(2, dim=1)
        i, f, g, o = pre.addmm_(h, layer.w_hh_t).chunk(4, dim=1)
        i, f, g, o = i.sigmoid_(), f.sigmoid_(), g.tanh_(), o.sigmoid_()
        c = torch.addcmul(f * c, i, g)
        h = o * c.tanh()
        if trace is not None:
            trace.update(i=i, f=f, g=g, o=o)
        return torch.cat([h, c], dim=1)


class GRU(CellSpec):
    """Reset (r) and update (z) gates: n = tanh(W_in x + r*(W_hn h + b_hn)),
    h' = (1-z)*n + z*h. Where z stays near 1, h is copied forward unchanged."""

    name, label, colour, box = "gru", "GRU", "green", "gru"
    module_name = "GRU"
    gates = ("r", "z", "n")
    sigmoid_gates = ("r", "z")

    def fold(self, w_ih, w_hh, b_ih, b_hh):
        # The reset gate multiplies (W_hn h + b_hn), so b_hh stays apart from the input's bias.
        return Folded(w_ih.t().contiguous(), w_hh.t().contiguous(), b_ih, b_hh)

    def equations(self, xp, parts, w_hh, b_hh):
        (h,) = parts
        x_r, x_z, x_n = xp.chunk(3, dim=-1)
        h_r, h_z, h_n = (h @ w_hh.t() + b_hh).chunk(3, dim=-1)
        r, z = torch.sigmoid(x_r + h_r), torch.sigmoid(x_z + h_z)
        n = torch.tanh(x_n + r * h_n)
        return ((1 - z) * n + z * h,)

    def step(self, pre, s, layer, trace=None):
        hh = torch.addmm(layer.b_hh, s, layer.w_hh_t)
        in_rz, in_n = pre.split((2 * s.shape[1], s.shape[1]), dim=1)
        hh_rz, hh_n = hh.split((2 * s.shape[1], s.shape[1]), dim=1)
        r, z = in_rz.add_(hh_rz).sigmoid_().chunk(2, dim=1)
        n = torch.addcmul(in_n, r, hh_n).tanh_()
        if trace is not None:
            trace.update(r=r, z=z, n=n)
        return torch.lerp(n, s, z)  # (1 - z) * n + z * h


CELLS: dict[str, CellSpec] = {spec.name: spec for spec in (TanhRNN(), LSTM(), GRU())}
assert tuple(CELLS) == CELL_NAMES, "defaults.CELL_NAMES lists the registry for torch-free callers"


def spec(name: str) -> CellSpec:
    try:
        return CELLS[name]
    except KeyError:
        raise ValueError(f"cell must be one of {', '.join(CELLS)}, not {name!r}") from None
