"""A counting baseline for the recurrent models: an interpolated modified Kneser-Ney word n-gram
that codes text exactly, so its bits per character compare with a character model's bits per
character on the same characters. Plain Python and numpy.

What is coded, for each token of ngram_text.tokenize (a word, a newline or a punctuation mark):
  1. its lower-case form, by the n-gram over lower-case tokens; a token seen fewer than min_count
     times in training is <unk>. The stream is read as if after a paragraph break ("\\n\\n", not
     coded) and ends with </s>, the end-of-text event;
  2. for <unk>, the lower-case spelling, by a character bigram with an end mark (Speller);
  3. the spacing before it, given the classes of the token before and of this one (SpacingModel);
  4. its case given its lower-case form (CaseModel).
The spacing after the last token is coded with </s>. Every part is a normalised distribution given
what came before, so bits() is an honest code length; it is an upper bound, as mass given to token
sequences the tokenizer never makes (two words with no space between) is simply wasted.

Modified Kneser-Ney (Chen & Goodman 1998), interpolated: at order k,
    p(w | h) = (c(hw) - D(c(hw))) / c(h.) + gamma(h) p(w | h without its first token),
with D1, D2, D3+ per order from that order's count-of-counts; raw counts at the top order,
continuation counts N1+(. h w) below. The unigram level interpolates with uniform over the vocab,
and a context none of whose counts is above zero hands over wholly to the order below.

Tables: level k holds the k-grams seen, as sorted keys (row of the (k-1)-gram prefix at level k-1)
* V + last token; the row of a unigram is its token id.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import zipfile
from collections import Counter

import numpy as np

from .blank_marks import BLANK
from .ngram_text import (CODE_POINTS, END_CLASS, IS_WORD, NL_CLASS, NUMBER_CLASS, SPACE_CHARS,
                         SPACE_KINDS, WORD_CLASS, CaseModel, SpacingModel, Speller, describe, lower,
                         token_class, token_classes, tokenize)

UNK, END, NL = 0, 1, 2  # token ids; NL also pads the context before the text
SPECIALS = ["<unk>", "</s>", "\n"]  # no token can be spelled like the first two
MAGIC = b"rnn-tui kneser-ney n-gram 1\n"


def _discounts(count: np.ndarray) -> np.ndarray:
    """[0, D1, D2, D3+] from count-of-counts, kept in (0, k] so that every seen context leaves
    some mass to the order below and no discount exceeds its count."""
    n = [np.count_nonzero(count == i) for i in (1, 2, 3, 4)]
    y = n[0] / (n[0] + 2 * n[1]) if n[0] + 2 * n[1] else 0.5
    d = [i - (i + 1) * y * n[i] / n[i - 1] if n[i - 1] else i * y for i in (1, 2, 3)]
    return np.array([0.0] + [min(max(x, 0.1), i) for i, x in zip((1, 2, 3), d)])


def _interpolation(prefix, count, contexts: int):
    """Per entry its discounted share (c - D) / c(h.); per context gamma and whether it was seen."""
    d = _discounts(count)[np.minimum(count, 3)]
    total = np.bincount(prefix, weights=count, minlength=contexts)
    held = np.bincount(prefix, weights=d, minlength=contexts)
    seen = total > 0
    total = np.where(seen, total, 1.0)
    return (count - d) / total[prefix], held / total, seen


def _count_ngrams(stream: np.ndarray, order: int, V: int) -> list:
    """[unigram counts, (prefix, word, count) for each level 2..order]: raw counts at the top level,
    continuation counts below."""
    levels: list = [np.bincount(stream, minlength=V)]
    rows, N, size = stream.astype(np.int64), len(stream), V
    for k in range(2, order + 1):
        keys = rows[k - 2:N - 1] * V + stream[k - 1:]  # the k-grams ending at k-1 .. N-1
        keys, first, inv, count = np.unique(keys, return_index=True, return_inverse=True,
                                            return_counts=True)
        # How many different tokens precede each (k-1)-gram: its continuation count.
        cont = np.bincount(rows[first + k - 1], minlength=size)
        levels[-1] = cont if k == 2 else (*levels[-1][:2], cont)
        levels.append((keys // V, keys % V, count))
        size = len(keys)
        rows = np.full(N, -1, np.int64)
        rows[k - 1:] = inv.reshape(-1)
    return levels


class NGram:
    """Build with NGram.count(text) or NGram.from_bytes(blob); the constructor takes the counts."""

    def __init__(self, order: int, min_count: int, vocab: list[str], levels: list,
                 case_counts: np.ndarray, space_counts: np.ndarray, speller: Speller,
                 space_speller: Speller):
        self.order, self.min_count, self.vocab = order, min_count, list(vocab)
        self.vocab_size = V = len(self.vocab)
        self.index = {w: i for i, w in enumerate(self.vocab)}
        self.classes = token_classes(self.vocab)
        self._levels = levels
        a, gamma, _ = _interpolation(np.zeros(V, np.int64), levels[0], 1)
        self._p1 = a + gamma[0] / V  # the unigram level, dense
        self._keys, self._word, self._a, self._gamma, self._seen = ([None, None] for _ in range(5))
        contexts = V
        for prefix, word, count in levels[1:]:
            self._keys.append(prefix.astype(np.int64) * V + word)
            self._word.append(word.astype(np.int64))
            for store, x in zip((self._a, self._gamma, self._seen),
                                _interpolation(prefix, count, contexts)):
                store.append(x)
            contexts = len(word)
        self.case = CaseModel(case_counts)
        wordlike = np.isin(np.arange(len(self.classes)), [WORD_CLASS, NUMBER_CLASS])
        self.spacing = SpacingModel(space_counts, wordlike, space_speller)
        self.speller = speller
        # fill ranks the vocabulary's words, never <unk>, </s>, a newline or a punctuation mark
        self._candidates = np.array([i for i, w in enumerate(self.vocab)
                                     if i > NL and IS_WORD.match(w)], np.int64)
        self._cand_pos = np.full(V, -1, np.int64)
        self._cand_pos[self._candidates] = np.arange(len(self._candidates))
        self._cand_class = np.array([token_class(self.vocab[i], self.classes)
                                     for i in self._candidates], np.int64)

    def __repr__(self) -> str:
        return f"NGram(order={self.order}, vocab_size={self.vocab_size})"

    # ---- counting ----------------------------------------------------------------------------

    @classmethod
    def count(cls, train_text: str, order: int = 5, min_count: int = 2) -> NGram:
        if not 1 <= order <= 9 or min_count < 1:
            raise ValueError("order must be 1..9 and min_count at least 1")
        toks, trail = tokenize(train_text)
        if not toks:
            raise ValueError("the training text holds no tokens")
        surfaces = [t[1] for t in toks]
        freq = Counter(surfaces)
        lows = {s: lower(s) for s in freq}
        low_freq: Counter = Counter()
        for s, n in freq.items():
            low_freq[lows[s]] += n
        words = sorted((w for w, n in low_freq.items() if n >= min_count and w != "\n"),
                       key=lambda w: (-low_freq[w], w))
        vocab = SPECIALS + words
        index, classes = {w: i for i, w in enumerate(vocab)}, token_classes(vocab)
        V, K = len(vocab), len(classes)
        ids, klass, case, m, after = describe(surfaces, index, classes)
        stream = np.concatenate([[NL, NL], ids, [END]])
        levels = _count_ngrams(stream, order, V)
        case_counts = np.zeros((V, 2, 4), np.int64)
        cased = m > 0  # a token without letters has one case only: nothing to learn
        np.add.at(case_counts, (ids[cased], after[cased], case[cased]), 1)
        spaces = [t[0] for t in toks] + [trail]
        kinds = [SPACE_KINDS.get(s, 2) for s in spaces]
        space_counts = np.zeros((K, K, 3), np.int64)
        np.add.at(space_counts, (np.concatenate([[NL_CLASS], klass]),
                                 np.concatenate([klass, [END_CLASS]]), kinds), 1)
        rare: Counter = Counter()  # the spellings of <unk>, as often as they occur
        for s, n in freq.items():
            if lows[s] not in index:
                rare[lows[s]] += n
        odd_spaces = Counter(s for s, k in zip(spaces, kinds) if k == 2)
        return cls(order, min_count, vocab, levels, case_counts, space_counts,
                   Speller.fit(rare, CODE_POINTS), Speller.fit(odd_spaces, len(SPACE_CHARS)))

    def _table(self, surfaces: list[str]):
        return describe(surfaces, self.index, self.classes)

    # ---- scoring -----------------------------------------------------------------------------

    def _find(self, k: int, keys) -> np.ndarray:
        """Rows of these keys at level k, -1 where absent."""
        table, keys = self._keys[k], np.asarray(keys, np.int64)
        if not len(table):
            return np.full(keys.shape, -1, np.int64)
        i = np.minimum(np.searchsorted(table, keys), len(table) - 1)
        return np.where(table[i] == keys, i, -1)

    def _rows(self, stream: np.ndarray) -> list:
        """rows[k][i]: the row at level k of the k-gram ending at position i, or -1."""
        rows = [None, stream.astype(np.int64)]
        for k in range(2, self.order):
            prev, here = rows[-1], np.full(len(stream), -1, np.int64)
            keys = np.where(prev[:-1] >= 0, prev[:-1] * self.vocab_size + stream[1:], -1)
            here[1:] = self._find(k, keys)
            rows.append(here)
        return rows

    def _step(self, k: int, h, w, p):
        """p(w | h) at order k from p at order k-1; h: rows at level k-1 (-1: never seen)."""
        h = np.asarray(h, np.int64)
        if not len(self._a[k]):
            return p
        known = h >= 0
        hh = np.where(known, h, 0)
        e = self._find(k, np.where(known, hh * self.vocab_size + w, -1))
        a = np.where(e >= 0, self._a[k][e], 0.0)
        return np.where(known & self._seen[k][hh], a + self._gamma[k][hh] * p, p)

    def _probs(self, stream: np.ndarray, rows: list) -> np.ndarray:
        """p(stream[i] | what precedes it) for i = 2 .. end."""
        w, p = stream[2:], self._p1[stream[2:]]
        for k in range(2, self.order + 1):
            p = self._step(k, rows[k - 1][1:-1], w, p)
        return p

    def _costs(self, toks: list, trail: str) -> np.ndarray:
        """Bits per token (the last row: </s> and the spacing before it), in columns:
        n-gram, spelling, spacing, case."""
        surfaces = [t[1] for t in toks]
        ids, klass, case, m, after = self._table(surfaces)
        out = np.zeros((len(toks) + 1, 4))
        stream = np.concatenate([[NL, NL], ids, [END]]).astype(np.int64)
        out[:, 0] = -np.log2(self._probs(stream, self._rows(stream)))
        for i in np.flatnonzero(ids == UNK):
            out[i, 1] = self.speller.bits(lower(surfaces[i]))
        out[:, 2] = self.spacing.bits(np.concatenate([[NL_CLASS], klass]),
                                      np.concatenate([klass, [END_CLASS]]),
                                      [t[0] for t in toks] + [trail])
        out[:-1, 3] = self.case.bits(ids, after, case, m)
        return out

    def bits(self, text: str) -> float:
        return float(self._costs(*tokenize(text)).sum())

    def bits_per_char(self, text: str) -> float:
        if not text:
            raise ValueError("bits per character of an empty text")
        return self.bits(text) / len(text)

    def logprob(self, sentence: str) -> float:
        return -self.bits(sentence) * math.log(2)

    def token_surprisals(self, text: str, end: bool = True) -> list[tuple[int, int, float]]:
        """(start, end, bits) per token; the end of text is added to the last token (`end`), or
        left out, as a network reading the same words never pays for it."""
        toks, trail = tokenize(text)
        per = self._costs(toks, trail).sum(1)
        if not toks:
            return [(0, len(text), float(per[0]))]
        if end:
            per[-2] += per[-1]
        return [(s, s + len(tok), float(b)) for (_, tok, s), b in zip(toks, per[:-1])]

    # ---- fill in the blank --------------------------------------------------------------------

    def fill(self, text: str, k: int = 5) -> list[tuple[str, float]]:
        """The k likeliest vocabulary words (lower case) for the first blank, with log-probabilities
        normalised over all of them, by the probability of the whole text with the word in it, its
        case left free: the n-gram terms before and after it, and the spacing around it."""
        logp = self._fill_logprobs(text)
        top = np.argsort(-logp, kind="stable")[:k]
        return [(self.vocab[self._candidates[i]], float(logp[i])) for i in top]

    def _fill_logprobs(self, text: str) -> np.ndarray:
        blank = BLANK.search(text)
        if blank is None:
            raise ValueError("fill: the text holds no blank (___)")
        left, trail = tokenize(text[:blank.start()])
        right, end_space = tokenize(text[blank.end():])
        ids_l, cls_l = self._table([t[1] for t in left])[:2]
        ids_r, cls_r = self._table([t[1] for t in right])[:2]
        stream = np.concatenate([[NL, NL], ids_l, [UNK], ids_r, [END]]).astype(np.int64)
        b, rows = 2 + len(left), self._rows(stream)
        score = self._left(b, rows) + self._right(stream, b, rows)
        # The spacing before the blank and after it depends on whether the word is a number.
        prev = cls_l[-1] if len(left) else NL_CLASS
        after, after_space = (cls_r[0], right[0][0]) if right else (END_CLASS, end_space)
        space = [self.spacing.bits([prev, c], [c, after], [trail, after_space]).sum()
                 for c in (WORD_CLASS, NUMBER_CLASS)]
        score -= np.array(space)[self._cand_class] * math.log(2)
        return score - np.logaddexp.reduce(score)

    def _left(self, b: int, rows: list) -> np.ndarray:
        """log p(w | the tokens before the blank) for every candidate w at once."""
        p, V = self._p1.copy(), self.vocab_size
        for k in range(2, self.order + 1):
            h = rows[k - 1][b - 1]
            if h >= 0 and self._seen[k][h]:
                lo, hi = np.searchsorted(self._keys[k], [h * V, (h + 1) * V])
                p *= self._gamma[k][h]
                p[self._word[k][lo:hi]] += self._a[k][lo:hi]
        return np.log(p[self._candidates])

    def _right(self, stream: np.ndarray, b: int, rows: list) -> np.ndarray:
        """Sum of log p(token j | context holding the blank) over the tokens after it. Orders whose
        context misses the blank give one shared value; above them only candidates w for which the
        context with w was seen change it, so only those are looked up."""
        total, walks = np.zeros(len(self._candidates)), {}
        for j in range(b + 1, min(b + self.order, len(stream))):
            d, w = j - b, stream[j]
            base = self._p1[w:w + 1]
            for k in range(2, d + 1):
                base = self._step(k, rows[k - 1][j - 1:j], w, base)
            p = np.full(len(self._candidates), base[0])
            for k in range(d + 1, self.order + 1):
                if j - k + 1 < 0:
                    break
                pos, h = self._walk(walks, stream, rows, b, j - k + 1, k - 1)
                p[pos] = self._step(k, h, w, p[pos])
            total += np.log(p)
        return total

    def _walk(self, walks: dict, stream, rows, b: int, s: int, length: int):
        """Candidates (positions) for which stream[s:s+length], the blank being them, was seen,
        and its row at level `length`. Cached per start s, extended a token at a time."""
        V, steps = self.vocab_size, walks.get(s)
        if steps is None:
            if s == b:
                pos = np.arange(len(self._candidates))
                here = self._candidates
            else:
                h, pos, here = rows[b - s][b - 1], np.zeros(0, np.int64), np.zeros(0, np.int64)
                if h >= 0:  # the tokens seen after stream[s:b]: one block of rows
                    lo, hi = np.searchsorted(self._keys[b - s + 1], [h * V, (h + 1) * V])
                    pos, here = self._cand_pos[self._word[b - s + 1][lo:hi]], np.arange(lo, hi)
                    here, pos = here[pos >= 0], pos[pos >= 0]
            steps = walks[s] = {b - s + 1: (pos, here)}
        while length not in steps:
            n = max(steps)
            pos, here = steps[n]
            nxt = self._find(n + 1, here * V + stream[s + n])
            steps[n + 1] = (pos[nxt >= 0], nxt[nxt >= 0])
        return steps[length]

    # ---- bytes ----------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        meta = {"order": self.order, "min_count": self.min_count, "vocab": self.vocab,
                "alphabet": self.speller.alphabet, "space_alphabet": self.spacing.speller.alphabet}
        arrays = {"meta": np.frombuffer(json.dumps(meta).encode(), np.uint8),
                  "unigram": self._levels[0], "case": self.case.counts,
                  "space": self.spacing.counts, "spell": self.speller.counts,
                  "space_spell": self.spacing.speller.counts}
        for k, (prefix, word, count) in enumerate(self._levels[1:], 2):
            arrays.update({f"prefix{k}": prefix.astype(np.int32), f"word{k}": word.astype(np.int32),
                           f"count{k}": count.astype(np.int32)})
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)
        payload = buf.getvalue()
        return MAGIC + hashlib.sha256(payload).digest() + payload

    @classmethod
    def from_bytes(cls, blob: bytes) -> NGram:
        blob = bytes(blob)
        if not blob.startswith(MAGIC):
            raise ValueError("not an n-gram blob (its header is wrong)")
        digest, payload = blob[len(MAGIC):len(MAGIC) + 32], blob[len(MAGIC) + 32:]
        if hashlib.sha256(payload).digest() != digest:
            raise ValueError("the n-gram blob is damaged: its sha256 does not match its payload")
        try:
            with np.load(io.BytesIO(payload), allow_pickle=False) as z:
                meta = json.loads(z["meta"].tobytes().decode())
                order = int(meta["order"])
                levels = [z["unigram"].astype(np.int64)] + [
                    tuple(z[f"{name}{k}"].astype(np.int64) for name in ("prefix", "word", "count"))
                    for k in range(2, order + 1)]
                spellers = (Speller(meta["alphabet"], z["spell"], CODE_POINTS),
                            Speller(meta["space_alphabet"], z["space_spell"], len(SPACE_CHARS)))
                return cls(order, int(meta["min_count"]), meta["vocab"], levels, z["case"],
                           z["space"], *spellers)
        except (OSError, KeyError, ValueError, TypeError, IndexError, zipfile.BadZipFile) as e:
            raise ValueError(f"the n-gram blob cannot be read: {e}") from None
