"""The interactive engine: the fast path, incremental sessions, words, blanks and streaming."""

import threading

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import lm
from lm.infer.blanks import score_continuations
from lm.infer.engine import Engine
from lm.infer.session import word_prefix
from lm.model import RNNLM, ModelConfig



def greedy(n: int) -> lm.Sampling:
    return lm.Sampling(temperature=0, max_tokens=n)


@pytest.mark.parametrize("cell", sorted(lm.CELLS))
def test_engine_equals_the_training_model(cell):
    torch.manual_seed(0)
    net = RNNLM(ModelConfig(vocab_size=23, cell=cell, embed=12, hidden=32, layers=3)).eval()
    ids = torch.randint(0, 23, (1, 40))
    with torch.no_grad():
        expected, _ = net(ids)
    engine = Engine(net)
    state = engine.zero_state()
    for t in range(ids.shape[1]):
        logits, state = engine.step(ids[0, t : t + 1], state)
        torch.testing.assert_close(logits[0], expected[0, t], rtol=0, atol=1e-5)


@pytest.fixture(scope="module")
def model(tiny_model_dir):
    return lm.load(tiny_model_dir)


def test_greedy_tokens_match_the_training_model(model):
    fast = "".join(model.generate("She has", greedy(60)))
    # The plain way: the training model reads the prompt, then one nn step per token.
    net, tok = model.net, model.tokenizer
    ids = []
    with torch.no_grad():
        logits, hidden = net(torch.tensor([tok.encode("She has")]), net.start_hidden(1))
        for _ in range(60):
            ids.append(int(torch.argmax(logits[0, -1] + model.engine.ban)))
            logits, hidden = net(torch.tensor([[ids[-1]]]), hidden)
    assert fast == tok.decode(ids)


@pytest.mark.parametrize("which", ["model", "sp_model"])
def test_typing_one_key_at_a_time_equals_reading_the_whole_text(which, request):
    m = request.getfixturevalue(which)
    text = "The dog is in the garden. I am a boy."
    typed = m.session()
    for ch in text:
        typed.feed(ch)
    whole = m.session(text)
    assert typed.ids == whole.ids
    torch.testing.assert_close(typed.logits, whole.logits, rtol=0, atol=1e-5)
    with torch.no_grad():
        reference, _ = m.net(torch.tensor([m.tokenizer.encode(text)]), m.net.start_hidden(1))
    torch.testing.assert_close(whole.logits, reference[0, -1], rtol=0, atol=1e-5)


@pytest.mark.parametrize("which", ["model", "sp_model"])
def test_backspace_equals_never_typed(which, request):
    m = request.getfixturevalue(which)
    s = m.session("They go to school in the morning")
    s.backspace(7)
    s.feed("evening")
    fresh = m.session("They go to school in the evening")
    assert s.text == fresh.text and s.ids == fresh.ids
    torch.testing.assert_close(s.logits, fresh.logits, rtol=0, atol=1e-6)


def test_a_keystroke_costs_the_new_tokens_not_the_prefix(model):
    s = model.session("I am a boy. You are a girl. " * 10)
    before = s.tokens_run
    s.feed("W")
    assert s.tokens_run - before == 1
    s.backspace(1)
    assert s.tokens_run - before == 1  # going back restores a saved state: nothing is re-run


def test_window_bounds_memory_and_early_edits_still_work(model):
    s = lm.Session(model.engine, "", window=16)
    s.set_text("I am a boy. You are a girl.")
    assert len(s._states) <= 17
    s.set_text("X am a boy.")  # an edit before the window: read again from the start
    torch.testing.assert_close(s.logits, model.session("X am a boy.").logits, rtol=0, atol=1e-6)


def test_next_tokens_are_a_distribution(model):
    cands = model.session("I am a b").next_tokens(5)
    assert cands[0].token_str == "o"
    assert all(a.score >= b.score for a, b in zip(cands, cands[1:]))
    assert sum(c.score for c in cands) <= 1.0 + 1e-6


@pytest.mark.parametrize("which", ["model", "sp_model"])
def test_next_words_complete_the_word_being_typed(which, request):
    # A subword model never saw "b" cut off from "boy": its search backs off to before " b".
    words = request.getfixturevalue(which).next_words("I am a b", 3)
    assert words[0].token_str == "boy"
    assert words[0].sequence == "I am a boy"
    assert all(w.token_str.startswith("b") for w in words)
    assert sum(w.score for w in words) <= 1.0 + 1e-6


@pytest.mark.parametrize("which", ["model", "sp_model"])
def test_next_words_at_a_boundary_are_whole_next_words(which, request):
    words = request.getfixturevalue(which).next_words("The cat is on the ", 3)
    assert words[0].token_str == "mat"
    assert sum(w.score for w in words) <= 1.0 + 1e-6


@pytest.mark.parametrize("which", ["model", "sp_model"])
def test_a_stream_goes_on_as_if_the_model_had_written_the_typed_part(which, request):
    # A subword model resumes before " b" and spells it again, so typing part of what the model
    # would write changes nothing: the same greedy text follows.
    m = request.getfixturevalue(which)
    whole = "".join(m.session("I am a").stream(greedy(12)))
    assert whole.startswith(" boy")
    for typed in (" ", " b", " bo"):
        rest = "".join(m.session("I am a" + typed).stream(greedy(12)))
        assert whole[len(typed):].startswith(rest[:8]) and rest, typed


