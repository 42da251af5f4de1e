"""A chat reply is the model's turn: the line it writes after "B:", ended where the model ends
the line, at a sentence end past the reply length, or where it starts to repeat itself."""

from __future__ import annotations

import re
import threading

import pytest

import lm
from lm.infer.session import GRACE_TOKENS

PROMPT = "A: Hello.\nB:"


@pytest.fixture(scope="module")
def model(tiny_model_dir):
    return lm.load(tiny_model_dir)


def test_a_turn_is_the_line_the_model_writes_and_no_other_speakers(model):
    s = model.session("I am a boy.\nB:")
    one_line = "".join(s.stream(lm.Sampling(temperature=0, max_tokens=400, stop=("\n",))))
    turn = "".join(s.stream_turn(lm.Sampling(temperature=0, max_tokens=400)))
    assert "\n" not in turn and not re.search(r"\b[AB]:", turn)
    if s.turn_end == "turn":  # the model ended the line: the reply is that line
        assert turn == one_line.strip()
    else:  # it said a sentence again before the line ended: the reply stops there
        assert s.turn_end == "repeat" and one_line.strip().startswith(turn)
    assert s.text == "I am a boy.\nB:"  # the session is left as it was


def test_a_greedy_reply_that_repeats_itself_is_stopped(app_model):
    # This tiny model never saw a new line: greedy, it goes round its few sentences.
    s = app_model.session(PROMPT)
    turn = "".join(s.stream_turn(lm.Sampling(temperature=0, max_tokens=3000)))
    sentences = [x.strip() for x in re.findall(r"[^.!?]*[.!?]", turn)]
    assert s.turn_end == "repeat" and sentences[-1] in sentences[:-1]
    assert len(sentences) == len(set(sentences)) + 1  # stopped at the first repeat
    assert len(turn) < 300


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_past_the_reply_length_a_turn_ends_at_a_sentence_end_not_mid_word(model, seed):
    s = model.session(PROMPT)
    turn = "".join(s.stream_turn(lm.Sampling(temperature=1.0, max_tokens=25, seed=seed)))
    assert s.turn_end in ("turn", "length", "repeat", "cut")
    if s.turn_end in ("length", "repeat"):
        assert turn.rstrip()[-1] in ".!?"
    assert len(turn) <= 25 + GRACE_TOKENS


def test_a_turn_stops_at_a_cancel_and_at_an_empty_line(model):
    cancel = threading.Event()
    out = []
    s = model.session(PROMPT)
    for piece in s.stream_turn(lm.Sampling(temperature=1.0, max_tokens=5000, seed=3),
                               cancel=cancel):
        out.append(piece)
        if len(out) == 7:
            cancel.set()
    assert len(out) == 7 and s.turn_end == "cancel"
    # A model that answers with a new line at once has nothing to say: the turn is over.
    s = model.session("I am a boy. You are a girl. We are friends.")
    assert "".join(s.stream_turn(lm.Sampling(temperature=0, max_tokens=400))) == ""
    assert s.turn_end == "turn"
