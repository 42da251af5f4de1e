"""The model takes the whole quiz alone: the figures the project's quality is judged by.

Loss, bits per character and perplexity on the val and test splits of the corpus it trained on,
then top-1 / top-5 on the quiz's held-out items by source and category, with the right context
and with the left context only (what a left-to-right model gets without the rescoring), then the
held-out minimal pairs. Beside every figure, the same measure for the word n-gram counted from
the same training text (lm.counting): the network alone against counting alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Sequence

import corpora

from ..corpus import load_corpus
from ..infer.blanks import fill_both
from ..pairs import score_pairs
from .sources import CATEGORIES, QuizItem, pool, training_corpus

if TYPE_CHECKING:  # for annotations only: the facade imports this module
    from ..loaded import LoadedModel


SPLIT_ITEMS = 300  # sentences drawn from the test split besides the blank sets; enough, and quick


def scorecard(model: LoadedModel, corpus: Sequence[str] | str | None = None, *,
              split_items: int = SPLIT_ITEMS, limit: int | None = None, seed: int = 0,
              on_item: Callable[[int, int], None] | None = None,
              on_stage: Callable[[str], None] | None = None) -> dict:
    """Everything `rnn-tui eval` reports, as plain data (JSON-ready). A split the model was
    trained without (fraction 0) reports null; `limit` scores only the first quiz items.
    `on_stage` hears each part as it starts (the loss on a split takes most of a minute on the
    shipped model), `on_item` each quiz item scored."""
    on_stage = on_stage or (lambda stage: None)
    corpus, fractions = training_corpus(model, corpus)
    c = model.net.config
    report = {
        "model": {"name": model.name, "path": str(model.path), "cell": c.cell, "layers": c.layers,
                  "hidden": c.hidden, "tokenizer": model.tokenizer.kind,
                  "vocab_size": model.tokenizer.vocab_size,
                  "parameters": model.net.num_parameters()},
        "corpus": list(corpus),
        "split": list(fractions),
    }
    on_stage("counting the word n-gram of the training text")
    ngram = model.ngram()
    report["ngram"] = {"order": ngram.order, "vocab_size": ngram.vocab_size}
    texts = load_corpus(list(corpus)).split(fractions)
    for split, fraction in zip(("val", "test"), fractions[1:]):
        if fraction > 0:
            on_stage(f"loss on the {split} split")
        m = model.loss_on(list(corpus), split) if fraction > 0 else None
        report[split] = m and {"loss_nats": m.loss, "bpc": m.bpc, "perplexity": m.perplexity,
                               "tokens": m.tokens, "characters": m.chars,
                               "ngram_bpc": ngram.bits_per_char(texts[split])}
    # The quiz reads the test split; a model trained without one is quizzed on val.
    split = "test" if fractions[2] > 0 else "val"
    on_stage("drawing the quiz items")
    items = pool(corpus, fractions, split, seed, split_limit=split_items)[:limit]
    on_stage("quiz")
    report["quiz"] = score_items(model, items, on_item, ngram=ngram)
    pairs = corpora.minimal_pairs()[:limit]
    on_stage("minimal pairs")
    report["pairs"] = {"model": score_pairs(lambda s: model.logprob(s).logprob, pairs, on_item=on_item),
                       "ngram": score_pairs(ngram.logprob, pairs)}
    return report


KEYS = ("top1", "top5", "left_top1", "left_top5", "ngram_top1", "ngram_top5", "coverage")


def score_items(model: LoadedModel, items: list[QuizItem],
                on_item: Callable[[int, int], None] | None = None, *, ngram=None) -> dict:
    """Top-1 / top-5 accuracy by category, right context vs left only, and the n-gram's (None:
    not scored): for each source of items (they differ in kind, so a figure over all of them
    would hide which is which), and over everything. `coverage`: the share of items with an
    accepted answer among the words the model actually scored."""
    tally: dict[str, dict[str, dict[str, int]]] = {}  # source -> category -> counts
    for n, item in enumerate(items, 1):
        scored: list[str] = []
        with_right, left = fill_both(model.engine, item.text, k=5, scored=scored)
        right, left_only = [c.token_str for c in with_right], [c.token_str for c in left]
        counted = [w for w, _ in ngram.fill(item.text, k=5)] if ngram else []
        hits = (_right(item, right[:1]), _right(item, right), _right(item, left_only[:1]),
                _right(item, left_only), _right(item, counted[:1]), _right(item, counted),
                _right(item, scored))
        for source in (item.source, "all"):
            for key in (item.category, "all"):
                row = tally.setdefault(source, {}).setdefault(
                    key, {"items": 0, **dict.fromkeys(KEYS, 0)})
                row["items"] += 1
                for name, hit in zip(KEYS, hits):
                    row[name] += hit
        if on_item:
            on_item(n, len(items))
    by_source = {s: _table(t) for s, t in tally.items() if s != "all"}
    return {
        "items": len(items),
        "sources": {s: t["items"] for s, t in by_source.items()},
        "by_source": by_source,
        "categories": _table(tally.get("all", {}))["categories"],
    }


def _table(tally: dict[str, dict[str, int]]) -> dict:
    order = [c for c in CATEGORIES if c in tally] + ["all"] if tally else []
    return {"items": tally["all"]["items"] if tally else 0,
            "categories": {c: _shares(tally[c]) for c in order}}


def _right(item: QuizItem, words: list[str]) -> bool:
    return any(item.accepts(w) for w in words)


def _shares(row: dict[str, int]) -> dict:
    return {"items": row["items"], **{k: row[k] / row["items"] for k in KEYS}}
