"""What the hidden state adds over counting, word by word: each word's surprisal under the
network, under the network when it may read only the n-gram's window (the last order-1 words,
from its start state), and under the word n-gram of the same training text (without its cost
of the text ending there, which the network never pays).

The network's gain from beyond the window is the difference between its two readings: where it
is large, what made the word likely lay further back than any 5-gram can see. Where the n-gram
beats the network, that shows too: both numbers are there for every word.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..language_model import LanguageModel
from ..counting import ORDER

MATTERS_BITS = 1.0  # a gain from beyond the window this large is worth pointing at


@dataclass(frozen=True)
class WordBits:
    word: str
    start: int  # character offsets into the text
    end: int
    network: float  # bits, reading the whole text before it
    window: float  # bits, reading only the last order-1 words before it
    ngram: float  # bits under the word n-gram

    @property
    def beyond(self) -> float:
        """Bits the network saves by reading past the n-gram's window."""
        return self.window - self.network

    @property
    def from_beyond(self) -> bool:
        """The network is sure enough here because of words the n-gram cannot see: it gains at
        least MATTERS_BITS from beyond the window and beats the n-gram."""
        return self.beyond >= MATTERS_BITS and self.network < self.ngram

    def to_dict(self) -> dict:
        return asdict(self) | {"beyond": self.beyond, "from_beyond": self.from_beyond}


def over_counting(model: LanguageModel, text: str, order: int = ORDER) -> list[WordBits]:
    """Every word (and punctuation mark) of `text`, with its three surprisals."""
    counted = model.ngram(order)
    words = counted.token_surprisals(text, end=False)  # (start, end, bits), the n-gram's words
    whole = _per_word(model.logprob(text).tokens, words)
    out = []
    for i, (start, end, ngram_bits) in enumerate(words):
        since = words[max(0, i - (order - 1))][0]  # the window: the order-1 words before
        seen = text[since:end]
        scored = model.logprob(seen).tokens
        local = [(s - since, e - since, b) for s, e, b in words[max(0, i - (order - 1)) : i + 1]]
        window = _per_word(scored, local)[-1]
        out.append(WordBits(text[start:end], start, end, whole[i], window, ngram_bits))
    return out


def _per_word(tokens, words: list[tuple[int, int, float]]) -> list[float]:
    """The network's token surprisals summed per word: a token counts for the word holding its
    first character that is not a space (a subword piece carries the space before its word),
    and a token of spaces alone for the word after it."""
    bits = [0.0] * len(words)
    for t in tokens:
        stripped = len(t.text) - len(t.text.lstrip())
        at = t.start + stripped if stripped < len(t.text) else t.end
        w = next((i for i, (s, e, _) in enumerate(words) if at < e), len(words) - 1)
        bits[w] += t.bits
    return bits
