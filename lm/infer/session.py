"""A session: the hidden state over a text being typed, kept token by token.

The state after every token is saved, so typing runs only the new tokens and a backspace or an
edit goes back to a saved state instead of re-reading the prefix. Each new text is compared with
the old one token by token; for subword models the last piece may change as you type, and the
comparison finds the last token both share, which is where the model resumes.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from typing import Iterator

import torch

from ..candidate import Candidate
from ..hardware import inference_threads
from ..sampling import Sampling
from .decode import decode
from .distribution import NextToken, next_token
from .engine import WINDOW, Engine, State

# \Z, not $: $ also matches before a final newline, which made "home\n" a word being typed.
# The lookbehind lets only a run's first character start a match: without it, a long word
# followed by a space is tried from each of its characters (quadratic in the word's length).
PARTIAL = re.compile(r"(?<![\w'])[\w']+\Z")


def word_prefix(text: str) -> str:
    """The word being typed at the end of `text` ('' right after a space or punctuation)."""
    m = PARTIAL.search(text)
    return m.group(0) if m else ""


@dataclass(frozen=True)
class WordStart:
    """Where a search for (or a continuation of) the word at the end of a text starts.

    A subword model never saw a word cut where you stopped typing: "The ki" is 'The', '▁', 'k',
    'i' to the tokenizer, while the text it trained on had 'The', '▁king'. So for subword models
    the search starts from the state before the spaces and the typed part of the word, and must
    spell that typed text again before it may go on."""

    logits: torch.Tensor
    state: State
    prefix: str  # the typed part of the word, when the search continues after it (char models)
    typed: str  # text that must be spelled again first (subword models), else ""


# A chat reply past its length goes on this many tokens to reach the end of its sentence.
GRACE_TOKENS = 60
SENTENCES = re.compile(r"[^.!?]*[.!?]+")


class Session:
    @property
    def threads(self) -> int | None:
        return self.engine.threads

    def __init__(self, engine: Engine, text: str = "", window: int = WINDOW):
        self.engine = engine
        self.tokenizer = engine.tokenizer
        self.window = window
        self.text = ""
        self._line_ids: dict[str, list[int]] = {}
        logits, state = engine.start_state()
        self._start = (logits, state)
        self.ids: list[int] = []
        self._states: list[State] = [state]  # _states[i]: state after ids[base : base + i]
        self._logits: list[torch.Tensor] = [logits]
        self._base = 0  # how many leading tokens fell out of the window (or were never read)
        self.tokens_run = 0  # tokens the model has read so far: the cost, for tests and benchmarks
        self.set_text(text)

    # --- the text ---------------------------------------------------------------------------

    def encode(self, text: str) -> list[int]:
        """Token ids of `text`, re-encoding only lines that changed (lines encode independently)."""
        nl = self.tokenizer.encode("\n")
        ids: list[int] = []
        cache = {}
        for k, line in enumerate(text.split("\n")):
            if k:
                ids.extend(nl)
            if line not in self._line_ids:
                self._line_ids[line] = self.tokenizer.encode(line)
            cache[line] = self._line_ids[line]
            ids.extend(cache[line])
        self._line_ids = cache  # keep only what the text still holds
        return ids

    @inference_threads
    def set_text(self, text: str) -> None:
        """Make `text` the session's text, running the model only past the shared token prefix."""
        new = self.encode(text)
        old = self.ids
        shared = 0
        limit = min(len(old), len(new))
        while shared < limit and old[shared] == new[shared]:
            shared += 1
        if shared < self._base:  # the edit reaches before the saved window: start over
            self._states, self._logits = [self._start[1]], [self._start[0]]
            self._base, shared = 0, 0
        if len(new) - shared > self.window:
            # More new text than the window holds: read only its last `window` tokens, from the
            # start state, so a pasted book costs what a window costs (self.cut says how many
            # tokens were never read).
            self._states, self._logits = [self._start[1]], [self._start[0]]
            self._base = shared = len(new) - self.window
        keep = shared - self._base + 1
        del self._states[keep:], self._logits[keep:]
        state = self._states[-1]
        for token in new[shared:]:
            logits, state = self.engine.step(torch.tensor([token]), state)
            self._states.append(state)
            self._logits.append(logits[0])
            self.tokens_run += 1
        self.ids, self.text = new, text
        overflow = len(self._states) - 1 - self.window
        if overflow > 0:
            del self._states[:overflow], self._logits[:overflow]
            self._base += overflow

    @property
    def cut(self) -> int:
        """Tokens at the start of the text outside the window the model reads (0 for most)."""
        return self._base

    def feed(self, text: str) -> None:
        self.set_text(self.text + text)

    def backspace(self, n: int = 1) -> None:
        self.set_text(self.text[: max(0, len(self.text) - n)])

    @property
    def state(self) -> State:
        return self._states[-1]

    @property
    def logits(self) -> torch.Tensor:
        """Scores for the token after the text."""
        return self._logits[-1]

    def state_at(self, n_tokens: int) -> tuple[torch.Tensor, State]:
        """Logits and state after the first n_tokens of the text's ids (must be in the window)."""
        i = n_tokens - self._base
        if i < 0:
            raise IndexError("that position has left the session's window")
        return self._logits[i], self._states[i]

    @inference_threads
    def word_start(self) -> WordStart:
        """Where the word at the end of the text starts, for a search or a continuation."""
        prefix = word_prefix(self.text)
        if self.tokenizer.char_level:
            return WordStart(self.logits, self.state, prefix, "")
        stable = self.text[: len(self.text) - len(prefix)].rstrip(" ")
        ids = self.encode(stable)
        if self.ids[: len(ids)] == ids and len(ids) >= self._base:
            logits, state = self.state_at(len(ids))
        else:  # the pieces before the spaces changed with them: read the stable text afresh
            other = Session(self.engine, stable)
            logits, state = other.logits, other.state
        return WordStart(logits, state, "", self.text[len(stable):])

    # --- what comes next --------------------------------------------------------------------

    @inference_threads
    def next_tokens(self, k: int = 5) -> list[Candidate]:
        probs = torch.softmax(self.logits + self.engine.ban, dim=-1)
        top = torch.topk(probs, min(k, probs.numel()))
        return [Candidate(self.tokenizer.decode([int(i)]), float(p))
                for p, i in zip(top.values, top.indices)]

    @inference_threads
    def next_token(self, sampling: Sampling, k: int = 20) -> NextToken:
        """The next token's top k, as the model ranks them and as `sampling` would draw them."""
        return next_token(self.logits, self.tokenizer, self.engine.ban, sampling, k)

    def stream(self, sampling: Sampling, cancel: threading.Event | None = None) -> Iterator[str]:
        """Yield a continuation piece by piece. The session's own text is left as it was; call
        feed() with what you keep. A subword model first spells the word being typed again
        (see WordStart); that retyped text is not yielded."""
        start = self.word_start()
        return self._threaded(decode(self.engine, start.logits, start.state, sampling,
                                     heal=start.typed, fallback=(self.logits, self.state),
                                     cancel=cancel))

    @inference_threads
    def _threaded(self, pieces: Iterator[str]) -> Iterator[str]:
        yield from pieces  # each step on the engine's threads (see lm.hardware)

    @inference_threads
    def stream_turn(self, sampling: Sampling, speaker: str = "B",
                    cancel: threading.Event | None = None) -> Iterator[str]:
        """One speaker's turn in the chat corpus's "A: ... / B: ..." format: the line the model
        writes after the text (which ends in "{speaker}:"), streamed.

        In that format a line is a turn, so the reply ends where the model ends the line (the
        other speaker would start next). Past `sampling.max_tokens` it ends at the next sentence
        end, or GRACE_TOKENS later where none comes; in a greedy reply (temperature 0) a sentence
        it already said ends it, as it would say it forever; so do a stop string and `cancel`.
        `self.turn_end` then says which: "turn", "length", "cut", "repeat", "stop" or "cancel".
        The session's text is left as it was.
        """
        said, tokens, self.turn_end = "", 0, "stop"
        budget = replace(sampling, max_tokens=sampling.max_tokens + GRACE_TOKENS)
        for piece in self.stream(budget, cancel):
            tokens += 1  # one piece per token, but for held-back partial characters
            piece, ended = piece.partition("\n")[0], "\n" in piece
            shown = piece if said.strip() else piece.lstrip()  # no indent after "B:"
            said += piece
            if shown:
                yield shown
            if ended:
                self.turn_end = "turn"
                return
            if said.rstrip()[-1:] in ".!?" and said.strip():
                sentences = [x.strip() for x in SENTENCES.findall(said)]
                if sampling.greedy and sentences[-1] in sentences[:-1]:
                    self.turn_end = "repeat"
                    return
                if tokens >= sampling.max_tokens:
                    self.turn_end = "length"
                    return
        if cancel is not None and cancel.is_set():
            self.turn_end = "cancel"
        elif tokens >= budget.max_tokens:
            self.turn_end = "cut"
