"""Choosing tokens one at a time and turning them into text as they come: the one decode loop
under every stream (ghost text, chat replies, `generate`, training samples)."""

from __future__ import annotations

import threading
from typing import Iterator, Sequence

import torch

from ..sampling import Sampling
from ..tokenizers import Tokenizer
from .engine import Engine, State


def sampling_probs(logits: torch.Tensor, temperature: float = 1.0, top_k: int = 0,
                   top_p: float = 1.0) -> torch.Tensor:
    """The distribution a token is drawn from: the model's scores divided by the temperature,
    cut to the top k and to the fewest tokens holding top_p of the probability (always at least
    the best token), then renormalised by the draw. Temperature 0 puts everything on the best."""
    if temperature <= 0:
        probs = torch.zeros_like(logits, dtype=torch.float)
        probs[int(torch.argmax(logits))] = 1.0
        return probs
    logits = logits.float() / temperature
    if 0 < top_k < logits.numel():
        kth = torch.topk(logits, top_k).values[-1]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    probs = torch.softmax(logits, dim=-1)
    if top_p < 1.0:
        sorted_p, order = torch.sort(probs, descending=True)
        drop = torch.cumsum(sorted_p, 0) - sorted_p >= top_p
        probs = probs.clone()
        probs[order[drop]] = 0.0
    return probs


def pick(logits: torch.Tensor, temperature: float = 1.0, top_k: int = 0, top_p: float = 1.0,
         generator: torch.Generator | None = None) -> int:
    """One id from a 1-D logits vector. temperature 0 is greedy; top_k 0 and top_p 1 are off."""
    if temperature <= 0:
        return int(torch.argmax(logits))
    probs = sampling_probs(logits, temperature, top_k, top_p)
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


def decode(engine: Engine, logits: torch.Tensor, state: State, sampling: Sampling, *,
           heal: str = "", fallback: tuple[torch.Tensor, State] | None = None,
           cancel: threading.Event | None = None) -> Iterator[str]:
    """Yield text piece by piece from (logits, state), choosing each token by `sampling`.

    With `heal`, the first tokens must spell that text again (the others are masked) and it is
    not yielded: a subword model resumes "The ki" through '▁king' as it learned to. If no token
    can go on spelling it (a character only byte pieces hold, say), the stream starts over from
    `fallback`, the state after the text as typed. `cancel` is checked between tokens.
    """
    generator = (torch.Generator().manual_seed(sampling.seed)
                 if sampling.seed is not None else None)
    decoder, stops = IncrementalDecoder(engine.tokenizer), StopStrings(sampling.stop)
    written = ""  # text generated so far, while it still covers `heal`
    produced, token = 0, None
    while produced < sampling.max_tokens:
        if cancel is not None and cancel.is_set():
            return
        if token is not None:  # read the last choice (not before it is known to be needed)
            out, state = engine.step(torch.tensor([token]), state)
            logits = out[0]
        masked = logits + engine.ban
        if heal:
            mask = heal_mask(engine.pieces, heal, written)
            if torch.isinf(mask).all() and fallback is not None:
                (logits, state), heal = fallback, ""
                masked = logits + engine.ban
            else:
                masked = masked + mask
        token = pick(masked, sampling.temperature, sampling.top_k, sampling.top_p, generator)
        piece = decoder.push(token)
        if heal:
            written += piece
            if len(written) < len(heal) or decoder.pending:
                continue
            piece, heal = written[len(heal):], ""
        produced += 1
        text, done = stops.push(piece)
        if text:
            yield text
        if done:
            return
    if rest := stops.flush():
        yield rest


def heal_mask(pieces: list[str], heal: str, written: str) -> torch.Tensor:
    """0 for tokens that keep `written` on course to spell `heal`, -inf for the rest."""
    mask = torch.full((len(pieces),), float("-inf"))
    if written.startswith(heal):  # spelled: any piece may follow
        mask[[i for i, piece in enumerate(pieces) if piece]] = 0.0
    elif heal.startswith(written):
        # Only what is left to spell is compared, not written + piece: healing a long word
        # would otherwise copy it once per piece per step.
        rest = heal[len(written):]
        mask[[i for i, piece in enumerate(pieces)
              if piece and (piece.startswith(rest) or rest.startswith(piece))]] = 0.0
    return mask
