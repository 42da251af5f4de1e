"""A corpus read block by block, for training: the text of a big file never sits in memory whole.

`open_corpus` scans each file once (checks it is UTF-8 text, hashes it, counts characters and
lines) and keeps only where its blocks start. The splits are then read as a stream of text
pieces of at most a block each. For the same text the splits, the hash and so the encoded-ids
cache key are those of the in-memory `Corpus`. No torch here.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import corpora

from .corpus import JOIN, SPLITS, cut_points, decode_text
from .errors import CorpusError

BLOCK = 8 << 20  # bytes read at a time
OnProgress = Callable[[str, int, int], None]  # (what, done, total)


@dataclass(frozen=True)
class Block:
    start: int  # byte offset in the file
    end: int
    char: int  # offset of its first character in the (normalised) text
    chars: int


class TextPart(ABC):
    """One file (or one bundled text) of a corpus."""

    def __init__(self, name: str, chars: int, lines: int, digest: bytes):
        self.name, self.chars, self.lines, self.digest = name, chars, lines, digest

    @abstractmethod
    def read(self, start: int, end: int) -> Iterator[str]:
        """The text from character `start` to `end`, in pieces of at most a block."""

    def text(self, start: int, end: int) -> str:
        return "".join(self.read(start, end))


class MemoryPart(TextPart):
    def __init__(self, name: str, text: str):
        super().__init__(name, len(text), text.count("\n") + 1,
                         hashlib.sha256(text.encode("utf-8")).digest())
        self._text = text

    def read(self, start: int, end: int) -> Iterator[str]:
        for at in range(start, end, BLOCK):
            yield self._text[at:min(end, at + BLOCK)]


class FilePart(TextPart):
    def __init__(self, path: Path, blocks: list[Block], chars: int, lines: int, digest: bytes):
        super().__init__(str(path), chars, lines, digest)
        self.path, self.blocks = path, blocks

    @classmethod
    def scan(cls, path: Path, on_progress: OnProgress | None = None) -> "FilePart":
        """One pass over the file: refuse what is not text, and note where each block starts."""
        size = path.stat().st_size
        blocks, chars, lines, h, seen_text = [], 0, 0, hashlib.sha256(), False
        with path.open("rb") as f:
            at = 0
            while data := _next_block(f):
                text = _decode(data, at, path)
                blocks.append(Block(at, at + len(data), chars, len(text)))
                h.update(text.encode("utf-8"))
                chars += len(text)
                lines += text.count("\n")
                seen_text = seen_text or bool(text.strip())
                at += len(data)
                if on_progress:
                    on_progress(f"reading {path.name}", at, size)
        if not seen_text:
            raise CorpusError(f"{path}: empty corpus")
        return cls(path, blocks, chars, lines + 1, h.digest())

    def read(self, start: int, end: int) -> Iterator[str]:
        with self.path.open("rb") as f:
            for b in self.blocks:
                if b.char + b.chars <= start:
                    continue
                if b.char >= end:
                    break
                f.seek(b.start)
                text = _decode(f.read(b.end - b.start), b.start, self.path)
                lo, hi = max(start - b.char, 0), min(end - b.char, len(text))
                if lo < hi:
                    yield text[lo:hi]


def _next_block(f) -> bytes:
    """About BLOCK bytes, ending after a newline so every block decodes alone (no character and
    no CRLF is cut); a line longer than a block is cut at a character boundary instead."""
    data = f.read(BLOCK)
    if len(data) < BLOCK:
        return data
    tail = b""
    while (more := f.read(1 << 16)):
        nl = more.find(b"\n")
        if nl >= 0:
            f.seek(nl + 1 - len(more), 1)
            return data + tail + more[: nl + 1]
        tail += more
        if len(tail) >= BLOCK:  # no newline near: cut before a UTF-8 continuation byte or a CR
            data += tail
            cut = len(data)
            while cut > 0 and (data[cut - 1] & 0xC0 == 0x80 or data[cut - 1] >= 0xC0
                               or data[cut - 1] == 0x0D):
                cut -= 1
            f.seek(cut - len(data), 1)
            return data[:cut]
    return data + tail


def _decode(data: bytes, offset: int, path: Path) -> str:
    try:
        return decode_text(data, str(path), first=offset == 0)
    except CorpusError as e:
        raise CorpusError(_shift(str(e), offset)) from None


def _shift(message: str, offset: int) -> str:
    """decode_text counts offsets within the block: make them offsets within the file."""
    head, sep, rest = message.partition("offset ")
    if not sep:
        return message
    digits = "".join(ch for ch in rest if ch.isdigit())
    return f"{head}offset {int(digits) + offset}{rest[len(digits):]}"


class CorpusText:
    """The corpus as the trainer reads it: hash, size, and the splits as a stream of pieces."""

    def __init__(self, names: tuple[str, ...], parts: tuple[TextPart, ...]):
        self.names, self.parts = names, parts
        self._cuts: dict[tuple, list] = {}  # fractions -> each part's split ranges (reads text)

    @property
    def sha256(self) -> str:
        h = hashlib.sha256()
        for part in self.parts:
            h.update(part.digest)
        return h.hexdigest()

    @property
    def chars(self) -> int:
        return sum(p.chars for p in self.parts) + len(JOIN) * (len(self.parts) - 1)

    def split_chars(self, split: str, fractions: tuple[float, float, float]) -> int:
        """How long the split's text is (what pieces() yields, joins included)."""
        spans = [b - a for a, b in self._ranges(split, fractions) if b > a]
        return sum(spans) + len(JOIN) * max(0, len(spans) - 1)

    def pieces(self, split: str, fractions: tuple[float, float, float]) -> Iterator[str]:
        """The split's text as pieces of at most a block: each part's share, joined as
        Corpus.split joins them."""
        first = True
        for part, (a, b) in zip(self.parts, self._ranges(split, fractions)):
            if b <= a:
                continue
            if not first:
                yield JOIN
            first = False
            yield from part.read(a, b)

    def _ranges(self, split: str, fractions) -> list[tuple[int, int]]:
        key = tuple(fractions)
        if key not in self._cuts:
            self._cuts[key] = [_part_ranges(p, key) for p in self.parts]
        return [r[SPLITS.index(split)] for r in self._cuts[key]]


