"""The yardstick: the word n-gram of a model's own training text, counted once and cached.

A recurrent model exists to carry more of the past than a fixed window of words; this is that
fixed window, counted from exactly the text the model trained on (its corpus, cut by its split),
so every figure the model earns can be set beside what counting earns on the same items.
"""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path
from typing import Sequence

from platformdirs import user_cache_dir

from .atomic import atomic_write
from .corpus import load_corpus
from .ngram import MAGIC, NGram

ORDER = 5  # the 4-gram is a close second (1.652 against 1.649 bpc on default; docs/evaluation.md)


def _cache_dir() -> Path:
    return Path(user_cache_dir("rnn-tui")) / "ngram"


def ngram_for(corpus: Sequence[str], fractions: tuple[float, float, float],
              order: int = ORDER) -> NGram:
    """The n-gram of the train split of `corpus` cut by `fractions`: from the cache when this
    text was counted before (a damaged entry is counted again), else counted now (seconds)."""
    train = load_corpus(list(corpus)).split(tuple(fractions))["train"]
    key = hashlib.sha256(MAGIC + f"{order}\0".encode() + train.encode("utf-8")).hexdigest()[:32]
    path = _cache_dir() / f"{key}.ngram"
    try:
        return NGram.from_bytes(path.read_bytes())
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as e:
        warnings.warn(f"counting the n-gram again: its cached copy is unusable ({e})", stacklevel=2)
    ngram = NGram.count(train, order)
    try:
        atomic_write(path, lambda f: f.write(ngram.to_bytes()))
    except OSError as e:  # a full disk or a read-only cache: slower next time, never wrong
        warnings.warn(f"could not cache the n-gram in {path.parent} ({e.strerror or e})",
                      stacklevel=2)
    return ngram
