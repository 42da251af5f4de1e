"""Ids out: encode a corpus's splits once into memory-mapped files in the cache, and cut them
into BPTT chunks.

The text streams through the tokenizer a block at a time and the ids go straight to disk, so a
corpus larger than memory encodes and trains; training reads windows of the mapped file and the
operating system pages in what is read.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import tempfile
import time
import warnings
from pathlib import Path
from typing import Callable

import numpy as np
import torch
from platformdirs import user_cache_dir

from .corpus import SPLITS
from .corpus_stream import CorpusText
from .errors import CorpusError
from .tokenizers import Tokenizer, fingerprint

FORMAT = 2  # 1: trusted by file size alone (rebuilt when met)
STALE_SECONDS = 24 * 3600  # a temp folder untouched this long was left by an encoding that died
Ids = np.ndarray  # one split's token ids: a read-only memory map (or an array, without a cache)


def _cache_dir() -> Path:
    return Path(user_cache_dir("rnn-tui")) / "encoded"


def id_dtype(vocab_size: int) -> np.dtype:
    """The narrowest unsigned type that holds every id: a char corpus costs a byte per token."""
    for dtype in (np.uint8, np.uint16, np.uint32):
        if vocab_size <= np.iinfo(dtype).max + 1:
            return np.dtype(dtype)
    raise CorpusError(f"a vocabulary of {vocab_size:,} ids is too large")


def cache_key(corpus: CorpusText, fractions, tokenizer: Tokenizer) -> str:
    return hashlib.sha256(
        f"{corpus.sha256}|{fingerprint(tokenizer)}|{tuple(fractions)}".encode()
    ).hexdigest()[:32]


def encode_splits(
    corpus: CorpusText, fractions: tuple[float, float, float], tokenizer: Tokenizer,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> tuple[dict[str, Ids], bool]:
    """Ids for each split, memory-mapped from the cache when this text and tokenizer were seen
    before. Returns (ids by split, whether the cache was hit)."""
    folder = _cache_dir() / cache_key(corpus, fractions, tokenizer)
    dtype = id_dtype(tokenizer.vocab_size)
    if (ids := _open(folder, dtype)) is not None:
        return ids, True
    try:
        _write(folder, corpus, fractions, tokenizer, dtype, on_progress)
    except OSError as e:  # a full disk or a read-only cache: slower, never wrong
        warnings.warn(f"could not cache the encoded text in {folder.parent} ({e.strerror or e}); "
                      "encoding it in memory")
        return {k: _encode(corpus, k, fractions, tokenizer, dtype, on_progress) for k in SPLITS}, False
    if (ids := _open(folder, dtype)) is None:
        raise CorpusError(f"{folder}: the encoded text just written cannot be read back")
    return ids, False


def _open(folder: Path, dtype: np.dtype) -> dict[str, Ids] | None:
    """The cached splits, or None if absent, not whole or not what was written (each split's
    bytes must match the digest taken as they were written: a damaged entry is rebuilt)."""
    try:
        meta = json.loads((folder / "meta.json").read_text("utf-8"))
        if meta.get("format") != FORMAT or meta.get("dtype") != dtype.name:
            return None
        out = {}
        for k in SPLITS:
            n, path = meta["tokens"][k], folder / f"{k}.ids"
            if not isinstance(n, int) or path.stat().st_size != n * dtype.itemsize:
                return None
            if _digest(path) != meta["sha256"][k]:
                warnings.warn(f"the cached encoded text in {folder} was changed since it was "
                              "written: encoding it again")
                return None
            out[k] = np.memmap(path, dtype=dtype, mode="r", shape=(n,)) if n else np.zeros(0, dtype)
        return out
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _digest(path: Path) -> str:
    """SHA-256 of a file, read in blocks (a big split is never all in memory)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 24):
            h.update(block)
    return h.hexdigest()


