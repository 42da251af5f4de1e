"""What goes in the box? Filling a blank with both the left and the right context.

A recurrent model reads left to right, so it cannot see past the blank by itself. Candidates
come from the left context (the beam search to a word boundary); then each one is rescored by
log P(candidate + the rest of the sentence | left context), all candidates in one batched pass.
Scores are normalised over the candidates, as in masked-LM fill-mask output.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch

from .blank_marks import BLANK, SENTENCE_END, find_blanks
from .errors import LMError
from .words import beam_words, word_prefix, word_start

if TYPE_CHECKING:
    from .language_model import LanguageModel
    from .session import Session

def right_context(rest: str) -> str:
    """The text after a blank up to the end of its sentence (or the next blank)."""
    nxt = BLANK.search(rest)
    if nxt:
        rest = rest[: nxt.start()]
    end = SENTENCE_END.search(rest)
    return rest[: end.end()] if end else rest


CANDIDATES = 64  # from the left context; 32 missed the answer of content blanks far more often


def fill(model: "LanguageModel", text: str, k: int = 5, *, left_only: bool = False,
         candidates: int = CANDIDATES):
    count = _check(text)
    results, current = [], text
    for _ in range(count):
        m = BLANK.search(current)
        left, rest = current[: m.start()], current[m.end():]
        with_right, left_rank = fill_one(model, left, right_context(rest), k=k,
                                         candidates=candidates, left_only=left_only)
        ranked = left_rank if left_only else with_right
        for r in ranked:
            r["sequence"] = left[: len(left) - len(word_prefix(left))] + r["token_str"] + rest
        results.append(ranked)
        if not ranked:
            break
        current = ranked[0]["sequence"]  # the best fill conditions the next blank
    return results[0] if count == 1 else results


def fill_both(model: "LanguageModel", text: str, k: int = 5,
              candidates: int = CANDIDATES) -> tuple[list[dict], list[dict]]:
    """For a text with one blank: the ranking with the right context and the left-only one,
    from one beam search (what an evaluation compares)."""
    if _check(text) != 1:
        raise LMError("fill_both takes a text with exactly one blank")
    m = BLANK.search(text)
    return fill_one(model, text[: m.start()], right_context(text[m.end():]), k=k,
                    candidates=candidates)


def _check(text: str) -> int:
    if not text.strip():
        raise LMError("empty text: write a sentence with a blank, like 'I ___ a boy.'")
    count = len(find_blanks(text))
    if count == 0:
        raise LMError("no blank in the text: mark it with ___, (BOX) or [BOX]")
    return count


def fill_one(model: "LanguageModel", left: str, right: str, *, k: int, candidates: int,
             left_only: bool = False) -> tuple[list[dict], list[dict]]:
    """(ranked with the right context, ranked by the left alone); the first is [] if left_only."""
    session = model.session(left)
    prefix = word_prefix(left)
    start = word_start(session)
    found = beam_words(model, start.logits, start.state, start.prefix, k=candidates,
                       beam=max(candidates, 24), max_steps=start.max_steps, typed=start.typed)
    words = sorted(found, key=found.get, reverse=True)[:candidates]
    if not words:
        return [], []
    left_rank = _ranked(words, torch.tensor([math.log(found[w]) for w in words]), k)
    if left_only:
        return [], left_rank
    base = left[: len(left) - len(prefix)]
    scores = score_continuations(session, base, [w + right for w in words])
    return _ranked(words, scores, k), left_rank


def _ranked(words: list[str], scores: torch.Tensor, k: int) -> list[dict]:
    probs = torch.softmax(scores, dim=0)
    order = torch.argsort(probs, descending=True)[:k]
    return [{"token_str": words[i], "score": float(probs[i])} for i in order.tolist()]


def score_continuations(session: "Session", base: str, endings: list[str]) -> torch.Tensor:
    """log P(ending | base) for every ending, in one batched pass from the saved states.

    Each ending is tokenised together with the base (a subword piece may straddle the join), and
    the model resumes after the longest token prefix it shares with the session's text.
    """
    fast, own = session.fast, session.ids
    starts, targets = [], []
    for ending in endings:
        ids = session.encode(base + ending)
        shared = 0
        while shared < min(len(ids), len(own)) and ids[shared] == own[shared]:
            shared += 1
        starts.append(shared)
        targets.append(ids[shared:])
    length = max(len(t) for t in targets)
    batch = len(endings)
    padded = torch.zeros(batch, length, dtype=torch.long)
    mask = torch.zeros(batch, length)
    for r, t in enumerate(targets):
        padded[r, : len(t)] = torch.tensor(t, dtype=torch.long)
        mask[r, : len(t)] = 1.0
    first = [session.state_at(s) for s in starts]
    logits = torch.stack([lg for lg, _ in first])
    state = [torch.cat([st[layer] for _, st in first]) for layer in range(fast.layers)]
    total = torch.zeros(batch)
    for t in range(length):
        logp = torch.log_softmax(logits.float(), dim=-1)
        total += logp.gather(1, padded[:, t : t + 1]).squeeze(1) * mask[:, t]
        if t + 1 < length:
            logits, state = fast.step(padded[:, t], state)
    return total
