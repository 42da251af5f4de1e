"""What goes in the box? Filling a blank with both the left and the right context.

A recurrent model reads left to right, so it cannot see past the blank by itself. Candidates
come from the left context (the beam search to a word boundary); then each one is rescored by
log P(candidate + the rest of the sentence | left context), all candidates in one batched pass.
Scores are normalised over the candidates, as in masked-LM fill-mask output.

Four things keep that pass short: a char model's rescoring starts where the beam search left
each word (only the right context is read), candidates that fall far behind the leader stop
being read (PRUNE_MARGIN), it reads no further than RIGHT_TOKENS into the right context, and
after PRUNE_TOKENS the survivors read the rest in one fused call instead of step by step.
"""

from __future__ import annotations

import math
from typing import Container
from weakref import WeakKeyDictionary

import torch

from ..blank_marks import BLANK, SENTENCE_END, find_blanks
from ..candidate import Candidate
from ..errors import LMError
from .engine import Engine, State
from .session import Session, WordStart, word_prefix
from .words import WORD, beam_words

# How many words the left context proposes for rescoring; 32 missed the answer of content
# blanks far more often.
PROPOSALS = 64
# A subword model also proposes its likeliest whole-word pieces ("▁cold"): with a word-sized
# vocabulary most words are one piece, so one softmax ranks nearly every word of the lexicon and
# the right context can pick one the left context ranks far down. On the everyday set with the
# shipped model (the 'scored' column of rnn-tui eval; p50 on one thread): the beam alone held an
# answer of 76.0 % of the items (top-1 40.6 %); with 256 pieces 91.7 % (97 ms), 512 92.9 %
# (123 ms, top-1 44.0 %), 1024 93.8 % (185 ms). The rest are words of several pieces.
PIECE_PROPOSALS = 512
# Candidates trailing the leader by more than this many nats, read to the same point of the
# right context, stop being read. Chosen with benchmarks/bench_blank.py --quality: on the two
# blank sets, 7 moves top-1 by at most 0.3 points and reads about a third of the rows.
PRUNE_MARGIN = 7.0
# A char model reads at most this many tokens of the right context: the words nearest the blank
# decide it. Chosen with benchmarks/bench_blank.py --quality on the shipped model: 32 moved top-1 by
# -0.2 / 0.0 points on the everyday / generated blank sets, 24 by -0.6 / -0.3.
RIGHT_TOKENS = 32
# Candidates are pruned while the first PRUNE_TOKENS tokens of the right context are read, one
# step at a time; the rest is read by the survivors in one fused call (about 3 of 32 rows would
# still be dropped after this point, fewer than the stepping would cost).
PRUNE_TOKENS = 6
# A dropped candidate ranks behind every one read to the end, in the order it fell behind, with
# no share of the probability: its score is lowered this far (e^-1000 is 0 in float32). Its true
# share is below e^-PRUNE_MARGIN of the leader's and usually far less, as it kept falling behind.
DROPPED = 1000.0


class BeamMemo:
    """The last beam search of a char model, by its left context. While the user types to the
    right of a blank, only the right context changes, so each keystroke reuses the candidates
    and the states where they ended (read-only: the rescoring copies them). One entry, since a
    user edits one blank at a time; `hits` counts the searches it saved."""

    def __init__(self):
        self._last: tuple[tuple, tuple] | None = None
        self.hits = 0

    def get(self, key: tuple) -> tuple | None:
        last = self._last  # one read: another thread may put() meanwhile
        if last is not None and last[0] == key:
            self.hits += 1
            return last[1]
        return None

    def put(self, key: tuple, value: tuple) -> None:
        self._last = (key, value)


def right_context(rest: str) -> str:
    """The text after a blank up to the end of its sentence (or the next blank)."""
    nxt = BLANK.search(rest)
    if nxt:
        rest = rest[: nxt.start()]
    end = SENTENCE_END.search(rest)
    return rest[: end.end()] if end else rest


def fill(engine: Engine, text: str, k: int = 5, *, left_only: bool = False,
         proposals: int = PROPOSALS, margin: float | None = PRUNE_MARGIN,
         known: Container[str] | None = None,
         memo: BeamMemo | None = None) -> list[list[Candidate]]:
    """One ranked list per blank, left to right; each best fill conditions the next blank.
    With `known` (a Lexicon), only its words are proposed: fewer candidates rather than junk.
    With `memo`, a left context searched last time is not searched again."""
    count = _check(text)
    results, current = [], text
    for _ in range(count):
        m = BLANK.search(current)
        left, rest = current[: m.start()], current[m.end():]
        with_right, left_rank = fill_one(engine, left, right_context(rest), k=k,
                                         proposals=proposals, left_only=left_only, margin=margin,
                                         known=known, memo=memo)
        ranked = left_rank if left_only else with_right
        base = left[: len(left) - len(word_prefix(left))]
        results.append([Candidate(c.token_str, c.score, base + c.token_str + rest) for c in ranked])
        if not ranked:
            break
        current = results[-1][0].sequence
    return results


