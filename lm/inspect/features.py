"""Find the unit that tracks something: a feature is a regex over the text (inside quotes, after
a space...), and units are ranked by how well their value follows it, as in Karpathy, Johnson
and Fei-Fei's "Visualizing and Understanding Recurrent Networks" - found, not hunted for."""

from __future__ import annotations

import re
from dataclasses import dataclass

import torch

from ..errors import LMError
from .trace import Channel, TextTrace

# A character is "in" the feature when a match covers it.
PRESETS = {
    "inside quotes": r'"[^"\n]*"',
    "inside brackets": r"\([^)\n]*\)",
    "inside a word": r"\w+",
    "after a space": r"(?<= )\S",
    "after a comma": r"(?<=, )\w+",
    "line start": r"(?m)^.{1,10}",
    "end of a sentence": r"[.!?]",
    "a capital letter": r"[A-Z]",
    "a digit": r"\d",
}


def feature_mask(text: str, pattern: str) -> list[bool]:
    """Per character: does a match of `pattern` (or of the preset so named) cover it?"""
    try:
        regex = re.compile(PRESETS.get(pattern, pattern))
    except re.error as exc:
        raise LMError(f"not a regular expression: {pattern!r} ({exc})") from None
    mask = [False] * len(text)
    for m in regex.finditer(text):
        mask[m.start() : m.end()] = [True] * (m.end() - m.start())
    return mask


@dataclass(frozen=True)
class UnitScore:
    channel: Channel
    unit: int
    r: float  # Pearson correlation between the unit's value and the feature, over tokens


def rank_units(trace: TextTrace, pattern: str, *, top: int = 10) -> list[UnitScore]:
    """The units (over every layer, state and gate) whose values follow the feature best, by |r|."""
    mask = feature_mask(trace.text, pattern)
    feature = torch.tensor([float(any(mask[s:e])) for s, e in trace.spans])
    if len(feature) < 2 or feature.min() == feature.max():
        raise LMError("the feature is everywhere or nowhere in this text: try another text or regex")
    f = (feature - feature.mean()) / feature.std(unbiased=False)
    scored = []
    for channel, values in trace.values.items():
        v = values.float()
        centred = v - v.mean(0)
        spread = centred.pow(2).mean(0).sqrt()
        r = (centred * f[:, None]).mean(0) / spread.clamp_min(1e-12)
        r[spread < 1e-9] = 0.0  # a unit that never moves follows nothing
        scored.extend(UnitScore(channel, u, float(r[u])) for u in range(v.shape[1]))
    scored.sort(key=lambda s: abs(s.r), reverse=True)
    return scored[:top]
