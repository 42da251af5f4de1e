"""The tutorial's own blank, "I ___ a boy", as the classic memory experiment: put g characters
of filler between the subject and the blank and see how far the model still picks the verb that
agrees with it. Accuracy per gap with a 95 % interval; the horizon is the longest gap still
answered right 90 % of the time."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Callable, Sequence

import torch

from ..infer.blanks import score_continuations
from ..language_model import LanguageModel

# subject, the verb that agrees, the one that does not, what follows the blank.
PAIRS = (
    ("I", "am", "are", " a boy."),
    ("You", "are", "am", " a girl."),
    ("He", "is", "are", " a boy."),
    ("She", "is", "are", " a girl."),
    ("We", "are", "is", " at home."),
    ("They", "are", "is", " at home."),
)
# Asides with no subject or verb of their own, so nothing in the filler agrees with the blank.
ASIDES = (
    "by the way", "of course", "in my opinion", "to be honest", "at least for now",
    "on most days", "in the middle of the week", "even on a cold and rainy Monday morning",
    "after all these long years", "with a big smile", "in the small town by the river",
    "at the end of the long summer holidays", "for the first time in a very long while",
    "just like the others in the old photo", "without a doubt", "as always",
    "in spite of the weather", "on a sunny afternoon in May", "from the very start",
    "in the kitchen near the window", "after breakfast", "before the end of the school day",
)
GAPS = (0, 12, 20, 40, 80, 160)
SLACK = 12  # a filler for gap g takes g to g + SLACK characters

Score = Callable[[str, Sequence[str]], Sequence[float]]  # (prefix, endings) -> log-probs


@dataclass(frozen=True)
class ProbeItem:
    prefix: str  # up to the blank, e.g. "I, by the way,"
    options: tuple[str, ...]  # what may go in the blank, with its leading space
    answer: int  # the index of the verb that agrees
    tail: str  # after the blank
    gap: int  # the gap length asked for (the filler is at least this long)


@dataclass(frozen=True)
class ProbeRow:
    gap: int
    n: int
    accuracy: float
    low: float  # 95 % Wilson interval of the accuracy
    high: float
    p_right: float  # mean probability given to the agreeing verb (of the options)
    chance: float


def probe_items(gaps: Sequence[int] = GAPS, per_gap: int = 100, seed: int = 0) -> list[ProbeItem]:
    rng = random.Random(seed)
    items = []
    for gap in gaps:
        for n in range(per_gap):
            subject, right, wrong, tail = PAIRS[n % len(PAIRS)]
            prefix = subject + (", " + _filler(rng, gap) + "," if gap else "")
            options = (" " + right, " " + wrong)
            flip = rng.random() < 0.5  # the answer's position tells nothing
            items.append(ProbeItem(prefix, options[::-1] if flip else options, int(flip), tail, gap))
    return items


def _filler(rng: random.Random, gap: int) -> str:
    """Asides joined by commas, ", " + filler + "," taking gap to gap + SLACK characters."""
    parts: list[str] = []
    while True:
        used = len(", " + ", ".join(parts) + ",") if parts else 0
        if used >= gap:
            return ", ".join(parts)
        room = gap + SLACK - used - (2 if parts else 3)  # what the next aside may take
        fits = [a for a in ASIDES if len(a) <= room] or [min(ASIDES, key=len)]
        parts.append(rng.choice(fits))


def run_probe(score: Score, items: Sequence[ProbeItem]) -> list[ProbeRow]:
    by_gap: dict[int, list[tuple[bool, float, int]]] = {}
    for item in items:
        logps = torch.tensor([float(v) for v in score(item.prefix, [o + item.tail for o in item.options])])
        probs = torch.softmax(logps, dim=0)
        best = int(torch.argmax(probs))
        right = best == item.answer and int((probs == probs[best]).sum()) == 1  # a tie is not knowing
        by_gap.setdefault(item.gap, []).append((right, float(probs[item.answer]), len(item.options)))
    rows = []
    for gap, results in sorted(by_gap.items()):
        n = len(results)
        hits = sum(r for r, _, _ in results)
        low, high = _wilson(hits, n)
        rows.append(ProbeRow(gap, n, hits / n, low, high, sum(p for _, p, _ in results) / n,
                             sum(1 / k for _, _, k in results) / n))
    return rows


def _wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def horizon(rows: Sequence[ProbeRow], threshold: float = 0.9) -> int | None:
    """The largest gap still answered right at least `threshold` of the time."""
    good = [r.gap for r in rows if r.accuracy >= threshold]
    return max(good) if good else None


def model_scorer(model: LanguageModel) -> Score:
    def score(prefix: str, endings: Sequence[str]) -> list[float]:
        return score_continuations(model.session(prefix), prefix, list(endings)).tolist()
    return score
