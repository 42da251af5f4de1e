"""Whole-word candidates from a token model: a batched beam search to the next word boundary.

"The ki" -> king, kitchen, kind... : the beams extend the word being typed (or, at a boundary,
the next word) token by token until a non-word character ends it. A word's probability is the
sum over every beam that spells it, boundary included: P(word, then a boundary | text).

A subword model never saw a word cut where you stopped typing: "The ki" is 'The', '▁', 'k', 'i'
to the tokenizer, while the text it trained on had 'The', '▁king'. So for subword models the
search starts from the state before the spaces and the typed part of the word, and the beams
must spell that typed text again before they may go on.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
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
    typed: str = "",
) -> dict[str, float]:
    """Probabilities of whole words that continue from (logits, state) after `prefix`.

    With `typed` (the subword back-off), (logits, state) come before that text, prefix is "",
    and only beams that spell `typed` first are kept.
    """
    fast, pieces = model.fast, model.pieces
    found: dict[str, float] = defaultdict(float)
    covered = 0.0  # with `typed`: the beams' estimate of P(typed), to condition on it
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
            if typed:
                if not (text.startswith(typed) or typed.startswith(text)):
                    continue
                if len(live_text[row]) < len(typed) <= len(text):
                    covered += math.exp(value)  # this beam has just spelled all of `typed`
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
    if typed and covered > 0:
        return {word: p / covered for word, p in found.items()}
    return found


def max_word_steps(model: "LanguageModel") -> int:
    return 18 if model.tokenizer.kind == "char" else 8


@dataclass(frozen=True)
class WordStart:
    """Where the search for the word at the end of a text starts."""

    logits: torch.Tensor
    state: State
    prefix: str  # the typed part of the word, when the search continues after it
    typed: str  # text the beams must spell first (subword back-off), else ""
    max_steps: int


def word_start(session: "Session") -> WordStart:
    prefix = word_prefix(session.text)
    steps = max_word_steps(session.model)
    if session.tokenizer.kind == "char":
        return WordStart(session.logits, session.state, prefix, "", steps)
    base = session.text[: len(session.text) - len(prefix)]
    stable = base.rstrip(" ")
    typed = session.text[len(stable):]
    ids = session.encode(stable)
    if session.ids[: len(ids)] == ids:
        logits, state = session.state_at(len(ids))
    else:  # the pieces before the spaces changed with them: read the stable text afresh
        other = session.model.session(stable)
        logits, state = other.logits, other.state
    return WordStart(logits, state, "", typed, steps + len(typed))


def complete_word(session: "Session", k: int = 5, beam: int = 24) -> list["Candidate"]:
    from .session import Candidate

    start = word_start(session)
    found = beam_words(session.model, start.logits, start.state, start.prefix, k=k, beam=beam,
                       max_steps=start.max_steps, typed=start.typed)
    best = sorted(found.items(), key=lambda kv: kv[1], reverse=True)[:k]
    return [Candidate(word, prob) for word, prob in best]
