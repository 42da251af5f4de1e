"""The app's side of the model, run from thread workers: what to show for the text being typed
(word candidates, a blank's candidates, ghost text) and the chat reply. No widgets here, and no
tensor arithmetic: everything goes through lm's public API.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator

import lm

from ...settings import Settings

SENTENCE_END = (".", "?", "!", "\n")
NOT_WORD = re.compile(r"[^\w']")  # where a word ends
WORD_TAIL = 20  # tokens past the ghost's length a word in progress may take to finish
FLOOR = 0.005  # candidates below this read as noise ("thatpy 0.00"): fewer rows rather than junk


@dataclass(frozen=True)
class PanelView:
    """What the side panel shows for a text: its candidates, best first (the ones Alt+n picks)."""

    text: str  # the input text these are for
    candidates: list[lm.Candidate]
    blank: bool = False  # candidates for a blank (ranked with the right context)
    note: str = ""  # why there are none, where that is not plain

    def __post_init__(self):
        kept = [c for i, c in enumerate(self.candidates) if i == 0 or c.score >= FLOOR]
        object.__setattr__(self, "candidates", kept)

    @property
    def preview(self) -> str:
        """The text with the best fill, when there is a blank."""
        return self.candidates[0].sequence if self.blank and self.candidates else ""


@dataclass
class Chat:
    """The conversation in the chat corpus's turn format: A is you, B is the model."""

    turns: list[tuple[str, str]] = field(default_factory=list)  # (speaker, text)

    def prompt(self, keep: int = 6) -> str:
        # A turn of several lines is several lines of that speaker, as the corpus writes them.
        recent = self.turns[-keep:]
        return "".join(f"{who}: {line}\n" for who, text in recent
                       for line in (text.splitlines() or [""])) + "B:"


class Writer:
    def __init__(self, model: lm.LanguageModel, settings: Settings | None = None):
        self.turn_end: str | None = None  # why the last reply ended (lm.Session.stream_turn)
        self.model = model
        self.settings = settings or Settings()
        self.session = model.session()
        self.lock = threading.Lock()  # one worker at a time moves the typing session

    def candidates(self, text: str) -> PanelView:
        """Top words for the word being typed, or the first blank's candidates if it has one."""
        k = self.settings.candidates
        if lm.find_blanks(text):
            try:
                first = self.model.fill(text, k=min(k, 9))[0]
            except lm.LMError:
                first = []
            return PanelView(text, first, blank=True)
        with self.lock:
            self.session.set_text(text)
            words = self.model.next_words(self.session, k)
        typed = len(lm.word_prefix(text))
        long = f"no word is {typed:,} letters long" if typed > lm.LONGEST_WORD else ""
        return PanelView(text, words, note=long)

    def ghost(self, text: str, cancelled: Callable[[], bool]) -> Iterator[str]:
        """The greedy continuation of `text`, piece by piece, to a sentence end or about
        `ghost_tokens` tokens; past those only the word in progress may finish (at most
        WORD_TAIL more), so the ghost never stops mid-word."""
        if not text or lm.find_blanks(text):
            return
        limit = self.settings.ghost_tokens
        with self.lock:
            self.session.set_text(text)
            pieces = self.session.stream(lm.Sampling(temperature=0, max_tokens=limit + WORD_TAIL))
            for n, piece in enumerate(pieces):
                if cancelled():
                    return
                for end in SENTENCE_END:
                    if end in piece:
                        piece = piece[: piece.index(end) + (end != "\n")]
                        if piece:
                            yield piece
                        return
                if n >= limit and (boundary := NOT_WORD.search(piece)):
                    if boundary.start():
                        yield piece[: boundary.start()]
                    return
                yield piece

    def reply(self, chat: Chat, cancelled: Callable[[], bool]) -> Iterator[str]:
        """The model's turn, sampled: its line after "B:", ended where the model ends it, at a
        sentence end past the reply length, or by Esc (see Session.stream_turn)."""
        session = self.model.session(chat.prompt())  # its own session: typing goes on meanwhile
        self.turn_end = None
        yield from session.stream_turn(self.settings.sampling, "B", cancel=_Flag(cancelled))
        self.turn_end = session.turn_end  # why it ended (lm.Session.stream_turn)


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
