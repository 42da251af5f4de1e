"""Ids out: encode a corpus's splits once (cached on disk) and cut them into BPTT chunks."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import torch
from platformdirs import user_cache_dir

from .atomic import atomic_write
from .corpus import SPLITS, Corpus
from .errors import CorpusError
from .tokenizers import Tokenizer, fingerprint


def _cache_dir() -> Path:
    return Path(user_cache_dir("rnn-tui")) / "encoded"


def encode_splits(
    corpus: Corpus, fractions: tuple[float, float, float], tokenizer: Tokenizer
) -> tuple[dict[str, torch.Tensor], bool]:
    """Ids for each split, from the on-disk cache when this text and tokenizer were seen before.

    Returns (ids by split, whether the cache was hit).
    """
    key = hashlib.sha256(
        f"{corpus.sha256}|{fingerprint(tokenizer)}|{fractions}".encode()
    ).hexdigest()[:32]
    path = _cache_dir() / f"{key}.pt"
    if path.is_file():
        try:
            cached = torch.load(path, weights_only=True)
            if set(cached) == set(SPLITS):
                return {k: v.long() for k, v in cached.items()}, True
        except Exception:
            pass  # a damaged cache entry is rebuilt below
    parts = corpus.split(fractions)
    ids = {k: torch.tensor(tokenizer.encode(v), dtype=torch.int32) for k, v in parts.items()}
    try:
        atomic_write(path, lambda f: torch.save(ids, f))
    except (OSError, RuntimeError):  # torch's writer reports a full disk as RuntimeError
        pass  # no cache is slower, never wrong
    return {k: v.long() for k, v in ids.items()}, False


class Streams:
    """B parallel contiguous streams over a token sequence, read in chunks of seq_len.

    Stream b covers ids[b*n : (b+1)*n]; chunk i of every stream is read at once, so the hidden
    state after chunk i is the right start for chunk i + 1 (truncated BPTT).
    """

    def __init__(self, ids: torch.Tensor, batch_size: int, seq_len: int, offset: int = 0):
        ids = ids[offset:]
        n = (len(ids) - 1) // batch_size
        if n < 1:
            raise CorpusError(
                f"text too short: {len(ids)} tokens cannot fill {batch_size} streams "
                "(lower --batch-size or give more text)"
            )
        self.x = ids[: n * batch_size].view(batch_size, n)
        self.y = ids[1 : n * batch_size + 1].view(batch_size, n)
        self.seq_len = seq_len

    def __len__(self) -> int:
        return math.ceil(self.x.shape[1] / self.seq_len)

    def chunk(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        s = slice(i * self.seq_len, (i + 1) * self.seq_len)
        return self.x[:, s], self.y[:, s]

    @property
    def num_targets(self) -> int:
        return self.y.numel()