def _part_ranges(part: TextPart, fractions) -> tuple[tuple[int, int], ...]:
    def find_newline(lo: int, hi: int) -> int:
        at = part.text(lo, hi).find("\n")
        return lo + at if at >= 0 else -1

    a, b = cut_points(part.chars, fractions, find_newline)
    return (0, a), (a, b), (b, part.chars)


def open_corpus(specs: list[str] | tuple[str, ...] | str,
                on_progress: OnProgress | None = None) -> CorpusText:
    """Like load_corpus, without holding the text of files: bundled names, files, folders."""
    specs = [specs] if isinstance(specs, str) else list(specs)
    if not specs:
        raise CorpusError("no corpus given")
    parts: list[TextPart] = []
    for spec in specs:
        if spec in corpora.names():
            parts += [MemoryPart(spec, t) for t in corpora.parts(spec)]
            continue
        path = Path(spec)
        if path.is_dir():
            files = sorted(path.glob("*.txt"))
            if not files:
                raise CorpusError(f"{spec}: folder holds no .txt files")
        elif path.is_file():
            files = [path]
        else:
            known = ", ".join(corpora.names())
            raise CorpusError(f"{spec}: no such file, folder or bundled corpus (bundled: {known})")
        for file in files:
            try:
                parts.append(FilePart.scan(file, on_progress))
            except OSError as e:
                raise CorpusError(f"{file}: cannot read ({e.strerror})") from None
    return CorpusText(tuple(specs), tuple(parts))

