"""A corpus read in blocks and encoded into memory-mapped ids: the same text, splits and batches
as the in-memory path, without holding the text."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import lm.corpus_stream as stream
import lm.data as data
import lm.tokenizers as tokenizers
from lm.corpus import SPLITS, load_corpus
from lm.data import Streams, encode_splits, id_dtype, spread_sample
from lm.errors import CorpusError
from lm.tokenizers import CharTokenizer, SentencePieceTokenizer

from .helpers import TINY_TEXT

FRACTIONS = (0.8, 0.1, 0.1)
# Multi-byte characters, CRLF, a byte-order mark, a line longer than a block: the edges blocks cut.
AWKWARD = ("\ufeffFirst line, café.\r\n" + "naïve — ünïcödé ☃ 🎈\r\n" * 40
           + "x" * 300 + "\r\n" + "end without newline")


@pytest.fixture
def small_blocks(monkeypatch):
    monkeypatch.setattr(stream, "BLOCK", 64)  # every file spans many blocks


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "a.txt").write_bytes(AWKWARD.encode("utf-8"))
    (tmp_path / "b.txt").write_text(TINY_TEXT * 3, encoding="utf-8")
    return tmp_path


def test_streamed_splits_equal_the_in_memory_ones(folder, small_blocks):
    whole = load_corpus(str(folder))
    streamed = stream.open_corpus(str(folder))
    assert streamed.sha256 == whole.sha256
    assert streamed.chars == len(whole.text)
    for k, text in whole.split(FRACTIONS).items():
        pieces = list(streamed.pieces(k, FRACTIONS))
        assert "".join(pieces) == text
        assert streamed.split_chars(k, FRACTIONS) == len(text)
        assert all(len(p) <= stream.BLOCK * 2 for p in pieces)  # read a block at a time


def test_bad_bytes_are_reported_at_their_offset_in_the_file(tmp_path, small_blocks):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"fine text\n" * 30 + b"\xff")
    with pytest.raises(CorpusError, match="offset 300"):
        stream.open_corpus(str(path))
    path.write_bytes(b"text\n" * 30 + b"\x00")
    with pytest.raises(CorpusError, match="binary"):
        stream.open_corpus(str(path))
    path.write_bytes(b"\n \n" * 40)
    with pytest.raises(CorpusError, match="empty"):
        stream.open_corpus(str(path))


@pytest.mark.parametrize("kind", ["char", "sp"])
def test_memmap_batches_equal_the_in_memory_batches(folder, small_blocks, kind):
    """Today's path (encode the split text, one tensor) and the memory-mapped one: same chunks."""
    splits = load_corpus(str(folder)).split(FRACTIONS)
    tok = (CharTokenizer.train(splits["train"]) if kind == "char"
           else SentencePieceTokenizer.train(splits["train"], vocab_size=300))
    mapped, hit = encode_splits(stream.open_corpus(str(folder)), FRACTIONS, tok)
    assert not hit and isinstance(mapped["train"], np.memmap)
    assert mapped["train"].dtype == id_dtype(tok.vocab_size)
    for k in SPLITS:
        ref = torch.tensor(tok.encode(splits[k]), dtype=torch.long)
        assert np.array_equal(mapped[k], ref.numpy())
    a, b = Streams(mapped["train"], 4, 16, offset=3), Streams(ref_train := torch.tensor(
        tok.encode(splits["train"])), 4, 16, offset=3)
    assert len(a) == len(b) and len(ref_train) > 100
    for i in range(len(a)):
        for x, y in zip(a.chunk(i), b.chunk(i)):
            assert x.dtype == torch.long and torch.equal(x, y)


def test_a_rank_reads_its_rows_of_the_streams():
    ids = torch.arange(401)
    whole, half = Streams(ids, 8, 10), Streams(ids, 8, 10, rows=slice(4, 8))
    for i in range(len(whole)):
        assert torch.equal(whole.chunk(i)[0][4:], half.chunk(i)[0])


def test_the_id_type_follows_the_vocabulary():
    assert [id_dtype(n).name for n in (29, 256, 257, 65536, 65537)] == \
        ["uint8", "uint8", "uint16", "uint16", "uint32"]


def test_a_damaged_cache_entry_is_rebuilt_not_loaded(folder):
    corpus = stream.open_corpus(str(folder))
    tok = CharTokenizer.train("".join(corpus.pieces("train", FRACTIONS)))
    first, _ = encode_splits(corpus, FRACTIONS, tok)
    entry = data._cache_dir() / data.cache_key(corpus, FRACTIONS, tok)
    train = np.array(first["train"])
    del first
    with open(entry / "train.ids", "r+b") as f:
        f.truncate(10)  # a crash or a full disk mid-write
    again, hit = encode_splits(corpus, FRACTIONS, tok)
    assert not hit and np.array_equal(again["train"], train)
    (entry / "meta.json").unlink()
    assert encode_splits(corpus, FRACTIONS, tok)[1] is False
    assert [p.name for p in entry.parent.iterdir() if p.name.startswith(".")] == []


def test_an_unwritable_cache_encodes_in_memory(folder, monkeypatch, tmp_path):
    blocked = tmp_path / "cache-is-a-file"
    blocked.write_text("")
    monkeypatch.setattr(data, "_cache_dir", lambda: blocked / "encoded")
    corpus = stream.open_corpus(str(folder))
    tok = CharTokenizer.train("".join(corpus.pieces("train", FRACTIONS)))
    with pytest.warns(UserWarning, match="encoding it in memory"):
        ids, hit = encode_splits(corpus, FRACTIONS, tok)
    splits = load_corpus(str(folder)).split(FRACTIONS)
    assert not hit and np.array_equal(ids["val"], tok.encode(splits["val"]))


def test_validation_on_a_big_split_reads_a_bounded_spread_sample():
    ids = np.arange(1_000_000, dtype=np.uint32) % 251
    sample = spread_sample(ids, 1 << 16, length=1 << 12)
    assert len(sample) == 1 << 16 and sample.dtype == torch.long
    assert sample[-1] == ids[-1] and sample[0] == ids[0]  # first and last windows: both ends
    assert torch.equal(spread_sample(ids[:1000], 1 << 16), torch.from_numpy(ids[:1000].astype(np.int64)))


def test_sentencepiece_on_a_big_corpus_trains_on_a_shuffled_sample(folder, monkeypatch):
    (folder / "b.txt").write_text(TINY_TEXT * 10, encoding="utf-8")  # 480 lines
    monkeypatch.setattr(tokenizers, "INPUT_SENTENCES", 101)  # sentencepiece's least
    corpus = stream.open_corpus(str(folder))
    lines = sum(p.lines for p in corpus.parts)
    with pytest.warns(UserWarning, match="shuffled sample of 101 of about"):
        a = SentencePieceTokenizer.train(lambda: corpus.pieces("train", FRACTIONS), 300,
                                         lines_hint=lines)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        b = SentencePieceTokenizer.train(lambda: corpus.pieces("train", FRACTIONS), 300,
                                         lines_hint=lines)
    assert a.to_bytes() == b.to_bytes()  # a seeded sample: the same text, the same tokenizer
    text = "They go to school."
    assert a.decode(a.encode(text)) == text
