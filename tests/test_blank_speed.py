"""The faster blank: rescoring from where each candidate word ended, and dropping candidates that
fall too far behind, change no ranking that matters (bench_blank.py measures the time)."""

from __future__ import annotations

import pytest
import torch

from lm.infer.blanks import (PRUNE_MARGIN, PRUNE_TOKENS, RIGHT_TOKENS, BeamMemo, fill, fill_one,
                             score_continuations, score_tails)
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


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_rows_reading_the_same_ids_at_once_equal_stepping_them(cell):
    from .test_inspect import tiny_model

    engine = tiny_model(cell).engine
    ids = engine.tokenizer.encode("on the mat.")
    state = [s + 0.1 * torch.randn(3, s.shape[1]) for s in engine.start_state()[1]]  # 3 rows
    every, end = engine.read_rows(ids, state)
    stepped = state
    for t, token in enumerate(ids):
        logits, stepped = engine.step(torch.tensor([token] * 3), stepped)
        torch.testing.assert_close(every[:, t], logits, rtol=0, atol=1e-5)
    for mine, theirs in zip(end, stepped):
        torch.testing.assert_close(mine, theirs, rtol=0, atol=1e-5)


@pytest.mark.parametrize("left, right", SENTENCES[-2:])
def test_the_fused_rest_of_the_right_context_scores_as_stepping_does(model, left, right):
    engine = model.engine
    ends = {}
    found = beam_words(engine, Session(engine, left).word_start(), k=16, beam=24, ends=ends)
    words = sorted(found, key=found.get, reverse=True)[:16]
    starts, prior = [ends[w][1:] for w in words], torch.tensor([ends[w][0] for w in words])
    tail = engine.tokenizer.encode(right + " They go to school.")
    assert len(tail) > PRUNE_TOKENS
    stepped = score_tails(engine, starts, prior, tail, prune_tokens=None)
    torch.testing.assert_close(score_tails(engine, starts, prior, tail), stepped, rtol=0, atol=1e-4)
    # With a margin, the fused path drops rows only while it steps, so it keeps every row the
    # stepping keeps, scored the same; a row either drops is behind by the margin.
    pruned = score_tails(engine, starts, prior, tail, margin=2.0, prune_tokens=None)
    fused = score_tails(engine, starts, prior, tail, margin=2.0, prune_tokens=3)
    kept = torch.isclose(pruned, stepped, atol=1e-4)
    torch.testing.assert_close(fused[kept], stepped[kept], rtol=0, atol=1e-4)
    exact = torch.isclose(fused, stepped, atol=1e-4)
    assert torch.all(fused[~exact] < fused.max() - 2.0) and not exact.all()


def test_typing_to_the_right_of_a_blank_reuses_the_left_contexts_search(model):
    engine, memo = model.engine, BeamMemo()
    left, right = "The cat is on the ", " near the door."
    for i in range(1, len(right) + 1):
        text = f"{left}___{right[:i]}"
        assert fill(engine, text, memo=memo) == fill(engine, text)
    assert memo.hits == len(right) - 1  # searched once, at the first key
    fill(engine, "The dog is on the ___ near the door.", memo=memo)
    assert memo.hits == len(right) - 1  # another left context is searched


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


def test_a_subword_model_scores_its_whole_word_pieces_beyond_the_beam(sp_model):
    """No candidate ceiling: the softmax over every piece proposes words the beam did not."""
    from lm.infer.blanks import piece_words

    engine = sp_model.engine
    beam_only, wide = [], []
    fill_one(engine, "The cat is on the ", ".", k=3, proposals=4, pieces=0, scored=beam_only)
    fill_one(engine, "The cat is on the ", ".", k=3, proposals=4, pieces=64, scored=wide)
    assert len(beam_only) <= 4 < len(wide)
    one_token = piece_words(engine, Session(engine, "The cat is on the ").word_start(), 64, None)
    assert set(one_token) <= set(wide) and "mat" in wide


@pytest.mark.parametrize("left, right", SENTENCES)
def test_one_token_words_read_with_the_shared_tail_score_as_reading_them_again(sp_model, left,
                                                                               right):
    from lm.infer.blanks import piece_words, score_pieces

    session = Session(sp_model.engine, left)
    words = piece_words(sp_model.engine, session.word_start(), 40, None)
    fast = score_pieces(sp_model.engine, session.word_start(), words, right, margin=None,
                        prune_tokens=None)
    slow = score_continuations(session, left, [w + right for w in words])
    assert fast is not None
    torch.testing.assert_close(fast, slow, atol=1e-4, rtol=0)
