"""The words a model's training text holds: what makes a candidate a real word.

A character model spells words it never saw ("thatpy", "girlfy"); at a few tenths of a percent
they read as a broken panel. Candidates are kept to words of the training text (casefolded), so
the panel shows fewer rows rather than junk. A model whose training text is gone (a file since
moved) has no lexicon, and its candidates are not filtered.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..corpus import load_corpus
from ..errors import LMError
from ..trained_on import TrainedOn

WORD = re.compile(r"[\w']+")  # what the word search calls a word (words.py)
MAX_CHARS = 200 << 20  # a bigger text is not read for this: no lexicon, no filter


class Lexicon:
    def __init__(self, words: frozenset[str]):
        self.words = words

    @classmethod
    def of_text(cls, text: str) -> "Lexicon":
        return cls(frozenset(WORD.findall(text.casefold())))

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word.casefold() in self.words

    def __len__(self) -> int:
        return len(self.words)


def lexicon_for(meta: dict) -> Lexicon | None:
    """The lexicon of the corpus a checkpoint's metadata names, or None if it cannot be read."""
    corpus = (meta.get("train_config") or {}).get("corpus")  # none named: no lexicon to read
    return _lexicon(TrainedOn.of(meta).corpus) if corpus else None


@lru_cache(maxsize=4)
def _lexicon(corpus: tuple[str, ...]) -> Lexicon | None:
    try:
        loaded = load_corpus(list(corpus))
        if sum(len(p) for p in loaded.parts) > MAX_CHARS:
            return None
        return Lexicon.of_text(loaded.text)
    except (LMError, OSError, MemoryError):
        return None
