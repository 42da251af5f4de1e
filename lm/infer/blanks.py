"""What goes in the box? Filling a blank with both the left and the right context.

A recurrent model reads left to right, so it cannot see past the blank by itself. Candidates
come from the left context (the beam search to a word boundary); then each one is rescored by
log P(candidate + the rest of the sentence | left context), all candidates in one batched pass.
Scores are normalised over the candidates, as in masked-LM fill-mask output.
"""

from __future__ import annotations

import math

import torch

from ..blank_marks import BLANK, SENTENCE_END, find_blanks
from ..candidate import Candidate
from ..errors import LMError
from .engine import Engine
from .session import Session, word_prefix
from .words import beam_words

# How many words the left context proposes for rescoring; 32 missed the answer of content
# blanks far more often.
PROPOSALS = 64


def right_context(rest: str) -> str:
    """The text after a blank up to the end of its sentence (or the next blank)."""
    nxt = BLANK.search(rest)
    if nxt:
        rest = rest[: nxt.start()]
    end = SENTENCE_END.search(rest)
    return rest[: end.end()] if end else rest


def fill(engine: Engine, text: str, k: int = 5, *, left_only: bool = False,
         proposals: int = PROPOSALS) -> list[list[Candidate]]:
    """One ranked list per blank, left to right; each best fill conditions the next blank."""
    count = _check(text)
    results, current = [], text
    for _ in range(count):
        m = BLANK.search(current)
        left, rest = current[: m.start()], current[m.end():]
        with_right, left_rank = fill_one(engine, left, right_context(rest), k=k,
                                         proposals=proposals, left_only=left_only)
        ranked = left_rank if left_only else with_right
        base = left[: len(left) - len(word_prefix(left))]
        results.append([Candidate(c.token_str, c.score, base + c.token_str + rest) for c in ranked])
        if not ranked:
            break
        current = results[-1][0].sequence
    return results


def fill_both(engine: Engine, text: str, k: int = 5,
              proposals: int = PROPOSALS) -> tuple[list[Candidate], list[Candidate]]:
    """For a text with one blank: the ranking with the right context and the left-only one,
    from one beam search (what an evaluation compares)."""
    if _check(text) != 1:
        raise LMError("fill_both takes a text with exactly one blank")
    m = BLANK.search(text)
    return fill_one(engine, text[: m.start()], right_context(text[m.end():]), k=k,
                    proposals=proposals)


def _check(text: str) -> int:
    if not text.strip():
        raise LMError("empty text: write a sentence with a blank, like 'I ___ a boy.'")
    count = len(find_blanks(text))
    if count == 0:
        raise LMError("no blank in the text: mark it with ___, (BOX) or [BOX]")
    return count


def fill_one(engine: Engine, left: str, right: str, *, k: int, proposals: int,
             left_only: bool = False) -> tuple[list[Candidate], list[Candidate]]:
    """(ranked with the right context, ranked by the left alone); the first is [] if left_only."""
    session = Session(engine, left)
    found = beam_words(engine, session.word_start(), k=proposals, beam=max(proposals, 24))
    words = sorted(found, key=found.get, reverse=True)[:proposals]
    if not words:
        return [], []
    left_rank = _ranked(words, torch.tensor([math.log(found[w]) for w in words]), k)
    if left_only:
        return [], left_rank
    base = left[: len(left) - len(word_prefix(left))]
    scores = score_continuations(session, base, [w + right for w in words])
    return _ranked(words, scores, k), left_rank


def _ranked(words: list[str], scores: torch.Tensor, k: int) -> list[Candidate]:
    probs = torch.softmax(scores, dim=0)
    order = torch.argsort(probs, descending=True)[:k]
    return [Candidate(words[i], float(probs[i])) for i in order.tolist()]


def score_continuations(session: Session, base: str, endings: list[str]) -> torch.Tensor:
    """log P(ending | base) for every ending, in one batched pass from the saved states.

    Each ending is tokenised together with the base (a subword piece may straddle the join), and
    the model resumes after the longest token prefix it shares with the session's text.
    """
    engine, own = session.engine, session.ids
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
    state = [torch.cat([st[layer] for _, st in first]) for layer in range(engine.layers)]
    total = torch.zeros(batch)
    for t in range(length):
        logp = torch.log_softmax(logits.float(), dim=-1)
        total += logp.gather(1, padded[:, t : t + 1]).squeeze(1) * mask[:, t]
        if t + 1 < length:
            logits, state = engine.step(padded[:, t], state)
    return total
