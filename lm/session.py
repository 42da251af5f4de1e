"""A session: the hidden state over a text being typed, kept token by token.

The state after every token is saved, so typing runs only the new tokens and a backspace or an
edit goes back to a saved state instead of re-reading the prefix. Each new text is compared with
the old one token by token; for subword models the last piece may change as you type, and the
comparison finds the last token both share, which is where the model resumes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Sequence

import torch

from .fast import FastRNN, State
from .sampling import IncrementalDecoder, StopStrings, pick

if TYPE_CHECKING:
    from .language_model import LanguageModel

@dataclass(frozen=True)
class Candidate:
    token_str: str
    prob: float


class Session:
    def __init__(self, model: "LanguageModel", text: str = "", window: int = 4096):
        self.model = model
        self.fast: FastRNN = model.fast
        self.tokenizer = model.tokenizer
        self.window = window
        self.text = ""
        self._line_ids: dict[str, list[int]] = {}
        logits, state = self.fast.start_state()
        self._start = (logits, state)
        self.ids: list[int] = []
        self._states: list[State] = [state]  # _states[i]: state after ids[base : base + i]
        self._logits: list[torch.Tensor] = [logits]
        self._base = 0  # how many leading tokens fell out of the window
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
        keep = shared - self._base + 1
        del self._states[keep:], self._logits[keep:]
        state = self._states[-1]
        for token in new[shared:]:
            logits, state = self.fast.step(torch.tensor([token]), state)
            self._states.append(state)
            self._logits.append(logits[0])
            self.tokens_run += 1
        self.ids, self.text = new, text
        overflow = len(self._states) - 1 - self.window
        if overflow > 0:
            del self._states[:overflow], self._logits[:overflow]
            self._base += overflow

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

    # --- what comes next --------------------------------------------------------------------

    def next_tokens(self, k: int = 5) -> list[Candidate]:
        probs = torch.softmax(self.logits + self.fast.ban, dim=-1)
        top = torch.topk(probs, min(k, probs.numel()))
        return [Candidate(self.tokenizer.decode([int(i)]), float(p))
                for p, i in zip(top.values, top.indices)]

    def next_words(self, k: int = 5, beam: int = 24) -> list[Candidate]:
        from .words import complete_word

        return complete_word(self, k=k, beam=beam)

    def stream(
        self,
        *,
        max_tokens: int = 200,
        temperature: float = 0.8,
        top_k: int = 0,
        top_p: float = 1.0,
        seed: int | None = None,
        stop: Sequence[str] = (),
        cancel: threading.Event | None = None,
    ) -> Iterator[str]:
        """Yield a continuation piece by piece. The session's own text is left as it was; call
        feed() with what you keep. `cancel` is checked between tokens.

        A subword model resumes from before the trailing spaces and the word being typed, and
        first spells them again (tokens that would not are masked), so it continues "The ki" as
        it learned to, through '▁king', not after a lone 'k', 'i'; that retyped text is not
        yielded."""
        generator = torch.Generator().manual_seed(seed) if seed is not None else None
        decoder, stops = IncrementalDecoder(self.tokenizer), StopStrings(stop)
        fast = self.fast
        logits, state, heal = self._resume_point()
        written = ""  # text generated so far, while it still covers `heal`
        produced = 0
        while produced < max_tokens:
            if cancel is not None and cancel.is_set():
                return
            masked = logits + fast.ban
            if heal:
                mask = self._heal_mask(heal, written)
                # No piece goes on spelling it (a character only byte pieces hold, say): drop
                # the retyped part and continue from the text as typed. Nothing was yielded yet.
                if torch.isinf(mask).all():
                    logits, state, heal = self.logits, self.state, ""
                    masked = logits + fast.ban
                else:
                    masked = masked + mask
            token = pick(masked, temperature, top_k, top_p, generator)
            piece = decoder.push(token)
            if heal:
                written += piece
                if len(written) < len(heal) or decoder.pending:
                    out, state = fast.step(torch.tensor([token]), state)
                    logits = out[0]
                    continue
                piece, heal = written[len(heal):], ""
            produced += 1
            text, done = stops.push(piece)
            if text:
                yield text
            if done:
                return
            out, state = fast.step(torch.tensor([token]), state)
            logits = out[0]
        if rest := stops.flush():
            yield rest

    def _resume_point(self) -> tuple[torch.Tensor, State, str]:
        """(logits, state, text to spell again) for a continuation: see stream()."""
        from .words import word_start

        start = word_start(self)
        return start.logits, start.state, start.typed

    def _heal_mask(self, heal: str, written: str) -> torch.Tensor:
        """0 for tokens that keep `written` on course to spell `heal`, -inf for the rest."""
        mask = torch.full((len(self.model.pieces),), float("-inf"))
        for i, piece in enumerate(self.model.pieces):
            text = written + piece
            if piece and (text.startswith(heal) or heal.startswith(text)):
                mask[i] = 0.0
        return mask
