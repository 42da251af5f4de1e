"""Whole-word candidates from a token model: a batched beam search to the next word boundary.

"The ki" -> king, kitchen, kind... : the beams extend the word being typed (or, at a boundary,
the next word) token by token until a non-word character ends it. A word's probability is the
sum over every beam that spells it, boundary included: P(word, then a boundary | text).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from typing import TYPE_CHECKING

import torch

from .fast import State

if TYPE_CHECKING:
    from .language_model import LanguageModel
    from .session import Candidate, Session

WORD = re.compile(r"[\w']+")
PARTIAL = re.compile(r"[\w']+$")


def word_prefix(text: str) -> str:
    """The word being typed at the end of `text` ('' right after a space or punctuation)."""
    m = PARTIAL.search(text)
    return m.group(0) if m else ""


def _finished_word(prefix: str, generated: str) -> tuple[str | None, bool]:
    """(word, done): done with word=None means this beam spells no word (punctuation first)."""
    full = prefix + generated if prefix else generated.lstrip()
    if not full:
        return None, False
    m = WORD.match(full)
    if m is None:
        return None, True
    if m.end() < len(full):
        return m.group(0), True
    return None, False


def beam_words(
    model: "LanguageModel",
    logits: torch.Tensor,
    state: State,
    prefix: str,
    *,
    k: int,
    beam: int,
    max_steps: int,
) -> dict[str, float]:
    """Probabilities of whole words that continue from (logits, state) after `prefix`."""
    fast, pieces = model.fast, model.pieces
    found: dict[str, float] = defaultdict(float)
    live_text = [""]
    live_logp = torch.zeros(1)
    live_logits = logits.unsqueeze(0)
    live_state = state
    for _ in range(max_steps):
        logp = torch.log_softmax(live_logits.float() + fast.ban, dim=-1)
        total = live_logp[:, None] + logp
        width = min(beam * 4, total.numel())
        top = torch.topk(total.view(-1), width)
        vocab = total.shape[1]
        keep_rows, keep_tokens, keep_text, keep_logp = [], [], [], []
        kth = sorted(found.values(), reverse=True)[k - 1] if len(found) >= k else 0.0
        for value, flat in zip(top.values.tolist(), top.indices.tolist()):
            if value == float("-inf"):
                break
            row, token = divmod(flat, vocab)
            text = live_text[row] + pieces[token]
            word, done = _finished_word(prefix, text)
            if done:
                if word:
                    found[word] += math.exp(value)
            elif len(keep_rows) < beam and math.exp(value) > kth * 0.01:
                keep_rows.append(row)
                keep_tokens.append(token)
                keep_text.append(text)
                keep_logp.append(value)
        if not keep_rows:
            break
        best_live = math.exp(max(keep_logp))
        if len(found) >= k and best_live < sorted(found.values(), reverse=True)[k - 1] * 0.01:
            break  # no live beam could still reach the top k
        rows = torch.tensor(keep_rows)
        state_rows = [s.index_select(0, rows) for s in live_state]
        out, live_state = fast.step(torch.tensor(keep_tokens), state_rows)
        live_logits, live_text = out, keep_text
        live_logp = torch.tensor(keep_logp)
    return found


def max_word_steps(model: "LanguageModel") -> int:
    return 18 if model.tokenizer.kind == "char" else 8


def complete_word(session: "Session", k: int = 5, beam: int = 24) -> list["Candidate"]:
    from .session import Candidate

    prefix = word_prefix(session.text)
    max_steps = max_word_steps(session.model)
    found = beam_words(session.model, session.logits, session.state, prefix, k=k, beam=beam,
                       max_steps=max_steps)
    best = sorted(found.items(), key=lambda kv: kv[1], reverse=True)[:k]
    return [Candidate(word, prob) for word, prob in best]
