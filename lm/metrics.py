"""Loss on held-out text, in nats per token and bits per character.

Bits per character divides the total loss by the number of characters the targets spell, so a
char model and a subword model on the same text are measured on the same scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from .data import Ids, Streams
from .model import RNNLM
from .tokenizers import Tokenizer


@dataclass(frozen=True)
class Metrics:
    loss: float  # nats per token
    bpc: float  # bits per character
    tokens: int
    chars: int

    @property
    def perplexity(self) -> float:
        return math.exp(min(self.loss, 700.0))


def measure(
    model: RNNLM, tokenizer: Tokenizer, ids: torch.Tensor | Ids, seq_len: int = 256,
    batch_size: int = 32,
) -> Metrics:
    """Run `ids` through the model as a few long streams, the hidden state carried throughout."""
    batch_size = max(1, min(batch_size, (len(ids) - 1) // max(seq_len, 1)))
    streams = Streams(ids, batch_size, seq_len)
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    total, hidden = 0.0, None
    with torch.no_grad():
        for i in range(len(streams)):
            x, y = streams.chunk(i)
            logits, hidden = model(x.to(device), hidden)
            total += F.cross_entropy(
                logits.reshape(-1, logits.shape[-1]), y.to(device).reshape(-1), reduction="sum"
            ).item()
    model.train(was_training)
    chars = len(tokenizer.decode(streams.targets().reshape(-1).tolist()))
    tokens = streams.num_targets
    return Metrics(total / tokens, total / math.log(2) / max(chars, 1), tokens, chars)
