"""Whole-word candidates from a token model: a batched beam search to the next word boundary.

"The ki" -> king, kitchen, kind... : the beams extend the word being typed (or, at a boundary,
the next word) token by token until a non-word character ends it. A word's probability is the
sum over every beam that spells it, boundary included: P(word, then a boundary | text).
For subword models the search starts before the typed part of the word (see WordStart).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from typing import Container
from weakref import WeakKeyDictionary

import torch

from ..candidate import Candidate
from .engine import Engine, State
from .session import Session, WordStart, word_prefix

WORD = re.compile(r"[\w']+")
# No word is longer: past it a typed "word" (a pasted hash, a key held down) has no completions,
# and a subword model's search, which must spell the typed part again, is not started at all.
LONGEST_WORD = 40


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


_WORD_PIECES: WeakKeyDictionary[Engine, list[bool]] = WeakKeyDictionary()


def word_pieces(engine: Engine) -> list[bool]:
    """For every token id: is its text only word characters? Such a token extends a live beam's
    word without ending it, so the beam search skips the word check for it (most of its tokens)."""
    if engine not in _WORD_PIECES:
        _WORD_PIECES[engine] = [bool(p) and WORD.fullmatch(p) is not None for p in engine.pieces]
    return _WORD_PIECES[engine]


def max_word_steps(engine: Engine, start: WordStart) -> int:
    """How many tokens a word may take: characters for a char model, a few pieces otherwise
    (plus the typed text a subword model spells again)."""
    return 18 if engine.tokenizer.char_level else 8 + len(start.typed)


def beam_words(engine: Engine, start: WordStart, *, k: int, beam: int,
               ends: dict[str, tuple[float, torch.Tensor, State]] | None = None,
               known: Container[str] | None = None) -> dict[str, float]:
    """Probabilities of whole words that continue from `start`.

    With `start.typed` (the subword back-off), only beams that spell it first are kept, and the
    probabilities are conditioned on it. With `ends`, each word spelled exactly by a beam
    (prefix + beam text, no leading space) gets that beam's log-probability and its logits and
    state just after the word's last character, before the boundary: where a rescoring of what
    follows can start. With `known` (a Lexicon), only words in it are found, so the search goes
    on until it has k real words instead of stopping at k spellings.
    """
    pieces, prefix, typed = engine.pieces, start.prefix, start.typed
    inside = word_pieces(engine)
    found: dict[str, float] = defaultdict(float)
    covered = 0.0  # with `typed`: the beams' estimate of P(typed), to condition on it
    live_text = [""]
    live_logp = torch.zeros(1)
    live_logits = start.logits.unsqueeze(0)
    live_state = start.state
    for _ in range(max_word_steps(engine, start)):
        logp = torch.log_softmax(live_logits.float() + engine.ban, dim=-1)
        total = live_logp[:, None] + logp
        width = min(beam * 4, total.numel())
        top = torch.topk(total.view(-1), width)
        vocab = total.shape[1]
        keep_rows, keep_tokens, keep_text, keep_logp = [], [], [], []
        kth = sorted(found.values(), reverse=True)[k - 1] if len(found) >= k else 0.0
        # Below both floors a beam can neither be kept nor end in a top-k word (kth only grows).
        keep_floor = math.log(kth * 0.01) if kth > 0 else float("-inf")
        word_floor = math.log(kth) if kth > 0 else float("-inf")
        for value, flat in zip(top.values.tolist(), top.indices.tolist()):
            if value == float("-inf"):
                break
            if value < word_floor and (value <= keep_floor or len(keep_rows) >= beam):
                break
            row, token = divmod(flat, vocab)
            text = live_text[row] + pieces[token]
            if typed:
                if not (text.startswith(typed) or typed.startswith(text)):
                    continue
                if len(live_text[row]) < len(typed) <= len(text):
                    covered += math.exp(value)  # this beam has just spelled all of `typed`
            # A live beam holds a word in progress (or nothing yet): word characters continue it.
            word, done = (None, False) if inside[token] else _finished_word(prefix, text)
            if done:
                if word and (known is None or word in known):
                    found[word] += math.exp(value)
                    if ends is not None and word not in ends and prefix + live_text[row] == word:
                        ends[word] = (float(live_logp[row]), live_logits[row],
                                      [s[row : row + 1] for s in live_state])
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
        live_logits, live_state = engine.step(torch.tensor(keep_tokens), state_rows)
        live_text = keep_text
        live_logp = torch.tensor(keep_logp)
    if typed and covered > 0:
        return {word: p / covered for word, p in found.items()}
    return found


def next_words(session: Session, k: int = 5, beam: int = 24,
               known: Container[str] | None = None) -> list[Candidate]:
    """The k likeliest words to complete the word being typed (or the next word, after a space);
    with `known`, only words in it (so there may be fewer than k); none past LONGEST_WORD."""
    if len(word_prefix(session.text)) > LONGEST_WORD:
        return []
    found = beam_words(session.engine, session.word_start(), k=k, beam=beam, known=known)
    best = sorted(found.items(), key=lambda kv: kv[1], reverse=True)[:k]
    base = session.text[: len(session.text) - len(word_prefix(session.text))]
    return [Candidate(word, prob, base + word) for word, prob in best]
