"""Text in, batches out: read a corpus, split it, encode it once (cached), cut it into BPTT chunks."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

import torch
from platformdirs import user_cache_dir

import corpora

from .atomic import atomic_write
from .errors import CorpusError
from .tokenizers import Tokenizer, fingerprint

SPLITS = ("train", "val", "test")
JOIN = "\n\n"  # between files of a corpus, and between corpora


@dataclass(frozen=True)
class Corpus:
    """Text from one or more sources. Each part (a file) is split on its own, so validation and
    test hold a slice of every part, not just of the last one."""

    names: tuple[str, ...]  # what the user asked for, one per --corpus
    parts: tuple[str, ...]

    @property
    def text(self) -> str:
        return JOIN.join(self.parts)

    @property
    def sha256(self) -> str:
        h = hashlib.sha256()
        for part in self.parts:
            h.update(hashlib.sha256(part.encode("utf-8")).digest())
        return h.hexdigest()

    def split(self, fractions: tuple[float, float, float]) -> dict[str, str]:
        pieces = [split_text(p, fractions) for p in self.parts]
        return {k: JOIN.join(piece[k] for piece in pieces if piece[k]) for k in SPLITS}


def load_corpus(specs: list[str] | tuple[str, ...] | str) -> Corpus:
    """Each spec is a bundled corpus name, a UTF-8 file, or a folder of .txt files."""
    specs = [specs] if isinstance(specs, str) else list(specs)
    if not specs:
        raise CorpusError("no corpus given")
    return Corpus(tuple(specs), tuple(p for s in specs for p in _read_spec(s)))


def _read_spec(spec: str) -> list[str]:
    if spec in corpora.names():
        return corpora.parts(spec)
    path = Path(spec)
    if path.is_dir():
        files = sorted(path.glob("*.txt"))
        if not files:
            raise CorpusError(f"{spec}: folder holds no .txt files")
        return [_read_file(f) for f in files]
    if path.is_file():
        return [_read_file(path)]
    known = ", ".join(corpora.names())
    raise CorpusError(f"{spec}: no such file, folder or bundled corpus (bundled: {known})")


def _read_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise CorpusError(f"{path}: cannot read ({e.strerror})") from None
    if b"\x00" in data:
        raise CorpusError(f"{path}: looks binary (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise CorpusError(f"{path}: not UTF-8 text (bad byte at offset {e.start})") from None
    text = text.replace("\r\n", "\n")
    if not text.strip():
        raise CorpusError(f"{path}: empty corpus")
    return text


def parse_split(spec: str) -> tuple[float, float, float]:
    try:
        parts = tuple(float(p) for p in spec.split(","))
    except ValueError:
        parts = ()
    if len(parts) != 3 or any(p < 0 for p in parts) or parts[0] <= 0:
        raise ValueError("split must be three non-negative fractions like 0.9,0.05,0.05")
    if abs(sum(parts) - 1.0) > 1e-6:
        raise ValueError(f"split fractions must sum to 1, not {sum(parts):g}")
    return parts  # type: ignore[return-value]


def split_text(text: str, fractions: tuple[float, float, float]) -> dict[str, str]:
    """Contiguous blocks: train, then val, then test. Cuts move forward to a nearby line break."""
    n = len(text)
    window = min(2000, n // 100)  # never let the snap swallow a small split
    cuts, acc = [], 0.0
    for f in fractions[:2]:
        acc += f
        cut = int(n * acc)
        nl = text.find("\n", cut, cut + window)
        cuts.append(nl + 1 if nl >= 0 else cut)
    a, b = cuts[0], max(cuts[0], cuts[1])
    return {"train": text[:a], "val": text[a:b], "test": text[b:]}


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
    except OSError:
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