def fill_both(engine: Engine, text: str, k: int = 5, proposals: int = PROPOSALS,
              margin: float | None = PRUNE_MARGIN, pieces: int = PIECE_PROPOSALS,
              scored: list[str] | None = None) -> tuple[list[Candidate], list[Candidate]]:
    """For a text with one blank: the ranking with the right context and the left-only one,
    from one beam search (what an evaluation compares); `scored` as in fill_one."""
    if _check(text) != 1:
        raise LMError("fill_both takes a text with exactly one blank")
    m = BLANK.search(text)
    return fill_one(engine, text[: m.start()], right_context(text[m.end():]), k=k,
                    proposals=proposals, margin=margin, pieces=pieces, scored=scored)


def _check(text: str) -> int:
    if not text.strip():
        raise LMError("empty text: write a sentence with a blank, like 'I ___ a boy.'")
    count = len(find_blanks(text))
    if count == 0:
        raise LMError("no blank in the text: mark it with ___, (BOX) or [BOX]")
    return count


def fill_one(engine: Engine, left: str, right: str, *, k: int, proposals: int,
             left_only: bool = False, margin: float | None = PRUNE_MARGIN,
             from_word_ends: bool = True, known: Container[str] | None = None,
             right_tokens: int | None = RIGHT_TOKENS, prune_tokens: int | None = PRUNE_TOKENS,
             memo: BeamMemo | None = None, pieces: int = PIECE_PROPOSALS,
             scored: list[str] | None = None) -> tuple[list[Candidate], list[Candidate]]:
    """(ranked with the right context, ranked by the left alone); the first is [] if left_only.
    With `memo`, a char model's search for this left context is reused if it was the last.
    A subword model's right-context ranking also reads its `pieces` likeliest whole-word pieces.
    `scored`, if given, is extended with every word the right context was read for."""
    # A char model's beams end where the word does: rescoring starts there (see score_tails),
    # and only the state after the left context is needed, so it is read in one call.
    session, start = None, None
    if from_word_ends and engine.tokenizer.char_level:
        key = (engine, left, proposals, known)
        found, ends = (memo and memo.get(key)) or _char_search(engine, left, proposals, known)
        if memo is not None:
            memo.put(key, (found, ends))
    else:
        session, ends = Session(engine, left), None
        start = session.word_start()  # computed once: the search, the pieces and their reading
        found = beam_words(engine, start, k=proposals, beam=max(proposals, 24), known=known)
    words = sorted(found, key=found.get, reverse=True)[:proposals]
    if not words:
        return [], []
    prior = torch.tensor([math.log(found[w]) for w in words])
    left_rank = _ranked(words, prior, k)
    if left_only:
        return [], left_rank
    extra: list[str] = []
    if start is not None and pieces:
        seen = set(words)
        extra = [w for w in piece_words(engine, start, pieces, known) if w not in seen]
    if scored is not None:
        scored.extend(words + extra)
    if ends is not None and all(w in ends for w in words):
        # The word's own beam, not `found` (which also counts spellings like " word").
        scores = score_tails(engine, [ends[w][1:] for w in words],
                             torch.tensor([ends[w][0] for w in words]),
                             engine.tokenizer.encode(right)[:right_tokens], margin=margin,
                             prune_tokens=prune_tokens)
    else:
        base = left[: len(left) - len(word_prefix(left))]
        session = session or Session(engine, left)
        scores = score_continuations(session, base, [w + right for w in words], margin=margin)
        if extra:
            # Read apart from the beam's words: all one token long, they are compared (and the
            # trailing ones dropped) right after it, instead of waiting for the longest word.
            # The beam's best one-token words are read again with them, so rows are dropped for
            # trailing the leader overall, not the best of the rest.
            one_token = set(whole_words(engine, start.typed)[1])
            best = [words[i] for i in torch.argsort(scores, descending=True)[:3].tolist()]
            leaders = [w for w in best if w in one_token]
            group = leaders + extra
            more = score_pieces(engine, start, group, right, margin=margin,
                                prune_tokens=prune_tokens)
            if more is None:
                more = score_continuations(session, base, [w + right for w in group],
                                           margin=margin)
            words, scores = words + extra, torch.cat([scores, more[len(leaders):]])
    return _ranked(words, scores, k), left_rank


