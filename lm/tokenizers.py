"""Tokenizers: text <-> ids. One interface for a character vocabulary and for sentencepiece.

Both serialise to bytes so a checkpoint carries its tokenizer with it.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import warnings
from typing import Iterable, Protocol

import sentencepiece as spm

from .errors import CorpusError

UNK = "\ufffd"  # what an unknown id decodes to


class Tokenizer(Protocol):
    kind: str

    @property
    def vocab_size(self) -> int: ...
    def encode(self, text: str) -> list[int]: ...
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

    def __init__(self, chars: Iterable[str]):
        self.chars = [UNK] + sorted(set(chars) - {UNK})
        self._ids = {c: i for i, c in enumerate(self.chars)}

    @classmethod
    def train(cls, text: str) -> "CharTokenizer":
        return cls(set(text))

    @property
    def vocab_size(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> list[int]:
        get = self._ids.get
        return [get(c, 0) for c in text]

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

    def __init__(self, model_bytes: bytes):
        self.model_bytes = model_bytes
        self._sp = spm.SentencePieceProcessor(model_proto=model_bytes)

    @classmethod
    def train(
        cls, text: str, vocab_size: int = 2000, model_type: str = "unigram"
    ) -> "SentencePieceTokenizer":
        # Lines are sentencepiece's unit; newlines are kept as a user symbol so they cost one id.
        # It skips lines past its length limit, so long ones go in as pieces cut at spaces.
        lines = [piece for ln in text.split("\n") if ln.strip() for piece in _cut(ln)]
        if not lines:
            raise CorpusError("cannot train a sentencepiece tokenizer on empty text")
        if vocab_size < MIN_SP_VOCAB:  # below this sentencepiece fails inside, with no reason
            warnings.warn(f"--vocab-size {vocab_size} is below sentencepiece's {MIN_SP_VOCAB} "
                          f"(256 byte pieces and its own); using {MIN_SP_VOCAB}", stacklevel=2)
            vocab_size = MIN_SP_VOCAB
        while True:
            try:
                return cls(_train_sp(lines, vocab_size, model_type))
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


def _train_sp(lines: list[str], vocab_size: int, model_type: str) -> bytes:
    out = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
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
        # Determinism: one thread and no shuffling make the same text give the same model.
        num_threads=1,
        shuffle_input_sentence=False,
        input_sentence_size=200_000,
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


def from_bytes(kind: str, data: bytes) -> Tokenizer:
    return KINDS[kind].from_bytes(data)
