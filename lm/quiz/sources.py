"""Quiz items: one word blanked in a sentence the model never trained on, and a round of them.

Items come from two places: the held-out blank sets that ship with the corpora (the
generated "blank set" and the hand-written "everyday set", alternatives listed), and sentences
from the val/test split of a corpus, where the word to blank is picked by its class (be-verb,
article, preposition, pronoun, content word) and every word that fits its slot is accepted too
(fits.py says how that is decided). Sentences that also occur in the training split are left
out: the model must not have seen the answer. The same seed draws the same quiz.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
import threading
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Sequence

import corpora

from .. import defaults
from ..corpus import load_corpus
from ..trained_on import TrainedOn
from .fits import MAX_FITS, Fits, Slot, definite
from .occurrence import occurring

if TYPE_CHECKING:  # for annotations only: the facade imports this module
    from ..loaded import LoadedModel


CATEGORIES = ("be-verb", "auxiliary", "article", "preposition", "pronoun", "agreement", "tense",
              "conjunction", "comparative", "question", "collocation", "world", "content")
DIFFICULTIES = ("easy", "medium", "hard")
BLANK = "___"

# Closed word classes: a word from the split is blanked under the first class that holds it.
WORD_CLASSES = {
    "be-verb": "am is are was were be been being",
    "article": "a an the",
    "preposition": "in on at to for with from by about under over after before into of behind "
                   "near across through until during without between above below",
    "pronoun": "i you he she it we they me him her us them my your his its our their mine yours "
               "hers ours theirs myself yourself himself herself itself ourselves yourselves "
               "themselves",
}
CLASS_OF = {w: c for c, words in WORD_CLASSES.items() for w in words.split()}
CLASS_WORDS = {c: frozenset(words.split()) for c, words in WORD_CLASSES.items()}
# Too common to make a fair content question, too rare to be a class of their own.
NOT_CONTENT = set("and or but so because when while if then than that this these those there "
                  "here not no yes very too also just what who where why how which do does did "
                  "has have had can could will would shall should may might must".split())

WORD = re.compile(r"[^\W\d_][\w']*")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
SPEAKER = re.compile(r"^\w{1,12}: ")
PUNCT = " \t\n.,;:!?\"'()[]{}«»“”‘’"


def normalise(word: str) -> str:
    """How answers are compared: case-insensitive, surrounding punctuation and spaces ignored."""
    return word.strip(PUNCT).casefold()


@dataclass(frozen=True)
class QuizItem:
    text: str  # the sentence, with ___ where the word was
    answer: str
    alternatives: tuple[str, ...] = ()
    category: str = "content"
    source: str = "blank set"
    # Filled in by rate(): the model's own view of the item.
    difficulty: str = ""
    confidence: float = 0.0  # the score of the model's first choice
    model_candidates: tuple[tuple[str, float], ...] = ()
    counted: tuple[tuple[str, float], ...] = ()  # the word 5-gram's top-k, for the reveal

    def accepts(self, guess: str) -> bool:
        return normalise(guess) in {normalise(a) for a in (self.answer, *self.alternatives)}

    @property
    def sentence(self) -> str:
        """The sentence with the answer in place."""
        return self.text.replace(BLANK, self.answer, 1)

    @property
    def model_right(self) -> bool:
        return bool(self.model_candidates) and self.accepts(self.model_candidates[0][0])

    def to_dict(self) -> dict:
        return {"text": self.text, "answer": self.answer, "alternatives": list(self.alternatives),
                "category": self.category, "source": self.source,
                "difficulty": self.difficulty, "confidence": self.confidence}


def difficulty_of(confidence: float) -> str:
    """Easy when the model is sure of its first choice, hard when it is not."""
    return "easy" if confidence >= 0.8 else "medium" if confidence >= 0.4 else "hard"


def rate(model: LoadedModel, item: QuizItem, k: int = 5) -> QuizItem:
    """The item with the model's top-k for the blank (right context used), its difficulty, and
    what counting (the word 5-gram of the model's training text) would have put there."""
    ranked = model.fill(item.text, k=k)[0]
    candidates = tuple((c.token_str, c.score) for c in ranked)
    confidence = candidates[0][1] if candidates else 0.0
    counted = tuple((w, math.exp(lp)) for w, lp in model.ngram().fill(item.text, k=k))
    return replace(item, model_candidates=candidates, confidence=confidence,
                   difficulty=difficulty_of(confidence), counted=counted)


# --- where items come from ------------------------------------------------------------------

def blank_set_items(source: str = "blank set") -> list[QuizItem]:
    """A held-out set that ships with the corpora ("blank set", "everyday set")."""
    return [QuizItem(d["text"], d["answer"], tuple(d["alternatives"]), d["category"], source)
            for d in corpora.blank_items(source)]


def sentences(text: str) -> list[str]:
    """The sentences of a text, without a chat line's speaker tag ("A: ")."""
    out = []
    for line in text.splitlines():
        for s in SENTENCE_END.split(SPEAKER.sub("", line.strip())):
            if s[-1:] in (".", "!", "?") and WORD.search(s):
                out.append(s)
    return out


def held_out_sentences(parts: dict[str, str], split: str = "val") -> list[str]:
    """Sentences of the val or test split (`parts` as Corpus.split gives them) that occur nowhere
    in the training split, not even inside a longer sentence."""
    candidates = list(dict.fromkeys(s for s in sentences(parts[split])
                                    if 4 <= len(s.split()) <= 24))  # in order, once each
    seen = occurring(parts["train"], candidates)
    return [s for s, in_train in zip(candidates, seen) if not in_train]


def category_of(word: str) -> str | None:
    low = word.casefold()
    if low in CLASS_OF:
        return CLASS_OF[low]
    if low in NOT_CONTENT or len(word) < 3 or "'" in word:
        return None
    return "content"


def split_items(corpus: Sequence[str], fractions: tuple[float, float, float], split: str = "val",
                seed: int = 0, parts: dict[str, str] | None = None) -> list[QuizItem]:
    """One item per held-out sentence: a word of a known class blanked, chosen by the seed, with
    every word that fits its slot as an alternative (see fits.py). A content word whose slot
    takes too many words is not blanked. `parts` is the corpus already split, when the caller
    has it."""
    parts = parts or load_corpus(list(corpus)).split(fractions)
    r = random.Random(f"{seed}|{'+'.join(corpus)}|{split}")
    items = []
    for s, words in _blankable(parts, split):
        # A class first, then a word of it: otherwise content words would fill most of the quiz.
        category = r.choice(sorted({c for *_, c, _ in words}))
        start, end, _, fit = r.choice([w for w in words if w[2] == category])
        answer = s[start:end]
        items.append(QuizItem(s[:start] + BLANK + s[end:], answer,
                              tuple(sorted(fit - {answer.casefold()})), category=category,
                              source=f"{split} split"))
    return items


# The last few corpora's blankable words: the one pass over the text that finds what fits is
# the slow part of drawing a quiz (about two seconds on `default`), and every round needs the
# same. One thread finds them at a time: a round asked for while `warm` runs waits for its result.
_BLANKABLE: dict[tuple, list] = {}
_FINDING = threading.Lock()


def _blankable(parts: dict[str, str], split: str) -> list[tuple[str, list]]:
    """Each held-out sentence with the words that may be blanked in it, as (start, end,
    category, the words that fit its slot); sentences with none are left out."""
    key = (hashlib.sha256("\0".join(parts.values()).encode()).hexdigest(), split)
    with _FINDING:
        if key not in _BLANKABLE:
            if len(_BLANKABLE) >= 4:
                _BLANKABLE.pop(next(iter(_BLANKABLE)))
            _BLANKABLE[key] = _find_blankable(parts, split)
        return _BLANKABLE[key]


def _find_blankable(parts: dict[str, str], split: str) -> list[tuple[str, list]]:
    found = []
    for s in held_out_sentences(parts, split):
        # A pronoun opening the sentence has nothing in it to agree with: any would do.
        found.append((s, [(m.start(), m.end(), c, Slot.of(s, m.start(), m.end()))
                          for m in WORD.finditer(s) if (c := category_of(m.group(0)))
                          and not (c == "pronoun" and m.start() == 0)]))
    fits = Fits("\n".join(parts.values()), {w[3] for _, words in found for w in words},
                CLASS_WORDS)
    out = []
    for s, words in found:
        fitting = []
        for start, end, c, slot in words:
            own = s[start:end].casefold()
            fit = fits.words(slot, c) | {own} | definite(own)  # its own word always fits
            if c in CLASS_WORDS or (len(fit) <= MAX_FITS and fits.decided(slot)):
                fitting.append((start, end, c, frozenset(fit)))
        if fitting:
            out.append((s, fitting))
    return out


def warm(model: LoadedModel | None = None, corpus: Sequence[str] | str | None = None,
         split: str = "val") -> None:
    """Do the slow part of drawing a quiz now, so a round asked for later starts at once: the
    quiz screen calls it (in a thread) while you read its first page."""
    corpus, fractions = training_corpus(model, corpus)
    _blankable(load_corpus(list(corpus)).split(fractions), split)


def pool(corpus: Sequence[str] = defaults.CORPUS, fractions=defaults.SPLIT, split: str = "val",
         seed: int = 0, split_limit: int | None = None) -> list[QuizItem]:
    """Every item a quiz on this corpus can draw: the blank set where it fits, then the split's
    (at most `split_limit` of them, drawn by the seed)."""
    parts = load_corpus(list(corpus)).split(fractions)
    blanks = []
    if blank_set_fits(corpus):
        every = [it for source in corpora.BLANK_SETS for it in blank_set_items(source)]
        seen = occurring(parts["train"], [it.sentence for it in every])
        blanks = [it for it, in_train in zip(every, seen) if not in_train]
    drawn = split_items(corpus, fractions, split, seed, parts)
    if split_limit is not None:
        random.Random(seed).shuffle(drawn)
        drawn = drawn[:split_limit]
    return blanks + drawn


def blank_set_fits(corpus: Sequence[str]) -> bool:
    """The blank set is English: it belongs in a quiz on the bundled English corpora only."""
    return all(corpora.manifest().get(c, {}).get("language") == "en" for c in corpus)


def items(model: LoadedModel | None = None, *, corpus: Sequence[str] | str | None = None,
          n: int = 10, category: str | None = None, difficulty: str | None = None,
          seed: int = 0, split: str = "val", rated: bool = True) -> list[QuizItem]:
    """A replayable quiz: n items drawn by `seed`, optionally of one category or difficulty.

    With a model, each item is rated (its difficulty and the model's top-k) unless rated=False,
    for a caller that rates them itself as the quiz goes; a difficulty filter needs the ratings.
    The corpus and split fractions default to the ones the model trained on.
    """
    rated = rated and model is not None
    if difficulty is not None and not rated:
        raise ValueError("a difficulty filter needs a model to rate the items")
    corpus, fractions = training_corpus(model, corpus)
    drawn = [it for it in pool(corpus, fractions, split, seed)
             if category is None or it.category == category]
    random.Random(seed).shuffle(drawn)
    out = []
    for item in drawn:
        if len(out) >= n:
            break
        if rated:
            item = rate(model, item)
            if difficulty is not None and item.difficulty != difficulty:
                continue
        out.append(item)
    return out


def corpora_for(model: LoadedModel) -> list[str]:
    """The bundled corpora a quiz on this model may draw from: those in the language(s) of the
    corpora it trained on (all of them for a model trained on a file of its own)."""
    manifest = corpora.manifest()
    trained, _ = training_corpus(model, None)
    learned = {manifest[c]["language"] for c in trained if c in manifest}
    return [c for c in corpora.names() if not learned or manifest[c].get("language") in learned]


def training_corpus(model: LoadedModel | None,
                    corpus: Sequence[str] | str | None) -> tuple[tuple[str, ...], tuple]:
    trained = TrainedOn.of(model.meta if model is not None else {})
    return trained.with_corpus(corpus), trained.split


