"""Which is English? A language model passes a minimal pair when it gives the grammatical
sentence the higher probability. Scored by phenomenon, and over the pairs whose deciding word
lies beyond a word 5-gram's window: there only a memory longer than a few words can help."""

from __future__ import annotations

from typing import Callable, Iterable

# A 5-gram predicts a word from the 4 before it: a deciding word with 4 or more words between it
# and the word it decides lies outside that window.
NGRAM_WINDOW = 4


def score_pairs(logprob: Callable[[str], float], pairs: Iterable[dict], *,
                window: int = NGRAM_WINDOW,
                on_item: Callable[[int, int], None] | None = None) -> dict:
    """Accuracy (a tie counts half) overall, by phenomenon, and over the pairs whose `distance`
    (words between the deciding word and the differing one) is `window` or more, out of a
    (window+1)-gram's sight: {"all": row, "window": window, "phenomena": {name: row}}, a row
    being {"pairs", "accuracy", "long_pairs", "long_accuracy"}."""
    pairs = list(pairs)
    tally: dict[str, list[float]] = {}
    far: dict[str, list[float]] = {}
    for n, pair in enumerate(pairs, 1):
        good, bad = logprob(pair["good"]), logprob(pair["bad"])
        credit = 1.0 if good > bad else 0.5 if good == bad else 0.0
        for key in (pair["phenomenon"], "all"):
            tally.setdefault(key, []).append(credit)
            if pair["distance"] >= window:
                far.setdefault(key, []).append(credit)
        if on_item:
            on_item(n, len(pairs))
    rows = {key: _row(tally[key], far.get(key, [])) for key in tally}
    return {"all": rows.pop("all", _row([], [])), "window": window,
            "phenomena": dict(sorted(rows.items()))}


def _row(credits: list[float], far: list[float]) -> dict:
    return {"pairs": len(credits), "accuracy": sum(credits) / len(credits) if credits else None,
            "long_pairs": len(far), "long_accuracy": sum(far) / len(far) if far else None}
