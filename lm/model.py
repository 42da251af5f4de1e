"""The recurrent language model: embedding -> L recurrent layers -> a linear head over the vocabulary.

One set of weights is shared by every time step; the hidden state is explicit (passed in, handed
back), so training can carry it across chunks and inference can keep it between keystrokes.
What differs between the tanh RNN, the LSTM and the GRU comes from their spec in lm.cells.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn

from .cells import CELLS, CellSpec, Hidden, map_hidden, spec
from .defaults import MODEL_LIMITS

# Far past anything this project trains on 2 cores, and small enough that a crafted checkpoint
# cannot make the loader allocate gigabytes before its weights are checked.
LIMITS = MODEL_LIMITS


@dataclass(frozen=True)
class ModelConfig:
    vocab_size: int
    cell: str = "lstm"
    embed: int = 64
    hidden: int = 256
    layers: int = 2
    dropout: float = 0.0
    tie_weights: bool = False

    def __post_init__(self):
        spec(self.cell)  # raises for an unknown cell
        for name, most in LIMITS.items():
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError(f"{name} must be a whole number")
            if not 1 <= value <= most:
                raise ValueError(f"{name} must be from 1 to {most}, not {value}")
        if self.tie_weights and self.embed != self.hidden:
            raise ValueError("tied embeddings need --embed equal to --hidden")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError("dropout must be in [0, 1)")

    @property
    def spec(self) -> CellSpec:
        return CELLS[self.cell]

    def to_dict(self) -> dict:
        return asdict(self)


class RNNLM(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = c = config
        self.spec = c.spec
        self.embedding = nn.Embedding(c.vocab_size, c.embed)
        self.drop = nn.Dropout(c.dropout)
        self.rnn = self.spec.make(c.embed, c.hidden, c.layers, c.dropout)
        self.head = nn.Linear(c.hidden, c.vocab_size)
        if c.tie_weights:
            self.head.weight = self.embedding.weight
        nn.init.normal_(self.embedding.weight, std=0.1)
        nn.init.zeros_(self.head.bias)
        # What the hidden state typically holds at the start of a line of training text: the
        # state a new text starts from (see infer.engine.paragraph_start_state). Zero until trained.
        self.register_buffer("start_state", torch.zeros(c.layers, self.spec.width(c.hidden)))

    def init_hidden(self, batch: int, device: torch.device | str = "cpu") -> Hidden:
        c = self.config
        return self.spec.zeros(c.layers, batch, c.hidden, device=device)

    def start_hidden(self, batch: int = 1) -> Hidden:
        """The start state in nn.RNN's layout, for `batch` rows."""
        rows = self.start_state.unsqueeze(1).expand(-1, batch, -1)
        return self.spec.to_nn(rows, self.config.hidden)

    def forward(self, ids: torch.Tensor, hidden: Hidden | None = None) -> tuple[torch.Tensor, Hidden]:
        """ids: (batch, time) -> logits (batch, time, vocab) and the hidden state after the last step."""
        x = self.drop(self.embedding(ids))
        out, hidden = self.rnn(x, hidden)
        return self.head(self.drop(out)), hidden

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())


def detach(hidden: Hidden) -> Hidden:
    """Cut the graph at a chunk boundary (truncated BPTT) while keeping the state's values."""
    return map_hidden(torch.Tensor.detach, hidden)
