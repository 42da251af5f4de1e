"""The inspect screen's workers: each computes into the Bank and posts what landed (Landed,
Ranked, ProbeProgress); none touches a widget. lm.inspect (and torch) are imported here, in the
worker threads, so opening the screen never waits for them."""

from __future__ import annotations

from textual import work
from textual.message import Message
from textual.worker import get_current_worker

import lm

from .bank import CELLS
from .unrolled import MOST

GATES_CHARS = 4000  # held-back characters the gates are read over (as --report saturation)

UNITS = 3  # first units of each state and gate under the unrolled cell


class Landed(Message):
    """A worker put `key` in the bank, or failed on it with `error`: redraw what shows it."""

    def __init__(self, key: tuple, error: str | None = None):
        super().__init__()
        self.key, self.error = key, error


class ProbeProgress(Message):
    def __init__(self, done: int, total: int):
        super().__init__()
        self.done, self.total = done, total


class Presets(Message):
    """The feature names the ranking box suggests (known once lm.inspect is imported)."""

    def __init__(self, names: list[str]):
        super().__init__()
        self.names = names


class Ranked(Message):
    """The top units for a pattern (cell, UnitScore), the characters it covers, or why not."""

    def __init__(self, pattern: str, rows: list | None, mask: list[bool] | None,
                 error: str | None = None):
        super().__init__()
        self.pattern, self.rows, self.mask, self.error = pattern, rows, mask, error


class Workers:
    """Mixed into InspectScreen, which has the bank, the setup and the focused cell."""

    @work(thread=True, exclusive=True, group="trace")
    def compute_traces(self, trained: bool, text: str) -> None:
        from lm import inspect as lmi

        worker = get_current_worker()
        self.post_message(Presets(list(lmi.PRESETS)))
        for cell in sorted(CELLS, key=lambda c: c != self.cell):  # the focused model first
            if worker.is_cancelled:
                return
            key = ("trace", cell, trained, text)
            try:
                model = self.bank.model(cell, trained)
                trace = self.bank.trace(cell, trained, text)
                self.bank.get(("unroll", cell, trained, text), lambda: [
                    lmi.unroll(model, trace, last=MOST, units=UNITS, layer=layer)
                    for layer in range(trace.layers)])
            except lm.LMError as e:
                self.post_message(Landed(key, str(e)))
                continue
            self.post_message(Landed(key))

    @work(thread=True, exclusive=True, group="gates")
    def compute_gates(self, trained: bool) -> None:
        """Gate saturation over held-back text (the validation split), as `--report saturation`
        measures it: a gate's habits, not how it met the few words typed."""
        from lm import inspect as lmi
        from lm.inspect.report import held_back_text

        worker = get_current_worker()
        for cell in CELLS:
            if worker.is_cancelled:
                return
            key = ("saturation", cell, trained)
            try:
                model = self.bank.model(cell, trained)
                self.bank.get(key, lambda: lmi.saturation(
                    lmi.trace_text(model, held_back_text(model, GATES_CHARS))))
            except lm.LMError as e:
                self.post_message(Landed(key, str(e)))
                continue
            self.post_message(Landed(key))

    @work(thread=True, exclusive=True, group="rank")
    def rank(self, pattern: str, trained: bool, text: str) -> None:
        from lm import inspect as lmi

        rows = []
        try:
            mask = lmi.feature_mask(text, pattern)  # a preset's name or a regex
            for cell in CELLS:
                if (trace := self.bank.peek("trace", cell, trained, text)) is not None:
                    rows += [(cell, s) for s in lmi.rank_units(trace, pattern, top=10)]
        except lm.LMError as e:
            self.post_message(Ranked(pattern, None, None, str(e)))
            return
        rows.sort(key=lambda row: -abs(row[1].r))
        self.post_message(Ranked(pattern, rows[:10], mask))

    @work(thread=True, exclusive=True, group="gradient")
    def compute_gradients(self, text: str, forget_bias: float) -> None:
        from lm import inspect as lmi

        worker = get_current_worker()
        for cell in CELLS:
            for trained in (True, False):
                if worker.is_cancelled:
                    return
                key = self.gradient_key(cell, trained, forget_bias, text)
                try:
                    model = self.bank.model(cell, trained, key[3])
                    self.bank.get(key, lambda: lmi.gradient_through_time(
                        model, text, max_k=self.setup.max_k, windows=self.setup.windows))
                except lm.LMError as e:
                    self.post_message(Landed(key, str(e)))
                    continue
                self.post_message(Landed(key))

    @staticmethod
    def gradient_key(cell: str, trained: bool, forget_bias: float, text: str) -> tuple:
        # Only an untrained forget gate's bias is toggled; the others are the same either way.
        toggled = lm.CELLS[cell].forget_gate and not trained
        return ("gradient", cell, trained, forget_bias if toggled else None, text)

    @work(thread=True, exclusive=True, group="probe")
    def compute_probe(self, trained: bool) -> None:
        from lm import inspect as lmi

        worker = get_current_worker()
        items = lmi.probe_items(self.setup.probe_gaps, self.setup.probe_per_gap, seed=0)
        total, done = len(items) * len(CELLS), 0

        def counted(score):
            def scored(prefix, endings):  # run_probe scores each item once: count them
                nonlocal done
                if worker.is_cancelled:
                    raise Cancelled
                done += 1
                if done % 10 == 0:
                    self.post_message(ProbeProgress(done, total))
                return score(prefix, endings)
            return scored

        self.post_message(ProbeProgress(0, total))
        for n, cell in enumerate(CELLS, 1):
            key = ("probe", cell, trained)
            try:
                score = counted(lmi.model_scorer(self.bank.model(cell, trained)))
                rows = self.bank.get(key, lambda: lmi.run_probe(score, items))
                self.bank.get(("horizon", cell, trained), lambda: lmi.horizon(rows))
            except lm.LMError as e:
                self.post_message(Landed(key, str(e)))
            except Cancelled:
                return
            else:
                self.post_message(Landed(key))
            done = n * len(items)
        self.post_message(ProbeProgress(total, total))


class Cancelled(Exception):
    """The probe was left (or restarted) mid-run."""