def test_a_stream_after_text_no_piece_can_spell_goes_on_from_the_text_as_typed(sp_model):
    # " 학" is only byte pieces to an English tokenizer: the retyping gives way, never a dead end.
    out = "".join(sp_model.session("나는 학").stream(greedy(8)))
    assert out and "\u2047" not in out and "\ufffd" not in out


def test_a_subword_model_fills_the_box_from_before_the_space(sp_model):
    assert sp_model.session("I ").ids[-1] != sp_model.session("I am").ids[-1]  # a lone '▁'
    assert sp_model.fill("I ___ a boy.", k=3)[0][0].token_str == "am"
    assert sp_model.fill("I ___ a boy.", k=3, left_only=True)[0][0].token_str == "am"
    assert sp_model.fill("You ___ a girl.", k=3)[0][0].token_str == "are"


def test_batched_scores_equal_one_by_one(model):
    s = model.session("She has a ")
    endings = ["red ball.", "blue kite.", "dog."]
    batched = score_continuations(s, "She has a ", endings)
    single = torch.cat([score_continuations(s, "She has a ", [e]) for e in endings])
    torch.testing.assert_close(batched, single, rtol=0, atol=1e-5)


@pytest.mark.parametrize("marker", ["___", "(BOX)", "[BOX]", "_____"])
def test_fill_the_box(model, marker):
    [out] = model.fill(f"I {marker} a boy.", k=3)
    assert out[0].token_str == "am"
    assert out[0].sequence == "I am a boy."
    assert abs(sum(o.score for o in model.fill(f"I {marker} a boy.", k=50)[0]) - 1) < 1e-5


def test_right_context_changes_the_answer(model):
    [left_only] = model.fill("She ___ a blue kite.", k=3, left_only=True)
    [both] = model.fill("She ___ a blue kite.", k=3)
    assert both[0].token_str == "has"
    assert {o.token_str for o in left_only} <= {o.token_str for o in model.fill(
        "She ___ a blue kite.", k=50)[0]}


@pytest.mark.parametrize("which", ["model", "sp_model"])
def test_a_blank_that_starts_a_line_keeps_the_line_before_it(which, request):
    # "boy\n" once read as the word being typed, and the fill cut into it ("hhome" for "home").
    m = request.getfixturevalue(which)
    out = m.fill("I am a boy\n___ a girl.", k=5)[0]
    assert out and all(c.sequence == f"I am a boy\n{c.token_str} a girl." for c in out)


def test_several_blanks_fill_left_to_right(model):
    first, second = model.fill("I ___ a boy. You ___ a girl.", k=2)
    assert first[0].token_str == "am" and second[0].token_str == "are"
    assert second[0].sequence == "I am a boy. You are a girl."


@pytest.mark.parametrize("text, message", [("", "empty"), ("   ", "empty"), ("I am a boy.", "no blank")])
def test_fill_bad_input(model, text, message):
    with pytest.raises(lm.LMError, match=message):
        model.fill(text)


def test_stream_leaves_the_session_alone_and_can_be_cancelled(model):
    s = model.session("I am")
    ids, text = list(s.ids), s.text
    pieces = list(s.stream(greedy(30)))
    assert s.ids == ids and s.text == text and pieces
    cancel = threading.Event()
    out = []
    for piece in s.stream(lm.Sampling(temperature=1.0, max_tokens=1000, seed=1), cancel=cancel):
        out.append(piece)
        if len(out) == 5:
            cancel.set()
    assert len(out) == 5
    s.feed("".join(pieces))  # accepting the continuation is the caller's choice
    assert s.text == text + "".join(pieces)


@given(st.text(alphabet="ab_'1é \n,.-", max_size=40))
def test_the_word_being_typed_is_the_last_run_of_word_characters(text):
    start = len(text)
    while start and (text[start - 1].isalnum() or text[start - 1] in "_'"):
        start -= 1
    assert word_prefix(text) == text[start:]


@pytest.mark.parametrize("which", ["model", "sp_model"])
def test_a_word_longer_than_the_window_is_read_not_a_crash(which, request):
    m = request.getfixturevalue(which)
    huge = "I am a " + "b" * 6_000  # past the 4,096-token window fill's session keeps
    session = lm.Session(m.engine, huge, window=4096)
    assert len(session.ids) > session.window  # the early tokens left it; the word is searched
    assert m.next_words(session, 3) is not None
    assert isinstance("".join(session.stream(greedy(5))), str)
    assert m.fill(huge + " ___ a boy.", k=2)[0]


def test_a_text_longer_than_the_window_costs_only_the_window(model):
    from lm.infer.engine import WINDOW

    text = "The cat is on the mat. " * 40
    s = lm.Session(model.engine, text, window=64)
    assert s.tokens_run == 64 and s.cut == len(text) - 64
    s.feed("x")  # typing on reads one more token, not the text again
    assert s.tokens_run == 65
    logits, _ = model.engine.read(model.tokenizer.encode("ab" * WINDOW))
    tail, _ = model.engine.read(model.tokenizer.encode("ab" * (WINDOW // 2)))
    torch.testing.assert_close(logits, tail)  # only the last WINDOW tokens are read
