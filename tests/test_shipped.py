"""The model that ships: small enough, as good as its record says, and writing English."""

import json
import re

import pytest

import corpora
import lm

RECORD = lm.shipped_model_path().with_name("MODEL.json")


@pytest.fixture(scope="module")
def shipped():
    return lm.load()


def test_checkpoint_is_small():
    assert lm.shipped_model_path().stat().st_size <= 20_000_000  # scripts/make_shipped_model.py


def test_validation_bpc_matches_the_record(shipped):
    record = json.loads(RECORD.read_text("utf-8"))
    assert abs(shipped.loss_on("default", "val").bpc - record["val_bpc"]) <= 0.02


def test_greedy_text_from_i_am_a_is_english(shipped):
    text = "".join(shipped.generate("I am a", lm.Sampling(temperature=0, max_tokens=120)))
    text = text[: max(text.rfind(c) for c in ".?!") + 1]  # whole sentences (max_tokens cuts)
    vocabulary = {w.lower() for w in re.findall(r"[A-Za-z']+", corpora.read("default"))}
    words = re.findall(r"[A-Za-z']+", text)
    assert len(words) >= 10
    assert all(w.lower() in vocabulary for w in words), text
    assert re.match(r"^ \w", text), text  # "I am a" goes on with a new word
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s]
    assert len(sentences) >= 2 and all(s[0].isupper() for s in sentences[1:]), text


def test_cli_uses_it_by_default(shipped):
    assert shipped.path == lm.shipped_model_path()
    assert shipped.describe().startswith("default:")
