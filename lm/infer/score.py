"""How likely is a sentence? Its log-probability under the model, token by token.

The model reads the text from its trained start state in one fused call and every token's
surprisal (bits) is the model's own -log2 P(token | everything before it). Each token keeps the
characters it spells, so a surprisal strip can be drawn under the text, and the bits per
character of a sentence can be set beside another model's (the word n-gram's) on the same
characters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from ..errors import LMError
from .engine import WINDOW, Engine

# A text longer than the engine's WINDOW tokens is scored on its last WINDOW tokens (the rest
# would cost time and memory without bound; every other path reads that window too).


@dataclass(frozen=True)
class TokenSurprisal:
    start: int  # character offsets into the scored text
    end: int
    text: str
    bits: float


@dataclass(frozen=True)
class SentenceScore:
    text: str  # what was scored (the end of the given text when it was cut)
    logprob: float  # natural log
    tokens: tuple[TokenSurprisal, ...]
    cut: int = 0  # characters left out at the start (texts past WINDOW tokens)

    @property
    def bits(self) -> float:
        return -self.logprob / math.log(2)

    @property
    def bits_per_char(self) -> float:
        return self.bits / max(1, len(self.text))

    def to_dict(self) -> dict:
        return {"text": self.text, "logprob": self.logprob, "bits": self.bits,
                "bits_per_char": self.bits_per_char, "cut_characters": self.cut,
                "tokens": [{"text": t.text, "start": t.start, "end": t.end, "bits": t.bits}
                           for t in self.tokens]}


def score(engine: Engine, text: str) -> SentenceScore:
    """log P(text) from the start state, with every token's surprisal."""
    if not text:
        raise LMError("empty text: give a sentence to score")
    tok = engine.tokenizer
    ids = tok.encode(text)
    cut = 0
    if len(ids) > WINDOW:
        ids = ids[-WINDOW:]
        kept = tok.decode(ids)
        cut = len(text) - len(kept)
        text = text[cut:] if text.endswith(kept) else kept
    logits, state = engine.start_state()
    after = engine.read_rows(ids[:-1], [s[:1] for s in state])[0][0] if len(ids) > 1 else None
    every = logits[None] if after is None else torch.cat([logits[None], after])
    logp = torch.log_softmax(every.float(), dim=-1).gather(1, torch.tensor(ids)[:, None])[:, 0]
    spans = _spans(engine, ids, text)
    tokens = tuple(TokenSurprisal(a, b, text[a:b], -float(lp) / math.log(2))
                   for (a, b), lp in zip(spans, logp))
    return SentenceScore(text, float(logp.sum()), tokens, cut)


def _spans(engine: Engine, ids: list[int], text: str) -> list[tuple[int, int]]:
    """The characters each token spells. Pieces decoded alone add up to the text for a char
    model and for whole-character pieces; a byte piece (part of a character) spells nothing
    until its character is complete, so those are found by decoding prefixes."""
    pieces = engine.pieces
    lengths = [len(pieces[i]) for i in ids]
    if sum(lengths) == len(text) and engine.tokenizer.decode(ids) == text:
        out, at = [], 0
        for n in lengths:
            out.append((at, at + n))
            at += n
        return out
    tok, out, at, anchor = engine.tokenizer, [], 0, 0
    for k in range(len(ids)):
        if tok.is_partial(ids[anchor : k + 1]):
            out.append((at, at))
            continue
        end = min(len(text), at + len(tok.decode(ids[anchor : k + 1])))
        out.append((at, end))
        at, anchor = end, k + 1
    return out
