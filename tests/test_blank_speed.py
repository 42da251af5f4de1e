"""The faster blank: rescoring from where each candidate word ended, and dropping candidates that
fall too far behind, change no ranking that matters (bench_blank.py measures the time)."""

from __future__ import annotations

import pytest
import torch

from lm.infer.blanks import (PRUNE_MARGIN, RIGHT_TOKENS, fill_one, score_continuations,
                             score_tails)
from lm.infer.session import Session
from lm.infer.words import beam_words

SENTENCES = [("I ", " a boy."), ("You ", " a girl."), ("The cat is on the ", "."),
             ("She has a red ", "."), ("They go to ", " in the morning.")]


@pytest.fixture(scope="module")
def model(tiny_model_dir):
    import lm
    return lm.load(tiny_model_dir / "best.pt")


@pytest.mark.parametrize("left, right", SENTENCES)
def test_rescoring_from_the_word_ends_equals_reading_the_words_again(model, left, right):
    engine = model.engine
    ends = {}
    found = beam_words(engine, Session(engine, left).word_start(), k=16, beam=24, ends=ends)
    words = sorted(found, key=found.get, reverse=True)[:16]
    assert set(words) <= set(ends)  # a char model's every word has its end state
    prior = torch.tensor([ends[w][0] for w in words])
    tails = score_tails(engine, [ends[w][1:] for w in words], prior, engine.tokenizer.encode(right))
    again = score_continuations(Session(engine, left), left, [w + right for w in words])
    # The beam leaves out the unknown character, so its word scores are a hair higher.
    torch.testing.assert_close(tails, again, rtol=0, atol=2e-2)
    assert torch.argmax(tails) == torch.argmax(again)
    pruned = score_tails(engine, [ends[w][1:] for w in words], prior,
                         engine.tokenizer.encode(right), margin=2.0)
    same = torch.isclose(pruned, tails, atol=1e-5)
    assert torch.all(pruned[~same] < pruned.max() - 2.0)


@pytest.mark.parametrize("left, right", SENTENCES)
def test_dropped_candidates_stay_behind_and_the_rest_are_exact(model, left, right):
    session = Session(model.engine, left)
    words = [c.token_str for c in model.next_words(session, 16)]
    endings = [w + right for w in words]
    exact = score_continuations(session, left, endings)
    for margin in (1.0, 3.0):
        pruned = score_continuations(session, left, endings, margin=margin)
        same = torch.isclose(pruned, exact, atol=1e-5)
        top = pruned.max()
        assert torch.all(pruned[~same] < top - margin)  # dropped ones rank behind by the margin


def test_fill_with_the_default_margin_keeps_the_answers(model):
    for left, right in SENTENCES:
        fast, _ = fill_one(model.engine, left, right, k=3, proposals=64, margin=PRUNE_MARGIN)
        slow, _ = fill_one(model.engine, left, right, k=3, proposals=64, margin=None)
        assert fast[0].token_str == slow[0].token_str


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_reading_a_text_at_once_equals_stepping_it(cell):
    from .test_inspect import tiny_model

    model = tiny_model(cell)  # two layers, a trained-looking start state
    model.net.train()  # as during training: read must not depend on it, nor change it
    text = "The cat is on the mat. "
    logits, state = model.engine.read(model.tokenizer.encode(text))
    session = model.session(text)
    torch.testing.assert_close(logits, session.logits, rtol=0, atol=1e-5)
    for mine, stepped in zip(state, session.state):
        torch.testing.assert_close(mine, stepped, rtol=0, atol=1e-5)
    assert model.net.training


def test_a_char_model_reads_the_right_context_no_further_than_right_tokens(model):
    engine = model.engine
    left, right = "The cat is on the ", " and the dog is in the garden. They go to school in the morning."
    assert len(engine.tokenizer.encode(right)) > RIGHT_TOKENS

    def scores(text: str, cap) -> list[tuple[str, float]]:
        ranked = fill_one(engine, left, text, k=8, proposals=16, right_tokens=cap)[0]
        return [(c.token_str, round(c.score, 5)) for c in ranked]

    capped = scores(right, RIGHT_TOKENS)
    assert capped == scores(right[:RIGHT_TOKENS], None)  # the rest of the sentence is unread
    assert capped != scores(right, None)  # and reading it would have changed the scores
