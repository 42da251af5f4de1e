"""Which is English? A language model passes a minimal pair when it gives the grammatical
sentence the higher probability. Scored by phenomenon, and over the pairs whose deciding word
lies beyond a word 5-gram's window: there only a memory longer than a few words can help."""

from __future__ import annotations

from typing import Callable, Iterable

NGRAM_WINDOW = 4  # words a 5-gram sees before the word it predicts


def score_pairs(logprob: Callable[[str], float], pairs: Iterable[dict], *,
                window: int = NGRAM_WINDOW,
                on_item: Callable[[int, int], None] | None = None) -> dict:
    """Accuracy (a tie counts half) overall, by phenomenon, and over pairs with `distance` past
    `window` ("long"): {"all": row, "long": row, "phenomena": {name: row}}, a row being
    {"pairs", "accuracy", "long_pairs", "long_accuracy"}."""
    pairs = list(pairs)
    tally: dict[str, list[float]] = {}
    far: dict[str, list[float]] = {}
    for n, pair in enumerate(pairs, 1):
        good, bad = logprob(pair["good"]), logprob(pair["bad"])
        credit = 1.0 if good > bad else 0.5 if good == bad else 0.0
        for key in (pair["phenomenon"], "all"):
            tally.setdefault(key, []).append(credit)
            if pair["distance"] > window:
                far.setdefault(key, []).append(credit)
        if on_item:
            on_item(n, len(pairs))
    rows = {key: _row(tally[key], far.get(key, [])) for key in tally}
    return {"all": rows.pop("all", _row([], [])), "window": window,
            "phenomena": dict(sorted(rows.items()))}


def _row(credits: list[float], far: list[float]) -> dict:
    return {"pairs": len(credits), "accuracy": sum(credits) / len(credits) if credits else None,
            "long_pairs": len(far), "long_accuracy": sum(far) / len(far) if far else None}
