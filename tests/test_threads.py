"""Choosing training threads by measuring: all cores on an idle machine, one when that is faster."""

import pytest

import lm
from lm.training.events import Progress
from lm.training.threads import ThreadChooser


def step(n: int, elapsed: float, pace: float = 1.0) -> Progress:
    return Progress(n, 1000, 0, 2.0, 1e-3, 0.5, False, 1000.0, elapsed, n / 1000, pace)


def run(chooser: ThreadChooser, rates: dict[int, float], seconds: float, start=(0, 0.0)):
    """Feed a second's worth of steps at a time at rates[threads] steps/s; the threads used."""
    threads, n, t = chooser.trying or chooser.cores, *start
    used = []
    while t < seconds:
        t += 1.0
        n += int(rates[threads])
        new = chooser.observe(step(n, t))
        threads = new or threads
        used.append(threads)
    return used


def test_an_idle_machine_keeps_every_core():
    chooser = ThreadChooser(2, probe=3, every=100)
    used = run(chooser, {2: 10, 1: 6}, 20)
    assert chooser.chosen == 2 and used[-1] == 2
    assert 1 in used  # it did time one thread


def test_a_busy_machine_goes_on_with_one_thread():
    chooser = ThreadChooser(2, probe=3, every=100)
    used = run(chooser, {2: 2, 1: 6}, 20)  # the other core is taken: two threads wait
    assert chooser.chosen == 1 and used[-1] == 1
    assert chooser.rates[1] == pytest.approx(6) and chooser.rates[2] == pytest.approx(2)


def test_it_measures_again_when_the_pace_collapses():
    chooser = ThreadChooser(2, probe=3, every=1000)
    run(chooser, {2: 10, 1: 6}, 20)
    assert chooser.chosen == 2 and not chooser.trying
    assert chooser.observe(step(500, 21.0, pace=0.3)) == 1  # a new comparison starts
    assert chooser.trying == 1


def test_a_run_starts_on_one_thread_and_times_all_cores_second():
    """On a busy machine all cores can crawl; a short run's first seconds must not."""
    chooser = ThreadChooser(2, probe=3, every=100)
    assert chooser.trying == 1 and chooser.chosen == 1
    used = run(chooser, {2: 2, 1: 6}, 20)
    assert used[:3] == [1, 1, 1] and used.count(2) <= 4 and used[-1] == 1


def test_validation_time_is_left_out_of_a_timing():
    chooser = ThreadChooser(2, probe=3, every=100)
    chooser.observe(step(0, 0.0))
    chooser.interrupt()  # a validation took the next 10 s
    assert chooser.observe(step(5, 10.5)) is None and chooser._start == (10.5, 5)


def test_bf16_is_used_where_the_cpu_runs_it_and_one_clear_error_elsewhere():
    import torch

    from lm.hardware import _cpu_runs_bf16_lstm, resolve_precision

    cpu = torch.device("cpu")
    if _cpu_runs_bf16_lstm():
        assert resolve_precision("bf16", cpu) == "bf16"
    else:  # this project's CI machine: oneDNN has no bf16 LSTM here
        with pytest.raises(lm.LMError, match="cannot run the recurrent layers in bf16"):
            resolve_precision("bf16", cpu)
        assert resolve_precision("auto", cpu) == "fp32"
