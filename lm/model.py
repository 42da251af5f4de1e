"""The recurrent language model: embedding -> L recurrent layers -> a linear head over the vocabulary.

One set of weights is shared by every time step; the hidden state is explicit (passed in, handed
back), so training can carry it across chunks and inference can keep it between keystrokes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn

CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}

# LSTM carries (h, c); the tanh RNN and the GRU carry h alone.
Hidden = torch.Tensor | tuple[torch.Tensor, torch.Tensor]


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
        if self.cell not in CELLS:
            raise ValueError(f"cell must be one of {', '.join(CELLS)}, not {self.cell!r}")
        if self.tie_weights and self.embed != self.hidden:
            raise ValueError("tied embeddings need --embed equal to --hidden")
        for name in ("vocab_size", "embed", "hidden", "layers"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError("dropout must be in [0, 1)")

    def to_dict(self) -> dict:
        return asdict(self)


class RNNLM(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        c = config
        self.embedding = nn.Embedding(c.vocab_size, c.embed)
        self.drop = nn.Dropout(c.dropout)
        extra = {"nonlinearity": "tanh"} if c.cell == "rnn" else {}
        self.rnn = CELLS[c.cell](
            c.embed,
            c.hidden,
            c.layers,
            batch_first=True,
            dropout=c.dropout if c.layers > 1 else 0.0,
            **extra,
        )
        self.head = nn.Linear(c.hidden, c.vocab_size)
        if c.tie_weights:
            self.head.weight = self.embedding.weight
        # What the hidden state typically holds at the start of a line of training text; the
        # state a new text starts from (see fast.paragraph_start_state). Zero until trained.
        width = 2 * c.hidden if c.cell == "lstm" else c.hidden
        self.register_buffer("start_state", torch.zeros(c.layers, width))
        self._init_weights()

    def _init_weights(self):
        nn.init.normal_(self.embedding.weight, std=0.1)
        nn.init.zeros_(self.head.bias)
        if self.config.cell == "lstm":
            # A forget-gate bias of 1 lets the cell keep its memory early in training.
            h = self.config.hidden
            for name, p in self.rnn.named_parameters():
                if name.startswith("bias_ih"):
                    with torch.no_grad():
                        p[h : 2 * h].fill_(1.0)

    def init_hidden(self, batch: int, device: torch.device | str = "cpu") -> Hidden:
        c = self.config
        z = torch.zeros(c.layers, batch, c.hidden, device=device)
        return (z, z.clone()) if c.cell == "lstm" else z

    def start_hidden(self, batch: int = 1) -> Hidden:
        """The start state in nn.RNN's layout: (layers, batch, H), or (h, c) for the LSTM."""
        s = self.start_state.unsqueeze(1).expand(-1, batch, -1).contiguous()
        if self.config.cell == "lstm":
            h = self.config.hidden
            return s[..., :h].contiguous(), s[..., h:].contiguous()
        return s

    def forward(self, ids: torch.Tensor, hidden: Hidden | None = None) -> tuple[torch.Tensor, Hidden]:
        """ids: (batch, time) -> logits (batch, time, vocab) and the hidden state after the last step."""
        x = self.drop(self.embedding(ids))
        out, hidden = self.rnn(x, hidden)
        return self.head(self.drop(out)), hidden

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())


def detach(hidden: Hidden) -> Hidden:
    """Cut the graph at a chunk boundary (truncated BPTT) while keeping the state's values."""
    if isinstance(hidden, tuple):
        return tuple(h.detach() for h in hidden)
    return hidden.detach()
