"""The memory lab (lm.inspect.memory): the agreement language is what it says, the three cells are
the same size, the horizon rule, what truncated BPTT cuts, determinism and cancellation, and
`rnn-tui inspect --report memory`. Settings are tiny (seconds); the full-size figures are in
docs/learning-views.md."""

from __future__ import annotations

import json
import threading
from dataclasses import replace

import pytest
import torch

from lm.inspect import LabConfig, gap_horizon, run_lab
from lm.inspect.agreement import (FILLERS, FIRST_FILLER, STEPS, VERB_IDS, VOCAB, agrees,
                                  sentences, words)
from lm.inspect.memory import hidden_for, lab_loss, parameter_count, unrolled_logits
from lm.model import RNNLM, ModelConfig

from .test_cli import assert_clean_error, run

# Gaps up to 30, 400 steps: about 4 s for the three cells on one thread.
TINY = LabConfig(max_gap=30, steps=400, per_gap=100, every=400,
                 eval_gaps=(0, 1, 2, 3, 5, 10, 20, 30))


def test_the_verb_always_agrees_and_chance_is_half():
    generator = torch.Generator().manual_seed(0)
    for gap in (0, 1, 7, 40):
        batch = sentences(gap, 200, generator)
        assert batch.ids.shape == (200, gap + 1) and batch.gap == gap
        assert [agrees(s) for s in batch.ids[:, 0].tolist()] == batch.verb.tolist()
        assert batch.verb.float().mean() == 0.5  # an even split: always guessing one verb is 50 %
        assert torch.equal(batch.target, VERB_IDS[batch.verb])
        fillers = batch.ids[:, 1:] - FIRST_FILLER
        assert ((fillers >= 0) & (fillers < len(FILLERS))).all()
        hops = (fillers[:, 1:] - fillers[:, :-1]) % len(FILLERS)
        assert torch.isin(hops, torch.tensor(STEPS)).all()  # the fillers' own grammar
    assert words(torch.tensor([0, FIRST_FILLER])) == "he today"
    assert agrees(3) == 1 and agrees(0) == 0  # we -> are, he -> is


def test_the_three_cells_have_about_the_same_parameters():
    for budget in (LabConfig().params, 3000):
        counts = {}
        for cell in ("rnn", "lstm", "gru"):
            hidden = hidden_for(cell, budget, 16)
            net = RNNLM(ModelConfig(vocab_size=VOCAB, cell=cell, embed=16, hidden=hidden, layers=1))
            assert net.num_parameters() == parameter_count(cell, hidden, 16)
            counts[cell] = net.num_parameters()
        assert max(counts.values()) / min(counts.values()) < 1.03, counts


def test_the_horizon_is_the_longest_gap_with_every_shorter_one_also_right():
    assert gap_horizon([0, 1, 2, 3], [1.0, 0.95, 0.5, 0.99]) == 1  # a lucky 3 after a miss: no
    assert gap_horizon([3, 0, 2, 1], [0.99, 1.0, 0.9, 0.95]) == 3  # order of the input is free
    assert gap_horizon([0, 5], [0.89, 1.0]) is None  # not even gap 0
    assert gap_horizon([0, 5], [0.8, 0.8], threshold=0.75) == 5


def test_gated_cells_bridge_the_gap_where_the_tanh_rnn_does_not():
    """What seeds 0-4 all showed at this size: the LSTM at 30 every time, the GRU on four of five
    (seed 1: 0), the tanh RNN at 0 or none."""
    result = run_lab(TINY)
    cells = result.cells
    assert cells["lstm"].horizon == 30 and cells["gru"].horizon == 30
    assert cells["rnn"].horizon in (None, 0, 1, 2)
    assert cells["rnn"].at(30) < 0.7 and cells["lstm"].at(30) >= 0.9
    assert result.steps == 400 and not result.stopped
    assert all(c.steps == 400 and c.seconds > 0 for c in cells.values())


@pytest.mark.parametrize("seq_len", [2, 4])
def test_truncation_stops_the_verbs_gradient_at_seq_len(seq_len):
    """With seq_len L, the verb's loss reaches the subject's embedding only when subject and
    verb share the last chunk: gap + 1 <= L."""
    torch.manual_seed(0)
    net = RNNLM(ModelConfig(vocab_size=VOCAB, cell="lstm", embed=8, hidden=8, layers=1))
    generator = torch.Generator().manual_seed(0)
    for gap in range(8):
        batch = sentences(gap, 4, generator)
        net.zero_grad()
        loss, _ = lab_loss(unrolled_logits(net, batch.ids, seq_len), batch, predict_fillers=False)
        loss.backward()
        reached = net.embedding.weight.grad[batch.ids[:, 0]].abs().sum() > 0
        assert bool(reached) == (gap + 1 <= seq_len), gap


def test_truncation_cuts_the_gradient_not_the_memory():
    """The gradient from the verb never spans more than one filler (seq_len 2), yet the LSTM
    learns gaps to 12: the hold it learns over one step keeps holding, since a verb may follow
    at any gap (seeds 0, 1 and 2 all showed 12)."""
    result = run_lab(replace(TINY, cells=("lstm",), max_gap=12, seq_len=2, eval_gaps=None))
    assert result.cells["lstm"].horizon == 12


