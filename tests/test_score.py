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
