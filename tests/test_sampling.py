import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import lm
import pytest

from lm.infer.decode import IncrementalDecoder, heal_mask, pick
from lm.tokenizers import SentencePieceTokenizer


def test_pick_greedy_and_filters():
    logits = torch.tensor([0.1, 3.0, 2.9, -1.0])
    assert pick(logits, temperature=0) == 1
    g = torch.Generator().manual_seed(0)
    assert all(pick(logits, 1.0, top_k=1, generator=g) == 1 for _ in range(20))
    assert all(pick(logits, 1.0, top_p=0.01, generator=g) == 1 for _ in range(20))
    seen = {pick(logits, 1.0, top_k=2, generator=g) for _ in range(200)}
    assert seen == {1, 2}


PIECE = st.text(alphabet="ab\u2581", max_size=5)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECE, min_size=1, max_size=8), PIECE, PIECE)
def test_healing_allows_exactly_the_pieces_that_keep_spelling_the_typed_text(pieces, heal, written):
    # The definition: written + piece is still on course to spell `heal`, or has spelled it.
    on_course = [bool(p) and ((written + p).startswith(heal) or heal.startswith(written + p))
                 for p in pieces]
    assert (heal_mask(pieces, heal, written) == 0).tolist() == on_course


def test_generation_is_repeatable_with_a_seed(tiny_model_dir):
    model = lm.load(tiny_model_dir)
    a = "".join(model.generate("The ", lm.Sampling(temperature=1.0, max_tokens=40, seed=7)))
    b = "".join(model.generate("The ", lm.Sampling(temperature=1.0, max_tokens=40, seed=7)))
    assert a == b


def test_greedy_generation_learned_the_text(tiny_model_dir):
    model = lm.load(tiny_model_dir)
    text = "".join(model.generate("I am a b", lm.Sampling(temperature=0, max_tokens=3)))
    assert text == "oy."


def test_stop_string_ends_generation_and_is_not_printed(tiny_model_dir):
    model = lm.load(tiny_model_dir)
    full = "".join(model.generate("I am", lm.Sampling(temperature=0, max_tokens=60)))
    assert "." in full
    cut = "".join(model.generate("I am", lm.Sampling(temperature=0, max_tokens=60, stop=(".",))))
    assert cut == full[: full.index(".")]


def test_streamed_pieces_join_to_the_decoded_ids():
    tok = SentencePieceTokenizer.train("plain words here\n" * 30, vocab_size=274)
    ids = tok.encode("words 안녕 🙂 here")
    decoder = IncrementalDecoder(tok)
    pieces = [decoder.push(i) for i in ids]
    assert "".join(pieces) == "words 안녕 🙂 here"
    assert "\ufffd" not in "".join(pieces)


@pytest.mark.parametrize("bad", [dict(temperature=float("nan")), dict(temperature=float("inf")),
                                 dict(temperature=1e300), dict(temperature=-1), dict(top_p=0),
                                 dict(top_p=float("nan")), dict(top_k=-1), dict(max_tokens=0),
                                 dict(seed=10**30), dict(seed=-1), dict(top_k=1.5)])
def test_sampling_settings_are_checked_once_for_everyone(bad):
    with pytest.raises(ValueError):
        lm.Sampling(**bad)


def test_the_next_token_view_shows_what_sampling_draws_from(tiny_model_dir):
    session = lm.load(tiny_model_dir).session("I am a b")
    own = session.next_token(lm.Sampling(temperature=1.0), k=50)
    assert all(s.p == pytest.approx(s.sampled, abs=1e-6) for s in own.shares)  # T=1: unchanged
    assert [s.p for s in own.shares] == sorted((s.p for s in own.shares), reverse=True)
    greedy = session.next_token(lm.Sampling(temperature=0), k=5)
    assert greedy.candidates == 1 and greedy.shares[0].sampled == 1.0
    assert greedy.sampled_entropy_bits == 0.0
    assert session.next_token(lm.Sampling(top_k=3), k=10).candidates == 3
    cold, hot = (session.next_token(lm.Sampling(temperature=t), k=5) for t in (0.5, 1.5))
    assert cold.shares[0].sampled > own.shares[0].p > hot.shares[0].sampled
    assert cold.sampled_entropy_bits < own.entropy_bits < hot.sampled_entropy_bits


@settings(max_examples=40, deadline=None)
@given(st.floats(0.05, 3.0), st.integers(0, 6), st.floats(0.05, 1.0), st.integers(0, 2**31))
def test_pick_only_draws_what_the_view_calls_drawable(temperature, top_k, top_p, seed):
    from lm.infer.decode import sampling_probs

    logits = torch.randn(12, generator=torch.Generator().manual_seed(seed))
    drawable = sampling_probs(logits, temperature, top_k, top_p) > 0
    token = pick(logits, temperature, top_k, top_p, torch.Generator().manual_seed(seed))
    assert drawable[token]


def test_a_blanks_candidates_are_shown_before_and_after_sampling(tiny_model_dir):
    candidates = lm.load(tiny_model_dir).fill("I ___ a boy.", k=6)[0]
    own = lm.blank_shares(candidates, lm.Sampling(temperature=1.0))
    assert [s.token for s in own.shares] == [c.token_str for c in candidates]
    assert sum(s.p for s in own.shares) == pytest.approx(1.0)
    assert all(s.p == pytest.approx(s.sampled, abs=1e-6) for s in own.shares)
    assert lm.blank_shares(candidates, lm.Sampling(top_k=2)).candidates == 2
    greedy = lm.blank_shares(candidates, lm.Sampling(temperature=0))
    assert greedy.shares[0].sampled == 1.0 and greedy.candidates == 1
