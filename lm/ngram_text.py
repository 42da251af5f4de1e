"""How the n-gram baseline (lm/ngram.py) cuts text into tokens, and the small models for what a
word n-gram does not see: case, spacing and the spelling of unknown words. Plain Python, numpy.

Tokens: a word is a run of letters and digits with at most one apostrophe part (don't, it's and
Bernadette's stay whole); a newline is a token of its own, so the n-gram sees line and paragraph
breaks; any other non-space character is a one-character punctuation token. Between tokens lies
spacing: whitespace without newlines. Nothing is dropped, so tokens and spacing give back the text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

import numpy as np

WORD = r"[^\W_]+(?:['\u2019][^\W_]+)?"
_TOKEN = re.compile(rf"([^\S\n]*)(\n|{WORD}|\S)")
IS_WORD = re.compile(rf"{WORD}\Z")
SENTENCE_END = frozenset(".!?\n")  # after these (and first in a text) a capital is the habit
# Every character that can stand in spacing (all of str.isspace() is below U+3001, bar newline).
SPACE_CHARS = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c != "\n")
CODE_POINTS = 0x110000


def tokenize(text: str) -> tuple[list[tuple[str, str, int]], str]:
    """(spacing before it, token, start offset) per token, and the spacing after the last one."""
    out, pos = [], 0
    for space, tok in _TOKEN.findall(text):
        start = pos + len(space)
        out.append((space, tok, start))
        pos = start + len(tok)
    return out, text[pos:]


@lru_cache(maxsize=4096)
def _low_char(c: str) -> str:
    low = c.lower()
    return low if len(low) == 1 and low != c and low.upper() == c else c


@lru_cache(maxsize=4096)
def _has_upper(low: str) -> bool:
    up = low.upper()
    return len(up) == 1 and up != low and up.lower() == low


def lower(tok: str) -> str:
    """Lower case that case_of can undo exactly: a capital whose lower form does not map back to
    it (Kelvin sign, dotted I, capital sharp s) stays as it is, a token of its own."""
    return tok.lower() if tok.isascii() else "".join(map(_low_char, tok))


LOWER, CAPITAL, UPPER, MIXED = range(4)


def case_of(tok: str, low: str) -> tuple[int, int]:
    """(case class, m): m is how many letters of `low` have a capital. CAPITAL is the first of
    those capitalised only, UPPER all of them (m >= 2), MIXED any other pattern."""
    cased = [i for i, ch in enumerate(low) if _has_upper(ch)]
    if tok == low:
        return LOWER, len(cased)
    up = [tok[i] != low[i] for i in cased]
    if not any(up[1:]):
        return CAPITAL, len(cased)
    return (UPPER if all(up) else MIXED), len(cased)


class CaseModel:
    """P(case class | lower-case token, whether it follows a sentence end). The token's own counts
    are smoothed towards those of all tokens in that position (add-one), so a name stays Capital
    mid-sentence while a rare word (pooled in <unk>) takes the general habit. Only the classes the
    letters allow share the mass; MIXED then spells the pattern, uniform over the 2**m - 3 left."""

    BETA = 2.0  # weight of the shared habit against a token's own counts

    def __init__(self, counts: np.ndarray):  # (vocab, 2, 4): token, follows a sentence end, class
        self.counts = counts
        shared = counts.sum(0) + 1.0
        self.prior = shared / shared.sum(1, keepdims=True)

    def bits(self, ids, after, case, m) -> np.ndarray:
        ids, after, case, m = (np.asarray(x, np.int64) for x in (ids, after, case, m))
        own = self.counts[ids, after].astype(float)
        p = (own + self.BETA * self.prior[after]) / (own.sum(1, keepdims=True) + self.BETA)
        allowed = np.where(m >= 2, 4, m + 1)  # lower; CAPITAL from 1 letter; UPPER, MIXED from 2
        p = np.where(np.arange(4) < allowed[:, None], p, 0.0)
        out = -np.log2(p[np.arange(len(ids)), case] / p.sum(1))
        mixed = np.flatnonzero(case == MIXED)
        out[mixed] += [math.log2(2 ** int(m[i]) - 3) for i in mixed]
        return out


WORD_CLASS, NUMBER_CLASS, NL_CLASS, END_CLASS, PUNCT_CLASS = range(5)
BASE_CLASSES = ["word", "number", "\n", "</s>", "punct"]


def token_classes(vocab: list[str]) -> dict[str, int]:
    """Spacing classes: the base five, then one per punctuation mark of the vocabulary (after
    <unk>, </s> and the newline)."""
    names = BASE_CLASSES + [w for w in vocab[3:] if not IS_WORD.match(w)]
    return {c: i for i, c in enumerate(names)}


def token_class(low: str, classes: dict[str, int]) -> int:
    if low == "\n":
        return NL_CLASS
    if IS_WORD.match(low):
        return NUMBER_CLASS if low.isdigit() else WORD_CLASS
    return classes.get(low, PUNCT_CLASS)


def describe(surfaces: list[str], index: dict[str, int], classes: dict[str, int]):
    """Per token: vocabulary id (0: <unk>), class, case class, letters with a capital, whether it
    follows a sentence end (the first token does)."""
    types = {s: i for i, s in enumerate(dict.fromkeys(surfaces))}
    rows = []
    for s in types:
        low = lower(s)
        rows.append((index.get(low, 0), token_class(low, classes), *case_of(s, low),
                     low in SENTENCE_END))
    table = np.array(rows, np.int64).reshape(-1, 5)[
        np.fromiter((types[s] for s in surfaces), np.int64, len(surfaces))]
    ids, klass, case, m, ends = table.T
    return ids, klass, case, m, np.concatenate([[1], ends])[:len(surfaces)]


SPACE_KINDS = {"": 0, " ": 1}  # any other spacing is kind 2 and spelled


class SpacingModel:
    """P(spacing before a token | class of the token before, class of this one), add-one, over
    "", " " and other (then spelled). "" is impossible between two words: they would be one."""

    def __init__(self, counts: np.ndarray, wordlike: np.ndarray, speller: Speller):
        self.counts, self.wordlike, self.speller = counts, wordlike, speller

    def bits(self, prev, cur, spaces: list[str]) -> np.ndarray:
        prev, cur = np.asarray(prev, np.int64), np.asarray(cur, np.int64)
        c = self.counts[prev, cur] + 1.0
        c[:, 0] *= ~(self.wordlike[prev] & self.wordlike[cur])
        kind = np.array([SPACE_KINDS.get(s, 2) for s in spaces], np.int64)
        out = -np.log2(c[np.arange(len(kind)), kind] / c.sum(1))
        for i in np.flatnonzero(kind == 2):
            out[i] += self.speller.bits(spaces[i])
        return out


class Speller:
    """A character bigram over a string and its end mark, add-k. A character never seen in training
    is an escape, then uniform over the `universe` characters it could be, less the alphabet.
    Rows: 0 start, 1 after an escaped character, 2+ alphabet; columns: 0 end, 1 escape, 2+."""

    K = 0.5

    def __init__(self, alphabet: str, counts: np.ndarray, universe: int):
        self.alphabet, self.counts, self.universe = alphabet, counts, universe
        self.index = {c: i + 2 for i, c in enumerate(alphabet)}
        n = counts + self.K
        self.logp = np.log2(n / n.sum(1, keepdims=True))
        self.escape_bits = math.log2(max(universe - len(alphabet), 1))

    @classmethod
    def fit(cls, strings: Counter, universe: int) -> Speller:
        alphabet = "".join(sorted(set("".join(strings))))
        sp = cls(alphabet, np.zeros((len(alphabet) + 2,) * 2, np.int64), universe)
        for s, n in strings.items():
            cols = [sp.index[c] for c in s] + [0]
            np.add.at(sp.counts, ([0] + cols[:-1], cols), n)
        return cls(alphabet, sp.counts, universe)

    def bits(self, s: str) -> float:
        row, total = 0, 0.0
        for ch in s:
            col = self.index.get(ch, 1)
            total -= self.logp[row, col] - (self.escape_bits if col == 1 else 0.0)
            row = col
        return total - self.logp[row, 0]
