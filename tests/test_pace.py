"""The busy-machine warning: a run's recent tokens/s against its own best window."""

from lm.training.pace import SLOW_PACE, Pace


def test_a_collapse_below_half_the_best_window_is_slow():
    pace = Pace(window=1.0)
    assert pace.share == 1.0 and not pace.slow  # nothing measured yet
    for _ in range(4):
        pace.add(2500, 0.25)  # 10,000 tokens/s for a window
    assert pace.best == 10_000 and not pace.slow
    for _ in range(2):
        pace.add(1000, 0.5)  # the other core got busy: 2,000 tokens/s
    assert pace.slow and pace.share == 0.2
    for _ in range(4):
        pace.add(2000, 0.25)
    assert not pace.slow and pace.share == 0.8 > SLOW_PACE  # recovered


def test_a_window_is_only_judged_when_whole():
    pace = Pace(window=10.0)
    pace.add(10, 9.0)
    assert pace.latest == 0 and pace.share == 1.0


def test_each_thread_count_is_judged_against_its_own_best():
    pace = Pace(window=1.0)
    pace.add(10_000, 1.0, threads=2)
    pace.add(2_000, 1.0, threads=2)
    assert pace.slow  # two threads, the other core busy
    pace.add(6_000, 1.0, threads=1)  # the entry point moved to one thread
    assert pace.best == 6_000 and not pace.slow
