"""Which words fit a blank cut from a corpus sentence: decided from the corpus's own text.

A sentence from the val/test split has one word of its own, but often more than one fits:
"Does she print ___ rug?" takes "a" and "the". A guess counts when the corpus text (all of it:
it stands for how the language is written, not for what the model saw) has it in the same slot:

- a closed-class blank (article, be-verb, preposition, pronoun): a word of the same class that
  the text has right after the word before the blank AND right before the word after it. Those
  two neighbours decide most of what fits: "an rug" and "she are" never occur, "the rug" does.
- a content word: a word the text has between the same two neighbours (the three words in a
  row). Most such frames take hundreds of words ("under the ___."); a question whose frame takes
  more than MAX_FITS, or that the text shows fewer than MIN_FRAME times (too rare to say what
  else fits), is not asked, so every question asked has a small set, shown at the reveal.

Only the answer's own spelling is known to fit for sure; this is a corpus judgement, the same
for you and for the model, and said in the quiz's help.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The words and sentence marks the frames are made of; "<s>" stands before a sentence's first word.
TOKEN = re.compile(r"[^\W\d_][\w']*|[.!?,;:]")
LINE_TOKEN = re.compile(TOKEN.pattern + "|\n")
START = "<s>"
END = "</s>"  # after a sentence's last word where the text has no mark
MAX_FITS = 12  # a content blank with more words that fit is too open to ask
# A content blank is only asked where the text shows its frame this often: once is the sentence
# itself, which says nothing of what else would fit ("The trailer ___ smaller." takes "is" too).
MIN_FRAME = 3
# How a guess is judged, in a line the quiz shows with the accepted words.
RULE = ("the word itself, or any word of its kind that the corpus's text has between the same "
        "two neighbours")


@dataclass(frozen=True)
class Slot:
    """Where a blank sits: its neighbours, as the frames are keyed (casefolded)."""

    before: str
    after: str

    @classmethod
    def of(cls, sentence: str, start: int, end: int) -> "Slot":
        left = [m.group(0).casefold() for m in TOKEN.finditer(sentence[:start])]
        right = [m.group(0).casefold() for m in TOKEN.finditer(sentence[end:])]
        return cls(left[-1] if left else START, right[0] if right else END)


def _tokens(text: str) -> list[str]:
    """The text as frame tokens, casefolded; a line break ends a sentence and a frame."""
    out = [START]
    for word in LINE_TOKEN.findall(text.casefold()):
        if word == "\n":
            out += [END, START]
        else:
            out.append(word)
            if word in ".!?":
                out.append(START)  # the next word opens a sentence
    out.append(END)
    return out


class Fits:
    """The words that fit each of a set of slots, found in one pass over the corpus text."""

    def __init__(self, text: str, slots: set[Slot], class_words: dict[str, frozenset[str]]):
        befores = {s.before for s in slots}
        afters = {s.after for s in slots}
        self._between: dict[tuple[str, str], set[str]] = {(s.before, s.after): set()
                                                          for s in slots}
        self._seen: dict[tuple[str, str], int] = dict.fromkeys(self._between, 0)
        self._after: dict[str, set[str]] = {b: set() for b in befores}  # words seen after b
        self._before: dict[str, set[str]] = {a: set() for a in afters}  # words seen before a
        closed = frozenset().union(*class_words.values()) if class_words else frozenset()
        self.class_words = class_words
        between, after, before = self._between, self._after, self._before
        toks = _tokens(text)
        for left, word, right in zip(toks, toks[1:], toks[2:]):
            if not word[0].isalpha():
                continue
            if (left, right) in between:
                between[(left, right)].add(word)
                self._seen[(left, right)] += 1
            if word in closed:
                if left in after:
                    after[left].add(word)
                if right in before:
                    before[right].add(word)

    def decided(self, slot: Slot) -> bool:
        """Whether the text shows a content blank's frame often enough to say what fits."""
        return self._seen.get((slot.before, slot.after), 0) >= MIN_FRAME

    def words(self, slot: Slot, category: str) -> set[str]:
        """Every word that fits the slot for a blank of this category (casefolded)."""
        if category in self.class_words:
            return (self.class_words[category] & self._after.get(slot.before, set())
                    & self._before.get(slot.after, set()))
        return set(self._between.get((slot.before, slot.after), ()))


def definite(article: str) -> set[str]:
    """Where "a" or "an" stands before a noun, "the" stands too ("find a zookeeper", "find the
    zookeeper"): grammar, not the corpus, decides this one, so a rare noun does not hide it."""
    return {"the"} if article in ("a", "an") else set()
