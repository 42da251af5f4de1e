"""The library is fast by default: token-at-a-time work runs on one torch thread whatever the
process is set to, and gives the caller's setting back."""

from __future__ import annotations

import torch

import lm


def test_token_at_a_time_work_runs_on_one_thread_and_leaves_the_callers_setting(tiny_model_dir):
    model = lm.load(tiny_model_dir)
    seen = []
    step = model.engine.step

    def watched(*args, **kwargs):
        seen.append(torch.get_num_threads())
        return step(*args, **kwargs)

    model.engine.step = watched
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        model.fill("I ___ a boy.")
        model.next_words("I am a ")
        pieces = model.generate("I am", lm.Sampling(temperature=0, max_tokens=5))
        next(pieces)
        assert torch.get_num_threads() == 2  # between two pieces: the caller's setting
        list(pieces)
        session = model.session("The cat")
        session.feed(" is")
        assert seen and set(seen) == {1}
        assert torch.get_num_threads() == 2
        model.threads = None  # the caller asks for the process's setting
        seen.clear()
        model.fill("You ___ a girl.")
        assert set(seen) == {2}
    finally:
        torch.set_num_threads(before)
