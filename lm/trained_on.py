"""What a model was trained on, read once from its checkpoint's metadata: the corpus, how it
was split, and the BPTT window. Plain data, no torch; every reader asks this instead of digging
in `meta["train_config"]` with its own defaults."""

from __future__ import annotations

from dataclasses import dataclass

from .defaults import CORPUS, SPLIT


@dataclass(frozen=True)
class TrainedOn:
    corpus: tuple[str, ...]  # corpus names or paths, as `--corpus` took them
    split: tuple[float, float, float]  # train / validation / test fractions
    seq_len: int | None  # the truncated-BPTT window; None where a checkpoint does not say

    @classmethod
    def of(cls, meta: dict) -> TrainedOn:
        """From a checkpoint's metadata (checked sane on load: lm.checkpoint), with the defaults
        where an older or hand-made checkpoint leaves a field out."""
        config = meta.get("train_config") or {}
        corpus = config.get("corpus") or CORPUS
        return cls(corpus=(corpus,) if isinstance(corpus, str) else tuple(corpus),
                   split=tuple(config.get("split") or SPLIT), seq_len=config.get("seq_len"))

    def with_corpus(self, corpus: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
        """`corpus` as a tuple of names, or this model's own when None."""
        if corpus is None:
            return self.corpus
        return (corpus,) if isinstance(corpus, str) else tuple(corpus)