def piece_words(engine: Engine, start: WordStart, n: int,
                known: Container[str] | None) -> list[str]:
    """The n likeliest tokens, by the left context, that are a whole word on their own (with the
    space before it where the text ends in one): the proposals a subword model's softmax makes
    over its whole vocabulary in one step. None while a word is half typed."""
    if start.typed not in ("", " "):
        return []
    ids, words = whole_words(engine, start.typed)
    if not len(ids):
        return []
    logp = (start.logits.float() + engine.ban)[ids]
    top = torch.topk(logp, min(len(ids), n * 2 if known is not None else n)).indices.tolist()
    out = [words[i] for i in top if known is None or words[i] in known]
    return out[:n]


def score_pieces(engine: Engine, start: WordStart, words: list[str], right: str, *,
                 margin: float | None, prune_tokens: int | None) -> torch.Tensor | None:
    """log P(word + right | the text before it) for words of one token each, read the way
    score_tails reads a char model's words: one batched step into each word, then the right
    context they all share. None when the right context's tokens would differ with the word
    (a piece across the join): then score_continuations does it."""
    tok = engine.tokenizer
    index = {w: i for i, w in zip(*whole_words(engine, start.typed))}
    tail = tok.encode(start.typed + words[0] + right)[1:]
    ids = [index[w] for w in words]
    if any(tok.encode(start.typed + w + right) != [i] + tail for w, i in zip(words, ids)):
        return None
    rows = torch.tensor(ids)
    prior = torch.log_softmax(start.logits.float(), dim=-1)[rows]
    logits, state = engine.step(rows, [s.expand(len(ids), -1).contiguous() for s in start.state])
    starts = [(logits[r], [s[r : r + 1] for s in state]) for r in range(len(ids))]
    return score_tails(engine, starts, prior, tail, margin=margin, prune_tokens=prune_tokens)


_WHOLE: WeakKeyDictionary[Engine, dict[str, tuple[torch.Tensor, list[str]]]] = WeakKeyDictionary()


def whole_words(engine: Engine, space: str) -> tuple[torch.Tensor, list[str]]:
    """The ids of the tokens that spell `space` then a whole word and nothing else, and those
    words; kept per engine."""
    known = _WHOLE.setdefault(engine, {})
    if space not in known:  # built once per engine: every piece's text is checked
        ids, words = [], []
        for i, piece in enumerate(engine.pieces):
            if piece.startswith(space) and WORD.fullmatch(piece[len(space):]):
                ids.append(i)
                words.append(piece[len(space):])
        known[space] = (torch.tensor(ids, dtype=torch.long), words)
    return known[space]


def _char_search(engine: Engine, left: str, proposals: int,
                 known: Container[str] | None) -> tuple[dict[str, float], dict]:
    ends: dict = {}
    start = WordStart(*engine.read(engine.tokenizer.encode(left)), word_prefix(left), "")
    found = beam_words(engine, start, k=proposals, beam=max(proposals, 24), ends=ends, known=known)
    return found, ends


def _ranked(words: list[str], scores: torch.Tensor, k: int) -> list[Candidate]:
    probs = torch.softmax(scores, dim=0)
    order = torch.argsort(probs, descending=True)[:k]
    return [Candidate(words[i], float(probs[i])) for i in order.tolist()]


