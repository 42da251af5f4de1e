"""Text in: read a corpus (bundled names, files, folders of .txt) and split it. No torch here:
the quiz and the app read text without it."""

from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import corpora

from .errors import CorpusError

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


# Encoding holds the text, its ids as Python ints and as tensors at once: about this many bytes
# of memory per byte of text, measured on 200 MB (3.0 GB peak).
MEMORY_PER_BYTE = 16


def _read_file(path: Path) -> str:
    try:
        size = path.stat().st_size
        need, free = size * MEMORY_PER_BYTE, available_memory()
        if free and need > free:
            raise CorpusError(f"{path}: {size / 1e6:,.0f} MB of text needs about {need / 1e9:.1f} GB "
                              f"of memory to encode and {free / 1e9:.1f} GB is free: train on a "
                              "part of it (split the file)")
        data = path.read_bytes()
    except OSError as e:
        raise CorpusError(f"{path}: cannot read ({e.strerror})") from None
    text = decode_text(data, str(path))
    if not text.strip():
        raise CorpusError(f"{path}: empty corpus")
    return text


def decode_text(data: bytes, what: str, first: bool = True) -> str:
    """UTF-8 text from bytes, or one clear error: binary data and other encodings are refused.
    `first`: these bytes start the file (where a byte-order mark may stand)."""
    if b"\x00" in data:
        raise CorpusError(f"{what}: looks binary (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError as e:
        raise CorpusError(f"{what}: not UTF-8 text (bad byte at offset {e.start})") from None
    return text.replace("\r\n", "\n")


def available_memory() -> int:
    """Bytes of memory free for this process (0 where the system does not say)."""
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 0


def parse_split(spec: str) -> tuple[float, float, float]:
    try:
        parts = tuple(float(p) for p in spec.split(","))
    except ValueError:
        parts = ()
    if len(parts) != 3 or not all(math.isfinite(p) and p >= 0 for p in parts) or parts[0] <= 0:
        raise ValueError("split must be three non-negative fractions like 0.9,0.05,0.05")
    if abs(sum(parts) - 1.0) > 1e-6:
        raise ValueError(f"split fractions must sum to 1, not {sum(parts):g}")
    return parts  # type: ignore[return-value]


def split_text(text: str, fractions: tuple[float, float, float]) -> dict[str, str]:
    """Contiguous blocks: train, then val, then test. Cuts move forward to a nearby line break."""
    a, b = cut_points(len(text), fractions, lambda lo, hi: text.find("\n", lo, hi))
    return {"train": text[:a], "val": text[a:b], "test": text[b:]}


def cut_points(n: int, fractions: tuple[float, float, float],
               find_newline: Callable[[int, int], int]) -> tuple[int, int]:
    """Where train ends and where val ends in a text of n characters; find_newline(lo, hi) is the
    index of the first newline in [lo, hi), or -1. Shared by the in-memory and streamed corpus."""
    window = min(2000, n // 100)  # never let the snap swallow a small split
    cuts, acc = [], 0.0
    for f in fractions[:2]:
        acc += f
        cut = int(n * acc)
        nl = find_newline(cut, min(cut + window, n)) if window else -1
        cuts.append(nl + 1 if nl >= 0 else cut)
    return cuts[0], max(cuts[0], cuts[1])
