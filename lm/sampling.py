"""Choosing the next token from logits, and streaming text from a model token by token."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Sequence

import torch

from .model import RNNLM
from .tokenizers import Tokenizer


@contextmanager
def plain_kernels():
    """Step-at-a-time inference is much slower through oneDNN on CPU; use the plain kernels."""
    was = torch.backends.mkldnn.enabled
    torch.backends.mkldnn.enabled = False
    try:
        yield
    finally:
        torch.backends.mkldnn.enabled = was


def pick(
    logits: torch.Tensor,
    temperature: float = 1.0,
    top_k: int = 0,
    top_p: float = 1.0,
    generator: torch.Generator | None = None,
) -> int:
    """One id from a 1-D logits vector. temperature 0 is greedy; top_k 0 and top_p 1 are off."""
    if temperature <= 0:
        return int(torch.argmax(logits))
    logits = logits.float() / temperature
    if 0 < top_k < logits.numel():
        kth = torch.topk(logits, top_k).values[-1]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    probs = torch.softmax(logits, dim=-1)
    if top_p < 1.0:
        sorted_p, order = torch.sort(probs, descending=True)
        # Keep the smallest set whose mass reaches top_p (always at least the best token).
        drop = torch.cumsum(sorted_p, 0) - sorted_p >= top_p
        probs = probs.clone()
        probs[order[drop]] = 0.0
    return int(torch.multinomial(probs, 1, generator=generator))


class StopStrings:
    """Holds back text that could be the start of a stop string, and says when one appears."""

    def __init__(self, stop: Sequence[str]):
        self.stop = tuple(s for s in stop if s)
        self.keep = max((len(s) for s in self.stop), default=1) - 1
        self.held = ""

    def push(self, text: str) -> tuple[str, bool]:
        """(text safe to show now, whether a stop string ended the stream)."""
        self.held += text
        for s in self.stop:
            if (at := self.held.find(s)) >= 0:
                return self.held[:at], True
        cut = len(self.held) - self.keep
        out, self.held = self.held[:max(cut, 0)], self.held[max(cut, 0):]
        return out, False

    def flush(self) -> str:
        out, self.held = self.held, ""
        return out


class IncrementalDecoder:
    """Turns ids into text as they come, holding back pieces that end mid-character."""

    def __init__(self, tokenizer: Tokenizer):
        self.tokenizer = tokenizer
        self.pending: list[int] = []

    def push(self, token: int) -> str:
        self.pending.append(token)
        if self.tokenizer.is_partial(self.pending):
            return ""
        text = self.tokenizer.decode(self.pending)
        self.pending = []
        return text


def stream(
    model: RNNLM,
    tokenizer: Tokenizer,
    prompt: str,
    *,
    max_tokens: int = 200,
    temperature: float = 0.8,
    top_k: int = 0,
    top_p: float = 1.0,
    seed: int | None = None,
    stop: Sequence[str] = (),
) -> Iterator[str]:
    """Yield the continuation of `prompt` piece by piece; stop strings end it (and are not yielded)."""
    generator = torch.Generator().manual_seed(seed) if seed is not None else None
    banned = torch.tensor(tokenizer.special_ids, dtype=torch.long)
    ids = tokenizer.encode(prompt) or tokenizer.encode("\n")  # an empty prompt: a new line
    decoder = IncrementalDecoder(tokenizer)
    stops = StopStrings(stop)
    device = next(model.parameters()).device
    with torch.inference_mode(), plain_kernels():
        model.eval()
        logits, hidden = model(torch.tensor([ids], device=device), _to(model.start_hidden(1), device))
        for _ in range(max_tokens):
            last = logits[0, -1].cpu()
            if banned.numel():
                last[banned] = float("-inf")
            token = pick(last, temperature, top_k, top_p, generator)
            text, done = stops.push(decoder.push(token))
            if text:
                yield text
            if done:
                return
            logits, hidden = model(torch.tensor([[token]], device=device), hidden)
    if rest := stops.flush():
        yield rest


def _to(hidden, device):
    return tuple(h.to(device) for h in hidden) if isinstance(hidden, tuple) else hidden.to(device)