def score_continuations(session: Session, base: str, endings: list[str], *,
                        margin: float | None = None) -> torch.Tensor:
    """log P(ending | base) for every ending, in one batched pass from the saved states.

    Each ending is tokenised together with the base (a subword piece may straddle the join), and
    the model resumes after the longest token prefix it shares with the session's text.

    With `margin` (nats), an ending that trails the leader by more than that stops being read.
    Rows are compared where they have read the same amount of the endings' common tail (the
    right context), not at the same step: a short word reaches the costly context sooner than a
    long one. A dropped row scores the leader's final score less the gap it had and DROPPED, so
    it stays ranked behind with no share. Rows whose ending is done stop too (that is exact).
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
    lengths = torch.tensor([len(t) for t in targets])
    for r, t in enumerate(targets):
        padded[r, : len(t)] = torch.tensor(t, dtype=torch.long)
    # Where each row's part of the common tail starts.
    heads = lengths - _common_tail(targets)
    first = [session.state_at(s) for s in starts]
    logits = torch.stack([lg for lg, _ in first])
    state = [torch.cat([st[layer] for _, st in first]) for layer in range(engine.layers)]
    return _read(engine, logits, state, padded, lengths, heads, torch.zeros(batch), margin)


def score_tails(engine: Engine, starts: list[tuple[torch.Tensor, State]], prior: torch.Tensor,
                tail: list[int], *, margin: float | None = None,
                prune_tokens: int | None = PRUNE_TOKENS) -> torch.Tensor:
    """prior + log P(tail | start) for each start (logits, state): the same tail read from
    where each candidate word ended, so every row is at the same point at every step and the
    loop needs none of score_continuations' bookkeeping (this is the path a keystroke waits on).

    With `margin`, the first `prune_tokens` tokens are read a step at a time, dropping rows that
    fall behind; the survivors read the rest in one fused call. prune_tokens=None steps through
    all of it (the earlier path, kept for the benchmark)."""
    total = prior.clone()
    if not tail:
        return total
    logits = torch.stack([lg for lg, _ in starts]).float()
    state = [torch.cat([st[layer] for _, st in starts]) for layer in range(engine.layers)]
    alive = torch.arange(len(starts))
    live = total.clone()  # the totals of the rows still read, in their order
    gap = torch.full_like(total, float("nan"))
    tokens = torch.tensor(tail, dtype=torch.long)
    if prune_tokens is None:
        stepped = len(tail)
    else:  # without a margin nothing is dropped, so there is nothing to step for
        stepped = 0 if margin is None else min(len(tail), prune_tokens)
    for t in range(stepped):
        live += logits[:, tail[t]] - torch.logsumexp(logits, dim=-1)
        if t + 1 == len(tail):
            break
        if margin is not None and (behind := live < live.max() - margin).any():
            gap[alive[behind]] = live.max() - live[behind]
            total[alive[behind]] = live[behind]
            keep = ~behind
            alive, live, logits = alive[keep], live[keep], logits[keep]
            state = [s[keep] for s in state]
        logits, state = engine.step(tokens[t].expand(len(alive)), state)
        logits = logits.float()
    if stepped < len(tail):
        # The survivors read the rest in one fused call: few are dropped this late.
        rest = tail[stepped:]
        after, _ = engine.read_rows(rest[:-1], state) if len(rest) > 1 else (None, None)
        every = logits[:, None] if after is None else torch.cat([logits[:, None], after.float()], 1)
        live += torch.log_softmax(every, dim=-1).gather(
            2, tokens[stepped:].expand(len(alive), -1)[..., None]).sum((1, 2))
    total[alive] = live
    dropped = ~torch.isnan(gap)
    if dropped.any():
        total[dropped] = live.max() - gap[dropped] - DROPPED
    return total


def _read(engine: Engine, logits: torch.Tensor, state: State, padded: torch.Tensor,
          lengths: torch.Tensor, heads: torch.Tensor, total: torch.Tensor,
          margin: float | None) -> torch.Tensor:
    """Add log P(padded row | its start) to `total`, reading all rows as one batch; see
    score_continuations for `margin` and `heads` (where each row's common tail starts)."""
    batch, length = padded.shape
    running = torch.zeros(batch, length)  # total after each token, to compare rows aligned
    alive = torch.arange(batch)  # the rows still being read, in the order of logits and state
    gap = torch.full((batch,), float("nan"))  # how far behind a dropped row was
    for t in range(length):
        logp = torch.log_softmax(logits.float(), dim=-1)
        reading = t < lengths[alive]
        total[alive] += logp.gather(1, padded[alive, t : t + 1]).squeeze(1) * reading
        running[alive, t] = total[alive]
        keep = t + 1 < lengths[alive]
        offset = t - int(heads[alive].max())  # every live row has read this much of the tail
        if margin is not None and offset >= 0 and keep.any():
            aligned = running[alive, heads[alive] + offset]
            best = aligned.max()
            behind = (aligned < best - margin) & keep
            gap[alive[behind]] = best - aligned[behind]
            keep &= ~behind
        if not keep.all():
            alive, logits = alive[keep], logits[keep]
            state = [s[keep] for s in state]
        if not len(alive):
            break
        logits, state = engine.step(padded[alive, t], state)
    dropped = ~torch.isnan(gap)
    if dropped.any():
        top = total[~dropped].max()
        total[dropped] = top - gap[dropped] - DROPPED
    return total


def _common_tail(targets: list[list[int]]) -> int:
    """How many final tokens every target shares."""
    shortest = min(len(t) for t in targets)
    n = 0
    while n < shortest and len({t[len(t) - 1 - n] for t in targets}) == 1:
        n += 1
    return n
