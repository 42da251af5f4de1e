"""A toy agreement language, the tutorial's "I ___ a boy" made exact: a subject, g filler words,
then the verb, whose form depends on the subject alone.

    he  often here now again  is
    we  often here now again  are

Three singular subjects take "is", three plural ones take "are"; subjects are drawn evenly, so
chance is 50 %. The fillers never agree with anything, so the only way to the right verb is to
remember the subject across the gap. They follow a small grammar of their own, as the words of a
real sentence do: the first is drawn at random, and each next one is, with even odds, the next
filler in FILLERS or the fifth after it (wrapping round). A language model that also predicts
the fillers must therefore follow them, one step at a time, while it holds the subject.

Token ids: subjects, then the two verbs, then the fillers.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

SINGULAR = ("he", "she", "it")  # -> "is"
PLURAL = ("we", "they", "you")  # -> "are"
VERBS = ("is", "are")
FILLERS = (
    "today", "still", "often", "here", "now", "then", "again", "really", "always", "quietly",
    "maybe", "also", "surely", "once", "soon", "later", "there", "indeed", "perhaps", "sometimes",
    "usually", "truly", "rarely", "slowly",
)
STEPS = (1, 5)  # a filler is followed by the one this far on in FILLERS, either with odds 1/2
WORDS = SINGULAR + PLURAL + VERBS + FILLERS
VOCAB = len(WORDS)
VERB_IDS = torch.tensor([WORDS.index(v) for v in VERBS])  # is, are
FIRST_FILLER = len(SINGULAR) + len(PLURAL) + len(VERBS)
CHANCE = 0.5


@dataclass(frozen=True)
class Batch:
    """`ids` (batch, 1 + gap): the subject and the fillers, the model's input; `verb` (batch,):
    0 for "is", 1 for "are", the word that comes next."""

    ids: torch.Tensor
    verb: torch.Tensor

    @property
    def gap(self) -> int:
        return self.ids.shape[1] - 1

    @property
    def target(self) -> torch.Tensor:
        """The verb as a token id, for a loss over the whole vocabulary."""
        return VERB_IDS[self.verb]


def sentences(gap: int, n: int, generator: torch.Generator) -> Batch:
    """n sentences with `gap` fillers each, drawn from `generator`; half singular and half plural
    (a shuffled even split, so chance is exactly 50 % for an even n)."""
    plural = (torch.arange(n) % 2)[torch.randperm(n, generator=generator)]
    subject = plural * len(SINGULAR) + torch.randint(len(SINGULAR), (n,), generator=generator)
    filler = torch.empty(n, gap, dtype=torch.long)
    if gap:
        filler[:, 0] = torch.randint(len(FILLERS), (n,), generator=generator)
        hops = torch.tensor(STEPS)[torch.randint(len(STEPS), (n, gap), generator=generator)]
        for k in range(1, gap):
            filler[:, k] = (filler[:, k - 1] + hops[:, k]) % len(FILLERS)
    return Batch(torch.cat([subject[:, None], filler + FIRST_FILLER], dim=1), plural)


def agrees(subject_id: int) -> int:
    """The verb (0 "is", 1 "are") a subject's id takes."""
    return int(WORDS[subject_id] in PLURAL)


def words(ids: torch.Tensor) -> str:
    """One sentence's ids as text, for reading an item."""
    return " ".join(WORDS[i] for i in ids.tolist())
