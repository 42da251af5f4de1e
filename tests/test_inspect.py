"""The learning views' measurements (lm.inspect): traces equal the training forward, the
gradient through time equals finite differences, planted units and gates land where they must,
and the memory probe tells an oracle from a model that ignores the subject."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

import lm
from lm import inspect as lmi
from lm.inspect.gradient import jacobian_norms, state_before, unroll_parts
from lm.language_model import LanguageModel

from .helpers import TINY_TEXT

TEXT = 'She said "the cat is here" and I am a boy, you are a girl.\n'


def tiny_model(cell: str, *, hidden: int = 6, layers: int = 2, scale: float = 1.0,
               dtype=torch.float32) -> LanguageModel:
    torch.manual_seed({"rnn": 1, "lstm": 2, "gru": 3}[cell])
    tok = lm.CharTokenizer.train(TINY_TEXT + TEXT)
    net = lm.RNNLM(lm.ModelConfig(vocab_size=tok.vocab_size, cell=cell, embed=5, hidden=hidden,
                                  layers=layers))
    with torch.no_grad():
        for p in net.parameters():
            p.mul_(scale)
        net.start_state.normal_(0, 0.3)
    net = net.to(dtype).eval()
    return LanguageModel(net, tok, Path(f"tiny-{cell}.pt"))


@pytest.mark.parametrize("cell", lm.CELL_NAMES)
def test_trace_equals_the_training_forward(cell):
    model = tiny_model(cell)
    trace = lmi.trace_text(model, TEXT)
    ids = torch.tensor([model.tokenizer.encode(TEXT)])
    with torch.no_grad():
        out, hidden = model.net.rnn(model.net.embedding(ids), model.net.start_hidden(1))
    top = trace.layers - 1
    assert torch.allclose(trace.values[lmi.Channel(top, "h")], out[0], atol=1e-5)
    parts = hidden if isinstance(hidden, tuple) else (hidden,)
    for k in range(trace.layers):
        for i, name in enumerate(model.net.spec.state):
            assert torch.allclose(trace.values[lmi.Channel(k, name)][-1], parts[i][k, 0], atol=1e-5)
    assert trace.text == TEXT and len(trace.tokens) == len(TEXT)
    assert [trace.text[s:e] for s, e in trace.spans] == trace.tokens
    assert all(len(g) == 3 for g in trace.guesses)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_traced_gates_are_the_cells_gates(cell):
    """Recompute layer 0's gates from nn's own h sequence and the weights."""
    model = tiny_model(cell, layers=1)
    trace = lmi.trace_text(model, TEXT)
    net = model.net
    ids = torch.tensor(model.tokenizer.encode(TEXT))
    with torch.no_grad():
        out, _ = net.rnn(net.embedding(ids[None]), net.start_hidden(1))
        prev = torch.cat([net.start_state[:, : net.config.hidden], out[0, :-1]])
        x = net.embedding(ids) @ net.rnn.weight_ih_l0.t() + net.rnn.bias_ih_l0
        hh = prev @ net.rnn.weight_hh_l0.t() + net.rnn.bias_hh_l0
        if cell == "lstm":
            expected = {"f": torch.sigmoid((x + hh).chunk(4, 1)[1]),
                        "o": torch.sigmoid((x + hh).chunk(4, 1)[3])}
        else:
            expected = {"z": torch.sigmoid((x + hh).chunk(3, 1)[1]),
                        "r": torch.sigmoid((x + hh).chunk(3, 1)[0])}
    for name, value in expected.items():
        assert torch.allclose(trace.values[lmi.Channel(0, name)], value, atol=1e-5)


@pytest.mark.parametrize("cell", lm.CELL_NAMES)
def test_equations_equal_nn(cell):
    model = tiny_model(cell)
    ids = model.tokenizer.encode(TEXT[:20])
    start = state_before(model.net, [])
    states = unroll_parts(model.net, ids, start)
    with torch.no_grad():
        out, _ = model.net.rnn(model.net.embedding(torch.tensor([ids])), model.net.start_hidden(1))
    got = torch.cat([s[-1][0] for s in states[1:]]).detach()
    assert torch.allclose(got, out[0], atol=1e-5)


@pytest.mark.parametrize("cell", lm.CELL_NAMES)
def test_gradient_through_time_equals_finite_differences(cell):
    model = tiny_model(cell, hidden=5, scale=2.0, dtype=torch.float64)
    net = model.net
    ids = model.tokenizer.encode(TEXT)
    start = state_before(net, ids[:10])
    window = ids[10:22]
    norms_h, norms_c = jacobian_norms(net, window, start)
    assert (norms_c is not None) == (cell == "lstm")
    top, eps = len(start) - 1, 1e-6

    def final(perturbed_step: int, part: int, unit: int, sign: float) -> torch.Tensor:
        """Re-run the window with one state part nudged at one step; the final top part."""
        parts = [tuple(p.clone() for p in layer) for layer in start]
        states = unroll_parts(net, window[:perturbed_step], parts)
        mid = [tuple(p.detach().clone() for p in layer) for layer in states[-1]]
        mid[top][part][0, unit] += sign * eps
        end = unroll_parts(net, window[perturbed_step:], mid)[-1]
        return end[top][part].detach()[0]

    K = len(window)
    for k in (1, 3, 7, K):
        for part, norms in ((0, norms_h), (1, norms_c)):
            if norms is None:
                continue
            columns = [(final(K - k, part, u, 1) - final(K - k, part, u, -1)) / (2 * eps)
                       for u in range(net.config.hidden)]
            numeric = float(torch.stack(columns, dim=1).norm())
            assert abs(numeric - norms[k - 1]) <= 1e-4 * max(1.0, numeric), (part, k)


def test_gradient_curve_shape_and_horizon():
    model = tiny_model("rnn", hidden=8, scale=0.5)
    curve = lmi.gradient_through_time(model, TINY_TEXT, max_k=30, windows=3)
    assert curve.ks == list(range(1, 31)) and len(curve.h) == 30 and curve.c is None
    # Small weights: the plain RNN forgets fast, which is the point of the view.
    assert curve.decay < 1 and curve.horizon is not None and curve.h[curve.horizon - 1] < curve.h[0] / 1000
    lstm = lmi.gradient_through_time(tiny_model("lstm"), TINY_TEXT, max_k=10, windows=2)
    assert lstm.c is not None and len(lstm.c) == 10


def test_gradient_refuses_a_short_text():
    with pytest.raises(lm.LMError, match="too short"):
        lmi.gradient_through_time(tiny_model("gru"), "short", max_k=20)


def planted_trace(values: dict, text: str, cell: str = "lstm") -> lmi.TextTrace:
    T = len(text)
    return lmi.TextTrace(text, cell, 1, next(iter(values.values())).shape[1], list(text),
                         [(i, i + 1) for i in range(T)], values, [[] for _ in range(T)])


def test_a_planted_unit_that_follows_the_feature_ranks_first():
    text = 'he said "yes" and "no" then left "now"'
    mask = lmi.feature_mask(text, "inside quotes")
    torch.manual_seed(0)
    h = torch.randn(len(text), 16) * 0.3
    h[:, 11] = torch.tensor(mask, dtype=torch.float) * 0.8 - 0.4
    ranked = lmi.rank_units(planted_trace({lmi.Channel(0, "h"): h}, text), "inside quotes")
    assert (ranked[0].channel, ranked[0].unit) == (lmi.Channel(0, "h"), 11)
    assert ranked[0].r == pytest.approx(1.0, abs=1e-5)


def test_a_bad_regex_is_one_clear_error():
    with pytest.raises(lm.LMError, match="not a regular expression"):
        lmi.feature_mask("text", "(unclosed")


def test_a_gate_held_at_095_plots_at_one_zero():
    T, H = 50, 4
    f = torch.rand(T, H) * 0.8 + 0.1  # never saturated
    f[:, 2] = 0.95
    sat = lmi.saturation(planted_trace({lmi.Channel(0, "h"): torch.zeros(T, H),
                                        lmi.Channel(0, "f"): f}, "x" * T))
    assert list(sat) == [lmi.Channel(0, "f")]  # h is not a gate
    assert sat[lmi.Channel(0, "f")][2].tolist() == [1.0, 0.0]
    assert sat[lmi.Channel(0, "f")][0].tolist() == [0.0, 0.0]
    assert lmi.saturation(planted_trace({lmi.Channel(0, "h"): f}, "x" * T, cell="rnn")) == {}


def test_probe_tells_an_oracle_from_a_model_that_ignores_the_subject():
    items = lmi.probe_items(gaps=(0, 40), per_gap=120, seed=1)
    assert {i.gap for i in items} == {0, 40}
    assert all(len(i.prefix) >= 40 for i in items if i.gap == 40)
    subject_verb = {s: v for s, v, _, _ in lmi.probe.PAIRS}

    def oracle(prefix, endings):
        right = " " + subject_verb[prefix.split(",")[0]]
        return [0.0 if e.startswith(right + " ") else -9.0 for e in endings]

    def ignores_subject(prefix, endings):  # prefers "are", then "is", then "am", whatever the subject
        return [{"are": -1.0, "is": -2.0, "am": -3.0}[e.split()[0]] for e in endings]

    rows = lmi.run_probe(oracle, items)
    assert [r.accuracy for r in rows] == [1.0, 1.0] and lmi.horizon(rows) == 40
    rows = lmi.run_probe(ignores_subject, items)
    assert all(0.4 <= r.accuracy <= 0.6 for r in rows) and lmi.horizon(rows) is None
    assert all(r.low <= r.accuracy <= r.high and r.chance == 0.5 for r in rows)


def test_probe_runs_on_a_real_model():
    rows = lmi.run_probe(lmi.model_scorer(tiny_model("gru")), lmi.probe_items(gaps=(0,), per_gap=6))
    assert rows[0].n == 6 and 0.0 <= rows[0].p_right <= 1.0


def test_untrained_copies_are_fixed_and_the_forget_bias_is_set():
    model = tiny_model("lstm")
    a, b = lmi.untrained(model), lmi.untrained(model)
    assert all(torch.equal(p, q) for p, q in zip(a.net.parameters(), b.net.parameters()))
    assert not a.meta["trained"]
    h = model.net.config.hidden
    for value in (0.0, 1.0):
        net = lmi.untrained(model, forget_bias=value).net
        total = net.rnn.bias_ih_l0 + net.rnn.bias_hh_l0
        assert torch.all(total[h : 2 * h] == value)
    with pytest.raises(lm.LMError, match="forget gate"):
        lmi.untrained(tiny_model("gru"), forget_bias=1.0)


def test_unroll_shows_the_same_weights_at_every_step():
    model = tiny_model("lstm")
    trace = lmi.trace_text(model, "I am a boy")
    u = lmi.unroll(model, trace, last=4, units=3)
    assert u.tokens == list(" boy") and len(u.steps) == 4
    assert set(u.steps[0]) == {"h", "c", "i", "f", "g", "o"} and len(u.steps[0]["h"]) == 3
    assert u.w_hh_shape == (4 * 6, 6)
