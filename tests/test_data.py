import os
import time

import numpy as np
import pytest
import torch

import lm.corpus

from lm.corpus import Corpus, load_corpus, parse_split, split_text
from lm.corpus_stream import open_corpus
from lm.data import Streams, encode_splits
from lm.errors import CorpusError
from lm.tokenizers import CharTokenizer


def test_bundled_corpus_resolves_by_name():
    corpus = load_corpus("default")
    assert len(corpus.text) > 10_000
    assert corpus.names == ("default",)


def test_folder_of_txt_files_is_read_in_order(tmp_path):
    (tmp_path / "b.txt").write_text("second")
    (tmp_path / "a.txt").write_text("first")
    (tmp_path / "skip.md").write_text("not text for us")
    corpus = load_corpus(str(tmp_path))
    assert corpus.parts == ("first", "second")
    assert corpus.text == "first\n\nsecond"


def test_each_part_is_split_on_its_own():
    a = "".join(f"alpha {i}\n" for i in range(1000))
    b = "".join(f"beta {i}\n" for i in range(1000))
    split = Corpus(("x",), (a, b)).split((0.8, 0.1, 0.1))
    assert "alpha" in split["val"] and "beta" in split["val"]
    assert "alpha" in split["test"] and "beta" in split["test"]


@pytest.mark.parametrize(
    "content, message",
    [(b"", "empty"), (b"  \n\n", "empty"), (b"abc\x00def", "binary"), (b"caf\xe9", "not UTF-8")],
)
def test_bad_corpus_files_give_one_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(CorpusError, match=message):
        load_corpus(str(path))


def test_missing_corpus_names_the_bundled_ones(tmp_path):
    with pytest.raises(CorpusError, match="bundled: .*default"):
        load_corpus(str(tmp_path / "nope.txt"))


def test_empty_folder(tmp_path):
    with pytest.raises(CorpusError, match="no .txt"):
        load_corpus(str(tmp_path))


@pytest.mark.parametrize("spec", ["0.9,0.1", "a,b,c", "0.5,0.5,0.5", "0,0.5,0.5", "-1,1,1"])
def test_bad_split_specs(spec):
    with pytest.raises(ValueError):
        parse_split(spec)


def test_split_is_contiguous_and_complete():
    text = "".join(f"line {i}\n" for i in range(5000))
    parts = split_text(text, (0.9, 0.05, 0.05))
    assert parts["train"] + parts["val"] + parts["test"] == text
    assert parts["val"].startswith("line ") and parts["test"].startswith("line ")
    assert abs(len(parts["train"]) / len(text) - 0.9) < 0.01


def test_encoding_is_cached_by_text_and_tokenizer(tmp_path):
    text = "abcdefgh\n" * 400
    (tmp_path / "t.txt").write_text(text)
    tok = CharTokenizer.train(text)
    corpus = open_corpus(str(tmp_path / "t.txt"))
    first, hit1 = encode_splits(corpus, (0.8, 0.1, 0.1), tok)
    second, hit2 = encode_splits(corpus, (0.8, 0.1, 0.1), tok)
    assert (hit1, hit2) == (False, True)
    assert all(np.array_equal(first[k], second[k]) for k in first)
    other = CharTokenizer.train(text + "z")
    assert encode_splits(corpus, (0.8, 0.1, 0.1), other)[1] is False


@pytest.mark.parametrize("damage", ["same size", "shorter, meta edited", "out of vocabulary"])
def test_a_cache_entry_that_was_changed_is_encoded_again_with_a_notice(tmp_path, damage):
    import json

    from lm.data import _cache_dir

    text = "abcdefgh\n" * 400
    (tmp_path / "t.txt").write_text(text)
    tok = CharTokenizer.train(text)
    corpus = open_corpus(str(tmp_path / "t.txt"))
    clean, _ = encode_splits(corpus, (0.8, 0.1, 0.1), tok)
    clean = {k: np.array(v) for k, v in clean.items()}
    entry = next(p for p in _cache_dir().iterdir() if (p / "meta.json").is_file())
    ids = entry / "train.ids"
    if damage == "same size":
        ids.write_bytes(bytes(reversed(ids.read_bytes())))
    elif damage == "shorter, meta edited":
        ids.write_bytes(ids.read_bytes()[:500])
        meta = json.loads((entry / "meta.json").read_text())
        meta["tokens"]["train"] = 500
        (entry / "meta.json").write_text(json.dumps(meta))
    else:
        ids.write_bytes(b"\xff" * ids.stat().st_size)
    with pytest.warns(UserWarning, match="changed since it was written"):
        again, hit = encode_splits(corpus, (0.8, 0.1, 0.1), tok)
    assert hit is False and all(np.array_equal(again[k], clean[k]) for k in clean)


def test_streams_targets_are_inputs_shifted_by_one():
    ids = torch.arange(101)
    s = Streams(ids, batch_size=4, seq_len=10)
    assert s.x.shape == (4, 25)
    np.testing.assert_array_equal(s.y, s.x + 1)
    # chunks read every stream in step: stream b continues where its last chunk ended
    x0, _ = s.chunk(0)
    x1, _ = s.chunk(1)
    torch.testing.assert_close(x1[:, 0], x0[:, -1] + 1)
    assert len(s) == 3


def test_streams_refuse_text_too_short_for_the_batch():
    with pytest.raises(CorpusError, match="batch-size"):
        Streams(torch.arange(3), batch_size=8, seq_len=4)


def test_a_corpus_too_big_to_encode_in_memory_is_refused_up_front(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_text("the cat sat on the mat\n" * 1000)
    monkeypatch.setattr(lm.corpus, "available_memory", lambda: 1000)  # a machine with 1 kB free
    with pytest.raises(CorpusError, match="needs about .* of memory"):
        load_corpus([str(path)])


def test_a_new_entry_sweeps_what_old_runs_left_in_the_cache(tmp_path, isolated_home):
    cache = isolated_home / "cache" / "rnn-tui" / "encoded"
    cache.mkdir(parents=True)
    legacy = cache / "26049a5ddaa8e482525c3359babdb9fc.pt"  # the first cache format's entry
    legacy.write_bytes(b"old ids")
    dead, live = cache / ".0123abcd.x1", cache / ".4567cdef.x2"  # encodings killed / running
    for folder in (dead, live):
        folder.mkdir()
        (folder / "train.ids").write_bytes(b"\0" * 64)
    two_days_ago = time.time() - 2 * 24 * 3600
    for path in (dead / "train.ids", dead):
        os.utime(path, (two_days_ago, two_days_ago))

    text = "abcdefgh\n" * 400
    (tmp_path / "t.txt").write_text(text)
    ids, hit = encode_splits(open_corpus(str(tmp_path / "t.txt")), (0.8, 0.1, 0.1),
                             CharTokenizer.train(text))
    assert not hit and len(ids["train"]) > 0
    assert not legacy.exists() and not dead.exists()
    assert (live / "train.ids").read_bytes() == b"\0" * 64
    entries = [p for p in cache.iterdir() if not p.name.startswith(".")]
    assert len(entries) == 1 and (entries[0] / "meta.json").is_file()
