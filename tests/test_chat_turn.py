"""A chat reply is the model's turn, line after line up to the reply length, not one line."""

from __future__ import annotations

import threading

import pytest

import lm


@pytest.fixture(scope="module")
def model(tiny_model_dir):
    return lm.load(tiny_model_dir)


PROMPT = "A: Hello.\nB:"


def test_a_turn_runs_past_the_first_line_to_the_reply_length(model):
    s = model.session(PROMPT)
    one_line = "".join(s.stream(lm.Sampling(temperature=0, max_tokens=400, stop=("\n",))))
    turn = "".join(s.stream_turn(lm.Sampling(temperature=0, max_tokens=400)))
    lines = turn.split("\n")
    assert len(lines) >= 3 and lines[0] == one_line.strip()  # the first line as before, and more
    assert not any(line.startswith(("A:", "B:", " ")) for line in lines)  # tags are read, not shown
    assert 380 <= len(turn) <= 400 + len(lines)  # one character a token, to the budget
    assert s.text == PROMPT  # the session is left as it was


def test_each_new_line_is_read_as_the_same_speakers_line(model):
    s = model.session(PROMPT)
    turn = "".join(s.stream_turn(lm.Sampling(temperature=0, max_tokens=400)))
    first, second = turn.split("\n")[:2]
    after = model.session(PROMPT + " " + first + "\nB:")
    assert "".join(after.stream(lm.Sampling(temperature=0, max_tokens=len(second) + 5))
                   ).lstrip().startswith(second)


def test_a_turn_stops_at_a_cancel_and_at_an_empty_line(model):
    cancel = threading.Event()
    out = []
    for piece in model.session(PROMPT).stream_turn(lm.Sampling(temperature=1.0, max_tokens=5000,
                                                               seed=3), cancel=cancel):
        out.append(piece)
        if len(out) == 7:
            cancel.set()
    assert len(out) == 7
    # A model that answers with a new line at once has nothing to say: the turn is over.
    s = model.session("I am a boy. You are a girl. We are friends.")
    assert "".join(s.stream_turn(lm.Sampling(temperature=0, max_tokens=400))) == ""
