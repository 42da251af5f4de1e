"""The app's side of the model, run from thread workers: what to show for the text being typed
(word candidates, a blank's candidates, ghost text) and the chat reply. No widgets here, and no
tensor arithmetic: everything goes through lm's public API.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator

import lm

SENTENCE_END = (".", "?", "!", "\n")


@dataclass
class Settings:
    temperature: float = 0.8
    top_k: int = 0
    top_p: float = 0.95
    max_tokens: int = 200  # per chat reply
    ghost_tokens: int = 40  # ghost text stops at a sentence end or here
    candidates: int = 8


@dataclass(frozen=True)
class Candidates:
    text: str  # the input text these are for
    items: list[tuple[str, float]]
    blank: bool = False  # candidates for a blank (ranked with the right context)
    preview: str = ""  # the text with the best fill, when there is a blank


@dataclass
class Chat:
    """The conversation in the chat corpus's turn format: A is you, B is the model."""

    turns: list[tuple[str, str]] = field(default_factory=list)  # (speaker, text)

    def prompt(self, keep: int = 6) -> str:
        recent = self.turns[-keep:]
        return "".join(f"{who}: {text}\n" for who, text in recent) + "B:"


class Writer:
    def __init__(self, model: lm.LanguageModel, settings: Settings | None = None):
        self.model = model
        self.settings = settings or Settings()
        self.session = model.session()
        self.lock = threading.Lock()  # one worker at a time moves the typing session

    def candidates(self, text: str) -> Candidates:
        """Top words for the word being typed, or the blank's candidates if the text has one."""
        k = self.settings.candidates
        if lm.find_blanks(text):
            try:
                ranked = self.model.fill(text, k=min(k, 9))
            except lm.LMError:
                return Candidates(text, [], blank=True)
            first = ranked[0] if ranked and isinstance(ranked[0], list) else ranked
            items = [(c["token_str"], c["score"]) for c in first]
            preview = first[0]["sequence"] if first else ""
            return Candidates(text, items, blank=True, preview=preview)
        with self.lock:
            self.session.set_text(text)
            words = self.session.next_words(k)
        return Candidates(text, [(w.token_str, w.prob) for w in words])

    def ghost(self, text: str, cancelled: Callable[[], bool]) -> Iterator[str]:
        """The greedy continuation of `text`, piece by piece, to a sentence end."""
        if not text or lm.find_blanks(text):
            return
        with self.lock:
            self.session.set_text(text)
            pieces = self.session.stream(max_tokens=self.settings.ghost_tokens, temperature=0)
            for piece in pieces:
                if cancelled():
                    return
                for end in SENTENCE_END:
                    if end in piece:
                        piece = piece[: piece.index(end) + (end != "\n")]
                        if piece:
                            yield piece
                        return
                yield piece

    def reply(self, chat: Chat, cancelled: Callable[[], bool]) -> Iterator[str]:
        """The model's turn, sampled, ending where its turn ends (a new line)."""
        s = self.settings
        session = self.model.session(chat.prompt())  # its own session: typing goes on meanwhile
        yield from session.stream(max_tokens=s.max_tokens, temperature=s.temperature,
                                  top_k=s.top_k, top_p=s.top_p, stop=["\n"],
                                  cancel=_Flag(cancelled))


class _Flag:
    """Adapts a `cancelled()` callable to the Event-like `is_set()` that stream() checks."""

    def __init__(self, cancelled: Callable[[], bool]):
        self.is_set = cancelled


class FrameBatcher:
    """Collects streamed pieces and lets them out at most once per frame."""

    def __init__(self, fps: float = 30.0):
        self.interval = 1.0 / fps
        self.pending = ""
        self.last = 0.0

    def add(self, piece: str) -> str | None:
        self.pending += piece
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last, out, self.pending = now, self.pending, ""
            return out
        return None

    def flush(self) -> str:
        out, self.pending = self.pending, ""
        return out