def _write(folder: Path, corpus: CorpusText, fractions, tokenizer: Tokenizer, dtype: np.dtype,
           on_progress) -> None:
    """Encode into a temp folder beside the entry, then rename it into place: a crash leaves no
    half-written entry, and two processes encoding the same text both end with a whole one."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    _sweep(folder.parent)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    try:
        tokens, digests = {}, {}
        for k in SPLITS:
            with open(tmp / f"{k}.ids", "wb") as f:
                tokens[k], h = 0, hashlib.sha256()
                for ids in _encoded_pieces(corpus, k, fractions, tokenizer, on_progress):
                    data = ids.astype(dtype, copy=False).tobytes()
                    f.write(data)
                    h.update(data)
                    tokens[k] += len(ids)
                f.flush()
                os.fsync(f.fileno())
            digests[k] = h.hexdigest()
        meta = {"format": FORMAT, "dtype": dtype.name, "tokens": tokens, "sha256": digests}
        (tmp / "meta.json").write_text(json.dumps(meta), "utf-8")  # written last: marks it whole
        try:
            os.replace(tmp, folder)
        except OSError:
            if _open(folder, dtype) is None:  # not another process's whole entry: ours wins
                shutil.rmtree(folder, ignore_errors=True)
                os.replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _sweep(cache: Path) -> None:
    """Remove what earlier runs left in the cache and nothing reads: `<key>.pt` files of the first
    cache format, and temp folders of an encoding killed before its rename (a live one is
    written to all the time: only a folder untouched for STALE_SECONDS goes)."""
    now = time.time()
    for path in cache.iterdir():
        try:
            if path.suffix == ".pt" and path.is_file():
                path.unlink()
            elif path.name.startswith(".") and path.is_dir():
                touched = max([path.stat().st_mtime, *(f.stat().st_mtime for f in path.iterdir())])
                if now - touched > STALE_SECONDS:
                    shutil.rmtree(path)
        except OSError:  # another process swept it first, or a read-only cache: nothing is lost
            continue


def _encoded_pieces(corpus: CorpusText, split: str, fractions, tokenizer: Tokenizer, on_progress):
    total, done = corpus.split_chars(split, fractions), 0
    for piece in corpus.pieces(split, fractions):
        yield tokenizer.encode_array(piece)
        done += len(piece)
        if on_progress:
            on_progress(f"encoding {split}", done, total)


def _encode(corpus, split, fractions, tokenizer, dtype, on_progress) -> Ids:
    arrays = [a.astype(dtype) for a in _encoded_pieces(corpus, split, fractions, tokenizer, on_progress)]
    return np.concatenate(arrays) if arrays else np.zeros(0, dtype)


def window(ids: Ids | torch.Tensor, start: int, end: int) -> torch.Tensor:
    """ids[start:end] as int64 ids for the model (a copy: the map itself stays read-only)."""
    return torch.from_numpy(np.array(ids[start:end], dtype=np.int64))


def spread_sample(ids: Ids, most: int, length: int = 1 << 14) -> torch.Tensor:
    """All of `ids` if short, else `most` tokens read as windows spread evenly over it: a bounded
    validation set that still sees every part of a big corpus."""
    if len(ids) <= most:
        return window(ids, 0, len(ids))
    count = max(1, most // length)
    starts = np.linspace(0, len(ids) - length, count).astype(np.int64)
    return torch.cat([window(ids, int(s), int(s) + length) for s in starts])


class Streams:
    """B parallel contiguous streams over a token sequence, read in chunks of seq_len.

    Stream b covers ids[b*n : (b+1)*n]; chunk i of every stream is read at once, so the hidden
    state after chunk i is the right start for chunk i + 1 (truncated BPTT). `rows` picks some of
    the streams (a rank's share in data-parallel training); the chunks are only of those.
    """

    def __init__(self, ids: Ids | torch.Tensor, batch_size: int, seq_len: int, offset: int = 0,
                 rows: slice = slice(None)):
        if isinstance(ids, torch.Tensor):
            ids = ids.cpu().numpy()  # measure() moves each chunk to the model's device
        ids = ids[offset:]
        n = (len(ids) - 1) // batch_size
        if n < 1:
            raise CorpusError(
                f"text too short: {len(ids)} tokens cannot fill {batch_size} streams "
                "(lower --batch-size or give more text)"
            )
        # Views of the (mapped) ids: nothing is read until a chunk is.
        self.x = ids[: n * batch_size].reshape(batch_size, n)[rows]
        self.y = ids[1 : n * batch_size + 1].reshape(batch_size, n)[rows]
        self.seq_len = seq_len

    def __len__(self) -> int:
        return math.ceil(self.x.shape[1] / self.seq_len)

    def chunk(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        s = slice(i * self.seq_len, (i + 1) * self.seq_len)
        return (torch.from_numpy(np.array(self.x[:, s], dtype=np.int64)),
                torch.from_numpy(np.array(self.y[:, s], dtype=np.int64)))

    @property
    def num_targets(self) -> int:
        return self.y.size

    def targets(self) -> torch.Tensor:
        return torch.from_numpy(np.array(self.y, dtype=np.int64))
