"""Tokenizers: text <-> ids. One interface for a character vocabulary and for sentencepiece.

Both serialise to bytes so a checkpoint carries its tokenizer with it.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import re
import warnings
from typing import Callable, Iterable, Iterator, Protocol

import numpy as np
import sentencepiece as spm

from .defaults import TOKENIZER_KINDS
from .errors import CorpusError

UNK = "\ufffd"  # what an unknown id decodes to


class Tokenizer(Protocol):
    kind: str  # what a checkpoint records, to read it back (KINDS)
    # One token spells one character: the per-token path needs no respelling of a word being
    # typed, and a word is at most a few tokens per character.
    char_level: bool

    @property
    def vocab_size(self) -> int: ...
    def encode(self, text: str) -> list[int]: ...
    def encode_array(self, text: str) -> np.ndarray: ...  # the same ids, fast, for whole corpora
    def decode(self, ids: Iterable[int]) -> str: ...
    @property
    def special_ids(self) -> list[int]: ...  # unknown/control ids: never sampled
    def id_to_piece(self, i: int) -> str: ...
    def piece_to_id(self, piece: str) -> int: ...
    def is_partial(self, ids: list[int]) -> bool: ...  # decoding these now would split a character
    def to_bytes(self) -> bytes: ...


def fingerprint(tok: Tokenizer) -> str:
    """A short stable hash of a tokenizer: keys the encoded-data cache."""
    return hashlib.sha256(tok.kind.encode() + b"\0" + tok.to_bytes()).hexdigest()[:16]


class CharTokenizer:
    """One id per character seen in the training text; id 0 is the unknown character."""

    kind = "char"
    char_level = True

    def __init__(self, chars: Iterable[str]):
        self.chars = [UNK] + sorted(set(chars) - {UNK})
        self._ids = {c: i for i, c in enumerate(self.chars)}
        # chars[1:] are sorted by code point, so a binary search maps code points to ids.
        self._points = np.array([ord(c) for c in self.chars[1:]], dtype=np.uint32)

    @classmethod
    def train(cls, text: str | Iterable[str]) -> "CharTokenizer":
        """From the training text, or from it as a stream of pieces."""
        chars: set[str] = set()
        for piece in [text] if isinstance(text, str) else text:
            chars.update(piece)
        return cls(chars)

    @property
    def vocab_size(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> list[int]:
        get = self._ids.get
        return [get(c, 0) for c in text]

    def encode_array(self, text: str) -> np.ndarray:
        try:
            points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        except UnicodeEncodeError:  # a lone surrogate: no file decodes to one, but a str can hold it
            return np.array(self.encode(text), dtype=np.int64)
        if not len(self._points):
            return np.zeros(len(points), dtype=np.int64)
        at = np.minimum(np.searchsorted(self._points, points), len(self._points) - 1)
        return np.where(self._points[at] == points, at + 1, 0).astype(np.int64)

    def decode(self, ids: Iterable[int]) -> str:
        chars = self.chars
        return "".join(chars[i] if 0 <= i < len(chars) else UNK for i in ids)

    def id_to_piece(self, i: int) -> str:
        return self.chars[i]

    @property
    def special_ids(self) -> list[int]:
        return [0]

    def is_partial(self, ids: list[int]) -> bool:
        return False

    def piece_to_id(self, piece: str) -> int:
        return self._ids.get(piece, 0)

    def to_bytes(self) -> bytes:
        return json.dumps(self.chars[1:], ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> "CharTokenizer":
        return cls(json.loads(data.decode("utf-8")))


# sentencepiece reports an unfillable vocabulary in these two shapes; we lower or raise to its bound.
_TOO_LARGE = re.compile(r"Vocabulary size (?:is )?too (?:large|high).*?<=\s*(\d+)", re.S)
_TOO_SMALL = re.compile(r"Vocabulary size is smaller than required_chars\.\s*(\d+) vs (\d+)")


class SentencePieceTokenizer:
    """Subword pieces (unigram or BPE) with byte fallback, so every string is representable.

    Normalisation is off (identity, whitespace kept) so decode(encode(s)) == s. One exception is
    sentencepiece's own: U+2581 (its word-boundary marker) comes back as a space.
    """

    kind = "sp"
    char_level = False

    def __init__(self, model_bytes: bytes):
        self.model_bytes = model_bytes
        self._sp = spm.SentencePieceProcessor(model_proto=model_bytes)

    @classmethod
    def train(
        cls, text: str | Callable[[], Iterable[str]], vocab_size: int = 2000,
        model_type: str = "unigram", lines_hint: int = 0,
    ) -> "SentencePieceTokenizer":
        """From the training text, or a function that streams it in pieces (with about
        `lines_hint` lines). Past INPUT_SENTENCES lines, sentencepiece trains on a shuffled
        sample of that many, so a big corpus costs no more memory than a small one."""
        sampled = lines_hint > INPUT_SENTENCES
        if sampled:
            def lines() -> Iterator[str]:
                return _lines(text())  # type: ignore[operator]
            warnings.warn(f"sentencepiece trains on a shuffled sample of {INPUT_SENTENCES:,} of "
                          f"about {lines_hint:,} lines", stacklevel=2)
        else:  # small: every line, in order, as always
            kept = list(_lines([text] if isinstance(text, str) else text()))

            def lines() -> Iterator[str]:
                return iter(kept)
        if next(lines(), None) is None:
            raise CorpusError("cannot train a sentencepiece tokenizer on empty text")
        if vocab_size < MIN_SP_VOCAB:  # below this sentencepiece fails inside, with no reason
            warnings.warn(f"--vocab-size {vocab_size} is below sentencepiece's {MIN_SP_VOCAB} "
                          f"(256 byte pieces and its own); using {MIN_SP_VOCAB}", stacklevel=2)
            vocab_size = MIN_SP_VOCAB
        while True:
            try:
                return cls(_train_sp(lines(), vocab_size, model_type, sampled))
            except RuntimeError as e:
                bound = _vocab_bound(str(e))
                if bound is None or bound == vocab_size:
                    reason = str(e).strip().splitlines()[0][:120]
                    raise CorpusError(f"sentencepiece could not train on this corpus with "
                                      f"--vocab-size {vocab_size} ({reason})") from None
                warnings.warn(
                    f"--vocab-size {vocab_size} does not fit this corpus; using {bound}",
                    stacklevel=2,
                )
                vocab_size = bound

    @property
    def vocab_size(self) -> int:
        return self._sp.get_piece_size()

    def encode(self, text: str) -> list[int]:
        # sentencepiece drops newlines inside a "sentence", so encode line by line.
        ids: list[int] = []
        nl = self._newline_id
        for k, line in enumerate(text.split("\n")):
            if k:
                ids.append(nl)
            if line:
                ids.extend(self._sp.encode(line))
        return ids

    def encode_array(self, text: str) -> np.ndarray:
        lines = text.split("\n")
        encoded = self._sp.encode(lines, num_threads=1)  # a batch: no Python loop per line
        nl = [self._newline_id]
        seqs = [x for ids in encoded for x in (ids, nl)][:-1]
        total = sum(map(len, seqs))
        return np.fromiter(itertools.chain.from_iterable(seqs), dtype=np.int64, count=total)

    def decode(self, ids: Iterable[int]) -> str:
        out, run = [], []
        nl = self._newline_id
        for i in ids:
            if i == nl:
                out.append(self._sp.decode(run))
                out.append("\n")
                run = []
            else:
                run.append(int(i))
        out.append(self._sp.decode(run))
        return "".join(out)

    def id_to_piece(self, i: int) -> str:
        return self._sp.id_to_piece(i)

    @property
    def special_ids(self) -> list[int]:
        sp = self._sp
        return [i for i in range(sp.get_piece_size()) if sp.is_control(i) or sp.is_unknown(i)]

    def is_partial(self, ids: list[int]) -> bool:
        """True while `ids` end inside a UTF-8 character spelled by byte-fallback pieces."""
        return bool(ids) and self._sp.is_byte(ids[-1]) and self.decode(ids).endswith(UNK) and len(ids) < 4

    def piece_to_id(self, piece: str) -> int:
        return self._sp.piece_to_id(piece)

    @property
    def _newline_id(self) -> int:
        return self._sp.piece_to_id("\n")

    def to_bytes(self) -> bytes:
        return self.model_bytes

    @classmethod
    def from_bytes(cls, data: bytes) -> "SentencePieceTokenizer":
        return cls(data)


MIN_SP_VOCAB = 264  # 256 byte-fallback pieces, unknown, begin, end, the newline symbol, and room
MAX_LINE = 1 << 14  # characters of one training line: far below sentencepiece's byte limit


def _cut(line: str) -> list[str]:
    """A line as pieces of at most MAX_LINE characters, cut at spaces where it has them."""
    pieces = []
    while len(line) > MAX_LINE:
        at = line.rfind(" ", MAX_LINE // 2, MAX_LINE)
        at = at if at > 0 else MAX_LINE
        pieces.append(line[:at])
        line = line[at:]
    return pieces + [line]


INPUT_SENTENCES = 200_000  # lines sentencepiece trains on at most
SAMPLE_SEED = 1337


def _lines(pieces: Iterable[str]) -> Iterator[str]:
    for piece in pieces:
        for ln in piece.split("\n"):
            if ln.strip():
                yield from _cut(ln)


def _train_sp(lines: Iterator[str], vocab_size: int, model_type: str, sampled: bool) -> bytes:
    out = io.BytesIO()
    if sampled:
        spm.set_random_generator_seed(SAMPLE_SEED)  # the same sample, so the same tokenizer
    spm.SentencePieceTrainer.train(
        sentence_iterator=lines,
        model_writer=out,
        vocab_size=vocab_size,
        model_type=model_type,
        byte_fallback=True,
        character_coverage=1.0,
        normalization_rule_name="identity",
        remove_extra_whitespaces=False,
        add_dummy_prefix=False,
        allow_whitespace_only_pieces=True,
        split_digits=True,
        user_defined_symbols=["\n"],
        # Determinism: one thread and a seeded sample make the same text give the same model.
        # A shuffled sample is drawn as the lines stream past, in bounded memory.
        num_threads=1,
        shuffle_input_sentence=sampled,
        input_sentence_size=INPUT_SENTENCES,
        max_sentence_length=1 << 16,
        minloglevel=2,
    )
    return out.getvalue()


def _vocab_bound(message: str) -> int | None:
    if m := _TOO_LARGE.search(message):
        return int(m.group(1))
    if m := _TOO_SMALL.search(message):
        return int(m.group(2))
    return None


KINDS = {"char": CharTokenizer, "sp": SentencePieceTokenizer}
assert tuple(KINDS) == tuple(TOKENIZER_KINDS), "defaults.TOKENIZER_KINDS lists KINDS for the flags"


def from_bytes(kind: str, data: bytes) -> Tokenizer:
    return KINDS[kind].from_bytes(data)
