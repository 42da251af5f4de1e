"""Sentence scores: the log-probability a model gives a text, token by token, and minimal pairs
scored with it."""

from __future__ import annotations

import json
import math

import pytest
import torch

import lm
from lm.pairs import score_pairs


@pytest.fixture(scope="module")
def char_model(tiny_model_dir):
    return lm.load(tiny_model_dir)


@pytest.mark.parametrize("which", ["char_model", "sp_model"])
def test_logprob_is_the_sum_of_the_training_models_token_log_probabilities(which, request):
    model = request.getfixturevalue(which)
    text = "The cat is on the mat."
    s = model.logprob(text)
    ids = model.tokenizer.encode(text)
    net = model.net.eval()
    with torch.no_grad():
        logits, _ = net(torch.tensor([ids]), net.start_hidden(1))
    start, _ = model.engine.start_state()
    every = torch.cat([start[None], logits[0, :-1]])
    expected = torch.log_softmax(every, -1).gather(1, torch.tensor(ids)[:, None]).sum()
    assert s.logprob == pytest.approx(float(expected), abs=1e-3)
    assert sum(t.bits for t in s.tokens) == pytest.approx(s.bits, rel=1e-5)
    assert "".join(t.text for t in s.tokens) == text
    assert [text[t.start:t.end] for t in s.tokens] == [t.text for t in s.tokens]
    assert s.bits_per_char == pytest.approx(-s.logprob / math.log(2) / len(text))


def test_the_spans_hold_characters_an_english_model_spells_in_bytes(sp_model):
    text = "I am a boy 안녕 😀."
    s = sp_model.logprob(text)
    assert "".join(t.text for t in s.tokens) == text
    assert all(math.isfinite(t.bits) and t.bits >= 0 for t in s.tokens)


def test_a_model_that_learned_the_text_prefers_it_to_a_scrambled_copy(char_model):
    good = char_model.logprob("The cat is on the mat.").logprob
    bad = char_model.logprob("The mat is on the cat.").logprob
    assert good > bad


def test_score_pairs_counts_by_phenomenon_and_past_the_window():
    pairs = [{"good": "a", "bad": "b", "phenomenon": "x", "distance": 0},
             {"good": "c", "bad": "d", "phenomenon": "x", "distance": 6},
             {"good": "e", "bad": "f", "phenomenon": "y", "distance": 4}]
    lp = {"a": -1, "b": -2, "c": -3, "d": -1, "e": -2, "f": -2}
    r = score_pairs(lp.__getitem__, pairs)
    assert r["all"]["accuracy"] == pytest.approx((1 + 0 + 0.5) / 3)
    assert r["all"]["long_pairs"] == 2 and r["all"]["long_accuracy"] == pytest.approx(0.25)
    assert r["phenomena"]["x"] == {"pairs": 2, "accuracy": 0.5, "long_pairs": 1,
                                   "long_accuracy": 0.0}


def test_score_command_says_which_sentence_is_likelier(tiny_model_dir):
    from click.testing import CliRunner

    from tui.cli import cli

    def run(*args):
        result = CliRunner().invoke(cli, ["score", *args, "--model", str(tiny_model_dir)])
        assert result.exit_code == 0, result.output
        return result.output

    data = json.loads(run("The cat is on the mat.", "The mat is on the cat.", "--json"))
    assert data["likeliest"] == 0
    assert [len(s["tokens"]) for s in data["sentences"]] == [22, 22]
    table = run("The cat is on the mat.", "The mat\x1b]0;owned\x07 is on.")
    assert "The cat is on the mat." in table and "bits/char" in table and "likeliest" in table
    assert "\x1b]0" not in table  # what a user typed reaches the terminal as text, not a command


@pytest.mark.parametrize("which", ["char_model", "sp_model"])
def test_over_counting_splits_the_sentence_word_by_word_on_both_sides(which, request):
    from lm.inspect.beyond import over_counting

    model = request.getfixturevalue(which)
    text = "She has a red ball. He has a blue kite, and she has a dog."
    words = over_counting(model, text)
    counted = model.ngram()
    assert [w.word for w in words] == [text[s:e] for s, e, _ in counted.token_surprisals(text)]
    # Every one of the network's bits is some word's; the n-gram's are its own but the end's.
    assert sum(w.network for w in words) == pytest.approx(model.logprob(text).bits, rel=1e-5)
    assert sum(w.ngram for w in words) == pytest.approx(
        sum(b for _, _, b in counted.token_surprisals(text, end=False)))
    # Up to the window's width the network reads the same words either way.
    assert all(w.beyond == pytest.approx(0.0, abs=1e-4) for w in words[:5])
    # Past it, the window is the network reading the last four words alone: checked directly.
    w, since = words[9], words[5].start
    alone = model.logprob(text[since : w.end]).tokens
    after_last = words[8].end - since  # the word's tokens: all after the word before it
    assert w.window == pytest.approx(sum(t.bits for t in alone if t.start >= after_last),
                                     rel=1e-4)


def test_score_beyond_prints_the_words_and_json(tiny_model_dir):
    from click.testing import CliRunner

    from tui.cli import cli

    text = "She has a red ball. He has a blue kite."
    shown = CliRunner().invoke(cli, ["score", "--beyond", "--model", str(tiny_model_dir), text])
    assert shown.exit_code == 0, shown.output
    assert "in window" in shown.output and "kite" in shown.output
    data = CliRunner().invoke(cli, ["score", "--beyond", "--json", "--model",
                                    str(tiny_model_dir), text])
    words = json.loads(data.output)["sentences"][0]["words"]
    assert [w["word"] for w in words][:3] == ["She", "has", "a"]
    assert {"network", "window", "ngram", "beyond", "from_beyond"} <= set(words[0])