@pytest.mark.parametrize("seq_len, learned", [(4, False), (14, True)])
def test_with_no_short_gap_to_learn_from_a_window_shorter_than_the_gap_teaches_nothing(
        seq_len, learned):
    """Every training gap 8-10: past a window of 4 no gradient ever joins subject and verb, and
    the LSTM stays at chance; a window of 14 covers them and it learns them (seeds 0-2 alike:
    at most 55 % against 100 %)."""
    config = replace(TINY, cells=("lstm",), min_gap=8, max_gap=10, seq_len=seq_len,
                     eval_gaps=(8, 9, 10))
    accuracy = run_lab(config).cells["lstm"].accuracy
    assert all(a >= 0.95 for a in accuracy) if learned else all(a <= 0.65 for a in accuracy)


def test_the_same_seed_gives_the_same_lab_and_leaves_torchs_rng_alone():
    config = replace(TINY, steps=40, every=20, max_gap=6, eval_gaps=None)
    state = torch.random.get_rng_state()
    first, second = run_lab(config), run_lab(config)
    assert torch.equal(state, torch.random.get_rng_state())

    def strip(result):  # all but the time it took
        return {k: {**v, "seconds": 0} for k, v in result.to_dict()["cells"].items()}

    assert strip(first) == strip(second)
    other = strip(run_lab(replace(config, seed=1)))
    assert other != strip(first)


def test_progress_reports_every_cell_and_stop_ends_the_lab():
    config = replace(TINY, steps=1000, every=10, max_gap=4, eval_gaps=None)
    stop, seen = threading.Event(), []

    def on_progress(p):
        seen.append(p)
        stop.set()  # a UI's cancel button, pressed at the first report

    result = run_lab(config, on_progress, stop)
    assert result.stopped and result.steps == 10
    assert [p.step for p in seen] == [10, 10]  # the report, then the final one
    assert set(seen[0].curves) == {"rnn", "lstm", "gru"}
    assert seen[0].curves["gru"].gaps == tuple(range(5)) and seen[0].seconds > 0
    assert json.dumps(result.to_dict())  # stopped or not, it is plain JSON


@pytest.mark.parametrize("bad", [{"seq_len": 0}, {"max_gap": -1}, {"lr": float("nan")},
                                 {"steps": 0}, {"cells": ("rnn", "transformer")},
                                 {"eval_gaps": (0, 61)}, {"eval_gaps": ()}, {"seed": -1},
                                 {"cells": ("lstm", "lstm")}, {"predict_fillers": "no"},
                                 {"min_gap": 61}, {"min_gap": -1}])
def test_bad_settings_are_refused(bad):
    with pytest.raises(ValueError):
        LabConfig(**bad)


def test_the_clis_defaults_are_the_labs():
    from tui import inspect_command

    assert (inspect_command.LAB_GAP, inspect_command.LAB_STEPS) == (LabConfig().max_gap,
                                                                   LabConfig().steps)


def test_report_memory_json_runs_a_lab_per_seed():
    proc = run("inspect", "--report", "memory", "--json", "--steps", "20", "--max-gap", "4",
               "--seq-len", "3", "--seed", "0", "--seed", "5")
    assert proc.returncode == 0, proc.stderr
    labs = json.loads(proc.stdout)["memory"]
    assert [lab["config"]["seed"] for lab in labs] == [0, 5]
    assert all(lab["config"]["seq_len"] == 3 and lab["steps"] == 20 for lab in labs)
    cell = labs[0]["cells"]["lstm"]
    assert cell["gaps"] == [0, 1, 2, 3, 4] and len(cell["accuracy"]) == 5 and cell["params"] > 0


def test_report_memory_needs_no_comparison_models(monkeypatch):
    from click.testing import CliRunner

    import tui.inspect_report
    from tui.cli import cli

    monkeypatch.setattr(tui.inspect_report, "comparison_paths", lambda: {})
    args = ["inspect", "--report", "memory", "--steps", "5", "--max-gap", "3", "--verb-only"]
    result = CliRunner(env={"COLUMNS": "200"}).invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "memory lab, seed 0" in result.output and "verb alone graded" in result.output
    assert "horizon" in result.output and "lstm" in result.output


@pytest.mark.parametrize("args, fragment", [
    (["--seq-len", "0"], "--seq-len"),
    (["--max-gap", "-1"], "--max-gap"),
    (["--max-gap", "100000"], "--max-gap"),
    (["--seed", "-1"], "--seed"),
    (["--steps", "nan"], "--steps"),
])
def test_bad_memory_flags_are_one_line(args, fragment):
    assert_clean_error(run("inspect", "--report", "memory", *args), fragment)


def test_memory_flags_without_the_memory_report_are_refused():
    assert_clean_error(run("inspect", "--report", "probe", "--seed", "3"),
                       "--seed goes with --report memory")
